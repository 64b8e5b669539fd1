"""The patrol plan file: versioned JSON, one pydantic model (its JSON Schema is `plan_schema()`).

Places and times only: a plan names places, bands of time, units by code and type, the travel
times between places, visits (unit, place, start, end) and the randomised schedules of key
targets. It holds no person, and `PERSON_WORDS` lists the field names it must never grow.
The solver writes it and the checker reads it; they share nothing else."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FORMAT = "vigil.patrol.plan"
VERSION = 1
PERSON_WORDS = (
    "person",
    "name_of",
    "officer",
    "first_name",
    "last_name",
    "surname",
    "given_name",
    "id_number",
    "national_id",
    "phone",
    "email",
    "birth",
    "gender",
    "badge",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OpeningHours(_Strict):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    opens: str = Field(pattern=r"^\d\d:\d\d$")
    closes: str = Field(pattern=r"^\d\d:\d\d$")


class HotWindow(_Strict):
    start: datetime
    end: datetime


class Place(_Strict):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(
        min_length=1, max_length=200, description="the place's name, never a person's"
    )
    kind: Literal["station", "school", "hospital", "market", "venue", "hotspot", "other"]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    h3_cell: str | None = Field(default=None, max_length=20)
    opening_hours: list[OpeningHours] = []
    key: bool = Field(default=False, description="covered at its opening and closing rush")
    need: int = Field(default=1, ge=1, description="team size a visit needs to count as coverage")
    hot: list[HotWindow] = Field(default=[], description="while hot, revisited every 2 hours")


class Band(_Strict):
    index: int = Field(ge=0)
    start: datetime
    end: datetime


class Shift(_Strict):
    start: datetime
    end: datetime


class Unit(_Strict):
    code: str = Field(min_length=1, max_length=32)
    type: Literal["foot", "bike", "car"]
    shifts: list[Shift] = Field(description="on duty: leaves its base at start, back by end")
    base: str = Field(description="the place id of its home base")
    speed_kmh: float = Field(gt=0)
    capacity: int = Field(ge=1, description="team size")


class Travel(_Strict):
    """Travel minutes between places at `reference_speed_kmh`; a unit moving at speed v takes
    minutes * reference / v. Inline (`minutes`) or a CSV file (`path`, relative to the plan,
    with its sha256), rows and columns in `place_ids` order."""

    reference_speed_kmh: float = Field(gt=0)
    place_ids: list[str]
    minutes: list[list[float]] | None = None
    path: str | None = None
    sha256: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Travel:
        if (self.minutes is None) == (self.path is None):
            raise ValueError("give the travel minutes inline or as a path, not both or neither")
        if self.path is not None and not self.sha256:
            raise ValueError("a travel matrix path needs its sha256")
        return self


class Demand(_Strict):
    place: str
    band: int
    value: float = Field(ge=0)


class Rules(_Strict):
    dwell_min_minutes: float = 10.0
    dwell_max_minutes: float = 16.0
    revisit_minutes: float = 120.0
    cover_minutes: float = Field(
        default=3.0, ge=0, description="a visit covers places this close (reference minutes)"
    )
    rush_minutes: float = Field(default=60.0, description="half-width of an opening/closing rush")


class Assignment(_Strict):
    unit: str
    place: str
    start: datetime
    end: datetime


class TargetCoverage(_Strict):
    place: str
    band: int
    probability: float = Field(ge=0, le=1)


class DailySchedule(_Strict):
    day: str = Field(description="ISO date")
    band: int
    places: list[str]


class Randomised(_Strict):
    """The Stackelberg coverage of key targets and the daily schedules drawn from it."""

    resources: int = Field(ge=0)
    coverage: list[TargetCoverage] = []
    schedules: list[DailySchedule] = []


class Plan(_Strict):
    format: Literal["vigil.patrol.plan"] = "vigil.patrol.plan"
    version: Literal[1] = 1
    week: str = Field(pattern=r"^\d{4}-W\d\d$")
    places: list[Place]
    bands: list[Band]
    units: list[Unit]
    travel: Travel
    demand: list[Demand]
    rules: Rules = Rules()
    assignments: list[Assignment]
    objective: float = Field(description="demand-weighted coverage of the assignments")
    bound: float | None = Field(default=None, description="the solver's dual bound")
    gap: float | None = Field(default=None, ge=0, description="relative optimality gap")
    randomised: Randomised | None = None


def plan_schema() -> dict[str, Any]:
    return Plan.model_json_schema()


def load(path: Path) -> Plan:
    return Plan.model_validate_json(path.read_bytes())


def dump(plan: Plan, path: Path) -> None:
    path.write_text(plan.model_dump_json(exclude_none=True), encoding="utf-8")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def canonical(plan: Plan) -> str:
    return json.dumps(plan.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
