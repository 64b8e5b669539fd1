"""Organisations, principals, API keys, legal-basis references and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # agency | business
    sector: Mapped[str | None] = mapped_column(String(20))  # businesses only
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # An optional TOTP second factor (RFC 6238): the secret sealed under a key derived from
    # the settings' secret key, usable once confirmed with a first code; the last time step
    # used, so no code signs in twice.
    totp_secret: Mapped[str | None] = mapped_column(String(200))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)


class LoginFailure(Base):
    """One failed sign-in (CJIS 5.5.3): five within the lockout window lock the account and,
    separately, the source address. A success clears the account's failures."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class RefreshToken(Base):
    """A sign-in's refresh token (stored as its SHA-256): exchanged once for a new access
    token and a new refresh token, and revocable (sign-out, an administrator)."""

    __tablename__ = "refresh_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LegalBasis(Base):
    """A reference that can justify an investigation read: a case, alert, warrant or
    sharing agreement. Domains register theirs here when they create them."""

    __tablename__ = "legal_basis"
    __table_args__ = (UniqueConstraint("reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(120))  # e.g. "case:12", "warrant:W-2026-001"
    kind: Mapped[str] = mapped_column(String(20))  # case | alert | warrant | agreement | incident
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # For agreements: the organisations, besides the registering one, that may cite it.
    parties: Mapped[list[int]] = mapped_column(JsonDoc, default=list)
    # For agreements: what the parties may read under it, `{"categories": [...], "cases":
    # [case ids]}` (`access.require_category`); None: clues only, as agreements began.
    scope: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BasisSubject(Base):
    """What a case basis may read: each person linked to the case, by whom and why. An
    investigation under `case:N` reads only the persons linked here (linking is audited)."""

    __tablename__ = "legal_basis_subject"
    __table_args__ = (UniqueConstraint("reference", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(120), index=True)
    subject_type: Mapped[str] = mapped_column(String(20))  # person
    subject_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    linked_by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEntry(Base):
    """Append-only. A writer inserts the entry with `seq` NULL, in its own transaction; the
    sequencer later gives it `seq` (its leaf index + 1 in the Merkle tree) and `hash`, the
    hex RFC 9162 leaf hash of its canonical JSON (`tlog.entry_bytes`). `prev_hash` is set only
    on the entries of the old hash chain, which it still covers."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index(
            "ix_audit_log_pending",
            "id",
            postgresql_where=text("seq IS NULL"),
            sqlite_where=text("seq IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    seq: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), unique=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(20))
    legal_basis: Mapped[str] = mapped_column(String(120))
    recipient: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    # the writer's seal (nonce + HMAC under the settings' entry key, `audit.seal`): not part
    # of the leaf, so sealing the entries written before it existed changes no tree
    mac: Mapped[str | None] = mapped_column(String(96))


class AuditTile(Base):
    """Tile (level, idx) of the Merkle tree (C2SP tlog-tiles): the concatenated 32-byte hashes
    at tree level 8·level of nodes 256·idx … 256·idx+255; the last tile of a level is partial
    and grows. Written only by the sequencer."""

    __tablename__ = "audit_tile"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    hashes: Mapped[bytes] = mapped_column(LargeBinary)


class AuditCheckpoint(Base):
    """A checkpoint the sequencer published: tree size and root, and the C2SP signed note
    (Ed25519) that states them."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), index=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text)


class AuditCosignature(Base):
    """A witness's cosignature line (C2SP tlog-cosignature) over one checkpoint."""

    __tablename__ = "audit_cosignature"
    __table_args__ = (UniqueConstraint("checkpoint_id", "witness"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("audit_checkpoint.id"))
    witness: Mapped[str] = mapped_column(String(200))
    line: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class EmergencyReview(Base):
    """Emergency reads are reviewed after the fact: one row per reader and incident basis,
    opened by the first read under it; a supervisor of the reader's agency (not the reader)
    approves or rejects it. One still pending `emergency_review_hours` after the first read is
    overdue and raises an alert (`alerted_at`)."""

    __tablename__ = "emergency_review"
    __table_args__ = (UniqueConstraint("reference", "actor"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(120))  # the incident basis cited
    actor: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    first_read_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    reviewer: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    alerted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
