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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.db import among
from vigil.intake.models import OutboxEvent, Submission

PENDING, DONE, FAILED = "pending", "done", "failed"  # failed: the dead letter
MAX_ATTEMPTS = 5  # tries before an event is dead-lettered
BACKOFF_BASE_S = 2.0  # waits 2, 4, 8, 16 s between tries


def backoff(attempts: int) -> timedelta:
    """How long an event that has failed `attempts` times waits before its next try."""
    return timedelta(seconds=BACKOFF_BASE_S * 2 ** max(attempts - 1, 0))


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


def claim_pending(session: Session, limit: int, now: datetime | None = None) -> list[ClaimedEvent]:
    """Lock up to `limit` pending events whose backoff has passed, oldest first, with their
    records: one statement. PostgreSQL skips rows other workers hold
    (`FOR UPDATE OF intake_outbox SKIP LOCKED`)."""
    query = (
        _claim_query()
        .where(
            OutboxEvent.status == PENDING,
            or_(OutboxEvent.retry_at.is_(None), OutboxEvent.retry_at <= (now or utcnow())),
        )
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


def settle(
    session: Session, done: Sequence[int], failed: dict[int, str], now: datetime | None = None
) -> list[int]:
    """Mark a batch's events in one statement per outcome (attempts counted). A failed
    event goes back to pending with a backoff, until its last try: then it is dead-lettered
    (status failed). Returns the ids dead-lettered now."""
    now = now or utcnow()
    if done:
        session.execute(
            update(OutboxEvent)
            .where(among(session, OutboxEvent.id, sorted(done)))
            .values(status=DONE, error=None, processed_at=now, attempts=OutboxEvent.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    if not failed:
        return []
    attempts = dict(
        session.execute(
            select(OutboxEvent.id, OutboxEvent.attempts).where(OutboxEvent.id.in_(sorted(failed)))
        ).all()
    )
    dead: list[int] = []
    for event_id, error in failed.items():
        tries = int(attempts.get(event_id) or 0) + 1
        last = tries >= MAX_ATTEMPTS
        if last:
            dead.append(event_id)
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id == event_id)
            .values(
                status=FAILED if last else PENDING,
                error=error[:200],
                processed_at=now,
                attempts=tries,
                retry_at=None if last else now + backoff(tries),
            )
            .execution_options(synchronize_session=False)
        )
    return dead


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(OutboxEvent.status == PENDING)) or 0)


def failed_count(session: Session) -> int:
    """Dead-lettered events: registrations stored and never screened."""
    return int(session.scalar(select(func.count()).where(OutboxEvent.status == FAILED)) or 0)


def retrying_count(session: Session) -> int:
    """Pending events that failed at least once and wait for their next try."""
    return int(
        session.scalar(
            select(func.count()).where(OutboxEvent.status == PENDING, OutboxEvent.attempts > 0)
        )
        or 0
    )


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


@dataclass(frozen=True)
class OutboxHealth:
    """What an operator watches: registrations not yet screened, and those that never will
    be without help (dead letters)."""

    pending: int
    retrying: int
    dead_lettered: int

    @property
    def unscreened(self) -> int:
        return self.pending + self.dead_lettered


def health(session: Session) -> OutboxHealth:
    return OutboxHealth(pending_count(session), retrying_count(session), failed_count(session))
