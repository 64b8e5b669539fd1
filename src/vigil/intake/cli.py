"""`vigil intake load|consume|compliance` commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from vigil.core.runtime import Runtime
    from vigil.governance.access import AccessContext

# The storage and intake modules are imported inside each command, so that `vigil --help`
# does not load the database layer.

console = Console(stderr=True, soft_wrap=True)
app = typer.Typer(help="Real-name registration intake.", no_args_is_help=True)


def _business_context(runtime: Runtime, org: str) -> AccessContext:
    from vigil.governance import service as governance
    from vigil.governance.access import AccessContext, Role

    with runtime.unit_of_work() as session:
        found = governance.find_organisation(session, org)
        return AccessContext(
            principal=f"cli-load:{found.id}",
            principal_id=0,
            organisation_id=found.id,
            organisation_name=found.name,
            role=Role.BUSINESS,
        )


@app.command("load")
def load(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    sector: Annotated[str, typer.Option(help="hotel, secondhand, motor, venue, parcel, chemical")],
    org: Annotated[str, typer.Option(help="the filing business, by name or id")],
    encoding: Annotated[
        str | None, typer.Option(help="the file's encoding (default: detected)")
    ] = None,
    file_format: Annotated[
        str | None, typer.Option("--format", help="csv or jsonl (default: by extension)")
    ] = None,
    errors: Annotated[
        Path | None, typer.Option(help="per-row error report (default: FILE.errors.csv)")
    ] = None,
) -> None:
    """Load a CSV or JSONL file of registrations: good rows are stored, bad rows reported.
    Loading the same file again stores nothing new."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.intake import files

    runtime = Runtime.create()
    report_path = errors or file.with_name(file.name + ".errors.csv")
    try:
        ctx = _business_context(runtime, org)
        fmt = files.file_format(file.name, file_format)
        size = file.stat().st_size
        with (
            files.ErrorReportFile(report_path) as error_report,
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TextColumn("{task.fields[rows]} rows"),
                TimeElapsedColumn(),
                console=console,
            ) as progress,
            file.open("rb") as handle,
        ):
            task = progress.add_task(f"loading {file.name}", total=size, rows=0)
            report = files.load_stream(
                runtime,
                ctx,
                sector,
                handle,
                fmt,
                encoding=encoding,
                progress=lambda rows, done: progress.update(task, completed=done, rows=rows),
                error_sink=error_report,
            )
            progress.update(task, completed=size, rows=report.rows)
    except VigilError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(
        f"{report.rows} rows ({report.encoding}): {report.stored} stored, "
        f"{report.duplicates} already stored, {report.rejected} rejected"
    )
    if error_report.written:
        console.print(f"per-row error report: {report_path} ({report.errors_total} errors)")
    if report.aborted:
        console.print(f"[red]stopped early:[/red] {report.aborted}")
        raise typer.Exit(3)
    if report.rejected:
        raise typer.Exit(1)


@app.command("consume")
def consume(
    servers: Annotated[str, typer.Option(help="NATS server URL(s)")] = "nats://127.0.0.1:4222",
    stream: str = "VIGIL_INTAKE",
    subject_prefix: str = "vigil.intake",
    durable: str = "vigil-intake",
    batch: int = 500,
    idle_exit: Annotated[
        float | None, typer.Option(help="exit after this many idle seconds")
    ] = None,
) -> None:
    """Consume registrations from NATS JetStream; each message is acked after its commit."""
    import asyncio

    from vigil.core.runtime import Runtime
    from vigil.intake import stream as intake_stream

    runtime = Runtime.create()
    stats = asyncio.run(
        intake_stream.consume(
            runtime,
            servers,
            stream=stream,
            subject_prefix=subject_prefix,
            durable=durable,
            batch=batch,
            idle_exit_s=idle_exit,
        )
    )
    console.print(
        f"{stats.messages} messages: {stats.stored} stored, {stats.duplicates} already stored, "
        f"{stats.rejected} rejected"
    )


@app.command("compliance")
def compliance() -> None:
    """Every business's filing record (on time, late, missing, rejected rows)."""
    from rich.table import Table

    from vigil.core.runtime import Runtime
    from vigil.governance.access import system_context
    from vigil.intake.compliance import compliance_records

    runtime = Runtime.create()
    with runtime.unit_of_work() as session:
        records = compliance_records(
            session, system_context(), runtime.settings.intake_deadline_hours
        )
    table = Table(title="Business compliance")
    for column in ("business", "filings", "on time", "late", "missing", "rejected rate", "p90 h"):
        table.add_column(column)
    for r in records:
        table.add_row(
            r["organisation"],
            str(r["filings"]),
            str(r["on_time"]),
            str(r["late"]),
            str(r["missing"]),
            f"{r['rejected_rate']:.2%}",
            str(r["lateness_hours_p90"]),
        )
    Console().print(table)
