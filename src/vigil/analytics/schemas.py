"""Pydantic models for incidents: a place, a time (or time window) and a type. No person fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import h3
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from vigil.analytics.taxonomy import DEFAULT_TAXONOMY, IncidentTaxonomy, PlaceType
from vigil.core.db import INT_MAX

DEFAULT_H3_RESOLUTION = 9


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _is_aware(value: datetime) -> bool:
    return value.utcoffset() is not None


def _naive(value: datetime) -> datetime:
    """Wall-clock time; an aware value is compared on its own clock."""
    return value.replace(tzinfo=None)


class Incident(BaseModel):
    """One incident. Validation context keys (all optional): `taxonomy` (IncidentTaxonomy),
    `resolution` (H3 resolution used to fill `h3`), `not_after` (latest plausible time)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    incident_id: str = Field(min_length=1, max_length=128)
    type: str
    time: datetime | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    lat: float = Field(ge=-90.0, le=90.0, allow_inf_nan=False)
    lon: float = Field(ge=-180.0, le=180.0, allow_inf_nan=False)
    h3: str | None = None
    place_type: PlaceType | None = None
    severity: int | None = Field(default=None, ge=1, le=5)
    killed: int = Field(default=0, ge=0, le=INT_MAX)
    injured: int = Field(default=0, ge=0, le=INT_MAX)
    source: str | None = Field(default=None, max_length=64)

    @field_validator("type", mode="before")
    @classmethod
    def _type_in_taxonomy(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        taxonomy = _context(info).get("taxonomy", DEFAULT_TAXONOMY)
        assert isinstance(taxonomy, IncidentTaxonomy)
        return taxonomy.resolve(value)

    @field_validator("place_type", mode="before")
    @classmethod
    def _normalise_place(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_time_and_cell(self, info: ValidationInfo) -> Self:
        has_window = self.window_start is not None or self.window_end is not None
        if self.time is None and not has_window:
            raise ValueError("time: give a time, or a window_start and window_end")
        if self.time is not None and has_window:
            raise ValueError("time: give either a time or a window, not both")
        if has_window and (self.window_start is None or self.window_end is None):
            raise ValueError("window_end: a time window needs both window_start and window_end")
        if self.window_start is not None and self.window_end is not None:
            if _is_aware(self.window_start) != _is_aware(self.window_end):
                raise ValueError("window_end: give both window ends with a UTC offset, or neither")
            if self.window_end < self.window_start:
                raise ValueError("window_end: window end is before window start")
        not_after = _context(info).get("not_after")
        if isinstance(not_after, datetime) and _naive(self.latest) > _naive(not_after):
            raise ValueError(f"time: {self.latest.isoformat()} is after {not_after.isoformat()}")
        resolution = int(_context(info).get("resolution", DEFAULT_H3_RESOLUTION))
        if self.h3 is None:
            object.__setattr__(self, "h3", h3.latlng_to_cell(self.lat, self.lon, resolution))
        else:
            if not h3.is_valid_cell(self.h3):
                raise ValueError(f"h3: {self.h3!r} is not a valid H3 cell")
            expected = h3.latlng_to_cell(self.lat, self.lon, h3.get_resolution(self.h3))
            if expected != self.h3:
                raise ValueError(f"h3: cell {self.h3} does not contain the location ({expected})")
        return self

    @property
    def earliest(self) -> datetime:
        """Start of the time window (the time itself when exact)."""
        value = self.time if self.time is not None else self.window_start
        assert value is not None
        return value

    @property
    def latest(self) -> datetime:
        """End of the time window (the time itself when exact)."""
        value = self.time if self.time is not None else self.window_end
        assert value is not None
        return value

    @property
    def casualties(self) -> int:
        return self.killed + self.injured


class RowError(BaseModel):
    """A problem with one input row: `row` is 1-based and does not count the header."""

    row: int
    field: str
    message: str


class IncidentLoadResult(BaseModel):
    incidents: list[Incident]
    errors: list[RowError]


class ImportReportOut(BaseModel):
    """Counts and per-row errors of an incident import (row 0 is about the columns)."""

    received: int
    stored: int
    duplicates: int
    rejected: int
    error_count: int
    errors: list[RowError]
    errors_truncated: bool


class HotspotCell(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    h3: str
    count: int
    gi_z: float | None
    p: float | None
    p_fdr: float | None
    class_: str = Field(alias="class")  # hot/cold spot at 99/95/90 %, or not significant
    boundary: list[tuple[float, float]] = Field(
        default_factory=list, description="the hexagon's corners as [lon, lat], for maps"
    )


class HotspotReport(BaseModel):
    """Getis-Ord Gi* per H3 cell. A `note` says why there are no cells when fewer than two
    cells hold incidents."""

    model_config = ConfigDict(extra="allow")

    method: str
    resolution: int
    permutations: int
    seed: int
    study_area: str
    k: int
    incidents: int
    summary: dict[str, int]  # cells per class
    cells: list[HotspotCell]


class PeakHour(BaseModel):
    day: str
    hour: int
    weight: float


class ProfileReport(BaseModel):
    """168 aoristic hour-of-week counts (Monday 00:00 first), as bins and a 7 x 24 table."""

    incidents: int
    bins: list[float]
    days: list[str]
    table: list[list[float]]
    peak_hours: list[PeakHour]


class StatsReport(BaseModel):
    """Counts and rates by type x area x period, period-on-period change, casualties."""

    incidents: int
    period: str
    area_resolution: int
    counts: list[dict[str, Any]]
    year_on_year: list[dict[str, Any]]
    week_on_week: list[dict[str, Any]]
    casualties: list[dict[str, Any]]


class SurgeAlertOut(BaseModel):
    area: str
    incident_type: str
    period: str
    observed: int
    expected: float | None
    upper_limit: float | None
    p_value: float | None
    model: str  # poisson or negative binomial
    message: str


class SurgeReport(BaseModel):
    incidents: int
    period: str
    area_resolution: int
    baseline_periods: int
    alpha: float
    alerts: list[SurgeAlertOut]
