"""Quartic kernel density on a regular grid, and the Prediction Accuracy Index (PAI)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import h3
import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

FloatArray = npt.NDArray[np.float64]


def quartic_kernel(distance: npt.ArrayLike, bandwidth: float) -> FloatArray:
    """K(d) = 3 / (pi h^2) * (1 - d^2 / h^2)^2 for d < h, else 0; integrates to 1 in the plane."""
    d = np.asarray(distance, dtype=np.float64)
    u = 1.0 - (d / bandwidth) ** 2
    return np.where(d < bandwidth, 3.0 / (np.pi * bandwidth**2) * u**2, 0.0)


@dataclass(frozen=True)
class DensityGrid:
    """Density (events per square unit) at cell centres: density[row, col] is at
    (x[col], y[row])."""

    x: FloatArray
    y: FloatArray
    density: FloatArray
    cell_size: float
    bandwidth: float


def quartic_kde(
    xy: npt.ArrayLike,
    *,
    bandwidth: float,
    cell_size: float,
    weights: npt.ArrayLike | None = None,
    padding: float | None = None,
) -> DensityGrid:
    """Quartic kernel density of points (projected units, e.g. metres) on a grid covering
    the points plus `padding` (default: one bandwidth)."""
    points = np.asarray(xy, dtype=np.float64)
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    pad = bandwidth if padding is None else padding
    low = points.min(axis=0) - pad
    high = points.max(axis=0) + pad
    x = np.arange(low[0] + cell_size / 2, high[0], cell_size)
    y = np.arange(low[1] + cell_size / 2, high[1], cell_size)
    gx, gy = np.meshgrid(x, y)
    centres = np.column_stack([gx.ravel(), gy.ravel()])
    density = np.zeros(len(centres))
    tree = cKDTree(points)
    for lo in range(0, len(centres), 50_000):
        block = centres[lo : lo + 50_000]
        near = tree.query_ball_point(block, r=bandwidth)
        counts = np.fromiter((len(n) for n in near), dtype=np.int64, count=len(near))
        if counts.sum() == 0:
            continue
        cell = np.repeat(np.arange(len(block)), counts)
        point = np.concatenate([np.asarray(n, dtype=np.int64) for n in near if n])
        distance = np.hypot(*(block[cell] - points[point]).T)
        density[lo : lo + len(block)] = np.bincount(
            cell, weights=quartic_kernel(distance, bandwidth) * w[point], minlength=len(block)
        )
    return DensityGrid(x, y, density.reshape(len(y), len(x)), cell_size, bandwidth)


def pai(hits: float, total: float, hot_area: float, study_area: float) -> float:
    """Prediction Accuracy Index (Chainey et al. 2008): (n / N) / (a / A)."""
    if total <= 0 or hot_area <= 0 or study_area <= 0:
        raise ValueError("PAI needs N > 0, a > 0 and A > 0")
    return (hits / total) / (hot_area / study_area)


def pai_for_cells(
    hot_cells: Collection[str], test_cells: Iterable[str], study_cells: Collection[str]
) -> float:
    """Out-of-time PAI on H3 cells: `hot_cells` chosen on a training period, `test_cells`
    one cell per incident of a later period, `study_cells` the whole area; areas from H3."""
    hot = set(hot_cells)
    study = set(study_cells)
    if not hot <= study:
        raise ValueError("hot cells must lie inside the study area")
    tests = [c for c in test_cells if c in study]
    hits = sum(1 for c in tests if c in hot)
    hot_area = sum(h3.cell_area(c, unit="km^2") for c in hot)
    study_area = sum(h3.cell_area(c, unit="km^2") for c in study)
    return pai(hits, len(tests), hot_area, study_area)


def pai_for_grid(grid: DensityGrid, test_xy: npt.ArrayLike, top_share: float) -> float:
    """PAI of the densest `top_share` of grid cells for test points (same projection)."""
    points = np.asarray(test_xy, dtype=np.float64)
    flat = grid.density.ravel()
    n_hot = max(1, round(top_share * flat.size))
    hot = np.zeros(flat.size, dtype=bool)
    hot[np.argsort(flat)[::-1][:n_hot]] = True
    col = np.floor((points[:, 0] - (grid.x[0] - grid.cell_size / 2)) / grid.cell_size)
    row = np.floor((points[:, 1] - (grid.y[0] - grid.cell_size / 2)) / grid.cell_size)
    inside = (col >= 0) & (col < grid.x.size) & (row >= 0) & (row < grid.y.size)
    index = row[inside].astype(np.int64) * grid.x.size + col[inside].astype(np.int64)
    return pai(float(hot[index].sum()), float(inside.sum()), n_hot, flat.size)
