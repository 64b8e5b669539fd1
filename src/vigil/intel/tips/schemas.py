"""Request and response models for tips, rewards and volunteers."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, field_validator

from vigil.core.db import INT_MAX
from vigil.core.text import SafeText
from vigil.intel.clues.schemas import EntityIn

# The public form's fixed categories (the console translates each one).
TipCategory = Literal[
    "theft", "drugs", "fraud", "violence", "traffic", "public_order", "suspicious", "other"
]
TIP_CATEGORIES: tuple[str, ...] = get_args(TipCategory)


class TipIn(BaseModel):
    text: SafeText = Field(min_length=5, max_length=10000)
    category: TipCategory = "other"
    anonymous: bool = True
    contact: SafeText | None = Field(default=None, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        """A tip of only spaces (or line breaks) says nothing: refused, not stored."""
        stripped = v.strip()
        if len(stripped) < 5:
            raise ValueError("write what you saw: at least 5 characters besides spaces")
        return stripped


class TipAddIn(BaseModel):
    receipt: SafeText
    text: SafeText = Field(min_length=1, max_length=10000)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("an addition of only spaces says nothing")
        return v.strip()


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


class TipReceiptOut(BaseModel):
    receipt: str
    message: str


class RewardState(BaseModel):
    amount_cents: int
    currency: str
    status: str


class TipStatusOut(BaseModel):
    """All a tipster may know of their tip."""

    status: str
    received_at: str  # ISO 8601
    additions: int
    rewards: list[RewardState]


class TipAddedOut(BaseModel):
    ok: bool


class TipOut(BaseModel):
    id: int
    created_at: str  # ISO 8601
    text: str
    category: str
    anonymous: bool
    contact: str | None
    status: str
    h3_cell: str | None
    latitude: float | None
    longitude: float | None
    additions: list[str]
    clue_id: int | None


class TriagedTip(BaseModel):
    clue_id: int


class RewardOut(BaseModel):
    id: int
    status: str


class RewardListed(BaseModel):
    id: int
    tip_id: int
    amount_cents: int
    currency: str
    status: str
    proposed_by: str
    created_at: str  # ISO 8601


class VolunteerCreated(BaseModel):
    id: int


class VolunteerOut(BaseModel):
    id: int
    name: str
    contact: str
    skills: list[str]
    availability: dict[str, Any]


class AssignmentCreated(BaseModel):
    id: int
