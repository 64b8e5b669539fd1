"""`vigil intel pull|push`: TAXII 2.1 with a partner's server, acting as a named user.
Storage, stix2 and taxii2-client are imported inside the commands (`vigil --help` stays
light)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from vigil.governance.roles import Purpose

if TYPE_CHECKING:
    from vigil.core.runtime import Runtime
    from vigil.governance.access import AccessContext

console = Console(stderr=True, soft_wrap=True)

ServerOpt = Annotated[
    str,
    typer.Option(
        "--server",
        help="the partner's TAXII API root URL (https://x/api1/) or discovery URL "
        "(https://x/taxii2/: its default API root, or the one --api-root names)",
    ),
]
ApiRootOpt = Annotated[
    str | None,
    typer.Option(
        "--api-root",
        help="with a discovery URL: which of its API roots, by URL or last path part (api1)",
    ),
]
CollectionOpt = Annotated[str, typer.Option("--collection", help="the remote collection id")]
AsUser = Annotated[str, typer.Option("--as", help="the Vigil user the command acts as")]
BasisOpt = Annotated[
    str, typer.Option("--legal-basis", help="the sharing agreement with the partner: agreement:N")
]
UserOpt = Annotated[
    str | None, typer.Option("--user", help="user name on the partner's server (HTTP Basic)")
]
KeyOpt = Annotated[
    str | None,
    typer.Option("--key", envvar="VIGIL_TAXII_KEY", help="password or key on the partner's server"),
]


@contextmanager
def _exchange(
    runtime: Runtime, ctx: AccessContext, what: str, doing: str
) -> Iterator[Callable[[str], None]]:
    """A spinner saying `doing` (the body may say more) while the body talks to the partner's
    server. The server's errors end the command with 1; a refusal here is audited as `what`
    and ends it with 2."""
    from vigil.core.errors import VigilError
    from vigil.intel.exchange.cli import _refused
    from vigil.intel.exchange.taxii_client import RemoteError

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task(doing, total=None)
        try:
            yield lambda description: bar.update(task, description=description)
        except RemoteError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
        except VigilError as exc:
            _refused(runtime, ctx, what, exc)
            raise


def pull(
    server: ServerOpt,
    collection: CollectionOpt,
    as_user: AsUser,
    legal_basis: BasisOpt,
    api_root: ApiRootOpt = None,
    user: UserOpt = None,
    key: KeyOpt = None,
    page_size: Annotated[int, typer.Option(min=1, max=1000, help="objects per request")] = 100,
    purpose: Annotated[str, typer.Option(help="purpose of the read")] = Purpose.INVESTIGATION.value,
) -> None:
    """Pull a partner's TAXII 2.1 collection: only what was added since the last pull (Vigil
    remembers the server's date per collection), imported as clues through the same import as
    `vigil intel import`, with its report. Server errors are retried with backoff.

    Example: vigil intel pull --server https://cert.example/taxii2/api/ --collection
    1f2e... --as analyst --legal-basis agreement:3 --user vigil --key $KEY
    (or --server https://cert.example/taxii2/, its discovery: its default API root)"""
    from vigil.core.runtime import Runtime
    from vigil.intel.exchange.cli import _context, print_import_report
    from vigil.intel.exchange.taxii_client import pull as pull_collection

    runtime = Runtime.create()
    ctx = _context(runtime, as_user, purpose, legal_basis)
    with _exchange(runtime, ctx, "intel pull", "pulling") as say:

        def progress(pages: int, objects: int) -> None:
            say(f"pulled {objects} objects in {pages} pages")

        result = pull_collection(
            runtime,
            ctx,
            server,
            collection,
            api_root=api_root,
            user=user,
            password=key,
            per_request=page_size,
            progress=progress,
        )
    for line in result.retries:
        console.print(line)
    console.print(f"API root {result.api_root}", markup=False, highlight=False)
    since = f" added after {result.added_after}" if result.added_after else ""
    console.print(f"{result.objects} objects{since} in {result.pages} pages")
    print_import_report(result.report)
    console.print(
        f"imported {result.report['imported']} clues, merged {result.report['merged']}, "
        f"skipped {result.report['skipped']}; next pull asks for objects added after "
        f"{result.now_after or 'the beginning'}"
    )


def push(
    server: ServerOpt,
    collection: CollectionOpt,
    case: Annotated[int, typer.Option("--case", help="push this case's shareable clues")],
    as_user: AsUser,
    legal_basis: BasisOpt,
    api_root: ApiRootOpt = None,
    user: UserOpt = None,
    key: KeyOpt = None,
    purpose: Annotated[str, typer.Option(help="purpose of the read")] = Purpose.INVESTIGATION.value,
) -> None:
    """Push a case's shareable clues to a partner's TAXII 2.1 collection, under the sharing
    agreement with that partner: your agency's clues up to the agreement's marking and anyone's
    TLP:CLEAR; never TLP:RED. Each clue sent is audited as a disclosure to the partner.

    Example: vigil intel push --server https://cert.example/taxii2/api/ --collection 1f2e...
    --case 12 --as analyst --legal-basis agreement:3 --user vigil --key $KEY"""
    from vigil.core.runtime import Runtime
    from vigil.intel.exchange.cli import _context
    from vigil.intel.exchange.taxii_client import push as push_case

    runtime = Runtime.create()
    ctx = _context(runtime, as_user, purpose, legal_basis)
    with _exchange(runtime, ctx, "intel push", f"pushing case {case}"):
        result = push_case(
            runtime, ctx, server, collection, case, api_root=api_root, user=user, password=key
        )
    for line in result.retries:
        console.print(line)
    for why, n in result.withheld.items():
        console.print(f"withheld {n} clues: {why}", markup=False, highlight=False)
    status = result.status
    console.print(
        f"pushed {result.pushed} clues ({result.objects} STIX objects); the server took "
        f"{status.get('success_count', 0)}, refused {status.get('failure_count', 0)}, "
        f"pending {status.get('pending_count', 0)} (status {status.get('id', '-')})"
    )
