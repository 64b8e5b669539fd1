"""Emergency response: incidents, their append-only timeline, the units sent to them and the
CAP warnings published about them.

The caller's name and phone are personal data: stored only as vault ciphertext, read only
under the emergency purpose with the incident as legal basis (`service.read_caller`), and
cleared by the `incident_caller` retention rule. Units are the shared registry's, referred to
by id and code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class ResponseIncident(Base):
    __tablename__ = "response_incident"
    # One incident per source and agency: the same event, alert or tip opens it once.
    __table_args__ = (UniqueConstraint("organisation_id", "source", "source_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    capability: Mapped[str] = mapped_column(String(20))  # what a unit needs for it
    priority: Mapped[int] = mapped_column(Integer)  # 1 most urgent .. 4
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    address: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(30))  # officer | alert | infrastructure_event | tip
    source_key: Mapped[str] = mapped_column(String(120))
    caller_name_ciphertext: Mapped[str | None] = mapped_column(Text)
    caller_phone_ciphertext: Mapped[str | None] = mapped_column(Text)
    caller_cleared: Mapped[bool] = mapped_column(Boolean, default=False)  # by retention
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    on_scene_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # escalation to the supervisor: how many times, the last reason and when
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    last_escalation: Mapped[str | None] = mapped_column(String(20))
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def has_caller(self) -> bool:
        return bool(self.caller_name_ciphertext or self.caller_phone_ciphertext)


class ResponseTimelineEntry(Base):
    """One action on an incident. Rows are only ever inserted (see the guard below)."""

    __tablename__ = "response_timeline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("response_incident.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)


class ResponseAssignment(Base):
    """A unit of the shared registry sent to an incident."""

    __tablename__ = "response_assignment"
    __table_args__ = (UniqueConstraint("incident_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("response_incident.id"), index=True)
    unit_id: Mapped[int] = mapped_column(Integer)
    unit_code: Mapped[str] = mapped_column(String(40))
    assigned_by: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ResponseWarning(Base):
    """A CAP 1.2 message as published: the XML exactly as served, signed when a key is set."""

    __tablename__ = "response_warning"
    __table_args__ = (UniqueConstraint("identifier"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("response_incident.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    identifier: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    msg_type: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(20))
    headline: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    sent: Mapped[datetime] = mapped_column(UtcDateTime)
    xml: Mapped[str] = mapped_column(Text)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    published_by: Mapped[str] = mapped_column(String(120))


@event.listens_for(ResponseTimelineEntry, "before_update")
@event.listens_for(ResponseTimelineEntry, "before_delete")
def _timeline_is_append_only(*_: object) -> None:
    raise PermissionError("the incident timeline is append-only")
