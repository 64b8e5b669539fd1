"""Sensor events become stored events and alerts for the asset's agency, once: over the real
MQTT broker (127.0.0.1:1883) and over the webhook."""

from __future__ import annotations

import json
import threading
import uuid

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select

from tests.world import build_world
from vigil.alerts.models import Alert
from vigil.flows.sensor_events import listen
from vigil.infrastructure.models import InfraSensorEvent
from vigil.response.models import ResponseIncident, ResponseTimelineEntry

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


def _counts(runtime) -> tuple[int, int]:
    with runtime.unit_of_work() as session:
        events = session.scalar(select(func.count()).select_from(InfraSensorEvent))
        alerts = session.scalar(select(func.count()).select_from(Alert))
    return int(events or 0), int(alerts or 0)


def _event(event_id: str) -> dict:
    return {
        "source": "perimeter-gw-1",
        "event_id": event_id,
        "asset": "pump-7",
        "kind": "intrusion",
        "severity": "critical",
        "observed_at": "2026-03-01T02:14:00Z",
        "detail": {"zone": "north fence"},
    }


def test_one_mqtt_message_gives_one_event_and_one_alert_and_a_repeat_nothing(runtime) -> None:
    """Issue #22's sensor to unit: one incident with its timeline and a recommended unit."""
    w = build_world(runtime)
    added = w.client.post(
        "/v1/infrastructure/assets", json={"assets": [PUMP]}, headers=w.auth("analyst")
    )
    assert added.status_code == 201, added.text
    car = {
        "code": "CAR-1",
        "mode": "car",
        "capabilities": ["patrol"],
        "home_lat": PUMP["latitude"] + 0.01,
        "home_lon": PUMP["longitude"],
    }
    assert w.client.post("/v1/units", json=car, headers=w.auth("supervisor")).status_code == 201
    topic = f"vigil-test/{uuid.uuid4().hex}/events"
    ready, stop = threading.Event(), threading.Event()
    result: dict = {}

    def run() -> None:
        result["stats"] = listen(runtime, topic=topic, max_messages=2, ready=ready, stop=stop)

    listener = threading.Thread(target=run, daemon=True)
    listener.start()
    assert ready.wait(10), "the listener did not subscribe"

    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    payload = json.dumps(_event(uuid.uuid4().hex))
    try:
        for _ in range(2):  # the same message twice, as a redelivery would
            publisher.publish(topic, payload, qos=1).wait_for_publish(5)
        listener.join(20)
    finally:
        stop.set()
        publisher.loop_stop()
        publisher.disconnect()
    assert not listener.is_alive()
    stats = result["stats"]
    assert (stats.received, stats.stored, stats.duplicates, stats.alerts) == (2, 1, 1, 1)
    assert stats.incidents == 1
    assert _counts(runtime) == (1, 1)
    with runtime.unit_of_work() as session:
        incident = session.scalars(select(ResponseIncident)).one()
        kinds = [e.kind for e in session.scalars(select(ResponseTimelineEntry))]
        recommended = session.scalars(
            select(ResponseTimelineEntry).where(ResponseTimelineEntry.kind == "units_recommended")
        ).one()
    assert incident.type == "intrusion" and incident.organisation_id == w.org_ids["A"]
    assert incident.source == "infrastructure_event" and kinds == ["opened", "units_recommended"]
    assert [u["unit_code"] for u in recommended.detail["units"]] == ["CAR-1"]
    with runtime.unit_of_work() as session:
        alert = session.scalars(select(Alert)).one()
        assert alert.kind == "infrastructure" and alert.organisation_id == w.org_ids["A"]
        assert alert.person_id is None and "Pumping station 7" in alert.summary


def test_webhook_is_idempotent_and_names_bad_fields(runtime) -> None:
    w = build_world(runtime)
    w.client.post("/v1/infrastructure/assets", json={"assets": [PUMP]}, headers=w.auth("analyst"))
    event = _event("evt-1")
    first = w.client.post(
        "/v1/infrastructure/sensor-events", json=[event], headers=w.auth("officer")
    )
    assert first.status_code == 200, first.text
    assert len(first.json()["stored"]) == 1 and len(first.json()["alerts"]) == 1
    again = w.client.post(
        "/v1/infrastructure/sensor-events", json=[event, event], headers=w.auth("officer")
    )
    assert again.json() == {"stored": [], "duplicates": 2, "alerts": [], "incidents": []}
    assert _counts(runtime) == (1, 1)

    unknown = w.client.post(
        "/v1/infrastructure/sensor-events",
        json=[{**event, "event_id": "evt-2", "asset": "nowhere"}],
        headers=w.auth("officer"),
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "events.0.asset"
    naive = w.client.post(
        "/v1/infrastructure/sensor-events",
        json=[{**event, "event_id": "evt-3", "observed_at": "2026-03-01T02:14:00"}],
        headers=w.auth("officer"),
    )
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "0.observed_at"
    # agency B cannot report on agency A's asset
    foreign = w.client.post(
        "/v1/infrastructure/sensor-events",
        json=[{**event, "event_id": "evt-4"}],
        headers=w.auth("analyst_b"),
    )
    assert foreign.status_code == 422
    assert _counts(runtime) == (1, 1)
