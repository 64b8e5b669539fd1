"""The officer's queue: newest first, paged back through every alert, with filters by kind,
status, time and text, and a count for "page 1 of N"."""

from __future__ import annotations

import pytest

from tests.world import World, build_world
from vigil.alerts import service
from vigil.alerts.schemas import AlertIn
from vigil.core.runtime import Runtime
from vigil.governance.access import Purpose, system_context

pytestmark = pytest.mark.storage
SCREENING = system_context(Purpose.SCREENING, "statute:real-name-registration")
KINDS = ("person", "vehicle", "property", "parcel")


@pytest.fixture
def world(runtime: Runtime) -> World:
    w = build_world(runtime)
    alerts = [
        (
            f"test:{n}",
            AlertIn(
                kind=KINDS[n % 4],
                score=0.9,
                explanation={},
                summary=f"hotel stay matches entry W-{n}",
                sector="hotel",
                submission_id=n,
                watchlist_entry_id=f"W-{n}",
                legal_basis="warrant:W-2026-001",
                organisation_id=w.org_ids["A"],
            ),
        )
        for n in range(1000)
    ]
    with runtime.unit_of_work() as session:
        service.raise_alerts(session, SCREENING, alerts)
    return w


def _headers(world: World) -> dict[str, str]:
    return world.auth("officer", "screening", "statute:real-name-registration")


def test_newest_first_pages_through_all_thousand(world: World) -> None:
    seen: list[int] = []
    before: int | None = None
    while True:
        params: dict[str, object] = {"order": "newest", "limit": 200}
        if before is not None:
            params["before_id"] = before
        page = world.client.get("/v1/alerts", params=params, headers=_headers(world)).json()
        if not page:
            break
        ids = [a["id"] for a in page]
        assert ids == sorted(ids, reverse=True)
        seen += ids
        before = ids[-1]
    assert len(seen) == 1000 == len(set(seen))
    assert seen[0] == max(seen)  # the queue opens on the newest
    total = world.client.get("/v1/alerts/count", headers=world.auth("officer")).json()
    assert total == {"total": 1000}


def test_filters_by_kind_status_and_text(world: World) -> None:
    h = _headers(world)
    vehicles = world.client.get(
        "/v1/alerts", params={"order": "newest", "kind": "vehicle", "limit": 1000}, headers=h
    ).json()
    assert len(vehicles) == 250 and {a["kind"] for a in vehicles} == {"vehicle"}
    first = vehicles[0]["id"]
    moved = world.client.post(
        f"/v1/alerts/{first}/transitions", json={"action": "acknowledge"}, headers=h
    )
    assert moved.status_code == 200, moved.text
    acked = world.client.get("/v1/alerts", params={"status": "acknowledged"}, headers=h).json()
    assert [a["id"] for a in acked] == [first]
    found = world.client.get("/v1/alerts", params={"q": "W-999"}, headers=h).json()
    assert [a["watchlist_entry_id"] for a in found] == ["W-999"]
    count = world.client.get(
        "/v1/alerts/count", params={"kind": "vehicle", "status": "new"}, headers=h
    ).json()
    assert count == {"total": 249}
    bad = world.client.get("/v1/alerts", params={"kind": "ufo"}, headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"
