"""Incident import and analytics. Staff roles only (Permission.ANALYSE): business keys,
auditors and admins get 403. No X-Purpose: incidents are places and times, not people.

Import replies (POST /v1/incidents and POST /v1/incidents/import) carry the counts and the
per-row errors (`{"row", "field", "message"}`, rows 1-based; row 0 is about the columns):
- 200: every row was stored or was already stored (a re-sent incident_id is a duplicate);
- 207: some rows were stored, some rejected; the good rows are stored, the bad ones not at all;
- 422 (problem+json with the same members): no row could be stored.
The import is audited in every case.

Analyses read in a short transaction, then compute outside it, so that a long permutation
run never holds the database's write lock."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import h3
from fastapi import APIRouter, Body, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from vigil.analytics import service
from vigil.analytics.schemas import (
    HotspotReport,
    ImportReportOut,
    ProfileReport,
    StatsReport,
    SurgeReport,
)
from vigil.analytics.service import ImportReport, IncidentFilters
from vigil.core import tabular
from vigil.core.errors import NotFound, PayloadTooLarge, UnsupportedMediaType
from vigil.http.deps import ContextDep, RuntimeDep
from vigil.http.problems import MEDIA_TYPE, PROBLEM_BASE

router = APIRouter(tags=["analytics"])
MAX_JSON_INCIDENTS = 10_000
MAX_ERRORS_IN_REPLY = 1_000
CSV_MEDIA_TYPES = frozenset(
    {"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"}
)


def _import_reply(request: Request, report: ImportReport) -> JSONResponse:
    body = report.as_dict(MAX_ERRORS_IN_REPLY)
    if report.rejected == 0 and not report.errors:
        return JSONResponse(body, status_code=200)
    if report.stored + report.duplicates > 0:
        return JSONResponse(body, status_code=207)
    problem = {
        "type": PROBLEM_BASE + "validation",
        "title": "Validation failed",
        "status": 422,
        "detail": "no incident could be stored; see errors",
        "instance": request.url.path,
    }
    return JSONResponse({**problem, **body}, status_code=422, media_type=MEDIA_TYPE)


IMPORT_ANSWERS: dict[int | str, dict[str, Any]] = {
    207: {"model": ImportReportOut, "description": "some rows stored, some rejected"},
    422: {"description": "no row could be stored: problem+json with the same members"},
}


@router.post("/v1/incidents", response_model=ImportReportOut, responses=IMPORT_ANSWERS)
def post_incidents(
    request: Request,
    runtime: RuntimeDep,
    ctx: ContextDep,
    incidents: Annotated[list[dict[str, Any]], Body()],
) -> JSONResponse:
    """Stores a JSON list of incidents (at most 10,000); idempotent on incident_id."""
    if len(incidents) > MAX_JSON_INCIDENTS:
        raise PayloadTooLarge(
            f"at most {MAX_JSON_INCIDENTS} incidents per request; "
            "upload a CSV file to POST /v1/incidents/import"
        )
    with runtime.unit_of_work() as session:
        report = service.import_incidents(session, ctx, incidents, source="api")
    return _import_reply(request, report)


@router.post("/v1/incidents/import", response_model=ImportReportOut, responses=IMPORT_ANSWERS)
def import_incidents_file(
    request: Request,
    runtime: RuntimeDep,
    ctx: ContextDep,
    file: Annotated[
        UploadFile, File(description="incidents CSV: UTF-8 with or without BOM, GBK/GB18030")
    ],
    encoding: Annotated[
        str | None, Query(description="the file's encoding, if detection should not choose")
    ] = None,
) -> JSONResponse:
    """Stores the incidents of a CSV upload, read as a stream through the one tabular reader
    (encoding detected unless given, any line ends); same rules as POST /v1/incidents, with
    row numbers counting data rows after the header."""
    media_type = (file.content_type or "").split(";")[0].strip().lower()
    named_csv = (file.filename or "").lower().endswith(".csv")
    if media_type not in CSV_MEDIA_TYPES and not named_csv:
        raise UnsupportedMediaType(f"expected a CSV file, got {media_type or 'no media type'}")
    name = file.filename or "upload"
    chosen = tabular.choose_encoding(file.file, encoding, source=name)
    lines = tabular.decoded_lines(file.file, chosen, source=name)
    with runtime.unit_of_work() as session:
        report = service.import_incidents_csv(session, ctx, lines, source=f"csv:{name}")
    return _import_reply(request, report)


def incident_filters(
    incident_type: Annotated[
        list[str] | None, Query(alias="type", description="incident type(s)")
    ] = None,
    since: Annotated[datetime | None, Query(description="local time, inclusive")] = None,
    until: Annotated[datetime | None, Query(description="local time, exclusive")] = None,
) -> IncidentFilters:
    return IncidentFilters(tuple(incident_type or ()), since, until)


FiltersDep = Annotated[IncidentFilters, Depends(incident_filters)]
Resolution = Annotated[int, Query(ge=0, le=15, description="H3 resolution")]
Permutations = Annotated[int, Query(ge=0, le=9_999)]
Seed = Annotated[int, Query(ge=0)]


@router.get("/v1/analytics/hotspots", response_model=HotspotReport)
def get_hotspots(
    runtime: RuntimeDep,
    ctx: ContextDep,
    filters: FiltersDep,
    resolution: Resolution = 9,
    permutations: Permutations = 99,
    seed: Seed = 1,
    study_area: Literal["occupied", "padded"] = "occupied",
    k: Annotated[int, Query(ge=1, le=3, description="k-ring of the neighbourhood")] = 1,
) -> dict[str, Any]:
    """Getis-Ord Gi* per H3 cell: count, z, permutation p, FDR-adjusted p and class."""
    from vigil.analytics import reports

    with runtime.unit_of_work() as session:
        frame = service.load_frame(session, ctx, filters, analysis="hotspots")
    report = reports.hotspot_report(
        frame, resolution=resolution, permutations=permutations, seed=seed, study=study_area, k=k
    )
    for cell in report["cells"]:  # the hexagon's corners, so a map draws it without H3
        cell["boundary"] = [[round(x, 6), round(y, 6)] for y, x in h3.cell_to_boundary(cell["h3"])]
    return report


@router.get("/v1/analytics/profile", response_model=ProfileReport)
def get_profile(runtime: RuntimeDep, ctx: ContextDep, filters: FiltersDep) -> dict[str, Any]:
    """168 hour-of-week bins (Monday 00:00 first; time windows spread aoristically)."""
    from vigil.analytics import reports

    with runtime.unit_of_work() as session:
        frame = service.load_frame(session, ctx, filters, analysis="profile")
    return reports.profile_report(frame)


@router.get("/v1/analytics/stats", response_model=StatsReport)
def get_stats(
    runtime: RuntimeDep,
    ctx: ContextDep,
    filters: FiltersDep,
    period: Literal["D", "W", "M", "Y"] = "M",
    area_resolution: Annotated[int, Query(ge=0, le=15)] = 7,
) -> dict[str, Any]:
    """Counts and rates by type x area x period, year-on-year and week-on-week change,
    casualties."""
    from vigil.analytics import reports

    with runtime.unit_of_work() as session:
        frame = service.load_frame(session, ctx, filters, analysis="stats")
    return reports.stats_report(frame, period=period, area_resolution=area_resolution)


@router.get("/v1/analytics/surges", response_model=SurgeReport)
def get_surges(
    runtime: RuntimeDep,
    ctx: ContextDep,
    filters: FiltersDep,
    period: Literal["D", "W", "M"] = "W",
    area_resolution: Annotated[int, Query(ge=0, le=15)] = 7,
    baseline_periods: Annotated[int, Query(ge=2, le=104)] = 8,
    alpha: Annotated[float, Query(gt=0.0, lt=0.5)] = 0.01,
    min_count: Annotated[int, Query(ge=1)] = 3,
    all_periods: Annotated[bool, Query(description="not only the latest period")] = False,
) -> dict[str, Any]:
    """Surge alerts per area x incident type (Poisson or negative-binomial control limits)."""
    from vigil.analytics import reports

    with runtime.unit_of_work() as session:
        frame = service.load_frame(session, ctx, filters, analysis="surges")
    return reports.surge_report(
        frame,
        period=period,
        area_resolution=area_resolution,
        baseline_periods=baseline_periods,
        alpha=alpha,
        min_count=min_count,
        only_last=not all_periods,
    )


class ChartName(StrEnum):
    HEATMAP = "heatmap"
    TREND = "trend"
    HOTSPOTS = "hotspots"


@router.get(
    "/v1/analytics/charts/{name}.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def get_chart(
    name: ChartName,
    runtime: RuntimeDep,
    ctx: ContextDep,
    filters: FiltersDep,
    resolution: Resolution = 9,
    permutations: Permutations = 99,
    seed: Seed = 1,
    period: Literal["W", "Y"] = "W",
) -> Response:
    """The hour-of-week heatmap, the trend per type, or the hot-spot map, as PNG."""
    from vigil.analytics import reports

    with runtime.unit_of_work() as session:
        frame = service.load_frame(session, ctx, filters, analysis=f"chart:{name.value}")
    if frame.empty:
        raise NotFound("no incidents match; nothing to chart")
    figure, _ = reports.chart(
        frame,
        name.value,
        resolution=resolution,
        permutations=permutations,
        seed=seed,
        period=period,
    )
    return Response(reports.png_bytes(figure), media_type="image/png")
