"""ACCEPTANCE 2: Knox on burkitt (delta 20, tau 5) and the Ratcliffe-style near-repeat table."""

from __future__ import annotations

import json
from pathlib import Path

import libpysal
import numpy as np
import pytest
from pointpats import Knox
from typer.testing import CliRunner

from vigil.analytics.cli import app
from vigil.analytics.near_repeat import knox_test, near_repeat_table, project_to_metres


@pytest.fixture(scope="module")
def burkitt() -> tuple[np.ndarray, np.ndarray]:
    shapes = libpysal.io.open(libpysal.examples.get_path("burkitt.shp"))
    xy = np.array([tuple(point) for point in shapes], dtype=float)
    shapes.close()
    table = libpysal.io.open(libpysal.examples.get_path("burkitt.dbf"))
    days = np.array(table.by_col("T"), dtype=float)
    table.close()
    return xy, days


def test_knox_on_burkitt_matches_reference(burkitt: tuple[np.ndarray, np.ndarray]) -> None:
    xy, days = burkitt
    result = knox_test(xy, days, delta=20, tau=5, permutations=99, seed=1)
    assert result.observed.tolist() == [[13, 3416], [39, 14110]]
    assert result.expected[0, 0] == pytest.approx(10.1438, abs=1e-4)
    assert result.statistic == 13
    assert result.observed.sum() == len(days) * (len(days) - 1) / 2
    assert result.p_sim is not None and 1 / 100 <= result.p_sim <= 1


def test_knox_matches_pointpats(burkitt: tuple[np.ndarray, np.ndarray]) -> None:
    xy, days = burkitt
    for delta, tau in [(20, 5), (50, 30), (10, 100)]:
        mine = knox_test(xy, days, delta=delta, tau=tau, permutations=0)
        oracle = Knox(xy, days.reshape(-1, 1), delta=delta, tau=tau, permutations=0)
        assert np.array_equal(mine.observed, oracle.observed)
        assert np.allclose(mine.expected, oracle.expected, rtol=0, atol=1e-9)
    np.random.seed(0)
    oracle = Knox(xy, days.reshape(-1, 1), delta=20, tau=5, permutations=199)
    mine = knox_test(xy, days, delta=20, tau=5, permutations=199, seed=3)
    assert mine.p_sim == pytest.approx(oracle.p_sim, abs=0.12)  # same null, other draws


def _brute_force_table(xy: np.ndarray, t: np.ndarray, s: float, sb: int, d: float, tb: int):
    n = len(t)
    table = np.zeros((sb + 2, tb + 1), dtype=int)
    for i in range(n):
        for j in range(i + 1, n):
            dist = float(np.hypot(*(xy[i] - xy[j])))
            gap = abs(t[i] - t[j])
            row = 0 if dist == 0 else min(int(np.ceil(dist / s)), sb + 1)
            col = min(max(int(np.ceil(gap / d)) - 1, 0), tb)
            table[row, col] += 1
    return table


def test_near_repeat_table_counts_every_pair_once() -> None:
    rng = np.random.default_rng(4)
    xy = np.round(rng.uniform(0, 400, (120, 2)), 0)
    xy[5] = xy[6]  # a repeat at the same location
    days = np.floor(rng.uniform(0, 60, 120))
    table = near_repeat_table(
        xy, days, space_step=50, space_bands=3, time_step=7, time_bands=2, iterations=19, seed=2
    )
    assert np.array_equal(table.observed, _brute_force_table(xy, days, 50, 3, 7, 2))
    assert table.observed.shape == (5, 3) and table.observed[0].sum() >= 1
    # Permuting times keeps every row total (space) and column total (time).
    assert np.allclose(table.expected.sum(axis=1), table.observed.sum(axis=1))
    assert np.allclose(table.expected.sum(axis=0), table.observed.sum(axis=0))
    assert ((table.p_greater > 0) & (table.p_greater <= 1)).all()
    assert table.spatial_labels[0] == "same location" and len(table.temporal_labels) == 3


def test_near_repeat_detects_planted_repeats() -> None:
    rng = np.random.default_rng(8)
    base_xy = rng.uniform(0, 5000, (300, 2))
    base_t = rng.uniform(0, 365, 300)
    repeat_xy = base_xy[:100] + rng.normal(0, 20, (100, 2))
    repeat_t = base_t[:100] + rng.uniform(0, 3, 100)
    table = near_repeat_table(
        np.vstack([base_xy, repeat_xy]),
        np.concatenate([base_t, repeat_t]),
        space_step=100,
        space_bands=3,
        time_step=7,
        time_bands=2,
        iterations=99,
        seed=1,
    )
    assert table.ratio[1, 0] > 3  # close in space and time: far more than expected
    assert table.p_greater[1, 0] == pytest.approx(1 / 100)


def test_projection_keeps_distances() -> None:
    xy = project_to_metres([31.0, 31.0 + 0.001], [121.0, 121.0])
    assert float(np.hypot(*(xy[0] - xy[1]))) == pytest.approx(111.2, abs=0.5)


def test_cli_near_repeat_writes_tables(demo_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "nr.json"
    args = [
        "near-repeat",
        "--incidents",
        str(demo_csv),
        "--space",
        "100",
        "--space-bands",
        "3",
        "--time",
        "2",
        "--time-bands",
        "2",
        "--permutations",
        "19",
        "--seed",
        "1",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert len(report["spatial_bands"]) == 5 and len(report["temporal_bands"]) == 3
    assert np.array(report["observed"]).shape == (5, 3)
    n = report["n_events"]
    assert np.array(report["observed"]).sum() == n * (n - 1) // 2
    assert np.array(report["knox"]["observed"]).sum() == n * (n - 1) // 2
    assert min(min(row) for row in report["p_value_greater"]) >= 1 / 20
