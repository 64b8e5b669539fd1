"""Units on a published plan go on patrol at their shift's start and back to available at its
end, through the units registry and audited, as a moved clock passes the shifts; a status set
by hand outside a shift, or out of service, is left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from tests.world import build_world
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry
from vigil.patrol import service
from vigil.units.models import Unit

pytestmark = pytest.mark.storage

CHINA = timezone(timedelta(hours=8))
# week 50 two years from today: a status set by hand "now" is always before the plan's week
MONDAY = datetime.fromisocalendar(datetime.now(CHINA).year + 2, 50, 1).replace(tzinfo=CHINA)
WEEK = f"{MONDAY.year}-W50"
PLACES = [
    {"name": "人民广场站", "kind": "station", "capacity": 800, "latitude": 31.2330,
     "longitude": 121.4750},
    {"name": "Old Town Market", "kind": "market", "capacity": 400, "latitude": 31.2270,
     "longitude": 121.4870},
]  # fmt: skip
UNIT = {
    "mode": "bike", "capabilities": ["patrol"], "capacity": 1,
    "home_lat": 31.2300, "home_lon": 121.4760,
}  # fmt: skip


def _published_plan(w) -> None:
    for body in PLACES:
        r = w.client.post("/v1/patrol/places", json=body, headers=w.auth("analyst"))
        assert r.status_code == 201, r.text
    for code, start, end in (("BIKE-01", "07:00", "15:00"), ("BIKE-02", "14:00", "22:00")):
        body = {**UNIT, "code": code, "shift_start": start, "shift_end": end}
        r = w.client.post("/v1/units", json=body, headers=w.auth("supervisor"))
        assert r.status_code == 201, r.text
    body = {"week": WEEK, "time_limit_s": 10, "guards": 0}
    r = w.client.post("/v1/patrol/plans", json=body, headers=w.auth("analyst"))
    assert r.status_code == 201, r.text
    url = f"/v1/patrol/plans/{r.json()['id']}"
    assert w.client.post(f"{url}/approve", headers=w.auth("supervisor")).status_code == 200
    assert w.client.post(f"{url}/publish", headers=w.auth("supervisor")).status_code == 200


def _utc_minute(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def _statuses(runtime) -> dict[str, str]:
    with runtime.unit_of_work() as session:
        return {u.code: u.status for u in session.scalars(select(Unit))}


def _tick(runtime, monkeypatch, at: datetime) -> service.ShiftChanges:
    """Move the clock to `at` and run the shift job as Vigil's own job would."""
    monkeypatch.setattr(service, "utcnow", lambda: at)
    with runtime.unit_of_work() as session:
        return service.apply_shifts(session, system_context())


def test_units_go_on_patrol_at_shift_start_and_back_at_its_end(runtime, monkeypatch) -> None:
    w = build_world(runtime)
    _published_plan(w)
    assert _statuses(runtime) == {"BIKE-01": "available", "BIKE-02": "available"}

    before = _tick(runtime, monkeypatch, MONDAY + timedelta(hours=6, minutes=59))
    assert (before.started, before.ended) == ([], [])
    start = _tick(runtime, monkeypatch, MONDAY + timedelta(hours=7))
    assert (start.started, start.ended) == (["BIKE-01"], [])
    assert _statuses(runtime) == {"BIKE-01": "on_patrol", "BIKE-02": "available"}
    again = _tick(runtime, monkeypatch, MONDAY + timedelta(hours=7, minutes=5))
    assert (again.started, again.ended) == ([], [])  # nothing twice

    overlap = _tick(runtime, monkeypatch, MONDAY + timedelta(hours=14, minutes=30))
    assert (overlap.started, overlap.ended) == (["BIKE-02"], [])
    end = _tick(runtime, monkeypatch, MONDAY + timedelta(hours=15))
    assert (end.started, end.ended) == ([], ["BIKE-01"])
    assert _statuses(runtime) == {"BIKE-01": "available", "BIKE-02": "on_patrol"}

    with runtime.unit_of_work() as session:
        ids = {u.code: u.id for u in session.scalars(select(Unit))}
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "unit", AuditEntry.object_id == str(ids["BIKE-01"]))
            .order_by(AuditEntry.id)
        ).all()
    by_plan = [e for e in entries if {"patrol_plan", "status"} <= set(e.detail or {})]
    assert [e.detail["status"] for e in by_plan] == [
        ["available", "on_patrol"],
        ["on_patrol", "available"],
    ]
    shift_start, shift_end = MONDAY + timedelta(hours=7), MONDAY + timedelta(hours=15)
    assert by_plan[0].detail["shift_start"].startswith(_utc_minute(shift_start))
    assert by_plan[1].detail["shift_end"].startswith(_utc_minute(shift_end))
    assert all(e.actor == "system" for e in by_plan)


def test_a_hand_set_status_and_out_of_service_are_left_alone(runtime, monkeypatch) -> None:
    w = build_world(runtime)
    _published_plan(w)
    with runtime.unit_of_work() as session:
        ids = {u.code: u.id for u in session.scalars(select(Unit))}
    # set on patrol by hand now (before the plan's week): no shift of the plan began it
    r = w.client.post(
        f"/v1/units/{ids['BIKE-01']}/status",
        json={"status": "on_patrol", "reason": "extra round"},
        headers=w.auth("officer"),
    )
    assert r.status_code == 200, r.text
    after = _tick(runtime, monkeypatch, MONDAY + timedelta(hours=23))
    assert after.ended == [] and _statuses(runtime)["BIKE-01"] == "on_patrol"
    # a unit out of service when its shift starts stays so
    r = w.client.post(
        f"/v1/units/{ids['BIKE-02']}/status",
        json={"status": "out_of_service", "reason": "flat tyre"},
        headers=w.auth("officer"),
    )
    assert r.status_code == 200, r.text
    shift = _tick(runtime, monkeypatch, MONDAY + timedelta(days=1, hours=14))
    assert shift.started == [] and _statuses(runtime)["BIKE-02"] == "out_of_service"
