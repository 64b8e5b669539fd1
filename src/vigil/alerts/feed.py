"""The live alert feed: one reader of the alert table per process, in commit order.

One poll for every open stream. Each stream (`GET /v1/alerts/stream`) used to query the table
on its own every tick. The feed asks once which organisations have new alerts, and wakes only
those organisations' streams. Each woken stream then reads, and audits, its own rows.

Commit order, not id order. On PostgreSQL ids come from a sequence when a row is inserted,
but rows become visible when their transaction commits. So an alert with id N can commit
after N+1 has been read, and a reader that only asks for "id > last" never sees N. Every
alert therefore records the transaction that wrote it (`alert.write_xact`, by default
`pg_current_xact_id()`). A reader keeps a `CommitCursor`:
- `after_id`: every alert with a higher id is unread;
- `floor`: the `xmin` of the snapshot of an earlier read. Every transaction below it had
  finished by then, so an alert with `write_xact < floor` was visible to that read;
- `late`: the alerts already read whose `write_xact >= floor`, so they are not read again.
A read takes `id > after_id OR (write_xact >= floor AND id NOT IN late)`. It takes
`pg_snapshot_xmin(pg_current_snapshot())` in the same statement as the rows. When the read
was not cut short by its limit, `floor` moves up to that xmin: every alert below it was
visible to the statement, so it has been read or it is older than the cursor's start. `late`
keeps only the alerts at or above the new floor, so it holds about as many alerts as commit
while the oldest running transaction is open. Nothing waits for a slow transaction: an alert
is delivered as soon as it is visible.

SQLite has one writer at a time, so there id order is commit order and `floor` stays None.

Waking. On PostgreSQL a trigger (migration 0018) sends `NOTIFY vigil_alert` from every
transaction that inserts alerts. The notification arrives when that transaction commits. The
feed holds one `LISTEN` connection while any stream is open, and its thread wakes the feed.
A slow safety poll covers a lost connection. SQLite has no notifications, so the feed polls
every 200 ms there.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import BigInteger, Select, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from vigil.alerts.models import Alert
from vigil.core.logging import get_logger
from vigil.core.runtime import Runtime
from vigil.core.text import ascii_digits

log = get_logger("vigil.alerts")

ALERT_CHANNEL = "vigil_alert"  # the trigger of migration 0018 notifies on it
POLL_INTERVAL_S = 0.2  # SQLite: polling is the only way to learn of new alerts
SAFETY_POLL_INTERVAL_S = 5.0  # PostgreSQL: NOTIFY wakes the feed; this covers a lost listener
LISTEN_TIMEOUT_S = 0.5  # how often the listening thread checks whether it should stop

# The oldest transaction still running when the statement's snapshot was taken.
SNAPSHOT_XMIN = cast(cast(func.pg_snapshot_xmin(func.pg_current_snapshot()), Text), BigInteger)


@dataclass(frozen=True)
class CommitCursor:
    """Where a reader of the alert table stands in commit order (see the module docstring)."""

    after_id: int
    floor: int | None = None  # None on SQLite
    late: dict[int, int] = field(default_factory=dict)  # alert id -> write_xact, read already

    def token(self) -> str:
        """For an SSE event id, so that a reconnecting client resumes here (`parse`)."""
        return str(self.after_id) if self.floor is None else f"{self.after_id}:{self.floor}"

    @classmethod
    def parse(cls, token: str) -> CommitCursor | None:
        """A cursor from `token()`, or None if `token` is not one. A resumed cursor knows no
        `late` alerts, so alerts at or above its floor may be delivered again."""
        head, _, floor = token.partition(":")
        if not ascii_digits(head) or (floor and not ascii_digits(floor)):
            return None
        return cls(int(head), int(floor) if floor else None)

    def unread(self) -> ColumnElement[bool]:
        newer = Alert.id > self.after_id
        if self.floor is None:
            return newer
        late = Alert.write_xact >= self.floor
        if self.late:
            late = and_(late, Alert.id.not_in(sorted(self.late)))
        return or_(newer, late)

    def advanced(
        self, read: Sequence[tuple[int, int | None]], xmin: int | None, *, complete: bool
    ) -> CommitCursor:
        """The cursor after reading the alerts `read` (id, write_xact) in a statement whose
        snapshot had `xmin`. `complete`: the statement returned every unread alert it saw,
        not only the first page of them."""
        after_id = max([self.after_id, *(alert_id for alert_id, _ in read)])
        if self.floor is None:
            return CommitCursor(after_id)
        floor = max(self.floor, xmin) if complete and xmin is not None else self.floor
        late = {**self.late, **{i: x for i, x in read if x is not None}}
        return CommitCursor(after_id, floor, {i: x for i, x in late.items() if x >= floor})


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def start_cursor(
    session: Session, after_id: int | None = None, organisation_id: int | None = None
) -> CommitCursor:
    """A cursor after `after_id`, or after the newest alert (of the organisation) when None:
    the alerts that commit from now on are unread, whatever their ids."""
    newest = select(func.max(Alert.id))
    if organisation_id is not None:
        newest = newest.where(Alert.organisation_id == organisation_id)
    start: Any = newest.scalar_subquery() if after_id is None else after_id
    if not _postgres(session):
        if after_id is not None:
            return CommitCursor(after_id)
        return CommitCursor(int(session.scalar(newest) or 0))
    row = session.execute(select(start, SNAPSHOT_XMIN)).one()
    return CommitCursor(int(row[0] or 0), int(row[1]))


def read_unread(
    session: Session,
    cursor: CommitCursor,
    columns: Sequence[Any],
    *,
    organisation_id: int | None = None,
    limit: int | None = None,
) -> tuple[list[tuple[Any, ...]], CommitCursor]:
    """The unread alerts as tuples of `columns` (the `Alert` entity, or some of its columns),
    oldest id first, read in one statement; and the cursor after them."""
    condition = cursor.unread()
    if organisation_id is not None:
        condition = and_(condition, Alert.organisation_id == organisation_id)
    xmin: int | None = None
    if cursor.floor is None:
        query: Select[Any] = select(Alert.id, Alert.write_xact, *columns).where(condition)
        found: list[tuple[Any, ...]] = [tuple(row) for row in session.execute(_page(query, limit))]
    else:
        # the rows and the xmin of the snapshot they were read in, even when there are none
        snapshot = select(SNAPSHOT_XMIN.label("xmin")).subquery("snapshot")
        query = (
            select(Alert.id, Alert.write_xact, *columns, snapshot.c.xmin)
            .select_from(snapshot)
            .outerjoin(Alert, condition)
        )
        with_xmin = list(session.execute(_page(query, limit)))
        xmin = int(with_xmin[0][-1])
        found = [tuple(row[:-1]) for row in with_xmin if row[0] is not None]
    read = [(int(row[0]), row[1]) for row in found]
    complete = limit is None or len(found) < limit
    return [tuple(row[2:]) for row in found], cursor.advanced(read, xmin, complete=complete)


def _page(query: Select[Any], limit: int | None) -> Select[Any]:
    query = query.order_by(Alert.id)
    return query.limit(limit) if limit else query


class _Listener:
    """A thread that holds one `LISTEN` connection and calls `on_notify` for each notification
    (and once after each connect, for what it may have missed while not listening)."""

    def __init__(self, dsn: str, on_notify: Callable[[], None]) -> None:
        self._dsn = dsn
        self._on_notify = on_notify
        self._stop = threading.Event()
        self.listening = threading.Event()
        self.notifications = 0
        self._thread = threading.Thread(target=self._run, name="vigil-alert-listen", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {ALERT_CHANNEL}")
                    self._on_notify()
                    self.listening.set()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=LISTEN_TIMEOUT_S):
                            self.notifications += 1
                            self._on_notify()
            except psycopg.Error as exc:  # the safety poll covers the gap; try again soon
                log.warning("alert listener lost its connection", error=type(exc).__name__)
                self._stop.wait(1.0)
            finally:
                self.listening.clear()

    def stop(self) -> None:
        self._stop.set()

    def join(self) -> None:
        self._thread.join(timeout=5)


class AlertFeed:
    """Wakes the streams of each organisation that has new alerts. Lives on one event loop
    (the app's); its reads run in a worker thread, as the database driver blocks."""

    def __init__(
        self, runtime: Runtime, interval_s: float | None = None, *, listen: bool = True
    ) -> None:
        """`interval_s`: the poll interval (default: 200 ms on SQLite, a safety poll of 5 s on
        PostgreSQL). `listen=False` leaves out LISTEN, so that only polls wake (tests)."""
        self._runtime = runtime
        self.listens = listen and runtime.engine.dialect.name == "postgresql"
        if interval_s is None:
            interval_s = SAFETY_POLL_INTERVAL_S if self.listens else POLL_INTERVAL_S
        self._interval_s = interval_s
        self._waiters: dict[int, set[asyncio.Event]] = {}
        self._cursor: CommitCursor | None = None  # None before the first look
        self._task: asyncio.Task[None] | None = None
        self._polling = asyncio.Lock()  # one poll at a time, and every poll wakes
        self._notified = asyncio.Event()
        self._listener: _Listener | None = None

    @property
    def streams(self) -> int:
        return sum(len(events) for events in self._waiters.values())

    @property
    def polling(self) -> asyncio.Task[None] | None:
        """The polling task while any stream is open."""
        return self._task if self._task is not None and not self._task.done() else None

    @property
    def listener(self) -> _Listener | None:
        """The `LISTEN` thread (PostgreSQL) while any stream is open."""
        return self._listener

    def poll(self) -> set[int]:
        """The organisations with alerts committed since the last poll (one query). The first
        poll only notes where the table stands: streams read what came before themselves."""
        with self._runtime.read_sessions() as session:
            if self._cursor is None:
                self._cursor = start_cursor(session)
                return set()
            rows, self._cursor = read_unread(session, self._cursor, (Alert.organisation_id,))
        return {int(organisation_id) for (organisation_id,) in rows}

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
        """An event set whenever the organisation has new alerts. The feed has noted where
        the table stands before this yields, so a stream that reads its backlog after
        subscribing misses nothing."""
        event = asyncio.Event()
        self._waiters.setdefault(organisation_id, set()).add(event)
        try:
            if self._cursor is None:
                await self.tick()
            if self._task is None or self._task.done():
                self._listener = self._start_listener()
                self._task = asyncio.create_task(self._run())
            yield event
        finally:
            waiters = self._waiters.get(organisation_id, set())
            waiters.discard(event)
            if not waiters:
                self._waiters.pop(organisation_id, None)
            if not self._waiters:
                self._notified.set()  # let the polling task see that nobody listens

    def _start_listener(self) -> _Listener | None:
        if not self.listens:
            return None
        loop = asyncio.get_running_loop()
        url = self._runtime.engine.url.set(drivername="postgresql")

        def wake() -> None:
            loop.call_soon_threadsafe(self._notified.set)

        return _Listener(url.render_as_string(hide_password=False), wake)

    async def _run(self) -> None:
        try:
            while self._waiters:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._notified.wait(), self._interval_s)
                self._notified.clear()
                if self._waiters:
                    await self.tick()
        finally:
            self._cursor = None  # nobody listens: the next stream starts afresh
            listener, self._listener = self._listener, None
            if listener is not None:
                listener.stop()
                await asyncio.to_thread(listener.join)

    async def aclose(self) -> None:
        """Stop polling and listening (the app is shutting down)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
