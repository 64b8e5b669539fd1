"""The camera registry, its rules and events over HTTP. Event ingestion (which raises alerts)
is on the flow floor: `vigil.flows.video_api`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, File, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse

from vigil.core.errors import FieldError, ValidationFailed
from vigil.core.tabular import file_format, read_table
from vigil.http.deps import ContextDep, RuntimeDep, UnitOfWork
from vigil.http.params import AfterId, OptionalRowIdQuery, PageSize, RowId
from vigil.video import service
from vigil.video.review_cursor import (
    MAX_CURSOR_CHARS,
    BadCursor,
    ReviewCursor,
    decode_cursor,
    encode_cursor,
)
from vigil.video.schemas import (
    AnalyticsConfigIn,
    AnalyticsConfigOut,
    CameraImportOut,
    CameraIn,
    CameraOut,
    CameraStatusIn,
    CoverageOut,
    GapReportOut,
    ReviewIn,
    ReviewKind,
    ReviewState,
    RuleIn,
    RuleOut,
    StreamUrlOut,
    StreamUrlRequest,
    VideoEventOut,
    ZoneCountsOut,
)

router = APIRouter(prefix="/v1/video", tags=["video"])
MAX_IMPORT_BYTES = 8 * 1024 * 1024


@router.post("/cameras", status_code=201, response_model=CameraOut)
def create_camera(
    body: CameraIn, session: UnitOfWork, ctx: ContextDep, runtime: RuntimeDep
) -> CameraOut:
    return service.camera_out(service.create_camera(session, ctx, runtime.vault, body))


@router.post("/cameras/import", status_code=201, response_model=CameraImportOut)
def import_cameras(
    file: Annotated[
        UploadFile, File(description="cameras as CSV/JSONL rows, or ONVIF device JSON (.json)")
    ],
    session: UnitOfWork,
    ctx: ContextDep,
    runtime: RuntimeDep,
) -> CameraImportOut:
    """All the file's cameras, or none: every bad field is named by row (or device)."""
    name = file.filename or "cameras.csv"
    raw = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationFailed("file too large", [FieldError("file", "at most 8 MiB")])
    if name.lower().endswith(".json"):
        cameras = service.camera_inputs_from_onvif(raw)
    else:
        import io

        table = read_table(io.BytesIO(raw), file_format(name, default="csv"), source=name)
        cameras = service.camera_inputs_from_rows(table)
    rows = service.register_cameras(session, ctx, runtime.vault, cameras)
    return CameraImportOut(created=len(rows), codes=[r.code for r in rows])


@router.get("/cameras", response_model=list[CameraOut])
def list_cameras(session: UnitOfWork, ctx: ContextDep) -> list[CameraOut]:
    return [service.camera_out(c) for c in service.list_cameras(session, ctx)]


@router.post("/cameras/{camera_id}/status", response_model=CameraOut)
def set_status(
    camera_id: RowId, body: CameraStatusIn, session: UnitOfWork, ctx: ContextDep
) -> CameraOut:
    """Active, inactive or in maintenance; only active cameras count in the coverage."""
    return service.camera_out(service.set_camera_status(session, ctx, camera_id, body.status))


@router.post("/cameras/{camera_id}/stream-url", response_model=StreamUrlOut)
def reveal_stream_url(
    camera_id: RowId,
    body: StreamUrlRequest,
    session: UnitOfWork,
    ctx: ContextDep,
    runtime: RuntimeDep,
) -> StreamUrlOut:
    """The clear stream URL: administrators only, with a reason that is audited."""
    url = service.reveal_stream_url(session, ctx, runtime.vault, camera_id, body.reason)
    return StreamUrlOut(camera_id=camera_id, stream_url=url)


@router.post("/cameras/{camera_id}/rules", status_code=201, response_model=RuleOut)
def add_rule(camera_id: RowId, body: RuleIn, session: UnitOfWork, ctx: ContextDep) -> RuleOut:
    return RuleOut.model_validate(service.add_rule(session, ctx, camera_id, body))


@router.get("/cameras/{camera_id}/rules", response_model=list[RuleOut])
def list_rules(camera_id: RowId, session: UnitOfWork, ctx: ContextDep) -> list[RuleOut]:
    return [RuleOut.model_validate(r) for r in service.list_rules(session, ctx, camera_id)]


@router.get("/events", response_model=list[VideoEventOut])
def list_events(
    session: UnitOfWork,
    ctx: ContextDep,
    camera_id: OptionalRowIdQuery = None,
    order: Annotated[
        Literal["newest", "oldest"],
        Query(
            description="newest first (the last stored first), paging back with `before_id`; "
            "or oldest first, catching up with `after_id`"
        ),
    ] = "newest",
    after_id: AfterId = 0,
    before_id: OptionalRowIdQuery = None,
    limit: PageSize = 100,
) -> list[VideoEventOut]:
    """A page of the organisation's video events. For the next page pass the last event's id:
    as `before_id` newest first, as `after_id` oldest first."""
    rows = service.list_events(
        session,
        ctx,
        camera_id=camera_id,
        after_id=after_id,
        before_id=before_id,
        newest_first=order == "newest",
        limit=limit,
    )
    return [VideoEventOut.model_validate(r) for r in rows]


ReviewPageSize = Annotated[
    int, Query(ge=1, le=service.MAX_REVIEW_PAGE, description="events per page")
]
ReviewCursorQuery = Annotated[
    str | None,
    Query(
        max_length=MAX_CURSOR_CHARS,
        description="where the previous page ended: the `cursor` of its `Link: rel=next` header",
    ),
]
ReviewUntilQuery = Annotated[
    str | None,
    Query(
        max_length=MAX_CURSOR_CHARS,
        description="stop at this cursor, its event included: the pages already loaded, "
        "read again (a console's refresh hands the `cursor` of its next page)",
    ),
]


def _cursor(name: str, token: str | None) -> ReviewCursor | None:
    try:
        return decode_cursor(token) if token is not None else None
    except BadCursor as exc:
        raise ValidationFailed(f"bad {name}", [FieldError(name, str(exc))]) from None


@router.get(
    "/review",
    response_model=list[VideoEventOut],
    responses={
        200: {
            "headers": {
                "Link": {
                    "description": 'the next page, `<URL>; rel="next"`, while there may be one',
                    "schema": {"type": "string"},
                }
            }
        }
    },
)
def review_queue(
    request: Request,
    response: Response,
    session: UnitOfWork,
    ctx: ContextDep,
    state: Annotated[ReviewState | None, Query(description="only events in this state")] = None,
    camera_id: OptionalRowIdQuery = None,
    kind: Annotated[ReviewKind | None, Query(description="only events of this kind")] = None,
    cursor: ReviewCursorQuery = None,
    until: ReviewUntilQuery = None,
    limit: ReviewPageSize = 50,
) -> list[VideoEventOut]:
    """The events to review, newest first (zone counts are not in it). A full page ends
    with a `Link` header to the next one. An event keeps its place when it is reviewed and
    new events sort before the pages already read, so the pages list every event that was
    there once, whatever is reviewed or arrives between them."""
    after = _cursor("cursor", cursor)
    last = _cursor("until", until)
    rows = service.review_queue(
        session,
        ctx,
        state=state,
        camera_id=camera_id,
        kind=kind,
        after=after,
        until=last,
        limit=limit,
    )
    if len(rows) == limit:
        token = encode_cursor(service.review_cursor_of(rows[-1]))
        following = request.url.include_query_params(cursor=token)
        response.headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    return [VideoEventOut.model_validate(r) for r in rows]


@router.post("/events/{event_id}/review", response_model=VideoEventOut)
def review_event(
    event_id: RowId, body: ReviewIn, session: UnitOfWork, ctx: ContextDep
) -> VideoEventOut:
    """Confirm the event or call it a false alarm (or open it again); audited."""
    return VideoEventOut.model_validate(service.review_event(session, ctx, event_id, body))


@router.get(
    "/events/{event_id}/snapshot",
    response_class=FileResponse,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
)
def event_snapshot(
    event_id: RowId, session: UnitOfWork, ctx: ContextDep, runtime: RuntimeDep
) -> FileResponse:
    """The event's snapshot, people blurred (the only kind the worker stores), for the
    event's own organisation; 404 where there is none. Each view is audited."""
    store = runtime.settings.video_snapshot_dir
    path = service.snapshot_file(session, ctx, store, event_id)
    return FileResponse(path, headers={"Cache-Control": "private, no-store"})


@router.get("/zone-counts", response_model=list[ZoneCountsOut])
def zone_counts(
    session: UnitOfWork,
    ctx: ContextDep,
    camera_id: OptionalRowIdQuery = None,
    points: Annotated[int, Query(ge=1, le=96, description="counts per series")] = 16,
) -> list[ZoneCountsOut]:
    """Per camera, zone and label, the latest 15-minute count and the counts before it."""
    return service.zone_counts(session, ctx, camera_id=camera_id, points=points)


@router.get("/cameras/{camera_id}/analytics", response_model=AnalyticsConfigOut)
def get_analytics_config(
    camera_id: RowId, session: UnitOfWork, ctx: ContextDep
) -> AnalyticsConfigOut:
    """The built-in worker's zones, lines and rules for the camera (pixels of the frame)."""
    return service.analytics_config(session, ctx, camera_id)


@router.put("/cameras/{camera_id}/analytics", response_model=AnalyticsConfigOut)
def put_analytics_config(
    camera_id: RowId, body: AnalyticsConfigIn, session: UnitOfWork, ctx: ContextDep
) -> AnalyticsConfigOut:
    """Replace them: validated by the worker's own model, all stored or nothing."""
    return service.save_analytics_config(session, ctx, camera_id, body)


CityBody = Annotated[
    dict[str, Any],
    Body(
        description="the city as a GeoJSON FeatureCollection: roads, buildings, areas, "
        "places and hot cells (properties.kind)"
    ),
]


@router.post("/coverage", response_model=CoverageOut)
def coverage(city: CityBody, session: UnitOfWork, ctx: ContextDep) -> CoverageOut:
    """What the organisation's active cameras see of the city, by area class."""
    return service.analyse_coverage(session, ctx, city)


@router.post("/gaps", response_model=GapReportOut)
def gaps(
    city: CityBody,
    session: UnitOfWork,
    ctx: ContextDep,
    sites: Annotated[int, Query(ge=1, le=50, description="camera sites to propose")] = 3,
    fov_deg: Annotated[float, Query(gt=0, le=360)] = 90.0,
    range_m: Annotated[float, Query(gt=0, le=5000)] = 60.0,
) -> GapReportOut:
    """Uncovered key places and hot cells, ranked, and the best sites for new cameras."""
    return service.gap_report(session, ctx, city, sites=sites, fov_deg=fov_deg, range_m=range_m)
