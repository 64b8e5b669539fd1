"""`vigil analytics ...`: incident statistics, hot spots, near-repeat and charts from CSV, and
`import` of a CSV into the database. Heavy libraries are imported inside the commands so the
root CLI starts quickly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(help="Incident analytics: places and times, never persons.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)
output = Console()

IncidentsOption = Annotated[
    Path, typer.Option("--incidents", exists=True, dir_okay=False, help="incidents CSV")
]
SeedOption = Annotated[int, typer.Option("--seed", help="random seed")]
PermutationsOption = Annotated[int, typer.Option("--permutations", min=0)]
ResolutionOption = Annotated[int, typer.Option("--resolution", min=0, max=15, help="H3 resolution")]
MAX_ERRORS_SHOWN = 20


def _load_frame(path: Path, resolution: int = 9) -> pd.DataFrame:
    from vigil.analytics.frame import incidents_to_frame
    from vigil.analytics.loader import load_incidents_file
    from vigil.core.tabular import TabularError

    try:
        result = load_incidents_file(path, resolution=resolution)
    except TabularError as unreadable:
        console.print(f"[red]error:[/] {unreadable}")
        raise typer.Exit(2) from None
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        console.print(f"[yellow]row {error.row}[/] {error.field}: {error.message}")
    if len(result.errors) > MAX_ERRORS_SHOWN:
        console.print(f"... and {len(result.errors) - MAX_ERRORS_SHOWN} more problems")
    if not result.incidents:
        console.print("[red]no valid incidents[/]")
        raise typer.Exit(1)
    console.print(f"{len(result.incidents)} incidents loaded, {len(result.errors)} problems")
    return incidents_to_frame(result.incidents)


@contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), TextColumn("{task.percentage:>3.0f}%"))
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.advance(task, done)


def _hotspot_report(
    frame: pd.DataFrame,
    resolution: int,
    permutations: int,
    seed: int,
    study: Literal["occupied", "padded"],
    k: int,
) -> dict[str, Any]:
    from vigil.analytics.reports import hotspot_report

    with _progress("Gi* permutations", max(frame["h3"].nunique(), 1)) as advance:
        return hotspot_report(
            frame,
            resolution=resolution,
            permutations=permutations,
            seed=seed,
            study=study,
            k=k,
            progress=advance,
        )


def _data_rows(path: Path) -> int:
    """Lines after the header: the progress bar's total (quoted line breaks make it a guess)."""
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


@app.command("import")
def import_incidents(
    incidents: IncidentsOption,
    org: Annotated[str, typer.Option("--org", help="the agency (name or id) that owns them")],
    errors_out: Annotated[
        Path | None,
        typer.Option("--errors", help="per-row error report (CSV); default I.errors.csv"),
    ] = None,
) -> None:
    """Loads incidents from a CSV file into the database for one agency. Idempotent: an
    incident_id the agency already has is counted as a duplicate and left as it is."""
    import csv

    from vigil.analytics import service
    from vigil.core import tabular
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime

    runtime = Runtime.create()
    report_path = errors_out or incidents.with_suffix(".errors.csv")
    try:
        with (
            _progress("importing incidents", _data_rows(incidents)) as advance,
            runtime.unit_of_work() as session,
            incidents.open("rb") as handle,
        ):
            ctx = service.agency_context(session, org)
            source = incidents.name
            encoding = tabular.choose_encoding(handle, None, source=source)
            report = service.import_incidents_csv(
                session,
                ctx,
                tabular.decoded_lines(handle, encoding, source=source),
                source=f"cli:{incidents.name}",
                progress=advance,
                batch_rows=1_000,
            )
    except VigilError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    output.print(
        f"{report.received} rows: {report.stored} stored, {report.duplicates} duplicates, "
        f"{report.rejected} rejected"
    )
    if report.errors:
        with report_path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["row", "field", "message"])
            writer.writeheader()
            writer.writerows(e.model_dump() for e in report.errors)
        console.print(f"{len(report.errors)} problems written to {report_path}")
        for problem in report.errors[:MAX_ERRORS_SHOWN]:
            console.print(f"[yellow]row {problem.row}[/] {problem.field}: {problem.message}")
    if report.received and report.rejected == report.received:
        raise typer.Exit(1)


@app.command()
def hotspots(
    incidents: IncidentsOption,
    out: Annotated[Path, typer.Option("--out", help="cells CSV to write")],
    resolution: ResolutionOption = 9,
    permutations: PermutationsOption = 99,
    seed: SeedOption = 1,
    study_area: Annotated[
        str,
        typer.Option(
            "--study-area",
            help="occupied: cells holding incidents; padded: plus their zero-count k-ring",
        ),
    ] = "occupied",
    k: Annotated[int, typer.Option("--k", min=1, help="k-ring size of the neighbourhood")] = 1,
) -> None:
    """Getis-Ord Gi* hot spots on H3 cells (binary k-ring + self, permutations, BH FDR)."""
    import csv

    from vigil.analytics.hotspot_cells import HOTSPOT_COLUMNS

    if study_area not in ("occupied", "padded"):
        raise typer.BadParameter("expected occupied or padded", param_hint="--study-area")
    study: Literal["occupied", "padded"] = "padded" if study_area == "padded" else "occupied"
    frame = _load_frame(incidents, resolution)
    report = _hotspot_report(frame, resolution, permutations, seed, study, k)
    if "note" in report:
        console.print(f"[red]error:[/] {report['note']}")
        raise typer.Exit(1)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(HOTSPOT_COLUMNS))
        writer.writeheader()
        writer.writerows(report["cells"])
    console.print(f"{len(report['cells'])} cells written to {out}: {report['summary']}")


@app.command("near-repeat")
def near_repeat(
    incidents: IncidentsOption,
    out: Annotated[Path, typer.Option("--out", help="JSON to write")],
    space: Annotated[float, typer.Option("--space", min=0.0, help="spatial band (metres)")] = 100,
    space_bands: Annotated[int, typer.Option("--space-bands", min=1)] = 3,
    time: Annotated[float, typer.Option("--time", min=0.0, help="temporal band (days)")] = 2,
    time_bands: Annotated[int, typer.Option("--time-bands", min=1)] = 2,
    permutations: PermutationsOption = 99,
    seed: SeedOption = 1,
) -> None:
    """Near-repeat (Knox) tables laid out like Ratcliffe's Near Repeat Calculator."""
    from vigil.analytics.frame import midpoint
    from vigil.analytics.near_repeat import knox_test, near_repeat_table, project_to_metres

    frame = _load_frame(incidents)
    xy = project_to_metres(frame["lat"].to_numpy(), frame["lon"].to_numpy())
    middle = midpoint(frame)
    days = (middle - middle.min()).dt.total_seconds().to_numpy() / 86_400.0
    with _progress("near-repeat iterations", permutations) as advance:
        table = near_repeat_table(
            xy,
            days,
            space_step=space,
            space_bands=space_bands,
            time_step=time,
            time_bands=time_bands,
            iterations=permutations,
            seed=seed,
            progress=advance,
        )
    knox = knox_test(xy, days, space, time, permutations=permutations, seed=seed)
    report = table.as_dict()
    report["knox"] = {
        "delta_m": space,
        "tau_days": time,
        "observed": knox.observed.tolist(),
        "expected": knox.expected.tolist(),
        "p_sim": knox.p_sim,
        "p_poisson": knox.p_poisson,
    }
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    console.print(f"near-repeat table for {table.n_events} incidents written to {out}")


@app.command()
def stats(
    incidents: IncidentsOption,
    out: Annotated[Path | None, typer.Option("--out", help="JSON to write")] = None,
    period: Annotated[str, typer.Option("--period", help="D, W, M or Y")] = "M",
    area_resolution: Annotated[int, typer.Option("--area-resolution", min=0, max=15)] = 7,
) -> None:
    """Counts and rates by type x area x period, year-on-year and week-on-week change,
    casualties, hour-of-week profile and surge alerts (about places and types)."""
    from rich.table import Table

    from vigil.analytics.reports import profile_report, stats_report, surge_report

    periods: dict[str, Literal["D", "W", "M", "Y"]] = {"D": "D", "W": "W", "M": "M", "Y": "Y"}
    if period not in periods:
        raise typer.BadParameter("period must be D, W, M or Y", param_hint="--period")
    frame = _load_frame(incidents)
    payload = stats_report(frame, period=periods[period], area_resolution=area_resolution)
    payload["hour_of_week"] = profile_report(frame)["bins"]
    payload["surge_alerts"] = surge_report(frame, area_resolution=area_resolution)["alerts"]
    if out is not None:
        out.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        console.print(f"statistics written to {out}")
    casualties = Table(title="Casualties by type")
    rows = payload["casualties"]
    for column in rows[0] if rows else ():
        casualties.add_column(str(column))
    for row in rows:
        casualties.add_row(*[f"{v:.3g}" if isinstance(v, float) else str(v) for v in row.values()])
    output.print(casualties)
    for alert in payload["surge_alerts"]:
        output.print(alert["message"])


@app.command()
def profile(
    incidents: IncidentsOption,
    incident_type: Annotated[str | None, typer.Option("--type", help="only this type")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="JSON to write")] = None,
) -> None:
    """Hour-of-week profile (168 bins, aoristic weights for time windows)."""
    from vigil.analytics.stats import hour_of_week, hour_of_week_table, peak_hours

    frame = _load_frame(incidents)
    values = hour_of_week(frame, incident_type=incident_type)
    output.print(hour_of_week_table(values).round(1).to_string())
    for day, hour, weight in peak_hours(values):
        output.print(f"peak: {day} {hour:02d}:00  {weight:.1f}")
    if out is not None:
        out.write_text(json.dumps({"hour_of_week": values.round(4).tolist()}), encoding="utf-8")


@app.command()
def chart(
    incidents: IncidentsOption,
    out_dir: Annotated[Path, typer.Option("--out-dir", help="folder for PNG, SVG and JSON")],
    resolution: ResolutionOption = 9,
    permutations: PermutationsOption = 99,
    seed: SeedOption = 1,
    period: Annotated[str, typer.Option("--period", help="W or Y for the trend")] = "W",
) -> None:
    """Writes the hour-of-week heatmap, trend lines and hot-spot map (PNG, SVG, JSON)."""
    from vigil.analytics.charts import hotspot_map, hour_of_week_heatmap, trend_chart, write_chart
    from vigil.analytics.stats import hour_of_week, period_change

    if period not in ("W", "Y"):
        raise typer.BadParameter("period must be W or Y", param_hint="--period")
    frame = _load_frame(incidents, resolution)
    written: list[Path] = []
    written += write_chart(*hour_of_week_heatmap(hour_of_week(frame)), out_dir, "hour_of_week")
    trend = period_change(frame, period="Y" if period == "Y" else "W")
    written += write_chart(*trend_chart(trend), out_dir, "trend")
    cells = _hotspot_report(frame, resolution, permutations, seed, "occupied", 1)["cells"]
    hexes = hotspot_map([c["h3"] for c in cells], [c["class"] for c in cells])
    written += write_chart(*hexes, out_dir, "hotspots")
    for path in written:
        output.print(str(path))


if __name__ == "__main__":
    app()
