"""Watchlists in the database: lawful entries only, two-person approval, audited changes,
incremental index refresh, and a catalogue that grows without a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.world import World, build_world
from vigil.core.runtime import Runtime
from vigil.governance.models import AuditEntry, LegalBasis
from vigil.screening import service
from vigil.screening.entries import ScreeningRecord

pytestmark = pytest.mark.storage
FUTURE = (datetime.now(UTC) + timedelta(days=365)).isoformat()
WANTED = {
    "entry_id": "W-1",
    "kind": "person",
    "name": "张伟",
    "aliases": ["Chang Wei"],
    "birth_date": "1985-03-09",
    "id_number": "11010519491231002X",
    "basis_reference": "(2026)京0105刑初123号",
    "basis_authority": "Beijing Chaoyang District Court",
    "expires_at": FUTURE,
}


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _propose(world: World, body: dict[str, object], who: str = "analyst") -> int:
    return world.client.post(
        "/v1/screening/watchlist", json=body, headers=world.auth(who)
    ).status_code


def test_addition_needs_a_second_person(world: World) -> None:
    assert _propose(world, WANTED) == 201
    own = world.client.post(
        "/v1/screening/watchlist/W-1/decision",
        json={"approve": True},
        headers=world.auth("analyst"),
    )
    assert own.status_code == 403  # an analyst cannot approve at all
    assert _propose(world, {**WANTED, "entry_id": "W-2"}, who="supervisor") == 201
    self_approval = world.client.post(
        "/v1/screening/watchlist/W-2/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    assert self_approval.status_code == 403 and "two-person" in self_approval.json()["detail"]
    approved = world.client.post(
        "/v1/screening/watchlist/W-1/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    assert approved.json()["status"] == "active"
    with world.runtime.unit_of_work() as session:
        assert session.scalar(
            select(LegalBasis).where(LegalBasis.reference == f"warrant:{WANTED['basis_reference']}")
        )
        changes = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "watchlist_entry")
            .order_by(AuditEntry.id)
        ).all()
        assert changes == ["collect", "collect", "alter"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expires_at": "2020-01-01T00:00:00Z"}, "basis_reference"),
        ({"expires_at": None}, "body"),
        ({"basis_reference": ""}, "basis_reference"),
        ({"id_number": "110105194912310021"}, "id_number"),
    ],
)
def test_unlawful_or_invalid_entries_are_refused_at_entry(
    world: World, change: dict[str, object], field: str
) -> None:
    response = world.client.post(
        "/v1/screening/watchlist", json={**WANTED, **change}, headers=world.auth("analyst")
    )
    assert response.status_code == 422
    assert any(field in e["field"] for e in response.json()["errors"]), response.json()
    with world.runtime.unit_of_work() as session:
        assert service.watchlist_version(session) == 0


def test_index_follows_approvals_and_withdrawals_incrementally(world: World) -> None:
    _propose(world, WANTED)
    record = ScreeningRecord("r1", name="張偉", birth_date="1985-03-09")
    now = datetime.now(UTC)
    state = service.refreshed_state(world.runtime)
    assert state.screen_record(record, now) == []  # pending entries do not match
    world.client.post(
        "/v1/screening/watchlist/W-1/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    state = service.refreshed_state(world.runtime)
    hits = state.screen_record(record, now)
    assert [h.entry_id for h in hits] == ["W-1"]
    assert hits[0].legal_basis == WANTED["basis_reference"]
    assert {"name_match", "birth_date"} <= set(hits[0].explanation)
    world.client.delete("/v1/screening/watchlist/W-1", headers=world.auth("analyst"))
    assert service.refreshed_state(world.runtime).screen_record(record, now) == []


def test_a_warrant_stops_matching_at_its_expiry(world: World) -> None:
    expiry = datetime.now(UTC) + timedelta(days=2)
    _propose(world, {**WANTED, "expires_at": expiry.isoformat()})
    world.client.post(
        "/v1/screening/watchlist/W-1/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    state = service.refreshed_state(world.runtime)
    record = ScreeningRecord("r1", name="Zhang Wei", birth_date="1985-03-09")
    assert state.screen_record(record, expiry - timedelta(hours=1))
    assert state.screen_record(record, expiry + timedelta(seconds=1)) == []


def test_catalogue_addition_refuses_the_very_next_parcel(world: World) -> None:
    with world.runtime.unit_of_work() as session:
        assert (
            service.seed_catalogue(
                session, __import__("vigil.governance.access", fromlist=["x"]).system_context()
            )
            > 10
        )
    check = {"declared_contents": "两盒电子烟油 vape juice", "sender_verified": True}
    before = world.client.post(
        "/v1/screening/parcels/check", json=check, headers=world.auth("officer")
    ).json()
    assert before["decision"] == "cleared"
    added = world.client.post(
        "/v1/screening/banned-items",
        json={
            "item_id": "NEW-001",
            "category": "controlled e-liquids",
            "names_zh": ["电子烟油"],
            "names_en": ["vape juice"],
            "legal_reference": "Notice 2026/17 on e-liquids",
            "effective_from": "2026-01-01",
        },
        headers=world.auth("analyst"),
    )
    assert added.status_code == 201
    after = world.client.post(
        "/v1/screening/parcels/check", json=check, headers=world.auth("officer")
    ).json()
    assert after["decision"] == "refuse" and after["category"] == "controlled e-liquids"
    assert after["catalogue_version"] > before["catalogue_version"]
    with world.runtime.unit_of_work() as session:
        assert (
            session.scalar(select(AuditEntry).where(AuditEntry.object_id == "NEW-001")) is not None
        )


def test_businesses_cannot_touch_screening(world: World) -> None:
    for method, path, body in (
        ("GET", "/v1/screening/watchlist", None),
        ("POST", "/v1/screening/watchlist", WANTED),
        (
            "POST",
            "/v1/screening/parcels/check",
            {"declared_contents": "gun", "sender_verified": True},
        ),
        ("POST", "/v1/screening/banned-items", {"item_id": "x"}),
    ):
        response = world.client.request(
            method,
            path,
            json=body,
            headers=world.auth("hotel_key", "screening", "statute:real-name-registration"),
        )
        assert response.status_code in (403, 422), (path, response.status_code)
        assert response.status_code == 403 or method == "POST"


def test_a_supervisor_of_another_agency_cannot_decide_an_entry(world: World) -> None:
    from tests.world import PASSWORD
    from vigil.governance import service as governance
    from vigil.governance.access import Role, system_context

    with world.runtime.unit_of_work() as session:
        governance.create_user(
            session, system_context(), "supervisor_b", PASSWORD, Role.SUPERVISOR, world.org_ids["B"]
        )
    login = world.client.post(
        "/v1/auth/token", data={"username": "supervisor_b", "password": PASSWORD}
    )
    other = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert _propose(world, WANTED) == 201  # agency A's analyst
    for approve in (True, False):
        refused = world.client.post(
            "/v1/screening/watchlist/W-1/decision", json={"approve": approve}, headers=other
        )
        assert refused.status_code == 403, refused.text
        assert "listing agency" in refused.json()["detail"]
    approved = world.client.post(
        "/v1/screening/watchlist/W-1/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    assert approved.json()["status"] == "active"
