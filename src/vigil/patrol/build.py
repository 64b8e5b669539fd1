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


@dataclass(frozen=True)
class HotSpots:
    """Hot cells (H3) and the hours of the week (0 = Monday 00:00, local) when they are hot."""

    cells: Sequence[str]
    hours: Sequence[int]


def hot_id(cell: str) -> str:
    return f"hot-{cell}"


def points(
    places: Sequence[PlaceRow], units: Sequence[UnitRow], hot: HotSpots | None = None
) -> list[tuple[float, float]]:
    """Where the plan's places are, in its order: the places, the hot cells' centres, then
    the units' bases."""
    cells = [h3.cell_to_latlng(c) for c in (hot.cells if hot else [])]
    return (
        [(p.lat, p.lon) for p in places]
        + [(float(lat), float(lon)) for lat, lon in cells]
        + [(u.home_lat, u.home_lon) for u in units]
    )


def _hot_windows(
    monday: datetime, hours: Sequence[int], shifts: Sequence[fmt.Shift]
) -> list[fmt.HotWindow]:
    """The runs of hot hours in the week, cut to the hours some unit is on shift (no plan can
    revisit a cell while nobody is on duty)."""
    duty = [
        h
        for h in sorted(set(hours))
        if any(
            s.start <= monday + timedelta(hours=h) and monday + timedelta(hours=h + 1) <= s.end
            for s in shifts
        )
    ]
    windows: list[fmt.HotWindow] = []
    for h in duty:
        start = monday + timedelta(hours=h)
        if windows and windows[-1].end == start:
            windows[-1] = fmt.HotWindow(start=windows[-1].start, end=start + timedelta(hours=1))
        else:
            windows.append(fmt.HotWindow(start=start, end=start + timedelta(hours=1)))
    return windows


def problem_for_week(
    week: str,
    places: Sequence[PlaceRow],
    crowd: Sequence[tuple[int, int, int, float]],  # place row id, weekday, band, count
    units: Sequence[UnitRow],
    travel_minutes: np.ndarray,  # over `points(places, units, hot)`, at reference_kmh
    reference_kmh: float,
    *,
    utc_offset_hours: float = 8.0,
    hour_of_week: Sequence[float] | None = None,
    default_crowd_share: float = 0.1,
    hot: HotSpots | None = None,
) -> Problem:
    """Hot cells become places of their own (kind hotspot, no crowd of their own: what counts
    is that they are revisited every 2 hours while hot)."""
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
    if hot is not None:
        windows = _hot_windows(monday, hot.hours, [s for u in plan_units for s in u.shifts])
        for cell in hot.cells:
            lat, lon = h3.cell_to_latlng(cell)
            plan_places.append(
                fmt.Place(id=hot_id(cell), name=f"hot spot {cell}", kind="hotspot",
                          lat=round(lat, 6), lon=round(lon, 6), h3_cell=cell, hot=windows)
            )  # fmt: skip
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
