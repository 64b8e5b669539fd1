"""Conditional randomisation for local spatial statistics: each unit keeps its own value
while its neighbours' values are drawn at random, without replacement, from all other units."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ProgressCallback = Callable[[int], None]

# Largest number of random draws held in memory at once.
_MAX_DRAWS_PER_CHUNK = 4_000_000


def padded_neighbour_weights(w: sp.csr_array) -> tuple[FloatArray, FloatArray, IntArray]:
    """(self weights (n,), off-diagonal weights padded to (n, k_max), cardinalities (n,))."""
    matrix = sp.csr_array(w, dtype=np.float64)
    n = matrix.shape[0]
    coo = matrix.tocoo()
    off = (coo.row != coo.col) & (coo.data != 0)
    row, col, data = coo.row[off], coo.col[off], coo.data[off]
    order = np.lexsort((col, row))
    row, data = row[order], data[order]
    cardinality = np.bincount(row, minlength=n).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(cardinality)[:-1]])
    padded = np.zeros((n, max(int(cardinality.max(initial=0)), 1)))
    padded[row, np.arange(row.size) - starts[row]] = data
    return matrix.diagonal().astype(np.float64), padded, cardinality


def _uses_full_shuffle(others: int, k: int) -> bool:
    """Small or dense cases shuffle all other units; large sparse ones draw and redraw."""
    return others <= 4 * k or others <= 64


def _draw_other_units(
    rng: np.random.Generator, units: IntArray, n: int, permutations: int, k: int
) -> IntArray:
    """(len(units), permutations, k) indices into 0..n-1, distinct within each draw and
    never the unit itself."""
    others = n - 1
    shape = (units.size, permutations, k)
    if _uses_full_shuffle(others, k):
        draws = np.argsort(rng.random((*shape[:2], others)), axis=-1)[..., :k]
    else:
        draws = rng.integers(0, others, size=shape, dtype=np.int64)
        while True:  # redraw the few samples that hit the same unit twice
            clash = np.zeros(shape[:2], dtype=bool)
            for a in range(k):
                for b in range(a + 1, k):
                    clash |= draws[..., a] == draws[..., b]
            if not clash.any():
                break
            draws[clash] = rng.integers(0, others, size=(int(clash.sum()), k))
    return draws + (draws >= units[:, None, None])


def random_lags(
    values: FloatArray,
    padded: FloatArray,
    permutations: int,
    rng: np.random.Generator,
    progress: ProgressCallback | None = None,
) -> Iterator[tuple[int, int, FloatArray]]:
    """Yields (lo, hi, lags) where lags[i - lo, p] = sum_j w_ij * value of the unit drawn for
    neighbour j in permutation p, for units lo..hi-1. `padded` holds the off-diagonal
    weights from padded_neighbour_weights."""
    n = values.size
    k = padded.shape[1]
    if n < 2:
        raise ValueError("conditional randomisation needs at least two units")
    if k > n - 1:
        raise ValueError("a unit has more neighbours than there are other units")
    width = n - 1 if _uses_full_shuffle(n - 1, k) else k
    chunk = max(1, _MAX_DRAWS_PER_CHUNK // (permutations * width))
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        units = np.arange(lo, hi, dtype=np.int64)
        draws = _draw_other_units(rng, units, n, permutations, k)
        lags = (values[draws] * padded[lo:hi, None, :]).sum(axis=-1)
        if progress is not None:
            progress(hi - lo)
        yield lo, hi, lags


def folded_p_values(observed: FloatArray, simulated: FloatArray) -> FloatArray:
    """Two-sided pseudo p-values: (#{|sim - mean| >= |obs - mean|} + 1) / (P + 1), with the
    mean of each unit's simulated values (esda's `alternative='folded'`)."""
    centre = simulated.mean(axis=1, keepdims=True)
    extreme = np.abs(simulated - centre) >= np.abs(observed[:, None] - centre)
    return (extreme.sum(axis=1) + 1.0) / (simulated.shape[1] + 1.0)
