"""Intake use cases. Functions take a session and an access context and do not commit: the
caller's unit of work commits the submissions, their outbox events, the batch counts and
the audit entry together."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import Table, and_, delete, func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import FieldError, Forbidden, ValidationFailed
from vigil.governance import audit
from vigil.governance.access import AccessContext, Permission, Purpose, Role, require
from vigil.governance.access import require_personal_data_access as require_pd
from vigil.governance.audit import Action
from vigil.governance.models import Organisation
from vigil.governance.retention import RetentionRule, register_rule
from vigil.intake import copyrows
from vigil.intake.models import IntakeBatch, IntakeRequest, OutboxEvent, Submission
from vigil.intake.outbox import PENDING
from vigil.intake.sectors import BUSINESS_SECTOR, SECTORS
from vigil.intake.validation import PreparedRow, RowError, sector_model

MAX_BATCH = 1000
CHANNELS = ("api", "file", "stream")
_SUBMISSIONS: Table = Submission.__table__  # type: ignore[assignment]
_OUTBOX: Table = OutboxEvent.__table__  # type: ignore[assignment]


@dataclass
class StoreResult:
    ids: list[int] = field(default_factory=list)  # aligned with the rows given
    stored: int = 0
    duplicates: int = 0
    first_id: int | None = None  # lowest and highest id stored by this call
    last_id: int | None = None


def filing_organisation(session: Session, ctx: AccessContext, sector: str) -> Organisation:
    """The business filing: it must hold the submit permission and be of the sector."""
    sector_model(sector)
    require(ctx, Permission.SUBMIT_RECORDS)
    org = session.get(Organisation, ctx.organisation_id)
    if org is None or org.kind != "business":
        raise Forbidden("only a registered business files registrations")
    if org.sector != BUSINESS_SECTOR[sector]:
        raise Forbidden(f"a {org.sector} business may not file {sector} records")
    return org


def _insert(session: Session, table: Table) -> Any:
    return (
        pg_insert(table)
        if session.get_bind().dialect.name == "postgresql"
        else (sqlite_insert(table))
    )


COPY_MIN_ROWS = 50  # below this, a plain multi-row INSERT is cheaper than COPY
_COPY_ATTEMPTS = 5
_SEQUENCE = "SELECT pg_get_serial_sequence('intake_submission', 'id')"
# The sequence named once: looked up in every row, the name cost 4 µs of server CPU an id.
_RESERVE_IDS = "SELECT nextval(%s::regclass) FROM generate_series(1, %s)"


def submission_sequence(cursor: psycopg.Cursor[Any]) -> str:
    cursor.execute(_SEQUENCE)
    row = cursor.fetchone()
    assert row is not None and row[0], "intake_submission.id has no sequence"
    return str(row[0])


def reserve_ids(cursor: psycopg.Cursor[Any], n: int, sequence: str | None = None) -> list[int]:
    """PostgreSQL: `n` submission ids from the sequence (`submission_sequence`, looked up
    when not given), increasing."""
    cursor.execute(_RESERVE_IDS, (sequence or submission_sequence(cursor), n))
    return sorted(int(i) for (i,) in cursor.fetchall())


_KNOWN = "SELECT row_key, id FROM intake_submission WHERE row_key = ANY(%s)"


def _copy_rows(
    session: Session,
    org: Organisation,
    sector: str,
    channel: str,
    encoded: copyrows.EncodedRows,
    now: datetime,
    reserved_ids: list[int] | None = None,
    *,
    want_keys: bool = True,
) -> tuple[StoreResult, dict[str, int]]:
    """PostgreSQL: take ids (reserved already, or from the sequence) and COPY the
    submissions and their outbox events, in the caller's transaction. Optimistic: a row key
    already stored (a reload, or a concurrent load that committed first) makes the COPY
    fail on the unique key; the savepoint is rolled back, the stored keys are looked up and
    skipped, and it retries. Returns the result and, if `want_keys`, the id of every row key
    (stored now or before)."""
    conn = session.connection().connection.driver_connection
    assert conn is not None
    text = copyrows.text
    prefix = f"\t{org.id}\t{text(sector)}\t{text(channel)}\t{now.isoformat()}\t".encode()
    event_prefix = f'\t{text(sector)}\tsubmission.stored\t{{"submission_id":'.encode()
    event_suffix = f"\tpending\t0\t{now.isoformat()}\n".encode()
    known: dict[str, int] = {}
    with conn.cursor() as cur:
        if conn.info.encoding != "utf-8":  # the lines are UTF-8 bytes
            cur.execute("SET LOCAL client_encoding TO 'UTF8'")
        for attempt in range(_COPY_ATTEMPTS):
            if attempt:
                cur.execute(_KNOWN, (encoded.keys,))
                known = dict(cur.fetchall())
            keep: Sequence[int] = range(len(encoded.keys))  # the first try: all of them
            if known:
                keep = [j for j, key in enumerate(encoded.keys) if key not in known]
            ids: list[int] = []
            if keep and reserved_ids is not None:
                ids = reserved_ids[: len(keep)] if not known else [reserved_ids[j] for j in keep]
            elif keep:
                ids = reserve_ids(cur, len(keep))
            cur.execute("SAVEPOINT intake_copy")
            try:
                if keep:
                    with cur.copy(
                        f"COPY intake_submission ({copyrows.SUBMISSION_COLUMNS}) FROM STDIN"
                    ) as copy:
                        copy.write(
                            b"".join(
                                b"%d%s%s" % (i, prefix, encoded.submissions[j])
                                for i, j in zip(ids, keep, strict=True)
                            )
                        )
                    with cur.copy(
                        f"COPY intake_outbox ({copyrows.OUTBOX_COLUMNS}) FROM STDIN"
                    ) as copy:
                        copy.write(
                            b"".join(
                                b"%d\t%d%s%d,%s%s"
                                % (i, i, event_prefix, i, encoded.events[j], event_suffix)
                                for i, j in zip(ids, keep, strict=True)
                            )
                        )
            except (psycopg.errors.UniqueViolation, psycopg.errors.DeadlockDetected):
                # a chunk stored at once by another worker may hold some of these keys
                cur.execute("ROLLBACK TO SAVEPOINT intake_copy")
                continue
            cur.execute("RELEASE SAVEPOINT intake_copy")
            by_key = {}
            if want_keys:
                by_key = {**known, **{encoded.keys[j]: i for i, j in zip(ids, keep, strict=True)}}
            result = StoreResult(
                stored=len(keep), duplicates=len(encoded) + encoded.repeated - len(keep)
            )
            if ids:
                result.first_id, result.last_id = ids[0], ids[-1]
            return result, by_key
    raise RuntimeError(f"rows kept colliding with concurrent loads after {_COPY_ATTEMPTS} tries")


def _insert_rows(
    session: Session,
    org: Organisation,
    sector: str,
    channel: str,
    rows: Sequence[PreparedRow],
    now: datetime,
) -> StoreResult:
    """Multi-row INSERT … ON CONFLICT DO NOTHING RETURNING (SQLite, small batches)."""
    result = StoreResult()
    values = [
        {
            "organisation_id": org.id,
            "sector": sector,
            "channel": channel,
            "row_key": r.row_key,
            "event_kind": r.event_kind,
            "ref": r.ref,
            "event_time": r.event_time,
            "filed_at": now,
            "id_hash": r.id_hash,
            "record": r.record,
        }
        for r in rows
    ]
    ids: dict[str, int] = {}
    statement = (
        _insert(session, _SUBMISSIONS)
        .on_conflict_do_nothing(index_elements=["row_key"])
        .returning(_SUBMISSIONS.c.id, _SUBMISSIONS.c.row_key)
    )
    new_ids = {key: int(i) for i, key in session.execute(statement, values).all()}
    ids.update(new_ids)
    missing = [r.row_key for r in rows if r.row_key not in ids]
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        query = select(_SUBMISSIONS.c.id, _SUBMISSIONS.c.row_key).where(
            _SUBMISSIONS.c.row_key.in_(chunk)
        )
        ids.update({key: int(i) for i, key in session.execute(query).all()})
    events = []
    seen: set[str] = set()
    for r in rows:
        if r.row_key in new_ids and r.row_key not in seen:
            seen.add(r.row_key)
            events.append(
                {
                    "id": new_ids[r.row_key],
                    "submission_id": new_ids[r.row_key],
                    "sector": sector,
                    "kind": "submission.stored",
                    "payload": outbox_payload(sector, new_ids[r.row_key], r),
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
            )
    if events:
        session.execute(insert(_OUTBOX), events)
    result.stored = len(new_ids)
    result.duplicates = len(rows) - len(new_ids)
    result.ids = [ids[r.row_key] for r in rows]
    if new_ids:
        result.first_id = min(new_ids.values())
        result.last_id = max(new_ids.values())
    return result


def store_rows(
    session: Session,
    ctx: AccessContext,
    org: Organisation,
    sector: str,
    channel: str,
    rows: Sequence[PreparedRow] | copyrows.EncodedRows,
    *,
    rejected: int = 0,
    now: datetime | None = None,
    want_ids: bool = True,
    reserved_ids: list[int] | None = None,
) -> StoreResult:
    """Bulk-insert prepared rows with their outbox events, one batch count and one audit
    entry. Rows already stored (same row key) are not stored again: their ids are
    returned (unless `want_ids` is false, or the rows come COPY-encoded) and they count as
    duplicates."""
    now = now or utcnow()
    result = StoreResult()
    if isinstance(rows, copyrows.EncodedRows):  # a file chunk a worker encoded already
        if len(rows):
            result, _ = _copy_rows(
                session, org, sector, channel, rows, now, reserved_ids, want_keys=False
            )
    elif rows:
        if session.get_bind().dialect.name == "postgresql" and len(rows) >= COPY_MIN_ROWS:
            encoded = copyrows.encode(rows, sector)
            result, by_key = _copy_rows(session, org, sector, channel, encoded, now)
            if want_ids:
                result.ids = [by_key[r.row_key] for r in rows]
        else:
            result = _insert_rows(session, org, sector, channel, rows, now)
    _account(session, ctx, org, sector, channel, result, rejected, now)
    return result


def _account(
    session: Session,
    ctx: AccessContext,
    org: Organisation,
    sector: str,
    channel: str,
    result: StoreResult,
    rejected: int,
    now: datetime,
) -> None:
    """One batch count (the compliance record) and one audit entry per stored batch."""
    first, last = result.first_id, result.last_id
    session.add(
        IntakeBatch(
            organisation_id=org.id,
            sector=sector,
            channel=channel,
            accepted=result.stored,
            duplicates=result.duplicates,
            rejected=rejected,
            first_id=first,
            last_id=last,
            at=now,
        )
    )
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        f"intake_submission:{sector}",
        f"{first}..{last}" if first is not None else "-",
        detail={
            "channel": channel,
            "stored": result.stored,
            "duplicates": result.duplicates,
            "rejected": rejected,
        },
        at=now,
    )


def outbox_payload(sector: str, submission_id: int, row: PreparedRow) -> dict[str, Any]:
    return {"submission_id": submission_id, **copyrows.event_payload(sector, row)}


def record_rejection(
    session: Session, org: Organisation, sector: str, channel: str, rejected: int
) -> None:
    """Counts a refused batch for the compliance record (no personal data)."""
    session.add(
        IntakeBatch(
            organisation_id=org.id, sector=sector, channel=channel, rejected=rejected, at=utcnow()
        )
    )


# ---------------------------------------------------------------- API idempotency keys


def body_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def replay_request(session: Session, org: Organisation, key: str, digest: str) -> list[int] | None:
    """The ids a previous request with this key got; 422 if its body differed."""
    earlier = session.scalar(
        select(IntakeRequest).where(
            IntakeRequest.organisation_id == org.id, IntakeRequest.idempotency_key == key
        )
    )
    if earlier is None:
        return None
    if earlier.body_hash != digest:
        raise ValidationFailed(
            "Idempotency-Key reused with a different body",
            [FieldError("Idempotency-Key", "was used before for a different request body")],
        )
    return list(earlier.submission_ids)


def remember_request(
    session: Session, org: Organisation, sector: str, key: str, digest: str, ids: list[int]
) -> None:
    session.add(
        IntakeRequest(
            organisation_id=org.id,
            idempotency_key=key,
            sector=sector,
            body_hash=digest,
            submission_ids=ids,
        )
    )


def raise_row_errors(errors: list[RowError], batch: bool) -> None:
    if not errors:
        return
    field_errors = [
        e.as_field_error(f"records.{e.row - 1}." if batch else "") for e in errors[:200]
    ]
    rows = len({e.row for e in errors})
    raise ValidationFailed(f"{rows} record(s) are not valid; nothing was stored", field_errors)


# ---------------------------------------------------------------- reading submissions


def _scope(ctx: AccessContext, organisation_id: int | None) -> int | None:
    """A business sees only its own; agency staff read with purpose and legal basis."""
    if ctx.role == Role.BUSINESS:
        require(ctx, Permission.READ_OWN_SUBMISSIONS)
        if organisation_id not in (None, ctx.organisation_id):
            raise Forbidden("a business reads only its own submissions")
        return ctx.organisation_id
    return organisation_id


def submission_view(row: Submission, *, staff: bool) -> dict[str, Any]:
    persons = [
        {k: v for k, v in p.items() if k not in ("id_ciphertext", "id_hash")}
        for p in row.record.get("persons", [])
    ]
    if staff:
        for view, stored in zip(persons, row.record.get("persons", []), strict=True):
            view["id_hash"] = stored.get("id_hash")
    return {
        "id": row.id,
        "sector": row.sector,
        "organisation_id": row.organisation_id,
        "channel": row.channel,
        "event_kind": row.event_kind,
        "event_time": row.event_time.isoformat(),
        "filed_at": row.filed_at.isoformat(),
        "details": row.record.get("details", {}),
        "persons": persons,
    }


def list_submissions(
    session: Session,
    ctx: AccessContext,
    *,
    organisation_id: int | None = None,
    sector: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Never includes screening results, for anyone."""
    scope = _scope(ctx, organisation_id)
    staff = ctx.role != Role.BUSINESS
    if staff:
        require_pd(session, ctx)
    query = select(Submission).where(Submission.id > after_id)
    if scope is not None:
        query = query.where(Submission.organisation_id == scope)
    if sector is not None:
        sector_model(sector)
        query = query.where(Submission.sector == sector)
    rows = list(session.scalars(query.order_by(Submission.id).limit(min(limit, 1000))))
    views = [submission_view(r, staff=staff) for r in rows]
    if staff:
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "intake_submission",
            f"{rows[0].id}..{rows[-1].id}" if rows else "-",
            detail={"count": len(rows), "organisation_id": scope, "sector": sector},
        )
    return views


def count_submissions(session: Session, organisation_id: int | None = None) -> int:
    query = select(func.count()).select_from(Submission)
    if organisation_id is not None:
        query = query.where(Submission.organisation_id == organisation_id)
    return int(session.scalar(query) or 0)


# ---------------------------------------------------------------- retention


def _purge_sector(sector: str) -> Any:
    def purge(session: Session, cutoff: datetime) -> list[int]:
        ids = [
            int(i)
            for i in session.scalars(
                select(Submission.id).where(
                    Submission.sector == sector, Submission.event_time < cutoff
                )
            )
        ]
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            # an event's id is its submission's (found through the primary key; there is no
            # index on submission_id, which is checked too)
            session.execute(
                delete(OutboxEvent).where(
                    OutboxEvent.id.in_(chunk), OutboxEvent.submission_id.in_(chunk)
                )
            )
            session.execute(delete(Submission).where(Submission.id.in_(chunk)))
        return ids

    return purge


for _sector in SECTORS:
    register_rule(RetentionRule(_sector, "delete", _purge_sector(_sector)))


# ---------------------------------------------------------------- one entry for all channels


def submit_records(
    session: Session,
    ctx: AccessContext,
    validator: Any,
    org: Organisation,
    records: Sequence[Any],
    *,
    channel: str,
    first_row: int = 1,
    all_or_nothing: bool = True,
) -> tuple[StoreResult, list[RowError]]:
    """Validate and store a batch. `all_or_nothing` (the API) refuses the whole batch on
    any error; otherwise (files, stream) good rows are stored and bad ones returned."""
    good, bad = validator.validate_many(enumerate(records, start=first_row))
    if bad and all_or_nothing:
        return StoreResult(), bad
    rejected = len({e.row for e in bad})
    result = store_rows(session, ctx, org, validator.sector, channel, good, rejected=rejected)
    return result, bad


# ---------------------------------------------------------- stored registrations, for screening

SCREENED_PERSON_FIELDS = ("name", "birth_date", "doc_type", "id_hash")


@dataclass(frozen=True, slots=True)
class StoredRegistration:
    """A stored registration as screening needs it. Who: names, birth dates, document types
    and identity hashes, never a number, encrypted or not. What: vehicles, devices, items.
    Nothing else of the business's record."""

    submission_id: int
    sector: str
    event_time: datetime
    filed_at: datetime
    persons: list[dict[str, Any]]
    objects: dict[str, list[str]]


def _stored_with_event() -> Any:
    # an event's id is its submission's (see _purge_sector)
    return and_(OutboxEvent.id == Submission.id, OutboxEvent.submission_id == Submission.id)


def stored_registrations(
    session: Session,
    ctx: AccessContext,
    *,
    since: datetime,
    until: datetime,
    after_id: int = 0,
    limit: int = 500,
) -> list[StoredRegistration]:
    """One page, by id after `after_id`, of the registrations whose event (check-in, sale,
    job, entry, acceptance) happened between `since` and `until`. Only registrations that
    have been through the pipeline count: their outbox event is no longer pending.

    The window is on the event's time, not the filing's, because a lawful look-back is about
    when the person was there: a stay from last year, filed late, is not "recent". This also
    uses the `event_time` index. For agency screening only. Each page is audited under the
    context's purpose and legal basis."""
    if ctx.role == Role.BUSINESS or ctx.purpose != Purpose.SCREENING:
        raise Forbidden("stored registrations are read for screening by agencies only")
    require_pd(session, ctx)
    query = (
        select(
            Submission.id,
            Submission.sector,
            Submission.event_time,
            Submission.filed_at,
            Submission.record,
            OutboxEvent.payload,
        )
        .outerjoin(OutboxEvent, _stored_with_event())
        .where(
            Submission.event_time >= since,
            Submission.event_time <= until,
            Submission.id > after_id,
            or_(OutboxEvent.id.is_(None), OutboxEvent.status != PENDING),
        )
        .order_by(Submission.id)
        .limit(min(limit, MAX_BATCH))
    )
    page = [
        StoredRegistration(
            submission_id=int(submission_id),
            sector=sector,
            event_time=event_time,
            filed_at=filed_at,
            persons=[
                {key: person.get(key) for key in SCREENED_PERSON_FIELDS}
                for person in (record or {}).get("persons") or []
            ],
            objects=dict((payload or {}).get("objects") or {}),
        )
        for submission_id, sector, event_time, filed_at, record, payload in session.execute(query)
    ]
    if page:
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "intake_submission",
            f"{page[0].submission_id}..{page[-1].submission_id}",
            detail={
                "count": len(page),
                "since": since.isoformat(),
                "until": until.isoformat(),
                "use": "screening",
            },
        )
    return page


def registrations_awaiting_pipeline(
    session: Session, *, since: datetime, until: datetime, filed_by: datetime
) -> bool:
    """Whether any registration filed by `filed_by`, with its event between `since` and
    `until`, still waits in the outbox. No personal data."""
    waiting = (
        select(Submission.id)
        .join(OutboxEvent, _stored_with_event())
        .where(
            OutboxEvent.status == PENDING,
            Submission.event_time >= since,
            Submission.event_time <= until,
            Submission.filed_at <= filed_by,
        )
        .limit(1)
    )
    return session.scalar(waiting) is not None
