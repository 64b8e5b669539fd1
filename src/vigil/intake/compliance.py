"""Business compliance records: filings on time, late and missing, the rejected-row rate and
lateness percentiles. About businesses only; nothing here rates or scores a person.

Counted set-wise by the database, for one business or for every business at once: the
agencies' list costs a fixed handful of queries (and one more per 500 businesses with late
filings), not several per business, and a business with millions of filings costs this
process nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, case, except_, func, select, tuple_
from sqlalchemy.orm import Session

from vigil.core.errors import Forbidden
from vigil.governance.access import AccessContext, Permission, Role, require
from vigil.governance.models import Organisation
from vigil.intake.models import IntakeBatch, Submission
from vigil.intake.sectors import SECTORS

QUANTILES = (0.5, 0.9, 0.99)
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])
# A filing exactly at its deadline is on time; SQLite's day fractions are exact to ~25 µs.
_TOLERANCE_S = 0.001
_RANKED_PER_QUERY = 500  # businesses whose late filings one percentile query ranks


def nearest_rank(n: int, q: float) -> int:
    """The 0-based position of the q-quantile among n sorted values."""
    return min(n - 1, max(0, round(q * (n - 1))))


def _delay_seconds(dialect: str) -> ColumnElement[Any]:
    """Seconds from the event to its filing, as a SQL expression."""
    if dialect == "postgresql":
        return func.extract("epoch", Submission.filed_at - Submission.event_time)
    return (func.julianday(Submission.filed_at) - func.julianday(Submission.event_time)) * 86400.0


def _scoped(query: _Query, column: Any, ids: Sequence[int] | None) -> _Query:
    return query if ids is None else query.where(column.in_(ids))


def _statistics(
    session: Session, ids: Sequence[int] | None, deadline_hours: dict[str, int]
) -> dict[int, dict[str, Any]]:
    """The counts and percentiles of the businesses `ids` (None: all), by organisation id;
    a business without filings or batches is absent."""
    org = Submission.organisation_id
    delay = _delay_seconds(session.get_bind().dialect.name)
    deadline = case(
        {sector: deadline_hours.get(sector, 24) * 3600 for sector in SECTORS},
        value=Submission.sector,
        else_=24 * 3600,
    )
    is_late = delay > deadline + _TOLERANCE_S
    stats: dict[int, dict[str, Any]] = {}

    def of(org_id: Any) -> dict[str, Any]:
        return stats.setdefault(int(org_id), _nothing_filed())

    timing = select(org, func.count(), func.sum(case((is_late, 1), else_=0))).group_by(org)
    for org_id, filings, late in session.execute(_scoped(timing, org, ids)):
        of(org_id).update(filings=int(filings), late=int(late or 0))

    # check-outs whose stay has no check-in: a set difference of each business's refs
    check_outs = select(org, Submission.ref).where(
        Submission.event_kind == "check_out", Submission.ref.is_not(None)
    )
    check_ins = select(org, Submission.ref).where(Submission.event_kind == "check_in")
    orphaned = except_(_scoped(check_outs, org, ids), _scoped(check_ins, org, ids)).subquery()
    per_business = select(orphaned.c.organisation_id, func.count()).group_by(
        orphaned.c.organisation_id
    )
    for org_id, missing in session.execute(per_business):
        of(org_id)["missing"] = int(missing)

    batches = select(
        IntakeBatch.organisation_id,
        func.sum(IntakeBatch.accepted),
        func.sum(IntakeBatch.duplicates),
        func.sum(IntakeBatch.rejected),
    ).group_by(IntakeBatch.organisation_id)
    for org_id, accepted, duplicates, rejected in session.execute(
        _scoped(batches, IntakeBatch.organisation_id, ids)
    ):
        of(org_id)["batches"] = (int(accepted or 0), int(duplicates or 0), int(rejected or 0))

    # nearest-rank percentiles of the hours late: each business's late filings ranked by
    # the database, and only the rows at the wanted ranks fetched
    wanted = {
        org_id: {nearest_rank(s["late"], q) for q in QUANTILES}
        for org_id, s in stats.items()
        if s["late"]
    }
    hours_late = (delay - deadline) / 3600.0
    late_ids = sorted(wanted)
    for start in range(0, len(late_ids), _RANKED_PER_QUERY):
        chunk = late_ids[start : start + _RANKED_PER_QUERY]
        ranked = (
            select(
                org.label("org"),
                hours_late.label("hours"),
                (func.row_number().over(partition_by=org, order_by=hours_late) - 1).label("rank"),
            )
            .where(is_late, org.in_(chunk))
            .subquery()
        )
        pairs = [(org_id, rank) for org_id in chunk for rank in sorted(wanted[org_id])]
        picked = select(ranked.c.org, ranked.c.rank, ranked.c.hours).where(
            tuple_(ranked.c.org, ranked.c.rank).in_(pairs)
        )
        for org_id, rank, hours in session.execute(picked):
            stats[int(org_id)]["percentiles"][int(rank)] = round(float(hours), 2)
    return stats


def _nothing_filed() -> dict[str, Any]:
    # "batches": rows (accepted, duplicate, rejected); "percentiles": hours late by rank
    return {"filings": 0, "late": 0, "missing": 0, "batches": (0, 0, 0), "percentiles": {}}


def _record(
    org: Organisation, stats: dict[str, Any] | None, deadline_hours: dict[str, int]
) -> dict[str, Any]:
    s = stats or _nothing_filed()
    accepted, duplicates, rejected = s["batches"]
    offered = accepted + duplicates + rejected
    filings, late = s["filings"], s["late"]
    percentile = {
        q: s["percentiles"].get(nearest_rank(late, q)) if late else None for q in QUANTILES
    }
    return {
        "organisation_id": org.id,
        "organisation": org.name,
        "sector": org.sector,
        "filings": filings,
        "on_time": filings - late,
        "late": late,
        "missing": s["missing"],
        "rows_accepted": accepted,
        "rows_duplicate": duplicates,
        "rows_rejected": rejected,
        "rejected_rate": round(rejected / offered, 4) if offered else 0.0,
        "lateness_hours_p50": percentile[0.5],
        "lateness_hours_p90": percentile[0.9],
        "lateness_hours_p99": percentile[0.99],
        "deadline_hours": {sector: deadline_hours.get(sector, 24) for sector in SECTORS},
    }


def compliance_record(
    session: Session,
    ctx: AccessContext,
    organisation_id: int,
    deadline_hours: dict[str, int],
) -> dict[str, Any]:
    """One business's record. A business sees only its own."""
    require(ctx, Permission.READ_COMPLIANCE)
    if ctx.role == Role.BUSINESS and organisation_id != ctx.organisation_id:
        raise Forbidden("a business sees only its own compliance record")
    org = session.get(Organisation, organisation_id)
    if org is None or org.kind != "business":
        raise Forbidden("compliance records exist for businesses only")
    stats = _statistics(session, [organisation_id], deadline_hours)
    return _record(org, stats.get(organisation_id), deadline_hours)


def compliance_records(
    session: Session,
    ctx: AccessContext,
    deadline_hours: dict[str, int],
    *,
    after_id: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Agencies see every business, in organisation order, a page at a time: those after
    `after_id`, at most `limit` (None: all). A business sees its own record only, on the page
    its id falls in."""
    require(ctx, Permission.READ_COMPLIANCE)
    if ctx.role == Role.BUSINESS:
        if ctx.organisation_id <= after_id or limit == 0:
            return []
        return [compliance_record(session, ctx, ctx.organisation_id, deadline_hours)]
    page = (
        select(Organisation)
        .where(Organisation.kind == "business", Organisation.id > after_id)
        .order_by(Organisation.id)
    )
    businesses = session.scalars(page if limit is None else page.limit(limit)).all()
    # a page counts its own businesses only; without a limit everyone is counted at once
    ids = None if limit is None else [org.id for org in businesses]
    stats = _statistics(session, ids, deadline_hours) if businesses else {}
    return [_record(org, stats.get(org.id), deadline_hours) for org in businesses]
