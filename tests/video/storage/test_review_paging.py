"""The review queue in pages: a `limit` up to a maximum, a `Link: rel=next` header while more
may follow, and a cursor that keeps the pages whole while new events arrive and events are
reviewed or opened again between pages; `until` reads the pages already loaded again."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from tests.video.storage.test_review_console import _camera, _event, _events
from tests.world import World, build_world
from vigil.core.runtime import Runtime
from vigil.video.review_cursor import MAX_CURSOR_CHARS

pytestmark = pytest.mark.storage
NEXT = re.compile(r'^<(?P<url>/v1/video/review\?[^>]+)>; rel="next"$')


def _next_url(response: Any) -> str | None:
    link = response.headers.get("link")
    if link is None:
        return None
    match = NEXT.match(link)
    assert match, link
    return match["url"]


def _all_pages(world: World, url: str) -> tuple[list[int], int]:
    """Every event id the pages give, in order, and how many pages there were."""
    ids: list[int] = []
    pages = 0
    next_url: str | None = url
    while next_url is not None:
        r = world.client.get(next_url, headers=world.auth("officer"))
        assert r.status_code == 200, r.text
        ids += [e["id"] for e in r.json()]
        pages += 1
        next_url = _next_url(r)
        assert pages < 50
    return ids, pages


def _queue_order(events: list[dict[str, Any]]) -> list[int]:
    """Newest first, ties broken by the higher id: the queue's order, whatever the states."""
    return [e["id"] for e in sorted(events, key=lambda e: (e["started_at"], e["id"]))][::-1]


def _review(world: World, event_id: int, state: str) -> None:
    r = world.client.post(
        f"/v1/video/events/{event_id}/review", json={"state": state}, headers=world.auth("officer")
    )
    assert r.status_code == 200, r.text


def _token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.fixture
def world(runtime: Runtime) -> World:
    world = build_world(runtime)
    _camera(world, "sq-1")
    _camera(world, "gate-2")
    # 11 events over 5 hours, several starting at the same moment (ties go by id)
    events = [
        _event(
            n, "intrusion" if n % 2 else "loitering", n % 5, camera="sq-1" if n < 7 else "gate-2"
        )
        for n in range(11)
    ]
    ids = _events(world, [*events, _event(99, "zone_count", 4, value=3)])
    for event_id, verdict in zip(ids[:3], ("confirmed", "false_alarm", "confirmed"), strict=True):
        r = world.client.post(
            f"/v1/video/events/{event_id}/review",
            json={"state": verdict},
            headers=world.auth("officer"),
        )
        assert r.status_code == 200, r.text
    return world


def test_pages_cover_the_queue_once_in_order(world: World) -> None:
    whole = world.client.get("/v1/video/review?limit=500", headers=world.auth("officer"))
    assert whole.status_code == 200 and "link" not in whole.headers
    events = whole.json()
    assert len(events) == 11 and _queue_order(events) == [e["id"] for e in events]
    for limit in (1, 3, 4, 11):
        ids, pages = _all_pages(world, f"/v1/video/review?limit={limit}")
        assert ids == [e["id"] for e in events], limit
        assert pages == -(-11 // limit) + (11 % limit == 0)  # a full last page links on


def test_events_arriving_between_pages_neither_repeat_nor_hide_any(world: World) -> None:
    before = [e["id"] for e in world.client.get(
        "/v1/video/review?limit=500", headers=world.auth("officer")
    ).json()]  # fmt: skip
    first = world.client.get("/v1/video/review?limit=4", headers=world.auth("officer"))
    seen = [e["id"] for e in first.json()]
    next_url = _next_url(first)
    assert next_url is not None
    # new open events, newer than all: they head the queue, before the pages already read
    fresh = _events(world, [_event(200 + n, "intrusion", 6) for n in range(3)])
    rest, _ = _all_pages(world, next_url)
    assert seen + rest == before
    assert not set(fresh) & set(seen + rest)
    again = world.client.get("/v1/video/review?limit=3", headers=world.auth("officer")).json()
    assert sorted(e["id"] for e in again) == sorted(fresh)


def test_filters_travel_with_the_next_page(world: World) -> None:
    url = "/v1/video/review?state=open&kind=intrusion&limit=2"
    ids, _ = _all_pages(world, url)
    whole = world.client.get(
        "/v1/video/review?state=open&kind=intrusion&limit=500", headers=world.auth("officer")
    ).json()
    assert ids == [e["id"] for e in whole] and len(ids) >= 3
    assert {e["kind"] for e in whole} == {"intrusion"}
    assert {e["review_state"] for e in whole} == {"open"}


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%%",
        _token("2026-12-06T01:00:00|1"),  # no time zone
        _token("0|2026-12-06T01:00:00+00:00|1"),  # the old form, with the open/reviewed group
        _token("yesterday|1"),
        _token("2026-12-06T01:00:00+00:00|0"),  # no such id
        "x" * (MAX_CURSOR_CHARS + 1),
        "",
    ],
)
def test_a_bad_cursor_is_a_field_error(world: World, cursor: str) -> None:
    for name in ("cursor", "until"):
        r = world.client.get(
            "/v1/video/review", params={name: cursor}, headers=world.auth("officer")
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in r.json()["errors"]] == [name]


def test_the_page_size_has_a_maximum(world: World) -> None:
    for limit in (0, 501):
        r = world.client.get(f"/v1/video/review?limit={limit}", headers=world.auth("officer"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("limit", [1, 2, 3, 4])
def test_reviews_between_pages_neither_repeat_nor_skip_an_event(world: World, limit: int) -> None:
    """Paging the whole queue while an officer reviews: each event that was there at the
    start is listed once, wherever the reviews fall (events already read, events ahead,
    and events opened again)."""
    start = world.client.get("/v1/video/review?limit=500", headers=world.auth("officer")).json()
    states = {e["id"]: e["review_state"] for e in start}
    seen: list[int] = []
    next_url: str | None = f"/v1/video/review?limit={limit}"
    turn = 0
    while next_url is not None:
        r = world.client.get(next_url, headers=world.auth("officer"))
        assert r.status_code == 200, r.text
        seen += [e["id"] for e in r.json()]
        next_url = _next_url(r)
        # between pages: review one event read already and one ahead, open one again
        read = [i for i in seen if states[i] == "open"]
        ahead = [i for i in states if i not in seen and states[i] == "open"]
        reviewed_ahead = [i for i in states if i not in seen and states[i] != "open"]
        for event_id, state in (
            (read[0] if read else None, "confirmed"),
            (ahead[-1] if ahead else None, "false_alarm"),
            (reviewed_ahead[turn % len(reviewed_ahead)] if reviewed_ahead else None, "open"),
        ):
            if event_id is not None:
                _review(world, event_id, state)
                states[event_id] = state
        turn += 1
    assert sorted(seen) == sorted(states) and len(seen) == len(set(seen))
    assert seen == _queue_order(start)


def _move(world: World, states: dict[int, str], event_id: int, state: str) -> None:
    """Put an event in a state, opening it again first where a verdict must change."""
    if states[event_id] == state:
        return
    if states[event_id] != "open":
        _review(world, event_id, "open")
    if state != "open":
        _review(world, event_id, state)
    states[event_id] = state


@pytest.mark.parametrize("state", ["open", "confirmed"])
def test_a_state_filter_pages_without_repeats_while_events_change_state(
    world: World, state: str
) -> None:
    """With a filter, an event is listed once if it is in the state when its page is read:
    one that leaves the state before then is not, one that enters it ahead of the pages is,
    and leaving after its page was read changes nothing."""
    whole = world.client.get("/v1/video/review?limit=500", headers=world.auth("officer")).json()
    order = [e["id"] for e in whole]
    states = {e["id"]: e["review_state"] for e in whole}
    away = "false_alarm" if state == "open" else "open"
    seen: list[int] = []
    left_unread: set[int] = set()
    next_url: str | None = f"/v1/video/review?state={state}&limit=1"
    while next_url is not None:
        r = world.client.get(next_url, headers=world.auth("officer"))
        assert r.status_code == 200, r.text
        page = r.json()
        assert {e["review_state"] for e in page} <= {state}
        seen += [e["id"] for e in page]
        next_url = _next_url(r)
        ahead = order[order.index(seen[-1]) + 1 :] if seen else order
        leaving = [i for i in ahead if states[i] == state][-1:]  # the last in the state
        entering = [i for i in ahead if states[i] != state and i not in left_unread][:1]
        for event_id in seen[-1:] + leaving:
            _move(world, states, event_id, away)
        for event_id in entering:
            _move(world, states, event_id, state)
        left_unread |= set(leaving)
    assert len(seen) == len(set(seen)) and seen == [i for i in order if i in seen]
    assert not set(seen) & left_unread
    assert {i for i, s in states.items() if s == state} <= set(seen)
    assert len(seen) >= 3


def test_until_reads_the_loaded_pages_again_with_their_changes(world: World) -> None:
    """A console that loaded two pages reads them again up to where they ended: the same
    events with their states now, and the old next page still follows on."""
    first = world.client.get("/v1/video/review?limit=3", headers=world.auth("officer"))
    second_url = _next_url(first)
    assert second_url is not None
    second = world.client.get(second_url, headers=world.auth("officer"))
    loaded = [e["id"] for e in first.json() + second.json()]
    third_url = _next_url(second)
    assert third_url is not None
    boundary = third_url.split("cursor=")[1]
    _review(world, loaded[4], "confirmed")
    fresh = _events(world, [_event(300, "intrusion", 7)])
    again, pages = _all_pages(world, f"/v1/video/review?limit=2&until={boundary}")
    assert again == fresh + loaded and pages == 4  # 2 + 2 + 2 (a full page links on) + none
    states = {
        e["id"]: e["review_state"]
        for e in world.client.get(
            f"/v1/video/review?limit=500&until={boundary}", headers=world.auth("officer")
        ).json()
    }
    assert states[loaded[4]] == "confirmed"
    rest, _ = _all_pages(world, third_url)
    whole, _ = _all_pages(world, "/v1/video/review?limit=500")
    assert again + rest == whole
