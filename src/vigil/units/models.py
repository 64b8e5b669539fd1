"""The unit registry's tables. A unit is a team or vehicle known by its code, never by the
names of the officers in it: no column here holds a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class Unit(Base):
    """A foot, bike or car team, or a response unit, of one agency."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))  # call sign, e.g. "FOOT-07"
    mode: Mapped[str] = mapped_column(String(12))  # foot | bike | motorbike | car
    capabilities: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    speed_kph: Mapped[float | None] = mapped_column(Float)  # None: the mode's usual speed
    capacity: Mapped[int] = mapped_column(Integer)  # seats or team size
    shift_start: Mapped[str] = mapped_column(String(5))  # "HH:MM", local time
    shift_end: Mapped[str] = mapped_column(String(5))
    home_lat: Mapped[float] = mapped_column(Float)
    home_lon: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="available", index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    position_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class UnitPosition(Base):
    """One AVL fix. (unit, recorded_at) is unique, so a repeated fix is stored once."""

    __tablename__ = "unit_position"
    __table_args__ = (UniqueConstraint("unit_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10))  # api | mqtt
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class UnitAssignment(Base):
    """A unit sent to something: an alert, an incident, a patrol plan's stop. Who sent it
    is in the audit log, not here."""

    __tablename__ = "unit_assignment"
    __table_args__ = (Index("ix_unit_assignment_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    subject_type: Mapped[str] = mapped_column(String(20))  # alert | incident | patrol
    subject_id: Mapped[str] = mapped_column(String(64))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
