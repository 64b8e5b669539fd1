"""`vigil db|org|user|apikey|audit|retention` commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vigil.core.clock import utcnow
from vigil.core.errors import VigilError
from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import Role, system_context
from vigil.governance.retention import apply_retention

console = Console(stderr=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
org_app = typer.Typer(
    help="Organisations: agencies and regulated businesses.", no_args_is_help=True
)
user_app = typer.Typer(help="Users and roles.", no_args_is_help=True)
apikey_app = typer.Typer(help="Business API keys.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
retention_app = typer.Typer(help="Retention of personal data.", no_args_is_help=True)


def _fail(exc: VigilError) -> None:
    console.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(2)


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Apply the Alembic migrations."""
    runtime = Runtime.create()
    upgrade(runtime.settings.database_url, revision)
    console.print(f"database at revision {revision}")


@org_app.command("add")
def org_add(
    name: str,
    kind: Annotated[str, typer.Option(help="agency or business")],
    sector: Annotated[
        str | None, typer.Option(help="hotel, secondhand, motor, venue or courier")
    ] = None,
) -> None:
    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            org = governance.create_organisation(session, system_context(), name, kind, sector)
            typer.echo(f"organisation {org.id}: {org.name}")
    except VigilError as exc:
        _fail(exc)


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[Role, typer.Option()],
    org: Annotated[str, typer.Option(help="organisation name or id")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            organisation = governance.find_organisation(session, org)
            user = governance.create_user(
                session, system_context(), username, password, role, organisation.id
            )
            typer.echo(f"user {user.id}: {user.username} ({user.role})")
    except VigilError as exc:
        _fail(exc)


@apikey_app.command("create")
def apikey_create(
    org: Annotated[str, typer.Option(help="organisation name or id")], label: str = ""
) -> None:
    """Create a key. It is printed once and stored only as a hash."""
    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            organisation = governance.find_organisation(session, org)
            issued = governance.create_api_key(session, system_context(), organisation.id, label)
        typer.echo(issued.secret)
        console.print(f"key {issued.prefix} created; it will not be shown again")
    except VigilError as exc:
        _fail(exc)


@apikey_app.command("revoke")
def apikey_revoke(prefix: str) -> None:
    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            governance.revoke_api_key(session, system_context(), prefix)
        typer.echo(f"key {prefix} revoked")
    except VigilError as exc:
        _fail(exc)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the chain: exit 0 if intact, 1 naming the first bad entry otherwise."""
    runtime = Runtime.create()
    with runtime.unit_of_work() as session:
        report = audit.verify(session, runtime.secret_key)
    if report.intact:
        typer.echo(report.summary())
        return
    typer.echo(report.summary(), err=True)
    raise typer.Exit(1)


@audit_app.command("export")
def audit_export(
    out: Annotated[Path | None, typer.Option(help="JSONL file; stdout if omitted")] = None,
) -> None:
    runtime = Runtime.create()
    with runtime.unit_of_work() as session:
        if out is None:
            count = audit.export_jsonl(session, sys.stdout)
        else:
            with out.open("w", encoding="utf-8") as handle:
                count = audit.export_jsonl(session, handle)
    console.print(f"exported {count} entries")


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Write a signed checkpoint of the head, so a cut-off tail is detected."""
    runtime = Runtime.create()
    with runtime.unit_of_work() as session:
        cp = audit.write_checkpoint(session, runtime.secret_key)
        typer.echo(f"checkpoint at seq {cp.seq}, head {cp.head_hash}")


@retention_app.command("apply")
def retention_apply() -> None:
    """Erase or pseudonymise what is past its retention period, and audit it."""
    import vigil.all_models  # noqa: F401  (registers every domain's retention rule)

    runtime = Runtime.create()
    with runtime.unit_of_work() as session:
        results = apply_retention(
            session, system_context(), runtime.settings.retention_days, utcnow()
        )
    for result in results:
        typer.echo(
            f"{result.record_type}: {result.mode} {result.affected}"
            f" (before {result.cutoff:%Y-%m-%d})"
        )
