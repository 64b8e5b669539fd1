"""Incident statistics: counts and rates by type x area x period, period-on-period change,
hour-of-week profiles (aoristic) and casualty figures. Pure functions on a DataFrame."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import h3
import numpy as np
import pandas as pd

from vigil.analytics.aoristic import HOURS_PER_WEEK, hour_of_week_profile
from vigil.analytics.frame import midpoint

Period = Literal["D", "W", "M", "Y"]
_PANDAS_PERIOD: dict[str, str] = {"D": "D", "W": "W-SUN", "M": "M", "Y": "Y"}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def with_area_and_period(frame: pd.DataFrame, area_resolution: int, period: Period) -> pd.DataFrame:
    """Adds `area` (the H3 parent cell at `area_resolution`) and `period` (of the window
    midpoint; weeks run Monday to Sunday)."""
    out = frame.copy()
    parents = {cell: h3.cell_to_parent(cell, area_resolution) for cell in out["h3"].unique()}
    out["area"] = out["h3"].map(parents)
    out["period"] = midpoint(out).dt.to_period(_PANDAS_PERIOD[period]).astype(str)
    return out


def counts_and_rates(
    frame: pd.DataFrame,
    *,
    period: Period = "M",
    area_resolution: int = 7,
    population: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Counts by type x area x period. `rate` is per 100,000 residents when `population`
    (area -> residents) is given, otherwise per km² of the area's H3 cell."""
    tagged = with_area_and_period(frame, area_resolution, period)
    counts = tagged.groupby(["type", "area", "period"]).size().rename("count").reset_index()
    if population is not None:
        residents = counts["area"].map(population).astype("float64")
        counts["rate"] = counts["count"] / residents * 100_000.0
        counts["rate_unit"] = "per 100k residents"
    else:
        areas = {a: h3.cell_area(a, unit="km^2") for a in counts["area"].unique()}
        counts["rate"] = counts["count"] / counts["area"].map(areas)
        counts["rate_unit"] = "per km2"
    return counts.sort_values(["type", "area", "period"], ignore_index=True)


def period_change(
    frame: pd.DataFrame, *, period: Literal["W", "Y"] = "W", by: tuple[str, ...] = ("type",)
) -> pd.DataFrame:
    """Count per group and period with the previous period's count (missing periods count
    0), absolute change and percentage change (NaN when the previous count is 0).
    period="Y" gives year-on-year change, "W" week-on-week."""
    when = midpoint(frame).dt.to_period(_PANDAS_PERIOD[period])
    keys = list(by)
    counts = frame[keys].assign(period=when).groupby([*keys, "period"]).size()
    wide = counts.unstack("period", fill_value=0)
    wide = wide.reindex(columns=pd.period_range(when.min(), when.max(), freq=when.dt.freq))
    wide = wide.fillna(0).astype("int64")
    previous = wide.shift(1, axis=1)
    labels = [str(p) for p in wide.columns]
    long = (
        wide.set_axis(labels, axis=1)
        .reset_index()
        .melt(id_vars=keys, var_name="period", value_name="count")
    )
    long["previous"] = (
        previous.set_axis(labels, axis=1)
        .reset_index()
        .melt(id_vars=keys, var_name="period", value_name="previous")["previous"]
    )
    long["change"] = long["count"] - long["previous"]
    long["change_pct"] = (long["change"] / long["previous"].where(long["previous"] > 0)) * 100.0
    return long.sort_values([*keys, "period"], ignore_index=True)


def hour_of_week(frame: pd.DataFrame, *, incident_type: str | None = None) -> np.ndarray:
    """168 aoristic counts (Monday 00:00 first); windows are spread over their hours."""
    part = frame if incident_type is None else frame[frame["type"] == incident_type]
    return hour_of_week_profile(part["start"].to_numpy(), part["end"].to_numpy())


def hour_of_week_table(profile: np.ndarray) -> pd.DataFrame:
    """A 7 x 24 table (rows Monday..Sunday, columns hour 0..23)."""
    if profile.shape != (HOURS_PER_WEEK,):
        raise ValueError("a profile has 168 hourly bins")
    return pd.DataFrame(profile.reshape(7, 24), index=list(DAY_NAMES), columns=list(range(24)))


def peak_hours(profile: np.ndarray, top: int = 5) -> list[tuple[str, int, float]]:
    """The `top` busiest hours of the week as (day, hour, weight)."""
    order = np.argsort(profile)[::-1][:top]
    return [(DAY_NAMES[i // 24], int(i % 24), float(profile[i])) for i in order]


def casualty_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per type: incidents, incidents with casualties, killed, injured, casualties per incident;
    plus an `all` row."""
    grouped = frame.assign(with_casualties=(frame["killed"] + frame["injured"]) > 0).groupby("type")
    table = grouped.agg(
        incidents=("incident_id", "size"),
        with_casualties=("with_casualties", "sum"),
        killed=("killed", "sum"),
        injured=("injured", "sum"),
    )
    table.loc["all"] = table.sum()
    table["casualties_per_incident"] = (table["killed"] + table["injured"]) / table["incidents"]
    return table.reset_index()
