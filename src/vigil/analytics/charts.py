"""Charts with matplotlib (Agg): hour-of-week heatmap, trend lines and a hot-spot map of
H3 hexagons. Builders return a Figure plus a JSON-ready spec for the console."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import h3
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from vigil.analytics.aoristic import HOURS_PER_WEEK
from vigil.analytics.hotspots import HOTSPOT_CLASSES
from vigil.analytics.stats import DAY_NAMES

CLASS_COLOURS: dict[str, str] = {
    "hot_99": "#b2182b",
    "hot_95": "#ef8a62",
    "hot_90": "#fddbc7",
    "not_significant": "#e0e0e0",
    "cold_90": "#d1e5f0",
    "cold_95": "#67a9cf",
    "cold_99": "#2166ac",
}
ChartSpec = dict[str, Any]


def hour_of_week_heatmap(
    profile: np.ndarray, title: str = "Incidents by hour of week"
) -> tuple[Figure, ChartSpec]:
    """7 x 24 heatmap, Monday at the top; aoristic weights."""
    if profile.shape != (HOURS_PER_WEEK,):
        raise ValueError("a profile has 168 hourly bins")
    grid = profile.reshape(7, 24)
    figure = Figure(figsize=(10, 3.6))
    axes = figure.add_subplot()
    image = axes.imshow(grid, aspect="auto", cmap="viridis", interpolation="nearest")
    axes.set_yticks(range(7), list(DAY_NAMES))
    axes.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    axes.set_xlabel("hour of day")
    axes.set_title(title)
    figure.colorbar(image, ax=axes, label="incidents (aoristic)")
    figure.tight_layout()
    spec = {
        "kind": "heatmap",
        "title": title,
        "rows": list(DAY_NAMES),
        "columns": list(range(24)),
        "values": grid.round(4).tolist(),
    }
    return figure, spec


def trend_chart(
    counts: pd.DataFrame, title: str = "Incidents per period"
) -> tuple[Figure, ChartSpec]:
    """Lines from a table with columns `period`, `type`, `count` (e.g. from period_change)."""
    wide = counts.pivot_table(index="period", columns="type", values="count", aggfunc="sum")
    wide = wide.fillna(0).sort_index()
    figure = Figure(figsize=(10, 4))
    axes = figure.add_subplot()
    positions = np.arange(len(wide.index))
    for column in wide.columns:
        axes.plot(positions, wide[column].to_numpy(), marker=".", label=str(column))
    step = max(1, len(positions) // 12)
    axes.set_xticks(
        positions[::step], [str(p) for p in wide.index[::step]], rotation=45, ha="right"
    )
    axes.set_ylabel("incidents")
    axes.set_title(title)
    axes.legend(fontsize="small", ncol=2)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    spec = {
        "kind": "lines",
        "title": title,
        "x": [str(p) for p in wide.index],
        "series": {str(c): wide[c].astype(float).tolist() for c in wide.columns},
    }
    return figure, spec


def hotspot_map(
    cells: Sequence[str], classes: Sequence[str], title: str = "Gi* hot spots"
) -> tuple[Figure, ChartSpec]:
    """H3 hexagons coloured by hot-spot class (lon on x, lat on y)."""
    polygons = [[(lon, lat) for lat, lon in h3.cell_to_boundary(c)] for c in cells]
    colours = [CLASS_COLOURS.get(k, "#ffffff") for k in classes]
    figure = Figure(figsize=(7, 7))
    axes = figure.add_subplot()
    axes.add_collection(
        PolyCollection(polygons, facecolors=colours, edgecolors="#666666", linewidths=0.2)
    )
    axes.autoscale_view()
    axes.set_aspect(
        1.0 / np.cos(np.radians(np.mean([p[0][1] for p in polygons]) if polygons else 0.0))
    )
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    axes.set_title(title)
    present = [k for k in HOTSPOT_CLASSES if k in set(classes)]
    axes.legend(handles=[Patch(color=CLASS_COLOURS[k], label=k) for k in present], fontsize="small")
    figure.tight_layout()
    spec = {
        "kind": "h3_map",
        "title": title,
        "cells": [{"h3": c, "class": k} for c, k in zip(cells, classes, strict=True)],
        "colours": CLASS_COLOURS,
    }
    return figure, spec


def write_chart(figure: Figure, spec: ChartSpec, out_dir: Path, name: str) -> list[Path]:
    """Writes name.png, name.svg and name.json into out_dir; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{name}.png", out_dir / f"{name}.svg", out_dir / f"{name}.json"]
    figure.savefig(paths[0], dpi=110)
    figure.savefig(paths[1])
    paths[2].write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return paths
