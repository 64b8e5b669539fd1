"""Patrol places, crowd counts and plans over HTTP (analyst and supervisor roles)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from vigil.core.errors import FieldError, ValidationFailed
from vigil.http.deps import ContextDep, UnitOfWork
from vigil.http.params import RowId
from vigil.patrol import exports, service
from vigil.patrol.models import PatrolPlan
from vigil.patrol.schemas import (
    CheckOut,
    CrowdImportOut,
    PlaceIn,
    PlaceOut,
    PlanOut,
    PlanUnitOut,
    ViolationOut,
)

router = APIRouter(prefix="/v1/patrol", tags=["patrol"])

EXPORT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "ical": "text/calendar",
    "pdf": "application/pdf",
}


@router.post("/places", status_code=201, response_model=PlaceOut)
def create_place(body: PlaceIn, session: UnitOfWork, ctx: ContextDep) -> PlaceOut:
    return PlaceOut.model_validate(service.create_place(session, ctx, body))


@router.get("/places", response_model=list[PlaceOut])
def list_places(session: UnitOfWork, ctx: ContextDep) -> list[PlaceOut]:
    return [PlaceOut.model_validate(place) for place in service.list_places(session, ctx)]


@router.post("/crowd", status_code=201, response_model=CrowdImportOut)
def import_crowd(
    session: UnitOfWork,
    ctx: ContextDep,
    file: Annotated[
        UploadFile,
        File(description="CSV: place (its id), weekday (0 = Monday), band (0-47), count"),
    ],
) -> CrowdImportOut:
    """Crowd counts per place and half-hour band; a column that could name a person refuses
    the whole file."""
    rows, places = service.import_crowd(
        session, ctx, file.file, source=file.filename or "crowd.csv"
    )
    return CrowdImportOut(rows=rows, places=places)


def plan_out(session: UnitOfWork, plan: PatrolPlan) -> PlanOut:
    """A stored plan as the API shows it (proposing one is in `vigil.flows.patrol_plans`,
    which takes hot cells from analytics)."""
    document = plan.document
    return PlanOut(
        id=plan.id,
        week=plan.week,
        status=plan.status,
        proposed_by=plan.proposed_by,
        approved_by=plan.approved_by,
        approved_at=plan.approved_at,
        published_at=plan.published_at,
        objective=plan.objective,
        gap=plan.gap,
        visits=plan.visits,
        places=len(document.get("places", [])),
        units=len(document.get("units", [])),
        created_at=plan.created_at,
        assignments=[PlanUnitOut.model_validate(a) for a in service.plan_units(session, plan.id)],
    )


@router.get("/plans", response_model=list[PlanOut])
def list_plans(
    session: UnitOfWork,
    ctx: ContextDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[PlanOut]:
    """The agency's plans, newest first, without their visits."""
    return [plan_out(session, plan) for plan in service.list_plans(session, ctx, limit)]


@router.get("/plans/{plan_id}", response_model=PlanOut)
def get_plan(plan_id: RowId, session: UnitOfWork, ctx: ContextDep) -> PlanOut:
    return plan_out(session, service.get_plan(session, ctx, plan_id))


@router.post("/plans/{plan_id}/check", response_model=CheckOut)
def check_plan(plan_id: RowId, session: UnitOfWork, ctx: ContextDep) -> CheckOut:
    """The independent checker recomputes every rule and the objective from the plan file."""
    report = service.check_plan(session, ctx, plan_id)
    return CheckOut(
        ok=report.ok,
        visits=report.visits,
        objective=report.objective,
        violations=[ViolationOut(kind=v.kind, message=v.message) for v in report.violations],
    )


@router.get(
    "/plans/{plan_id}/export",
    response_class=Response,
    responses={200: {"content": {t.split(";")[0]: {} for t in EXPORT_TYPES.values()}}},
)
def export_plan(
    plan_id: RowId,
    session: UnitOfWork,
    ctx: ContextDep,
    format_: Annotated[Literal["json", "csv", "ical", "pdf"], Query(alias="format")] = "json",
    unit: Annotated[str | None, Query(max_length=40, description="unit code (ical, pdf)")] = None,
) -> Response:
    """The plan file (json), its visits (csv), one unit's calendar (ical, needs `unit`) or a
    printable PDF (all units, or `unit`)."""
    plan = service.document(service.get_plan(session, ctx, plan_id))
    codes = {u.code for u in plan.units}
    if unit is not None and unit not in codes:
        raise ValidationFailed("unknown unit", [FieldError("unit", f"no unit {unit} in plan")])
    if format_ == "json":
        body: bytes = plan.model_dump_json(exclude_none=True).encode()
    elif format_ == "csv":
        body = exports.to_csv(plan).encode("utf-8")
    elif format_ == "pdf":
        body = exports.to_pdf(plan, [unit] if unit else None)
    else:
        if unit is None:
            raise ValidationFailed("unit needed", [FieldError("unit", "ical is per unit")])
        body = exports.to_ical(plan)[unit]
    suffix = "ics" if format_ == "ical" else format_
    name = f"patrol-plan-{plan_id}{'-' + unit if unit else ''}.{suffix}"
    return Response(
        body,
        media_type=EXPORT_TYPES[format_],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/plans/{plan_id}/approve", response_model=PlanOut)
def approve_plan(plan_id: RowId, session: UnitOfWork, ctx: ContextDep) -> PlanOut:
    """A supervisor other than the proposer approves a draft that passes the checker."""
    return plan_out(session, service.approve_plan(session, ctx, plan_id))


@router.post("/plans/{plan_id}/publish", response_model=PlanOut)
def publish_plan(plan_id: RowId, session: UnitOfWork, ctx: ContextDep) -> PlanOut:
    """Publish an approved plan: each of its units gets its assignment, audited."""
    return plan_out(session, service.publish_plan(session, ctx, plan_id))
