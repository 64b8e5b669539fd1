"""The review queue in pages: a `limit` up to a maximum, a `Link: rel=next` header while more
may follow, and a cursor that keeps the pages whole while new events arrive."""

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
    """Open first, then newest first, ties broken by the higher id: the queue's order."""

    def newest_first(group: list[dict[str, Any]]) -> list[int]:
        return [e["id"] for e in sorted(group, key=lambda e: (e["started_at"], e["id"]))][::-1]

    return newest_first([e for e in events if e["review_state"] == "open"]) + newest_first(
        [e for e in events if e["review_state"] != "open"]
    )


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
        _token("1|2026-12-06T01:00:00|1"),  # no time zone
        _token("2|2026-12-06T01:00:00+00:00|1"),  # no such group
        _token("0|yesterday|1"),
        _token("0|2026-12-06T01:00:00+00:00|0"),  # no such id
        "x" * (MAX_CURSOR_CHARS + 1),
        "",
    ],
)
def test_a_bad_cursor_is_a_field_error(world: World, cursor: str) -> None:
    r = world.client.get(
        "/v1/video/review", params={"cursor": cursor}, headers=world.auth("officer")
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["cursor"]


def test_the_page_size_has_a_maximum(world: World) -> None:
    for limit in (0, 501):
        r = world.client.get(f"/v1/video/review?limit={limit}", headers=world.auth("officer"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "limit"
