"""The `vigil` command: one sub-command group per domain."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil import domains
from vigil.analytics import cli as analytics_cli
from vigil.flows import infrastructure_cli, keys_cli, screening_feedback, video_cli
from vigil.governance import cli as governance_cli
from vigil.intake import cli as intake_cli
from vigil.intel.exchange import cli as intel_cli
from vigil.patrol import cli as patrol_cli
from vigil.registry import cli as registry_cli
from vigil.response import cli as response_cli
from vigil.screening import cli as screening_cli
from vigil.units import cli as units_cli

app = typer.Typer(
    help="Vigil: public-safety information under the rule of law.", no_args_is_help=True
)
app.add_typer(governance_cli.db_app, name="db")
app.add_typer(governance_cli.org_app, name="org")
app.add_typer(governance_cli.user_app, name="user")
app.add_typer(governance_cli.apikey_app, name="apikey")
app.add_typer(governance_cli.audit_app, name="audit")
app.add_typer(governance_cli.retention_app(domains.retention_rules), name="retention")
app.add_typer(intake_cli.app, name="intake")
app.add_typer(analytics_cli.app, name="analytics")
app.add_typer(intel_cli.app, name="intel")
app.add_typer(screening_cli.app, name="screen")
app.add_typer(screening_feedback.app, name="screening")
app.add_typer(units_cli.app, name="units")
app.add_typer(response_cli.app, name="response")
app.add_typer(infrastructure_cli.app, name="infrastructure")
app.add_typer(patrol_cli.app, name="patrol")
app.add_typer(video_cli.app, name="video")
app.add_typer(keys_cli.app, name="keys")
app.command("resolve")(registry_cli.resolve)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    reload: Annotated[bool, typer.Option(help="reload on code changes")] = False,
    log_file: Annotated[
        str | None,
        typer.Option(
            help="server log file (default vigil-server.log or VIGIL_LOG_FILE; - for stderr)"
        ),
    ] = None,
) -> None:
    """Serve the API (docs at /docs)."""
    import os

    import uvicorn

    from vigil.demo.scenario import announce_log_file, server_log_file

    log_to = server_log_file(log_file, "vigil-server.log")
    announce_log_file(log_to)
    os.environ["VIGIL_LOG_FILE"] = log_to  # read by the app's settings in this process
    print(f"Serving on http://{host}:{port} (Ctrl-C to stop)")
    uvicorn.run(
        "vigil.api.main:app", host=host, port=port, reload=reload, log_config=None, access_log=False
    )


pipeline_app = typer.Typer(help="The outbox worker: intake → registry → screening → alerts.")
app.add_typer(pipeline_app, name="pipeline")


@pipeline_app.command("run")
def pipeline_run(
    once: Annotated[
        bool, typer.Option(help="drain the outbox until no event is pending, then exit")
    ] = False,
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="events per transaction")] = 500,
    jetstream: Annotated[
        bool, typer.Option(help="consume the events `vigil pipeline relay` publishes to NATS")
    ] = False,
    servers: Annotated[
        str, typer.Option(help="NATS server URL(s), comma-separated (with --jetstream)")
    ] = "nats://127.0.0.1:4222",
    ack_wait: Annotated[
        float,
        typer.Option(min=1, help="seconds before JetStream redelivers an unacked batch"),
    ] = 30.0,
) -> None:
    """Run the worker as its own process (several may run at once)."""
    import threading

    from vigil import pipeline
    from vigil.core.runtime import Runtime
    from vigil.intake import outbox

    runtime = Runtime.create()
    if jetstream:
        import asyncio

        from vigil import pipeline_stream

        stats = asyncio.run(
            pipeline_stream.consume(
                runtime,
                servers,
                batch=batch,
                ack_wait_s=ack_wait,
                idle_exit_s=2.0 if once else None,
            )
        )
        typer.echo(
            f"{stats.messages} messages, {stats.processed} events processed, "
            f"{stats.alerts} alerts, {stats.failed} failed"
        )
        if stats.split_batches:
            typer.echo(
                f"{stats.split_batches} batches failed whole and were run one event at a time "
                "(slow): the log says why",
                err=True,
            )
        return
    if once:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with runtime.unit_of_work() as session:
            pending = outbox.pending_count(session)
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),  # the counts below go to stdout
        ) as progress:
            task = progress.add_task("events", total=pending)
            report = pipeline.drain(
                runtime, batch=batch, on_batch=lambda r: progress.advance(task, r.events)
            )
        with runtime.unit_of_work() as session:
            left_failed = outbox.failed_count(session)
            left_pending = outbox.pending_count(session)
        typer.echo(
            f"{report.events} events, {report.persons_linked} person links, "
            f"{len(report.alerts)} alerts, {report.failed} failed in this run; "
            f"{left_pending} pending and {left_failed} failed in the outbox"
        )
        if report.split_batches:
            typer.echo(
                f"{report.split_batches} batches failed whole and were run one event at a time "
                "(slow): the log says why",
                err=True,
            )
        if left_failed or report.failed:
            typer.echo(
                f"{report.failed} events failed in this run (retried after a backoff); "
                f"{left_failed} are dead-lettered",
                err=True,
            )
            raise typer.Exit(1)
        return
    stop = threading.Event()
    try:
        pipeline.run_forever(runtime, stop, batch=batch)
    except KeyboardInterrupt:
        stop.set()


@pipeline_app.command("status")
def pipeline_status() -> None:
    """Registrations stored and not yet screened, and dead-lettered events; exits 1 when an
    event is dead-lettered (an operator must act)."""
    from vigil.core.runtime import Runtime
    from vigil.intake import outbox

    with Runtime.create().unit_of_work() as session:
        health = outbox.health(session)
    typer.echo(
        f"{health.unscreened} unscreened registrations: {health.pending} pending "
        f"({health.retrying} retrying after a failure), {health.dead_lettered} dead-lettered"
    )
    if health.dead_lettered:
        typer.echo(f"ALERT: {health.dead_lettered} registrations were never screened", err=True)
        raise typer.Exit(1)


@pipeline_app.command("relay")
def pipeline_relay(
    once: Annotated[bool, typer.Option(help="relay what is pending, then exit")] = False,
    servers: Annotated[
        str, typer.Option(help="NATS server URL(s), comma-separated")
    ] = "nats://127.0.0.1:4222",
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="events per transaction")] = 500,
    replicas: Annotated[
        int, typer.Option(min=1, max=5, help="stream replicas, if the relay creates it")
    ] = 1,
) -> None:
    """Publish outbox events to NATS JetStream for `vigil pipeline run --jetstream` workers."""
    import asyncio

    from vigil import pipeline_stream
    from vigil.core.runtime import Runtime

    stats = asyncio.run(
        pipeline_stream.relay(Runtime.create(), servers, batch=batch, once=once, replicas=replicas)
    )
    typer.echo(f"{stats.published} events relayed")


@app.command()
def demo(
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="serve the API afterwards")
    ] = True,
    host: str = "127.0.0.1",
    port: int = 8000,
    log_file: Annotated[
        str | None,
        typer.Option(
            help="server log file (default vigil-demo.log or VIGIL_LOG_FILE; - for stderr)"
        ),
    ] = None,
) -> None:
    """Build the demo city on the embedded database, then serve it."""
    from vigil.demo.scenario import run_demo

    run_demo(serve_api=serve_api, host=host, port=port, log_file=log_file)


def _missing_schema(error: Exception) -> bool:
    """A database error that means Vigil's tables are not there (not yet migrated)."""
    text = str(error).lower()
    return type(error).__module__.startswith("sqlalchemy") and (
        "no such table" in text or ("relation" in text and "does not exist" in text)
    )


def main() -> None:
    """The `vigil` command. A database without Vigil's schema or its keys, and a file that
    cannot be read or written, get a sentence, not a traceback."""
    from vigil.core.settings import KeyFileMissing

    try:
        app()
    except KeyFileMissing as error:
        typer.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
    except OSError as error:  # a file that cannot be read or written, a host not reached
        where = f"{error.filename}: " if error.filename else ""
        typer.echo(f"error: {where}{error.strerror or error}", err=True)
        raise SystemExit(2) from None
    except Exception as error:
        if not _missing_schema(error):
            raise
        typer.echo(
            "error: this database has no Vigil schema yet (or an older one); "
            "run `vigil db upgrade` first",
            err=True,
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
