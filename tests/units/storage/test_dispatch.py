"""Alert dispatch (the flow on both back-ends): the unit becomes dispatched with an assignment
to the alert, the alert becomes dispatched with the unit as assignee, both audited; and the
nearest units by road for an alert."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.world import build_world
from vigil.alerts import service as alerts
from vigil.alerts.models import Alert
from vigil.alerts.schemas import AlertIn
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry
from vigil.units.models import UnitAssignment
from vigil.units.roads import CITY_CENTRE

pytestmark = pytest.mark.storage

LAT, LON = CITY_CENTRE


def _alert(runtime, organisation_id: int) -> int:
    with runtime.unit_of_work() as session:
        alert = alerts.raise_alert(
            session,
            system_context(),
            AlertIn(
                kind="person",
                score=0.93,
                explanation={},
                sector="hotel",
                submission_id=1,
                legal_basis="warrant 2026-17",
                organisation_id=organisation_id,
            ),
        )
        return alert.id


def _unit(w, code: str, mode: str, lat: float, lon: float, caps=("patrol",)) -> dict:
    body = {
        "code": code,
        "mode": mode,
        "capabilities": list(caps),
        "home_lat": lat,
        "home_lon": lon,
    }
    r = w.client.post("/v1/units", json=body, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    return r.json()


def test_dispatching_an_alert_changes_the_unit_and_the_alert_and_audits_both(runtime) -> None:
    w = build_world(runtime)
    alert_id = _alert(runtime, w.org_ids["A"])
    unit = _unit(w, "CAR-3", "car", LAT + 0.01, LON)
    r = w.client.post(
        f"/v1/alerts/{alert_id}/dispatch",
        json={"unit_id": unit["id"], "note": "check the lobby"},
        headers=w.auth("officer"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["unit"]["status"] == "dispatched" and body["alert_status"] == "dispatched"
    assert body["assignment"]["subject_type"] == "alert"
    assert body["assignment"]["subject_id"] == str(alert_id)
    with runtime.unit_of_work() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        assert (alert.status, alert.assignee) == ("dispatched", "unit:CAR-3")
        assert alert.dispatched_at is not None and "unit CAR-3 dispatched" in alert.note
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "alter").order_by(AuditEntry.id)
        ).all()
        by_type = {(e.object_type, e.object_id): e for e in entries}
        unit_entry = by_type[("unit", str(unit["id"]))]
        assert unit_entry.detail["status"] == ["available", "dispatched"]
        assert unit_entry.detail["to"] == f"alert:{alert_id}"
        assert by_type[("alert", str(alert_id))].detail["status"] == "dispatched"
        assert {e.actor for e in entries} == {"user:officer"}

    # a second unit may join; a busy unit may not be sent again
    second = _unit(w, "FOOT-2", "foot", LAT, LON)
    again = w.client.post(
        f"/v1/alerts/{alert_id}/dispatch",
        json={"unit_id": second["id"]},
        headers=w.auth("supervisor"),
    )
    assert again.status_code == 200, again.text
    busy = w.client.post(
        f"/v1/alerts/{alert_id}/dispatch", json={"unit_id": unit["id"]}, headers=w.auth("officer")
    )
    assert busy.status_code == 409 and "not available" in busy.json()["detail"]

    # the unit arrives, then clears: its assignment is released
    url = f"/v1/units/{unit['id']}/status"
    for status in ("en_route", "on_scene", "available"):
        assert w.client.post(url, json={"status": status}, headers=w.auth("officer")).is_success
    with runtime.unit_of_work() as session:
        assignments = session.scalars(select(UnitAssignment).order_by(UnitAssignment.id)).all()
        assert [a.released_at is not None for a in assignments] == [True, False]


def test_a_resolved_alert_takes_no_unit_and_nothing_changes(runtime) -> None:
    w = build_world(runtime)
    alert_id = _alert(runtime, w.org_ids["A"])
    unit = _unit(w, "BIKE-1", "bike", LAT, LON)
    resolve = {"action": "resolve", "resolution": "false_positive"}
    assert w.client.post(
        f"/v1/alerts/{alert_id}/transitions", json=resolve, headers=w.auth("officer")
    ).is_success
    r = w.client.post(
        f"/v1/alerts/{alert_id}/dispatch", json={"unit_id": unit["id"]}, headers=w.auth("officer")
    )
    assert r.status_code == 409
    assert (
        w.client.get(f"/v1/units/{unit['id']}", headers=w.auth("officer")).json()["status"]
        == "available"
    )


def test_other_agencies_and_unknown_ids_are_not_found(runtime) -> None:
    w = build_world(runtime)
    alert_id = _alert(runtime, w.org_ids["A"])
    other_alert = _alert(runtime, w.org_ids["B"])
    unit = _unit(w, "CAR-1", "car", LAT, LON)
    cases = [(other_alert, unit["id"]), (alert_id, 999), (9999, unit["id"])]
    for a, u in cases:
        r = w.client.post(
            f"/v1/alerts/{a}/dispatch", json={"unit_id": u}, headers=w.auth("officer")
        )
        assert r.status_code == 404, r.text
    with runtime.unit_of_work() as session:
        assert session.scalars(select(UnitAssignment)).all() == []
        alert = session.get(Alert, alert_id)
        assert alert is not None and alert.status == "new"


@pytest.mark.parametrize("who", ["auditor", "admin", "hotel_key"])
def test_roles_that_do_not_work_alerts_may_not_dispatch(runtime, who) -> None:
    w = build_world(runtime)
    alert_id = _alert(runtime, w.org_ids["A"])
    unit = _unit(w, "CAR-1", "car", LAT, LON)
    r = w.client.post(
        f"/v1/alerts/{alert_id}/dispatch", json={"unit_id": unit["id"]}, headers=w.auth(who)
    )
    assert r.status_code == 403, r.text
    near = w.client.get(f"/v1/alerts/{alert_id}/units?lat={LAT}&lon={LON}", headers=w.auth(who))
    assert near.status_code == 403
    assert (
        w.client.get(f"/v1/units/{unit['id']}", headers=w.auth("officer")).json()["status"]
        == "available"
    )


def test_dispatch_body_and_location_get_field_level_422s(runtime) -> None:
    w = build_world(runtime)
    alert_id = _alert(runtime, w.org_ids["A"])
    for body, field in [
        ({"unit_id": 0}, "unit_id"),
        ({}, "unit_id"),
        ({"unit_id": 1, "officer": "x"}, "officer"),
    ]:
        r = w.client.post(f"/v1/alerts/{alert_id}/dispatch", json=body, headers=w.auth("officer"))
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == [field]
    r = w.client.get(f"/v1/alerts/{alert_id}/units?lat={LAT}", headers=w.auth("officer"))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["lon"]
    assert "alerts carry no location" in r.json()["errors"][0]["message"]
    r = w.client.get(f"/v1/units/recommend?lat=95&lon={LON}", headers=w.auth("officer"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lat"


def test_nearest_units_by_road_for_an_alert(runtime) -> None:
    """On the demo streets: only available units with the capability, fastest first."""
    w = build_world(runtime)
    alert_id = _alert(runtime, w.org_ids["A"])
    near_foot = _unit(w, "FOOT-1", "foot", LAT + 0.004, LON)  # ~450 m on foot: ~6 min
    car = _unit(w, "CAR-1", "car", LAT + 0.02, LON)  # ~2.2 km by car: a few minutes
    far_car = _unit(w, "CAR-2", "car", LAT + 0.06, LON + 0.05)
    k9 = _unit(w, "K9-1", "car", LAT + 0.05, LON, caps=("patrol", "k9"))
    busy = _unit(w, "CAR-9", "car", LAT + 0.001, LON)
    w.client.post(
        f"/v1/units/{busy['id']}/status",
        json={"status": "out_of_service"},
        headers=w.auth("officer"),
    )
    r = w.client.get(
        f"/v1/alerts/{alert_id}/units?lat={LAT}&lon={LON}&k=4", headers=w.auth("officer")
    )
    assert r.status_code == 200, r.text
    picks = r.json()
    codes = [p["unit"]["code"] for p in picks]
    assert sorted(codes) == sorted(u["code"] for u in (near_foot, car, far_car, k9))
    times = [p["travel_seconds"] for p in picks]
    assert times == sorted(times) and times[0] > 0
    assert codes.index("CAR-1") < codes.index("CAR-2")
    only_k9 = w.client.get(
        f"/v1/units/recommend?lat={LAT}&lon={LON}&capability=k9", headers=w.auth("officer")
    ).json()
    assert [p["unit"]["code"] for p in only_k9] == ["K9-1"]
