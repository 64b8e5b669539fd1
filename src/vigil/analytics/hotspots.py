"""Hot spots: Getis-Ord Gi* and Moran's I (global and local), vectorised with numpy and
scipy.sparse, with conditional-randomisation inference and Benjamini-Hochberg FDR."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.stats import false_discovery_control

from vigil.analytics.permutation import (
    ProgressCallback,
    folded_p_values,
    padded_neighbour_weights,
    random_lags,
)

FloatArray = npt.NDArray[np.float64]
# (p_fdr threshold, label suffix): the classes of a hot-spot map.
CONFIDENCE_LEVELS: tuple[tuple[float, str], ...] = ((0.01, "99"), (0.05, "95"), (0.10, "90"))
HOTSPOT_CLASSES: tuple[str, ...] = (
    "hot_99",
    "hot_95",
    "hot_90",
    "not_significant",
    "cold_90",
    "cold_95",
    "cold_99",
)
QUADRANTS: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def _as_values(y: npt.ArrayLike) -> FloatArray:
    values = np.asarray(y, dtype=np.float64).ravel()
    if values.size < 2:
        raise ValueError("need at least two units")
    return values


def gi_star_z(y: npt.ArrayLike, w: sp.csr_array | sp.csr_matrix) -> FloatArray:
    """Gi* z-scores (Ord & Getis 1995): [sum_j w_ij y_j - ybar W_i] /
    (S sqrt[(n S1_i - W_i^2) / (n - 1)]) with W_i = sum_j w_ij, S1_i = sum_j w_ij^2 and
    S the population standard deviation. `w` must include the self weight w_ii."""
    values = _as_values(y)
    matrix = sp.csr_array(w, dtype=np.float64)
    n = values.size
    mean = values.mean()
    spread = np.sqrt((values**2).mean() - mean**2)
    row_sum = np.asarray(matrix.sum(axis=1)).ravel()
    row_sum_sq = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    numerator = matrix @ values - mean * row_sum
    denominator = spread * np.sqrt((n * row_sum_sq - row_sum**2) / (n - 1))
    return numerator / denominator


@dataclass(frozen=True)
class GiStarResult:
    z: FloatArray
    p: FloatArray
    p_fdr: FloatArray
    classes: list[str]
    simulated: FloatArray | None  # (n, permutations) Gi* values G = sum_j w_ij y_j / sum y


def classify(z: FloatArray, p_fdr: FloatArray) -> list[str]:
    """hot_99 / hot_95 / hot_90 / not_significant / cold_90 / ... by FDR-adjusted p and sign."""
    labels: list[str] = []
    for score, p in zip(z.tolist(), p_fdr.tolist(), strict=True):
        label = "not_significant"
        for threshold, suffix in CONFIDENCE_LEVELS:
            if p <= threshold and score != 0:
                label = ("hot_" if score > 0 else "cold_") + suffix
                break
        labels.append(label)
    return labels


def gi_star(
    y: npt.ArrayLike,
    w: sp.csr_array | sp.csr_matrix,
    *,
    permutations: int = 99,
    seed: int = 1,
    keep_simulations: bool = False,
    progress: ProgressCallback | None = None,
) -> GiStarResult:
    """Gi* z-scores with conditional-randomisation p-values (two-sided, folded) and
    Benjamini-Hochberg adjusted p-values. `w` includes the self weight (binary k-ring + self)."""
    values = _as_values(y)
    matrix = sp.csr_array(w, dtype=np.float64)
    z = gi_star_z(values, matrix)
    if permutations < 1:
        p = np.full(values.size, np.nan)
        return GiStarResult(z, p, p.copy(), ["not_significant"] * values.size, None)
    self_weights, padded, _ = padded_neighbour_weights(matrix)
    observed = matrix @ values
    total = values.sum()
    rng = np.random.default_rng(seed)
    p = np.empty(values.size)
    simulated = np.empty((values.size, permutations)) if keep_simulations else None
    for lo, hi, lags in random_lags(values, padded, permutations, rng, progress):
        sums = lags + (self_weights[lo:hi] * values[lo:hi])[:, None]
        p[lo:hi] = folded_p_values(observed[lo:hi], sums)
        if simulated is not None:
            simulated[lo:hi] = sums / total
    p_fdr = false_discovery_control(p, method="bh")
    return GiStarResult(z, p, p_fdr, classify(z, p_fdr), simulated)


def row_standardise(w: sp.csr_array | sp.csr_matrix) -> sp.csr_array:
    """Each row divided by its sum (rows without neighbours stay zero)."""
    matrix = sp.csr_array(w, dtype=np.float64)
    row_sum = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, row_sum, out=np.zeros_like(row_sum), where=row_sum != 0)
    return sp.csr_array(sp.diags_array(scale) @ matrix)


def without_self(w: sp.csr_array | sp.csr_matrix) -> sp.csr_array:
    """The weights with the diagonal removed."""
    matrix = sp.csr_array(w, dtype=np.float64)
    return sp.csr_array(matrix - sp.diags_array(matrix.diagonal()))


def moran_i(
    y: npt.ArrayLike, w: sp.csr_array | sp.csr_matrix, *, standardise: bool = True
) -> float:
    """Global Moran's I = (n / S0) * (z' W z) / (z' z), z = y - mean; W row-standardised
    unless `standardise` is False."""
    values = _as_values(y)
    matrix = row_standardise(w) if standardise else sp.csr_array(w, dtype=np.float64)
    z = values - values.mean()
    return float(values.size / matrix.sum() * (z @ (matrix @ z)) / (z @ z))


@dataclass(frozen=True)
class LocalMoranResult:
    i: FloatArray  # local I_i = (n - 1) z_i lag_i / sum z^2, z standardised
    quadrant: npt.NDArray[np.int64]  # 1 HH, 2 LH, 3 LL, 4 HL (esda's numbering)
    p: FloatArray
    p_fdr: FloatArray
    labels: list[str]  # HH/LH/LL/HL where p_fdr <= alpha, else "not_significant"


def local_moran(
    y: npt.ArrayLike,
    w: sp.csr_array | sp.csr_matrix,
    *,
    permutations: int = 99,
    seed: int = 1,
    alpha: float = 0.05,
    progress: ProgressCallback | None = None,
) -> LocalMoranResult:
    """Local Moran's I (Anselin 1995) on row-standardised weights with quadrants and
    conditional-randomisation p-values (two-sided, folded), BH-adjusted. Any self weight
    in `w` is dropped."""
    values = _as_values(y)
    matrix = row_standardise(without_self(w))
    z = (values - values.mean()) / values.std()
    lag = matrix @ z
    local_i = (values.size - 1) * z * lag / (z @ z)
    high, high_lag = z > 0, lag > 0
    quadrant = np.select(
        [high & high_lag, ~high & high_lag, ~high & ~high_lag], [1, 2, 3], default=4
    ).astype(np.int64)
    p = np.full(values.size, np.nan)
    if permutations > 0:
        rng = np.random.default_rng(seed)
        _, padded, _ = padded_neighbour_weights(matrix)
        for lo, hi, lags in random_lags(z, padded, permutations, rng, progress):
            p[lo:hi] = folded_p_values(lag[lo:hi], lags)
        p_fdr = false_discovery_control(p, method="bh")
    else:
        p_fdr = p.copy()
    labels = [
        QUADRANTS[int(q)] if pf <= alpha else "not_significant"
        for q, pf in zip(quadrant, p_fdr, strict=True)
    ]
    return LocalMoranResult(local_i, quadrant, p, p_fdr, labels)
