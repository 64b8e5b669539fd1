"""The live alert feed reads in commit order: an alert that commits after one with a higher id
still reaches every stream. On PostgreSQL a NOTIFY from the inserting transaction wakes the
feed. Without it the feed would wait for its slow safety poll."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AsyncExitStack, contextmanager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.alerts.storage.test_alerts import OPENED, _listener, _served
from tests.world import World, build_world
from vigil.alerts import service
from vigil.alerts.feed import AlertFeed, CommitCursor, read_unread, start_cursor
from vigil.alerts.models import Alert
from vigil.alerts.schemas import AlertIn
from vigil.core.runtime import Runtime
from vigil.governance.access import Purpose, system_context

pytestmark = pytest.mark.storage
SCREENING = system_context(Purpose.SCREENING, "statute:real-name-registration")


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _alert(world: World, summary: str) -> Alert:
    return Alert(
        kind="person",
        score=0.9,
        summary=summary,
        sector="hotel",
        submission_id=1,
        legal_basis="warrant:W-1",
        organisation_id=world.org_ids["A"],
    )


@contextmanager
def _out_of_order(world: World, between: Callable[[], None]) -> Any:
    """Alert `early` takes its id first, but its transaction stays open while alert `late`
    (a higher id) commits and `between()` runs; then `early` commits. On SQLite, whose
    writers take turns, `early` commits before `late` is written, and `between()` runs after
    both."""
    ids: dict[str, int] = {}
    if world.runtime.engine.dialect.name != "postgresql":
        for name in ("early", "late"):
            with world.runtime.unit_of_work() as session:
                session.add(alert := _alert(world, name))
                session.flush()
                ids[name] = alert.id
        between()
        yield ids
        return
    held: Session = world.runtime.sessions()
    try:
        held.add(early := _alert(world, "early"))
        held.flush()  # the id is taken; the row is not visible until the commit
        ids["early"] = early.id
        with world.runtime.unit_of_work() as session:
            session.add(late := _alert(world, "late"))
            session.flush()
            ids["late"] = late.id
        assert ids["early"] < ids["late"]
        between()
        held.commit()
    finally:
        held.close()
    yield ids


def test_the_feed_and_a_stream_cursor_read_every_alert_in_commit_order(world: World) -> None:
    org = world.org_ids["A"]
    feed = AlertFeed(world.runtime, interval_s=3600, listen=False)  # ticks driven by hand
    woken_for: list[set[int]] = []
    read: list[int] = []
    cursor: CommitCursor
    with world.runtime.read_sessions() as session:
        cursor = start_cursor(session, organisation_id=org)

    def read_page() -> list[int]:
        nonlocal cursor
        with world.runtime.read_sessions() as session:
            rows, cursor = read_unread(session, cursor, (Alert.id,), organisation_id=org)
        return [alert_id for (alert_id,) in rows]

    async def scenario() -> None:
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(feed.subscription(org))
            loop = asyncio.get_running_loop()

            def between() -> None:  # the feed wakes and the stream reads before `early` commits
                woken_for.append(asyncio.run_coroutine_threadsafe(feed.tick(), loop).result())
                read.extend(read_page())

            ids = await asyncio.to_thread(lambda: _enter(_out_of_order(world, between)))
            woken_for.append(await feed.tick())
            read.extend(await asyncio.to_thread(read_page))
            assert sorted(read) == sorted(ids.values())  # every alert, each once
            if world.runtime.engine.dialect.name == "postgresql":
                assert read == [ids["late"], ids["early"]]  # in commit order
                assert woken_for == [{org}, {org}]  # the late commit woke the streams again
                # reading by id alone, as before, would have lost the early alert for good
                with world.runtime.read_sessions() as session:
                    after_late = session.scalars(
                        select(Alert.id).where(Alert.id > ids["late"] - 1)
                    ).all()
                assert ids["early"] not in after_late
            assert await feed.tick() == set()  # nothing is read twice
            assert await asyncio.to_thread(read_page) == []

    asyncio.run(scenario())


def _enter(manager: Any) -> dict[str, int]:
    with manager as ids:
        return dict(ids)


def test_the_sse_stream_delivers_an_alert_that_commits_after_a_higher_id(world: World) -> None:
    with _served(world) as port:
        listener, received = _listener(world, port, 2)
        # the stream must start (its cursor set) before the alerts exist; a fixed sleep was
        # too short on a loaded machine, and the stream then began after both alerts
        assert OPENED[id(received)].wait(30)

        def between() -> None:  # the stream has delivered `late` before `early` commits
            _wait_for(lambda: len(received) >= 1)

        ids = _enter(_out_of_order(world, between))
        listener.join(timeout=30)
    assert sorted(event["id"] for event in received) == sorted(ids.values())
    if world.runtime.engine.dialect.name == "postgresql":
        assert [event["id"] for event in received] == [ids["late"], ids["early"]]


def _wait_for(condition: Callable[[], bool], limit_s: float = 30.0) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never held")
        time.sleep(0.02)


def test_notify_wakes_a_stream_without_waiting_for_the_poll(world: World) -> None:
    org = world.org_ids["A"]
    feed = AlertFeed(world.runtime, interval_s=3600)  # the safety poll never comes in the test

    def raise_alert() -> int:
        with world.runtime.unit_of_work() as session:
            return service.raise_alert(
                session,
                SCREENING,
                AlertIn(
                    kind="person",
                    score=0.9,
                    explanation={"name": {"score": 0.9, "detail": "张伟 ~ Zhang Wei"}},
                    summary="hotel stay matches W-1",
                    sector="hotel",
                    submission_id=1,
                    legal_basis="warrant:W-1",
                    organisation_id=org,
                ),
            ).id

    async def scenario() -> None:
        async with feed.subscription(org) as woken:
            listener = feed.listener
            if world.runtime.engine.dialect.name != "postgresql":
                assert listener is None  # SQLite has no notifications: the feed polls
                return
            assert listener is not None
            assert await asyncio.to_thread(listener.listening.wait, 30)
            await asyncio.sleep(0.2)  # the look that follows LISTEN itself finds nothing
            assert not woken.is_set() and listener.notifications == 0
            await asyncio.to_thread(raise_alert)
            await asyncio.wait_for(woken.wait(), 30)  # long before the hour-long poll
            await asyncio.to_thread(_wait_for, lambda: listener.notifications == 1)
        await asyncio.wait_for(feed.polling or asyncio.sleep(0), 30)
        assert feed.listener is None  # the last stream closed, and LISTEN with it

    asyncio.run(scenario())


def test_a_cursor_moves_its_floor_only_past_a_complete_read() -> None:
    start = CommitCursor(after_id=10, floor=100)
    # a full page: more may wait below the page's ids, so the floor stays
    paged = start.advanced([(7, 105), (11, 101)], xmin=120, complete=False)
    assert paged == CommitCursor(11, 100, {7: 105, 11: 101})
    # a complete read: every transaction below 120 had finished, so only later ones can
    # still commit alerts with lower ids; the alerts read below the new floor are forgotten
    done = paged.advanced([(12, 121)], xmin=120, complete=True)
    assert done == CommitCursor(12, 120, {12: 121})
    # SQLite: ids alone
    assert CommitCursor(3).advanced([(4, None)], None, complete=True) == CommitCursor(4)


def test_a_resume_token_round_trips_and_rejects_anything_else() -> None:
    assert CommitCursor.parse(CommitCursor(12, 120, {12: 121}).token()) == CommitCursor(12, 120)
    assert CommitCursor.parse("12") == CommitCursor(12)
    assert CommitCursor.parse("x") is None and CommitCursor.parse("12:y") is None
