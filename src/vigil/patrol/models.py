"""Patrol planning's places: crowded spots that patrols cover. No personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class PatrolPlace(Base):
    """A crowded place (station, market, stadium…), located by H3 cell and/or lat/lon."""

    __tablename__ = "patrol_place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    h3_cell: Mapped[str | None] = mapped_column(String(20), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    capacity: Mapped[int] = mapped_column(Integer)
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)  # covered at its rushes
    opening_hours: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PatrolCrowd(Base):
    """A count of people at a place in one half-hour band of the week (never who they are)."""

    __tablename__ = "patrol_crowd"
    __table_args__ = (UniqueConstraint("place_id", "weekday", "band"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("patrol_place.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    band: Mapped[int] = mapped_column(Integer)  # 0..47, half hours from midnight
    count: Mapped[float] = mapped_column(Float)


class PatrolPlan(Base):
    """A week's plan: draft (proposed) -> approved (by another principal, a supervisor) ->
    published to its units. The plan file itself (places, units by code, visits) is `document`."""

    __tablename__ = "patrol_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    proposed_by: Mapped[str] = mapped_column(String(80))  # principal, e.g. "user:analyst"
    approved_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    objective: Mapped[float] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    visits: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PatrolPlanUnit(Base):
    """A published plan's assignment of one registry unit: its visits and their time span."""

    __tablename__ = "patrol_plan_unit"
    __table_args__ = (UniqueConstraint("plan_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("patrol_plan.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    visits: Mapped[int] = mapped_column(Integer)
    first_start: Mapped[datetime] = mapped_column(UtcDateTime())
    last_end: Mapped[datetime] = mapped_column(UtcDateTime())
