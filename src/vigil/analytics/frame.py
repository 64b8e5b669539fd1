"""Incidents as a pandas DataFrame, the shape the statistics work on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from vigil.analytics.schemas import Incident

FRAME_COLUMNS: tuple[str, ...] = (
    "incident_id",
    "type",
    "lat",
    "lon",
    "h3",
    "start",
    "end",
    "place_type",
    "severity",
    "killed",
    "injured",
    "source",
)


def _wall_clock(value: datetime, zone: ZoneInfo | None) -> datetime:
    """Naive local time: aware values are moved to `zone` (if given), then the zone dropped."""
    if value.utcoffset() is not None and zone is not None:
        value = value.astimezone(zone)
    return value.replace(tzinfo=None)


def incidents_to_frame(incidents: Iterable[Incident], timezone: str | None = None) -> pd.DataFrame:
    """One row per incident; `start`/`end` are naive local times (equal for an exact time)."""
    zone = ZoneInfo(timezone) if timezone else None
    records = [
        {
            "incident_id": item.incident_id,
            "type": item.type,
            "lat": item.lat,
            "lon": item.lon,
            "h3": item.h3,
            "start": _wall_clock(item.earliest, zone),
            "end": _wall_clock(item.latest, zone),
            "place_type": None if item.place_type is None else item.place_type.value,
            "severity": item.severity,
            "killed": item.killed,
            "injured": item.injured,
            "source": item.source,
        }
        for item in incidents
    ]
    frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
    frame["start"] = pd.to_datetime(frame["start"]).astype("datetime64[s]")
    frame["end"] = pd.to_datetime(frame["end"]).astype("datetime64[s]")
    frame["killed"] = frame["killed"].astype("int64")
    frame["injured"] = frame["injured"].astype("int64")
    return frame


def midpoint(frame: pd.DataFrame) -> pd.Series:
    """Middle of each incident's time window (the time itself when exact)."""
    return frame["start"] + (frame["end"] - frame["start"]) / 2
