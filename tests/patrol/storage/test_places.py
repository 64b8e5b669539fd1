"""Patrol places: the smallest slice of the patrol domain, on both back-ends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.world import build_world
from vigil.governance.models import AuditEntry

pytestmark = pytest.mark.storage

STATION = {
    "name": "People's Square metro",
    "kind": "station",
    "capacity": 40000,
    "latitude": 31.2323,
    "longitude": 121.4720,
}


def test_create_then_list_places_of_own_organisation(runtime) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/patrol/places", json=STATION, headers=w.auth("analyst"))
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["name"] == STATION["name"] and created["capacity"] == 40000
    cell = "87309959dffffff"
    market = {"name": "Yuyuan market", "kind": "market", "capacity": 8000, "h3_cell": cell}
    assert w.client.post("/v1/patrol/places", json=market, headers=w.auth("supervisor")).is_success
    # Agency B sees none of agency A's places.
    other = {**STATION, "name": "B's own square", "kind": "square"}
    assert w.client.post("/v1/patrol/places", json=other, headers=w.auth("analyst_b")).is_success

    listed = w.client.get("/v1/patrol/places", headers=w.auth("officer"))
    assert listed.status_code == 200, listed.text
    assert [p["name"] for p in listed.json()] == [STATION["name"], "Yuyuan market"]
    assert listed.json()[1]["h3_cell"] == cell
    with runtime.unit_of_work() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "patrol_place")
        ).all()
    assert sorted(e.action for e in entries) == ["collect"] * 3
    assert str(created["id"]) in {e.object_id for e in entries}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**STATION, "capacity": 0}, "capacity"),
        ({**STATION, "kind": "moon"}, "kind"),
        ({**STATION, "latitude": 95.0}, "latitude"),
        ({"name": "X", "kind": "square", "capacity": 10, "h3_cell": "not-a-cell"}, "h3_cell"),
    ],
)
def test_bad_input_gets_a_field_level_422(runtime, body, field) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/patrol/places", json=body, headers=w.auth("analyst"))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert w.client.get("/v1/patrol/places", headers=w.auth("analyst")).json() == []


def test_place_without_location_is_refused(runtime) -> None:
    w = build_world(runtime)
    body = {"name": "Nowhere", "kind": "other", "capacity": 5}
    r = w.client.post("/v1/patrol/places", json=body, headers=w.auth("analyst"))
    assert r.status_code == 422
    assert "h3_cell or latitude and longitude" in r.text


@pytest.mark.parametrize("who", ["auditor", "admin", "hotel_key"])
def test_roles_without_patrol_rights_are_refused(runtime, who) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/patrol/places", json=STATION, headers=w.auth(who))
    assert r.status_code == 403, r.text
    assert w.client.get("/v1/patrol/places", headers=w.auth(who)).status_code == 403
    assert w.client.get("/v1/patrol/places", headers=w.auth("analyst")).json() == []
