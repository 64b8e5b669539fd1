"""The incident table: a place, a time (or time window) and a type, owned by the agency that
reported it. No person fields: analytics are about places and times, never about people.

Times are the local wall-clock times the source reported (hour-of-week analytics need local
time); `utc_offset_min` keeps the source's UTC offset when it gave one, so the instant can
still be recovered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, UtcDateTime

WallClock = DateTime(timezone=False)


class IncidentRecord(Base):
    """One stored incident. `incident_id` is the reporting agency's own id."""

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("organisation_id", "incident_id"),
        Index("ix_incident_organisation_id_type", "organisation_id", "type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    incident_id: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(40))
    time: Mapped[datetime | None] = mapped_column(WallClock)
    window_start: Mapped[datetime | None] = mapped_column(WallClock)
    window_end: Mapped[datetime | None] = mapped_column(WallClock)
    utc_offset_min: Mapped[int | None] = mapped_column(SmallInteger)
    lat: Mapped[float] = mapped_column()
    lon: Mapped[float] = mapped_column()
    h3: Mapped[str] = mapped_column(String(16), index=True)  # resolution 9
    place_type: Mapped[str | None] = mapped_column(String(20))
    severity: Mapped[int | None] = mapped_column(SmallInteger)
    killed: Mapped[int] = mapped_column(Integer, default=0)
    injured: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
