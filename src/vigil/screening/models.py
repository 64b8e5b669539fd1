"""Watchlist entries (with their legal basis and two-person approval), the list's change log
(its versions), and the banned-items catalogue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class WatchlistEntry(Base):
    __tablename__ = "watchlist_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # person | property | vehicle
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    aliases: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    birth_date: Mapped[str] = mapped_column(String(10), default="")
    id_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    id_ciphertext: Mapped[str] = mapped_column(String(400), default="")
    serial: Mapped[str] = mapped_column(String(100), default="")
    imei: Mapped[str] = mapped_column(String(20), default="")
    vin: Mapped[str] = mapped_column(String(20), default="")
    plate: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    basis_reference: Mapped[str] = mapped_column(String(120))
    basis_authority: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    proposed_by: Mapped[str] = mapped_column(String(120))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WatchlistChange(Base):
    """Each row is one version of the watchlists: what changed, by whom, when."""

    __tablename__ = "watchlist_change"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    change: Mapped[str] = mapped_column(String(20))  # propose | approve | reject | withdraw
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ScreeningEventRow(Base):
    """Screening's queue of the typed events it raises for the top floor (`events.py`):
    written in the transaction of the change itself, claimed with `FOR UPDATE SKIP LOCKED`
    and marked done in one statement."""

    __tablename__ = "screening_event"
    __table_args__ = (Index("ix_screening_event_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # watchlist_entry.approved
    entry_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the change took effect
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | done
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class BannedItemRow(Base):
    """The banned-items catalogue; `version` grows with every addition or change."""

    __tablename__ = "banned_item"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[str] = mapped_column(String(40), index=True)
    category: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10), default="refuse")
    names_zh: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    names_en: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    exclusions: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    legal_reference: Mapped[str] = mapped_column(String(400))
    effective_from: Mapped[date] = mapped_column(Date)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    extra: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)


class PrecursorPurchaseRow(Base):
    """The ledger the cumulative and mixture rules read: each filed purchase of a listed
    precursor, with only what the rules need. The buyer is the vault hash of their identity
    number (or a business's licence number), never a name."""

    __tablename__ = "screening_precursor_purchase"
    __table_args__ = (Index("ix_screening_precursor_purchase_buyer_at", "buyer_key", "sold_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(Integer, unique=True)
    buyer_key: Mapped[str] = mapped_column(String(80))
    substance_id: Mapped[str] = mapped_column(String(60))
    sold_at: Mapped[datetime] = mapped_column(UtcDateTime)
    quantity_kg: Mapped[float] = mapped_column(Float)
    pure_kg: Mapped[float] = mapped_column(Float)
    concentration_pct: Mapped[float] = mapped_column(Float)
    payment: Mapped[str] = mapped_column(String(10))
    stated_use: Mapped[str] = mapped_column(String(20))
    seller: Mapped[str] = mapped_column(String(30))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
