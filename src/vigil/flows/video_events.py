"""Video events to alerts: store a batch of generic video events (idempotent by source and
source event id) and, in the same unit of work, raise one alert per new event and matching
camera rule. A re-delivered event stores nothing and raises nothing (the alert's source key
is the event's and the rule's)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from vigil.alerts import service as alerts
from vigil.alerts.schemas import AlertIn
from vigil.core.errors import FieldError, NotFound, ValidationFailed, VigilError
from vigil.core.logging import get_logger
from vigil.core.runtime import Runtime
from vigil.flows import sensor_events
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, system_context
from vigil.infrastructure import service as infrastructure
from vigil.infrastructure.schemas import SensorEventIn
from vigil.video import service as video
from vigil.video.ingest.frigate import FrigateFormatError, parse_mqtt_message
from vigil.video.models import Camera, VideoEvent, VideoRule
from vigil.video.schemas import IngestOut, VideoEventIn

ALERT_SECTOR = "video"


def alert_for(event: VideoEvent, rule: VideoRule, camera: Camera) -> tuple[str, AlertIn]:
    """The alert a rule raises for an event, keyed by the event's identity and the rule."""
    where = f" in zone {event.zone}" if event.zone else ""
    what = f" ({event.label})" if event.label else ""
    detail = f"{event.kind}{where}{what} at camera {camera.code}"
    alert = AlertIn(
        kind="video",
        score=rule.score,
        explanation={
            f"rule:{rule.id}": {"score": rule.score, "detail": f"rule {rule.name!r}: {detail}"},
            "camera": {"score": 1.0, "detail": f"{camera.name} ({camera.area_class})"},
        },
        summary=f"{rule.name}: {detail}"[:400],
        sector=ALERT_SECTOR,
        submission_id=event.id,
        legal_basis=camera.legal_basis,
        organisation_id=camera.organisation_id,
    )
    key = f"video:{event.source}:{event.source_event_id}:{rule.id}"
    if len(key) > 120:  # a long source id: its digest keeps the key unique
        digest = hashlib.sha256(f"{event.source}\x1f{event.source_event_id}".encode()).hexdigest()
        key = f"video:{digest[:64]}:{rule.id}"
    return key, alert


def ingest_video_events(
    session: Session, ctx: AccessContext, events: Sequence[VideoEventIn]
) -> IngestOut:
    stored = video.store_events(session, ctx, events)
    hits = video.rules_hit(session, stored.new)
    raised = alerts.raise_alerts(
        session, ctx, [alert_for(e, r, stored.cameras[e.camera_id]) for e, r in hits]
    )
    incidents = feed_infrastructure(session, stored.new, stored.cameras)
    return IngestOut(
        received=len(events),
        stored=len(stored.new),
        duplicates=stored.duplicates,
        ended=stored.ended,
        alerts=len(raised),
        event_ids=[e.id for e in stored.new],
        incidents=incidents,
    )


# an intrusion seen by a camera that guards a critical asset is a perimeter event there
INFRASTRUCTURE_KINDS = {"intrusion": "intrusion"}


def sensor_event_for(event: VideoEvent, camera: Camera, asset_external_id: str) -> SensorEventIn:
    """A stored video event as the guarded asset's sensor event, keyed by the video event's
    (source, id): re-delivering the video event cannot add a second one."""
    key = f"{event.source}:{event.source_event_id}"
    if len(key) > 100:
        key = hashlib.sha256(f"{event.source}\x1f{event.source_event_id}".encode()).hexdigest()
    return SensorEventIn(
        source=f"video.{camera.code}"[:100],
        event_id=key,
        asset=asset_external_id,
        kind=INFRASTRUCTURE_KINDS[event.kind],
        severity="high",
        observed_at=event.started_at,
        detail={"camera": camera.code, "zone": event.zone, "label": event.label},
    )


def feed_infrastructure(
    session: Session, events: Sequence[VideoEvent], cameras: dict[int, Camera]
) -> list[int]:
    """New intrusion events of cameras linked to an asset open (once per event) an incident at
    that asset, with an infrastructure alert, through the sensor-event flow, acting for the
    camera's agency. The incidents' ids."""
    log = get_logger("vigil.video.infrastructure")
    incidents: list[int] = []
    for event in events:
        camera = cameras[event.camera_id]
        if event.kind not in INFRASTRUCTURE_KINDS or camera.infrastructure_asset_id is None:
            continue
        agency = replace(system_context(), organisation_id=camera.organisation_id)
        try:
            asset = infrastructure.get_asset(session, agency, camera.infrastructure_asset_id)
        except NotFound:  # the asset has gone since the link was made: the alert stands
            log.warning("camera guards a missing asset", camera=camera.code)
            continue
        result = sensor_events.ingest(
            session, agency, [sensor_event_for(event, camera, asset.external_id)]
        )
        incidents += result.incidents
    return incidents


def link_camera_to_asset(
    session: Session, ctx: AccessContext, camera_id: int, asset_id: int | None
) -> Camera:
    """Make a camera guard one of the caller's agency's infrastructure assets (None: none)."""
    video.require_video_configuration(ctx)
    if asset_id is not None:
        try:
            infrastructure.get_asset(session, ctx, asset_id)
        except NotFound:
            raise ValidationFailed(
                "no such asset", [FieldError("asset_id", f"no asset {asset_id} of yours")]
            ) from None
    return video.set_camera_asset(session, ctx, camera_id, asset_id)


@dataclass
class ListenTally:
    """What a listener did with the messages it received: `refused` ones named a camera that
    is unknown or not its source's, `rejected` ones could not be read or stored."""

    messages: int = 0
    stored: int = 0
    duplicates: int = 0
    alerts: int = 0
    rejected: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)


def frigate_message_handler(
    runtime: Runtime, api_key: str, tally: ListenTally | None = None
) -> Callable[[bytes], IngestOut | None]:
    """A handler for `frigate/events` messages, acting as the source whose API key it holds
    (an agency's video source key, or a camera-owning business's key): each message in its
    own unit of work, for that source's own cameras only, as over the webhook. The key is
    checked on every message, so revoking it stops the listener storing. A message for
    another camera is refused, one that cannot be read is rejected: each is counted and
    logged with its reason, nothing of it is stored, and the listener goes on."""
    counts = tally if tally is not None else ListenTally()
    log = get_logger("vigil.video.listen")

    def handle(payload: bytes) -> IngestOut | None:
        counts.messages += 1
        source = "the source key"
        try:
            events = parse_mqtt_message(payload)
            with runtime.unit_of_work() as session:
                ctx = governance.context_for_api_key(session, api_key)
                source = f"{ctx.organisation_name}'s source key"
                result = ingest_video_events(session, ctx, events)
        except video.CamerasRefused as exc:
            reason = "; ".join(e.message for e in exc.errors)
            counts.refused += 1
            counts.problems.append(f"{reason} (listening as {source})"[:300])
            log.warning("video event refused", reason=reason[:300], source=source)
            return None
        except (FrigateFormatError, VigilError) as exc:
            counts.rejected += 1
            counts.problems.append(str(exc)[:300])
            log.warning("video event rejected", reason=str(exc)[:300], source=source)
            return None
        counts.stored += result.stored
        counts.duplicates += result.duplicates
        counts.alerts += result.alerts
        return result

    return handle


def events_from_jsonl(path: Path) -> list[VideoEventIn]:
    """Generic events, one JSON object a line (the one tabular reader): every line's
    problems as `line <n>.<field>` errors, and nothing returned while any remains."""
    from pydantic import ValidationError

    from vigil.core.errors import FieldError, ValidationFailed
    from vigil.core.tabular import RowProblem, read_path

    events: list[VideoEventIn] = []
    errors: list[FieldError] = []
    for row in read_path(path, fmt="jsonl"):
        if isinstance(row, RowProblem):
            errors.append(FieldError(f"line {row.line}", row.message))
            continue
        try:
            events.append(VideoEventIn.model_validate(row.values))
        except ValidationError as exc:
            for error in exc.errors():
                loc = ".".join(str(p) for p in error["loc"])
                errors.append(FieldError(f"line {row.line}.{loc}", error["msg"]))
    if errors:
        raise ValidationFailed("no event imported: fix the lines named", errors[:200])
    return events
