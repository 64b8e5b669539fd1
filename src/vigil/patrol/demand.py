"""Demand by place and half-hour band of the week: the hour-of-week incident profile times the
place's crowd profile. Pure; counts per place and time only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vigil.patrol.crowd import BANDS_PER_DAY, CrowdCount

BANDS_PER_WEEK = 7 * BANDS_PER_DAY


def weekly_demand(
    place_ids: Sequence[str],
    hour_of_week: np.ndarray,
    crowd: Sequence[CrowdCount],
    *,
    default_crowd: float = 0.0,
) -> np.ndarray:
    """places x 336 bands: incidents in the band's hour (profile of 168 values, Monday 00:00
    first, each hour's rate split over its two bands) times the place's count in that band.
    Bands without a count use `default_crowd`; counts for unknown places are an error."""
    profile = np.asarray(hour_of_week, dtype=float)
    if profile.shape != (168,) or np.any(profile < 0) or not np.all(np.isfinite(profile)):
        raise ValueError("the hour-of-week profile needs 168 finite values >= 0")
    index = {pid: i for i, pid in enumerate(place_ids)}
    counts = np.full((len(place_ids), BANDS_PER_WEEK), float(default_crowd))
    for row in crowd:
        if row.place not in index:
            raise ValueError(f"crowd count for unknown place {row.place!r}")
        counts[index[row.place], row.weekday * BANDS_PER_DAY + row.band] = row.count
    per_band = np.repeat(profile, 2) / 2.0
    return np.asarray(counts * per_band[None, :])
