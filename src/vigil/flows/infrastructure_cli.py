"""`vigil infrastructure ...`: import networks and assets, run cascades, rank risk and listen
to sensors over MQTT. It sits on the flow floor because `risk` reads incident analytics and
`listen` raises alerts; everything heavy is imported inside the commands."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from vigil.governance.access import AccessContext

app = typer.Typer(
    help="Critical infrastructure: assets, cascades, risk and sensor events.", no_args_is_help=True
)
console = Console(stderr=True, soft_wrap=True)
output = Console()

AgencyOption = Annotated[str, typer.Option("--agency", help="the responsible agency's name")]
OperatorOption = Annotated[str, typer.Option("--operator", help="the operating organisation")]
LatOption = Annotated[float, typer.Option("--lat", min=-90, max=90, help="centre latitude")]
LonOption = Annotated[float, typer.Option("--lon", min=-180, max=180, help="centre longitude")]
ScaleOption = Annotated[
    float, typer.Option("--metres-per-unit", min=0.001, help="metres per drawing unit")
]


@contextmanager
def _agency(agency: str) -> Iterator[tuple[Session, AccessContext]]:
    """A unit of work acting for `agency`; Vigil's errors end the command with their fields."""
    from vigil.analytics.service import agency_context
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime

    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            yield session, agency_context(session, agency)
    except VigilError as refused:
        console.print(f"[red]error:[/] {refused.detail}")
        for problem in refused.errors[:20]:
            console.print(f"  {problem.loc}: {problem.message}")
        raise typer.Exit(1) from None


def _print(value: Any) -> None:
    output.print_json(json.dumps(value, default=str))


@app.command("import-inp")
def import_inp(
    agency: AgencyOption,
    operator: OperatorOption,
    lat: LatOption,
    lon: LonOption,
    name: Annotated[str, typer.Option("--name", help="the network's name")] = "",
    path: Annotated[
        Path | None, typer.Option("--file", exists=True, dir_okay=False, help=".inp file")
    ] = None,
    shipped: Annotated[
        str | None, typer.Option("--shipped", help="a network shipped with WNTR: Net3.inp")
    ] = None,
    metres_per_unit: ScaleOption = 100.0,
) -> None:
    """An EPANET network through WNTR, its elements as assets placed at --lat/--lon."""
    from vigil.infrastructure import service, water

    if (path is None) == (shipped is None):
        console.print("[red]error:[/] give --file or --shipped")
        raise typer.Exit(2)
    source = path if path is not None else water.shipped_network(str(shipped))
    with _agency(agency) as (session, ctx):
        result = service.import_water_network(
            session,
            ctx,
            name or source.stem,
            source.read_text(encoding="utf-8", errors="replace"),
            operator,
            water.Placement(lat, lon, metres_per_unit),
            source=source.name,
        )
    _print(result.model_dump())


@app.command("import-grid")
def import_grid(
    agency: AgencyOption,
    operator: OperatorOption,
    lat: LatOption,
    lon: LonOption,
    name: Annotated[str, typer.Option("--name", help="the grid's name")] = "",
    path: Annotated[
        Path | None,
        typer.Option("--file", exists=True, dir_okay=False, help="pandapower JSON grid"),
    ] = None,
    shipped: Annotated[
        str | None, typer.Option("--shipped", help="a pandapower test grid: case33bw")
    ] = None,
    metres_per_unit: ScaleOption = 100.0,
) -> None:
    """A pandapower grid: buses, lines and infeeds as assets, the feeding as dependencies."""
    from vigil.infrastructure import power, service, water

    if (path is None) == (shipped is None):
        console.print("[red]error:[/] give --file or --shipped")
        raise typer.Exit(2)
    text = (
        path.read_text(encoding="utf-8")
        if path is not None
        else power.grid_to_json(power.shipped_grid(str(shipped)))
    )
    label = name or (path.stem if path is not None else str(shipped))
    with _agency(agency) as (session, ctx):
        result = service.import_power_grid(
            session, ctx, label, text, operator, water.Placement(lat, lon, metres_per_unit)
        )
    _print(result.model_dump())


@app.command("import-assets")
def import_assets(
    agency: AgencyOption,
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or GeoJSON")],
    dependencies: Annotated[
        Path | None,
        typer.Option(
            "--dependencies", exists=True, dir_okay=False, help="supplier,dependant,kind CSV"
        ),
    ] = None,
) -> None:
    """Generic assets from CSV (carver_* columns, measures split on ';') or GeoJSON; the
    whole file is refused, with every field named, if any row is wrong."""
    from vigil.infrastructure import importers, service

    with _agency(agency) as (session, ctx):
        data = path.read_bytes()
        if path.suffix.lower() in (".geojson", ".json"):
            assets = importers.assets_from_geojson(data, source=path.name)
        else:
            assets = importers.assets_from_csv(data, source=path.name)
        links = (
            importers.dependencies_from_csv(dependencies.read_bytes(), source=dependencies.name)
            if dependencies is not None
            else []
        )
        result = service.store_assets(session, ctx, assets, links)
    _print(result.model_dump())


@app.command("cascade")
def cascade(
    agency: AgencyOption,
    asset: Annotated[str, typer.Option("--asset", help="the asset's external id")],
    simulate: Annotated[bool, typer.Option("--simulate/--no-simulate")] = True,
) -> None:
    """What fails, and how many people lose service, when the asset goes down."""
    from sqlalchemy import select

    from vigil.infrastructure import service
    from vigil.infrastructure.models import InfraAsset

    with _agency(agency) as (session, ctx):
        asset_id = session.scalar(
            select(InfraAsset.id).where(
                InfraAsset.organisation_id == ctx.organisation_id, InfraAsset.external_id == asset
            )
        )
        if asset_id is None:
            console.print(f"[red]error:[/] no asset {asset!r}")
            raise typer.Exit(1)
        result = service.cascade(session, ctx, asset_id, simulate=simulate)
    _print(result.model_dump())


@app.command("risk")
def risk(
    agency: AgencyOption,
    window_days: Annotated[int, typer.Option("--window-days", min=1)] = 90,
    radius_m: Annotated[float, typer.Option("--radius-m", min=1)] = 500.0,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
) -> None:
    """Assets ranked by threat (the agency's incidents nearby) × vulnerability (CARVER) ×
    consequence (cascade), each factor with its source."""
    from vigil.flows.asset_risk import rank_assets

    with _agency(agency) as (session, ctx):
        ranked = rank_assets(session, ctx, window_days=window_days, radius_m=radius_m, limit=limit)
    _print([r.model_dump() for r in ranked])


def _broker(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not (port.isascii() and port.isdigit()):
        raise typer.BadParameter("host:port, e.g. 127.0.0.1:1883", param_hint="--mqtt")
    return host, int(port)


@app.command("listen")
def listen(
    mqtt: Annotated[str, typer.Option("--mqtt", help="broker host:port")] = "127.0.0.1:1883",
    topic: Annotated[str, typer.Option("--topic")] = "vigil/infrastructure/events/#",
    max_messages: Annotated[
        int | None, typer.Option("--max-messages", min=1, help="stop after this many")
    ] = None,
    client_id: Annotated[
        str, typer.Option("--client-id", help="persistent session: the broker queues for it")
    ] = "vigil-infrastructure-listener",
) -> None:
    """Subscribe to sensor events (JSON: source, event_id, asset, kind, severity,
    observed_at, value, detail); each becomes a stored event and an alert, once."""
    from vigil.core.runtime import Runtime
    from vigil.flows.sensor_events import listen as run_listener

    host, port = _broker(mqtt)
    report: Callable[[str], None] = console.print
    console.print(f"listening on {host}:{port} {topic}")
    try:
        stats = run_listener(
            Runtime.create(),
            host=host,
            port=port,
            topic=topic,
            max_messages=max_messages,
            client_id=client_id,
            report=report,
        )
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
    _print(
        {
            "received": stats.received,
            "stored": stats.stored,
            "duplicates": stats.duplicates,
            "alerts": stats.alerts,
            "rejected": len(stats.rejected),
        }
    )
