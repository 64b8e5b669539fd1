"""Motor refitting job: the customer, plate and VIN, the kind of work and its time."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field, field_validator

from vigil.core.errors import IdentifierError
from vigil.core.ids import normalise_plate, validate_vin
from vigil.intake.sectors.common import EventTime, Identity, SectorRecord


class WorkType(StrEnum):
    ENGINE_SWAP = "engine_swap"
    BODY_OR_FRAME = "body_or_frame"
    COLOUR_CHANGE = "colour_change"
    LIGHTING = "lighting"
    OTHER = "other"


class MotorRefit(SectorRecord):
    sector = "motor"
    deadline_key = "motor"

    customer: Identity
    plate: str = Field(min_length=2, max_length=16)
    vin: str = Field(min_length=1, max_length=32)
    work_type: WorkType
    description: str | None = Field(default=None, max_length=500)
    performed_at: EventTime

    @field_validator("vin")
    @classmethod
    def _vin(cls, value: str) -> str:
        try:
            return validate_vin(value).vin
        except IdentifierError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("plate")
    @classmethod
    def _plate(cls, value: str) -> str:
        return normalise_plate(value)

    def event_time(self) -> datetime:
        return self.performed_at

    def persons(self) -> list[tuple[str, Identity]]:
        return [("customer", self.customer)]

    def objects(self) -> dict[str, list[str]]:
        return {"vins": [self.vin], "plates": [self.plate]}
