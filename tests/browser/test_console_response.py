"""The dispatcher's screen in a real browser: the agency's incidents, an incident's detail
with its append-only timeline, the unit board by status, and a unit recommended and
assigned; in English and Chinese, axe-clean, nothing leaving 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations
from tests.world import PASSWORD

CITY = (31.2304, 121.4737)


def sign_in_to(page: Any, server: LiveServer, user: str, screen: str) -> None:
    """Sign in straight onto `screen` (the console opens the screen the address names)."""
    page.goto(f"{server.url}/console#{screen}")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector(f"#screen-links a[data-screen={screen}][aria-current]")


def make_units_and_incident(server: LiveServer) -> int:
    world = server.world
    for code, mode, caps, offset in (
        ("CAR-11", "car", ["patrol", "tactical"], 0.004),
        ("CAR-12", "car", ["patrol"], 0.02),
        ("BIKE-13", "bike", ["patrol"], 0.01),
    ):
        made = world.client.post(
            "/v1/units",
            json={
                "code": code,
                "mode": mode,
                "capabilities": caps,
                "home_lat": CITY[0] + offset,
                "home_lon": CITY[1],
            },
            headers=world.auth("supervisor"),
        )
        assert made.status_code == 201, made.text
    opened = world.client.post(
        "/v1/response/incidents",
        json={
            "type": "public_disorder",
            "summary": "Fight outside the night market",
            "latitude": CITY[0],
            "longitude": CITY[1] + 0.002,
            "address": "Night market, north gate",
        },
        headers=world.auth("officer"),
    )
    assert opened.status_code == 201, opened.text
    return int(opened.json()["id"])


def timeline_kinds(page: Any) -> list[str]:
    return page.locator("#incident-timeline li").evaluate_all(
        "items => items.map(i => i.dataset.kind)"
    )


def test_dispatcher_recommends_and_assigns_a_unit_on_an_append_only_timeline(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    incident_id = make_units_and_incident(live_server)
    sign_in_to(page, live_server, "officer", "response")
    nav = page.locator("#screen-links a").all_inner_texts()
    assert "Dispatch" in nav and "Public warnings" not in nav  # warnings are the supervisor's
    page.wait_for_selector(f"#incident-{incident_id}")
    page.wait_for_selector("#unit-board [data-unit=CAR-11]")
    available = page.locator("#unit-board [data-status=available] li")
    assert {"CAR-11", "CAR-12", "BIKE-13"} <= set(
        available.evaluate_all("items => items.map(i => i.dataset.unit)")
    )
    row = page.inner_text(f"#incident-{incident_id}")
    assert "public disorder" in row and "Night market, north gate" in row and "new" in row
    page.click(f"[data-incident='{incident_id}']")
    page.wait_for_selector("#incident-detail:not([hidden])")
    assert timeline_kinds(page) == ["opened"]
    page.click("[data-action=acknowledge]")
    page.wait_for_function("() => document.querySelectorAll('#incident-timeline li').length === 2")
    page.fill("#note-form input[name=note]", "Two callers, crowd gathering")
    page.click("#note-form button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#incident-timeline li').length === 3")
    page.click("#recommend")
    page.wait_for_selector("#recommendations [data-assign]")
    picks = page.locator("#recommendations tbody tr").all_inner_texts()
    assert picks[0].startswith("CAR-11")  # the nearest by road comes first
    assert timeline_kinds(page)[-1] == "units_recommended"
    screenshot(page, "console-dispatch-recommend")
    page.click("#recommendations [data-assign] >> nth=0")
    page.wait_for_selector("#assigned-units .badge")
    assert page.inner_text("#assigned-units") == "CAR-11"
    page.wait_for_selector("#unit-board [data-status=dispatched] [data-unit=CAR-11]")
    kinds = timeline_kinds(page)
    assert kinds == ["opened", "acknowledge", "note", "units_recommended", "unit_assigned"]
    assert "Two callers, crowd gathering" in page.inner_text("#incident-timeline")
    # the server agrees: the incident is dispatched, its timeline the same, and the unit busy
    world = live_server.world
    detail = world.client.get(
        f"/v1/response/incidents/{incident_id}", headers=world.auth("officer")
    ).json()
    assert detail["status"] == "dispatched"
    assert [e["kind"] for e in detail["timeline"]] == kinds
    units = world.client.get("/v1/units", headers=world.auth("officer")).json()
    assert {u["code"]: u["status"] for u in units}["CAR-11"] == "dispatched"
    # append only: the screen offers no way to edit or delete an entry
    assert page.locator("#incident-timeline button, #incident-timeline input").count() == 0
    screenshot(page, "console-dispatch")
    assert axe_violations(page) == []
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_dispatcher_in_chinese(live_server: LiveServer, page: Any, outside: Outside) -> None:
    make_units_and_incident_once(live_server)
    sign_in_to(page, live_server, "supervisor", "response")
    page.wait_for_selector("#incident-rows tr[id]")
    page.wait_for_selector("#unit-board li")
    assert page.inner_text("#screen-response h2").startswith("调度")
    assert "警力看板" in page.inner_text("#screen-response")
    page.click("#incident-rows [data-incident] >> nth=0")
    page.wait_for_selector("#incident-timeline li")
    assert "立案" in page.inner_text("#incident-timeline")
    screenshot(page, "console-zh-dispatch")
    assert axe_violations(page) == []
    assert outside.urls == []


def make_units_and_incident_once(server: LiveServer) -> None:
    world = server.world
    if not world.client.get("/v1/response/incidents", headers=world.auth("officer")).json():
        make_units_and_incident(server)
