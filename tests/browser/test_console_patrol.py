"""A patrol plan on the console map in a real browser: places and each unit's route of the
day read back from the page, the independent checker's verdict, and approval by a
supervisor who did not propose it (the proposer gets no approve button). English and
Chinese, axe-clean, nothing leaving 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations
from tests.browser.test_console_response import sign_in_to

HOURS = [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]
PLACES = [
    ("人民广场站", "station", 800, 31.2330, 121.4750, True),
    ("Old Town Market", "market", 400, 31.2270, 121.4870, False),
    ("City Hospital", "hospital", 300, 31.2200, 121.4700, False),
]


def propose_plan(server: LiveServer) -> dict[str, Any]:
    world = server.world
    for name, kind, capacity, lat, lon, key in PLACES:
        body = {"name": name, "kind": kind, "capacity": capacity, "latitude": lat}
        body |= {"longitude": lon, "is_key": key, "opening_hours": HOURS if key else []}
        made = world.client.post("/v1/patrol/places", json=body, headers=world.auth("analyst"))
        assert made.status_code == 201, made.text
    for code, mode, start, end in (
        ("BIKE-21", "bike", "07:00", "15:00"),
        ("CAR-22", "car", "14:00", "22:00"),
    ):
        unit = {"code": code, "mode": mode, "capabilities": ["patrol"], "capacity": 2}
        unit |= {"shift_start": start, "shift_end": end, "home_lat": 31.23, "home_lon": 121.476}
        made = world.client.post("/v1/units", json=unit, headers=world.auth("supervisor"))
        assert made.status_code == 201, made.text
    body = {"week": "2026-W50", "time_limit_s": 10, "guards": 0}
    plan = world.client.post("/v1/patrol/plans", json=body, headers=world.auth("analyst"))
    assert plan.status_code == 201, plan.text
    return dict(plan.json())


@pytest.fixture(scope="module")
def plan(live_server: LiveServer) -> dict[str, Any]:
    return propose_plan(live_server)


def test_plan_on_the_map_checked_and_approved_by_another_supervisor(
    live_server: LiveServer, plan: dict[str, Any], page: Any, outside: Outside
) -> None:
    # the proposer (an analyst) sees the plan but is offered no approval
    sign_in_to(page, live_server, "analyst", "patrol")
    page.wait_for_selector(f"#screen-patrol[data-plan='{plan['id']}']")
    assert page.locator("#patrol-approve").count() == 0
    page.click("#logout")
    page.wait_for_selector("#login:not([hidden])")
    sign_in_to(page, live_server, "supervisor", "patrol")
    page.wait_for_selector(f"#screen-patrol[data-plan='{plan['id']}']")
    state = page.evaluate("window.vigilPatrol.state")
    assert state["places"] == plan["places"]  # the three places and the units' bases
    routes = state["routes"]
    assert routes and set(routes) <= {"BIKE-21", "CAR-22"}
    named = {name for name, *_ in PLACES}
    rows = page.locator("#visit-rows tr").all_inner_texts()
    visits_today = sum(len(v) for v in routes.values())
    assert len(rows) == visits_today and all(any(n in r for n in named) for r in rows)
    assert "user:analyst" in page.inner_text("#patrol-summary")
    page.click("#patrol-run-check")
    page.wait_for_selector("#check-verdict")
    screenshot(page, "console-patrol")
    assert page.get_attribute("#check-verdict", "data-ok") == "true", page.inner_text(
        "#patrol-check"
    )
    assert axe_violations(page) == []
    page.click("#patrol-approve")
    page.wait_for_selector("#screen-patrol[data-status=approved]")
    assert "user:supervisor" in page.inner_text("#patrol-summary")
    world = live_server.world
    stored = world.client.get(f"/v1/patrol/plans/{plan['id']}", headers=world.auth("analyst"))
    assert stored.json()["status"] == "approved"
    assert stored.json()["approved_by"] == "user:supervisor"
    # another day draws other routes
    days = page.locator("#patrol-day option").evaluate_all("os => os.map(o => o.value)")
    assert len(days) >= 2
    page.select_option("#patrol-day", days[1])
    assert page.evaluate("window.vigilPatrol.state.day") == days[1]
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_patrol_in_chinese(
    live_server: LiveServer, plan: dict[str, Any], page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "analyst", "patrol")
    page.wait_for_selector(f"#screen-patrol[data-plan='{plan['id']}']")
    assert page.inner_text("#screen-patrol h2").startswith("巡逻方案")
    assert "人民广场站" in page.inner_text("#visit-rows")
    screenshot(page, "console-zh-patrol")
    assert axe_violations(page) == []
    assert outside.urls == []
