"""Intake tables: submissions, the transactional outbox, API idempotency keys and the
per-batch counts that feed a business's compliance record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import STATEMENT_CHECKED, Base, JsonDoc, UtcDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")


class Submission(Base):
    """One stored registration. Identity numbers appear in `record` only as
    `id_hash` + `id_ciphertext`. `row_key` = SHA-256(org, sector, canonical record) makes
    every channel idempotent per row."""

    __tablename__ = "intake_submission"
    __table_args__ = (
        UniqueConstraint("row_key"),
        Index("ix_intake_submission_org_sector_id", "organisation_id", "sector", "id"),
        # BRIN on PostgreSQL: rows arrive in about event-time order (migration 0011)
        Index("ix_intake_submission_event_time", "event_time", postgresql_using="brin"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # On PostgreSQL checked once per statement by triggers, not per row (migration 0012)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", info={STATEMENT_CHECKED: True})
    )
    sector: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))  # api | file | stream
    # a hex digest: compared bytewise on PostgreSQL (migration 0011)
    row_key: Mapped[str] = mapped_column(
        String(64).with_variant(String(64, collation="C"), "postgresql")
    )
    event_kind: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str | None] = mapped_column(String(64))
    event_time: Mapped[datetime] = mapped_column(UtcDateTime)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    id_hash: Mapped[str] = mapped_column(String(64))  # the main person's (found via the registry)
    # `json`, not `jsonb`, on PostgreSQL: read whole, never queried inside (migration 0011)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)


class OutboxEvent(Base):
    """Written in the same transaction as its submission, with the submission's id as its
    own (so the outbox keeps file order however concurrent chunks commit); drained by the
    pipeline."""

    __tablename__ = "intake_outbox"
    __table_args__ = (
        Index("ix_intake_outbox_status_id", "status", "id"),
        # what `vigil pipeline relay` has still to publish to JetStream (migration 0019)
        Index(
            "ix_intake_outbox_unrelayed",
            "id",
            postgresql_where=text("status = 'pending' AND relayed_at IS NULL"),
            sqlite_where=text("status = 'pending' AND relayed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(BigId)
    sector: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40), default="submission.stored")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # `json` on PostgreSQL (0011)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|done|failed (dead)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    relayed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # published to JetStream
    # a failed attempt waits until then (backoff); after the last it is dead-lettered (failed)
    retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class IntakeRequest(Base):
    """An API `Idempotency-Key`: the body's hash and the ids the first reply gave."""

    __tablename__ = "intake_request"
    __table_args__ = (UniqueConstraint("organisation_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(20))
    body_hash: Mapped[str] = mapped_column(String(64))
    submission_ids: Mapped[list[int]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class IntakeBatch(Base):
    """Counts per ingested batch (accepted, duplicate, rejected): the rejected-row rate of a
    business's compliance record. Holds no personal data."""

    __tablename__ = "intake_batch"
    __table_args__ = (Index("ix_intake_batch_org", "organisation_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    sector: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    first_id: Mapped[int | None] = mapped_column(BigId)
    last_id: Mapped[int | None] = mapped_column(BigId)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
