"""A synthetic city for tests, benchmarks and the demo: places, bands, units, travel, demand.

Seeded and pure. Places spread over a square around central Shanghai at a constant density;
travel minutes are straight-line distance times a road factor at the reference speed; demand
is a place's crowd level times an hour-of-day incident curve; a tenth of the places are hot
cells for an evening window and a twentieth are key places with opening hours."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone

import h3
import numpy as np

from vigil.patrol import coverage
from vigil.patrol import plan as fmt

ORIGIN = (31.2304, 121.4737)
ROAD_FACTOR = 1.3
REFERENCE_KMH = 30.0
SPEEDS = {"foot": 5.0, "bike": 15.0, "car": 30.0}
TEAM = {"foot": 2, "bike": 1, "car": 2}
KEY_NAMES = [
    "人民广场站",
    "静安寺",
    "豫园商城",
    "上海火车站",
    "瑞金医院",
    "复兴中学",
    "南京路步行街",
    "徐家汇站",
]
KEY_KINDS = ["station", "venue", "market", "station", "hospital", "school", "market", "station"]
CHINA = timezone(timedelta(hours=8))

# incidents by hour of day, relative (quiet before dawn, peaks at the rushes and late evening)
HOURLY = np.array(
    [0.5, 0.4, 0.3, 0.3, 0.3, 0.4, 0.6, 0.9, 1.2, 1.0, 0.9, 1.0,
     1.1, 1.0, 0.9, 1.0, 1.1, 1.3, 1.5, 1.4, 1.4, 1.5, 1.2, 0.8]
)  # fmt: skip


def week_start(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def city(
    n_places: int = 1000,
    n_units: int = 200,
    n_bands: int = 48,
    *,
    seed: int = 0,
    week: str = "2026-W50",
    district_size: int = 50,
) -> coverage.Problem:
    rng = np.random.default_rng(seed)
    side_km = 16.0 * math.sqrt(n_places / 1000)
    xy = rng.uniform(0, side_km, size=(n_places, 2))
    km_lat = 111.32
    km_lon = 111.32 * math.cos(math.radians(ORIGIN[0]))
    lat = ORIGIN[0] + (xy[:, 1] - side_km / 2) / km_lat
    lon = ORIGIN[1] + (xy[:, 0] - side_km / 2) / km_lon
    start = datetime.combine(week_start(week), time(0), tzinfo=CHINA)
    bands = [
        fmt.Band(
            index=b,
            start=start + timedelta(minutes=30 * b),
            end=start + timedelta(minutes=30 * (b + 1)),
        )
        for b in range(n_bands)
    ]
    horizon_days = math.ceil(n_bands / 48)
    crowd = rng.lognormal(0.0, 0.8, n_places)
    roles = rng.permutation(n_places)
    n_key = max(1, n_places // 20)
    n_hot = max(1, n_places // 10)
    key = set(roles[:n_key].tolist())
    hot = set(roles[n_key : n_key + n_hot].tolist())
    places: list[fmt.Place] = []
    for i in range(n_places):
        kind, name, hours, windows, need = "other", f"Place {i}", [], [], 1
        if i in key:
            j = len(places) % len(KEY_NAMES)
            kind, name = KEY_KINDS[j], f"{KEY_NAMES[j]} {i}"
            opens = f"{int(rng.integers(7, 10)):02d}:{int(rng.integers(0, 2)) * 30:02d}"
            closes = f"{int(rng.integers(17, 22)):02d}:{int(rng.integers(0, 2)) * 30:02d}"
            hours = [fmt.OpeningHours(weekday=d, opens=opens, closes=closes) for d in range(7)]
            need = 2 if kind in ("station", "venue") else 1
            crowd[i] *= 3
        elif i in hot:
            kind = "hotspot"
            for day in range(horizon_days):
                begin = start + timedelta(days=day, minutes=30 * int(rng.integers(32, 40)))
                windows.append(
                    fmt.HotWindow(
                        start=begin, end=begin + timedelta(minutes=30 * int(rng.integers(6, 12)))
                    )
                )
        places.append(
            fmt.Place(
                id=f"P{i:04d}",
                name=name,
                kind=kind,
                lat=round(float(lat[i]), 6),
                lon=round(float(lon[i]), 6),
                h3_cell=h3.latlng_to_cell(float(lat[i]), float(lon[i]), 9),
                opening_hours=hours,
                key=i in key,
                need=need,
                hot=windows,
            )
        )
    distance = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    travel = np.round(distance * ROAD_FACTOR / REFERENCE_KMH * 60.0, 3)
    hours_of_band = (np.arange(n_bands) // 2) % 24
    demand = np.round(crowd[:, None] * HOURLY[hours_of_band][None, :], 4)
    labels = coverage.districts(places, district_size)
    units = _units(rng, places, labels, n_units, start, horizon_days, demand.sum(axis=1))
    return coverage.Problem(
        week=week,
        places=places,
        bands=bands,
        units=units,
        travel_minutes=travel,
        reference_speed_kmh=REFERENCE_KMH,
        demand=demand,
        district_size=district_size,
    )


def _units(
    rng: np.random.Generator,
    places: list[fmt.Place],
    labels: np.ndarray,
    n_units: int,
    start: datetime,
    days: int,
    workload: np.ndarray,
) -> list[fmt.Unit]:
    """Units spread over the districts by workload and over three 8-hour shifts (the evening's
    first); each district's shift gets a car first, so all of a district is in reach."""
    groups = sorted(set(labels.tolist()))
    # three per district (a car per shift), the rest in proportion to the district's demand
    floor = min(3, n_units // len(groups))
    share = np.array([workload[labels == g].sum() for g in groups])
    extra = (n_units - floor * len(groups)) * share / share.sum()
    counts = floor + np.floor(extra).astype(int)
    for g in np.argsort(-(extra - np.floor(extra)))[: n_units - int(counts.sum())]:
        counts[g] += 1
    districts_of = [groups[g] for g in range(len(groups)) for _ in range(int(counts[g]))]
    ranks = [r for g in range(len(groups)) for r in range(int(counts[g]))]
    units: list[fmt.Unit] = []
    cycle = ["car", "bike", "foot", "foot"]
    busiest_first = (2, 1, 0)  # evening, day, night: hot cells heat up in the evening
    for n in range(n_units):
        district, rank = districts_of[n], ranks[n]  # rank: the how-many-th of its district
        shift_no, slot = busiest_first[rank % 3], rank // 3
        kind = cycle[slot % len(cycle)]
        members = np.flatnonzero(labels == district)
        base = places[int(rng.choice(members))].id
        shifts = [
            fmt.Shift(
                start=start + timedelta(days=d, hours=8 * shift_no),
                end=start + timedelta(days=d, hours=8 * (shift_no + 1)),
            )
            for d in range(days)
        ]
        units.append(
            fmt.Unit(
                code=f"U{n:03d}-{kind}",
                type=kind,
                shifts=shifts,
                base=base,
                speed_kmh=SPEEDS[kind],
                capacity=TEAM[kind],
            )
        )
    return units
