"""Incidents, caller details, units and warnings in and out of the API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from vigil.response.cap import Certainty, ResponseType, Severity, Urgency
from vigil.response.taxonomy import IncidentTypeCode

IncidentSource = Literal["officer", "alert", "infrastructure_event", "tip"]
IncidentStatus = Literal["new", "acknowledged", "dispatched", "on_scene", "resolved", "closed"]
IncidentAction = Literal["acknowledge", "dispatch", "arrive", "resolve", "close"]
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{2,30}")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("may not be blank")
    return value.strip()


class CallerIn(BaseModel):
    """Who called it in: personal data, stored encrypted, read only under the emergency purpose."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else _not_blank(value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.fullmatch(value.strip()):
            raise ValueError("a phone number of digits, spaces, '()', '-' and a leading '+'")
        return None if value is None else value.strip()


class IncidentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: IncidentTypeCode
    priority: int | None = Field(
        default=None, ge=1, le=4, description="1 most urgent; default by type"
    )
    summary: str = Field(default="", max_length=4000)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    address: str = Field(default="", max_length=300)
    caller: CallerIn | None = None


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: IncidentAction
    note: str = Field(default="", max_length=2000)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=4000)

    @field_validator("note")
    @classmethod
    def _note(cls, value: str) -> str:
        return _not_blank(value)


class RecommendedUnitOut(BaseModel):
    unit_id: int
    unit_code: str
    travel_seconds: float


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: int = Field(ge=1, le=2**31 - 1, description="a unit of the registry")


class TimelineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    kind: str
    detail: dict[str, Any]


class AssignmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    unit_id: int
    unit_code: str
    assigned_by: str
    assigned_at: datetime


class IncidentOut(BaseModel):
    """An incident without its caller's details (those need the emergency purpose)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    type: str
    capability: str
    priority: int
    status: IncidentStatus
    summary: str
    latitude: float
    longitude: float
    address: str
    source: IncidentSource
    source_key: str
    has_caller: bool
    created_at: datetime
    acknowledged_at: datetime | None
    dispatched_at: datetime | None
    on_scene_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    escalations: int
    last_escalation: str | None
    escalated_at: datetime | None


class IncidentDetailOut(IncidentOut):
    units: list[AssignmentOut]
    timeline: list[TimelineOut]


class CallerOut(BaseModel):
    incident_id: int
    name: str | None
    phone: str | None


class EscalationOut(BaseModel):
    incident_id: int
    organisation_id: int
    reason: Literal["unacknowledged", "unattended"]
    priority: int
    deadline: datetime
    escalated_at: datetime


class WarningIn(BaseModel):
    """What the supervisor's warning editor sends; the rest comes from the incident.

    The area is geometry: a circle around the incident (default 1 km) or a polygon of
    'latitude,longitude' pairs. No person's details go into a warning."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["Actual", "Exercise", "System", "Test", "Draft"] = "Actual"
    msg_type: Literal["Alert", "Update", "Cancel"] = "Alert"
    event: str | None = Field(
        default=None, max_length=200, description="default: the incident type"
    )
    headline: str = Field(max_length=160)
    description: str = Field(default="", max_length=4000)
    instruction: str = Field(default="", max_length=4000)
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    response_type: list[ResponseType] = Field(default_factory=list, max_length=9)
    area_desc: str | None = Field(default=None, max_length=300, description="default: the address")
    radius_km: float | None = Field(default=1.0, gt=0, le=500)
    polygon: str | None = Field(default=None, max_length=20_000)
    expires_minutes: int = Field(default=120, ge=1, le=60 * 24 * 14)
    language: str = Field(default="en-US", max_length=35)


class WarningOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    incident_id: int
    identifier: str
    status: str
    msg_type: str
    scope: str
    headline: str
    sent: datetime
    signed: bool
    xml: str


class CapCheckOut(BaseModel):
    valid: bool
    xml: str
