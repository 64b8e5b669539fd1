"""`vigil keys begin|rotate|finish`: rotating the identity-number keys without downtime
(the steps are in `vigil.flows.rekey`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Identity-number keys: rotation without downtime.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)


@app.command("begin")
def keys_begin() -> None:
    """New identity keys in the key file; the old ones stay valid as the previous keys.
    Restart the servers afterwards, then run `vigil keys rotate`."""
    from vigil.core.settings import begin_key_rotation, get_settings

    settings = get_settings()
    try:
        begin_key_rotation(settings.key_file)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"new identity keys in {settings.key_file}; restart the servers, then rotate")


def _rotate(batch: int) -> int:
    from rich.progress import Progress, TaskID

    from vigil.core.runtime import Runtime
    from vigil.flows import rekey

    runtime = Runtime.create()
    if not runtime.vault.rotating:
        console.print("no rotation under way (no previous keys): nothing to re-key")
        return 0
    with Progress(console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(store: str, read: int, changed: int) -> None:
            if store not in tasks:
                tasks[store] = bar.add_task(store, total=None)
            bar.update(tasks[store], completed=read, description=f"{store}: {changed} re-keyed")

        report = rekey.rotate(runtime, batch=batch, progress=progress)
    for store, changed in report.changed.items():
        console.print(f"{store}: {changed} re-keyed")
    return report.total_changed


@app.command("rotate")
def keys_rotate(
    batch: Annotated[int, typer.Option(min=1, max=50_000, help="rows per transaction")] = 2000,
) -> None:
    """Re-key every stored value the new keys do not open yet, in batches, while the
    servers go on; stop it and run it again at will."""
    changed = _rotate(batch)
    typer.echo(f"{changed} values re-keyed")


@app.command("finish")
def keys_finish(
    batch: Annotated[int, typer.Option(min=1, max=50_000, help="rows per transaction")] = 2000,
) -> None:
    """A last pass, then the previous keys leave the key file. Restart the servers after."""
    from vigil.core.settings import finish_key_rotation, get_settings

    _rotate(batch)
    settings = get_settings()
    if not finish_key_rotation(settings.key_file):
        console.print(
            "no previous keys in the key file: unset VIGIL_ID_*_KEY_PREVIOUS if you set them"
        )
        return
    typer.echo("rotation finished: the previous keys are gone; restart the servers")
