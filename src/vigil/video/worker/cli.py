"""`vigil video watch|export-config|render-clip|check-no-identification`: the analytics
worker's commands. Heavy imports stay inside the commands so that `vigil --help` stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from vigil.video.worker.config import WorkerConfig

app = typer.Typer(
    help="The built-in video analytics worker (counts places, never identifies anyone).",
    no_args_is_help=True,
)


@app.command()
def watch(
    source: Annotated[str, typer.Argument(help="a video file or an rtsp:// URL")],
    config: Annotated[
        Path | None, typer.Option(help="the worker configuration, YAML or JSON")
    ] = None,
    camera: Annotated[
        str | None,
        typer.Option(help="instead of --config: this camera's configuration, from the database"),
    ] = None,
    org: Annotated[str | None, typer.Option(help="with --camera: its agency (name or id)")] = None,
    events: Annotated[Path | None, typer.Option(help="append events to this JSONL file")] = None,
    webhook: Annotated[str | None, typer.Option(help="POST events to this URL")] = None,
    ledger: Annotated[Path | None, typer.Option(help="delivered ids for the webhook")] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            envvar="VIGIL_VIDEO_SOURCE_KEY",
            help="with --webhook: the camera owner's API key (an agency's video source key),"
            " sent as X-API-Key; best given in the environment",
            show_default=False,
        ),
    ] = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="resume from and save to this file")
    ] = None,
    snapshots: Annotated[Path | None, typer.Option(help="write blurred snapshots here")] = None,
    gate: Annotated[str, typer.Option(help="motion | every_frame | motion_only")] = "motion",
) -> None:
    """Analyse a video: motion first, detection where motion is, tracking, rules, events.
    The zones, lines and rules come from a file (--config) or, as edited in the console, from
    the camera's entry in the database (--camera with --org)."""
    from vigil.video.worker.config import load_config
    from vigil.video.worker.runner import Worker
    from vigil.video.worker.sinks import JsonlSink, Sink, WebhookSink
    from vigil.video.worker.source import frames

    if (events is None) == (webhook is None):
        raise typer.BadParameter("give exactly one of --events or --webhook")
    if gate not in ("motion", "every_frame", "motion_only"):
        raise typer.BadParameter("gate is motion, every_frame or motion_only", param_hint="--gate")
    if (config is None) == (camera is None):
        raise typer.BadParameter("give exactly one of --config or --camera")
    if config is not None:
        settings = load_config(config)
    else:
        assert camera is not None
        if org is None:
            raise typer.BadParameter("--camera needs --org", param_hint="--org")
        settings = stored_config(camera, org)
    sink: Sink
    if events is not None:
        sink = JsonlSink(events)
    else:
        assert webhook is not None
        sink = WebhookSink(
            webhook,
            ledger or Path(f"{settings.camera}.delivered.jsonl"),
            headers={"X-API-Key": api_key} if api_key else None,
        )
    worker = Worker(settings, sink, checkpoint=checkpoint, snapshot_dir=snapshots, gate=gate)  # type: ignore[arg-type]
    try:
        stats = worker.run(lambda start: frames(source, start))
    finally:
        sink.close()
    typer.echo(
        f"frames {stats.frames} (resumed at {stats.resumed_from}), detector calls "
        f"{stats.detector_calls}, events {stats.emitted}, already delivered {stats.duplicates}"
    )


def stored_config(camera: str, org: str) -> WorkerConfig:
    """The camera's worker configuration as stored from the console (`vigil db` database)."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.video import service

    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            ctx = service.agency_context(session, org)
            return service.worker_config_of(service.camera_by_code(session, ctx, camera))
    except VigilError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.engine.dispose()


@app.command("export-config")
def export_config(
    camera: Annotated[str, typer.Argument(help="the camera's code")],
    org: Annotated[str, typer.Option("--org", help="its agency (name or id)")],
    out: Annotated[Path | None, typer.Option(help="write here; default: print it")] = None,
) -> None:
    """The camera's zones, lines and rules as edited in the console, with its masks in
    pixels: the file `vigil video watch --config` reads."""
    text = stored_config(camera, org).model_dump_json(indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}")


@app.command("render-clip")
def render_clip(
    out: Annotated[Path, typer.Argument(help="the clip to write (.mkv, lossless FFV1)")],
    view: Annotated[str, typer.Option(help="street | plaza")] = "street",
    frames: Annotated[int, typer.Option(min=10)] = 300,
    seed: Annotated[int, typer.Option()] = 0,
    width: Annotated[int, typer.Option(min=64)] = 640,
    height: Annotated[int, typer.Option(min=64)] = 360,
    config_out: Annotated[
        Path | None, typer.Option(help="write the scene's worker config here")
    ] = None,
) -> None:
    """Render a deterministic test clip with people and vehicles (and its configuration)."""
    from vigil.video.worker.source import write_clip
    from vigil.video.worker.synth import render

    if view not in ("street", "plaza"):
        raise typer.BadParameter("view is street or plaza", param_hint="--view")
    clip = render(view, frames=frames, seed=seed, width=width, height=height)  # type: ignore[arg-type]
    write_clip(out, clip.frames, clip.config.fps)
    if config_out is not None:
        config_out.write_text(clip.config.model_dump_json(indent=2), encoding="utf-8")
    typer.echo(f"wrote {out} ({frames} frames)")


@app.command("check-no-identification")
def check_no_identification() -> None:
    """Fail when a face-recognition or re-identification package or model is installed."""
    from vigil.video.worker.no_identification import installed_findings

    findings = installed_findings()
    for finding in findings:
        typer.echo(f"{finding.where}: {finding.what}", err=True)
    if findings:
        raise typer.Exit(1)
    typer.echo("no identification package or model installed")


if __name__ == "__main__":
    app()
