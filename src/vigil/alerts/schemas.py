"""Alert requests and responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AlertKind = Literal["person", "property", "vehicle", "parcel"]
Transition = Literal["acknowledge", "dispatch", "resolve"]
Resolution = Literal["true_hit", "false_positive", "duplicate"]


class AlertIn(BaseModel):
    """What screening hands over; the explanation is yente-shaped: {feature: {score, detail}}."""

    kind: AlertKind
    score: float = Field(ge=0)
    explanation: dict[str, Any]
    summary: str = ""
    sector: str
    submission_id: int
    person_id: int | None = None
    watchlist_entry_id: str | None = None
    legal_basis: str = Field(min_length=1)
    organisation_id: int


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Transition
    resolution: Resolution | None = None
    assignee: str | None = None
    note: str = Field(default="", max_length=4000)


class AlertOut(BaseModel):
    id: int
    kind: str
    status: str
    resolution: str | None
    score: float
    explanation: dict[str, Any]
    summary: str
    sector: str
    submission_id: int
    person_id: int | None
    watchlist_entry_id: str | None
    legal_basis: str
    assignee: str | None
    note: str
    created_at: datetime
    acknowledged_at: datetime | None
    dispatched_at: datetime | None
    resolved_at: datetime | None

    model_config = ConfigDict(from_attributes=True)


class WebhookIn(BaseModel):
    url: str = Field(pattern=r"^https?://", max_length=500)
