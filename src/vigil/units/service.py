"""The unit registry's use cases: register units, change their status along the allowed
transitions, take AVL fixes idempotently, send a unit to something, and recommend the nearest
available units by road. Every change is audited in the caller's transaction; nothing here
commits. Units hold no personal data, so reads need no legal basis."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from vigil.core.clock import as_utc, utcnow
from vigil.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from vigil.governance import audit
from vigil.governance.access import SYSTEM_PRINCIPAL, AccessContext, Permission, require
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule
from vigil.units.models import Unit, UnitAssignment, UnitPosition
from vigil.units.recommend import Recommendation, Recommender, UnitAt
from vigil.units.roads import RoadGraph, profile_for
from vigil.units.schemas import PositionIn, PositionsOut, StatusChangeIn, UnitIn, UnitUpdate

# status -> the statuses it may change to
TRANSITIONS: dict[str, frozenset[str]] = {
    "available": frozenset({"on_patrol", "dispatched", "out_of_service", "off_duty"}),
    "on_patrol": frozenset({"available", "dispatched", "out_of_service", "off_duty"}),
    "dispatched": frozenset({"en_route", "on_scene", "available", "out_of_service"}),
    "en_route": frozenset({"on_scene", "available", "out_of_service"}),
    "on_scene": frozenset({"available", "on_patrol", "out_of_service"}),
    "out_of_service": frozenset({"available", "off_duty"}),
    "off_duty": frozenset({"available", "on_patrol"}),
}
DISPATCHABLE = frozenset({"available", "on_patrol"})
COMMITTED = frozenset({"dispatched", "en_route", "on_scene"})  # busy with an assignment
FUTURE_TOLERANCE = timedelta(minutes=5)  # device clocks run a little ahead


def _own(ctx: AccessContext, unit: Unit | None, unit_id: int | str) -> Unit:
    if unit is None or (
        ctx.principal != SYSTEM_PRINCIPAL and unit.organisation_id != ctx.organisation_id
    ):
        raise NotFound(f"unit {unit_id} not found")
    return unit


def create_unit(session: Session, ctx: AccessContext, data: UnitIn) -> Unit:
    """A supervisor registers a unit of their agency."""
    require(ctx, Permission.APPROVE)
    taken = session.scalar(
        select(Unit.id).where(Unit.organisation_id == ctx.organisation_id, Unit.code == data.code)
    )
    if taken is not None:
        raise ValidationFailed(
            "code taken", [FieldError("code", f"your agency already has a unit {data.code}")]
        )
    unit = Unit(
        organisation_id=ctx.organisation_id, **data.model_dump(), status_changed_at=utcnow()
    )
    session.add(unit)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "unit",
        unit.id,
        detail={"code": unit.code, "mode": unit.mode, "status": unit.status},
    )
    return unit


def list_units(
    session: Session,
    ctx: AccessContext,
    *,
    status: str | None = None,
    capability: str | None = None,
) -> list[Unit]:
    require(ctx, Permission.WORK_ALERTS)
    query = select(Unit).where(Unit.organisation_id == ctx.organisation_id).order_by(Unit.code)
    if status is not None:
        query = query.where(Unit.status == status)
    units = list(session.scalars(query))
    if capability is not None:
        units = [u for u in units if capability in u.capabilities]
    return units


def get_unit(session: Session, ctx: AccessContext, unit_id: int) -> Unit:
    require(ctx, Permission.WORK_ALERTS)
    return _own(ctx, session.get(Unit, unit_id), unit_id)


def update_unit(session: Session, ctx: AccessContext, unit_id: int, data: UnitUpdate) -> Unit:
    """A supervisor changes a unit's particulars (mode, capabilities, shift, home base...)."""
    require(ctx, Permission.APPROVE)
    unit = _own(ctx, session.get(Unit, unit_id, with_for_update=True), unit_id)
    # a null speed means the mode's usual speed; other nulls change nothing
    changes = {
        k: v
        for k, v in data.model_dump(exclude_unset=True).items()
        if v is not None or k == "speed_kph"
    }
    before = {name: getattr(unit, name) for name in changes}
    for name, value in changes.items():
        setattr(unit, name, value)
    changed = {k: [before[k], v] for k, v in changes.items() if before[k] != v}
    if changed:
        audit.record(session, ctx, Action.ALTER, "unit", unit.id, detail={"changed": changed})
    return unit


def _release_assignments(session: Session, unit: Unit, now: datetime) -> list[int]:
    open_ones = session.scalars(
        select(UnitAssignment).where(
            UnitAssignment.unit_id == unit.id, UnitAssignment.released_at.is_(None)
        )
    ).all()
    for assignment in open_ones:
        assignment.released_at = now
    return [a.id for a in open_ones]


def change_status(
    session: Session,
    ctx: AccessContext,
    unit_id: int,
    change: StatusChangeIn,
    *,
    detail: dict[str, object] | None = None,
    at: datetime | None = None,
) -> Unit:
    """Move a unit along an allowed transition. Leaving the committed statuses for any other
    releases its open assignments. `detail` adds to the audit entry (e.g. the patrol plan
    that started a shift); `at` is the moment of the change (now when absent)."""
    require(ctx, Permission.WORK_ALERTS)
    unit = _own(ctx, session.get(Unit, unit_id, with_for_update=True), unit_id)
    if change.status == "dispatched":
        raise ValidationFailed(
            "dispatch through an assignment",
            [FieldError("status", "a unit is dispatched to something: use the dispatch call")],
        )
    if change.status not in TRANSITIONS[unit.status]:
        allowed = ", ".join(sorted(TRANSITIONS[unit.status]))
        raise Conflict(f"unit {unit.code} is {unit.status}; it may become: {allowed}")
    now = at or utcnow()
    previous = unit.status
    released: list[int] = []
    if previous in COMMITTED and change.status not in COMMITTED:
        released = _release_assignments(session, unit, now)
    unit.status, unit.status_changed_at = change.status, now
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "unit",
        unit.id,
        detail={
            "status": [previous, change.status],
            "reason": change.reason,
            "released": released,
            **(detail or {}),
        },
        at=now,
    )
    return unit


def dispatch_unit(
    session: Session,
    ctx: AccessContext,
    unit_id: int,
    subject_type: str,
    subject_id: str,
    reason: str = "",
) -> tuple[Unit, UnitAssignment]:
    """Send an available or patrolling unit to `subject_type:subject_id`."""
    require(ctx, Permission.WORK_ALERTS)
    unit = _own(ctx, session.get(Unit, unit_id, with_for_update=True), unit_id)
    if unit.status not in DISPATCHABLE:
        raise Conflict(f"unit {unit.code} is {unit.status}, not available for dispatch")
    now = utcnow()
    previous = unit.status
    unit.status, unit.status_changed_at = "dispatched", now
    assignment = UnitAssignment(
        unit_id=unit.id,
        organisation_id=unit.organisation_id,
        subject_type=subject_type,
        subject_id=subject_id,
        assigned_at=now,
    )
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "unit",
        unit.id,
        detail={
            "status": [previous, "dispatched"],
            "assignment": assignment.id,
            "to": f"{subject_type}:{subject_id}",
            "reason": reason,
        },
        at=now,
    )
    return unit, assignment


def assignments_for(
    session: Session, ctx: AccessContext, subject_type: str, subject_id: str
) -> list[UnitAssignment]:
    require(ctx, Permission.WORK_ALERTS)
    return list(
        session.scalars(
            select(UnitAssignment)
            .where(
                UnitAssignment.organisation_id == ctx.organisation_id,
                UnitAssignment.subject_type == subject_type,
                UnitAssignment.subject_id == subject_id,
            )
            .order_by(UnitAssignment.id)
        )
    )


# --- AVL -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    """An AVL fix for a unit known by id."""

    unit_id: int
    lat: float
    lon: float
    at: datetime


def record_positions(
    session: Session, ctx: AccessContext, unit_id: int, fixes: Sequence[PositionIn]
) -> PositionsOut:
    """AVL fixes for one unit of the caller's agency, over the API."""
    require(ctx, Permission.WORK_ALERTS)
    _own(ctx, session.get(Unit, unit_id), unit_id)
    limit = utcnow() + FUTURE_TOLERANCE
    errors = [
        FieldError(f"fixes.{i}.at", "lies in the future; send the device's time in UTC")
        for i, fix in enumerate(fixes)
        if fix.at > limit
    ]
    if errors:
        raise ValidationFailed("fixes from the future", errors)
    return record_fixes(
        session, ctx, [Fix(unit_id, f.lat, f.lon, f.at) for f in fixes], source="api"
    )


def units_by_code(session: Session, keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Unit ids for (agency id, code) pairs; unknown pairs are left out."""
    wanted = sorted(set(keys))
    found: dict[tuple[int, str], int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(Unit.organisation_id, Unit.code, Unit.id).where(
                tuple_(Unit.organisation_id, Unit.code).in_(chunk)
            )
        )
        found.update({(int(org), str(code)): int(i) for org, code, i in rows})
    return found


def record_fixes(
    session: Session, ctx: AccessContext, fixes: Sequence[Fix], source: str
) -> PositionsOut:
    """Store fixes idempotently by (unit, time). A fix newer than the unit's position moves
    it; an older one (out of order, or late) is kept in the track only; a repeated one is
    ignored. One insert, one audit append for the batch. Callers check the unit's agency."""
    now = utcnow()
    unique: dict[tuple[int, datetime], Fix] = {}
    for fix in fixes:
        unique.setdefault((fix.unit_id, as_utc(fix.at)), fix)
    if not unique:
        return PositionsOut(applied=0, stale=0, duplicate=0)
    unit_ids = sorted({unit for unit, _ in unique})
    units = {
        u.id: u
        for u in session.scalars(
            select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.id).with_for_update()
        )
    }
    rows = [
        {
            "unit_id": unit,
            "recorded_at": at,
            "latitude": fix.lat,
            "longitude": fix.lon,
            "source": source,
            "received_at": now,
        }
        for (unit, at), fix in sorted(unique.items())
        if unit in units
    ]
    statement = (
        _insert(session, UnitPosition)
        .on_conflict_do_nothing(index_elements=["unit_id", "recorded_at"])
        .returning(UnitPosition.unit_id, UnitPosition.recorded_at)
    )
    stored = {(int(u), as_utc(at)) for u, at in session.execute(statement, rows)} if rows else set()
    applied = stale = 0
    entries = []
    for key in sorted(stored):
        unit_id, at = key
        fix, unit = unique[key], units[unit_id]
        moves = unit.position_at is None or at > as_utc(unit.position_at)
        if moves:
            unit.latitude, unit.longitude, unit.position_at = fix.lat, fix.lon, at
            applied += 1
        else:
            stale += 1
        entries.append(
            audit.EntryIn(
                Action.ALTER,
                "unit",
                unit_id,
                detail={
                    "position": [fix.lat, fix.lon],
                    "at": at.isoformat(),
                    "source": source,
                    "applied": moves,
                },
            )
        )
    if entries:
        audit.record_many(session, ctx, entries, at=now)
    known = sum(1 for fix in fixes if fix.unit_id in units)  # repeats within the batch too
    return PositionsOut(
        applied=applied,
        stale=stale,
        duplicate=known - len(stored),
        unknown_unit=len(fixes) - known,
    )


def _insert(session: Session, table: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def track(
    session: Session, ctx: AccessContext, unit_id: int, limit: int = 100
) -> list[UnitPosition]:
    require(ctx, Permission.WORK_ALERTS)
    _own(ctx, session.get(Unit, unit_id), unit_id)
    query = (
        select(UnitPosition)
        .where(UnitPosition.unit_id == unit_id)
        .order_by(UnitPosition.recorded_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


# --- Recommendation ------------------------------------------------------------------------


def unit_location(unit: Unit) -> tuple[float, float]:
    """Where a unit is: its last AVL fix, else its home base."""
    if unit.latitude is not None and unit.longitude is not None:
        return unit.latitude, unit.longitude
    return unit.home_lat, unit.home_lon


def recommend(
    session: Session,
    ctx: AccessContext,
    graph: RoadGraph,
    lat: float,
    lon: float,
    *,
    capability: str | None = None,
    k: int = 3,
) -> list[tuple[Unit, Recommendation]]:
    """The caller's agency's `k` available (or patrolling) units with `capability` that reach
    (lat, lon) soonest by road."""
    require(ctx, Permission.WORK_ALERTS)
    candidates = [
        unit
        for unit in session.scalars(
            select(Unit)
            .where(Unit.organisation_id == ctx.organisation_id, Unit.status.in_(DISPATCHABLE))
            .order_by(Unit.id)
        )
        if capability is None or capability in unit.capabilities
    ]
    by_id = {unit.id: unit for unit in candidates}
    recommender = Recommender(
        graph,
        [
            UnitAt(unit.id, *unit_location(unit), profile_for(unit.mode, unit.speed_kph))
            for unit in candidates
        ],
    )
    return [(by_id[r.unit_id], r) for r in recommender.nearest(lat, lon, k)]


# --- Retention -----------------------------------------------------------------------------


def _purge_track(session: Session, cutoff: datetime) -> list[int]:
    """AVL fixes recorded before `cutoff`; a unit's current position stays on the unit."""
    ids = list(session.scalars(select(UnitPosition.id).where(UnitPosition.recorded_at < cutoff)))
    for start in range(0, len(ids), 1000):
        session.execute(delete(UnitPosition).where(UnitPosition.id.in_(ids[start : start + 1000])))
    return ids


# Collected by the top floor (`vigil.domains`); importing this module registers nothing.
RETENTION_RULES = (RetentionRule("unit_position", "delete", _purge_track),)
