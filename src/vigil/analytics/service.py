"""Incident use cases: import (one validation path for API JSON and CSV files), reads into
the DataFrame the pure modules take, and the analyses as JSON-able dicts.

Incidents are about places and times, not people, so calls need `Permission.ANALYSE` (staff
roles) but no purpose or legal basis. Imports and reads are still audited, in the caller's
transaction. Functions here never commit. Heavy libraries (pandas, scipy, matplotlib) are
imported inside the functions that need them, since this module is loaded with the models."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, cast

import h3
from sqlalchemy import ColumnElement, Select, Table, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from vigil.analytics.loader import (
    COLUMN_ALIASES,
    REQUIRED_COLUMNS,
    load_incident_rows,
    table_rows,
)
from vigil.analytics.models import IncidentRecord
from vigil.analytics.schemas import DEFAULT_H3_RESOLUTION, Incident, RowError
from vigil.analytics.taxonomy import DEFAULT_TAXONOMY, IncidentTaxonomy
from vigil.core.clock import utcnow
from vigil.core.errors import FieldError, Forbidden, ValidationFailed
from vigil.core.tabular import TabularError, read_text_table
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import (
    SYSTEM_PRINCIPAL,
    AccessContext,
    Permission,
    Purpose,
    require,
    system_context,
)
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule

if TYPE_CHECKING:
    import pandas as pd

STORAGE_RESOLUTION = DEFAULT_H3_RESOLUTION  # the `h3` column is always a resolution-9 cell
IMPORT_BATCH_ROWS = 5_000
# Wall-clock times may run ahead of UTC by up to 14 hours (UTC+14); later is impossible.
MAX_CLOCK_AHEAD = timedelta(hours=14)
ProgressCallback = Callable[[int], None]


# --- Import -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: `received` rows, of which `stored` were new, `duplicates` were
    already stored (same organisation and incident_id; the first write wins) and the rest
    were rejected. `errors` are per row (1-based; row 0 is about the columns)."""

    received: int = 0
    stored: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.received - self.stored - self.duplicates

    def as_dict(self, max_errors: int | None = None) -> dict[str, Any]:
        shown = self.errors if max_errors is None else self.errors[:max_errors]
        return {
            "received": self.received,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "error_count": len(self.errors),
            "errors": [e.model_dump() for e in shown],
            "errors_truncated": len(shown) < len(self.errors),
        }


def _wall_clock(value: datetime | None) -> datetime | None:
    """The local time the source reported, without its offset (kept apart)."""
    return None if value is None else value.replace(tzinfo=None)


def _offset_minutes(incident: Incident) -> int | None:
    offset = incident.earliest.utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


def _storage_cell(incident: Incident) -> str:
    if incident.h3 is not None and h3.get_resolution(incident.h3) == STORAGE_RESOLUTION:
        return incident.h3
    return str(h3.latlng_to_cell(incident.lat, incident.lon, STORAGE_RESOLUTION))


def _record(incident: Incident, organisation_id: int, now: datetime) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id,
        "incident_id": incident.incident_id,
        "type": incident.type,
        "time": _wall_clock(incident.time),
        "window_start": _wall_clock(incident.window_start),
        "window_end": _wall_clock(incident.window_end),
        "utc_offset_min": _offset_minutes(incident),
        "lat": incident.lat,
        "lon": incident.lon,
        "h3": _storage_cell(incident),
        "place_type": None if incident.place_type is None else incident.place_type.value,
        "severity": incident.severity,
        "killed": incident.killed,
        "injured": incident.injured,
        "source": incident.source,
        "created_at": now,
    }


def _existing_ids(session: Session, organisation_id: int, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for lo in range(0, len(ids), 500):
        found.update(
            session.scalars(
                select(IncidentRecord.incident_id).where(
                    IncidentRecord.organisation_id == organisation_id,
                    IncidentRecord.incident_id.in_(ids[lo : lo + 500]),
                )
            )
        )
    return found


def _insert_new(session: Session, records: list[dict[str, Any]]) -> list[int]:
    """Bulk insert; a row that a concurrent import stored meanwhile is skipped, not an error.
    Returns the ids of the rows actually inserted."""
    if not records:
        return []
    table = cast(Table, IncidentRecord.__table__)
    keys = ["organisation_id", "incident_id"]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        upsert = postgresql_insert(table).on_conflict_do_nothing(index_elements=keys)
        return list(session.scalars(upsert.returning(table.c.id), records))
    if dialect == "sqlite":
        skip = sqlite_insert(table).on_conflict_do_nothing(index_elements=keys)
        return list(session.scalars(skip.returning(table.c.id), records))
    return list(session.scalars(table.insert().returning(table.c.id), records))


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _owner(session: Session, ctx: AccessContext) -> int:
    if ctx.organisation_id == 0:
        raise Forbidden("incidents belong to an agency; act for one to import them")
    organisation = governance.get_organisation(session, ctx.organisation_id)
    if organisation.kind != "agency":
        raise Forbidden("only agencies keep incident records")
    return organisation.id


def import_incidents(
    session: Session,
    ctx: AccessContext,
    rows: Iterable[Mapping[str, Any]],
    *,
    source: str = "api",
    taxonomy: IncidentTaxonomy = DEFAULT_TAXONOMY,
    not_after: datetime | None = None,
    batch_rows: int = IMPORT_BATCH_ROWS,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Validates rows (dicts of column -> value, from JSON or CSV) with the analytics loader
    and stores the good ones for the caller's agency; bad rows are reported, never stored
    in part. Idempotent on (organisation, incident_id). Streams: rows are read and stored in
    batches. One audit entry (collect) records the counts."""
    require(ctx, Permission.ANALYSE)
    organisation_id = _owner(session, ctx)
    latest = not_after or utcnow() + MAX_CLOCK_AHEAD
    report = ImportReport()
    accepted: set[str] = set()  # incident ids seen in this import
    column_notes: set[tuple[str, str]] = set()
    stored_ids: list[int] = []
    for batch in _batches(rows, batch_rows):
        offset = report.received
        report.received += len(batch)
        result = load_incident_rows(
            batch, taxonomy=taxonomy, resolution=STORAGE_RESOLUTION, not_after=latest
        )
        for error in result.errors:
            if error.row == 0:  # column notes repeat in every batch: report them once
                if (error.field, error.message) not in column_notes:
                    column_notes.add((error.field, error.message))
                    report.errors.append(error)
            else:
                report.errors.append(error.model_copy(update={"row": error.row + offset}))
        fresh: list[Incident] = []
        for incident in result.incidents:
            if incident.incident_id in accepted:
                report.duplicates += 1
            else:
                accepted.add(incident.incident_id)
                fresh.append(incident)
        existing = _existing_ids(session, organisation_id, [i.incident_id for i in fresh])
        report.duplicates += len(existing)
        now = utcnow()
        records = [_record(i, organisation_id, now) for i in fresh if i.incident_id not in existing]
        inserted = _insert_new(session, records)
        report.duplicates += len(records) - len(inserted)
        report.stored += len(inserted)
        stored_ids.extend(inserted)
        if progress is not None:
            progress(len(batch))
    report.errors.sort(key=lambda e: e.row)
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "incident",
        f"{min(stored_ids)}..{max(stored_ids)}" if stored_ids else "-",
        detail={
            "source": source[:40],
            "received": report.received,
            "stored": report.stored,
            "duplicates": report.duplicates,
            "rejected": report.rejected,
            "errors": len(report.errors),
        },
    )
    return report


def _canonical(name: str) -> str:
    key = name.strip().lower()
    return COLUMN_ALIASES.get(key, key)


def csv_rows(stream: IO[str] | Iterable[str], errors: list[RowError]) -> Iterator[dict[str, Any]]:
    """Rows of CSV text, read by the one tabular reader (`loader.table_rows`). A header
    without the required columns is refused before anything is read; a line that cannot be
    read ends the rows there and is reported in `errors` with its line."""
    try:
        table = read_text_table(stream, "csv")
    except TabularError as error:
        raise ValidationFailed("the CSV header cannot be read", error.errors) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in {_canonical(h) for h in table.header}]
    if missing:
        raise ValidationFailed(
            "the CSV header lacks required columns",
            [FieldError(c, "required column missing from the header") for c in missing],
        )
    yield from table_rows(table, errors)


def import_incidents_csv(
    session: Session,
    ctx: AccessContext,
    stream: IO[str] | Iterable[str],
    *,
    source: str = "csv",
    progress: ProgressCallback | None = None,
    **options: Any,
) -> ImportReport:
    """`import_incidents` for CSV text, read as a stream (the same validation path)."""
    malformed: list[RowError] = []
    report = import_incidents(
        session, ctx, csv_rows(stream, malformed), source=source, progress=progress, **options
    )
    report.errors.extend(malformed)
    return report


def agency_context(session: Session, organisation: str) -> AccessContext:
    """Vigil's own context acting for one agency (the CLI import and the demo)."""
    org = governance.find_organisation(session, organisation)
    if org.kind != "agency":
        raise Forbidden(f"{org.name!r} is not an agency; only agencies keep incident records")
    return replace(
        system_context(Purpose.SERVICE, "incident import"),
        organisation_id=org.id,
        organisation_name=org.name,
    )


# --- Reads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFilters:
    """Which incidents to analyse. `since`/`until` are local wall-clock times: an incident
    is in when its time (window) ends at or after `since` and starts before `until`."""

    types: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None

    def checked(self, taxonomy: IncidentTaxonomy = DEFAULT_TAXONOMY) -> IncidentFilters:
        problems: list[FieldError] = []
        codes: list[str] = []
        for value in self.types:
            try:
                codes.append(taxonomy.resolve(value))
            except ValueError as error:
                problems.append(FieldError("type", str(error)))
        since, until = _wall_clock(self.since), _wall_clock(self.until)
        if since is not None and until is not None and until <= since:
            problems.append(FieldError("until", "until must be after since"))
        if problems:
            raise ValidationFailed("bad incident filter", problems)
        return IncidentFilters(tuple(dict.fromkeys(codes)), since, until)

    def as_dict(self) -> dict[str, Any]:
        return {
            "types": list(self.types),
            "since": None if self.since is None else self.since.isoformat(),
            "until": None if self.until is None else self.until.isoformat(),
        }


def _start() -> ColumnElement[datetime]:
    return func.coalesce(IncidentRecord.time, IncidentRecord.window_start)


def _end() -> ColumnElement[datetime]:
    return func.coalesce(IncidentRecord.time, IncidentRecord.window_end)


def _frame_query(ctx: AccessContext, filters: IncidentFilters) -> Select[*tuple[Any, ...]]:
    stmt = select(
        IncidentRecord.incident_id,
        IncidentRecord.type,
        IncidentRecord.lat,
        IncidentRecord.lon,
        IncidentRecord.h3,
        _start().label("start"),
        _end().label("end"),
        IncidentRecord.place_type,
        IncidentRecord.severity,
        IncidentRecord.killed,
        IncidentRecord.injured,
        IncidentRecord.source,
    ).order_by(IncidentRecord.id)
    if not (ctx.principal == SYSTEM_PRINCIPAL and ctx.organisation_id == 0):
        stmt = stmt.where(IncidentRecord.organisation_id == ctx.organisation_id)
    if filters.types:
        stmt = stmt.where(IncidentRecord.type.in_(filters.types))
    if filters.since is not None:
        stmt = stmt.where(_end() >= filters.since)
    if filters.until is not None:
        stmt = stmt.where(_start() < filters.until)
    return stmt


def load_frame(
    session: Session,
    ctx: AccessContext,
    filters: IncidentFilters | None = None,
    *,
    analysis: str = "frame",
) -> pd.DataFrame:
    """The caller's agency's incidents as the frame `frame.incidents_to_frame` builds (same
    columns and dtypes; `start`/`end` are naive local times). Audited as one consult."""
    import pandas as pd

    from vigil.analytics.frame import FRAME_COLUMNS

    require(ctx, Permission.ANALYSE)
    checked = (filters or IncidentFilters()).checked()
    frame = pd.read_sql(_frame_query(ctx, checked), session.connection())
    frame = frame.reindex(columns=list(FRAME_COLUMNS))
    frame["start"] = pd.to_datetime(frame["start"]).astype("datetime64[s]")
    frame["end"] = pd.to_datetime(frame["end"]).astype("datetime64[s]")
    frame["killed"] = frame["killed"].astype("int64")
    frame["injured"] = frame["injured"].astype("int64")
    audit.record(
        session,
        ctx,
        Action.CONSULT,
        "incident_analysis",
        analysis[:60],
        detail={"filters": checked.as_dict(), "incidents": len(frame)},
    )
    return frame


def count_incidents(session: Session, ctx: AccessContext) -> int:
    """How many incidents the caller's agency holds (not audited: a number, no records)."""
    require(ctx, Permission.ANALYSE)
    stmt = select(func.count()).select_from(IncidentRecord)
    stmt = stmt.where(IncidentRecord.organisation_id == ctx.organisation_id)
    return int(session.scalar(stmt) or 0)


# --- Analyses (read, then the pure modules) -----------------------------------------------


def hotspots(
    session: Session, ctx: AccessContext, filters: IncidentFilters | None = None, **params: Any
) -> dict[str, Any]:
    """Gi* hot-spot cells; `params` as `reports.hotspot_report`."""
    from vigil.analytics import reports

    return reports.hotspot_report(load_frame(session, ctx, filters, analysis="hotspots"), **params)


def hour_of_week(
    session: Session, ctx: AccessContext, filters: IncidentFilters | None = None
) -> dict[str, Any]:
    """168-bin hour-of-week profile with its peaks."""
    from vigil.analytics import reports

    return reports.profile_report(load_frame(session, ctx, filters, analysis="profile"))


def statistics(
    session: Session, ctx: AccessContext, filters: IncidentFilters | None = None, **params: Any
) -> dict[str, Any]:
    """Counts and rates, period-on-period change and casualties; `params` as
    `reports.stats_report`."""
    from vigil.analytics import reports

    return reports.stats_report(load_frame(session, ctx, filters, analysis="stats"), **params)


def surges(
    session: Session, ctx: AccessContext, filters: IncidentFilters | None = None, **params: Any
) -> dict[str, Any]:
    """Surge alerts about areas and incident types; `params` as `reports.surge_report`."""
    from vigil.analytics import reports

    return reports.surge_report(load_frame(session, ctx, filters, analysis="surges"), **params)


# --- Retention ----------------------------------------------------------------------------


def _purge_incidents(session: Session, cutoff: datetime) -> list[int]:
    """Deletes incidents whose time (window end) is before the cutoff."""
    local_cutoff = cutoff.astimezone(UTC).replace(tzinfo=None)
    stmt = (
        delete(IncidentRecord)
        .where(_end() < local_cutoff)
        .returning(IncidentRecord.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.scalars(stmt))


# Collected by the top floor (`vigil.domains`); importing this module registers nothing.
RETENTION_RULES = (RetentionRule("incident", "delete", _purge_incidents),)
