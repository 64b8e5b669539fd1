"""ACCEPTANCE 4: charts render with real content; the stats/profile/chart commands run."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
from matplotlib.figure import Figure
from typer.testing import CliRunner

from vigil.analytics.cli import app
from vigil.demo.incidents import generate_incident_arrays


def _content(path: Path) -> tuple[float, int]:
    pixels = mpimg.imread(path)[..., :3]
    colours = np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    return float(pixels.var()), len(colours)


def test_chart_command_writes_png_svg_json(demo_csv: Path, tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Figure(figsize=(4, 3)).savefig(blank)
    blank_variance, blank_colours = _content(blank)
    out = tmp_path / "charts"
    args = ["chart", "--incidents", str(demo_csv), "--out-dir", str(out), "--permutations", "19"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("hour_of_week", "trend", "hotspots"):
        variance, colours = _content(out / f"{name}.png")
        assert variance > blank_variance + 1e-3 and colours > blank_colours + 20, name
        assert (out / f"{name}.svg").read_text().lstrip().startswith("<?xml")
        spec = json.loads((out / f"{name}.json").read_text())
        assert spec["title"]
    heatmap = json.loads((out / "hour_of_week.json").read_text())
    assert np.array(heatmap["values"]).shape == (7, 24)
    cells = json.loads((out / "hotspots.json").read_text())["cells"]
    assert cells and {"h3", "class"} <= set(cells[0])


def test_stats_and_profile_commands(demo_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "stats.json"
    result = CliRunner().invoke(app, ["stats", "--incidents", str(demo_csv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert len(report["hour_of_week"]) == 168
    assert sum(r["count"] for r in report["counts"]) == 4000
    assert {"year_on_year", "week_on_week", "casualties", "surge_alerts"} <= set(report)
    profile = CliRunner().invoke(app, ["profile", "--incidents", str(demo_csv), "--type", "theft"])
    assert profile.exit_code == 0 and "peak:" in profile.output


def test_cli_reports_bad_rows_and_still_runs(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    good = "\n".join(
        f"G{i},theft,31.23{i % 10},121.47{i % 7},2024-03-04T08:{i % 60:02d}" for i in range(30)
    )
    path.write_text(f"incident_id,type,lat,lon,time\n{good}\nB1,theft,,,2024-03-04T08:00\n")
    result = CliRunner().invoke(
        app,
        [
            "hotspots",
            "--incidents",
            str(path),
            "--permutations",
            "9",
            "--out",
            str(tmp_path / "c.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "row 31" in result.output and "30 incidents loaded" in result.output


def test_demo_generator_is_seeded_and_clustered() -> None:
    first = generate_incident_arrays(2000, seed=9)
    again = generate_incident_arrays(2000, seed=9)
    other = generate_incident_arrays(2000, seed=10)
    assert np.array_equal(first.lat, again.lat) and np.array_equal(first.type, again.type)
    assert not np.array_equal(first.lat, other.lat)
    assert (~first.exact).any() and (first.window_end >= first.window_start).all()
    assert (first.window_end[first.exact] == first.window_start[first.exact]).all()
    near_station = (np.abs(first.lat - 31.2496) < 0.005) & (np.abs(first.lon - 121.4554) < 0.005)
    box_share = (0.01 * 0.01) / (np.ptp(first.lat) * np.ptp(first.lon))
    assert near_station.mean() > 20 * box_share  # far denser than a uniform spread
