"""TAXII 2.1: the collections Vigil serves, the keys partner agencies read them with, the
status of partners' POSTs, and where each agency's pulls and pushes stand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class TaxiiCollection(Base):
    """A collection serving the clues an agency originated, each reader seeing only what
    the marking rule and its agreements open to it."""

    __tablename__ = "intel_taxii_collection"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUIDv4, as TAXII asks
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    accepts_posts: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class TaxiiKey(Base):
    """A partner agency's key for the TAXII server (stored as its SHA-256), revocable."""

    __tablename__ = "intel_taxii_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class TaxiiStatus(Base):
    """The status resource of one partner POST (imported at once, so always complete)."""

    __tablename__ = "intel_taxii_status"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    collection_id: Mapped[str] = mapped_column(ForeignKey("intel_taxii_collection.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))  # the poster
    principal: Mapped[str] = mapped_column(String(120))
    request_timestamp: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    total_count: Mapped[int] = mapped_column(Integer)
    success_count: Mapped[int] = mapped_column(Integer)
    failure_count: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)


class TaxiiSync(Base):
    """Where an agency's pulls from (or pushes to) one remote collection stand: the
    server's date_added of the last object pulled, and the last run's report."""

    __tablename__ = "intel_taxii_sync"
    __table_args__ = (UniqueConstraint("organisation_id", "direction", "server", "collection"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    direction: Mapped[str] = mapped_column(String(4))  # pull | push
    server: Mapped[str] = mapped_column(String(500))
    collection: Mapped[str] = mapped_column(String(100))
    added_after: Mapped[str | None] = mapped_column(String(40), nullable=True)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_by: Mapped[str] = mapped_column(String(120))
    report: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
