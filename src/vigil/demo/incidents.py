"""Synthetic incidents for the demo city: pure, seeded numpy. Incidents cluster around a
few places (stations, malls, a market...), peak at rush hours and on weekend nights, and
some are known only to a time window. Places and times only: no person fields."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vigil.analytics.schemas import Incident
from vigil.analytics.taxonomy import DEFAULT_INCIDENT_TYPES, PlaceType

DEMO_CENTRE: tuple[float, float] = (31.2304, 121.4737)
METRES_PER_DEGREE_LAT = 111_320.0


@dataclass(frozen=True)
class DemoPlace:
    name: str
    place_type: PlaceType
    lat: float
    lon: float
    weight: float  # share of clustered incidents, relative
    spread_m: float  # standard deviation of the cluster


DEMO_PLACES: tuple[DemoPlace, ...] = (
    DemoPlace("Central Station", PlaceType.STATION, 31.2496, 121.4554, 3.0, 180.0),
    DemoPlace("South Station", PlaceType.STATION, 31.1955, 121.4346, 2.0, 160.0),
    DemoPlace("Riverside Mall", PlaceType.MALL, 31.2352, 121.4820, 2.5, 150.0),
    DemoPlace("East Mall", PlaceType.MALL, 31.2210, 121.5440, 1.5, 140.0),
    DemoPlace("Old Town Market", PlaceType.MARKET, 31.2270, 121.4920, 1.5, 120.0),
    DemoPlace("Harbour Venue", PlaceType.VENUE, 31.2420, 121.5010, 1.0, 120.0),
    DemoPlace("North School", PlaceType.SCHOOL, 31.2710, 121.4700, 0.5, 100.0),
)

# Relative type frequencies (order of DEFAULT_INCIDENT_TYPES) near places and elsewhere.
_TYPES_AT_PLACES = np.array([0.08, 0.002, 0.45, 0.03, 0.10, 0.17, 0.06, 0.108])
_TYPES_ELSEWHERE = np.array([0.10, 0.001, 0.25, 0.20, 0.06, 0.08, 0.20, 0.109])
_PLACE_TYPE_ELSEWHERE = (PlaceType.STREET, PlaceType.RESIDENTIAL, PlaceType.PARK, PlaceType.OFFICE)
_WINDOW_SHARE = {"burglary": 0.7, "theft": 0.15}
_SOURCES = ("police_report", "emergency_call", "patrol", "online_report", "camera_event")
_START = np.datetime64("2023-01-02T00:00:00", "s")  # a Monday


@dataclass(frozen=True)
class IncidentArrays:
    """Column arrays; `window_start == window_end == time` for an exact time, and
    `exact` says which rows have an exact time."""

    incident_id: npt.NDArray[np.str_]
    type: npt.NDArray[np.str_]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    place_type: npt.NDArray[np.str_]
    window_start: npt.NDArray[np.datetime64]
    window_end: npt.NDArray[np.datetime64]
    exact: npt.NDArray[np.bool_]
    severity: npt.NDArray[np.int64]
    killed: npt.NDArray[np.int64]
    injured: npt.NDArray[np.int64]
    source: npt.NDArray[np.str_]

    def __len__(self) -> int:
        return int(self.lat.size)


def _hour_of_day(
    rng: np.random.Generator, weekday: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Rush-hour peaks (08:00, 18:00) on weekdays, late evening on weekends, a flat floor."""
    n = weekday.size
    pick = rng.random(n)
    hour = rng.uniform(0, 24, n)
    weekend = weekday >= 5
    morning = ~weekend & (pick < 0.25)
    evening = ~weekend & (pick >= 0.25) & (pick < 0.55)
    night = weekend & (pick < 0.3)
    hour[morning] = rng.normal(8.0, 0.8, morning.sum())
    hour[evening] = rng.normal(18.0, 1.0, evening.sum())
    hour[night] = rng.normal(22.5, 1.5, night.sum())
    return np.mod(hour, 24.0)


def generate_incident_arrays(
    n: int,
    *,
    seed: int = 1,
    days: int = 730,
    places: Sequence[DemoPlace] = DEMO_PLACES,
    centre: tuple[float, float] = DEMO_CENTRE,
    city_radius_m: float = 9_000.0,
    clustered_share: float = 0.6,
    near_repeat_share: float = 0.05,
) -> IncidentArrays:
    """`n` incidents over `days` days from Monday 2023-01-02. `clustered_share` of them
    cluster around `places`, the rest spread over the city; `near_repeat_share` are
    follow-ups within ~100 m and a week of an earlier incident."""
    rng = np.random.default_rng(seed)
    types = np.array(DEFAULT_INCIDENT_TYPES)
    place_weights = np.array([p.weight for p in places], dtype=np.float64)
    clustered = rng.random(n) < clustered_share
    which = rng.choice(len(places), size=n, p=place_weights / place_weights.sum())
    spread = np.array([p.spread_m for p in places])[which]
    north_m = rng.normal(0.0, 1.0, n)
    east_m = rng.normal(0.0, 1.0, n)
    base_lat = np.where(clustered, np.array([p.lat for p in places])[which], centre[0])
    base_lon = np.where(clustered, np.array([p.lon for p in places])[which], centre[1])
    scale = np.where(clustered, spread, city_radius_m / 2.0)
    lat = base_lat + north_m * scale / METRES_PER_DEGREE_LAT
    lon = base_lon + east_m * scale / (METRES_PER_DEGREE_LAT * np.cos(np.radians(base_lat)))

    type_index = np.where(
        clustered,
        rng.choice(len(types), size=n, p=_TYPES_AT_PLACES / _TYPES_AT_PLACES.sum()),
        rng.choice(len(types), size=n, p=_TYPES_ELSEWHERE / _TYPES_ELSEWHERE.sum()),
    )
    place_type = np.where(
        clustered,
        np.array([p.place_type.value for p in places])[which],
        np.array([p.value for p in _PLACE_TYPE_ELSEWHERE])[rng.integers(0, 4, n)],
    )

    day = rng.integers(0, days, n)
    weekday = day % 7  # day 0 is a Monday
    seconds = (day * 86_400 + _hour_of_day(rng, weekday) * 3_600).astype(np.int64)

    repeat = np.flatnonzero(rng.random(n) < near_repeat_share)
    if repeat.size:
        origin = rng.integers(0, n, repeat.size)
        lat[repeat] = lat[origin] + rng.normal(0, 60.0, repeat.size) / METRES_PER_DEGREE_LAT
        lon[repeat] = lon[origin] + rng.normal(0, 60.0, repeat.size) / (
            METRES_PER_DEGREE_LAT * np.cos(np.radians(lat[origin]))
        )
        seconds[repeat] = seconds[origin] + rng.integers(3_600, 7 * 86_400, repeat.size)
        type_index[repeat] = type_index[origin]
        place_type[repeat] = place_type[origin]
    seconds = np.clip(seconds, 0, days * 86_400 - 1)

    type_names = types[type_index]
    window_share = np.zeros(n)
    for name, share in _WINDOW_SHARE.items():
        window_share[type_names == name] = share
    exact = rng.random(n) >= np.maximum(window_share, 0.05)
    before = np.where(exact, 0, rng.integers(1_800, 6 * 3_600, n))
    after = np.where(exact, 0, rng.integers(1_800, 6 * 3_600, n))
    time = _START + seconds.astype("timedelta64[s]")

    harmful = np.isin(type_names, ["violent", "terror_related", "traffic", "robbery"])
    return IncidentArrays(
        incident_id=np.char.add("INC-", np.arange(1, n + 1).astype(str)),
        type=type_names,
        lat=lat,
        lon=lon,
        place_type=place_type,
        window_start=time - before.astype("timedelta64[s]"),
        window_end=time + after.astype("timedelta64[s]"),
        exact=exact,
        severity=np.clip(rng.poisson(np.where(harmful, 2.5, 1.2)) + 1, 1, 5),
        killed=np.where(harmful, rng.poisson(0.01, n), 0),
        injured=np.where(harmful, rng.poisson(0.4, n), 0),
        source=np.array(_SOURCES)[rng.integers(0, len(_SOURCES), n)],
    )


def incident_rows(arrays: IncidentArrays) -> Iterator[dict[str, str]]:
    """CSV-ready rows (`time` for exact times, `window_start`/`window_end` otherwise)."""
    for i in range(len(arrays)):
        exact = bool(arrays.exact[i])
        start = str(arrays.window_start[i])
        yield {
            "incident_id": str(arrays.incident_id[i]),
            "type": str(arrays.type[i]),
            "lat": f"{arrays.lat[i]:.6f}",
            "lon": f"{arrays.lon[i]:.6f}",
            "time": start if exact else "",
            "window_start": "" if exact else start,
            "window_end": "" if exact else str(arrays.window_end[i]),
            "place_type": str(arrays.place_type[i]),
            "severity": str(arrays.severity[i]),
            "killed": str(arrays.killed[i]),
            "injured": str(arrays.injured[i]),
            "source": str(arrays.source[i]),
        }


INCIDENT_CSV_COLUMNS: tuple[str, ...] = (
    "incident_id",
    "type",
    "lat",
    "lon",
    "time",
    "window_start",
    "window_end",
    "place_type",
    "severity",
    "killed",
    "injured",
    "source",
)


def generate_incidents(n: int, *, seed: int = 1, days: int = 730) -> list[Incident]:
    """Validated `Incident` models (for small demos and tests; use the arrays at scale)."""
    arrays = generate_incident_arrays(n, seed=seed, days=days)
    return [
        Incident.model_validate({k: v for k, v in row.items() if v != ""})
        for row in incident_rows(arrays)
    ]
