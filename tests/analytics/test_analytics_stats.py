"""Aoristic hour-of-week weights, counts/rates, period change and casualty figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.analytics.aoristic import aoristic_hour_of_week, hour_of_week_profile
from vigil.analytics.frame import incidents_to_frame
from vigil.analytics.schemas import Incident
from vigil.analytics.stats import (
    casualty_summary,
    counts_and_rates,
    hour_of_week,
    peak_hours,
    period_change,
)
from vigil.demo.incidents import generate_incidents


def _incident(i: int, kind: str, **when: str) -> Incident:
    return Incident.model_validate(
        {"incident_id": str(i), "type": kind, "lat": 31.23, "lon": 121.47, **when}
    )


def test_exact_time_and_window_weights() -> None:
    # 2024-03-04 is a Monday: 08:30 exact -> bin 8; Tue 08:00-10:00 -> half in 32 and 33.
    start = np.array(["2024-03-04T08:30", "2024-03-05T08:00"], dtype="datetime64[s]")
    end = np.array(["2024-03-04T08:30", "2024-03-05T10:00"], dtype="datetime64[s]")
    weights = aoristic_hour_of_week(start, end)
    assert weights[0, 8] == 1 and weights[0].sum() == 1
    assert weights[1, 32] == pytest.approx(0.5) and weights[1, 33] == pytest.approx(0.5)
    # Sunday 23:30 to Monday 00:30 wraps around the week.
    wrap = aoristic_hour_of_week(
        np.array(["2024-03-10T23:30"], dtype="datetime64[s]"),
        np.array(["2024-03-11T00:30"], dtype="datetime64[s]"),
    )
    assert wrap[0, 167] == pytest.approx(0.5) and wrap[0, 0] == pytest.approx(0.5)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**8),
    st.integers(min_value=0, max_value=40 * 24 * 3600),
)
def test_window_weights_sum_to_one_and_are_fair(offset: int, length: int) -> None:
    start = np.datetime64("2020-01-01T00:00:00", "s") + np.timedelta64(offset, "s")
    end = start + np.timedelta64(length, "s")
    weights = aoristic_hour_of_week(np.array([start]), np.array([end]))[0]
    assert weights.sum() == pytest.approx(1.0)
    assert (weights >= -1e-12).all()
    if length >= 7 * 24 * 3600:  # a window of a week or more touches every hour
        assert (weights > 0).all()
        assert weights.max() <= (length / 3600 / 168 + 1) / (length / 3600) + 1e-9


def test_profile_shows_rush_hour_peaks() -> None:
    frame = incidents_to_frame(generate_incidents(3000, seed=5))
    profile = hour_of_week(frame)
    assert profile.shape == (168,) and profile.sum() == pytest.approx(len(frame))
    weekdays = profile.reshape(7, 24)[:5]
    assert weekdays[:, 8].mean() > 2 * weekdays[:, 3].mean()
    assert weekdays[:, 18].mean() > 2 * weekdays[:, 3].mean()
    assert any(hour in (7, 8, 9, 17, 18, 19) for _, hour, _ in peak_hours(profile, top=3))
    windows = (frame["end"] > frame["start"]).sum()
    assert windows > 0  # the generator makes some time windows


def test_counts_rates_and_changes() -> None:
    incidents = [
        _incident(1, "theft", time="2023-05-01T10:00"),
        _incident(2, "theft", time="2024-05-01T10:00"),
        _incident(3, "theft", time="2024-06-01T10:00"),
        _incident(4, "violent", window_start="2024-06-01T10:00", window_end="2024-06-01T12:00"),
    ]
    frame = incidents_to_frame(incidents)
    yearly = period_change(frame, period="Y")
    theft = yearly[yearly["type"] == "theft"].set_index("period")
    assert theft.loc["2024", "count"] == 2 and theft.loc["2024", "previous"] == 1
    assert theft.loc["2024", "change_pct"] == pytest.approx(100.0)
    assert np.isnan(theft.loc["2023", "change_pct"])
    weekly = period_change(frame, period="W")
    assert weekly.groupby("type")["count"].sum().to_dict() == {"theft": 3, "violent": 1}
    counts = counts_and_rates(frame, period="Y", area_resolution=7)
    assert counts["count"].sum() == 4
    assert (counts["rate"] > 0).all() and (counts["rate_unit"] == "per km2").all()
    area = counts["area"].iloc[0]
    per_pop = counts_and_rates(frame, period="Y", population={area: 50_000})
    assert per_pop["rate"].iloc[0] == pytest.approx(per_pop["count"].iloc[0] * 2)


def test_casualty_summary() -> None:
    rows = [
        {
            "incident_id": "1",
            "type": "traffic",
            "lat": 1,
            "lon": 1,
            "time": "2024-01-01T00:00",
            "killed": 1,
            "injured": 2,
        },
        {"incident_id": "2", "type": "traffic", "lat": 1, "lon": 1, "time": "2024-01-02T00:00"},
        {
            "incident_id": "3",
            "type": "violent",
            "lat": 1,
            "lon": 1,
            "time": "2024-01-03T00:00",
            "injured": 1,
        },
    ]
    table = casualty_summary(incidents_to_frame(Incident.model_validate(r) for r in rows))
    table = table.set_index("type")
    assert table.loc["traffic", "killed"] == 1 and table.loc["traffic", "with_casualties"] == 1
    assert table.loc["all", "incidents"] == 3 and table.loc["all", "injured"] == 3
    assert table.loc["traffic", "casualties_per_incident"] == pytest.approx(1.5)


def test_profile_helper_matches_frame_profile() -> None:
    frame = incidents_to_frame(generate_incidents(200, seed=2))
    direct = hour_of_week_profile(frame["start"].to_numpy(), frame["end"].to_numpy())
    assert np.allclose(direct, hour_of_week(frame))
    assert isinstance(frame["start"].iloc[0], pd.Timestamp)
