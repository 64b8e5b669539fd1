"""Alerts raised by screening, their lifecycle, and webhook subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    FetchedValue,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class Alert(Base):
    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("source_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # an AlertKind (schemas.py)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    resolution: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[float] = mapped_column()
    explanation: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    summary: Mapped[str] = mapped_column(String(400), default="")
    sector: Mapped[str] = mapped_column(String(20))
    submission_id: Mapped[int] = mapped_column(Integer, index=True)
    person_id: Mapped[int | None] = mapped_column(Integer)
    watchlist_entry_id: Mapped[str | None] = mapped_column(String(64))
    legal_basis: Mapped[str] = mapped_column(String(200))  # the entry's warrant / order / law
    # every entry the record matched, best first, each with its own legal basis
    hits: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    confirmed_entry_id: Mapped[str | None] = mapped_column(String(64))  # of a true hit
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    assignee: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The transaction that wrote the alert, so that the live feed reads in commit order
    # (alerts/feed.py): `pg_current_xact_id()` by default on PostgreSQL (migration 0018); NULL
    # on SQLite, whose single writer commits in id order.
    write_xact: Mapped[int | None] = mapped_column(
        BigInteger, server_default=FetchedValue(), index=True
    )
    # what raised it, e.g. "outbox:17:person:0:3" (event, record, owning agency): a source
    # event processed twice raises its alerts once (migration 0017)
    source_key: Mapped[str | None] = mapped_column(String(120))


class Webhook(Base):
    __tablename__ = "alert_webhook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))  # signs deliveries (HMAC-SHA256)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
