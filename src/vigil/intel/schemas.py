"""Request and response models for intelligence, cases, sharing, tips and volunteers."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

from vigil.core.db import INT_MAX
from vigil.intel.marking import ENTITY_KINDS, SOURCE_TYPES, parse_grading, parse_tlp

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class EntityIn(BaseModel):
    kind: str
    value: str = Field(min_length=1, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in ENTITY_KINDS:
            raise ValueError(f"must be one of {', '.join(ENTITY_KINDS)}")
        return v


class AttachmentIn(BaseModel):
    sha256: str
    filename: str = ""
    media_type: str = "application/octet-stream"
    size: int = Field(default=0, ge=0)

    @field_validator("sha256")
    @classmethod
    def _hash(cls, v: str) -> str:
        v = v.lower()
        if not _SHA256.match(v):
            raise ValueError("must be the 64 hex digits of the content's SHA-256")
        return v


class ClueIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)
    source_type: str
    grading: str = Field(description="Admiralty grading, e.g. B2")
    tlp: str = "AMBER"
    handling: str = ""
    entities: list[EntityIn] = Field(default_factory=list, max_length=200)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)

    @field_validator("source_type")
    @classmethod
    def _source(cls, v: str) -> str:
        if v not in SOURCE_TYPES:
            raise ValueError(f"must be one of {', '.join(SOURCE_TYPES)}")
        return v

    @field_validator("grading")
    @classmethod
    def _grading(cls, v: str) -> str:
        r, c = parse_grading(v)
        return f"{r}{c}"

    @field_validator("tlp")
    @classmethod
    def _tlp(cls, v: str) -> str:
        return parse_tlp(v).value


class EntityOut(BaseModel):
    id: int
    kind: str
    key: str
    label: str


class ClueOut(BaseModel):
    id: int
    organisation_id: int
    created_at: datetime
    text: str
    source_type: str
    grading: str
    tlp: str
    handling: str
    entities: list[EntityOut]
    attachments: list[AttachmentIn]
    visible_because: str


class CaseIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    opened_from: str = "manual"
    source_ref: str | None = None  # "alert:12" or a clue id

    @field_validator("opened_from")
    @classmethod
    def _from(cls, v: str) -> str:
        if v not in ("manual", "alert", "clue"):
            raise ValueError("must be manual, alert or clue")
        return v


class CaseStatusIn(BaseModel):
    status: str
    resolution: str | None = None


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    assignee: str | None = None  # username


class AssignIn(BaseModel):
    username: str


class CaseOut(BaseModel):
    id: int
    title: str
    description: str
    status: str
    resolution: str | None
    opened_from: str
    source_ref: str | None
    legal_basis: str
    assignees: list[str]
    clue_ids: list[int]
    tasks: list[dict[str, Any]]
    timeline: list[dict[str, Any]]


class AgreementIn(BaseModel):
    to_org_id: int = Field(ge=1, le=INT_MAX)
    purpose: str = Field(min_length=3)
    max_tlp: str = "AMBER"

    @field_validator("max_tlp")
    @classmethod
    def _tlp(cls, v: str) -> str:
        t = parse_tlp(v)
        if t.value == "RED":
            raise ValueError("no agreement covers TLP:RED; RED goes only to named individuals")
        return t.value


class ShareIn(BaseModel):
    recipient_org_id: int | None = Field(default=None, ge=1, le=INT_MAX)
    recipient_user: str | None = None  # username; required for TLP:RED
    reason: str = ""


class DecisionIn(BaseModel):
    approve: bool
    note: str = ""


class TipIn(BaseModel):
    text: str = Field(min_length=5, max_length=10000)
    category: str = Field(default="other", max_length=40)
    anonymous: bool = True
    contact: str | None = Field(default=None, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class TipAddIn(BaseModel):
    receipt: str
    text: str = Field(min_length=1, max_length=10000)


class TriageIn(BaseModel):
    grading: str = "F6"
    tlp: str = "AMBER"
    handling: str = ""
    entities: list[EntityIn] = Field(default_factory=list)


class RewardIn(BaseModel):
    tip_id: int = Field(ge=1, le=INT_MAX)
    amount_cents: int = Field(gt=0, le=INT_MAX)
    currency: str = Field(default="CNY", min_length=3, max_length=3)


class VolunteerIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    contact: str = Field(min_length=3, max_length=200)
    skills: list[str] = Field(default_factory=list)
    availability: list[str] = Field(default_factory=list, description="weekdays, e.g. sat")

    @field_validator("availability")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        bad = [d for d in v if d.lower() not in days]
        if bad:
            raise ValueError(f"unknown days {bad}; use {', '.join(days)}")
        return [d.lower() for d in v]


class VolunteerAssignIn(BaseModel):
    event: str = Field(min_length=1, max_length=200)
    day: str
    skill: str | None = None
