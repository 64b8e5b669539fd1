"""`vigil intel export|import`: STIX 2.1 bundles, acting as a named user."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
console = Console(stderr=True, soft_wrap=True)

AsUser = Annotated[str, typer.Option("--as", help="the Vigil user the command acts as")]
PurposeOpt = Annotated[str, typer.Option(help="purpose of the read")]
BasisOpt = Annotated[
    str | None, typer.Option("--legal-basis", help="legal basis (default: case:ID with --case)")
]


def _context(runtime: Runtime, username: str, purpose: str, basis: str) -> AccessContext:
    from vigil.core.errors import NotFound
    from vigil.governance import service as governance
    from vigil.governance.access import parse_purpose

    with runtime.unit_of_work() as session:
        try:
            ctx = governance.active_user_context(session, username)
        except NotFound as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        return ctx.with_purpose(parse_purpose(purpose), basis)


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


def print_import_report(report: dict[str, Any]) -> None:
    """An import's outcome by STIX type (`vigil intel import` and `pull`), with the reasons
    for what it skipped."""
    for stix_type, outcome in report.get("by_type", {}).items():
        console.print(
            f"{stix_type}: imported {outcome['imported']}, merged {outcome['merged']}, "
            f"skipped {outcome['skipped']}",
            markup=False,
            highlight=False,
        )
        for reason, n in outcome["reasons"].items():
            console.print(f"  {n} {reason}", markup=False, highlight=False)


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


IMPORT_HELP = """Import a partner's STIX 2.1 bundle (Vigil, MISP or OpenCTI) as clues.

Every object is accounted for: the command prints, per STIX type, how many objects were
imported as clues, merged (entities, links, markings, creators, objects already known) or
skipped, with each reason, and exits with status 1 when nothing in the bundle can be
imported.

Legal basis: a partner import cites the sharing agreement with that partner, as
agreement:ID (the id of POST /v1/sharing-agreements), or the case it serves, as case:ID.

Example:

    vigil intel import partner-bundle.json --as analyst --purpose investigation
    --legal-basis agreement:3
"""


@app.command("import", help=IMPORT_HELP)
def import_(
    bundle: Annotated[Path, typer.Argument(help="a STIX 2.1 bundle (JSON)")],
    as_user: AsUser,
    purpose: PurposeOpt = Purpose.INVESTIGATION.value,
    legal_basis: Annotated[
        str | None,
        typer.Option(
            "--legal-basis",
            help="the agreement with the partner, e.g. agreement:3 (or the case, case:12)",
        ),
    ] = None,
) -> None:
    if not legal_basis:
        console.print(
            "[red]error:[/red] --legal-basis is required: the sharing agreement with the "
            "partner (e.g. agreement:3) or the case the import serves (e.g. case:12)"
        )
        raise typer.Exit(2)
    try:
        document = json.loads(bundle.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        console.print(f"[red]error:[/red] cannot read {bundle}: {exc}")
        raise typer.Exit(2) from exc
    if not isinstance(document, dict):
        console.print(f"[red]error:[/red] {bundle} is not a STIX bundle (a JSON object)")
        raise typer.Exit(2)
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.intel.exchange import service as exchange

    runtime = Runtime.create()
    ctx = _context(runtime, as_user, purpose, legal_basis)
    try:
        with runtime.unit_of_work() as session:
            result = exchange.import_bundle(session, ctx, document)
    except exchange.NothingUsable as exc:
        for line in exc.report.lines():
            console.print(line, markup=False, highlight=False)
        console.print("[red]error:[/red] nothing in this bundle could be imported")
        raise typer.Exit(1) from exc
    except VigilError as exc:
        _refused(runtime, ctx, "intel import", exc)
    print_import_report(result)
    console.print(
        f"imported {result['imported']} clues, merged {result['merged']}, "
        f"skipped {result['skipped']}"
    )


# TAXII 2.1 with partners' servers (taxii_cli imports its heavy modules inside the commands).
from vigil.intel.exchange.taxii_cli import pull as _pull  # noqa: E402
from vigil.intel.exchange.taxii_cli import push as _push  # noqa: E402

app.command("pull")(_pull)
app.command("push")(_push)
