"""Benchmark: Gi* hot spots for generated incidents at H3 resolution 9 with 99 permutations.

Times the whole path (H3 indexing, counting, k-ring weights, Gi* z, permutations, FDR) and
compares the Gi* step with esda.G_Local on the same weights and data, measured in the same
run. Usage: python bench/hotspots.py [--incidents 1000000] [--esda-cells N]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import scipy.sparse as sp

from vigil.analytics.h3grid import cells_for_points, count_cells, kring_weights
from vigil.analytics.hotspots import gi_star
from vigil.demo.incidents import generate_incident_arrays


def _esda_g_local(
    y: np.ndarray, weights: sp.csr_array, permutations: int
) -> tuple[float, np.ndarray]:
    import esda
    from libpysal.weights import WSP

    w = WSP(sp.csr_matrix(weights)).to_W(silence_warnings=True)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = esda.G_Local(
            y, w, transform="B", star=True, permutations=permutations, seed=1, n_jobs=1
        )
    return time.perf_counter() - started, np.asarray(result.Zs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--resolution", type=int, default=9)
    parser.add_argument("--permutations", type=int, default=99)
    parser.add_argument(
        "--esda-cells", type=int, default=0, help="time esda on the first N cells only (0: all)"
    )
    args = parser.parse_args()

    arrays = generate_incident_arrays(args.incidents, seed=1)
    print(
        f"{args.incidents:,} generated incidents, H3 resolution {args.resolution}, "
        f"{args.permutations} permutations"
    )

    started = time.perf_counter()
    cell_ids = cells_for_points(arrays.lat, arrays.lon, args.resolution)
    t_index = time.perf_counter()
    counts = count_cells(cell_ids)
    t_count = time.perf_counter()
    weights = kring_weights(counts.cells, k=1, include_self=True)
    t_weights = time.perf_counter()
    result = gi_star(counts.counts, weights, permutations=args.permutations, seed=1)
    t_gi = time.perf_counter()
    total = t_gi - started
    gi_seconds = t_gi - t_weights
    n_cells = len(counts.cells)
    print(
        f"cells: {n_cells:,}; hot cells (p_fdr<=0.05): "
        f"{sum(c in ('hot_99', 'hot_95') for c in result.classes):,}"
    )
    print(
        f"vigil total {total:.2f} s = H3 index {t_index - started:.2f} + count "
        f"{t_count - t_index:.2f} + weights {t_weights - t_count:.2f} + Gi*/perm/FDR "
        f"{gi_seconds:.2f}"
    )

    subset = n_cells if args.esda_cells <= 0 else min(args.esda_cells, n_cells)
    y = counts.counts[:subset]
    w_sub = sp.csr_array(weights[:subset][:, :subset])
    mine_started = time.perf_counter()
    mine = gi_star(y, w_sub, permutations=args.permutations, seed=1)
    mine_seconds = time.perf_counter() - mine_started
    esda_seconds, esda_z = _esda_g_local(y, w_sub, args.permutations)
    label = "all cells" if subset == n_cells else f"first {subset:,} cells (subset)"
    print(
        f"same weights and data, {label}: vigil Gi* {mine_seconds:.2f} s, "
        f"esda.G_Local {esda_seconds:.2f} s (n_jobs=1) -> esda/vigil = "
        f"{esda_seconds / mine_seconds:.1f}x"
    )
    print(f"max |z_vigil - z_esda| = {np.abs(mine.z - esda_z).max():.3e}")


if __name__ == "__main__":
    main()
