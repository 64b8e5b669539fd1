"""The unit registry on both back-ends: registration, status transitions, AVL fixes over the
API, and the audit entry that goes with each change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select

from tests.world import build_world
from vigil.all_models import Base
from vigil.governance.models import AuditEntry
from vigil.units.models import UnitPosition
from vigil.units.service import TRANSITIONS

pytestmark = pytest.mark.storage

FOOT = {
    "code": "FOOT-07",
    "mode": "foot",
    "capabilities": ["patrol"],
    "capacity": 2,
    "shift_start": "07:00",
    "shift_end": "19:00",
    "home_lat": 31.2304,
    "home_lon": 121.4737,
}


def _audit(runtime, unit_id: int) -> list[AuditEntry]:
    with runtime.unit_of_work() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_type == "unit", AuditEntry.object_id == str(unit_id))
                .order_by(AuditEntry.id)
            )
        )


def test_register_list_and_agencies_see_only_their_own(runtime) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/units", json=FOOT, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    unit = r.json()
    assert (unit["code"], unit["status"], unit["latitude"]) == ("FOOT-07", "available", None)
    car = {**FOOT, "code": "CAR-1", "mode": "car", "capabilities": ["tactical", "patrol"]}
    assert w.client.post("/v1/units", json=car, headers=w.auth("supervisor")).status_code == 201
    listed = w.client.get("/v1/units", headers=w.auth("officer")).json()
    assert [u["code"] for u in listed] == ["CAR-1", "FOOT-07"]
    assert listed[0]["capabilities"] == ["patrol", "tactical"]
    tactical = w.client.get("/v1/units?capability=tactical", headers=w.auth("officer")).json()
    assert [u["code"] for u in tactical] == ["CAR-1"]
    assert w.client.get("/v1/units", headers=w.auth("analyst_b")).json() == []
    other = w.client.get(f"/v1/units/{unit['id']}", headers=w.auth("analyst_b"))
    assert other.status_code == 404
    again = w.client.post("/v1/units", json=FOOT, headers=w.auth("supervisor"))
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "code"
    assert [e.action for e in _audit(runtime, unit["id"])] == ["collect"]


def test_status_follows_the_allowed_transitions_and_each_change_is_audited(runtime) -> None:
    w = build_world(runtime)
    unit = w.client.post("/v1/units", json=FOOT, headers=w.auth("supervisor")).json()
    url = f"/v1/units/{unit['id']}/status"
    for status in ("on_patrol", "off_duty", "available", "out_of_service"):
        r = w.client.post(url, json={"status": status}, headers=w.auth("officer"))
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
    refused = w.client.post(url, json={"status": "on_scene"}, headers=w.auth("officer"))
    assert refused.status_code == 409
    assert "may become: available, off_duty" in refused.json()["detail"]
    # dispatching goes through an assignment, never a bare status change
    w.client.post(url, json={"status": "available"}, headers=w.auth("officer"))
    bare = w.client.post(url, json={"status": "dispatched"}, headers=w.auth("officer"))
    assert bare.status_code == 422 and bare.json()["errors"][0]["field"] == "status"
    entries = _audit(runtime, unit["id"])
    changes = [e.detail["status"] for e in entries if e.action == "alter"]
    assert changes == [
        ["available", "on_patrol"],
        ["on_patrol", "off_duty"],
        ["off_duty", "available"],
        ["available", "out_of_service"],
        ["out_of_service", "available"],
    ]
    final = w.client.get(f"/v1/units/{unit['id']}", headers=w.auth("officer")).json()
    assert final["status"] == "available"


def test_every_status_may_be_left_and_reached() -> None:
    statuses = set(TRANSITIONS)
    assert all(TRANSITIONS[s] <= statuses and s not in TRANSITIONS[s] for s in statuses)
    assert set().union(*TRANSITIONS.values()) == statuses


def test_avl_fixes_are_idempotent_and_older_ones_do_not_move_the_unit(runtime) -> None:
    w = build_world(runtime)
    unit = w.client.post("/v1/units", json=FOOT, headers=w.auth("supervisor")).json()
    url = f"/v1/units/{unit['id']}/positions"
    t0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    fixes = [
        {"lat": 31.231, "lon": 121.474, "at": t0.isoformat()},
        {"lat": 31.232, "lon": 121.475, "at": (t0 + timedelta(seconds=10)).isoformat()},
    ]
    first = w.client.post(url, json={"fixes": fixes}, headers=w.auth("officer"))
    assert first.status_code == 200, first.text
    assert first.json() == {"applied": 2, "stale": 0, "duplicate": 0, "unknown_unit": 0}
    again = w.client.post(url, json={"fixes": fixes}, headers=w.auth("officer"))
    assert again.json() == {"applied": 0, "stale": 0, "duplicate": 2, "unknown_unit": 0}
    late = {"lat": 31.0, "lon": 121.0, "at": (t0 + timedelta(seconds=5)).isoformat()}
    r = w.client.post(url, json={"fixes": [late]}, headers=w.auth("officer"))
    assert r.json() == {"applied": 0, "stale": 1, "duplicate": 0, "unknown_unit": 0}
    now = w.client.get(f"/v1/units/{unit['id']}", headers=w.auth("officer")).json()
    assert (now["latitude"], now["longitude"]) == (31.232, 121.475)
    assert datetime.fromisoformat(now["position_at"]) == t0 + timedelta(seconds=10)
    with runtime.unit_of_work() as session:
        stored = session.scalar(select(func.count()).select_from(UnitPosition))
    assert stored == 3
    moves = [e.detail for e in _audit(runtime, unit["id"]) if "position" in (e.detail or {})]
    assert [m["applied"] for m in moves] == [True, True, False]
    assert {m["source"] for m in moves} == {"api"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**FOOT, "code": "Zhang Wei"}, "code"),
        ({**FOOT, "code": "张伟"}, "code"),
        ({**FOOT, "mode": "horse"}, "mode"),
        ({**FOOT, "capabilities": ["fire", "fire"]}, "capabilities"),
        ({**FOOT, "capabilities": ["mind_reading"]}, "capabilities.0"),
        ({**FOOT, "shift_start": "25:00"}, "shift_start"),
        ({**FOOT, "home_lat": 91}, "home_lat"),
        ({**FOOT, "speed_kph": 0}, "speed_kph"),
        ({**FOOT, "officer_name": "Li Na"}, "officer_name"),
    ],
)
def test_bad_units_get_a_field_level_422_and_nothing_is_stored(runtime, body, field) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/units", json=body, headers=w.auth("supervisor"))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert w.client.get("/v1/units", headers=w.auth("supervisor")).json() == []


def test_bad_fixes_get_field_level_422s(runtime) -> None:
    w = build_world(runtime)
    unit = w.client.post("/v1/units", json=FOOT, headers=w.auth("supervisor")).json()
    url = f"/v1/units/{unit['id']}/positions"
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    cases = [
        ({"fixes": [{"lat": 31.2, "lon": 121.4, "at": "2026-12-06T08:00:00"}]}, "fixes.0.at"),
        ({"fixes": [{"lat": 31.2, "lon": 200, "at": "2026-12-06T08:00:00Z"}]}, "fixes.0.lon"),
        ({"fixes": [{"lat": 31.2, "lon": 121.4, "at": future}]}, "fixes.0.at"),
        ({"fixes": []}, "fixes"),
    ]
    for body, field in cases:
        r = w.client.post(url, json=body, headers=w.auth("officer"))
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == [field]
    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(UnitPosition)) == 0


@pytest.mark.parametrize("who", ["auditor", "admin", "hotel_key"])
def test_roles_without_unit_rights_are_refused(runtime, who) -> None:
    w = build_world(runtime)
    assert w.client.post("/v1/units", json=FOOT, headers=w.auth(who)).status_code == 403
    assert w.client.get("/v1/units", headers=w.auth(who)).status_code == 403


def test_officers_and_analysts_may_not_register_units(runtime) -> None:
    w = build_world(runtime)
    for who in ("officer", "analyst"):
        assert w.client.post("/v1/units", json=FOOT, headers=w.auth(who)).status_code == 403
    assert w.client.get("/v1/units", headers=w.auth("supervisor")).json() == []


PERSONAL_COLUMNS = {
    "name",
    "first_name",
    "last_name",
    "surname",
    "officer",
    "officer_name",
    "person_id",
    "id_number",
    "id_hash",
    "phone",
    "email",
    "birth_date",
    "address",
    "badge_number",
    "assigned_by",
    "dispatcher",
}


def test_no_unit_table_holds_a_person(runtime) -> None:
    """The unit tables, as migrated, have no column that could name or identify a person."""
    unit_tables = [t for t in Base.metadata.tables if t.startswith("unit")]
    assert set(unit_tables) == {"unit", "unit_position", "unit_assignment"}
    with runtime.engine.connect() as conn:
        inspector = inspect(conn)
        for table in unit_tables:
            columns = {c["name"] for c in inspector.get_columns(table)}
            assert columns, table
            assert not columns & PERSONAL_COLUMNS, (table, columns & PERSONAL_COLUMNS)
            assert not any("person" in c or "name" in c for c in columns), (table, columns)


def test_retention_deletes_the_old_track_and_keeps_the_position(runtime) -> None:
    from vigil import domains
    from vigil.governance.access import system_context
    from vigil.governance.retention import apply_retention

    w = build_world(runtime)
    unit = w.client.post("/v1/units", json=FOOT, headers=w.auth("supervisor")).json()
    old = datetime(2025, 1, 1, tzinfo=UTC)
    fixes = [
        {"lat": 31.2, "lon": 121.4, "at": old.isoformat()},
        {"lat": 31.3, "lon": 121.5, "at": (old + timedelta(days=400)).isoformat()},
    ]
    w.client.post(
        f"/v1/units/{unit['id']}/positions", json={"fixes": fixes}, headers=w.auth("officer")
    )
    with runtime.unit_of_work() as session:
        [result] = [
            r
            for r in apply_retention(
                session,
                system_context(),
                domains.retention_rules(),
                {"unit_position": 90},
                old + timedelta(days=420),
            )
            if r.record_type == "unit_position"
        ]
        assert result.affected == 1
    with runtime.unit_of_work() as session:
        kept = session.scalars(select(UnitPosition.recorded_at)).all()
        assert kept == [old + timedelta(days=400)]
    now = w.client.get(f"/v1/units/{unit['id']}", headers=w.auth("officer")).json()
    assert (now["latitude"], now["longitude"]) == (31.3, 121.5)
    erased = [e for e in _audit_of(runtime, "unit_position") if e.action == "erase"]
    assert len(erased) == 1 and erased[0].detail["count"] == 1


def _audit_of(runtime, object_type: str) -> list[AuditEntry]:
    with runtime.unit_of_work() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.object_type == object_type))
        )


def test_a_supervisor_updates_a_unit_and_the_change_is_audited(runtime) -> None:
    w = build_world(runtime)
    unit = w.client.post("/v1/units", json={**FOOT, "speed_kph": 6}, headers=w.auth("supervisor"))
    url = f"/v1/units/{unit.json()['id']}"
    change = {
        "mode": "bike",
        "capabilities": ["traffic", "patrol"],
        "speed_kph": None,
        "shift_end": "21:00",
    }
    r = w.client.patch(url, json=change, headers=w.auth("supervisor"))
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["mode"], got["capabilities"], got["speed_kph"], got["shift_end"]) == (
        "bike",
        ["patrol", "traffic"],
        None,
        "21:00",
    )
    assert got["shift_start"] == "07:00" and got["home_lat"] == FOOT["home_lat"]
    [entry] = [e for e in _audit(runtime, got["id"]) if e.action == "alter"]
    assert entry.detail["changed"]["mode"] == ["foot", "bike"]
    assert entry.detail["changed"]["speed_kph"] == [6.0, None]
    assert w.client.patch(url, json={"mode": "car"}, headers=w.auth("officer")).status_code == 403
    for body, field in [
        ({"home_lat": 31.0}, "body"),
        ({"capacity": 0}, "capacity"),
        ({"code": "X-1"}, "code"),
        ({"status": "available"}, "status"),
    ]:
        bad = w.client.patch(url, json=body, headers=w.auth("supervisor"))
        assert bad.status_code == 422, bad.text
        assert bad.json()["errors"][0]["field"] == field
    assert w.client.get(url, headers=w.auth("officer")).json()["mode"] == "bike"
