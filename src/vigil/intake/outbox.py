"""The transactional outbox. Every stored submission writes one event in the same
transaction; the pipeline claims events, processes them and marks them in its own
transaction, so a crash neither loses nor doubles one.

Event payload (JSON), small and with no personal data beyond what screening of objects and
parcels needs. Everything else lives once, in the submission: the persons (names, birth
dates, identity hash and ciphertext), which a claim reads with each event
(`ClaimedEvent.record`), and the business, event kind and time. "objects" and "parcel"
appear only when the record has them:

    {"submission_id": 17, "sector": "motor",
     "objects": {"vins": [...], "plates": [...], "imeis": [...], "serials": [...]},
     "parcel": {"declared_contents": "...", "sender_verified": true,
                "waybill": "...", "courier": "..."}}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.db import among
from vigil.intake.models import OutboxEvent, Submission

PENDING, DONE, FAILED = "pending", "done", "failed"


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    """A claimed outbox row with its submission's record (None if the submission is gone)."""

    id: int
    kind: str
    payload: dict[str, Any]
    record: dict[str, Any] | None


def _claim_query() -> Select[Any]:
    return select(
        OutboxEvent.id, OutboxEvent.kind, OutboxEvent.payload, Submission.record
    ).outerjoin(Submission, Submission.id == OutboxEvent.submission_id)


def claim_pending(session: Session, limit: int) -> list[ClaimedEvent]:
    """Lock up to `limit` pending events, oldest first, with their records: one statement.
    PostgreSQL skips rows other workers hold (`FOR UPDATE OF intake_outbox SKIP LOCKED`)."""
    query = (
        _claim_query()
        .where(OutboxEvent.status == PENDING)
        .order_by(OutboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxEvent)
    )
    return [ClaimedEvent(*row) for row in session.execute(query)]


def claim_ids(session: Session, ids: Sequence[int]) -> list[ClaimedEvent]:
    """Lock exactly these events, unless done already: waits for a worker that holds one,
    then sees its outcome (a redelivered message finds its event done)."""
    if not ids:
        return []
    query = (
        _claim_query()
        .where(OutboxEvent.id.in_(sorted(set(ids))), OutboxEvent.status != DONE)
        .order_by(OutboxEvent.id)
        .with_for_update(of=OutboxEvent)
    )
    return [ClaimedEvent(*row) for row in session.execute(query)]


def settle(session: Session, done: Sequence[int], failed: dict[int, str]) -> None:
    """Mark a batch's events in one statement per outcome (attempts counted)."""
    now = utcnow()
    if done:
        session.execute(
            update(OutboxEvent)
            .where(among(session, OutboxEvent.id, sorted(done)))
            .values(status=DONE, error=None, processed_at=now, attempts=OutboxEvent.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    by_error: dict[str, list[int]] = {}
    for event_id, error in failed.items():
        by_error.setdefault(error[:200], []).append(event_id)
    for error, ids in by_error.items():
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(sorted(ids)))
            .values(status=FAILED, error=error, processed_at=now, attempts=OutboxEvent.attempts + 1)
            .execution_options(synchronize_session=False)
        )


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(OutboxEvent.status == PENDING)) or 0)


def failed_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(OutboxEvent.status == FAILED)) or 0)


# The JetStream relay (`vigil.pipeline_stream`): each event is marked once JetStream has it.


def claim_unrelayed(session: Session, limit: int = 500) -> list[tuple[int, str, str]]:
    """(id, kind, sector) of up to `limit` pending events not yet relayed, oldest first, locked
    for the caller's transaction (a second relay skips them)."""
    query = (
        select(OutboxEvent.id, OutboxEvent.kind, OutboxEvent.sector)
        .where(OutboxEvent.status == PENDING, OutboxEvent.relayed_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(int(i), str(k), str(s)) for i, k, s in session.execute(query)]


def mark_relayed(session: Session, ids: Sequence[int]) -> None:
    if ids:
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(list(ids)))
            .values(relayed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
