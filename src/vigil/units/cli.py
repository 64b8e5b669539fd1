"""`vigil units ...`: the AVL subscriber. The registry's services load inside the commands."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="The unit registry: positions and travel times.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)


def _broker(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise typer.BadParameter("give the broker as HOST:PORT, e.g. 127.0.0.1:1883")
    return host, int(port)


@app.command("avl")
def avl(
    mqtt: Annotated[str, typer.Option("--mqtt", help="the MQTT broker, HOST:PORT")] = (
        "127.0.0.1:1883"
    ),
    prefix: Annotated[
        str, typer.Option("--prefix", help="topics are PREFIX/<agency id>/<unit code>")
    ] = "vigil/avl",
    max_messages: Annotated[
        int | None, typer.Option("--max-messages", min=1, help="stop after this many")
    ] = None,
) -> None:
    """Store unit positions published to PREFIX/<agency id>/<unit code> as JSON
    {"lat": .., "lon": .., "at": ".."}: idempotent by (unit, time); older fixes never move a
    unit. Stops on Ctrl-C."""
    import threading

    from vigil.core.runtime import Runtime
    from vigil.units.avl import AvlSubscriber

    host, port = _broker(mqtt)
    subscriber = AvlSubscriber(Runtime.create(), host, port, prefix.rstrip("/"))
    stop = threading.Event()
    console.print(f"listening on {host}:{port} {prefix}/#")
    try:
        stats = subscriber.run(stop, max_messages=max_messages)
    except KeyboardInterrupt:
        stop.set()
        stats = subscriber.stats
    except OSError as exc:
        console.print(f"[red]error:[/] cannot reach the broker at {host}:{port}: {exc}")
        raise typer.Exit(2) from None
    for error in stats.errors:
        console.print(f"[yellow]refused[/] {error}")
    console.print(
        f"received {stats.received}: applied {stats.applied}, stale {stats.stale}, "
        f"duplicate {stats.duplicate}, unknown unit {stats.unknown_unit}, "
        f"refused {stats.rejected}"
    )
