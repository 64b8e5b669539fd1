"""Patrol places in and out of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import h3
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PlaceKind = Literal["station", "market", "stadium", "square", "school", "mall", "venue", "other"]


class PlaceIn(BaseModel):
    """A place needs a location: an H3 cell, or latitude and longitude together."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: PlaceKind
    capacity: int = Field(ge=1, le=1_000_000, description="people the place holds at its peak")
    h3_cell: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

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
    created_at: datetime
