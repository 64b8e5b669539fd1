"""Video events over HTTP: the generic webhook and the NVR formats (Frigate's event API,
ONVIF messages). Each request is one unit of work: the events, and the alerts their
cameras' rules raise, are stored together or not at all. Events come from their source,
authenticated by its API key (X-API-Key): a business's for the cameras it owns, an agency's
video source key for the agency's cameras. A person signed in is refused (403), a request
without a key too (401)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request

from vigil.core.errors import FieldError, ValidationFailed
from vigil.flows.video_events import ingest_video_events, link_camera_to_asset
from vigil.http.deps import ContextDep, EventSourceDep, UnitOfWork
from vigil.http.params import RowId
from vigil.video.ingest import frigate, onvif
from vigil.video.schemas import CODE_PATTERN, CameraAssetIn, CameraOut, IngestOut, VideoEventIn
from vigil.video.service import camera_out

router = APIRouter(prefix="/v1/video/events", tags=["video"])
cameras_router = APIRouter(prefix="/v1/video/cameras", tags=["video"])
MAX_EVENTS = 1000
MAX_BODY_BYTES = 4 * 1024 * 1024


@router.post("/webhook", response_model=IngestOut)
def webhook(
    events: Annotated[list[VideoEventIn], Body(max_length=MAX_EVENTS)],
    session: UnitOfWork,
    ctx: EventSourceDep,
) -> IngestOut:
    """Generic video events (a JSON array), posted by their source with its API key: a
    business's for the cameras it owns under an agreement, an agency's video source key for
    the agency's cameras. Idempotent by (source, source_event_id)."""
    return ingest_video_events(session, ctx, events)


async def _body(request: Request) -> bytes:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ValidationFailed("body too large", [FieldError("body", "at most 4 MiB")])
    return raw


_FRIGATE_BODY = {
    "requestBody": {
        "required": True,
        "description": "Frigate's /api/events answer: a JSON array of events",
        "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}},
    }
}
_ONVIF_BODY = {
    "requestBody": {
        "required": True,
        "description": "tt:MetadataStream or wsnt:Notify XML, or the messages as JSON",
        "content": {
            "application/xml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        },
    }
}


@router.post("/frigate", response_model=IngestOut, openapi_extra=_FRIGATE_BODY)
async def frigate_events(request: Request, session: UnitOfWork, ctx: EventSourceDep) -> IngestOut:
    """Frigate's `/api/events` JSON (a list of events), as its HTTP API returns it."""
    raw = await _body(request)
    try:
        events = frigate.parse_api_events(raw)
    except frigate.FrigateFormatError as exc:
        raise ValidationFailed(
            "not a Frigate event list", [FieldError(exc.field, exc.message)]
        ) from None
    return ingest_video_events(session, ctx, events)


@router.post("/onvif", response_model=IngestOut, openapi_extra=_ONVIF_BODY)
async def onvif_events(
    request: Request,
    session: UnitOfWork,
    ctx: EventSourceDep,
    camera: Annotated[str, Query(pattern=CODE_PATTERN, description="the camera that sent them")],
) -> IngestOut:
    """ONVIF event or analytics messages, XML (tt:MetadataStream, wsnt:Notify) or JSON."""
    raw = await _body(request)
    try:
        events = onvif.parse_events(raw, camera)
    except onvif.OnvifFormatError as exc:
        raise ValidationFailed(
            "not an ONVIF message", [FieldError(exc.field, exc.message)]
        ) from None
    return ingest_video_events(session, ctx, events)


@cameras_router.put("/{camera_id}/asset", response_model=CameraOut)
def link_asset(
    camera_id: RowId, body: CameraAssetIn, session: UnitOfWork, ctx: ContextDep
) -> CameraOut:
    """The infrastructure asset (of your agency) this camera guards, or null: its intrusion
    events then open incidents at that asset."""
    return camera_out(link_camera_to_asset(session, ctx, camera_id, body.asset_id))
