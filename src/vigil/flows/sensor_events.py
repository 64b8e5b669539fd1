"""Perimeter and sensor events at critical assets become alerts for the agency responsible
for the asset, and incidents with the nearest capable units recommended: one use case across
infrastructure, alerts and response, in one unit of work.

Events arrive over MQTT (`listen`, the real broker) or the webhook (`router`). Each is
stored once per (source, event id), and only an event stored now raises its alert (whose
source key is the event's), so a redelivered message adds nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vigil.alerts.schemas import AlertIn
from vigil.alerts.service import raise_alerts
from vigil.core.errors import FieldError, ValidationFailed
from vigil.core.settings import get_settings
from vigil.governance.access import AccessContext, system_context
from vigil.http.deps import ContextDep, RuntimeDep, UnitOfWork
from vigil.infrastructure import service as infrastructure
from vigil.infrastructure.schemas import SensorEventIn, SensorIngestOut
from vigil.response import service as response
from vigil.response.schemas import IncidentIn
from vigil.units.roads import RoadGraph, cached_road_graph

if TYPE_CHECKING:
    from vigil.core.runtime import Runtime

SEVERITY_SCORE = {"low": 0.25, "medium": 0.5, "high": 0.75, "critical": 1.0}
LEGAL_BASIS = "critical infrastructure protection: sensor event at a protected asset"
DEFAULT_TOPIC = "vigil/infrastructure/events/#"


def alert_for(event: infrastructure.StoredEvent) -> tuple[str, AlertIn]:
    """The alert about one stored sensor event, keyed by the event's (source, id)."""
    alert = AlertIn(
        kind="infrastructure",
        score=SEVERITY_SCORE[event.severity],
        explanation={
            "sensor_event": {
                "score": SEVERITY_SCORE[event.severity],
                "detail": f"{event.kind} reported by {event.source} ({event.source_event_id})",
            },
            "asset": {"score": 1.0, "detail": f"{event.asset_name} ({event.asset_external_id})"},
        },
        summary=f"{event.kind.replace('_', ' ')} at {event.asset_name}"[:400],
        sector="infrastructure",
        submission_id=event.event_id,  # the stored sensor event
        legal_basis=LEGAL_BASIS,
        organisation_id=event.organisation_id,
    )
    return f"sensor:{event.source}:{event.source_event_id}", alert


# What each kind of sensor event is, as an incident
INCIDENT_TYPE = {
    "intrusion": "intrusion",
    "tamper": "sabotage",
    "pressure_anomaly": "utility_failure",
    "flow_anomaly": "utility_failure",
}


def incident_for(
    session: Session, ctx: AccessContext, event: infrastructure.StoredEvent, graph: RoadGraph
) -> int | None:
    """Open the incident for one stored event (once per event: its source key) and put the
    nearest capable units on its timeline. An asset without a point gets no incident."""
    if event.latitude is None or event.longitude is None:
        return None
    data = IncidentIn(
        type=INCIDENT_TYPE[event.kind],
        summary=f"{event.kind.replace('_', ' ')} reported by {event.source} at "
        f"{event.asset_name} ({event.asset_external_id})"[:4000],
        latitude=event.latitude,
        longitude=event.longitude,
        address=event.asset_name[:300],
    )
    opened = response.open_incident(
        session,
        ctx,
        data,
        source="infrastructure_event",
        source_key=f"sensor:{event.source}:{event.source_event_id}",
        organisation_id=event.organisation_id,
    )
    if opened.created:
        agency = ctx if ctx.organisation_id else replace(ctx, organisation_id=event.organisation_id)
        response.recommend_units(session, agency, graph, opened.incident.id)
    return opened.incident.id


def ingest(
    session: Session,
    ctx: AccessContext,
    events: Sequence[SensorEventIn],
    graph: RoadGraph | None = None,
) -> SensorIngestOut:
    stored, duplicates = infrastructure.record_sensor_events(session, ctx, events)
    alert_ids = raise_alerts(session, ctx, [alert_for(event) for event in stored])
    incidents: list[int | None] = []
    if stored:  # the road graph only when there is an incident to open
        roads = graph or cached_road_graph(get_settings().road_graph)
        incidents = [incident_for(session, ctx, event, roads) for event in stored]
    return SensorIngestOut(
        stored=[s.event_id for s in stored],
        duplicates=duplicates,
        alerts=alert_ids,
        incidents=[i for i in incidents if i is not None],
    )


def parse_message(payload: bytes) -> SensorEventIn:
    """One MQTT message's JSON as a typed event; any problem is a `ValidationFailed` with
    the fields named."""
    try:
        document = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed("not JSON", [FieldError("payload", str(exc))]) from None
    if not isinstance(document, dict):
        raise ValidationFailed("not an object", [FieldError("payload", "a JSON object")])
    try:
        return SensorEventIn.model_validate(document)
    except ValidationError as invalid:
        raise ValidationFailed(
            "invalid sensor event",
            [
                FieldError(".".join(str(p) for p in e["loc"]) or "payload", e["msg"])
                for e in invalid.errors()
            ],
        ) from None


# ------------------------------------------------------------------ webhook

router = APIRouter(prefix="/v1/infrastructure", tags=["infrastructure"])


@router.post("/sensor-events", response_model=SensorIngestOut)
def post_sensor_events(
    body: list[SensorEventIn], session: UnitOfWork, ctx: ContextDep, runtime: RuntimeDep
) -> SensorIngestOut:
    """Sensor events for the caller's organisation's assets; repeats are acknowledged and
    ignored."""
    return ingest(session, ctx, body, cached_road_graph(runtime.settings.road_graph))


# ------------------------------------------------------------------ MQTT


@dataclass
class ListenerStats:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    alerts: int = 0
    incidents: int = 0
    rejected: list[str] = field(default_factory=list)


def listen(
    runtime: Runtime,
    *,
    host: str = "127.0.0.1",
    port: int = 1883,
    topic: str = DEFAULT_TOPIC,
    max_messages: int | None = None,
    client_id: str | None = None,
    ready: threading.Event | None = None,
    stop: threading.Event | None = None,
    report: Callable[[str], None] = lambda line: None,
) -> ListenerStats:
    """Subscribe to `topic` and ingest each message in its own unit of work, until
    `max_messages` have arrived or `stop` is set. QoS 1: the broker redelivers what was not
    acknowledged, and the idempotent store absorbs the repeats. With a `client_id` the
    session persists, so the broker keeps the messages that arrive while Vigil is down."""
    import paho.mqtt.client as mqtt

    stats = ListenerStats()
    ctx = system_context()
    graph = cached_road_graph(runtime.settings.road_graph)
    done = stop or threading.Event()
    subscribed = threading.Event()

    def on_connect(client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        client.subscribe(topic, qos=1)

    def on_subscribe(client: Any, userdata: Any, mid: Any, reasons: Any, properties: Any) -> None:
        subscribed.set()
        if ready is not None:
            ready.set()

    def on_message(client: Any, userdata: Any, message: Any) -> None:
        stats.received += 1
        try:
            event = parse_message(message.payload)
            with runtime.unit_of_work() as session:
                result = ingest(session, ctx, [event], graph)
            stats.stored += len(result.stored)
            stats.duplicates += result.duplicates
            stats.alerts += len(result.alerts)
            stats.incidents += len(result.incidents)
            report(f"{event.source}:{event.event_id}: alerts {result.alerts}")
        except ValidationFailed as refused:
            problem = "; ".join(f"{e.loc}: {e.message}" for e in refused.errors) or refused.detail
            stats.rejected.append(problem)
            report(f"rejected on {message.topic}: {problem}")
        except IntegrityError:
            # another writer stored the same (source, event id) between our check and insert
            stats.duplicates += 1
        if max_messages is not None and stats.received >= max_messages:
            done.set()

    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=client_id or "",
        clean_session=client_id is None,
        protocol=mqtt.MQTTv311,
    )
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect(host, port, keepalive=30)
    client.loop_start()
    try:
        done.wait()
    finally:
        client.disconnect()
        client.loop_stop()
    return stats
