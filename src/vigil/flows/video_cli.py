"""The `vigil video` commands that ingest events (they raise alerts, so they sit on the flow
floor): `listen` (Frigate over MQTT), `import-events` (generic JSONL, Frigate's event API
JSON, ONVIF XML/JSON) and `poll-frigate` (Frigate's HTTP event API). The registry's own
commands come from `vigil.video.cli`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from vigil.video.cli import app, console, fail, output

__all__ = ["app"]


@app.command("listen")
def listen(
    api_key: Annotated[
        str,
        typer.Option(
            envvar="VIGIL_VIDEO_SOURCE_KEY",
            help="the video source's API key (vigil apikey create --org AGENCY): only that "
            "organisation's cameras are taken, events for others are refused",
        ),
    ],
    mqtt: Annotated[str, typer.Option("--mqtt", help="broker host[:port]")] = "127.0.0.1:1883",
    topic: Annotated[str, typer.Option(help="Frigate's events topic")] = "frigate/events",
    client_id: Annotated[str, typer.Option(help="a stable id keeps the session")] = "vigil-video",
    max_messages: Annotated[int | None, typer.Option(min=1, help="stop after N")] = None,
    idle_timeout: Annotated[float | None, typer.Option(min=0.1, help="stop when idle (s)")] = None,
    keep_session: Annotated[
        bool, typer.Option(help="the broker keeps messages for the client id while it is down")
    ] = True,
) -> None:
    """Frigate MQTT events → video events → alerts, each message acknowledged after commit,
    for the cameras of the API key's organisation only."""
    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.flows.video_events import ListenTally, frigate_message_handler
    from vigil.governance import service as governance
    from vigil.video.mqtt import MqttSubscriber, parse_broker

    try:
        host, port = parse_broker(mqtt)
    except ValueError as error:
        fail(error)
    runtime = Runtime.create()
    try:
        with runtime.unit_of_work() as session:
            source = governance.context_for_api_key(session, api_key)
    except VigilError as error:
        fail(error)
    tally = ListenTally()
    subscriber = MqttSubscriber(
        host, port, topic=topic, client_id=client_id, clean_session=not keep_session
    )
    console.print(
        f"listening on mqtt://{host}:{port}/{topic} for {source.organisation_name}'s cameras"
    )
    try:
        subscriber.run(
            frigate_message_handler(runtime, api_key, tally),
            max_messages=max_messages,
            idle_timeout_s=idle_timeout,
        )
    except KeyboardInterrupt:
        pass
    except OSError as error:
        fail(error)
    output.print(
        f"{tally.messages} messages: {tally.stored} events stored, {tally.duplicates} known, "
        f"{tally.alerts} alerts, {tally.rejected} rejected, {tally.refused} refused "
        "(cameras not the key's organisation's)"
    )
    for problem in tally.problems[:20]:
        console.print(f"[yellow]{problem}[/]")


@app.command("import-events")
def import_events(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    fmt: Annotated[
        Literal["generic", "frigate", "onvif"],
        typer.Option("--format", help="generic JSONL, Frigate /api/events JSON, ONVIF"),
    ] = "generic",
    camera: Annotated[str | None, typer.Option(help="the camera (ONVIF only)")] = None,
) -> None:
    """Import video events: all of the file, or none (every bad field is named)."""
    from vigil.core.errors import FieldError, ValidationFailed, VigilError
    from vigil.core.runtime import Runtime
    from vigil.flows.video_events import events_from_jsonl, ingest_video_events
    from vigil.governance.access import system_context
    from vigil.video.ingest import frigate, onvif

    try:
        if fmt == "generic":
            events = events_from_jsonl(path)
        elif fmt == "frigate":
            events = frigate.parse_api_events(path.read_bytes())
        else:
            if not camera:
                raise ValidationFailed("which camera?", [FieldError("camera", "give --camera")])
            events = onvif.parse_events(path.read_bytes(), camera)
        runtime = Runtime.create()
        with runtime.unit_of_work() as session:
            result = ingest_video_events(session, system_context(), events)
    except (frigate.FrigateFormatError, onvif.OnvifFormatError) as error:
        fail(error)
    except VigilError as error:
        for problem in error.errors[:20]:
            console.print(f"[yellow]{problem.loc}[/] {problem.message}")
        fail(error)
    output.print(
        f"{result.received} events: {result.stored} stored, {result.duplicates} known, "
        f"{result.ended} ended, {result.alerts} alerts"
    )


@app.command("poll-frigate")
def poll_frigate(
    url: Annotated[str, typer.Option(help="Frigate's base URL, e.g. http://frigate:5000")],
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
) -> None:
    """Fetch Frigate's recent events from its HTTP API (`/api/events`) and ingest them."""
    import httpx

    from vigil.core.errors import VigilError
    from vigil.core.runtime import Runtime
    from vigil.flows.video_events import ingest_video_events
    from vigil.governance.access import system_context
    from vigil.video.ingest import frigate

    try:
        response = httpx.get(f"{url.rstrip('/')}/api/events", params={"limit": limit}, timeout=30)
        response.raise_for_status()
        events = frigate.parse_api_events(response.content)
        runtime = Runtime.create()
        with runtime.unit_of_work() as session:
            result = ingest_video_events(session, system_context(), events)
    except (httpx.HTTPError, frigate.FrigateFormatError, VigilError) as error:
        fail(error)
    output.print(f"{result.received} events: {result.stored} stored, {result.alerts} alerts")
