"""`vigil db|org|user|apikey|audit|retention` commands."""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from vigil.governance.roles import Role

if TYPE_CHECKING:
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance.retention import RetentionRule

# The storage, audit and service modules are imported inside each command, so that
# `vigil --help` does not load the database layer.

console = Console(stderr=True, soft_wrap=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
org_app = typer.Typer(
    help="Organisations: agencies and regulated businesses.", no_args_is_help=True
)
user_app = typer.Typer(help="Users and roles.", no_args_is_help=True)
apikey_app = typer.Typer(
    help="API keys: a business's (its filings and its cameras' events), or an agency's video"
    " source key (its NVRs and workers post its cameras' events, and nothing else).",
    no_args_is_help=True,
)
audit_app = typer.Typer(help="The audit log: a Merkle transparency log.", no_args_is_help=True)


def _fail(exc: VigilError) -> None:
    console.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(2)


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Apply the Alembic migrations."""
    from vigil.core.migrate import upgrade
    from vigil.core.runtime import Runtime

    runtime = Runtime.create()
    upgrade(runtime.settings.database_url, revision)
    console.print(f"database at revision {revision}")


@org_app.command("add")
def org_add(
    name: Annotated[str, typer.Argument(help="the organisation's name, unique")],
    kind: Annotated[str, typer.Option(help="agency or business")],
    sector: Annotated[
        str | None,
        typer.Option(
            help="a business's sector: hotel, secondhand, motor, venue, courier or chemical "
            "(an agency has none)"
        ),
    ] = None,
) -> None:
    """Register an organisation: an agency (its staff and cameras) or a regulated business
    (its filings). Prints its id."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance import service as governance
    from vigil.governance.access import system_context

    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            org = governance.create_organisation(session, system_context(), name, kind, sector)
            typer.echo(f"organisation {org.id}: {org.name}")
    except VigilError as exc:
        _fail(exc)


class PersonRole(StrEnum):
    """The roles a person may hold (video_source is an agency's API key's, never a user's)."""

    ADMIN = Role.ADMIN.value
    SUPERVISOR = Role.SUPERVISOR.value
    ANALYST = Role.ANALYST.value
    OFFICER = Role.OFFICER.value
    AUDITOR = Role.AUDITOR.value
    BUSINESS = Role.BUSINESS.value


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[PersonRole, typer.Option(help="what the user may do")],
    org: Annotated[str, typer.Option(help="organisation name or id")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance import service as governance
    from vigil.governance.access import system_context

    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            organisation = governance.find_organisation(session, org)
            user = governance.create_user(
                session, system_context(), username, password, Role(role.value), organisation.id
            )
            typer.echo(f"user {user.id}: {user.username} ({user.role})")
    except VigilError as exc:
        _fail(exc)


@apikey_app.command("create")
def apikey_create(
    org: Annotated[str, typer.Option(help="organisation name or id")],
    label: Annotated[str, typer.Option(help="what the key is for (e.g. frigate-hq)")] = "",
) -> None:
    """Create a key. It is printed once and stored only as a hash."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance import service as governance
    from vigil.governance.access import system_context

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
def apikey_revoke(
    prefix: Annotated[
        str,
        typer.Argument(help="the key's prefix: the part after vgl_, as `apikey create` printed"),
    ],
) -> None:
    """Revoke an API key of any organisation (as the operator): it opens nothing from now on.
    Revoking a revoked key changes nothing."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance import service as governance
    from vigil.governance.access import system_context

    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            governance.revoke_api_key(session, system_context(), prefix)
        typer.echo(f"key {prefix} revoked")
    except VigilError as exc:
        _fail(exc)


def _sequenced(runtime: Runtime) -> None:
    """Commands that read the log first sequence what committed before they started."""
    from vigil.governance import audit

    audit.integrate_pending(runtime)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the log: exit 0 if intact, 1 naming the first bad entry otherwise."""
    from vigil.core.runtime import Runtime
    from vigil.governance import audit

    runtime = Runtime.create()
    _sequenced(runtime)
    with runtime.unit_of_work() as session:
        report = audit.verify(session, runtime.settings)
    if report.intact:
        typer.echo(report.summary())
        return
    typer.echo(report.summary(), err=True)
    raise typer.Exit(1)


@audit_app.command("seal")
def audit_seal() -> None:
    """Seal the entries written before entries were sealed (once, after an upgrade): the log
    is verified first without seals, and nothing is sealed if it does not verify."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance import audit

    runtime = Runtime.create()
    _sequenced(runtime)
    try:
        with runtime.unit_of_work() as session:
            done = audit.seal_unsealed(session, runtime.settings)
    except VigilError as exc:
        _fail(exc)
    console.print(f"sealed {done} entries")


@audit_app.command("export")
def audit_export(
    out: Annotated[Path | None, typer.Option(help="JSONL file; stdout if omitted")] = None,
) -> None:
    """The log's key, its checkpoints (with cosignatures) and every sequenced entry, as JSONL."""
    from vigil.core.runtime import Runtime
    from vigil.governance import audit

    runtime = Runtime.create()
    _sequenced(runtime)
    with runtime.unit_of_work() as session:
        if out is None:
            count = audit.export_jsonl(session, sys.stdout, runtime.settings)
        else:
            with out.open("w", encoding="utf-8") as handle:
                count = audit.export_jsonl(session, handle, runtime.settings)
    console.print(f"exported {count} entries")


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sequence what is pending and sign a checkpoint of the tree; print its note."""
    from vigil.core.runtime import Runtime
    from vigil.governance import audit

    runtime = Runtime.create()
    audit.integrate_pending(runtime, checkpoint=False)
    with runtime.unit_of_work() as session:
        cp = audit.write_checkpoint(session, runtime.settings)
        console.print(f"checkpoint of size {cp.size}, root {cp.root_hash}")
        typer.echo(cp.note, nl=False)


@audit_app.command("sequence")
def audit_sequence(
    follow: Annotated[bool, typer.Option(help="keep sequencing until interrupted")] = False,
    interval: Annotated[float, typer.Option(help="seconds between rounds")] = 1.0,
    checkpoint_every: Annotated[float, typer.Option(help="seconds between checkpoints")] = 60.0,
) -> None:
    """The sequencer: number the committed entries, grow the tree, sign a checkpoint. Only one
    runs at a time (PostgreSQL advisory lock); another returns at once having done nothing."""
    from vigil.core.runtime import Runtime
    from vigil.governance import audit

    runtime = Runtime.create()
    if not follow:
        done = audit.integrate_pending(runtime)
        with runtime.unit_of_work() as session:
            size = audit.tree_size(session)
        typer.echo(f"sequenced {done} entries; the tree holds {size}")
        return
    console.print("sequencing; Ctrl-C stops")
    try:
        audit.run_sequencer(runtime, interval_s=interval, checkpoint_every_s=checkpoint_every)
    except KeyboardInterrupt:
        audit.checkpoint_if_moved(runtime)


def _checkpointed(runtime: Runtime, size: int) -> None:
    """Make sure a checkpoint covers `size` entries, sequencing and signing if needed."""
    from vigil.governance import audit

    audit.integrate_pending(runtime)
    with runtime.unit_of_work() as session:
        latest = max((c.size for c in audit.load_checkpoints(session)), default=-1)
        if latest < max(size, audit.tree_size(session)):
            audit.write_checkpoint(session, runtime.settings)


@audit_app.command("prove")
def audit_prove(seq: Annotated[int, typer.Option(help="the entry's sequence number")]) -> None:
    """An inclusion proof of entry SEQ in the latest checkpoint, as JSON."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance import audit

    runtime = Runtime.create()
    _checkpointed(runtime, seq)
    try:
        with runtime.unit_of_work() as session:
            proof = audit.inclusion_proof(session, seq)
    except VigilError as exc:
        _fail(exc)
    typer.echo(json.dumps(proof, indent=2, ensure_ascii=False))


@audit_app.command("consistency")
def audit_consistency(
    old: Annotated[int, typer.Option("--from", min=0, help="the older tree size")],
    new: Annotated[
        int | None, typer.Option("--to", min=1, help="a checkpointed size; latest if omitted")
    ] = None,
) -> None:
    """A consistency proof that the tree of --to entries extends the one of --from, as JSON."""
    if new is not None and old > new:
        raise typer.BadParameter(f"--from {old} is past --to {new}", param_hint="'--from'")
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance import audit

    runtime = Runtime.create()
    if new is None:
        _checkpointed(runtime, old)
    try:
        with runtime.unit_of_work() as session:
            proof = audit.consistency_proof(session, old, new)
    except VigilError as exc:
        _fail(exc)
    typer.echo(json.dumps(proof, indent=2, ensure_ascii=False))


@audit_app.command("key")
def audit_key() -> None:
    """The log's verifier key (C2SP vkey), to give to witnesses and auditors."""
    from vigil.core.runtime import Runtime
    from vigil.governance import audit

    typer.echo(audit.log_verifier(Runtime.create().settings).vkey())


@audit_app.command("witness-key")
def audit_witness_key(
    key: Annotated[Path, typer.Option("--key", help="the witness key file to create")],
    name: Annotated[str, typer.Option(help="the witness's name, e.g. oversight.example/w1")],
    log_vkey: Annotated[
        str | None, typer.Option(help="the log's verifier key; this log's if omitted")
    ] = None,
) -> None:
    """Create a witness's key file (Ed25519, mode 0600); print the witness's verifier key."""
    from vigil.core.runtime import Runtime
    from vigil.governance import audit, tlog

    vkey = log_vkey or audit.log_verifier(Runtime.create().settings).vkey()
    try:
        tlog.Verifier.from_vkey(vkey)
        signer = tlog.Signer.from_seed(
            name, base64.b64decode(tlog.new_seed()), tlog.SIG_COSIGNATURE_V1
        )
    except tlog.NoteError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    state = {
        "name": name,
        "seed": base64.b64encode(signer.private_key.private_bytes_raw()).decode(),
        "log_vkey": vkey,
        "size": 0,
        "root": base64.b64encode(tlog.EMPTY_ROOT).decode(),
    }
    fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(state, handle)
    typer.echo(signer.verifier.vkey())


@audit_app.command("witness")
def audit_witness(
    key: Annotated[Path, typer.Option("--key", help="the witness key file (witness-key)")],
) -> None:
    """Cosign the latest checkpoint as a witness, after checking its signature and a
    consistency proof from the last checkpoint this witness cosigned (kept in the key file)."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.governance import audit, tlog

    stored = json.loads(key.read_text())
    witness = tlog.Signer.from_seed(
        stored["name"], base64.b64decode(stored["seed"]), tlog.SIG_COSIGNATURE_V1
    )
    state = audit.WitnessState(stored["size"], base64.b64decode(stored["root"]))
    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            state, checkpoint = audit.witness_latest(
                session, tlog.Verifier.from_vkey(stored["log_vkey"]), witness, state
            )
    except VigilError as exc:
        console.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(1) from exc
    stored.update(size=state.size, root=base64.b64encode(state.root).decode())
    replacement = key.with_name(key.name + ".new")
    fd = os.open(replacement, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(stored, handle)
    os.replace(replacement, key)
    typer.echo(f"cosigned the checkpoint of size {checkpoint.size}, root {checkpoint.root_hash}")


def retention_app(rules: Callable[[], Sequence[RetentionRule]]) -> typer.Typer:
    """`vigil retention`; `rules` is called when a command runs (the top floor passes
    `vigil.domains.retention_rules`, so this floor imports no domain)."""
    group = typer.Typer(help="Retention of personal data.", no_args_is_help=True)

    @group.command("apply")
    def retention_apply() -> None:
        """Erase or pseudonymise what is past its retention period, and audit it."""
        from vigil.core.clock import utcnow
        from vigil.core.runtime import Runtime
        from vigil.governance.access import system_context
        from vigil.governance.retention import apply_retention

        runtime = Runtime.create()
        with runtime.unit_of_work() as session:
            results = apply_retention(
                session, system_context(), rules(), runtime.settings.retention_days, utcnow()
            )
        for result in results:
            typer.echo(
                f"{result.record_type}: {result.mode} {result.affected}"
                f" (before {result.cutoff:%Y-%m-%d})"
            )

    return group
