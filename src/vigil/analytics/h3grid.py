"""H3 cells as a study area: incident counts per cell and binary k-ring contiguity weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import h3
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

StudyArea = Literal["occupied", "padded"]
STUDY_AREAS: tuple[str, ...] = ("occupied", "padded")


@dataclass(frozen=True)
class CellCounts:
    """Incident counts per H3 cell; `cells` is sorted."""

    cells: list[str]
    counts: npt.NDArray[np.float64]


def cells_for_points(
    lat: npt.ArrayLike, lon: npt.ArrayLike, resolution: int
) -> npt.NDArray[np.uint64]:
    """H3 cell (as a uint64) of each point."""
    from h3.api import basic_int

    lats = np.asarray(lat, dtype=np.float64).tolist()
    lons = np.asarray(lon, dtype=np.float64).tolist()
    to_cell = basic_int.latlng_to_cell
    return np.fromiter(
        (to_cell(a, b, resolution) for a, b in zip(lats, lons, strict=True)),
        dtype=np.uint64,
        count=len(lats),
    )


def count_cells(cell_ids: npt.ArrayLike) -> CellCounts:
    """Counts per cell from one H3 cell per incident (strings or uint64 integers)."""
    values = np.asarray(cell_ids)
    unique, counts = np.unique(values, return_counts=True)
    if values.dtype.kind in "ui":
        names = [h3.int_to_str(int(c)) for c in unique]
    else:
        names = [str(c) for c in unique]
    order = np.argsort(names)
    return CellCounts([names[i] for i in order], counts[order].astype(np.float64))


def study_area(counts: CellCounts, mode: StudyArea = "occupied", k: int = 1) -> CellCounts:
    """`occupied`: the cells holding at least one incident. `padded`: those plus every
    zero-count cell in their k-ring."""
    if mode == "occupied":
        return counts
    if mode != "padded":
        raise ValueError(f"unknown study area {mode!r}; expected one of {STUDY_AREAS}")
    cells = set(counts.cells)
    for cell in counts.cells:
        cells.update(h3.grid_disk(cell, k))
    ordered = sorted(cells)
    lookup = dict(zip(counts.cells, counts.counts.tolist(), strict=True))
    return CellCounts(ordered, np.array([lookup.get(c, 0.0) for c in ordered]))


def kring_weights(cells: Sequence[str], k: int = 1, include_self: bool = True) -> sp.csr_array:
    """Binary weights: w_ij = 1 when cell j is within k grid steps of cell i (and in `cells`);
    w_ii = 1 when `include_self` (the Gi* convention), else 0."""
    index = {cell: i for i, cell in enumerate(cells)}
    rows: list[int] = []
    cols: list[int] = []
    for i, cell in enumerate(cells):
        for neighbour in h3.grid_disk(cell, k):
            j = index.get(neighbour)
            if j is not None and (include_self or j != i):
                rows.append(i)
                cols.append(j)
    n = len(cells)
    data = np.ones(len(rows), dtype=np.float64)
    matrix = sp.csr_array(
        (data, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))), shape=(n, n)
    )
    matrix.sort_indices()
    return matrix
