"""The camera registry, rules and video events. Never commits.

Cameras and events hold no personal data: cameras are places, events are detections in
places. A camera's stream URL is encrypted with the vault (it often carries credentials) and
revealed only to an administrator who gives a reason, audited."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError
from sqlalchemy import Table, and_, delete, or_, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from vigil.core.logging import get_logger
from vigil.core.protect import IdentifierVault
from vigil.core.rekey import Rekeyed, reencrypt_columns
from vigil.core.runtime import session_settings
from vigil.core.tabular import RowProblem, TableRow
from vigil.governance import audit
from vigil.governance.access import (
    ROLE_PERMISSIONS,
    SYSTEM_PRINCIPAL,
    AccessContext,
    Permission,
    Role,
    require,
)
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule
from vigil.video.models import Camera, VideoEvent, VideoRule
from vigil.video.review_cursor import ReviewCursor
from vigil.video.schemas import (
    FRAME_DEFAULT,
    AnalyticsConfigIn,
    AnalyticsConfigOut,
    CameraIn,
    CameraOut,
    ClassShares,
    CountPoint,
    CoverageOut,
    GapOut,
    GapReportOut,
    ReviewIn,
    ReviewKind,
    RuleIn,
    SiteOut,
    VideoEventIn,
    ZoneCountsOut,
)
from vigil.video.worker.config import WorkerConfig

MAX_IMPORT_ERRORS = 200
log = get_logger("vigil.video.retention")


def _pydantic_errors(exc: ValidationError, prefix: str) -> list[FieldError]:
    errors = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"])
        errors.append(FieldError(f"{prefix}.{loc}" if loc else prefix, error["msg"]))
    return errors


# --------------------------------------------------------------------------- who may

# Reading cameras, coverage, events and counts is everyday staff work (`ANALYSE`). Changing
# what is watched (a camera's registry entry, its privacy masks and stream URL, its status, the
# asset it guards, its alert rules and the worker's zones, lines and rules) is a configuring
# role's act: `CONFIGURE_VIDEO`.
CONFIGURING_ROLES = tuple(
    role.value for role, held in ROLE_PERMISSIONS.items() if Permission.CONFIGURE_VIDEO in held
)


def require_video_configuration(ctx: AccessContext) -> None:
    """Raise unless the caller may change cameras and their analytics."""
    if not ctx.can(Permission.CONFIGURE_VIDEO):
        raise Forbidden(
            f"role {ctx.role.value} may read cameras but not change them: registering a camera,"
            " its privacy masks, stream URL, status and analytics rules is for the roles "
            + ", ".join(CONFIGURING_ROLES)
        )


def _require_registry_read(ctx: AccessContext) -> None:
    """The registry (cameras and their rules, no events) is read by staff who analyse and by
    those who configure it."""
    if not ctx.can(Permission.CONFIGURE_VIDEO):
        require(ctx, Permission.ANALYSE)


# --------------------------------------------------------------------------- cameras


def _camera_row(ctx: AccessContext, vault: IdentifierVault, data: CameraIn) -> Camera:
    values = data.model_dump(exclude={"stream_url"})
    now = utcnow()
    return Camera(
        organisation_id=ctx.organisation_id,
        stream_url_ciphertext=vault.encrypt(data.stream_url) if data.stream_url else None,
        created_at=now,
        updated_at=now,
        **values,
    )


def register_cameras(
    session: Session, ctx: AccessContext, vault: IdentifierVault, cameras: Sequence[CameraIn]
) -> list[Camera]:
    """Store cameras: all of them, or none when a code is taken (named in the error)."""
    require_video_configuration(ctx)
    codes = [c.code for c in cameras]
    errors = [
        FieldError(f"{n}.code", f"code {code!r} appears twice in this batch")
        for n, code in enumerate(codes)
        if codes.index(code) != n
    ]
    taken = (
        set(session.scalars(select(Camera.code).where(Camera.code.in_(codes)))) if codes else set()
    )
    errors += [
        FieldError(f"{n}.code", f"a camera with code {code!r} exists already")
        for n, code in enumerate(codes)
        if code in taken
    ]
    if errors:
        raise ValidationFailed("cameras not stored", errors)
    rows = [_camera_row(ctx, vault, data) for data in cameras]
    session.add_all(rows)
    session.flush()
    audit.record_many(
        session,
        ctx,
        [
            audit.EntryIn(Action.COLLECT, "video_camera", row.id, detail={"code": row.code})
            for row in rows
        ],
    )
    return rows


def create_camera(
    session: Session, ctx: AccessContext, vault: IdentifierVault, data: CameraIn
) -> Camera:
    try:
        return register_cameras(session, ctx, vault, [data])[0]
    except ValidationFailed as exc:
        exc.errors = [FieldError(e.loc.split(".", 1)[1], e.message) for e in exc.errors]
        raise


def _cell(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def camera_inputs_from_rows(rows: Iterable[TableRow | RowProblem]) -> list[CameraIn]:
    """CSV/JSONL rows → validated cameras; every row's problems together, as
    `row <n>.<field>` errors, and nothing returned while any remains."""
    cameras: list[CameraIn] = []
    errors: list[FieldError] = []
    for row in rows:
        if isinstance(row, RowProblem):
            errors.append(FieldError(f"row {row.number}", row.message))
            continue
        values = {k: _cell(v) for k, v in row.values.items() if k}
        masks = values.get("privacy_masks")
        if isinstance(masks, str):
            try:
                values["privacy_masks"] = json.loads(masks)
            except json.JSONDecodeError:
                errors.append(
                    FieldError(f"row {row.number}.privacy_masks", "a JSON list of polygons")
                )
                continue
        elif masks is None:
            values.pop("privacy_masks", None)
        try:
            cameras.append(CameraIn.model_validate(values))
        except ValidationError as exc:
            errors += _pydantic_errors(exc, f"row {row.number}")
        if len(errors) >= MAX_IMPORT_ERRORS:
            break
    if errors:
        raise ValidationFailed("no camera imported: fix the rows named", errors)
    return cameras


def _onvif_record(item: Mapping[str, Any]) -> dict[str, Any]:
    """One ONVIF device record: the registry's fields plus what the device reports
    (GetDeviceInformation, GetGeoLocation, GetStreamUri)."""
    record = {
        k: v
        for k, v in item.items()
        if k not in ("DeviceInformation", "GeoLocation", "GeoOrientation", "MediaUri")
    }
    info = item.get("DeviceInformation") or {}
    if isinstance(info, Mapping):
        record.setdefault("manufacturer", info.get("Manufacturer"))
        record.setdefault("model", info.get("Model"))
        record.setdefault("serial_number", info.get("SerialNumber"))
    geo = item.get("GeoLocation") or {}
    if isinstance(geo, Mapping):
        if "lat" in geo:
            record.setdefault("latitude", geo.get("lat"))
        if "lon" in geo:
            record.setdefault("longitude", geo.get("lon"))
        if "elevation" in geo and "height_m" not in record:
            record["height_m"] = geo.get("elevation")
    orientation = item.get("GeoOrientation") or {}
    if isinstance(orientation, Mapping) and "yaw" in orientation and "heading_deg" not in record:
        yaw = orientation.get("yaw")
        record["heading_deg"] = yaw % 360 if isinstance(yaw, int | float) else yaw
    media = item.get("MediaUri") or {}
    if isinstance(media, Mapping) and media.get("Uri"):
        record.setdefault("stream_url", media.get("Uri"))
    return record


def camera_inputs_from_onvif(document: bytes | str | Any) -> list[CameraIn]:
    """ONVIF device-information JSON: one device record or a list (`devices[n].field`
    errors, nothing returned while any remains)."""
    data = document
    if isinstance(document, bytes | str):
        try:
            data = json.loads(document)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValidationFailed("not JSON", [FieldError("document", str(exc))]) from None
    items = [data] if isinstance(data, Mapping) else data
    if not isinstance(items, list) or not items:
        raise ValidationFailed(
            "no devices", [FieldError("document", "a device record or a list of them")]
        )
    cameras: list[CameraIn] = []
    errors: list[FieldError] = []
    for number, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors.append(FieldError(f"devices[{number}]", "an object"))
            continue
        try:
            cameras.append(CameraIn.model_validate(_onvif_record(item)))
        except ValidationError as exc:
            errors += _pydantic_errors(exc, f"devices[{number}]")
    if errors:
        raise ValidationFailed("no camera imported: fix the devices named", errors)
    return cameras


def camera_out(camera: Camera) -> CameraOut:
    return CameraOut.model_validate(
        {
            **{c.key: getattr(camera, c.key) for c in Camera.__table__.columns},
            "has_stream_url": camera.stream_url_ciphertext is not None,
        }
    )


def list_cameras(session: Session, ctx: AccessContext) -> list[Camera]:
    _require_registry_read(ctx)
    query = select(Camera).where(Camera.organisation_id == ctx.organisation_id)
    return list(session.scalars(query.order_by(Camera.id)))


def all_cameras(session: Session) -> list[Camera]:
    """Every camera, for the coverage analysis run by the system."""
    return list(session.scalars(select(Camera).order_by(Camera.id)))


def _own_camera(session: Session, ctx: AccessContext, camera_id: int) -> Camera:
    camera = session.get(Camera, camera_id)
    if camera is None or camera.organisation_id != ctx.organisation_id:
        raise NotFound(f"camera {camera_id} not found")
    return camera


def reveal_stream_url(
    session: Session, ctx: AccessContext, vault: IdentifierVault, camera_id: int, reason: str
) -> str | None:
    """The clear stream URL, for an administrator of the camera's organisation who says
    why; the reason is in the audit entry (the app audits refusals)."""
    if ctx.role != Role.ADMIN or not reason.strip():
        raise Forbidden("only an administrator, giving a reason, may see a stream URL")
    camera = _own_camera(session, ctx, camera_id)
    audit.record(
        session,
        ctx,
        Action.CONSULT,
        "video_camera_stream",
        camera.id,
        detail={"reason": reason.strip()[:400], "code": camera.code},
    )
    return vault.reveal(camera.stream_url_ciphertext) if camera.stream_url_ciphertext else None


# --------------------------------------------------------------------------- rules


def add_rule(session: Session, ctx: AccessContext, camera_id: int, data: RuleIn) -> VideoRule:
    require_video_configuration(ctx)
    camera = _own_camera(session, ctx, camera_id)
    rule = VideoRule(camera_id=camera.id, created_at=utcnow(), active=True, **data.model_dump())
    session.add(rule)
    session.flush()
    audit.record(
        session, ctx, Action.COLLECT, "video_rule", rule.id, detail={"camera": camera.code}
    )
    return rule


def list_rules(session: Session, ctx: AccessContext, camera_id: int) -> list[VideoRule]:
    _require_registry_read(ctx)
    camera = _own_camera(session, ctx, camera_id)
    query = select(VideoRule).where(VideoRule.camera_id == camera.id).order_by(VideoRule.id)
    return list(session.scalars(query))


def rule_matches(rule: VideoRule, event: VideoEvent) -> bool:
    """Whether an event is one the rule alerts on. Pure."""
    if not rule.active or rule.kind != event.kind:
        return False
    if rule.zone is not None and rule.zone != event.zone:
        return False
    if rule.labels and event.label not in rule.labels:
        return False
    return rule.min_value is None or (event.value is not None and event.value >= rule.min_value)


# --------------------------------------------------------------------------- events


@dataclass
class StoredEvents:
    """What a batch did: the events stored now, how many were known, how many ended now."""

    new: list[VideoEvent] = field(default_factory=list)
    duplicates: int = 0
    ended: int = 0
    cameras: dict[int, Camera] = field(default_factory=dict)


def _cameras_for(
    session: Session, ctx: AccessContext, events: Sequence[VideoEventIn]
) -> dict[str, Camera]:
    """The events' cameras, each one the caller may report for: Vigil's own jobs any; a
    business (its API key) only the cameras it owns under an agreement; an agency's video
    source key its agency's. Unknown or foreign cameras are field errors, nothing is stored."""
    codes = sorted({e.camera for e in events})
    found = {c.code: c for c in session.scalars(select(Camera).where(Camera.code.in_(codes)))}
    errors = []
    for number, event in enumerate(events):
        camera = found.get(event.camera)
        if camera is None:
            errors.append(FieldError(f"{number}.camera", f"no camera {event.camera!r}"))
        elif not _may_report(ctx, camera):
            errors.append(
                FieldError(f"{number}.camera", f"camera {event.camera!r} is not yours to report")
            )
    if errors:
        raise CamerasRefused("no event stored", errors[:MAX_IMPORT_ERRORS])
    return found


class CamerasRefused(ValidationFailed):
    """Events named a camera that is unknown or not the caller's to report (a 422 like any
    field error; a listener counts these apart from unreadable messages)."""


def _may_report(ctx: AccessContext, camera: Camera) -> bool:
    if ctx.principal == SYSTEM_PRINCIPAL:
        return True
    if ctx.role == Role.BUSINESS:
        return camera.owner_organisation_id == ctx.organisation_id
    return ctx.role == Role.VIDEO_SOURCE and camera.organisation_id == ctx.organisation_id


def require_event_source(ctx: AccessContext) -> None:
    """Raise unless the caller may post video events: Vigil's own jobs (the MQTT listener,
    the importers), or a source with its API key (`INGEST_VIDEO`): a business's for the
    cameras it owns, an agency's video source key for the agency's cameras. Never a person:
    staff review events, they do not file them."""
    if ctx.principal == SYSTEM_PRINCIPAL:
        return
    if not (ctx.by_api_key and ctx.can(Permission.INGEST_VIDEO)):
        raise Forbidden(
            "video events are posted by their source with its API key (X-API-Key), not by a"
            " person signed in"
        )


def ids_on_two_cameras(events: Sequence[VideoEventIn]) -> list[FieldError]:
    """One field error per row whose (source, source_event_id) an earlier row of the batch
    gives to another camera, naming both rows: one event is one camera's."""
    first: dict[tuple[str, str], int] = {}
    errors: list[FieldError] = []
    for number, event in enumerate(events):
        key = (event.source, event.source_event_id)
        earlier = first.setdefault(key, number)
        if events[earlier].camera != event.camera:
            errors.append(
                FieldError(
                    f"{number}.source_event_id",
                    f"row {earlier} gives this event id (source {event.source!r}) to camera "
                    f"{events[earlier].camera!r}, row {number} to camera {event.camera!r}: "
                    "one event is one camera's",
                )
            )
    return errors


def store_events(
    session: Session, ctx: AccessContext, events: Sequence[VideoEventIn]
) -> StoredEvents:
    """Store events idempotently by (source, source_event_id): a known event is not stored
    again; a known open event that now has its end gets it. Set-based: a fixed number of
    statements per batch."""
    require_event_source(ctx)
    result = StoredEvents()
    if not events:
        return result
    cameras = _cameras_for(session, ctx, events)
    result.cameras = {c.id: c for c in cameras.values()}
    contradictions = ids_on_two_cameras(events)
    if contradictions:
        raise ValidationFailed("no event stored", contradictions[:MAX_IMPORT_ERRORS])
    unique: dict[tuple[str, str], VideoEventIn] = {}
    for event in events:  # the last word on an id (of one camera) within a batch wins
        unique[(event.source, event.source_event_id)] = event
    known: dict[tuple[str, str], VideoEvent] = {}
    for source in {s for s, _ in unique}:
        ids = [i for s, i in unique if s == source]
        for start in range(0, len(ids), 500):
            query = select(VideoEvent).where(
                VideoEvent.source == source,
                VideoEvent.source_event_id.in_(ids[start : start + 500]),
            )
            known |= {(row.source, row.source_event_id): row for row in session.scalars(query)}
    # an id known for another camera is another source's event: neither ended nor hidden
    # by this one (a key may only speak for its own cameras' events)
    taken = [
        FieldError(f"{number}.source_event_id", "an event of another camera has this id")
        for number, event in enumerate(events)
        if (row := known.get((event.source, event.source_event_id))) is not None
        and row.camera_id != cameras[event.camera].id
    ]
    if taken:
        raise ValidationFailed("no event stored", taken[:MAX_IMPORT_ERRORS])
    now = utcnow()
    fresh: list[dict[str, Any]] = []
    for key, event in unique.items():
        row = known.get(key)
        if row is None:
            camera = cameras[event.camera]
            values = event.model_dump(exclude={"camera"})
            fresh.append(
                {
                    "camera_id": camera.id,
                    "organisation_id": camera.organisation_id,
                    "received_at": now,
                    **values,
                }
            )
        elif row.ended_at is None and event.ended_at is not None:
            row.ended_at = event.ended_at
            result.ended += 1
    if fresh:
        # a concurrent delivery of the same event (another listener, a retried webhook)
        # inserts nothing here instead of failing the whole unit of work
        statement = (
            _dialect_insert(session, VideoEvent)
            .on_conflict_do_nothing(index_elements=["source", "source_event_id"])
            .returning(VideoEvent.id)
        )
        new_ids = [int(i) for (i,) in session.execute(statement, fresh)]
        if new_ids:
            query = select(VideoEvent).where(VideoEvent.id.in_(new_ids)).order_by(VideoEvent.id)
            result.new = list(session.scalars(query))
    session.flush()
    result.duplicates = len(events) - len(result.new) - result.ended
    entries = [
        audit.EntryIn(
            Action.COLLECT,
            "video_event",
            row.id,
            detail={"source": row.source, "source_event_id": row.source_event_id},
        )
        for row in result.new
    ]
    if result.ended:
        entries.append(
            audit.EntryIn(Action.ALTER, "video_event", "ended", detail={"count": result.ended})
        )
    audit.record_many(session, ctx, entries)
    return result


def rules_hit(session: Session, events: Sequence[VideoEvent]) -> list[tuple[VideoEvent, VideoRule]]:
    """The (event, rule) pairs that raise an alert, for events stored now."""
    camera_ids = sorted({e.camera_id for e in events})
    if not camera_ids:
        return []
    rules: dict[int, list[VideoRule]] = {}
    query = select(VideoRule).where(VideoRule.camera_id.in_(camera_ids), VideoRule.active.is_(True))
    for rule in session.scalars(query.order_by(VideoRule.id)):
        rules.setdefault(rule.camera_id, []).append(rule)
    return [(e, r) for e in events for r in rules.get(e.camera_id, []) if rule_matches(r, e)]


def list_events(
    session: Session,
    ctx: AccessContext,
    *,
    camera_id: int | None = None,
    after_id: int = 0,
    before_id: int | None = None,
    newest_first: bool = False,
    limit: int = 100,
) -> list[VideoEvent]:
    """One page of the organisation's events, between `after_id` and `before_id` (ids, not
    included): oldest first (a reader that catches up passes the last id it got as
    `after_id`), or newest first, the last stored first (a list that pages back passes the
    last id it got as `before_id`)."""
    require(ctx, Permission.ANALYSE)
    query = select(VideoEvent).where(
        VideoEvent.organisation_id == ctx.organisation_id, VideoEvent.id > after_id
    )
    if before_id is not None:
        query = query.where(VideoEvent.id < before_id)
    if camera_id is not None:
        query = query.where(VideoEvent.camera_id == camera_id)
    order = VideoEvent.id.desc() if newest_first else VideoEvent.id
    return list(session.scalars(query.order_by(order).limit(min(limit, 500))))


# --------------------------------------------------------------------------- review

REVIEWABLE_KINDS: tuple[str, ...] = get_args(ReviewKind)  # zone counts are measurements
MAX_REVIEW_PAGE = 500


def _own_event(session: Session, ctx: AccessContext, event_id: int) -> VideoEvent:
    event = session.get(VideoEvent, event_id)
    if event is None or event.organisation_id != ctx.organisation_id:
        raise NotFound(f"video event {event_id} not found")
    return event


def _sorts_after(cursor: ReviewCursor) -> Any:
    """Events the queue lists after the cursor's (older, or as old with a lower id)."""
    return or_(
        VideoEvent.started_at < cursor.started_at,
        and_(VideoEvent.started_at == cursor.started_at, VideoEvent.id < cursor.event_id),
    )


def review_queue(
    session: Session,
    ctx: AccessContext,
    *,
    state: str | None = None,
    camera_id: int | None = None,
    kind: str | None = None,
    after: ReviewCursor | None = None,
    until: ReviewCursor | None = None,
    limit: int = 50,
) -> list[VideoEvent]:
    """A page of the organisation's events to review, newest first (start time, then id:
    keys a review never changes); optionally of one state, camera or kind; after `after`
    (the cursor of the previous page's last event) and up to `until`, included (the end of
    the pages a console has loaded, read again). Zone counts are not in it."""
    require(ctx, Permission.ANALYSE)
    query = select(VideoEvent).where(
        VideoEvent.organisation_id == ctx.organisation_id,
        VideoEvent.kind.in_([kind] if kind else REVIEWABLE_KINDS),
    )
    if state is not None:
        query = query.where(VideoEvent.review_state == state)
    if camera_id is not None:
        query = query.where(VideoEvent.camera_id == camera_id)
    if after is not None:
        query = query.where(_sorts_after(after))
    if until is not None:
        query = query.where(~_sorts_after(until))
    order = (VideoEvent.started_at.desc(), VideoEvent.id.desc())
    return list(session.scalars(query.order_by(*order).limit(min(limit, MAX_REVIEW_PAGE))))


def review_cursor_of(event: VideoEvent) -> ReviewCursor:
    """Where a page that ends with this event ended."""
    return ReviewCursor(event.started_at, event.id)


def review_event(session: Session, ctx: AccessContext, event_id: int, data: ReviewIn) -> VideoEvent:
    """Confirm an open event or call it a false alarm (who, when, an optional note), or open
    a reviewed one again; a verdict on an event already reviewed is a conflict. Audited."""
    require(ctx, Permission.WORK_ALERTS)
    event = _own_event(session, ctx, event_id)
    if event.kind not in REVIEWABLE_KINDS:
        raise Conflict(f"a {event.kind} is a measurement, not an event to review")
    previous = event.review_state
    if data.state != "open" and previous != "open":
        raise Conflict(f"video event {event_id} was reviewed already ({previous})")
    reopened = data.state == "open"
    event.review_state = data.state
    event.reviewed_by = None if reopened else ctx.principal
    event.reviewed_at = None if reopened else utcnow()
    event.review_note = None if reopened else data.note
    session.flush()
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "video_event",
        event.id,
        detail={"review": data.state, "was": previous, "note": data.note is not None},
    )
    return event


def snapshot_file(session: Session, ctx: AccessContext, store: Path | None, event_id: int) -> Path:
    """The event's blurred snapshot, for its own organisation: a file inside the store (a
    name that leads out of it, by `..` or a link, is not served). Audited as a view."""
    require(ctx, Permission.ANALYSE)
    event = _own_event(session, ctx, event_id)
    if store is None or not event.snapshot:
        raise NotFound(f"video event {event_id} has no snapshot")
    root = store.resolve()
    path = (root / event.snapshot).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound(f"video event {event_id} has no snapshot")
    audit.record(session, ctx, Action.CONSULT, "video_snapshot", event.id, detail={"blurred": True})
    return path


# --------------------------------------------------------------------------- zone counts


def zone_counts(
    session: Session,
    ctx: AccessContext,
    *,
    camera_id: int | None = None,
    points: int = 16,
) -> list[ZoneCountsOut]:
    """Per camera, zone and label: the latest `zone_count` and up to `points` counts before
    it and including it, oldest first. Counts, nobody identified."""
    require(ctx, Permission.ANALYSE)
    query = (
        select(VideoEvent, Camera.code)
        .join(Camera, Camera.id == VideoEvent.camera_id)
        .where(VideoEvent.organisation_id == ctx.organisation_id, VideoEvent.kind == "zone_count")
    )
    if camera_id is not None:
        query = query.where(VideoEvent.camera_id == camera_id)
    query = query.order_by(VideoEvent.started_at.desc(), VideoEvent.id.desc()).limit(5000)
    groups: dict[tuple[int, str, str | None], list[VideoEvent]] = {}
    codes: dict[int, str] = {}
    for event, code in session.execute(query).all():
        codes[event.camera_id] = code
        group = groups.setdefault((event.camera_id, event.zone or "", event.label), [])
        if len(group) < points and (not group or group[-1].started_at != event.started_at):
            group.append(event)  # one count per window: the last reported wins
    out = []
    ordered = sorted(groups.items(), key=lambda kv: (codes[kv[0][0]], kv[0][1], kv[0][2] or ""))
    for (cam, zone, label_), rows in ordered:
        latest = rows[0]
        out.append(
            ZoneCountsOut(
                camera_id=cam,
                camera=codes[cam],
                zone=zone,
                label=label_,
                latest=latest.value or 0.0,
                latest_at=latest.started_at,
                series=[
                    CountPoint(started_at=r.started_at, value=r.value or 0.0)
                    for r in reversed(rows)
                ],
            )
        )
    return out


# --------------------------------------------------------------------------- worker config


def _masks_in_pixels(camera: Camera, width: int, height: int) -> list[list[tuple[float, float]]]:
    """The camera's privacy masks (0..1 of the frame) in pixels of a `width` x `height` frame."""
    return [
        [(round(x * width, 1), round(y * height, 1)) for x, y in mask]
        for mask in camera.privacy_masks
    ]


def _frame_of(camera: Camera) -> tuple[int, int]:
    if camera.analytics_frame:
        return int(camera.analytics_frame[0]), int(camera.analytics_frame[1])
    return FRAME_DEFAULT


def _worker_document(
    camera: Camera, config: dict[str, Any], width: int, height: int
) -> dict[str, Any]:
    """A worker configuration document: the zones, lines and rules given, with the camera's
    own code and its masks in pixels of a `width` x `height` frame."""
    return {
        **config,
        "camera": camera.code,
        "privacy_masks": _masks_in_pixels(camera, width, height),
    }


def worker_config_of(camera: Camera) -> WorkerConfig:
    """The worker's configuration for a camera: what the console stored, the camera's code
    and its masks in pixels (the worker's defaults where nothing is stored)."""
    return WorkerConfig.model_validate(
        _worker_document(camera, camera.analytics_config or {}, *_frame_of(camera))
    )


def _still_event_id(session: Session, camera: Camera) -> int | None:
    query = (
        select(VideoEvent.id)
        .where(VideoEvent.camera_id == camera.id, VideoEvent.snapshot.is_not(None))
        .order_by(VideoEvent.started_at.desc(), VideoEvent.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def _config_out(session: Session, camera: Camera) -> AnalyticsConfigOut:
    width, height = _frame_of(camera)
    config = worker_config_of(camera).model_dump(mode="json", exclude={"camera", "privacy_masks"})
    return AnalyticsConfigOut(
        camera_id=camera.id,
        camera=camera.code,
        stored=camera.analytics_config is not None,
        frame_width=width,
        frame_height=height,
        config=config,
        privacy_masks=_masks_in_pixels(camera, width, height),
        still_event_id=_still_event_id(session, camera),
        updated_at=camera.analytics_updated_at,
        updated_by=camera.analytics_updated_by,
    )


def analytics_config(session: Session, ctx: AccessContext, camera_id: int) -> AnalyticsConfigOut:
    _require_registry_read(ctx)
    return _config_out(session, _own_camera(session, ctx, camera_id))


def _outside_frame(config: WorkerConfig, width: int, height: int) -> list[FieldError]:
    def outside(point: tuple[float, float]) -> bool:
        return not (0 <= point[0] <= width and 0 <= point[1] <= height)

    where = f"a point outside the {width}x{height} frame"
    errors = [
        FieldError(f"config.zones.{n}.polygon", where)
        for n, zone in enumerate(config.zones)
        if any(outside(p) for p in zone.polygon)
    ]
    errors += [
        FieldError(f"config.lines.{n}", where)
        for n, line in enumerate(config.lines)
        if outside(line.a) or outside(line.b)
    ]
    return errors


def save_analytics_config(
    session: Session, ctx: AccessContext, camera_id: int, data: AnalyticsConfigIn
) -> AnalyticsConfigOut:
    """Store a camera's zones, lines and rules once the worker's own model accepts them and
    every point lies in the frame; otherwise nothing, with every bad field named."""
    require_video_configuration(ctx)
    camera = _own_camera(session, ctx, camera_id)
    errors = [
        FieldError(f"config.{key}", message)
        for key, message in (
            ("camera", "the camera is the one in the address"),
            ("privacy_masks", "privacy masks are set on the camera, never drawn as zones"),
        )
        if key in data.config
    ]
    document = _worker_document(camera, data.config, data.frame_width, data.frame_height)
    try:
        config = WorkerConfig.model_validate(document)
    except ValidationError as exc:
        errors += _pydantic_errors(exc, "config")
        raise ValidationFailed("configuration not stored", errors) from None
    errors += _outside_frame(config, data.frame_width, data.frame_height)
    if errors:
        raise ValidationFailed("configuration not stored", errors)
    camera.analytics_config = config.model_dump(mode="json", exclude={"camera", "privacy_masks"})
    camera.analytics_frame = [data.frame_width, data.frame_height]
    camera.analytics_updated_at = utcnow()
    camera.analytics_updated_by = ctx.principal
    session.flush()
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "video_camera_analytics",
        camera.id,
        detail={
            "zones": len(config.zones),
            "lines": len(config.lines),
            "rules": len(config.rules),
        },
    )
    return _config_out(session, camera)


def camera_by_code(session: Session, ctx: AccessContext, code: str) -> Camera:
    _require_registry_read(ctx)
    camera = session.scalar(
        select(Camera).where(Camera.code == code, Camera.organisation_id == ctx.organisation_id)
    )
    if camera is None:
        raise NotFound(f"no camera {code!r}")
    return camera


# --------------------------------------------------------------------------- retention


def snapshot_store(session: Session) -> Path | None:
    """Where the blurred snapshots that events name are kept (`VIGIL_VIDEO_SNAPSHOT_DIR`, the
    workers' snapshot directory), in the settings of the runtime that opened `session` (the
    one the API serves them from); None where this installation keeps none."""
    return session_settings(session).video_snapshot_dir


def remove_snapshots(store: Path, names: Iterable[str]) -> int:
    """Delete the named snapshot files under `store` (a name that leaves it is skipped);
    how many were there."""
    root = store.resolve()
    removed = 0
    for name in names:
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            continue
        path.unlink()
        removed += 1
    return removed


def _purge_events(session: Session, cutoff: datetime) -> list[int]:
    """Events older than the cutoff are deleted, and their blurred snapshot files with them:
    the files go once the deletion commits (a rolled-back purge keeps both)."""
    rows = session.execute(
        select(VideoEvent.id, VideoEvent.snapshot).where(VideoEvent.started_at < cutoff)
    ).all()
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        session.execute(delete(VideoEvent).where(VideoEvent.id.in_(chunk)))
    names = [row.snapshot for row in rows if row.snapshot]
    store = snapshot_store(session)
    if names and store is None:
        log.warning(
            "video retention: the purged events name snapshot files, but no snapshot directory "
            "is set (VIGIL_VIDEO_SNAPSHOT_DIR): delete them where the workers wrote them",
            files=len(names),
        )
    elif names and store is not None:
        sa_event.listen(
            session, "after_commit", lambda _session: remove_snapshots(store, names), once=True
        )
    return ids


RETENTION_RULES = (RetentionRule("video_event", "delete", _purge_events),)


def set_camera_status(session: Session, ctx: AccessContext, camera_id: int, status: str) -> Camera:
    require_video_configuration(ctx)
    camera = _own_camera(session, ctx, camera_id)
    session.execute(
        update(Camera).where(Camera.id == camera.id).values(status=status, updated_at=utcnow())
    )
    audit.record(session, ctx, Action.ALTER, "video_camera", camera.id, detail={"status": status})
    session.refresh(camera)
    return camera


def set_camera_asset(
    session: Session, ctx: AccessContext, camera_id: int, asset_id: int | None
) -> Camera:
    """Record which infrastructure asset the camera guards (the caller checks the asset)."""
    require_video_configuration(ctx)
    camera = _own_camera(session, ctx, camera_id)
    session.execute(
        update(Camera)
        .where(Camera.id == camera.id)
        .values(infrastructure_asset_id=asset_id, updated_at=utcnow())
    )
    audit.record(
        session, ctx, Action.ALTER, "video_camera", camera.id, detail={"asset_id": asset_id}
    )
    session.refresh(camera)
    return camera


# --------------------------------------------------------------------------- coverage


def agency_context(session: Session, organisation: str) -> AccessContext:
    """Vigil's own context acting for one agency (the CLI and the demo)."""
    from dataclasses import replace

    from vigil.governance import service as governance
    from vigil.governance.access import system_context

    org = governance.find_organisation(session, organisation)
    if org.kind != "agency":
        raise Forbidden(f"{org.name!r} is not an agency; cameras are registered by agencies")
    return replace(system_context(), organisation_id=org.id, organisation_name=org.name)


def user_context(session: Session, username: str) -> AccessContext:
    """The context of a named, active user of an agency (a CLI command that acts as them)."""
    from vigil.governance import service as governance

    ctx = governance.active_user_context(session, username)
    if governance.get_organisation(session, ctx.organisation_id).kind != "agency":
        raise Forbidden(f"{username!r} is not of an agency; cameras are registered by agencies")
    return ctx


def _first_position(document: Mapping[str, Any]) -> tuple[float, float] | None:
    for feature in document.get("features") or []:
        coords: Any = (feature.get("geometry") or {}).get("coordinates")
        while isinstance(coords, list) and coords and isinstance(coords[0], list):
            coords = coords[0]
        if isinstance(coords, list) and len(coords) >= 2:
            return float(coords[1]), float(coords[0])
    return None


def _coverage_inputs(
    session: Session, ctx: AccessContext, city_document: Mapping[str, Any]
) -> tuple[Any, Any, list[Any]]:
    from vigil.video import coverage as cov

    require(ctx, Permission.ANALYSE)
    cameras = [c for c in list_cameras(session, ctx) if c.status == "active"]
    if cameras:
        origin = (
            sum(c.latitude for c in cameras) / len(cameras),
            sum(c.longitude for c in cameras) / len(cameras),
        )
    else:
        origin = _first_position(city_document) or (0.0, 0.0)
    frame = cov.LocalFrame(*origin)
    city = cov.city_from_geojson(city_document, frame)
    views = [
        cov.CameraView(
            c.code,
            *frame.xy(c.latitude, c.longitude),
            c.heading_deg,
            c.fov_deg,
            c.range_m,
            c.area_class,
        )
        for c in cameras
    ]
    return frame, city, views


def _class_shares(area_class: str, part: Any) -> ClassShares:
    shares = part.shares()
    return ClassShares(
        area_class=area_class,
        road_m=round(part.road_m, 2),
        road_covered_m=round(part.road_covered_m, 2),
        road_share=shares["road_length"],
        key_places=part.places,
        key_places_covered=part.places_covered,
        key_place_share=shares["key_places"],
        hot_cells=part.hot_cells,
        hot_cells_covered=part.hot_cells_covered,
        hot_cell_share=shares["hot_cells"],
    )


def analyse_coverage(
    session: Session, ctx: AccessContext, city_document: Mapping[str, Any]
) -> CoverageOut:
    """The organisation's active cameras over a city (GeoJSON): shares by area class."""
    from vigil.video import coverage as cov

    _, city, views = _coverage_inputs(session, ctx, city_document)
    report = cov.coverage(views, city)
    return CoverageOut(
        cameras=len(views),
        covered_area_m2=round(report.covered.area, 1),
        total=_class_shares("all", report.total),
        by_class=[_class_shares(k, v) for k, v in sorted(report.by_class.items())],
    )


def gap_report(
    session: Session,
    ctx: AccessContext,
    city_document: Mapping[str, Any],
    *,
    sites: int = 3,
    fov_deg: float = 90.0,
    range_m: float = 60.0,
    limit: int = 50,
) -> GapReportOut:
    """The uncovered key places and hot cells, heaviest first, and `sites` new camera sites
    that see the most of them (the MCLP, solved exactly; the greedy answer for comparison)."""
    from vigil.video import coverage as cov

    frame, city, views = _coverage_inputs(session, ctx, city_document)
    report = cov.coverage(views, city)
    demands = cov.gap_demands(report)
    candidates = cov.candidate_sites(demands, city, fov_deg=fov_deg, range_m=range_m)
    chosen = cov.optimal_sites(demands, candidates, sites)
    greedy = cov.greedy_sites(demands, candidates, sites)

    def position(x: float, y: float) -> tuple[float, float]:
        lat, lon = frame.latlon(x, y)
        return round(lat, 6), round(lon, 6)

    gaps = []
    for d in demands[:limit]:
        lat, lon = position(d.point.x, d.point.y)
        gaps.append(
            GapOut(
                name=d.name,
                kind=d.kind,
                area_class=d.area_class,
                weight=round(d.weight, 3),
                latitude=lat,
                longitude=lon,
            )
        )
    proposed = []
    for s in chosen:
        lat, lon = position(s.x, s.y)
        proposed.append(
            SiteOut(
                latitude=lat,
                longitude=lon,
                heading_deg=s.heading_deg,
                covers=[demands[i].name for i in s.covers],
                weight=round(s.weight, 3),
            )
        )
    return GapReportOut(
        gaps=gaps,
        sites=proposed,
        uncovered_weight=round(sum(d.weight for d in demands), 3),
        covered_by_sites=round(cov.covered_weight(demands, chosen), 3),
        covered_by_greedy=round(cov.covered_weight(demands, greedy), 3),
    )


def _dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT on the session's back-end."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


# --- Key rotation -----------------------------------------------------------------------------


def rekey_cameras(session: Session, vault: IdentifierVault, after_id: int, limit: int) -> Rekeyed:
    """Re-encrypt one batch of cameras' stream URLs (`vigil keys rotate`)."""
    table = Camera.__table__
    assert isinstance(table, Table)
    return reencrypt_columns(session, vault, table, ("stream_url_ciphertext",), after_id, limit)
