"""Demo step: two years of synthetic incidents for the first agency, imported through the
service, then hot spots, near-repeat, peak hours, surge alerts and the three charts
(PNG, SVG and the JSON spec) in demo-output/analytics/. Places and times only."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from vigil.analytics import reports, service
from vigil.analytics.charts import hotspot_map, hour_of_week_heatmap, write_chart
from vigil.analytics.frame import midpoint
from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.demo.incidents import (
    DEMO_PLACES,
    DemoPlace,
    generate_incident_arrays,
    incident_rows,
)

DEMO_OUTPUT = Path("demo-output/analytics")
DEMO_SEED = 2026
DEMO_DAYS = 728  # 104 whole weeks from Monday 2023-01-02, so the last week is complete
DEMO_END = datetime(2023, 1, 2) + timedelta(days=DEMO_DAYS)
DISTRICT_SPREAD = 3.0  # demo places spread over districts of a few hundred metres
SURGE_INCIDENTS = 45  # a burst of thefts at the market in the last week
_TIME_COLUMNS = ("time", "window_start", "window_end")


def demo_places() -> tuple[DemoPlace, ...]:
    return tuple(replace(p, spread_m=p.spread_m * DISTRICT_SPREAD) for p in DEMO_PLACES)


def _shift(value: str, days: int) -> str:
    return "" if not value else (datetime.fromisoformat(value) + timedelta(days=days)).isoformat()


def surge_rows(seed: int = DEMO_SEED) -> list[dict[str, str]]:
    """Thefts around the Old Town Market in the last week of the demo period."""
    market = next(p for p in demo_places() if p.name == "Old Town Market")
    arrays = generate_incident_arrays(
        SURGE_INCIDENTS,
        seed=seed + 1,
        days=7,
        places=(replace(market, spread_m=150.0),),
        clustered_share=1.0,
        near_repeat_share=0.0,
    )
    rows = []
    for number, row in enumerate(incident_rows(arrays), start=1):
        shifted = {k: _shift(v, DEMO_DAYS - 7) for k, v in row.items() if k in _TIME_COLUMNS}
        rows.append({**row, **shifted, "incident_id": f"INC-S{number}", "type": "theft"})
    return rows


def demo_rows(incidents: int, seed: int = DEMO_SEED) -> list[dict[str, str]]:
    arrays = generate_incident_arrays(incidents, seed=seed, days=DEMO_DAYS, places=demo_places())
    return [*incident_rows(arrays), *surge_rows(seed)]


def run(
    runtime: Runtime,
    city: DemoCity,
    *,
    incidents: int = 20_000,
    permutations: int = 999,
    out_dir: Path = DEMO_OUTPUT,
) -> list[str]:
    """Imports the demo incidents for `city.agency_ids[0]` and writes the analyses."""
    rows = demo_rows(incidents)
    with runtime.unit_of_work() as session:
        ctx = service.agency_context(session, str(city.agency_ids[0]))
        imported = service.import_incidents(session, ctx, rows, source="demo")
        frame = service.load_frame(session, ctx, analysis="demo")

    hot = reports.hotspot_report(frame, resolution=9, permutations=permutations, seed=1)
    near = reports.near_repeat_summary(frame, distance_m=100.0, days=7.0, permutations=99)
    profile = reports.profile_report(frame, top=3)
    whole_weeks = frame[midpoint(frame) < DEMO_END]  # windows may spill past the last week
    surges = reports.surge_report(whole_weeks, period="W", area_resolution=7)

    cells: list[dict[str, Any]] = hot["cells"]
    written = [
        *write_chart(*hour_of_week_heatmap(np.array(profile["bins"])), out_dir, "hour_of_week"),
        *write_chart(*reports.chart(frame, "trend", period="W"), out_dir, "trend"),
        *write_chart(
            *hotspot_map([c["h3"] for c in cells], [c["class"] for c in cells]),
            out_dir,
            "hotspots",
        ),
    ]

    summary: dict[str, int] = hot["summary"]
    hot_cells = sum(v for k, v in summary.items() if k.startswith("hot_"))
    peaks = ", ".join(f"{p['day']} {p['hour']:02d}:00" for p in profile["peak_hours"])
    alerts = surges["alerts"]
    lines = [
        f"incidents: {imported.stored} stored, {imported.duplicates} already stored, "
        f"{imported.rejected} rejected",
        f"hot spots: {hot_cells} hot cells ({summary.get('hot_99', 0)} at 99%) of {len(cells)} "
        f"H3 cells, Gi* with {permutations} permutations and FDR",
        f"near-repeat: {near.get('close_pairs', 0)} pairs within 100 m and 7 days, "
        f"{near.get('ratio') or 0:.2f}x chance (Knox p={near.get('p_sim')})",
        f"peak hours: {peaks}",
        f"surge alerts: {len(alerts)} in the last week"
        + (f"; first: {alerts[0]['message']}" if alerts else ""),
        f"charts: {len(written)} files in {out_dir}/",
    ]
    return lines
