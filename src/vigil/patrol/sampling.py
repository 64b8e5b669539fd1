"""Daily schedules from a mixed strategy, by comb sampling (Tsai et al. 2010). Pure.

Lay the coverage probabilities c_i (each in [0,1], sum <= m) end to end on [0, m) in a random
order, draw u in [0,1), and cover the targets whose segment holds one of u, u+1, ..., u+m-1.
A segment of length c_i <= 1 holds a tooth with probability exactly c_i, whatever the order,
so the marginals hold; drawing the order afresh each time makes the joint schedules vary.

Over a run of days the draws of u are stratified like a shuffled deck: the days are dealt
among a few random orders, and the days of one order get one u from each of equal slices of
[0,1), in a random sequence. Each day's u is still uniform, but the run's empirical coverage
then sits within a few tenths of a percentage point of c instead of wandering by sampling
noise. Days are then reordered so that no day repeats the one before."""

from __future__ import annotations

import numpy as np


def comb_sample(
    coverage: np.ndarray,
    resources: int,
    rng: np.random.Generator,
    *,
    order: np.ndarray | None = None,
    u: float | None = None,
) -> np.ndarray:
    """Indices of the targets covered in one draw (at most `resources` of them)."""
    c = np.asarray(coverage, dtype=float)
    if np.any(c < -1e-12) or np.any(c > 1 + 1e-12) or c.sum() > resources + 1e-9:
        raise ValueError("coverage must lie in [0,1] and sum to at most the resources")
    order = rng.permutation(len(c)) if order is None else order
    ends = np.cumsum(np.clip(c[order], 0.0, 1.0))
    starts = ends - np.clip(c[order], 0.0, 1.0)
    teeth = (rng.uniform() if u is None else u) + np.arange(resources)
    # the segment [start, end) holding each tooth
    slot = np.searchsorted(ends, teeth, side="right")
    hit = slot[(slot < len(c))]
    hit = hit[teeth[: len(hit)] >= starts[hit]]
    return np.sort(order[hit])


def daily_schedules(
    coverage_by_band: np.ndarray,
    resources: int,
    days: int,
    rng: np.random.Generator,
    *,
    orders: int = 16,
) -> np.ndarray:
    """Boolean array days x bands x targets: the targets covered in each band of each day."""
    cov = np.asarray(coverage_by_band, dtype=float)
    bands, targets = cov.shape
    out = np.zeros((days, bands, targets), dtype=bool)
    groups = max(1, min(orders, days))
    for b in range(bands):
        dealt = rng.permutation(days) % groups  # which order each day uses
        for g in range(groups):
            members = np.flatnonzero(dealt == g)
            order = rng.permutation(targets)
            slices = (rng.permutation(len(members)) + rng.uniform(size=len(members))) / len(members)
            for day, u in zip(members, slices, strict=True):
                out[day, b, comb_sample(cov[b], resources, rng, order=order, u=float(u))] = True
    _no_day_like_the_last(out, rng)
    return out


def _no_day_like_the_last(days: np.ndarray, rng: np.random.Generator) -> None:
    """Reorder the days (which keeps every count, hence the coverage) so that no day repeats
    the day before, where some other day allows it."""
    n = len(days)

    def same(a: int, b: int) -> bool:
        return 0 <= a < n and 0 <= b < n and bool(np.array_equal(days[a], days[b]))

    for d in range(1, n):
        if not same(d, d - 1):
            continue
        for e in rng.permutation(n):
            e = int(e)
            if abs(e - d) <= 1:
                continue
            days[[d, e]] = days[[e, d]]
            if not any(same(x, x - 1) or same(x, x + 1) for x in (d, e)):
                break
            days[[d, e]] = days[[e, d]]  # undo and try another
