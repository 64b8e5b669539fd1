"""The cameras screen's review queue, long: an officer loads more than the server's largest page
(500) with "Load more", and the screen's live refresh, a verdict deep in the list and new
events arriving keep every event loaded, each once, with "Load more" still after them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console_response import CITY, sign_in_to
from tests.video.sources import add_square_camera, post_events

EVENTS = 560  # eleven pages of 50 and ten more: past the server's largest page
LOADED = 550


def _event(n: int) -> dict[str, Any]:
    return {
        "source": "long-queue-test", "source_event_id": f"ev-{n}", "camera": "sq-1",
        "kind": "intrusion" if n % 3 else "loitering", "zone": "fountain", "label": "person",
        "started_at": f"2026-12-0{1 + n // 240}T{n % 240 // 10:02d}:{n % 10 * 5:02d}:00+08:00",
    }  # fmt: skip


@pytest.fixture(scope="module")
def queue(live_server: LiveServer) -> list[int]:
    """One camera and 560 open events; the queue's ids in its order (newest first)."""
    world = live_server.world
    add_square_camera(world, CITY)
    post_events(world, [_event(n) for n in range(EVENTS)])
    whole = world.client.get("/v1/video/review?limit=500", headers=world.auth("officer"))
    rest = world.client.get(whole.links["next"]["url"], headers=world.auth("officer"))
    ids = [e["id"] for e in whole.json() + rest.json()]
    assert len(ids) == len(set(ids)) == EVENTS
    return ids


def _shown(page: Any) -> list[int]:
    ids = page.locator("#review-rows tr").evaluate_all("rs => rs.map(r => r.dataset.event)")
    return [int(i) for i in ids]


def _refreshed(page: Any) -> None:
    """Wait for a live refresh (every 5 s) that began after this call to be drawn. Refreshes
    run one after another, so the second one drawn from now began after this; the first may
    have read the queue before what the test just did."""
    seen = page.evaluate("window.vigilVideo.review.refreshes")
    page.wait_for_function(f"() => window.vigilVideo.review.refreshes > {seen + 1}", timeout=30_000)


def test_a_refresh_keeps_every_page_loaded_past_the_largest_page(
    live_server: LiveServer, queue: list[int], page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "officer", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.wait_for_function("() => window.vigilVideo.review.queue === 50")
    for loaded in range(100, LOADED + 1, 50):
        page.click("#review-more")
        page.wait_for_function(f"() => window.vigilVideo.review.queue === {loaded}")
    assert _shown(page) == queue[:LOADED]

    # the live refresh reads the 550 again, and two new events head them
    arrived = post_events(live_server.world, [_event(1000 + n) for n in range(2)])
    _refreshed(page)
    shown = _shown(page)
    assert shown == sorted(arrived, reverse=True) + queue[:LOADED]
    assert page.evaluate("window.vigilVideo.review.more") is True
    assert page.inner_text("#review-count") == f"{LOADED + 2} events shown; more are queued."

    # a verdict deep in the list: that event leaves the open queue, nothing else does, and the
    # panel goes on to the open event below it
    deep = queue[529]
    page.click(f"#review-rows [data-review='{deep}']")
    page.wait_for_selector(f"#review-panel[data-event='{deep}'] #review-confirm")
    page.focus("#review-panel")
    page.keyboard.press("c")
    page.wait_for_selector(f"#review-panel[data-event='{queue[530]}']")
    shown = _shown(page)
    assert deep not in shown and len(shown) == LOADED + 1
    assert shown == sorted(arrived, reverse=True) + [i for i in queue[:LOADED] if i != deep]
    screenshot(page, "console-video-review-long-en")
    _refreshed(page)
    assert _shown(page) == shown

    # "Load more" goes on where the loaded pages ended: the last ten, none twice
    page.click("#review-more")
    page.wait_for_function("() => window.vigilVideo.review.more === false")
    shown = _shown(page)
    assert len(shown) == len(set(shown)) == EVENTS + 1
    assert shown[-(EVENTS - 1) :] == [i for i in queue if i != deep]
    assert page.inner_text("#review-count") == f"All {EVENTS + 1} events shown."
    # with every event loaded, a refresh reads them all, past 500
    _refreshed(page)
    assert _shown(page) == shown
    assert outside.urls == []
