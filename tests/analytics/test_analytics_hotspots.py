"""ACCEPTANCE 1: Gi* and Moran's I against esda (the oracle) and the published figures."""

from __future__ import annotations

import warnings
from pathlib import Path

import esda
import libpysal
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from esda.significance import calculate_significance
from libpysal.weights import WSP
from scipy.stats import false_discovery_control
from typer.testing import CliRunner

from vigil.analytics.cli import app
from vigil.analytics.h3grid import (
    cells_for_points,
    count_cells,
    kring_weights,
    study_area,
)
from vigil.analytics.hotspots import gi_star, gi_star_z, local_moran, moran_i
from vigil.analytics.permutation import folded_p_values
from vigil.demo.incidents import IncidentArrays

COLUMBUS_MORAN_I = 0.5001885571828611  # REFERENCE.md, row-standardised queen weights


@pytest.fixture(scope="module")
def columbus() -> tuple[np.ndarray, libpysal.weights.W]:
    dbf = libpysal.io.open(libpysal.examples.get_path("columbus.dbf"))
    crime = np.array(dbf.by_col("CRIME"), dtype=float)
    dbf.close()
    w = libpysal.io.open(libpysal.examples.get_path("columbus.gal")).read()
    return crime, w


def _esda_gi(y: np.ndarray, weights: libpysal.weights.W, permutations: int = 0) -> esda.G_Local:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(
            y, weights, transform="B", star=True, permutations=permutations, seed=3, n_jobs=1
        )


def _with_self(weights: libpysal.weights.W) -> sp.csr_array:
    binary = sp.csr_array(weights.sparse, dtype=float)
    binary.data[:] = 1.0
    return sp.csr_array(binary + sp.eye_array(binary.shape[0]))


def test_gi_star_matches_esda_on_columbus(columbus: tuple[np.ndarray, libpysal.weights.W]) -> None:
    crime, w = columbus
    mine = gi_star_z(crime, _with_self(w))
    oracle = _esda_gi(crime, w).Zs
    assert np.max(np.abs(mine - oracle)) < 1e-9
    assert int(np.argmax(mine)) == 15 and mine[15] == pytest.approx(3.4751, abs=1e-4)


def test_gi_star_matches_esda_on_h3_weights(demo_arrays: IncidentArrays) -> None:
    counts = count_cells(cells_for_points(demo_arrays.lat, demo_arrays.lon, 8))
    weights = kring_weights(counts.cells, k=1, include_self=True)
    assert (weights.diagonal() == 1).all()
    w = WSP(sp.csr_matrix(weights)).to_W(silence_warnings=True)
    oracle = _esda_gi(counts.counts, w).Zs
    assert np.max(np.abs(gi_star_z(counts.counts, weights) - oracle)) < 1e-9


def test_moran_i_matches_reference_and_esda(
    columbus: tuple[np.ndarray, libpysal.weights.W],
) -> None:
    crime, w = columbus
    mine = moran_i(crime, w.sparse)
    assert mine == pytest.approx(COLUMBUS_MORAN_I, abs=1e-12)
    assert mine == pytest.approx(esda.Moran(crime, w, permutations=0).I, abs=1e-12)


def test_local_moran_matches_esda(columbus: tuple[np.ndarray, libpysal.weights.W]) -> None:
    crime, w = columbus
    mine = local_moran(crime, w.sparse, permutations=999, seed=5)
    oracle = esda.Moran_Local(crime, w, permutations=999, seed=5, n_jobs=1)
    assert np.max(np.abs(mine.i - oracle.Is)) < 1e-9
    assert (mine.quadrant == oracle.q).all()
    oracle_p = calculate_significance(oracle.Is, oracle.rlisas, alternative="folded")
    assert np.max(np.abs(mine.p - oracle_p)) < 0.1  # same null, different random draws


def test_permutation_p_values(columbus: tuple[np.ndarray, libpysal.weights.W]) -> None:
    crime, w = columbus
    weights = _with_self(w)
    result = gi_star(crime, weights, permutations=999, seed=11, keep_simulations=True)
    assert result.simulated is not None
    observed_g = (weights @ crime) / crime.sum()
    esda_style = calculate_significance(observed_g, result.simulated, alternative="folded")
    assert np.allclose(result.p, esda_style)
    assert np.allclose(result.p_fdr, false_discovery_control(result.p, method="bh"))
    oracle = _esda_gi(crime, w, permutations=999)
    oracle_p = calculate_significance(oracle.Gs, oracle.rGs, alternative="folded")
    assert np.max(np.abs(result.p - oracle_p)) < 0.1
    # The simulated Gi* of a unit keeps its own value: never below y_i / sum(y).
    assert (result.simulated.min(axis=1) >= crime / crime.sum() - 1e-12).all()
    assert result.classes[15].startswith("hot")
    assert set(result.classes) <= {
        "hot_99",
        "hot_95",
        "hot_90",
        "not_significant",
        "cold_90",
        "cold_95",
        "cold_99",
    }


def test_permutations_are_reproducible_and_seeded() -> None:
    rng = np.random.default_rng(0)
    y = rng.poisson(3.0, 300).astype(float)
    ring = sp.diags_array([np.ones(299), np.ones(299)], offsets=[-1, 1]).tocsr()
    w = sp.csr_array(ring + sp.eye_array(300))
    first = gi_star(y, w, permutations=49, seed=1)
    assert np.array_equal(first.p, gi_star(y, w, permutations=49, seed=1).p)
    assert not np.array_equal(first.p, gi_star(y, w, permutations=49, seed=2).p)
    assert ((first.p >= 1 / 50) & (first.p <= 1)).all()


def test_folded_p_value_counts() -> None:
    simulated = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])  # mean 3
    assert folded_p_values(np.array([5.0]), simulated)[0] == pytest.approx(3 / 6)
    assert folded_p_values(np.array([9.0]), simulated)[0] == pytest.approx(1 / 6)


def test_padded_study_area_adds_zero_neighbours(demo_arrays: IncidentArrays) -> None:
    counts = count_cells(cells_for_points(demo_arrays.lat, demo_arrays.lon, 9))
    padded = study_area(counts, "padded", k=1)
    assert set(counts.cells) < set(padded.cells)
    assert padded.counts.sum() == counts.counts.sum()
    assert (padded.counts == 0).sum() == len(padded.cells) - len(counts.cells)


def test_cli_hotspots_equals_esda_on_occupied_cells(demo_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "cells.csv"
    args = [
        "hotspots",
        "--incidents",
        str(demo_csv),
        "--resolution",
        "9",
        "--permutations",
        "19",
        "--seed",
        "1",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    cells = pd.read_csv(out)
    assert list(cells.columns) == ["h3", "count", "gi_z", "p", "p_fdr", "class"]
    frame = pd.read_csv(demo_csv)
    assert cells["count"].sum() == len(frame) and (cells["count"] >= 1).all()
    weights = kring_weights(cells["h3"].tolist(), k=1, include_self=True)
    w = WSP(sp.csr_matrix(weights)).to_W(silence_warnings=True)
    oracle = _esda_gi(cells["count"].to_numpy(dtype=float), w).Zs
    assert np.max(np.abs(cells["gi_z"].to_numpy() - oracle)) < 1e-9
    assert (cells["p_fdr"] >= cells["p"] - 1e-12).all()
