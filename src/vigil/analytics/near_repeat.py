"""Near-repeat analysis: the Knox test and a Ratcliffe-style banded table
(Near Repeat Calculator layout) with Monte-Carlo permutation of the times."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree
from scipy.stats import poisson

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
EARTH_RADIUS_M = 6_371_008.8


def project_to_metres(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """(n, 2) local equirectangular x/y in metres around the points' mean; fine at city scale."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    x = (lam - lam.mean()) * np.cos(phi.mean()) * EARTH_RADIUS_M
    y = (phi - phi.mean()) * EARTH_RADIUS_M
    return np.column_stack([x, y])


def _close_pairs(xy: FloatArray, radius: float) -> tuple[IntArray, IntArray, FloatArray]:
    """All unordered pairs i < j with distance <= radius, and their distances."""
    pairs = cKDTree(xy).query_pairs(r=radius, output_type="ndarray").astype(np.int64)
    i, j = pairs[:, 0], pairs[:, 1]
    return i, j, np.hypot(*(xy[i] - xy[j]).T)


def _pairs_within(times: FloatArray, tau: float) -> int:
    """Number of unordered pairs with |t_i - t_j| <= tau (all n(n-1)/2 pairs considered)."""
    ordered = np.sort(times)
    upper = np.searchsorted(ordered, ordered + tau, side="right")
    return int((upper - np.arange(ordered.size) - 1).sum())


@dataclass(frozen=True)
class KnoxResult:
    """2x2 tables [[close in space and time, close in space only],
    [close in time only, neither]] over all n(n-1)/2 pairs."""

    observed: FloatArray
    expected: FloatArray
    statistic: int
    p_poisson: float
    p_sim: float | None
    permutations: int
    simulated: IntArray = field(repr=False)


def knox_test(
    xy: npt.ArrayLike,
    times: npt.ArrayLike,
    delta: float,
    tau: float,
    *,
    permutations: int = 99,
    seed: int = 1,
) -> KnoxResult:
    """Knox test: pairs with distance <= delta and time gap <= tau. Expected close-close
    count = N_s N_t / pairs; p_sim = (#{permuted >= observed} + 1) / (permutations + 1)
    with the times permuted over the events."""
    points = np.asarray(xy, dtype=np.float64)
    t = np.asarray(times, dtype=np.float64).ravel()
    n = t.size
    pairs = n * (n - 1) / 2
    i, j, _ = _close_pairs(points, delta)
    n_space = float(i.size)
    n_time = float(_pairs_within(t, tau))
    n_both = int((np.abs(t[i] - t[j]) <= tau).sum())
    observed = np.array(
        [[n_both, n_space - n_both], [n_time - n_both, pairs - n_space - n_time + n_both]]
    )
    e_both = n_space * n_time / pairs
    expected = np.array(
        [[e_both, n_space - e_both], [n_time - e_both, pairs - n_space - n_time + e_both]]
    )
    rng = np.random.default_rng(seed)
    simulated = np.empty(permutations, dtype=np.int64)
    for k in range(permutations):
        shuffled = rng.permutation(t)
        simulated[k] = int((np.abs(shuffled[i] - shuffled[j]) <= tau).sum())
    p_sim = float(((simulated >= n_both).sum() + 1) / (permutations + 1)) if permutations else None
    p_poisson = float(poisson.sf(n_both - 1, e_both))
    return KnoxResult(observed, expected, n_both, p_poisson, p_sim, permutations, simulated)


@dataclass(frozen=True)
class NearRepeatTable:
    """Rows: same location, then spatial bands; columns: temporal bands. The last row and
    column are "beyond the last band"."""

    spatial_labels: list[str]
    temporal_labels: list[str]
    observed: IntArray
    expected: FloatArray  # mean over permutations
    ratio: FloatArray  # observed / expected (NaN when expected is 0)
    p_greater: FloatArray  # (#{permuted >= observed} + 1) / (iterations + 1)
    p_lesser: FloatArray  # (#{permuted <= observed} + 1) / (iterations + 1)
    iterations: int
    n_events: int

    def as_dict(self) -> dict[str, object]:
        def grid(values: npt.NDArray[np.generic]) -> list[list[float | None]]:
            return [
                [None if np.isnan(v) else float(v) for v in row] for row in values.astype(float)
            ]

        return {
            "method": "Knox near-repeat, Monte-Carlo permutation of event times",
            "n_events": self.n_events,
            "iterations": self.iterations,
            "spatial_bands": self.spatial_labels,
            "temporal_bands": self.temporal_labels,
            "observed": self.observed.tolist(),
            "expected": grid(self.expected),
            "observed_over_expected": grid(self.ratio),
            "percent_greater": grid((self.ratio - 1.0) * 100.0),
            "p_value_greater": grid(self.p_greater),
            "p_value_lesser": grid(self.p_lesser),
        }


def band_labels(step: float, bands: int, unit: str) -> list[str]:
    edges = [step * b for b in range(bands + 1)]
    labels = [f"{lo:g} to {hi:g} {unit}" for lo, hi in pairwise(edges)]
    return [*labels, f"more than {edges[-1]:g} {unit}"]


def _bin(values: FloatArray, step: float, bands: int, *, zero_is_own_bin: bool) -> IntArray:
    """Band index: ceil(v / step) - 1 clamped to [0, bands] (so band b is (b*step, (b+1)*step],
    the first band also takes 0). With zero_is_own_bin, v == 0 gets index 0 and bands shift by 1."""
    index = np.maximum(np.ceil(values / step).astype(np.int64) - 1, 0)
    index = np.minimum(index, bands)
    if zero_is_own_bin:
        index = np.where(values == 0, 0, index + 1)
    return index


def near_repeat_table(
    xy: npt.ArrayLike,
    times: npt.ArrayLike,
    *,
    space_step: float,
    space_bands: int,
    time_step: float,
    time_bands: int,
    iterations: int = 99,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> NearRepeatTable:
    """Pairs binned by distance (same location, (0, s], (s, 2s], ..., beyond) and time gap
    ([0, t], (t, 2t], ..., beyond); expected counts from permuting the times. Only pairs
    within the spatial bands are enumerated; the "beyond" row follows from the totals,
    since the time gaps over all pairs do not change under permutation."""
    points = np.asarray(xy, dtype=np.float64)
    t = np.asarray(times, dtype=np.float64).ravel()
    i, j, distance = _close_pairs(points, space_step * space_bands)
    space_index = _bin(distance, space_step, space_bands, zero_is_own_bin=True)
    rows, columns = space_bands + 2, time_bands + 1
    within = space_index <= space_bands  # the last spatial index (beyond) is derived
    i, j, space_index = i[within], j[within], space_index[within]

    ordered = np.sort(t)
    edges = np.array([time_step * b for b in range(1, time_bands + 1)])
    all_pairs_upto = np.array(
        [
            int((np.searchsorted(ordered, ordered + e, side="right") - np.arange(t.size) - 1).sum())
            for e in edges
        ]
    )
    total_pairs = t.size * (t.size - 1) // 2
    column_totals = np.diff(np.concatenate([[0], all_pairs_upto, [total_pairs]]))

    def table_for(event_times: FloatArray) -> IntArray:
        gap = np.abs(event_times[i] - event_times[j])
        time_index = _bin(gap, time_step, time_bands, zero_is_own_bin=False)
        counts = np.zeros((rows, columns), dtype=np.int64)
        np.add.at(counts, (space_index, time_index), 1)
        counts[-1] = column_totals - counts[:-1].sum(axis=0)
        return counts

    observed = table_for(t)
    rng = np.random.default_rng(seed)
    total = np.zeros((rows, columns))
    greater = np.zeros((rows, columns))
    lesser = np.zeros((rows, columns))
    for _ in range(iterations):
        simulated = table_for(rng.permutation(t))
        total += simulated
        greater += simulated >= observed
        lesser += simulated <= observed
        if progress is not None:
            progress(1)
    expected = total / max(iterations, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
    spatial = ["same location", *band_labels(space_step, space_bands, "m")]
    return NearRepeatTable(
        spatial_labels=spatial,
        temporal_labels=band_labels(time_step, time_bands, "days"),
        observed=observed,
        expected=expected,
        ratio=ratio,
        p_greater=(greater + 1) / (iterations + 1),
        p_lesser=(lesser + 1) / (iterations + 1),
        iterations=iterations,
        n_events=int(t.size),
    )
