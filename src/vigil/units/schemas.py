"""Units in and out of the API. A unit is named by a call sign (capital letters, digits and
hyphens), so that no officer's name can be stored as one."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

UnitStatus = Literal[
    "available", "on_patrol", "dispatched", "en_route", "on_scene", "out_of_service", "off_duty"
]
UnitMode = Literal["foot", "bike", "motorbike", "car"]
Capability = Literal[
    "patrol",
    "traffic",
    "fire",
    "ambulance",
    "rescue",
    "tactical",
    "k9",
    "hazmat",
    "negotiator",
    "technical",  # utility repair crews
]
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{0,39}$"
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


def _clock(value: str) -> str:
    if not _CLOCK.match(value):
        raise ValueError("give a time of day as HH:MM, 00:00 to 23:59")
    return value


ClockTime = Annotated[str, AfterValidator(_clock)]


def _distinct(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("list each capability once")
    return sorted(value)


Capabilities = Annotated[
    list[Capability], Field(min_length=1, max_length=9), AfterValidator(_distinct)
]


class UnitIn(BaseModel):
    """A new unit. `capabilities` are what it can respond to; patrol teams have `patrol`."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        pattern=CODE_PATTERN,
        description="call sign: capital letters, digits and hyphens, e.g. FOOT-07",
    )
    mode: UnitMode
    capabilities: Capabilities
    speed_kph: float | None = Field(default=None, gt=0, le=200, allow_inf_nan=False)
    capacity: int = Field(default=2, ge=1, le=60, description="team size or seats")
    shift_start: ClockTime = "00:00"
    shift_end: ClockTime = "23:59"
    home_lat: Latitude
    home_lon: Longitude
    status: Literal["available", "on_patrol", "off_duty", "out_of_service"] = "available"


class UnitUpdate(BaseModel):
    """Changes to a unit's particulars; what is left out stays as it is. Status changes go
    through the status call, positions through AVL."""

    model_config = ConfigDict(extra="forbid")

    mode: UnitMode | None = None
    capabilities: Capabilities | None = None
    speed_kph: float | None = Field(default=None, gt=0, le=200, allow_inf_nan=False)
    capacity: int | None = Field(default=None, ge=1, le=60)
    shift_start: ClockTime | None = None
    shift_end: ClockTime | None = None
    home_lat: Latitude | None = None
    home_lon: Longitude | None = None

    @model_validator(mode="after")
    def _home_together(self) -> UnitUpdate:
        if (self.home_lat is None) != (self.home_lon is None):
            raise ValueError("give home_lat and home_lon together")
        return self


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    mode: str
    capabilities: list[str]
    speed_kph: float | None
    capacity: int
    shift_start: str
    shift_end: str
    home_lat: float
    home_lon: float
    status: str
    status_changed_at: datetime
    latitude: float | None
    longitude: float | None
    position_at: datetime | None


class StatusChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: UnitStatus
    reason: str = Field(default="", max_length=200)


class PositionIn(BaseModel):
    """One AVL fix: where the unit was, and when (the device's time, with a zone)."""

    model_config = ConfigDict(extra="forbid")

    lat: Latitude
    lon: Longitude
    at: datetime

    @field_validator("at")
    @classmethod
    def _zoned(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give the time with its zone, e.g. 2026-12-06T08:00:00Z")
        return value


class PositionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fixes: list[PositionIn] = Field(min_length=1, max_length=1000)


class PositionsOut(BaseModel):
    """What became of the fixes: `applied` moved the unit, `stale` were older than its
    position (kept in its track only), `duplicate` were stored already."""

    applied: int
    stale: int
    duplicate: int
    unknown_unit: int = 0


class RecommendationOut(BaseModel):
    unit: UnitOut
    travel_seconds: float
    straight_m: float


class AssignmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    subject_type: str
    subject_id: str
    assigned_at: datetime
    released_at: datetime | None
