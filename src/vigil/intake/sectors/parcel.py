"""Parcel acceptance: the sender (with the courier's real-name check), addresses, declared
contents in any language, weight, pieces, courier and waybill."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from vigil.intake.sectors.common import EventTime, Identity, SectorRecord


class ParcelAcceptance(SectorRecord):
    sector = "parcel"
    deadline_key = "parcel"

    sender: Identity
    sender_verified: bool
    sender_address: str = Field(min_length=1, max_length=300)
    recipient_name: str | None = Field(default=None, max_length=200)
    recipient_address: str = Field(min_length=1, max_length=300)
    declared_contents: str = Field(min_length=1, max_length=2000)
    weight_kg: float = Field(gt=0, le=10_000)
    pieces: int = Field(ge=1, le=10_000)
    courier: str = Field(min_length=1, max_length=100)
    waybill: str = Field(min_length=1, max_length=64)
    accepted_at: EventTime

    def event_time(self) -> datetime:
        return self.accepted_at

    def reference(self) -> str | None:
        return self.waybill

    def persons(self) -> list[tuple[str, Identity]]:
        return [("sender", self.sender)]

    def parcel(self) -> dict[str, Any] | None:
        return {
            "declared_contents": self.declared_contents,
            "sender_verified": self.sender_verified,
            "waybill": self.waybill,
            "courier": self.courier,
        }
