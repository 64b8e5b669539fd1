"""Intake use cases. Functions take a session and an access context and do not commit: the
caller's unit of work commits the submissions, their outbox events, the batch counts and
the audit entry together."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import FieldError, Forbidden, NotFound, ValidationFailed
from vigil.core.protect import IdentifierVault
from vigil.core.rekey import Rekeyed, rekey_persons_json
from vigil.governance import audit
from vigil.governance.access import (
    AccessContext,
    Permission,
    Purpose,
    Role,
    basis_subjects,
    require,
    require_category,
    require_subject_access,
)
from vigil.governance.access import require_personal_data_access as require_pd
from vigil.governance.audit import Action
from vigil.governance.models import Organisation
from vigil.governance.retention import RetentionRule
from vigil.intake.models import IntakeBatch, IntakeRequest, OutboxEvent, Submission
from vigil.intake.outbox import PENDING
from vigil.intake.sectors import BUSINESS_SECTOR, SECTORS
from vigil.intake.storage import Rows, StoreResult, storage_for
from vigil.intake.validation import RowError, RowValidator, sector_model
from vigil.precursors.service import current_catalogue

MAX_BATCH = 1000
CHANNELS = ("api", "file", "stream")


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


def filing_catalogue(session: Session, sector: str) -> Any:
    """What a sector's filings are judged against beyond their own fields: for chemical
    sales, the precursor catalogue at its current version."""
    if sector != "chemical":
        return None
    return current_catalogue(session)


def store_rows(
    session: Session,
    ctx: AccessContext,
    org: Organisation,
    sector: str,
    channel: str,
    rows: Rows,
    *,
    rejected: int = 0,
    now: datetime | None = None,
    want_ids: bool = True,
    reserved_ids: list[int] | None = None,
) -> StoreResult:
    """Rows validated already, stored by the engine's storage provider with their outbox
    events, then one batch count and one audit entry (also for a batch of refused rows
    only). The storing step of every channel (`file_prepared`)."""
    now = now or utcnow()
    result = storage_for(session).store(
        session, org, sector, channel, rows, now, want_ids=want_ids, reserved_ids=reserved_ids
    )
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


# ---------------------------------------------------------------- filing: one home, three channels

ATOMIC_CHANNELS = frozenset({"api"})  # a request is answered whole: all rows or none


@dataclass
class Filing:
    """What filing a batch did. `ids` align with the rows when all were stored (or
    replayed); `errors` are field-level, numbered by row."""

    ids: list[int] = field(default_factory=list)
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    replayed: bool = False

    def raise_errors(self, batch: bool) -> None:
        """422 with the field errors, if any row was refused (call after the commit, so
        that the refusal is counted for the compliance record)."""
        raise_row_errors(self.errors, batch)


def file_registrations(
    session: Session,
    ctx: AccessContext,
    sector: str,
    rows: Sequence[Any],
    *,
    channel: str,
    vault: IdentifierVault,
    timezone: str,
    idempotency_key: str | None = None,
    body_digest: str = "",
    first_row: int = 1,
    now: datetime | None = None,
) -> Filing:
    """File a batch of registrations (parsed records, one per row) for the calling
    business, on any channel: check the filer, answer a replay of an earlier request with
    the same Idempotency-Key and body digest, validate every row, then store the good rows
    with their outbox events, one batch count and one audit entry, in the caller's
    transaction. On an atomic channel (the API) one bad row refuses the batch: nothing is
    stored, and the refusal is counted and audited. A concurrent request with the same key
    that commits first makes this one a replay of it."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    org = filing_organisation(session, ctx, sector)  # 403 before anything else
    if idempotency_key:  # a replay answers before anything is validated again
        replay = replay_request(session, org, idempotency_key, body_digest)
        if replay is not None:
            return Filing(ids=replay, replayed=True)
    validator = RowValidator(
        sector, org.id, vault, timezone=timezone, precursors=filing_catalogue(session, sector)
    )
    good, bad = validator.validate_many(enumerate(rows, start=first_row))
    if bad and channel in ATOMIC_CHANNELS:
        good = []
    if not idempotency_key:
        return file_prepared(session, ctx, org, sector, channel, good, bad, now=now)
    try:
        with session.begin_nested():
            filing = file_prepared(session, ctx, org, sector, channel, good, bad, now=now)
            if not bad:
                remember_request(session, org, sector, idempotency_key, body_digest, filing.ids)
    except IntegrityError:  # a concurrent request with the same key committed first
        replay = replay_request(session, org, idempotency_key, body_digest)
        if replay is None:
            raise
        return Filing(ids=replay, replayed=True)
    return filing


def file_prepared(
    session: Session,
    ctx: AccessContext,
    org: Organisation,
    sector: str,
    channel: str,
    prepared: Rows,
    errors: list[RowError],
    *,
    now: datetime | None = None,
    want_ids: bool = True,
    reserved_ids: list[int] | None = None,
) -> Filing:
    """The storing half of `file_registrations`, for rows validated already by a
    `RowValidator` (a file loader's worker validates and encodes whole chunks): store the
    good rows, count the refused ones, audit the batch."""
    rejected = len({e.row for e in errors})
    result = store_rows(
        session,
        ctx,
        org,
        sector,
        channel,
        prepared,
        rejected=rejected,
        now=now,
        want_ids=want_ids,
        reserved_ids=reserved_ids,
    )
    return Filing(
        ids=result.ids if not errors else [],
        stored=result.stored,
        duplicates=result.duplicates,
        rejected=rejected,
        errors=sorted(errors, key=lambda e: e.row),
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


def submission_view(row: Submission, *, staff: bool, organisation: str) -> dict[str, Any]:
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
        "organisation": organisation,
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
        require_pd(session, ctx, "registrations")
        require_category(session, ctx, "registrations")
    query = select(Submission).where(Submission.id > after_id)
    if staff:  # an alert, warrant or case basis lists only the registrations it concerns
        confined = basis_subjects(session, ctx, "registration")
        if confined is not None:
            query = query.where(Submission.id.in_(sorted(confined)))
    if scope is not None:
        query = query.where(Submission.organisation_id == scope)
    if sector is not None:
        sector_model(sector)
        query = query.where(Submission.sector == sector)
    rows = list(session.scalars(query.order_by(Submission.id).limit(min(limit, 1000))))
    names = _organisation_names(session, {r.organisation_id for r in rows})
    views = [submission_view(r, staff=staff, organisation=names[r.organisation_id]) for r in rows]
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


def get_submission(session: Session, ctx: AccessContext, submission_id: int) -> dict[str, Any]:
    """One registration: a business reads its own; agency staff read it with purpose and
    legal basis, within what the basis concerns, audited."""
    scope = _scope(ctx, None)
    staff = ctx.role != Role.BUSINESS
    if staff:
        require_pd(session, ctx, "registrations")
        require_category(session, ctx, "registrations")
        require_subject_access(session, ctx, "registration", submission_id)
    row = session.get(Submission, submission_id)
    if row is None or (scope is not None and row.organisation_id != scope):
        raise NotFound(f"submission {submission_id} not found")
    if staff:
        audit.record(session, ctx, Action.CONSULT, "intake_submission", row.id)
    names = _organisation_names(session, {row.organisation_id})
    return submission_view(row, staff=staff, organisation=names[row.organisation_id])


def _organisation_names(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return {int(org_id): str(name) for org_id, name in rows}


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


# Collected by the top floor (`vigil.domains`); importing this module registers nothing.
RETENTION_RULES = tuple(RetentionRule(s, "delete", _purge_sector(s)) for s in SECTORS)


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
    require_pd(session, ctx, "registrations")
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


# --- Key rotation -----------------------------------------------------------------------------


def rekey_submissions(
    session: Session, vault: IdentifierVault, after_id: int, limit: int
) -> Rekeyed:
    """Re-key the persons of one batch of stored registrations (`vigil keys rotate`)."""
    table = Submission.__table__
    assert isinstance(table, Table)
    return rekey_persons_json(session, vault, table, "record", "id_hash", after_id, limit)
