"""`vigil intel export|import`: STIX 2.1 bundles, acting as a named user."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from vigil.governance.roles import Purpose

if TYPE_CHECKING:
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance.access import AccessContext

# The storage, audit and exchange modules are imported inside each command, so that
# `vigil --help` does not load the database layer or stix2.

app = typer.Typer(help="Intelligence: STIX 2.1 export and import.", no_args_is_help=True)
console = Console(stderr=True)

AsUser = Annotated[str, typer.Option("--as", help="the Vigil user the command acts as")]
PurposeOpt = Annotated[str, typer.Option(help="purpose of the read")]
BasisOpt = Annotated[
    str | None, typer.Option("--legal-basis", help="legal basis (default: case:ID with --case)")
]


def _context(runtime: Runtime, username: str, purpose: str, basis: str) -> AccessContext:
    from sqlalchemy import select

    from vigil.governance import service as governance
    from vigil.governance.access import parse_purpose
    from vigil.governance.models import User

    with runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            console.print(f"[red]error:[/red] no active user {username!r}")
            raise typer.Exit(2)
        return governance.context_for_user(session, user).with_purpose(
            parse_purpose(purpose), basis
        )


def _refused(runtime: Runtime, ctx: AccessContext, what: str, exc: VigilError) -> None:
    from vigil.governance import audit
    from vigil.governance.audit import Action

    with runtime.unit_of_work() as session:
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "cli",
            what,
            outcome="refused",
            detail={"reason": exc.detail[:200]},
        )
    console.print(f"[red]refused:[/red] {exc}")
    raise typer.Exit(2)


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="where to write the bundle")],
    as_user: AsUser,
    case: Annotated[int | None, typer.Option("--case", help="export this case")] = None,
    all_visible: Annotated[bool, typer.Option("--all", help="everything you may see")] = False,
    purpose: PurposeOpt = Purpose.INVESTIGATION.value,
    legal_basis: BasisOpt = None,
) -> None:
    """Export a case, or everything the caller may see, as a STIX 2.1 bundle."""
    if (case is None) == (not all_visible):
        console.print("[red]error:[/red] give exactly one of --case ID or --all")
        raise typer.Exit(2)
    basis = legal_basis or (f"case:{case}" if case is not None else "")
    if not basis:
        console.print("[red]error:[/red] --all needs --legal-basis")
        raise typer.Exit(2)
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.intel.exchange import service as exchange

    runtime = Runtime.create()
    ctx = _context(runtime, as_user, purpose, basis)
    try:
        with runtime.unit_of_work() as session:
            if case is not None:
                bundle = exchange.export_case(session, ctx, case)
            else:
                bundle = exchange.export_visible(session, ctx)
    except VigilError as exc:
        _refused(runtime, ctx, "intel export", exc)
    out.write_text(json.dumps(bundle, ensure_ascii=False, indent=2), encoding="utf-8")
    reports = sum(1 for o in bundle["objects"] if o["type"] == "report")
    console.print(f"wrote {len(bundle['objects'])} STIX objects ({reports} clues) to {out}")


@app.command("import")
def import_(
    bundle: Annotated[Path, typer.Argument(help="a STIX 2.1 bundle (JSON)")],
    as_user: AsUser,
    purpose: PurposeOpt = Purpose.INVESTIGATION.value,
    legal_basis: BasisOpt = None,
) -> None:
    """Import a partner's bundle (Vigil, MISP or OpenCTI) as clues."""
    if not legal_basis:
        console.print("[red]error:[/red] --legal-basis is required (e.g. case:12 or agreement:3)")
        raise typer.Exit(2)
    try:
        document = json.loads(bundle.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        console.print(f"[red]error:[/red] cannot read {bundle}: {exc}")
        raise typer.Exit(2) from exc
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.intel.exchange import service as exchange

    runtime = Runtime.create()
    ctx = _context(runtime, as_user, purpose, legal_basis)
    try:
        with runtime.unit_of_work() as session:
            result = exchange.import_bundle(session, ctx, document)
    except VigilError as exc:
        _refused(runtime, ctx, "intel import", exc)
    console.print(f"imported {result['created']} clues, skipped {result['skipped']} already known")
