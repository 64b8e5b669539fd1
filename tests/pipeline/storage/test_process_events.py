"""`pipeline.process_events`, what a JetStream worker calls with the event ids of a fetched
batch: it processes exactly those, and a redelivered id changes nothing a second time, even
while another worker is still processing it."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from tests.intake.samples import sample
from tests.world import World, build_world
from vigil import pipeline
from vigil.core.runtime import Runtime
from vigil.intake import outbox
from vigil.intake.models import OutboxEvent
from vigil.registry.models import RegistrationLink

pytestmark = pytest.mark.storage


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def file(world: World, count: int) -> list[int]:
    response = world.client.post(
        "/v1/intake/hotel",
        json=[sample("hotel", n) for n in range(count)],
        headers={"X-API-Key": world.api_keys["hotel_key"], "Idempotency-Key": "stays"},
    )
    assert response.status_code == 202, response.text
    with world.runtime.unit_of_work() as session:
        return [int(i) for i in session.scalars(select(OutboxEvent.id).order_by(OutboxEvent.id))]


def links(runtime: Runtime) -> int:
    with runtime.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(RegistrationLink)) or 0)


def test_only_the_named_events_and_each_only_once(world: World) -> None:
    ids = file(world, 4)
    first = pipeline.process_events(world.runtime, ids[:2])
    assert (first.events, first.persons_linked, first.failed) == (2, 4, 0)
    with world.runtime.unit_of_work() as session:
        statuses = dict(session.execute(select(OutboxEvent.id, OutboxEvent.status)).all())
    assert [statuses[i] for i in ids] == ["done", "done", "pending", "pending"]
    again = pipeline.process_events(world.runtime, [*ids[:2], 10**9])  # redelivered, unknown
    assert again.events == 0 and links(world.runtime) == 4
    rest = pipeline.process_events(world.runtime, ids)
    assert rest.events == 2 and links(world.runtime) == 8


def test_a_redelivery_waits_for_the_worker_holding_the_event_then_leaves_it(
    world: World,
) -> None:
    ids = file(world, 1)
    claimed = threading.Event()
    release = threading.Event()

    def first_worker() -> None:  # claims the event, is slow, then finishes it
        with world.runtime.unit_of_work() as session:
            assert [e.id for e in outbox.claim_ids(session, ids)] == ids
            claimed.set()
            release.wait(10)
            outbox.settle(session, ids, {})

    reports: list[pipeline.BatchReport] = []
    holder = threading.Thread(target=first_worker)
    holder.start()
    assert claimed.wait(10)
    second = threading.Thread(
        target=lambda: reports.append(pipeline.process_events(world.runtime, ids))
    )
    second.start()
    time.sleep(0.5)
    assert second.is_alive() and not reports  # it waits on the row, it does not skip it
    release.set()
    holder.join(10)
    second.join(30)
    assert reports and reports[0].events == 0  # found done: nothing twice
    assert links(world.runtime) == 0  # the first worker (here) made no links
