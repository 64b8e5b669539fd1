"""The cameras screen in a real browser, for who may change what and for a long review
queue: an officer sees cameras but no edit control (and the server refuses the edit anyway),
a supervisor gets the editor; the review queue shows its first page and "Load more" brings
the next, whole, while new events arrive. English and Chinese, axe-clean, nothing leaving
127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations
from tests.browser.test_console_response import CITY, sign_in_to
from tests.video.sources import add_square_camera, post_events

EVENTS = 62  # more than the console's page of 50


def _event(n: int, minute: int) -> dict[str, Any]:
    return {
        "source": "paging-test", "source_event_id": f"ev-{n}", "camera": "sq-1",
        "kind": "intrusion" if n % 3 else "loitering", "zone": "fountain", "label": "person",
        "started_at": f"2026-12-06T{minute // 60:02d}:{minute % 60:02d}:00+08:00",
    }  # fmt: skip


@pytest.fixture(scope="module")
def queue(live_server: LiveServer) -> list[int]:
    """One camera and 62 events to review; the queue's ids in its order (newest first)."""
    world = live_server.world
    add_square_camera(world, CITY, privacy_masks=[[[0.0, 0.0], [0.25, 0.0], [0.25, 0.3]]])
    post_events(world, [_event(n, minute=n // 2) for n in range(EVENTS)])  # two a minute: ties
    whole = world.client.get("/v1/video/review?limit=500", headers=world.auth("officer")).json()
    return [e["id"] for e in whole]


def _shown(page: Any) -> list[int]:
    ids = page.locator("#review-rows tr").evaluate_all("rs => rs.map(r => r.dataset.event)")
    return [int(i) for i in ids]


def test_an_officer_sees_no_edit_control_and_the_server_refuses_one(
    live_server: LiveServer, queue: list[int], page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "officer", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.click("#camera-rows tr[data-code=sq-1] [data-camera]")
    page.wait_for_selector("#camera-detail[data-camera=sq-1]")
    detail = page.locator("#camera-detail")
    assert detail.locator("[data-edit]").count() == 0
    assert page.locator("#screen-video button", has_text="Edit zones and rules").count() == 0
    assert "changed by a supervisor or an administrator" in detail.inner_text()
    # the console's own session, trying the edit anyway: refused, with the reason
    answer = page.evaluate(
        """async () => {
          const r = await fetch("/v1/video/cameras/1/analytics", {method: "PUT",
            headers: {Authorization: `Bearer ${sessionStorage.getItem("vigil.token")}`,
                      "Content-Type": "application/json"},
            body: JSON.stringify({frame_width: 640, frame_height: 360, config: {}})});
          return [r.status, (await r.json()).detail];
        }"""
    )
    assert answer[0] == 403 and "may read cameras but not change them" in answer[1]
    stored = live_server.world.client.get(
        "/v1/video/cameras/1/analytics", headers=live_server.world.auth("officer")
    ).json()
    assert stored["stored"] is False
    screenshot(page, "console-video-officer-no-edit")
    assert axe_violations(page) == []
    assert outside.urls == []


def test_a_supervisor_gets_the_editor(
    live_server: LiveServer, queue: list[int], page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "supervisor", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.click("#camera-rows tr[data-code=sq-1] [data-camera]")
    page.click("#camera-detail [data-edit]")
    page.wait_for_selector("#rule-editor[data-camera=sq-1] #editor-svg")
    assert "changed by a supervisor" not in page.inner_text("#camera-detail")
    assert outside.urls == []


def test_load_more_brings_the_next_page_whole_while_events_arrive(
    live_server: LiveServer, queue: list[int], page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "officer", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.wait_for_function("() => window.vigilVideo.review.queue === 50")
    assert _shown(page) == queue[:50]
    assert page.evaluate("window.vigilVideo.review.more") is True
    assert page.inner_text("#review-count") == "50 events shown; more are queued."
    screenshot(page, "console-video-review-page-en")
    # two new events arrive while the first page is on the screen
    world = live_server.world
    later = [_event(100 + n, minute=600 + n) for n in range(2)]
    arrived = post_events(world, later)
    page.click("#review-more")
    page.wait_for_function("() => window.vigilVideo.review.more === false")
    # the rest of the queue, each event once; the new ones only at the head, where the
    # screen's 5-second refresh (if it came meanwhile) puts them
    shown = _shown(page)
    assert len(set(shown)) == len(shown) and shown[-EVENTS:] == queue
    assert set(shown[:-EVENTS]) <= set(arrived)
    assert page.locator("#review-more").is_hidden()
    assert page.inner_text("#review-count") == f"All {len(shown)} events shown."
    focused = page.evaluate("document.activeElement.closest('tr')?.dataset.event")
    assert focused == str(queue[50])  # the first event of the page added
    screenshot(page, "console-video-review-all-en")
    # a new filter starts over at the first page, the newest events at its head
    page.select_option("#review-filters [name=kind]", "intrusion")
    page.wait_for_function("() => window.vigilVideo.review.pages === 1")
    page.select_option("#review-filters [name=kind]", "")
    page.wait_for_function(
        "() => window.vigilVideo.review.pages === 1 && window.vigilVideo.review.queue === 50"
    )
    assert _shown(page)[:2] == sorted(arrived, reverse=True)
    assert axe_violations(page) == []
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_load_more_and_no_edit_control_in_chinese(
    live_server: LiveServer, queue: list[int], page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "officer", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.wait_for_function("() => window.vigilVideo.review.queue === 50")
    assert page.inner_text("#review-more") == "加载更多"
    assert "已显示 50 个事件" in page.inner_text("#review-count")
    page.click("#camera-rows tr[data-code=sq-1] [data-camera]")
    page.wait_for_selector("#camera-detail[data-camera=sq-1]")
    assert page.locator("#camera-detail [data-edit]").count() == 0
    assert "由主管或管理员修改" in page.inner_text("#camera-detail")
    screenshot(page, "console-zh-video-officer-review-page")
    page.click("#review-more")
    page.wait_for_function("() => window.vigilVideo.review.more === false")
    assert page.locator("#review-more").is_hidden()
    assert "已显示全部" in page.inner_text("#review-count")
    screenshot(page, "console-zh-video-review-all")
    assert axe_violations(page) == []
    assert outside.urls == []
