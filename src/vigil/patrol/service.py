"""Patrol places, crowd counts and plans, within the caller's organisation. Never commits.

A plan is proposed (draft), approved by a supervisor other than its proposer, then published:
publishing records each registry unit's assignment. Every change is audited. Places, times
and unit codes only, so no read needs a legal basis."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import IO

import numpy as np
from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from vigil.core.clock import as_utc, utcnow
from vigil.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from vigil.core.tabular import TabularError
from vigil.governance import audit
from vigil.governance.access import SYSTEM_PRINCIPAL, AccessContext, Permission, require
from vigil.governance.audit import Action
from vigil.patrol import build, checker, coverage, randomised
from vigil.patrol import plan as fmt
from vigil.patrol.crowd import read_crowd_csv
from vigil.patrol.models import PatrolCrowd, PatrolPlace, PatrolPlan, PatrolPlanUnit
from vigil.patrol.schemas import PlaceIn, PlanIn
from vigil.units import service as units_service
from vigil.units.models import Unit
from vigil.units.recommend import travel_matrix
from vigil.units.roads import RoadGraph, profile_for
from vigil.units.schemas import StatusChangeIn

PATROL_MODES = ("foot", "bike", "motorbike", "car")
REFERENCE_MODE = "bike"  # constant speed on the roads foot and bike teams use


def create_place(session: Session, ctx: AccessContext, data: PlaceIn) -> PatrolPlace:
    require(ctx, Permission.ANALYSE)
    values = data.model_dump()
    values["opening_hours"] = [h.model_dump() for h in data.opening_hours]
    place = PatrolPlace(organisation_id=ctx.organisation_id, **values)
    session.add(place)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "patrol_place", place.id)
    return place


def list_places(session: Session, ctx: AccessContext) -> list[PatrolPlace]:
    """The organisation's places; no personal data, so no legal basis is needed."""
    require(ctx, Permission.ANALYSE)
    query = (
        select(PatrolPlace)
        .where(PatrolPlace.organisation_id == ctx.organisation_id)
        .order_by(PatrolPlace.id)
    )
    return list(session.scalars(query))


def import_crowd(
    session: Session, ctx: AccessContext, binary: IO[bytes], *, source: str = "crowd.csv"
) -> tuple[int, int]:
    """Counts (place id, weekday, band, count) replace the stored ones for those bands. The
    whole file or nothing: a person column, a bad row or an unknown place refuses it."""
    require(ctx, Permission.ANALYSE)
    try:
        counts = read_crowd_csv(binary, source=source)
    except TabularError as bad:
        raise ValidationFailed(bad.detail, bad.errors) from None
    own = {str(p.id): p.id for p in list_places(session, ctx)}
    for n, row in enumerate(counts):
        if row.place not in own:
            raise ValidationFailed(
                f"{source}, row {n + 1}: unknown place {row.place!r}",
                [FieldError("place", f"row {n + 1}: no place {row.place!r} in your agency")],
            )
    latest = {(own[r.place], r.weekday, r.band): r.count for r in counts}
    if latest:
        session.execute(
            delete(PatrolCrowd).where(
                tuple_(PatrolCrowd.place_id, PatrolCrowd.weekday, PatrolCrowd.band).in_(
                    list(latest)
                )
            )
        )
        session.add_all(
            PatrolCrowd(place_id=p, weekday=w, band=b, count=c) for (p, w, b), c in latest.items()
        )
        session.flush()
    places = sorted({p for p, _, _ in latest})
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "patrol_crowd",
        source[:64],
        detail={"rows": len(latest), "places": places},
    )
    return len(latest), len(places)


def propose_plan(
    session: Session,
    ctx: AccessContext,
    data: PlanIn,
    graph: RoadGraph,
    hot: build.HotSpots | None = None,
) -> PatrolPlan:
    """Solve the week's coverage plan and store it as a draft proposed by the caller. `hot`:
    hot cells to revisit while hot (`vigil.flows.patrol_plans` takes them from analytics)."""
    require(ctx, Permission.ANALYSE)
    stored = list_places(session, ctx)
    if not stored:
        raise ValidationFailed("no places", [FieldError("week", "your agency has no places yet")])
    units = list(
        session.scalars(
            select(Unit)
            .where(Unit.organisation_id == ctx.organisation_id, Unit.mode.in_(PATROL_MODES))
            .order_by(Unit.code)
        )
    )
    units = [u for u in units if "patrol" in (u.capabilities or [])]
    if not units:
        raise ValidationFailed(
            "no units", [FieldError("week", "your agency has no patrol units in the registry")]
        )
    places = []
    for p in stored:
        lat, lon = build.locate(p.h3_cell, p.latitude, p.longitude)
        places.append(
            build.PlaceRow(p.id, p.name, p.kind, lat, lon, p.capacity, p.is_key, p.opening_hours)
        )
    unit_rows = [
        build.UnitRow(
            u.code,
            u.mode,
            float(u.speed_kph or profile_for(u.mode).speed_kph),
            u.capacity,
            u.shift_start,
            u.shift_end,
            u.home_lat,
            u.home_lon,
        )
        for u in units
    ]
    ids = [p.id for p in stored]
    crowd = [
        (c.place_id, c.weekday, c.band, c.count)
        for c in session.scalars(select(PatrolCrowd).where(PatrolCrowd.place_id.in_(ids)))
    ]
    profile = profile_for(REFERENCE_MODE)
    where = build.points(places, unit_rows, hot)
    minutes = travel_matrix(graph, where, where, profile) / 60.0
    problem = build.problem_for_week(
        data.week,
        places,
        crowd,
        unit_rows,
        np.asarray(minutes),
        profile.speed_kph,
        utc_offset_hours=data.utc_offset_hours,
        hour_of_week=data.hour_of_week,
        default_crowd_share=data.default_crowd_share,
        hot=hot,
    )
    solution = coverage.solve(
        problem,
        time_limit=data.time_limit_s,
        relative_gap=0.01,
        workers=1,
        reroute_seconds=min(10.0, data.time_limit_s / 2),
        construction="stations",  # city-wide, and it meets hot cells and rushes by detours
        stations_seconds=data.time_limit_s / 2,
    )
    chosen = randomised.randomise(problem, data.guards, seed=data.seed) if data.guards else None
    document = solution.plan.model_copy(update={"randomised": chosen})
    plan = PatrolPlan(
        organisation_id=ctx.organisation_id,
        week=data.week,
        status="draft",
        proposed_by=ctx.principal,
        objective=document.objective,
        gap=document.gap,
        visits=len(document.assignments),
        document=document.model_dump(mode="json", exclude_none=True),
    )
    session.add(plan)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "patrol_plan",
        plan.id,
        detail={
            "week": data.week,
            "visits": plan.visits,
            "objective": round(plan.objective, 3),
            "hot_cells": len(hot.cells) if hot else 0,
        },
    )
    return plan


def get_plan(
    session: Session, ctx: AccessContext, plan_id: int, *, lock: bool = False
) -> PatrolPlan:
    require(ctx, Permission.ANALYSE)
    plan = session.get(PatrolPlan, plan_id, with_for_update=lock)
    if plan is None or plan.organisation_id != ctx.organisation_id:
        raise NotFound(f"patrol plan {plan_id} not found")
    return plan


def list_plans(session: Session, ctx: AccessContext, limit: int = 50) -> list[PatrolPlan]:
    """The organisation's plans, newest first (the console's plan picker)."""
    require(ctx, Permission.ANALYSE)
    query = (
        select(PatrolPlan)
        .where(PatrolPlan.organisation_id == ctx.organisation_id)
        .order_by(PatrolPlan.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def document(plan: PatrolPlan) -> fmt.Plan:
    return fmt.Plan.model_validate(plan.document)


def check_plan(session: Session, ctx: AccessContext, plan_id: int) -> checker.Report:
    """The independent checker's report on the stored plan file."""
    return checker.check(document(get_plan(session, ctx, plan_id)))


def plan_units(session: Session, plan_id: int) -> list[PatrolPlanUnit]:
    return list(
        session.scalars(
            select(PatrolPlanUnit)
            .where(PatrolPlanUnit.plan_id == plan_id)
            .order_by(PatrolPlanUnit.id)
        )
    )


def approve_plan(session: Session, ctx: AccessContext, plan_id: int) -> PatrolPlan:
    """A supervisor other than the proposer approves a draft that passes the checker."""
    require(ctx, Permission.APPROVE)
    plan = get_plan(session, ctx, plan_id, lock=True)
    if plan.status != "draft":
        raise Conflict(f"patrol plan {plan_id} is {plan.status}, not a draft")
    if plan.proposed_by == ctx.principal:
        raise Conflict("two-person rule: the proposer of a plan may not approve it")
    report = checker.check(document(plan))
    if not report.ok:
        kinds = ", ".join(sorted(report.kinds()))
        raise Conflict(f"patrol plan {plan_id} fails the checker ({kinds})")
    now = utcnow()
    plan.status, plan.approved_by, plan.approved_at = "approved", ctx.principal, now
    audit.record(
        session, ctx, Action.ALTER, "patrol_plan", plan.id,
        detail={"status": ["draft", "approved"], "proposed_by": plan.proposed_by}, at=now,
    )  # fmt: skip
    return plan


def publish_plan(session: Session, ctx: AccessContext, plan_id: int) -> PatrolPlan:
    """Publish an approved plan to its units: one assignment per registry unit, audited."""
    require(ctx, Permission.APPROVE)
    plan = get_plan(session, ctx, plan_id, lock=True)
    if plan.status != "approved":
        raise Conflict(f"patrol plan {plan_id} is {plan.status}; a supervisor approves it first")
    content = document(plan)
    spans: dict[str, list[datetime]] = {}
    counts: dict[str, int] = {}
    for visit in content.assignments:
        span = spans.setdefault(visit.unit, [visit.start, visit.end])
        span[0], span[1] = min(span[0], visit.start), max(span[1], visit.end)
        counts[visit.unit] = counts.get(visit.unit, 0) + 1
    by_code = {
        u.code: u.id
        for u in session.scalars(
            select(Unit).where(
                Unit.organisation_id == ctx.organisation_id, Unit.code.in_(list(spans))
            )
        )
    }
    missing = sorted(set(spans) - set(by_code))
    if missing:
        raise Conflict(f"units no longer in the registry: {', '.join(missing[:5])}")
    now = utcnow()
    for code, (first, last) in sorted(spans.items()):
        session.add(
            PatrolPlanUnit(
                plan_id=plan.id, unit_id=by_code[code], visits=counts[code],
                first_start=first, last_end=last,
            )
        )  # fmt: skip
        audit.record(
            session, ctx, Action.ALTER, "unit", by_code[code],
            detail={"patrol_plan": plan.id, "visits": counts[code]}, at=now,
        )  # fmt: skip
    plan.status, plan.published_at = "published", now
    session.flush()
    audit.record(
        session, ctx, Action.DISCLOSE, "patrol_plan", plan.id,
        detail={"status": ["approved", "published"], "units": len(spans)}, at=now,
    )  # fmt: skip
    return plan


def gap_or_none(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


@dataclass(frozen=True)
class ShiftChanges:
    started: list[str]  # unit codes set on patrol
    ended: list[str]  # unit codes set back to available


def _plan_shifts(plan: PatrolPlan) -> dict[str, list[tuple[datetime, datetime]]]:
    """Unit code -> its shifts in the plan file (aware datetimes)."""
    out: dict[str, list[tuple[datetime, datetime]]] = {}
    for unit in plan.document.get("units", []):
        out[str(unit["code"])] = [
            (as_utc(datetime.fromisoformat(s["start"])), as_utc(datetime.fromisoformat(s["end"])))
            for s in unit.get("shifts", [])
        ]
    return out


def apply_shifts(session: Session, ctx: AccessContext, now: datetime | None = None) -> ShiftChanges:
    """Units on a published plan go on patrol when one of their shifts in it starts, and back
    to available when it ends, through the units registry (each change audited with the plan
    and the shift). A unit that is dispatched, en route, on scene or out of service is left
    alone; a unit is set back only when its patrol status began during the shift that ended,
    so a status someone set by hand outside a shift stands. Run it every few minutes
    (`vigil patrol shifts`); a run changes nothing that is already right."""
    require(ctx, Permission.WORK_ALERTS)
    now = as_utc(now or utcnow())
    query = select(PatrolPlan).where(PatrolPlan.status == "published")
    if ctx.principal != SYSTEM_PRINCIPAL:
        query = query.where(PatrolPlan.organisation_id == ctx.organisation_id)
    inside: dict[int, tuple[int, datetime]] = {}  # unit id -> (plan, shift start)
    ended: dict[int, list[tuple[int, datetime, datetime]]] = {}
    for plan in session.scalars(query.order_by(PatrolPlan.id)):
        shifts = _plan_shifts(plan)
        members = session.execute(
            select(PatrolPlanUnit.unit_id, Unit.code)
            .join(Unit, Unit.id == PatrolPlanUnit.unit_id)
            .where(PatrolPlanUnit.plan_id == plan.id)
        ).all()
        for unit_id, code in members:
            for start, end in shifts.get(code, []):
                if start <= now < end:
                    inside.setdefault(unit_id, (plan.id, start))
                elif end <= now:
                    ended.setdefault(unit_id, []).append((plan.id, start, end))
    started_codes: list[str] = []
    ended_codes: list[str] = []
    for unit_id in sorted(set(inside) | set(ended)):
        unit = session.get(Unit, unit_id)
        if unit is None:
            continue
        if unit_id in inside:
            plan_id, start = inside[unit_id]
            if unit.status in ("available", "off_duty"):
                units_service.change_status(
                    session, ctx, unit_id,
                    StatusChangeIn(status="on_patrol", reason="patrol plan shift started"),
                    detail={"patrol_plan": plan_id, "shift_start": start.isoformat()}, at=now,
                )  # fmt: skip
                started_codes.append(unit.code)
            continue
        if unit.status != "on_patrol":
            continue
        since = as_utc(unit.status_changed_at)
        for plan_id, start, end in ended[unit_id]:
            if start <= since < end:
                units_service.change_status(
                    session, ctx, unit_id,
                    StatusChangeIn(status="available", reason="patrol plan shift ended"),
                    detail={"patrol_plan": plan_id, "shift_end": end.isoformat()}, at=now,
                )  # fmt: skip
                ended_codes.append(unit.code)
                break
    return ShiftChanges(started_codes, ended_codes)
