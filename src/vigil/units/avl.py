"""AVL (automatic vehicle location) over MQTT. Units publish fixes to
`vigil/avl/<agency id>/<unit code>` with a JSON payload `{"lat": .., "lon": .., "at": ..}`;
the subscriber stores them in batches through the registry's idempotent `record_fixes`, so a
fix the broker delivers twice (QoS 1) is stored once, and an older fix never moves a unit."""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.governance.access import system_context
from vigil.units import service
from vigil.units.schemas import CODE_PATTERN, PositionIn

TOPIC_PREFIX = "vigil/avl"
_CODE = re.compile(CODE_PATTERN)
MAX_PAYLOAD = 4096


class AvlError(ValueError):
    """A message that is not a fix: says what is wrong with it."""


@dataclass(frozen=True)
class AvlMessage:
    agency_id: int
    code: str
    lat: float
    lon: float
    at: datetime


def topic_for(agency_id: int, code: str, prefix: str = TOPIC_PREFIX) -> str:
    return f"{prefix}/{agency_id}/{code}"


def parse_message(topic: str, payload: bytes, prefix: str = TOPIC_PREFIX) -> AvlMessage:
    """The fix in one MQTT message, or AvlError."""
    match = re.fullmatch(rf"{re.escape(prefix)}/(\d{{1,9}})/([^/]+)", topic)
    if match is None or not _CODE.match(match.group(2)):
        raise AvlError(f"topic {topic!r} is not {prefix}/<agency id>/<unit code>")
    if len(payload) > MAX_PAYLOAD:
        raise AvlError(f"payload of {len(payload)} bytes is larger than {MAX_PAYLOAD}")
    try:
        document = json.loads(payload)
    except (UnicodeDecodeError, ValueError) as exc:
        raise AvlError(f"payload is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise AvlError("payload must be a JSON object with lat, lon and at")
    try:
        fix = PositionIn.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'payload'}: {e['msg']}" for e in exc.errors()
        )
        raise AvlError(problems) from None
    return AvlMessage(int(match.group(1)), match.group(2), fix.lat, fix.lon, fix.at)


@dataclass
class AvlStats:
    received: int = 0
    rejected: int = 0
    applied: int = 0
    stale: int = 0
    duplicate: int = 0
    unknown_unit: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        """Messages refused or stored (received ones may still wait in a batch)."""
        return self.rejected + self.applied + self.stale + self.duplicate + self.unknown_unit

    def add(self, other: dict[str, int]) -> None:
        for name, value in other.items():
            setattr(self, name, getattr(self, name) + value)


def store_messages(runtime: Runtime, messages: list[AvlMessage]) -> dict[str, int]:
    """One transaction for a batch of fixes from the broker, under Vigil's system context
    (the broker's clients are units, not users); fixes from the future are refused."""
    limit = utcnow() + service.FUTURE_TOLERANCE
    timely = [m for m in messages if m.at <= limit]
    counts = {"rejected": len(messages) - len(timely)}
    with runtime.unit_of_work() as session:
        ids = service.units_by_code(session, [(m.agency_id, m.code) for m in timely])
        fixes = [
            service.Fix(ids[(m.agency_id, m.code)], m.lat, m.lon, m.at)
            for m in timely
            if (m.agency_id, m.code) in ids
        ]
        result = service.record_fixes(session, system_context(), fixes, source="mqtt")
    counts.update(result.model_dump())
    counts["unknown_unit"] += len(timely) - len(fixes)
    return counts


class AvlSubscriber:
    """Subscribes to the AVL topics and stores what arrives, a batch at a time."""

    def __init__(
        self,
        runtime: Runtime,
        host: str = "127.0.0.1",
        port: int = 1883,
        prefix: str = TOPIC_PREFIX,
        *,
        batch_size: int = 500,
        flush_s: float = 0.2,
        client_id: str = "",
    ) -> None:
        self.runtime, self.host, self.port, self.prefix = runtime, host, port, prefix
        self.batch_size, self.flush_s, self.client_id = batch_size, flush_s, client_id
        self.ready = threading.Event()  # set once the broker confirmed the subscription
        self.stats = AvlStats()
        self._inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()

    def _client(self) -> Any:
        import paho.mqtt.client as mqtt

        client = mqtt.Client(
            callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            clean_session=True,
        )

        def on_connect(c: Any, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
            c.subscribe(f"{self.prefix}/#", qos=1)

        def on_subscribe(c: Any, userdata: Any, mid: Any, reasons: Any, props: Any) -> None:
            self.ready.set()

        def on_message(c: Any, userdata: Any, message: Any) -> None:
            self._inbox.put((message.topic, bytes(message.payload)))

        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_message = on_message
        return client

    def run(self, stop: threading.Event, max_messages: int | None = None) -> AvlStats:
        """Until `stop` is set (or `max_messages` have been received)."""
        client = self._client()
        client.connect(self.host, self.port, keepalive=30)
        client.loop_start()
        try:
            while not stop.is_set():
                self._drain()
                if max_messages is not None and self.stats.received >= max_messages:
                    break
        finally:
            client.loop_stop()
            client.disconnect()
            self._drain(wait=False)
        return self.stats

    def _drain(self, wait: bool = True) -> None:
        batch: list[AvlMessage] = []
        deadline = time.monotonic() + self.flush_s
        while len(batch) < self.batch_size:
            timeout = deadline - time.monotonic()
            try:
                topic, payload = (
                    self._inbox.get(timeout=timeout)
                    if wait and timeout > 0
                    else self._inbox.get_nowait()
                )
            except queue.Empty:
                break
            self.stats.received += 1
            try:
                batch.append(parse_message(topic, payload, self.prefix))
            except AvlError as exc:
                self.stats.rejected += 1
                self.stats.errors = [*self.stats.errors[-19:], f"{topic}: {exc}"]
        if batch:
            self.stats.add(store_messages(self.runtime, batch))
