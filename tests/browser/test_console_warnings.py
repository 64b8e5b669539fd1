"""The supervisor's CAP 1.2 warning editor in a real browser: errors shown against each
field with nothing stored, then a warning published and read back from the public feed;
an officer has no editor and the API refuses one. English and Chinese, axe-clean, nothing
leaving 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations
from tests.browser.test_console_response import CITY, sign_in_to


def an_incident(server: LiveServer) -> int:
    world = server.world
    opened = world.client.post(
        "/v1/response/incidents",
        json={
            "type": "hazmat_release",
            "summary": "Chlorine smell near the water works",
            "latitude": CITY[0],
            "longitude": CITY[1],
            "address": "East water works",
        },
        headers=world.auth("officer"),
    )
    assert opened.status_code in (200, 201), opened.text
    return int(opened.json()["id"])


def feed(server: LiveServer) -> str:
    return server.world.client.get("/v1/response/warnings/feed.atom").text


def test_warning_editor_shows_field_errors_then_publishes_to_the_feed(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    incident_id = an_incident(live_server)
    world = live_server.world
    refused = world.client.post(
        f"/v1/response/incidents/{incident_id}/warnings",
        json={
            "headline": "x",
            "urgency": "Immediate",
            "severity": "Severe",
            "certainty": "Observed",
        },
        headers=world.auth("officer"),
    )
    assert refused.status_code == 403  # building public warnings is the supervisor's
    sign_in_to(page, live_server, "supervisor", "warnings")
    page.wait_for_selector(f"#cap-incident option[value='{incident_id}']", state="attached")
    page.select_option("#cap-incident", str(incident_id))
    page.fill("#cap-headline", "Chemical release: keep windows closed")
    page.fill("#cap-instruction", "Stay indoors and close windows until the all-clear.")
    page.select_option("#cap-urgency", "Immediate")
    page.select_option("#cap-severity", "Severe")
    page.select_option("#cap-certainty", "Observed")
    page.check("#cap-response_type input[value=Shelter]")
    page.fill("#cap-polygon", "31.23,121.47 31.24,121.47")  # two points, not closed: no polygon
    page.click("#cap-form button[type=submit]")
    page.wait_for_selector("#err-polygon:not(:empty)")
    assert page.get_attribute("#cap-polygon", "aria-invalid") == "true"
    assert page.inner_text("#err-headline") == ""  # only the bad field is marked
    assert "not published" in page.inner_text("#cap-error")
    assert page.locator("#cap-result").is_hidden()
    assert "Chemical release" not in feed(live_server)  # nothing stored half-way
    screenshot(page, "console-warnings-errors")
    assert axe_violations(page) == []
    page.fill("#cap-polygon", "")
    page.fill("#cap-area_desc", "Within 1 km of the east water works")
    page.click("#cap-form button[type=submit]")
    page.wait_for_selector("#cap-result:not([hidden])")
    identifier = page.get_attribute("#cap-result", "data-identifier")
    assert identifier and identifier.startswith("vigil-")
    assert page.inner_text("#err-polygon") == ""
    page.wait_for_selector(f"#cap-feed li[data-identifier='{identifier}']")
    assert "Chemical release: keep windows closed" in page.inner_text("#cap-feed")
    page.click("#cap-result summary")
    xml = page.inner_text("#cap-result pre")
    assert "urn:oasis:names:tc:emergency:cap:1.2" in xml and "<responseType>Shelter" in xml
    assert identifier in feed(live_server)
    detail = world.client.get(
        f"/v1/response/incidents/{incident_id}", headers=world.auth("supervisor")
    ).json()
    assert detail["timeline"][-1]["kind"] == "warning_published"
    screenshot(page, "console-warnings")
    assert axe_violations(page) == []
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_warning_editor_in_chinese(live_server: LiveServer, page: Any, outside: Outside) -> None:
    an_incident(live_server)
    sign_in_to(page, live_server, "supervisor", "warnings")
    page.wait_for_selector("#cap-incident option[value]", state="attached")
    page.wait_for_selector("#screen-warnings[data-feed]")
    assert page.inner_text("#screen-warnings h2").startswith("公众预警")
    assert "校验并发布" in page.inner_text("#cap-form")
    page.fill("#cap-radius_km", "0")  # a circle needs a radius above zero: refused
    page.click("#cap-form button[type=submit]")
    page.wait_for_selector("#err-radius_km:not(:empty)")
    assert "未发布" in page.inner_text("#cap-error")
    screenshot(page, "console-zh-warnings")
    assert axe_violations(page) == []
    assert outside.urls == []
