"""The outbox over NATS JetStream: a relay publishes outbox events to a stream, and pipeline
workers on any number of machines consume it through one durable pull consumer.

- The relay publishes each pending event once JetStream has to know of it, on subject
  `vigil.events.<kind>` with header `Nats-Msg-Id` = the event id, so the stream drops a copy
  published again within its duplicate window. It marks the event relayed (`relayed_at`) only
  after JetStream acknowledged it: a relay killed in between publishes it again on restart,
  and loses nothing.
- A worker fetches a batch, processes exactly those events in one transaction
  (`pipeline.process_events`, which skips events already done), and acks after the commit.
  A worker killed before its ack has its messages redelivered after `ack_wait`; processing
  them again finds them done and changes nothing.

Messages carry the event id, kind and sector only: no personal data leaves the database."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vigil import pipeline
from vigil.core.logging import get_logger
from vigil.core.runtime import Runtime
from vigil.intake import outbox

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.js.client import JetStreamContext

log = get_logger("vigil.pipeline.stream")
STREAM = "VIGIL_EVENTS"
SUBJECT_PREFIX = "vigil.events"
DURABLE = "vigil-pipeline"
DEFAULT_SERVERS = "nats://127.0.0.1:4222"
DUPLICATE_WINDOW_S = 120.0
MAX_ACK_PENDING = 20_000  # fetched and not yet acked, across every worker


def subject_for(kind: str) -> str:
    """`vigil.events.<kind>`, the kind's dots kept as subject tokens and anything a subject
    token cannot hold replaced."""
    tokens = [re.sub(r"[^A-Za-z0-9_-]", "_", t) or "_" for t in kind.split(".")]
    return ".".join([SUBJECT_PREFIX, *tokens])


def event_message(event_id: int, kind: str, sector: str) -> tuple[str, bytes, dict[str, str]]:
    """(subject, body, headers) of one outbox event."""
    body = json.dumps({"event_id": event_id, "kind": kind, "sector": sector}).encode()
    return subject_for(kind), body, {"Nats-Msg-Id": str(event_id)}


def event_id_of(body: bytes) -> int | None:
    try:
        value = json.loads(body)["event_id"]
    except (ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def connect(servers: str) -> Client:
    """A client that keeps reconnecting to whichever of `servers` (comma-separated) is up."""
    import nats

    async def error(exc: Exception) -> None:  # one line, not nats-py's traceback
        log.warning("nats", error=type(exc).__name__)

    async def disconnected() -> None:  # also on a close of our own
        log.info("nats disconnected")

    async def reconnected() -> None:
        log.info("nats reconnected")

    return await nats.connect(
        servers=[s.strip() for s in servers.split(",") if s.strip()],
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
        error_cb=error,
        disconnected_cb=disconnected,
        reconnected_cb=reconnected,
    )


async def _close(nc: Client) -> None:
    """Flush what is buffered (acks), then close; no drain, which waits on the pull
    subscription's open request."""
    with contextlib.suppress(Exception):
        await nc.flush(timeout=2)
    with contextlib.suppress(Exception):
        await nc.close()


async def ensure_stream(js: JetStreamContext, replicas: int = 1) -> None:
    """Create the work-queue stream unless it exists (then it is used as configured)."""
    from nats.js.api import RetentionPolicy, StorageType, StreamConfig
    from nats.js.errors import BadRequestError

    config = StreamConfig(
        name=STREAM,
        subjects=[f"{SUBJECT_PREFIX}.>"],
        retention=RetentionPolicy.WORK_QUEUE,
        storage=StorageType.FILE,
        num_replicas=replicas,
        duplicate_window=DUPLICATE_WINDOW_S,
    )
    try:
        await js.add_stream(config)
    except BadRequestError as exc:  # 10058: exists with another configuration
        if exc.err_code != 10058:
            raise


async def _retry(what: str, attempt: Callable[[], Any], stop: asyncio.Event) -> Any:
    """Retry a JetStream call while the cluster elects a leader or a node is down."""
    delay = 0.2
    while True:
        try:
            return await attempt()
        except Exception as exc:
            if stop.is_set():
                raise
            log.warning("jetstream not ready", step=what, error=type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, 2.0)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


# The relay


@dataclass
class RelayStats:
    published: int = 0
    failed: int = 0


async def _publish(
    js: JetStreamContext, rows: Sequence[tuple[int, str, str]], timeout: float
) -> list[int]:
    """Publish the rows in order (without waiting for each ack before the next); the ids that
    JetStream acknowledged, a duplicate included."""

    async def one(row: tuple[int, str, str]) -> int | str:
        subject, body, headers = event_message(*row)
        try:
            await js.publish(subject, body, timeout=timeout, headers=headers)
        except Exception as exc:
            return type(exc).__name__
        return row[0]

    results = await asyncio.gather(*(one(row) for row in rows))
    errors = [r for r in results if isinstance(r, str)]
    if errors:  # left unmarked: the next batch publishes them again
        log.warning("relay publish failed", events=len(errors), error=errors[0])
    return [r for r in results if isinstance(r, int)]


def _relay_batch(
    runtime: Runtime,
    loop: asyncio.AbstractEventLoop,
    js: JetStreamContext,
    batch: int,
    timeout: float,
) -> tuple[int, int]:
    """One transaction: lock unrelayed events, publish them, mark the acknowledged ones.
    Runs in a thread; the publishing runs on the event loop. Returns (published, failed)."""
    with runtime.unit_of_work() as session:
        rows = outbox.claim_unrelayed(session, batch)
        if not rows:
            return 0, 0
        acked = asyncio.run_coroutine_threadsafe(_publish(js, rows, timeout), loop).result()
        outbox.mark_relayed(session, acked)
    return len(acked), len(rows) - len(acked)


async def relay(
    runtime: Runtime,
    servers: str = DEFAULT_SERVERS,
    *,
    batch: int = 500,
    once: bool = False,
    replicas: int = 1,
    idle_sleep_s: float = 0.2,
    publish_timeout_s: float = 5.0,
    stop: asyncio.Event | None = None,
) -> RelayStats:
    """Publish pending outbox events until stopped (or, with `once`, until none is left)."""
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    stats = RelayStats()
    nc = await connect(servers)
    try:
        js = nc.jetstream()
        await _retry("stream", lambda: ensure_stream(js, replicas), stop)
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            try:
                published, failed = await asyncio.to_thread(
                    _relay_batch, runtime, loop, js, batch, publish_timeout_s
                )
            except Exception as exc:  # the database is away: retry
                log.error("relay batch failed", error=type(exc).__name__)
                published, failed = 0, 1
            stats.published += published
            stats.failed += failed
            if published:
                log.info("relayed", events=published, total=stats.published)
            if failed:
                await asyncio.sleep(0.5)  # a node is down or a leader is being elected
            elif published < batch:
                if once:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle_sleep_s)
    finally:
        await _close(nc)
    return stats


# The workers


@dataclass
class WorkerStats:
    messages: int = 0
    processed: int = 0  # events this worker processed (redeliveries of done ones not counted)
    alerts: int = 0
    failed: int = 0
    split_batches: int = 0  # failed whole and run again one event at a time (a defect)


async def _ensure_consumer(js: JetStreamContext, durable: str, ack_wait_s: float) -> None:
    from nats.js.api import AckPolicy, ConsumerConfig
    from nats.js.errors import BadRequestError

    config = ConsumerConfig(
        durable_name=durable,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=ack_wait_s,
        max_ack_pending=MAX_ACK_PENDING,
        filter_subject=f"{SUBJECT_PREFIX}.>",
    )
    try:
        await js.add_consumer(STREAM, config)
    except BadRequestError as exc:  # exists with another configuration: use it as it is
        log.info("consumer kept as configured", consumer=durable, error=exc.description)


async def consume(
    runtime: Runtime,
    servers: str = DEFAULT_SERVERS,
    *,
    batch: int = 50,
    durable: str = DURABLE,
    ack_wait_s: float = 30.0,
    idle_exit_s: float | None = None,
    stop: asyncio.Event | None = None,
) -> WorkerStats:
    """Fetch, process, commit, ack, until stopped (or idle for `idle_exit_s` with nothing
    pending or unacknowledged)."""
    from nats.errors import TimeoutError as NatsTimeout

    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    stats = WorkerStats()
    nc = await connect(servers)
    try:
        js = nc.jetstream()
        # the relay creates the stream, with the replicas the operator chose
        await _retry("stream", lambda: js.stream_info(STREAM), stop)
        await _retry("consumer", lambda: _ensure_consumer(js, durable, ack_wait_s), stop)
        sub = await js.pull_subscribe_bind(durable=durable, stream=STREAM)
        idle = 0.0
        while not stop.is_set():
            try:
                msgs = await sub.fetch(batch, timeout=1.0)
            except (NatsTimeout, TimeoutError):  # nats-py raises either, depending on timing
                idle += 1.0
                if idle_exit_s is not None and idle >= idle_exit_s:
                    with contextlib.suppress(Exception):
                        info = await sub.consumer_info()
                        if info.num_pending == 0 and info.num_ack_pending == 0:
                            break
                continue
            except Exception as exc:  # a node went away; the client reconnects
                log.warning("fetch failed", error=type(exc).__name__)
                await asyncio.sleep(0.5)
                continue
            idle = 0.0
            await _process(runtime, msgs, stats)
    finally:
        await _close(nc)
    return stats


async def _process(runtime: Runtime, msgs: list[Any], stats: WorkerStats) -> None:
    ids: list[int] = []
    good = []
    for msg in msgs:
        event_id = event_id_of(msg.data)
        if event_id is None:
            log.warning("message without an event id", subject=msg.subject)
            with contextlib.suppress(Exception):
                await msg.term()
        else:
            ids.append(event_id)
            good.append(msg)
    try:
        report = await asyncio.to_thread(pipeline.process_events, runtime, ids)
    except Exception as exc:  # nothing committed: let them come back
        log.error("pipeline events failed", error=type(exc).__name__, events=len(ids))
        for msg in good:
            with contextlib.suppress(Exception):
                await msg.nak(delay=1.0)
        return
    for msg in good:  # after the commit
        with contextlib.suppress(Exception):  # a lost ack only means a harmless redelivery
            await msg.ack()
    stats.messages += len(msgs)
    stats.processed += report.events
    stats.alerts += len(report.alerts)
    stats.failed += report.failed
    stats.split_batches += report.split_batches
    log.info(
        "pipeline events",
        fetched=len(msgs),
        processed=report.events,
        alerts=len(report.alerts),
        failed=report.failed,
        split_batches=report.split_batches,
    )
