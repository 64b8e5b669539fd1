"""`vigil response ...`: the escalation sweep, the public warning feed, and a CAP file check.
The domain's service, SQLAlchemy and lxml are imported inside the commands."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Emergency response: incidents, escalation and CAP warnings.")
console = Console(stderr=True, soft_wrap=True)
output = Console()


@app.command("escalate")
def escalate(
    follow: Annotated[
        bool, typer.Option("--follow", help="sweep every --interval seconds")
    ] = False,
    interval: Annotated[float, typer.Option("--interval", min=1.0)] = 30.0,
) -> None:
    """Escalate to the supervisor every incident past its acknowledge or attend deadline."""
    from vigil.core.runtime import Runtime
    from vigil.response.service import sweep_escalations

    runtime = Runtime.create()
    while True:
        for escalation in sweep_escalations(runtime):
            output.print(
                f"incident {escalation.incident_id} (agency {escalation.organisation_id}, "
                f"priority {escalation.priority}) escalated: {escalation.reason}, "
                f"deadline {escalation.deadline.isoformat()}"
            )
        if not follow:
            return
        time.sleep(interval)


@app.command("feed")
def feed(
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="write the Atom feed here")],
) -> None:
    """Write the public warnings' Atom feed."""
    from vigil.core.runtime import Runtime
    from vigil.response.service import atom_feed
    from vigil.response.settings import ResponseSettings

    runtime = Runtime.create()
    with runtime.unit_of_work() as session:
        out.write_bytes(atom_feed(session, ResponseSettings()))
    console.print(f"feed written to {out}")


@app.command("check-cap")
def check_cap(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="a CAP 1.2 XML file")],
    cert: Annotated[
        Path | None, typer.Option("--cert", exists=True, help="PEM certificate to verify with")
    ] = None,
) -> None:
    """Validate a CAP file against the CAP 1.2 XSD and, with --cert, verify its signature."""
    from vigil.response.cap import schema_errors, verify

    xml = path.read_bytes()
    problems = schema_errors(xml)
    for problem in problems:
        console.print(f"[red]{problem}[/]")
    if problems:
        raise typer.Exit(1)
    output.print("valid against the CAP 1.2 schema")
    if cert is not None:
        try:
            verify(xml, cert.read_bytes())
        except Exception as exc:
            console.print(f"[red]signature does not verify:[/] {exc}")
            raise typer.Exit(1) from None
        output.print("signature verifies")
