"""Where filed rows are written: one storage provider per database engine, chosen once from
the dialect. The use cases in `service` call `storage_for(session)` and never branch on
the engine themselves.

- `InsertStorage` (SQLite, and small batches on PostgreSQL): one multi-row
  INSERT … ON CONFLICT DO NOTHING RETURNING, then the outbox events.
- `CopyStorage` (PostgreSQL): COPY of the submissions and their outbox events, with ids
  taken from the sequence (or reserved beforehand by a file load, in file order)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import psycopg
from sqlalchemy import Table, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from vigil.governance.models import Organisation
from vigil.intake import copyrows
from vigil.intake.models import OutboxEvent, Submission
from vigil.intake.validation import PreparedRow

_SUBMISSIONS: Table = Submission.__table__  # type: ignore[assignment]
_OUTBOX: Table = OutboxEvent.__table__  # type: ignore[assignment]

Rows = Sequence[PreparedRow] | copyrows.EncodedRows


@dataclass
class StoreResult:
    ids: list[int] = field(default_factory=list)  # aligned with the rows given
    stored: int = 0
    duplicates: int = 0
    first_id: int | None = None  # lowest and highest id stored by this call
    last_id: int | None = None


def outbox_payload(sector: str, submission_id: int, row: PreparedRow) -> dict[str, Any]:
    return {"submission_id": submission_id, **copyrows.event_payload(sector, row)}


class SubmissionStorage(Protocol):
    """Writes prepared rows and their outbox events in the caller's transaction. Rows
    already stored (same row key) are not stored again; they count as duplicates and
    their ids are returned (unless `want_ids` is false or the rows come COPY-encoded)."""

    @property
    def encodes_chunks(self) -> bool:
        """Whether file workers should hand over COPY-encoded chunks."""
        ...

    def store(
        self,
        session: Session,
        org: Organisation,
        sector: str,
        channel: str,
        rows: Rows,
        now: datetime,
        *,
        want_ids: bool = True,
        reserved_ids: list[int] | None = None,
    ) -> StoreResult: ...


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
    make_insert: Callable[[Table], Any],
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
        make_insert(_SUBMISSIONS)
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


@dataclass(frozen=True)
class InsertStorage:
    """Multi-row INSERT … ON CONFLICT DO NOTHING RETURNING, with the engine's own insert
    construct (both SQLite's and PostgreSQL's support the conflict clause)."""

    make_insert: Callable[[Table], Any]
    encodes_chunks: bool = False

    def store(
        self,
        session: Session,
        org: Organisation,
        sector: str,
        channel: str,
        rows: Rows,
        now: datetime,
        *,
        want_ids: bool = True,
        reserved_ids: list[int] | None = None,
    ) -> StoreResult:
        if isinstance(rows, copyrows.EncodedRows):
            raise TypeError("COPY-encoded rows need the PostgreSQL storage")
        if not rows:
            return StoreResult()
        return _insert_rows(session, self.make_insert, org, sector, channel, rows, now)


@dataclass(frozen=True)
class CopyStorage:
    """PostgreSQL: COPY from `COPY_MIN_ROWS` rows up, a multi-row INSERT below."""

    encodes_chunks: bool = True
    small: InsertStorage = InsertStorage(pg_insert)

    def store(
        self,
        session: Session,
        org: Organisation,
        sector: str,
        channel: str,
        rows: Rows,
        now: datetime,
        *,
        want_ids: bool = True,
        reserved_ids: list[int] | None = None,
    ) -> StoreResult:
        if isinstance(rows, copyrows.EncodedRows):  # a file chunk a worker encoded already
            if not len(rows):
                return StoreResult()
            result, _ = _copy_rows(
                session, org, sector, channel, rows, now, reserved_ids, want_keys=False
            )
            return result
        if len(rows) < COPY_MIN_ROWS:
            return self.small.store(session, org, sector, channel, rows, now)
        encoded = copyrows.encode(rows, sector)
        result, by_key = _copy_rows(session, org, sector, channel, encoded, now)
        if want_ids:
            result.ids = [by_key[r.row_key] for r in rows]
        return result


_BY_DIALECT: dict[str, SubmissionStorage] = {
    "postgresql": CopyStorage(),
    "sqlite": InsertStorage(sqlite_insert),
}


def storage_for_dialect(name: str) -> SubmissionStorage:
    try:
        return _BY_DIALECT[name]
    except KeyError:
        raise RuntimeError(f"no submission storage for the {name} engine") from None


def storage_for(session: Session) -> SubmissionStorage:
    """The provider for the session's engine."""
    return storage_for_dialect(session.get_bind().dialect.name)
