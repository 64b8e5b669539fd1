"""Patrol places with opening hours, crowd CSV imports and plans over the API on both
back-ends: propose (analyst), check, export, approve (another principal, a supervisor),
publish (each unit's assignment recorded), with refusals and the audit trail."""

from __future__ import annotations

import io

import icalendar
import pytest
from sqlalchemy import func, inspect, select

from tests.world import build_world
from vigil.all_models import Base
from vigil.governance.models import AuditEntry
from vigil.patrol.models import PatrolCrowd
from vigil.patrol.plan import PERSON_WORDS

pytestmark = pytest.mark.storage

HOURS = [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]
PLACES = [
    {"name": "人民广场站", "kind": "station", "capacity": 800, "latitude": 31.2330,
     "longitude": 121.4750, "is_key": True, "opening_hours": HOURS},
    {"name": "Old Town Market", "kind": "market", "capacity": 400, "latitude": 31.2270,
     "longitude": 121.4870},
    {"name": "City Hospital", "kind": "hospital", "capacity": 300, "latitude": 31.2200,
     "longitude": 121.4700},
]  # fmt: skip
UNIT = {
    "code": "FOOT-01", "mode": "foot", "capabilities": ["patrol"], "capacity": 2,
    "shift_start": "07:00", "shift_end": "15:00", "home_lat": 31.2300, "home_lon": 121.4760,
}  # fmt: skip


def _setup(w) -> list[int]:
    ids = []
    for body in PLACES:
        r = w.client.post("/v1/patrol/places", json=body, headers=w.auth("analyst"))
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    for code, mode, start, end in (
        ("BIKE-01", "bike", "07:00", "15:00"),
        ("CAR-01", "car", "14:00", "22:00"),
    ):
        body = {**UNIT, "code": code, "mode": mode, "shift_start": start, "shift_end": end}
        r = w.client.post("/v1/units", json=body, headers=w.auth("supervisor"))
        assert r.status_code == 201, r.text
    return ids


def _upload(w, text: str, who: str = "analyst"):
    files = {"file": ("crowd.csv", io.BytesIO(text.encode()), "text/csv")}
    return w.client.post("/v1/patrol/crowd", files=files, headers=w.auth(who))


def test_key_place_keeps_its_hours_and_needs_them(runtime) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/patrol/places", json=PLACES[0], headers=w.auth("analyst"))
    assert r.status_code == 201 and r.json()["is_key"] is True
    assert r.json()["opening_hours"][0] == HOURS[0]
    bad = w.client.post(
        "/v1/patrol/places",
        json={**PLACES[0], "opening_hours": [{"weekday": 0, "opens": "20:00", "closes": "08:00"}]},
        headers=w.auth("analyst"),
    )
    assert bad.status_code == 422 and "opening_hours" in bad.json()["errors"][0]["field"]
    no_hours = w.client.post(
        "/v1/patrol/places", json={**PLACES[0], "opening_hours": []}, headers=w.auth("analyst")
    )
    assert no_hours.status_code == 422


def test_crowd_csv_is_stored_per_band_and_a_person_column_is_refused(runtime) -> None:
    w = build_world(runtime)
    ids = _setup(w)
    ok = _upload(w, f"place,weekday,band,count\n{ids[0]},0,16,120\n{ids[1]},0,17,80\n")
    assert ok.status_code == 201, ok.text
    assert ok.json() == {"rows": 2, "places": 2}
    again = _upload(w, f"place,weekday,band,count\n{ids[0]},0,16,150\n")
    assert again.status_code == 201
    with runtime.unit_of_work() as session:
        rows = {
            (c.place_id, c.weekday, c.band): c.count for c in session.scalars(select(PatrolCrowd))
        }
    assert rows == {(ids[0], 0, 16): 150.0, (ids[1], 0, 17): 80.0}
    named = _upload(w, f"place,weekday,band,count,name\n{ids[0]},0,16,1,Zhang San\n")
    assert named.status_code == 422 and named.json()["errors"][0]["field"] == "name"
    unknown = _upload(w, f"place,weekday,band,count\n{ids[0]},1,1,5\n99999,0,1,5\n")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "place"
    with runtime.unit_of_work() as session:
        assert (
            session.scalar(select(func.count()).select_from(PatrolCrowd)) == 2
        )  # nothing half-stored
    assert _upload(w, "place,weekday,band,count\n", who="auditor").status_code == 403


def test_plan_is_proposed_checked_approved_by_another_and_published(runtime) -> None:
    w = build_world(runtime)
    ids = _setup(w)
    _upload(w, f"place,weekday,band,count\n{ids[1]},0,18,300\n")
    body = {"week": "2026-W50", "time_limit_s": 10, "guards": 0}
    assert (
        w.client.post("/v1/patrol/plans", json=body, headers=w.auth("auditor")).status_code == 403
    )
    bad = w.client.post(
        "/v1/patrol/plans", json={**body, "week": "2026-50"}, headers=w.auth("analyst")
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].endswith("week")
    r = w.client.post("/v1/patrol/plans", json=body, headers=w.auth("analyst"))
    assert r.status_code == 201, r.text
    plan = r.json()
    assert (plan["status"], plan["proposed_by"], plan["units"]) == ("draft", "user:analyst", 2)
    assert plan["places"] == 3 + 2 and plan["visits"] > 0
    url = f"/v1/patrol/plans/{plan['id']}"
    report = w.client.post(f"{url}/check", headers=w.auth("analyst")).json()
    assert report["ok"] is True and report["violations"] == [], report["violations"][:3]
    assert abs(report["objective"] - plan["objective"]) <= 1e-6 * max(1.0, plan["objective"])
    # exports
    exported = w.client.get(f"{url}/export?format=json", headers=w.auth("analyst"))
    assert exported.json()["format"] == "vigil.patrol.plan"
    ics = w.client.get(f"{url}/export?format=ical&unit=BIKE-01", headers=w.auth("analyst"))
    assert ics.status_code == 200 and icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert (
        w.client.get(f"{url}/export?format=ical", headers=w.auth("analyst")).json()["errors"][0][
            "field"
        ]
        == "unit"
    )
    pdf = w.client.get(f"{url}/export?format=pdf&unit=BIKE-01", headers=w.auth("analyst"))
    assert pdf.content.startswith(b"%PDF")
    assert "BIKE-01" in w.client.get(f"{url}/export?format=csv", headers=w.auth("analyst")).text
    # publishing needs approval; the analyst cannot approve; the supervisor can
    assert w.client.post(f"{url}/publish", headers=w.auth("supervisor")).status_code == 409
    assert w.client.post(f"{url}/approve", headers=w.auth("analyst")).status_code == 403
    approved = w.client.post(f"{url}/approve", headers=w.auth("supervisor"))
    assert approved.status_code == 200 and approved.json()["approved_by"] == "user:supervisor"
    published = w.client.post(f"{url}/publish", headers=w.auth("supervisor")).json()
    assert published["status"] == "published"
    assert len(published["assignments"]) == 2
    assert sum(a["visits"] for a in published["assignments"]) == plan["visits"]
    assert w.client.get(url, headers=w.auth("analyst_b")).status_code == 404
    with runtime.unit_of_work() as session:
        actions = [
            (e.action, (e.detail or {}).get("status"))
            for e in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_type == "patrol_plan")
                .order_by(AuditEntry.id)
            )
        ]
    assert actions == [
        ("collect", None),
        ("alter", ["draft", "approved"]),
        ("disclose", ["approved", "published"]),
    ]


def test_the_proposer_may_not_approve_their_own_plan(runtime) -> None:
    w = build_world(runtime)
    _setup(w)
    body = {"week": "2026-W50", "time_limit_s": 5, "guards": 0}
    plan = w.client.post("/v1/patrol/plans", json=body, headers=w.auth("supervisor")).json()
    refused = w.client.post(f"/v1/patrol/plans/{plan['id']}/approve", headers=w.auth("supervisor"))
    assert refused.status_code == 409 and "two-person" in refused.json()["detail"]


def test_no_patrol_table_has_a_person_column(runtime) -> None:
    tables = [t for t in Base.metadata.sorted_tables if t.name.startswith("patrol_")]
    assert {"patrol_place", "patrol_crowd", "patrol_plan", "patrol_plan_unit"} <= {
        t.name for t in tables
    }
    with runtime.engine.connect() as conn:
        inspector = inspect(conn)
        for table in tables:
            for column in inspector.get_columns(table.name):
                assert not any(word in column["name"] for word in PERSON_WORDS), column["name"]


def test_plans_are_listed_newest_first_for_the_agency_only(runtime) -> None:
    w = build_world(runtime)
    _setup(w)
    body = {"week": "2026-W50", "time_limit_s": 5, "guards": 0}
    first = w.client.post("/v1/patrol/plans", json=body, headers=w.auth("analyst")).json()
    second = w.client.post(
        "/v1/patrol/plans", json={**body, "week": "2026-W51"}, headers=w.auth("analyst")
    ).json()
    listed = w.client.get("/v1/patrol/plans", headers=w.auth("supervisor"))
    assert listed.status_code == 200, listed.text
    assert [p["id"] for p in listed.json()] == [second["id"], first["id"]]
    assert listed.json()[1]["week"] == "2026-W50" and listed.json()[1]["status"] == "draft"
    assert w.client.get("/v1/patrol/plans", headers=w.auth("analyst_b")).json() == []
    assert w.client.get("/v1/patrol/plans", headers=w.auth("clerk")).status_code == 403
    assert w.client.get("/v1/patrol/plans?limit=0", headers=w.auth("analyst")).status_code == 422
