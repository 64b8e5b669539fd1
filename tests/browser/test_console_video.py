"""Cameras on the console map in a real browser: each camera's coverage sector, its
privacy masks on its frame, and the recent video events newest first, with nothing on the
screen that could identify a person (no image, no video, no stream). English and Chinese,
axe-clean, nothing leaving 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations
from tests.browser.test_console_response import CITY, sign_in_to
from tests.video.sources import source_key

MASKS = [[[0.0, 0.0], [0.25, 0.0], [0.25, 0.3], [0.0, 0.3]], [[0.6, 0.6], [0.9, 0.6], [0.9, 0.9]]]


def make_cameras_and_events(server: LiveServer) -> None:
    world = server.world
    if world.client.get("/v1/video/cameras", headers=world.auth("analyst")).json():
        return
    for code, name, heading, masks, dlat in (
        ("sq-1", "Square north forecourt", 180.0, MASKS, 0.0),
        ("gate-2", "Station east gate", 90.0, [], 0.003),
    ):
        camera = {
            "code": code, "name": name, "latitude": CITY[0] + dlat, "longitude": CITY[1],
            "height_m": 6, "heading_deg": heading, "fov_deg": 90, "range_m": 80,
            "area_class": "public_area", "owner_kind": "agency",
            "owner_name": "Riverside Public Security Bureau",
            "legal_basis": "Public security video regulations, art. 7",
            "stream_url": "rtsp://viewer:secret@10.20.0.9:554/main", "privacy_masks": masks,
        }  # fmt: skip
        made = world.client.post("/v1/video/cameras", json=camera, headers=world.auth("supervisor"))
        assert made.status_code == 201, made.text
    events = [
        {
            "source": "console-test",
            "source_event_id": f"ev-{n}",
            "camera": "sq-1",
            "kind": kind,
            "zone": "fountain",
            "label": label,
            "value": value,
            "started_at": f"2026-12-06T0{n}:00:00+08:00",
        }
        for n, (kind, label, value) in enumerate(
            [
                ("zone_count", "person", 14),
                ("crowd_density", None, 2.5),
                ("loitering", "person", None),
            ],
            start=1,
        )
    ]
    sent = world.client.post(
        "/v1/video/events/webhook", json=events, headers=world.auth(source_key(world))
    )
    assert sent.status_code == 200 and sent.json()["stored"] == 3, sent.text


def test_cameras_with_sectors_masks_and_recent_events(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    make_cameras_and_events(live_server)
    sign_in_to(page, live_server, "analyst", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    state = page.evaluate("window.vigilVideo.state")
    assert state == {"cameras": 2, "sectors": 2, "events": 3}
    # a sector opens from the camera along its heading: the south-facing one lies south
    south = page.evaluate(
        "() => { const c = {latitude: 31.23, longitude: 121.47, heading_deg: 180, fov_deg: 90,"
        " range_m: 80}; return sector(c) }".replace("sector(", "window.vigilSector(")
    )
    assert all(lat <= 31.23 for lat, _ in south) and min(lat for lat, _ in south) < 31.2295
    kinds = page.locator("#event-rows tr").evaluate_all("rs => rs.map(r => r.dataset.event)")
    assert kinds == sorted(kinds, key=int, reverse=True)  # newest first
    events = page.inner_text("#event-rows")
    assert "zone count" in events and "counted, not identified" in events and "fountain" in events
    page.click("#camera-rows tr[data-code=sq-1] [data-camera]")
    page.wait_for_selector("#camera-detail[data-camera=sq-1]")
    assert page.locator("#camera-detail svg.frame polygon").count() == 2
    assert "2 masked regions" in page.inner_text("#camera-detail")
    # nothing that shows or identifies a person: no image, video or stream address
    screen = page.locator("#screen-video")
    assert screen.locator("img, video, iframe").count() == 0
    assert "rtsp://" not in screen.inner_html() and "secret" not in screen.inner_html()
    screenshot(page, "console-video")
    assert axe_violations(page) == []
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_video_in_chinese(live_server: LiveServer, page: Any, outside: Outside) -> None:
    make_cameras_and_events(live_server)
    sign_in_to(page, live_server, "officer", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    assert page.inner_text("#screen-video h2").startswith("摄像头")
    assert "仅计数，不识别" in page.inner_text("#event-rows")
    assert "2.5 人/平方米" in page.inner_text("#event-rows")
    screenshot(page, "console-zh-video")
    assert axe_violations(page) == []
    assert outside.urls == []


def test_show_brings_the_camera_into_view_and_values_carry_their_units(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    """A camera shown from low in the list opens its detail (above the list) in view, with
    the focus on its title; a density reads in people per m², not as a bare number."""
    make_cameras_and_events(live_server)
    sign_in_to(page, live_server, "analyst", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.click("#camera-rows tr[data-code=gate-2] [data-camera]")
    page.wait_for_selector("#camera-detail[data-camera=gate-2]")
    title = page.locator("#camera-detail h3")
    top, bottom = title.evaluate("h => [h.getBoundingClientRect().top, innerHeight]")
    assert 0 <= top < bottom  # the title is on the screen, not scrolled off above it
    assert title.evaluate("h => document.activeElement === h")
    facts = page.inner_text("#camera-detail dl")
    assert "no masked regions" in facts and "0 masked" not in facts
    rows = {
        r["kind"]: r["value"]
        for r in page.locator("#event-rows tr").evaluate_all(
            "rs => rs.map(r => ({kind: r.cells[2].innerText, value: r.cells[5].innerText}))"
        )
    }
    assert rows["crowd density"] == "2.5 people/m²"
    assert rows["zone count"] == "14" and rows["loitering"] == "—"
    screenshot(page, "console-video-detail-in-view")
    assert axe_violations(page) == []
    assert outside.urls == []
