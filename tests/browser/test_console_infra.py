"""Critical infrastructure on the console map in a real browser: assets by kind with their
risk, a kind switched off and on, and a cascade what-if whose failed set is listed and
highlighted; English and Chinese, axe-clean, nothing leaving 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations
from tests.browser.test_console_response import CITY, sign_in_to

ASSETS = [
    ("SUB-1", "North substation", "power", "substation", 0.0, 0.0, 5, 0),
    ("PUMP-1", "Riverside pumping station", "water", "pump_station", 0.006, 0.004, 5, 40_000),
    ("TOWER-1", "Hill radio mast", "telecom", "mast", -0.005, 0.006, 3, 12_000),
    ("HUB-1", "Central station", "transport_hub", "rail_station", 0.002, -0.008, 4, 0),
]


def make_assets(server: LiveServer) -> None:
    world = server.world
    if world.client.get("/v1/infrastructure/assets", headers=world.auth("analyst")).json():
        return
    body = {
        "assets": [
            {
                "external_id": ext,
                "name": name,
                "kind": kind,
                "subtype": subtype,
                "operator": "City utilities",
                "latitude": CITY[0] + dlat,
                "longitude": CITY[1] + dlon,
                "criticality": crit,
                "population_served": people,
            }
            for ext, name, kind, subtype, dlat, dlon, crit, people in ASSETS
        ],
        "dependencies": [
            {"supplier": "SUB-1", "dependant": "PUMP-1"},
            {"supplier": "SUB-1", "dependant": "TOWER-1"},
        ],
    }
    made = world.client.post("/v1/infrastructure/assets", json=body, headers=world.auth("analyst"))
    assert made.status_code == 201, made.text


def test_assets_by_kind_and_a_cascade_what_if(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    make_assets(live_server)
    sign_in_to(page, live_server, "analyst", "infra")
    page.wait_for_selector("#screen-infra[data-assets]")
    state = page.evaluate("window.vigilInfra.state")
    assert state["assets"] == 4
    assert set(state["shown"]) == {"water", "power", "gas", "telecom", "transport_hub"}
    page.uncheck("#infra-kinds input[value=telecom]")
    assert "telecom" not in page.evaluate("window.vigilInfra.state.shown")
    page.check("#infra-kinds input[value=telecom]")
    assert "telecom" in page.evaluate("window.vigilInfra.state.shown")
    rows = page.locator("#asset-rows tr").evaluate_all("rs => rs.map(r => r.dataset.asset)")
    assert set(rows) == {"SUB-1", "PUMP-1", "TOWER-1", "HUB-1"}  # every asset ranked
    page.click("#asset-rows tr[data-asset=SUB-1] details.factor summary >> nth=0")
    assert "incident" in page.inner_text("#asset-rows tr[data-asset=SUB-1]")  # with its source
    page.click("#asset-rows tr[data-asset=SUB-1] [data-cascade]")
    page.wait_for_selector("#cascade-failed li")
    failed = page.locator("#cascade-failed li").evaluate_all("l => l.map(i => i.dataset.failed)")
    assert set(failed) == {"SUB-1", "PUMP-1", "TOWER-1"}  # the asset itself and its dependants
    assert set(page.evaluate("window.vigilInfra.state.failed")) == set(failed)
    assert "52,000 people" in page.inner_text("#cascade-summary")
    screenshot(page, "console-infra-cascade")
    assert axe_violations(page) == []
    # an asset nothing depends on takes nothing with it
    page.click("#asset-rows tr[data-asset=HUB-1] [data-cascade]")
    page.wait_for_selector("#cascade-summary:has-text('1 assets fail')")
    assert page.evaluate("window.vigilInfra.state.failed") == ["HUB-1"]
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_infrastructure_in_chinese(live_server: LiveServer, page: Any, outside: Outside) -> None:
    make_assets(live_server)
    sign_in_to(page, live_server, "officer", "infra")
    page.wait_for_selector("#screen-infra[data-assets]")
    assert page.inner_text("#screen-infra h2").startswith("关键基础设施")
    page.click("#asset-rows tr[data-asset=SUB-1] [data-cascade]")
    page.wait_for_selector("#cascade-failed li")
    assert "共 3 个设施失效" in page.inner_text("#cascade-summary")
    screenshot(page, "console-zh-infra")
    assert axe_violations(page) == []
    assert outside.urls == []
