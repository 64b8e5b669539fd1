"""The coverage problem for one ISO week from stored places, crowd counts and registry units.

Pure: takes plain rows and a travel matrix, returns `coverage.Problem`. Each unit's home base
becomes a place of its own (no demand), so the plan's shifts start and end there. Places and
times only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

import h3
import numpy as np

from vigil.patrol import plan as fmt
from vigil.patrol.coverage import Problem
from vigil.patrol.synthetic import week_start

BANDS_PER_DAY = 48
PLAN_KIND = {"stadium": "venue", "mall": "market", "square": "other"}
PLAN_TYPE = {"foot": "foot", "bike": "bike", "motorbike": "car", "car": "car"}
UNREACHABLE_MINUTES = 1e6


@dataclass(frozen=True)
class PlaceRow:
    id: int
    name: str
    kind: str
    lat: float
    lon: float
    capacity: int
    is_key: bool
    opening_hours: Sequence[dict[str, object]]


@dataclass(frozen=True)
class UnitRow:
    code: str
    mode: str
    speed_kph: float
    capacity: int
    shift_start: str
    shift_end: str
    home_lat: float
    home_lon: float


def place_id(row_id: int) -> str:
    return f"place-{row_id}"


def base_id(code: str) -> str:
    return f"base-{code}"


def locate(h3_cell: str | None, lat: float | None, lon: float | None) -> tuple[float, float]:
    if lat is not None and lon is not None:
        return lat, lon
    assert h3_cell is not None
    return h3.cell_to_latlng(h3_cell)


def points(places: Sequence[PlaceRow], units: Sequence[UnitRow]) -> list[tuple[float, float]]:
    """Where the plan's places are, in its order: the places, then the units' bases."""
    return [(p.lat, p.lon) for p in places] + [(u.home_lat, u.home_lon) for u in units]


def problem_for_week(
    week: str,
    places: Sequence[PlaceRow],
    crowd: Sequence[tuple[int, int, int, float]],  # place row id, weekday, band, count
    units: Sequence[UnitRow],
    travel_minutes: np.ndarray,  # over `points(places, units)`, at reference_kmh
    reference_kmh: float,
    *,
    utc_offset_hours: float = 8.0,
    hour_of_week: Sequence[float] | None = None,
    default_crowd_share: float = 0.1,
) -> Problem:
    zone = timezone(timedelta(hours=utc_offset_hours))
    monday = datetime.combine(week_start(week), time(0), tzinfo=zone)
    n_bands = 7 * BANDS_PER_DAY
    bands = [
        fmt.Band(
            index=b,
            start=monday + timedelta(minutes=30 * b),
            end=monday + timedelta(minutes=30 * (b + 1)),
        )
        for b in range(n_bands)
    ]
    plan_places = [
        fmt.Place(
            id=place_id(p.id),
            name=p.name,
            kind=PLAN_KIND.get(p.kind, p.kind),
            lat=p.lat,
            lon=p.lon,
            h3_cell=h3.latlng_to_cell(p.lat, p.lon, 9),
            opening_hours=[fmt.OpeningHours.model_validate(h) for h in p.opening_hours],
            key=p.is_key,
        )
        for p in places
    ]
    plan_places += [
        fmt.Place(id=base_id(u.code), name=f"{u.code} base", kind="other", lat=u.home_lat,
                  lon=u.home_lon)
        for u in units
    ]  # fmt: skip
    counts = np.zeros((len(plan_places), n_bands))
    counts[: len(places)] = np.array([p.capacity * default_crowd_share for p in places])[:, None]
    row_index = {p.id: i for i, p in enumerate(places)}
    for pid, weekday, band, count in crowd:
        if pid in row_index:
            counts[row_index[pid], weekday * BANDS_PER_DAY + band] = count
    rate = np.ones(168) if hour_of_week is None else np.asarray(hour_of_week, dtype=float)
    demand = counts * np.repeat(rate, 2)[None, :] / 2.0
    plan_units = [
        fmt.Unit(
            code=u.code,
            type=PLAN_TYPE.get(u.mode, "car"),
            shifts=_shifts(monday, u.shift_start, u.shift_end),
            base=base_id(u.code),
            speed_kmh=u.speed_kph,
            capacity=u.capacity,
        )
        for u in units
    ]
    travel = np.where(np.isfinite(travel_minutes), travel_minutes, UNREACHABLE_MINUTES)
    np.fill_diagonal(travel, 0.0)  # staying put takes no time (the matrix snaps each end)
    return Problem(
        week=week,
        places=plan_places,
        bands=bands,
        units=plan_units,
        travel_minutes=np.round(travel, 4),
        reference_speed_kmh=reference_kmh,
        demand=np.round(demand, 6),
    )


def _shifts(monday: datetime, start: str, end: str) -> list[fmt.Shift]:
    """The daily shift on each day of the week, cut to the week's end."""
    sh, sm = (int(x) for x in start.split(":"))
    eh, em = (int(x) for x in end.split(":"))
    length = timedelta(hours=eh - sh, minutes=em - sm)
    if length <= timedelta(0):
        length += timedelta(days=1)  # over midnight
    week_end = monday + timedelta(days=7)
    out = []
    for day in range(7):
        begin = monday + timedelta(days=day, hours=sh, minutes=sm)
        out.append(fmt.Shift(start=begin, end=min(begin + length, week_end)))
    return out
