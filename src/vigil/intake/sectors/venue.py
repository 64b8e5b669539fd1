"""Recreational venue visit (internet cafés give the terminal id)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, model_validator

from vigil.intake.sectors.common import EventTime, Identity, SectorRecord, check_order


class VenueVisit(SectorRecord):
    sector = "venue"
    deadline_key = "venue"

    visitor: Identity
    venue: str = Field(min_length=1, max_length=200)
    entered_at: EventTime
    exited_at: EventTime | None = None
    terminal_id: str | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def _times(self) -> VenueVisit:
        check_order(self.entered_at, self.exited_at, "exited_at", "entered_at")
        return self

    def event_time(self) -> datetime:
        return self.entered_at

    def persons(self) -> list[tuple[str, Identity]]:
        return [("visitor", self.visitor)]
