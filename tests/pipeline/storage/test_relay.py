"""The outbox relay on one nats-server: every pending event reaches the stream once, a
relay that died between publishing and marking publishes again without a duplicate in the
stream, and a worker then processes every event."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.intake.samples import sample
from tests.pipeline.storage.test_jetstream_cluster import free_port
from tests.world import World, build_world
from vigil import pipeline_stream
from vigil.core.runtime import Runtime
from vigil.intake.models import OutboxEvent
from vigil.intake.stream import nats_server_binary

pytestmark = pytest.mark.storage


@pytest.fixture
def nats_url(tmp_path: Path) -> Iterator[str]:
    try:
        binary = nats_server_binary()
    except RuntimeError as exc:
        pytest.fail(f"the relay test needs nats-server: {exc}")
    port = free_port()
    command = [binary, "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(tmp_path / "js")]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"nats://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while asyncio.run(_stream_messages(url)) is None:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("nats-server did not start")
        time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


async def _stream_messages(url: str) -> int | None:
    """Messages in the events stream (created if absent); None while the server is down."""
    try:
        nc = await asyncio.wait_for(pipeline_stream.connect(url), 2)
    except Exception:
        return None
    try:
        js = nc.jetstream()
        await pipeline_stream.ensure_stream(js)
        return int((await js.stream_info(pipeline_stream.STREAM)).state.messages)
    finally:
        await nc.close()


def relay_once(runtime: Runtime, url: str) -> int:
    return asyncio.run(pipeline_stream.relay(runtime, url, once=True, batch=4)).published


def file_hotel_stays(runtime: Runtime, count: int) -> None:
    """`count` hotel stays filed in one request: `count` pending events in the outbox."""
    world: World = build_world(runtime)
    response = world.client.post(
        "/v1/intake/hotel",
        json=[sample("hotel", n) for n in range(count)],
        headers={"X-API-Key": world.api_keys["hotel_key"], "Idempotency-Key": "stays"},
    )
    assert response.status_code == 202, response.text


def test_relay_resumes_without_losing_or_doubling_an_event(runtime: Runtime, nats_url: str) -> None:
    file_hotel_stays(runtime, 10)
    assert relay_once(runtime, nats_url) == 10
    assert relay_once(runtime, nats_url) == 0  # all marked: nothing again
    assert asyncio.run(_stream_messages(nats_url)) == 10

    # A relay that died after publishing 3 and 7 but before marking them; or 3 committed
    # after the relay had passed it: either way they are unmarked and pending.
    with runtime.unit_of_work() as session:
        ids = list(session.scalars(select(OutboxEvent.id).order_by(OutboxEvent.id)))
        session.execute(
            update(OutboxEvent).where(OutboxEvent.id.in_([ids[3], ids[7]])).values(relayed_at=None)
        )
    assert relay_once(runtime, nats_url) == 2
    assert asyncio.run(_stream_messages(nats_url)) == 10  # the stream dropped the copies

    stats = asyncio.run(pipeline_stream.consume(runtime, nats_url, batch=4, idle_exit_s=1))
    assert (stats.messages, stats.processed, stats.failed) == (10, 10, 0)
    assert asyncio.run(_stream_messages(nats_url)) == 0  # a work queue: acked means gone
    with runtime.unit_of_work() as session:
        statuses = set(session.scalars(select(OutboxEvent.status)))
    assert statuses == {"done"}


def test_the_stream_worker_counts_batches_that_failed_whole(
    runtime: Runtime, nats_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vigil import pipeline
    from vigil.intake.events import RegistrationFiled

    def fails_on_more_than_one(session, ctx, events, batch) -> None:
        if len(events) > 1:  # a defect only a batch meets
            raise RuntimeError("a batch of several events fails")

    handlers = [*pipeline.HANDLERS[RegistrationFiled], fails_on_more_than_one]
    monkeypatch.setitem(pipeline.HANDLERS, RegistrationFiled, handlers)
    file_hotel_stays(runtime, 6)
    assert relay_once(runtime, nats_url) == 6
    stats = asyncio.run(pipeline_stream.consume(runtime, nats_url, batch=6, idle_exit_s=1))
    assert (stats.processed, stats.failed) == (6, 0)  # every event still went through
    assert stats.split_batches >= 1
    with runtime.unit_of_work() as session:
        assert set(session.scalars(select(OutboxEvent.status))) == {"done"}
