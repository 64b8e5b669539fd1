"""Patrol places in and out of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import h3
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PlaceKind = Literal[
    "station", "market", "stadium", "square", "school", "hospital", "mall", "venue", "other"
]


class OpeningHoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    opens: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, local time")
    closes: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, local time")

    @model_validator(mode="after")
    def _opens_first(self) -> OpeningHoursIn:
        if self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        return self


class PlaceIn(BaseModel):
    """A place needs a location: an H3 cell, or latitude and longitude together."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: PlaceKind
    capacity: int = Field(ge=1, le=1_000_000, description="people the place holds at its peak")
    h3_cell: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    is_key: bool = Field(default=False, description="a key place: covered at its rushes")
    opening_hours: list[OpeningHoursIn] = Field(default=[], max_length=21)

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name may not be blank")
        return value.strip()

    @field_validator("h3_cell")
    @classmethod
    def _valid_cell(cls, value: str | None) -> str | None:
        if value is not None and not h3.is_valid_cell(value):
            raise ValueError("not a valid H3 cell")
        return value

    @model_validator(mode="after")
    def _located(self) -> PlaceIn:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give latitude and longitude together")
        if self.h3_cell is None and self.latitude is None:
            raise ValueError("give an h3_cell or latitude and longitude")
        if self.is_key and not self.opening_hours:
            raise ValueError("a key place needs its opening hours")
        return self


class PlaceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    capacity: int
    h3_cell: str | None
    latitude: float | None
    longitude: float | None
    is_key: bool
    opening_hours: list[OpeningHoursIn]
    created_at: datetime


class CrowdImportOut(BaseModel):
    rows: int
    places: int


PlanStatus = Literal["draft", "approved", "published"]


class HotSpotsIn(BaseModel):
    """Hot cells from the agency's incident hot spots (Getis-Ord Gi*, as
    `GET /v1/analytics/hotspots` reports them), revisited every 2 hours while hot."""

    model_config = ConfigDict(extra="forbid")

    min_class: Literal["hot_90", "hot_95", "hot_99"] = Field(
        default="hot_95", description="the weakest hot-spot class taken"
    )
    max_cells: int = Field(default=10, ge=1, le=100, description="the strongest (by z) first")
    resolution: int = Field(default=9, ge=5, le=11, description="H3 resolution of the cells")
    permutations: int = Field(default=99, ge=0, le=999)
    hot_hours: list[int] | None = Field(
        default=None,
        max_length=168,
        description="hours of the week (0 = Monday 00:00) when the cells are hot; absent: "
        "the hours in the top quarter of the agency's hour-of-week incident profile",
    )

    @field_validator("hot_hours")
    @classmethod
    def _hours(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and any(not 0 <= h < 168 for h in value):
            raise ValueError("hours of the week run from 0 to 167")
        return value


class PlanIn(BaseModel):
    """Build a week's plan from the stored places, their crowd counts and the registry's
    patrol units, with travel times on the road graph."""

    model_config = ConfigDict(extra="forbid")

    week: str = Field(pattern=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$", examples=["2026-W50"])
    time_limit_s: float = Field(default=20.0, gt=0, le=60)
    utc_offset_hours: float = Field(default=8.0, ge=-12, le=14)
    hour_of_week: list[float] | None = Field(
        default=None,
        min_length=168,
        max_length=168,
        description="incident rate per hour of the week from Monday 00:00; flat when absent",
    )
    default_crowd_share: float = Field(
        default=0.1, ge=0, le=1, description="share of a place's capacity where no count is stored"
    )
    guards: int = Field(default=1, ge=0, le=50, description="randomised guards for key places")
    seed: int = Field(default=0, ge=0)
    hot_spots: HotSpotsIn | None = Field(
        default=None, description="add the analytics hot cells as places to revisit"
    )

    @field_validator("hour_of_week")
    @classmethod
    def _rates(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and any(not (0 <= v < float("inf")) for v in value):
            raise ValueError("rates must be finite and zero or more")
        return value


class PlanUnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    unit_id: int
    visits: int
    first_start: datetime
    last_end: datetime


class PlanOut(BaseModel):
    id: int
    week: str
    status: PlanStatus
    proposed_by: str
    approved_by: str | None
    approved_at: datetime | None
    published_at: datetime | None
    objective: float
    gap: float | None
    visits: int
    places: int
    units: int
    created_at: datetime
    assignments: list[PlanUnitOut] = []


class ViolationOut(BaseModel):
    kind: str
    message: str


class CheckOut(BaseModel):
    ok: bool
    visits: int
    objective: float
    violations: list[ViolationOut]
