"""`vigil video ...`: the camera registry, coverage and gaps. Event ingestion commands
(`listen`, `import-events`, `poll-frigate`) are added on the flow floor
(`vigil.flows.video_cli`), since they raise alerts. Heavy imports stay inside the commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from vigil.video.worker.cli import app as worker_app

app = typer.Typer(
    help="Video monitoring without identification: cameras, coverage, events.",
    no_args_is_help=True,
)
cameras_app = typer.Typer(help="The camera registry.", no_args_is_help=True)
app.add_typer(cameras_app, name="cameras")
app.add_typer(worker_app)  # watch, render-clip, check-no-identification
console = Console(stderr=True)
output = Console()

OrgOption = Annotated[str, typer.Option("--org", help="the agency (name or id)")]
CityOption = Annotated[
    Path,
    typer.Option(
        "--city", exists=True, dir_okay=False, help="GeoJSON: roads, buildings, areas, places"
    ),
]


def fail(error: Exception) -> NoReturn:
    console.print(f"[red]error:[/] {error}")
    raise typer.Exit(2)


@cameras_app.command("import")
def cameras_import(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help=".csv, .jsonl or ONVIF .json")
    ],
    as_user: Annotated[
        str,
        typer.Option(
            "--as",
            help="the Vigil user the command acts as: one who may configure cameras"
            " (a supervisor or an administrator); the cameras are their agency's",
        ),
    ],
) -> None:
    """Import cameras from CSV/JSONL rows or ONVIF device-information JSON: all or none.

    Example: vigil video cameras import cameras.csv --as supervisor"""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.core.tabular import read_path
    from vigil.video import service

    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            ctx = service.user_context(session, as_user)
            if path.suffix.lower() == ".json":
                cameras = service.camera_inputs_from_onvif(path.read_bytes())
            else:
                cameras = service.camera_inputs_from_rows(read_path(path))
            rows = service.register_cameras(session, ctx, runtime.vault, cameras)
            codes = [r.code for r in rows]
    except VigilError as error:
        for problem in error.errors[:20]:
            console.print(f"[yellow]{problem.loc}[/] {problem.message}")
        fail(error)
    output.print(f"{len(codes)} cameras imported: {', '.join(codes)}")


@cameras_app.command("list")
def cameras_list(org: OrgOption) -> None:
    """The agency's cameras (never their stream URLs)."""
    from rich.table import Table

    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.video import service

    runtime = Runtime.create()
    table = Table("code", "name", "area class", "owner", "heading", "fov", "range m", "status")
    try:
        with runtime.unit_of_work() as session:
            for c in service.list_cameras(session, service.agency_context(session, org)):
                table.add_row(
                    c.code,
                    c.name,
                    c.area_class,
                    f"{c.owner_kind}: {c.owner_name}",
                    f"{c.heading_deg:g}",
                    f"{c.fov_deg:g}",
                    f"{c.range_m:g}",
                    c.status,
                )
    except VigilError as error:
        fail(error)
    output.print(table)


@app.command("coverage")
def coverage(
    city: CityOption,
    org: OrgOption,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Share of road length, key places and hot cells the cameras see, by area class."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.video import service

    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            ctx = service.agency_context(session, org)
            report = service.analyse_coverage(session, ctx, json.loads(city.read_text()))
    except (VigilError, json.JSONDecodeError) as error:
        fail(error)
    if as_json:
        output.print_json(report.model_dump_json())
        return
    from rich.table import Table

    def pct(share: float | None) -> str:
        return "-" if share is None else f"{share:.1%}"

    table = Table("area class", "road km", "road in view", "key places", "hot cells")
    for row in [*report.by_class, report.total]:
        table.add_row(
            row.area_class,
            f"{row.road_m / 1000:.2f}",
            pct(row.road_share),
            f"{row.key_places_covered}/{row.key_places} ({pct(row.key_place_share)})",
            f"{row.hot_cells_covered}/{row.hot_cells} ({pct(row.hot_cell_share)})",
        )
    output.print(f"{report.cameras} active cameras, {report.covered_area_m2:,.0f} m² in view")
    output.print(table)


@app.command("gaps")
def gaps(
    city: CityOption,
    org: OrgOption,
    sites: Annotated[int, typer.Option(min=1, max=50, help="camera sites to propose")] = 3,
    fov_deg: Annotated[float, typer.Option(min=1, max=360)] = 90.0,
    range_m: Annotated[float, typer.Option(min=1, max=5000)] = 60.0,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Uncovered key places and hot cells, heaviest first, and proposed camera sites."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.video import service

    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            ctx = service.agency_context(session, org)
            report = service.gap_report(
                session,
                ctx,
                json.loads(city.read_text()),
                sites=sites,
                fov_deg=fov_deg,
                range_m=range_m,
            )
    except (VigilError, json.JSONDecodeError) as error:
        fail(error)
    if as_json:
        output.print_json(report.model_dump_json())
        return
    output.print(
        f"uncovered weight {report.uncovered_weight:g}; the proposed sites see "
        f"{report.covered_by_sites:g} (greedy: {report.covered_by_greedy:g})"
    )
    for gap in report.gaps[:20]:
        output.print(f"  gap  {gap.kind:8} {gap.name:24} {gap.area_class:18} weight {gap.weight:g}")
    for site in report.sites:
        output.print(
            f"  site {site.latitude:.6f},{site.longitude:.6f} heading {site.heading_deg:g}"
            f" sees {', '.join(site.covers)}"
        )
