"""Quartic KDE, PAI and surge control charts."""

from __future__ import annotations

import h3
import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad

from vigil.analytics.kde import pai, pai_for_cells, pai_for_grid, quartic_kde, quartic_kernel
from vigil.analytics.surge import control_limits, surge_alerts


def test_quartic_kernel_integrates_to_one() -> None:
    radial, _ = quad(lambda r: 2 * np.pi * r * float(quartic_kernel(r, 250.0)), 0, 250.0)
    assert radial == pytest.approx(1.0, abs=1e-9)
    assert float(quartic_kernel(250.0, 250.0)) == 0.0


def test_kde_mass_and_peak() -> None:
    rng = np.random.default_rng(1)
    points = np.vstack([rng.normal(0, 50, (300, 2)), rng.uniform(-2000, 2000, (100, 2))])
    grid = quartic_kde(points, bandwidth=200.0, cell_size=20.0)
    mass = grid.density.sum() * grid.cell_size**2
    assert mass == pytest.approx(len(points), rel=0.02)
    row, col = np.unravel_index(np.argmax(grid.density), grid.density.shape)
    assert abs(grid.x[col]) < 100 and abs(grid.y[row]) < 100
    later = rng.normal(0, 50, (100, 2))
    assert pai_for_grid(grid, later, top_share=0.01) > 10


def test_pai_by_hand_and_on_cells() -> None:
    assert pai(30, 100, 2.0, 100.0) == pytest.approx(15.0)
    with pytest.raises(ValueError):
        pai(1, 0, 1, 1)
    centre = h3.latlng_to_cell(31.23, 121.47, 9)
    study = list(h3.grid_disk(centre, 4))
    hot = [centre]
    tests = [centre] * 6 + study[:4]
    expected = (sum(c == centre for c in tests) / len(tests)) / (
        h3.cell_area(centre, unit="km^2") / sum(h3.cell_area(c, unit="km^2") for c in study)
    )
    assert pai_for_cells(hot, tests, study) == pytest.approx(expected)


def test_control_limits_choose_model() -> None:
    steady = np.array([[4, 5, 3, 4, 6, 5, 4, 5]])
    bursty = np.array([[0, 12, 1, 0, 15, 2, 0, 10]])
    poisson_limits = control_limits(steady, [20])
    nb_limits = control_limits(bursty, [20])
    assert not poisson_limits.negative_binomial[0] and nb_limits.negative_binomial[0]
    assert nb_limits.upper_limit[0] > poisson_limits.upper_limit[0]
    assert poisson_limits.p_value[0] < 1e-5 < nb_limits.p_value[0]


def _weekly_frame(counts: dict[tuple[str, str], list[int]]) -> pd.DataFrame:
    rows = []
    for (cell, kind), per_week in counts.items():
        for week, n in enumerate(per_week):
            moment = pd.Timestamp("2024-01-01 12:00") + pd.Timedelta(weeks=week)
            rows += [
                {
                    "incident_id": f"{cell}-{kind}-{week}-{k}",
                    "type": kind,
                    "h3": cell,
                    "start": moment,
                    "end": moment,
                }
                for k in range(n)
            ]
    return pd.DataFrame(rows)


def test_surge_alert_is_about_a_place_and_type() -> None:
    quiet = h3.latlng_to_cell(31.20, 121.40, 9)
    busy = h3.latlng_to_cell(31.30, 121.50, 9)
    frame = _weekly_frame(
        {
            (quiet, "theft"): [3, 2, 4, 3, 3, 2, 4, 3, 3],
            (busy, "robbery"): [1, 0, 1, 1, 0, 1, 0, 1, 9],
        }
    )
    alerts = surge_alerts(frame, period="W", area_resolution=9, baseline_periods=8)
    assert [(a.area, a.incident_type, a.observed) for a in alerts] == [(busy, "robbery", 9)]
    assert "robbery surge in area" in alerts[0].message
    fields = set(alerts[0].__dataclass_fields__)
    assert fields == {
        "area",
        "incident_type",
        "period",
        "observed",
        "expected",
        "upper_limit",
        "p_value",
        "model",
    }
