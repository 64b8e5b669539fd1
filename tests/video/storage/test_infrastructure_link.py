"""A camera that guards an infrastructure asset: its intrusion events open an incident at the
asset (with the infrastructure alert), once per event, through vigil.flows.video_events."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.video.sources import source_key
from tests.video.storage.test_events import _camera
from tests.world import add_user, build_world
from vigil.alerts.models import Alert
from vigil.core.runtime import Runtime
from vigil.governance.access import Role
from vigil.infrastructure.models import InfraAsset, InfraSensorEvent
from vigil.response.models import ResponseIncident

pytestmark = pytest.mark.storage

PUMP = {
    "external_id": "pump-7",
    "name": "Pumping station 7",
    "kind": "water",
    "subtype": "pumping_station",
    "operator": "City Water Utility",
    "latitude": 31.23,
    "longitude": 121.47,
}


def _event(camera: str, source_event_id: str, kind: str = "intrusion") -> dict:
    return {
        "source": "webhook",
        "camera": camera,
        "source_event_id": source_event_id,
        "kind": kind,
        "zone": "perimeter",
        "label": "person",
        "started_at": "2026-11-30T02:14:00+00:00",
    }


def _counts(runtime: Runtime) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        return {
            name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in (
                ("incidents", ResponseIncident),
                ("sensor_events", InfraSensorEvent),
                ("alerts", Alert),
            )
        }


def test_an_intrusion_on_a_guarding_camera_opens_one_incident_at_the_asset(
    runtime: Runtime,
) -> None:
    w = build_world(runtime)
    added = w.client.post(
        "/v1/infrastructure/assets", json={"assets": [PUMP]}, headers=w.auth("analyst")
    )
    assert added.status_code == 201, added.text
    with runtime.unit_of_work() as session:
        asset_id = session.scalar(select(InfraAsset.id).where(InfraAsset.external_id == "pump-7"))
    gate = _camera(runtime, "gate", org=w.org_ids["A"])
    _camera(runtime, "lobby", org=w.org_ids["A"])  # guards nothing

    # an asset that is not the agency's is a field error, and nothing changes
    r = w.client.put(
        f"/v1/video/cameras/{gate}/asset", json={"asset_id": 999999}, headers=w.auth("supervisor")
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "asset_id"
    r = w.client.put(
        f"/v1/video/cameras/{gate}/asset",
        json={"asset_id": asset_id},
        headers=w.auth("supervisor"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["infrastructure_asset_id"] == asset_id

    before = _counts(runtime)
    post = w.client.post(
        "/v1/video/events/webhook",
        json=[
            _event("gate", "ev-1"),
            _event("gate", "ev-2", kind="loitering"),  # not a perimeter breach
            _event("lobby", "ev-3"),  # a camera that guards no asset
        ],
        headers=w.auth(source_key(w)),
    )
    assert post.status_code == 200, post.text
    assert len(post.json()["incidents"]) == 1
    after = _counts(runtime)
    assert after["incidents"] == before["incidents"] + 1
    assert after["sensor_events"] == before["sensor_events"] + 1
    with runtime.unit_of_work() as session:
        incident = session.get(ResponseIncident, post.json()["incidents"][0])
        assert incident is not None and incident.type == "intrusion"
        assert "Pumping station 7" in incident.summary and "video.gate" in incident.summary
        stored = session.scalars(select(InfraSensorEvent)).one()
        assert stored.kind == "intrusion" and stored.source == "video.gate"

    # the same event again (a redelivery) stores nothing and opens nothing
    again = w.client.post(
        "/v1/video/events/webhook", json=[_event("gate", "ev-1")], headers=w.auth(source_key(w))
    )
    assert again.status_code == 200 and again.json()["incidents"] == []
    assert _counts(runtime) == after

    # unlinked, a new intrusion is a video alert only
    r = w.client.put(
        f"/v1/video/cameras/{gate}/asset", json={"asset_id": None}, headers=w.auth("supervisor")
    )
    assert r.status_code == 200 and r.json()["infrastructure_asset_id"] is None
    w.client.post(
        "/v1/video/events/webhook", json=[_event("gate", "ev-4")], headers=w.auth(source_key(w))
    )
    assert _counts(runtime)["incidents"] == after["incidents"]


def test_another_agency_cannot_link_a_camera_to_its_assets(runtime: Runtime) -> None:
    w = build_world(runtime)
    w.client.post("/v1/infrastructure/assets", json={"assets": [PUMP]}, headers=w.auth("analyst"))
    with runtime.unit_of_work() as session:
        asset_id = session.scalar(select(InfraAsset.id))
    yard = _camera(runtime, "yard", org=w.org_ids["B"])  # agency B's camera, A's asset
    add_user(w, "supervisor_b", Role.SUPERVISOR, "B")
    r = w.client.put(
        f"/v1/video/cameras/{yard}/asset",
        json={"asset_id": asset_id},
        headers=w.auth("supervisor_b"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "asset_id"
    gate = _camera(runtime, "gate", org=w.org_ids["A"])  # and A's camera is not B's to link
    r = w.client.put(
        f"/v1/video/cameras/{gate}/asset", json={"asset_id": None}, headers=w.auth("supervisor_b")
    )
    assert r.status_code == 404
