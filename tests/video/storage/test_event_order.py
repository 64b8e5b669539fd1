"""The video event list pages newest first by default (the console's recent events are its
first page), paging back with `before_id`; oldest first with `after_id` still catches up.
Either way the pages hold every event once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.video.sources import source_key
from tests.video.storage.test_events import _camera, _generic
from tests.world import World, build_world
from vigil.core.runtime import Runtime

pytestmark = pytest.mark.storage


def _send(w: World, names: list[str]) -> None:
    events = [_generic("gate", source_event_id=n, zone="car_park") for n in names]
    r = w.client.post("/v1/video/events/webhook", json=events, headers=w.auth(source_key(w)))
    assert r.status_code == 200 and r.json()["stored"] == len(names), r.text


def _pages(w: World, query: str, cursor: str) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = []
    url = f"/v1/video/events?limit=3{query}"
    while True:
        page = w.client.get(url, headers=w.auth("analyst")).json()
        if not page:
            return pages
        pages.append(page)
        url = f"/v1/video/events?limit=3{query}&{cursor}={page[-1]['id']}"


def test_the_first_page_holds_the_newest_events(runtime: Runtime) -> None:
    w = build_world(runtime)
    _camera(runtime, "gate", org=w.org_ids["A"])
    _send(w, [f"evt-{n}" for n in range(1, 8)])
    _send(w, ["evt-8"])  # stored last

    newest = _pages(w, "", "before_id")
    names = [[e["source_event_id"] for e in page] for page in newest]
    assert names[0] == ["evt-8", "evt-7", "evt-6"]
    assert [n for page in names for n in page] == [f"evt-{n}" for n in range(8, 0, -1)]  # once each
    assert [len(p) for p in newest] == [3, 3, 2]

    oldest = _pages(w, "&order=oldest", "after_id")
    assert [e["source_event_id"] for p in oldest for e in p] == [f"evt-{n}" for n in range(1, 9)]

    # both bounds at once: the events strictly between two ids, newest first
    ids = [e["id"] for p in oldest for e in p]
    between = w.client.get(
        f"/v1/video/events?after_id={ids[1]}&before_id={ids[5]}", headers=w.auth("analyst")
    ).json()
    assert [e["id"] for e in between] == [ids[4], ids[3], ids[2]]
    bad = w.client.get("/v1/video/events?order=sideways", headers=w.auth("analyst"))
    assert bad.status_code == 422
