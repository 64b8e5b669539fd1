"""One poll of the alert table per process, for every open alert stream.

Each stream (`GET /v1/alerts/stream`) used to query the table on its own every tick, so a
hundred officers watching a quiet queue meant five hundred queries a second. The feed asks
once a tick which organisations have alerts newer than the newest it has seen, and wakes only
the streams of those organisations; each woken stream then reads, and audits, its own rows.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import func, select

from vigil.alerts.models import Alert
from vigil.core.runtime import Runtime

POLL_INTERVAL_S = 0.2


class AlertFeed:
    """Wakes the streams of each organisation that has new alerts. Lives on one event loop
    (the app's); its poll runs in a worker thread, as the database driver blocks."""

    def __init__(self, runtime: Runtime, interval_s: float = POLL_INTERVAL_S) -> None:
        self._runtime = runtime
        self._interval_s = interval_s
        self._waiters: dict[int, set[asyncio.Event]] = {}
        self._newest: int | None = None  # the newest alert id seen; None before the first look
        self._task: asyncio.Task[None] | None = None
        self._polling = asyncio.Lock()  # one poll at a time, and every poll wakes

    @property
    def streams(self) -> int:
        return sum(len(events) for events in self._waiters.values())

    @property
    def polling(self) -> asyncio.Task[None] | None:
        """The polling task while any stream is open."""
        return self._task if self._task is not None and not self._task.done() else None

    def poll(self) -> set[int]:
        """The organisations with alerts newer than the last poll (one query). The first poll
        only notes the newest alert: streams read what came before it themselves."""
        with self._runtime.read_sessions() as session:
            if self._newest is None:
                self._newest = int(session.scalar(select(func.max(Alert.id))) or 0)
                return set()
            rows = session.execute(
                select(Alert.organisation_id, func.max(Alert.id))
                .where(Alert.id > self._newest)
                .group_by(Alert.organisation_id)
            ).all()
        if rows:
            self._newest = max(int(newest) for _, newest in rows)
        return {int(organisation_id) for organisation_id, _ in rows}

    async def tick(self) -> set[int]:
        """Poll once and wake the streams of the organisations with new alerts."""
        async with self._polling:
            organisations = await asyncio.to_thread(self.poll)
        for organisation_id in organisations:
            for event in self._waiters.get(organisation_id, ()):
                event.set()
        return organisations

    @asynccontextmanager
    async def subscription(self, organisation_id: int) -> AsyncIterator[asyncio.Event]:
        """An event set whenever the organisation has new alerts. The feed has noted the
        newest alert before this yields, so a stream that reads its backlog after subscribing
        misses nothing."""
        event = asyncio.Event()
        self._waiters.setdefault(organisation_id, set()).add(event)
        try:
            if self._newest is None:
                await self.tick()
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._run())
            yield event
        finally:
            waiters = self._waiters.get(organisation_id, set())
            waiters.discard(event)
            if not waiters:
                self._waiters.pop(organisation_id, None)

    async def _run(self) -> None:
        while self._waiters:
            await asyncio.sleep(self._interval_s)
            await self.tick()
        self._newest = None  # nobody listens: the next stream starts afresh

    async def aclose(self) -> None:
        """Stop polling (the app is shutting down)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
