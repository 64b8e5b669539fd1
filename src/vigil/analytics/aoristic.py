"""Aoristic weighting: an incident known only to lie in a time window is spread over the
hours of the week in proportion to how much of the window falls in each hour."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

HOURS_PER_WEEK = 168
# 1970-01-01 (the datetime64 epoch) was a Thursday: Monday 00:00 came 72 hours earlier.
_EPOCH_HOUR_OF_WEEK = 72

FloatArray = npt.NDArray[np.float64]


def hours_since_monday(times: npt.ArrayLike) -> FloatArray:
    """Hours since Monday 1969-12-29 00:00 for datetime64 values (wall-clock, no zone)."""
    values = np.asarray(times, dtype="datetime64[s]").astype(np.int64)
    return values / 3600.0 + _EPOCH_HOUR_OF_WEEK


def _time_in_bins_before(x: FloatArray) -> FloatArray:
    """F[i, h]: hours of [0, x_i) that fall in hour-of-week bin h."""
    whole_weeks = np.floor(x / HOURS_PER_WEEK)
    into_week = x - whole_weeks * HOURS_PER_WEEK
    bins = np.arange(HOURS_PER_WEEK, dtype=np.float64)
    return whole_weeks[:, None] + np.clip(into_week[:, None] - bins[None, :], 0.0, 1.0)


def aoristic_hour_of_week(
    start: npt.ArrayLike,
    end: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    chunk: int = 20_000,
) -> FloatArray:
    """Weight matrix (n, 168): row i sums to weights[i] (1 by default). An exact time
    (start == end) puts all its weight in its own hour."""
    s = hours_since_monday(start)
    e = hours_since_monday(end)
    if np.any(e < s):
        raise ValueError("a time window ends before it starts")
    w = np.ones_like(s) if weights is None else np.asarray(weights, dtype=np.float64)
    out = np.zeros((s.size, HOURS_PER_WEEK))
    for lo in range(0, s.size, chunk):
        hi = min(lo + chunk, s.size)
        ss, ee, ww = s[lo:hi], e[lo:hi], w[lo:hi]
        span = ee - ss
        window = span > 0
        block = np.zeros((hi - lo, HOURS_PER_WEEK))
        if window.any():
            overlap = _time_in_bins_before(ee[window]) - _time_in_bins_before(ss[window])
            block[window] = overlap / span[window, None] * ww[window, None]
        exact = ~window
        if exact.any():
            hour = np.floor(ss[exact]).astype(np.int64) % HOURS_PER_WEEK
            block[np.flatnonzero(exact), hour] = ww[exact]
        out[lo:hi] = block
    return out


def hour_of_week_profile(
    start: npt.ArrayLike, end: npt.ArrayLike, weights: npt.ArrayLike | None = None
) -> FloatArray:
    """168 aoristic counts, Monday 00:00-01:00 first."""
    s = np.asarray(start, dtype="datetime64[s]")
    total = np.zeros(HOURS_PER_WEEK)
    step = 20_000
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    for lo in range(0, s.size, step):
        part_w = None if w is None else w[lo : lo + step]
        total += aoristic_hour_of_week(
            s[lo : lo + step], np.asarray(end)[lo : lo + step], part_w
        ).sum(axis=0)
    return total
