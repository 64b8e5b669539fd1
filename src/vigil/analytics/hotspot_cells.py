"""Incidents -> H3 cells -> Gi* hot-spot table (the `hotspots` command's pipeline)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from vigil.analytics.h3grid import (
    CellCounts,
    StudyArea,
    cells_for_points,
    count_cells,
    kring_weights,
    study_area,
)
from vigil.analytics.hotspots import gi_star
from vigil.analytics.permutation import ProgressCallback

HOTSPOT_COLUMNS: tuple[str, ...] = ("h3", "count", "gi_z", "p", "p_fdr", "class")


@dataclass(frozen=True)
class HotspotRun:
    table: pd.DataFrame  # columns HOTSPOT_COLUMNS, one row per study-area cell
    weights: sp.csr_array  # binary k-ring + self, rows in table order
    area: CellCounts


def hotspot_table(
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    *,
    resolution: int = 9,
    k: int = 1,
    permutations: int = 99,
    seed: int = 1,
    study: StudyArea = "occupied",
    progress: ProgressCallback | None = None,
) -> HotspotRun:
    """Counts incidents per H3 cell, builds binary k-ring weights with the cell itself, and
    runs Gi* with permutation inference and BH FDR on the chosen study area."""
    counts = count_cells(cells_for_points(lat, lon, resolution))
    area = study_area(counts, study, k)
    weights = kring_weights(area.cells, k=k, include_self=True)
    result = gi_star(area.counts, weights, permutations=permutations, seed=seed, progress=progress)
    table = pd.DataFrame(
        {
            "h3": area.cells,
            "count": area.counts.astype(np.int64),
            "gi_z": result.z,
            "p": result.p,
            "p_fdr": result.p_fdr,
            "class": result.classes,
        }
    )
    return HotspotRun(table, weights, area)
