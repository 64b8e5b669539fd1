"""A city description (places, units with weekly shifts, travel, demand per weekday and band)
and the coverage problem it gives for one ISO week. Pure; places and times only."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from vigil.patrol import plan as fmt
from vigil.patrol.coverage import Problem
from vigil.patrol.synthetic import week_start

BANDS_PER_DAY = 48


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WeeklyShift(_Strict):
    weekday: int | None = Field(default=None, ge=0, le=6, description="None = every day")
    start: str = Field(pattern=r"^\d\d:\d\d$")
    hours: float = Field(gt=0, le=24)


class UnitSpec(_Strict):
    code: str = Field(min_length=1, max_length=32)
    type: Literal["foot", "bike", "car"]
    base: str
    speed_kmh: float = Field(gt=0)
    capacity: int = Field(ge=1)
    shifts: list[WeeklyShift]


class DemandRow(_Strict):
    place: str
    weekday: int = Field(ge=0, le=6)
    band: int = Field(ge=0, lt=BANDS_PER_DAY)
    value: float = Field(ge=0)


class City(_Strict):
    utc_offset_hours: float = 8.0
    places: list[fmt.Place]
    units: list[UnitSpec]
    travel: fmt.Travel
    demand: list[DemandRow]
    rules: fmt.Rules = fmt.Rules()
    district_size: int = Field(default=25, ge=2)


def _travel_matrix(travel: fmt.Travel, folder: Path) -> np.ndarray:
    if travel.minutes is not None:
        return np.asarray(travel.minutes, dtype=float)
    assert travel.path is not None
    path = folder / travel.path
    if fmt.file_sha256(path) != travel.sha256:
        raise ValueError(f"{travel.path}: sha256 does not match")
    with path.open(encoding="utf-8") as handle:
        return np.array([[float(x) for x in row] for row in csv.reader(handle) if row])


def problem_for_week(city: City, week: str, folder: Path = Path(".")) -> Problem:
    zone = timezone(timedelta(hours=city.utc_offset_hours))
    monday = datetime.combine(week_start(week), time(0), tzinfo=zone)
    bands = [
        fmt.Band(
            index=b,
            start=monday + timedelta(minutes=30 * b),
            end=monday + timedelta(minutes=30 * (b + 1)),
        )
        for b in range(7 * BANDS_PER_DAY)
    ]
    order = {pid: i for i, pid in enumerate(city.travel.place_ids)}
    ids = [p.id for p in city.places]
    if sorted(ids) != sorted(order):
        raise ValueError("the travel matrix must list exactly the city's places")
    matrix = _travel_matrix(city.travel, folder)
    picked = [order[pid] for pid in ids]
    travel = matrix[np.ix_(picked, picked)]
    index = {pid: i for i, pid in enumerate(ids)}
    demand = np.zeros((len(ids), len(bands)))
    for row in city.demand:
        if row.place not in index:
            raise ValueError(f"demand for unknown place {row.place!r}")
        demand[index[row.place], row.weekday * BANDS_PER_DAY + row.band] += row.value
    units = []
    for spec in city.units:
        shifts = []
        for day in range(7):
            for s in spec.shifts:
                if s.weekday is not None and s.weekday != day:
                    continue
                hh, mm = (int(x) for x in s.start.split(":"))
                begin = monday + timedelta(days=day, hours=hh, minutes=mm)
                shifts.append(fmt.Shift(start=begin, end=begin + timedelta(hours=s.hours)))
        units.append(
            fmt.Unit(
                code=spec.code,
                type=spec.type,
                shifts=sorted(shifts, key=lambda s: s.start),
                base=spec.base,
                speed_kmh=spec.speed_kmh,
                capacity=spec.capacity,
            )
        )
    return Problem(
        week=week,
        places=city.places,
        bands=bands,
        units=units,
        travel_minutes=travel,
        reference_speed_kmh=city.travel.reference_speed_kmh,
        demand=demand,
        rules=city.rules,
        district_size=city.district_size,
    )
