"""Alert requests and responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

AlertKind = Literal[
    "person", "property", "vehicle", "parcel", "infrastructure", "video", "chemical", "review"
]
Transition = Literal["acknowledge", "dispatch", "resolve"]
Resolution = Literal["true_hit", "false_positive", "duplicate"]


class Hit(BaseModel):
    """One watchlist entry a record matched, with that entry's legal basis."""

    entry_id: str = Field(min_length=1, max_length=64)
    score: float = Field(ge=0)
    legal_basis: str = Field(min_length=1, max_length=200)
    explanation: dict[str, Any]


class AlertIn(BaseModel):
    """What screening hands over; the explanation is yente-shaped: {feature: {score, detail}}.

    An alert is one record to review. Its `hits` are the entries the record matched (several
    when listed namesakes all agree with it), best first; the top-level entry, legal basis,
    score and explanation are the best hit's."""

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
    hits: list[Hit] = Field(default_factory=list)

    @model_validator(mode="after")
    def _best_hit_first(self) -> AlertIn:
        if self.hits:
            best = self.hits[0]
            if (best.entry_id, best.legal_basis) != (self.watchlist_entry_id, self.legal_basis):
                raise ValueError("the alert's entry and legal basis must be its best hit's")
            if any(h.score > best.score for h in self.hits[1:]):
                raise ValueError("hits must come best first")
        return self


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Transition
    resolution: Resolution | None = None
    # which hit a true hit confirmed; required when the alert has several
    entry_id: str | None = Field(default=None, max_length=64)
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
    hits: list[Hit]
    confirmed_entry_id: str | None
    assignee: str | None
    note: str
    created_at: datetime
    acknowledged_at: datetime | None
    dispatched_at: datetime | None
    resolved_at: datetime | None

    model_config = ConfigDict(from_attributes=True)


class WebhookIn(BaseModel):
    url: str = Field(pattern=r"^https?://", max_length=500)


class FeedbackCounts(RootModel[dict[str, int]]):
    """Resolutions per `kind:resolution` ("open" while unresolved), for tuning thresholds."""


class WebhookCreated(BaseModel):
    id: int
    url: str
    secret: str  # shown once: it signs every delivery
