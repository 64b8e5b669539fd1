"""Hotel stay: the guest and companions, document, stay times and room."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from vigil.intake.sectors.common import EventTime, Identity, SectorRecord, check_order


class HotelStay(SectorRecord):
    sector = "hotel"
    deadline_key = "hotel"

    guest: Identity
    companions: list[Identity] = Field(default_factory=list, max_length=20)
    check_in: EventTime
    check_out: EventTime | None = None
    room: str = Field(min_length=1, max_length=20)
    stay_ref: str | None = Field(default=None, max_length=64)
    event: Literal["check_in", "check_out"] = "check_in"

    @model_validator(mode="after")
    def _times(self) -> HotelStay:
        check_order(self.check_in, self.check_out, "check_out", "check_in")
        if self.event == "check_out" and self.check_out is None:
            raise ValueError("@check_out: is required for a check-out filing")
        return self

    def event_time(self) -> datetime:
        return self.check_in

    def event_kind(self) -> str:
        return self.event

    def reference(self) -> str | None:
        return self.stay_ref

    def persons(self) -> list[tuple[str, Identity]]:
        return [("guest", self.guest)] + [
            (f"companions.{i}", c) for i, c in enumerate(self.companions)
        ]
