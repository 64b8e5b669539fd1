"""Analyses of an incident frame as JSON-ready dicts, and charts as PNG bytes: pure (no
I/O), shared by the API, the service and the demo. NaN and infinities become None."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from vigil.analytics.aoristic import HOURS_PER_WEEK
from vigil.analytics.charts import ChartSpec, hotspot_map, hour_of_week_heatmap, trend_chart
from vigil.analytics.frame import midpoint
from vigil.analytics.h3grid import StudyArea
from vigil.analytics.hotspot_cells import hotspot_table
from vigil.analytics.near_repeat import knox_test, project_to_metres
from vigil.analytics.stats import (
    DAY_NAMES,
    Period,
    casualty_summary,
    counts_and_rates,
    hour_of_week,
    peak_hours,
    period_change,
)
from vigil.analytics.surge import surge_alerts

CHART_KINDS: tuple[str, ...] = ("heatmap", "trend", "hotspots")


def _number(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(table.to_json(orient="records"))
    return records


def hotspot_report(
    frame: pd.DataFrame,
    *,
    resolution: int = 9,
    permutations: int = 99,
    seed: int = 1,
    study: StudyArea = "occupied",
    k: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Getis-Ord Gi* per H3 cell (binary k-ring + self, conditional permutations, BH FDR).
    `progress` is told of each cell whose permutations are done."""
    report: dict[str, Any] = {
        "method": "Getis-Ord Gi*, conditional permutation, Benjamini-Hochberg FDR",
        "resolution": resolution,
        "permutations": permutations,
        "seed": seed,
        "study_area": study,
        "k": k,
        "incidents": len(frame),
        "summary": {},
        "cells": [],
    }
    if frame.empty:
        return report
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            run = hotspot_table(
                frame["lat"].to_numpy(),
                frame["lon"].to_numpy(),
                resolution=resolution,
                k=k,
                permutations=permutations,
                seed=seed,
                study=study,
                progress=progress,
            )
    except ValueError as error:  # fewer than two cells: nothing to compare
        report["note"] = str(error)
        return report
    table = run.table
    report["summary"] = {str(k): int(v) for k, v in table["class"].value_counts().items()}
    report["cells"] = [
        {
            "h3": cell,
            "count": int(count),
            "gi_z": _number(z),
            "p": _number(p),
            "p_fdr": _number(p_fdr),
            "class": label,
        }
        for cell, count, z, p, p_fdr, label in zip(
            table["h3"],
            table["count"],
            table["gi_z"],
            table["p"],
            table["p_fdr"],
            table["class"],
            strict=True,
        )
    ]
    return report


def profile_report(frame: pd.DataFrame, top: int = 5) -> dict[str, Any]:
    """168 aoristic hour-of-week counts (Monday 00:00 first), as bins and a 7 x 24 table."""
    values = hour_of_week(frame) if not frame.empty else np.zeros(HOURS_PER_WEEK)
    peaks = peak_hours(values, top) if not frame.empty else []
    return {
        "incidents": len(frame),
        "bins": [round(float(v), 4) for v in values],
        "days": list(DAY_NAMES),
        "table": values.reshape(7, 24).round(4).tolist(),
        "peak_hours": [{"day": d, "hour": h, "weight": round(w, 4)} for d, h, w in peaks],
    }


def stats_report(
    frame: pd.DataFrame, *, period: Period = "M", area_resolution: int = 7
) -> dict[str, Any]:
    """Counts and rates (per km² of the area cell) by type x area x period, year-on-year and
    week-on-week change per type, and casualties per type."""
    report: dict[str, Any] = {
        "incidents": len(frame),
        "period": period,
        "area_resolution": area_resolution,
        "counts": [],
        "year_on_year": [],
        "week_on_week": [],
        "casualties": [],
    }
    if frame.empty:
        return report
    report["counts"] = _records(
        counts_and_rates(frame, period=period, area_resolution=area_resolution)
    )
    report["year_on_year"] = _records(period_change(frame, period="Y"))
    report["week_on_week"] = _records(period_change(frame, period="W"))
    report["casualties"] = _records(casualty_summary(frame))
    return report


def surge_report(
    frame: pd.DataFrame,
    *,
    period: Period = "W",
    area_resolution: int = 7,
    baseline_periods: int = 8,
    alpha: float = 0.01,
    min_count: int = 3,
    only_last: bool = True,
) -> dict[str, Any]:
    """Control-chart surge alerts per area x incident type (about places, never persons)."""
    alerts = (
        surge_alerts(
            frame,
            period=period,
            area_resolution=area_resolution,
            baseline_periods=baseline_periods,
            alpha=alpha,
            min_count=min_count,
            only_last=only_last,
        )
        if not frame.empty
        else []
    )
    return {
        "incidents": len(frame),
        "period": period,
        "area_resolution": area_resolution,
        "baseline_periods": baseline_periods,
        "alpha": alpha,
        "alerts": [
            {
                "area": a.area,
                "incident_type": a.incident_type,
                "period": a.period,
                "observed": a.observed,
                "expected": _number(a.expected),
                "upper_limit": _number(a.upper_limit),
                "p_value": _number(a.p_value),
                "model": a.model,
                "message": a.message,
            }
            for a in alerts
        ],
    }


def near_repeat_summary(
    frame: pd.DataFrame,
    *,
    distance_m: float = 100.0,
    days: float = 7.0,
    permutations: int = 99,
    seed: int = 1,
) -> dict[str, Any]:
    """Knox test: pairs of incidents close in space and in time, against chance."""
    if len(frame) < 2:
        return {"incidents": len(frame), "distance_m": distance_m, "days": days}
    xy = project_to_metres(frame["lat"].to_numpy(), frame["lon"].to_numpy())
    middle = midpoint(frame)
    elapsed = (middle - middle.min()).dt.total_seconds().to_numpy() / 86_400.0
    knox = knox_test(xy, elapsed, distance_m, days, permutations=permutations, seed=seed)
    observed, expected = float(knox.observed[0, 0]), float(knox.expected[0, 0])
    return {
        "incidents": len(frame),
        "distance_m": distance_m,
        "days": days,
        "close_pairs": int(observed),
        "expected_pairs": _number(expected),
        "ratio": _number(observed / expected) if expected > 0 else None,
        "p_sim": knox.p_sim,
        "p_poisson": _number(knox.p_poisson),
    }


def chart(
    frame: pd.DataFrame,
    kind: str,
    *,
    resolution: int = 9,
    permutations: int = 99,
    seed: int = 1,
    period: Literal["W", "Y"] = "W",
) -> tuple[Figure, ChartSpec]:
    """The hour-of-week heatmap, the trend lines per type, or the Gi* hot-spot map.
    ValueError when the frame is empty."""
    if frame.empty:
        raise ValueError("no incidents to chart")
    if kind == "heatmap":
        return hour_of_week_heatmap(hour_of_week(frame))
    if kind == "trend":
        return trend_chart(period_change(frame, period=period))
    if kind == "hotspots":
        report = hotspot_report(frame, resolution=resolution, permutations=permutations, seed=seed)
        cells = report["cells"]
        return hotspot_map([c["h3"] for c in cells], [c["class"] for c in cells])
    raise ValueError(f"unknown chart {kind!r}; expected one of {CHART_KINDS}")


def png_bytes(figure: Figure, dpi: int = 110) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
