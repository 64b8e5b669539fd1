"""Two pipeline workers do not serialise: while worker A holds an open batch transaction, in
which it has already written links, persons and audit entries, worker B claims other events,
commits its batch and its audit entries, and a business still files over the API. Nothing
global is locked: the audit log takes no lock on append (the sequencer numbers entries after
commit), and the outbox is shared with `FOR UPDATE SKIP LOCKED`.

SQLite has one writer at a time by the engine's design (the unit of work opens with `BEGIN
IMMEDIATE`), so there the same scenario shows B waiting for A and then finishing, with
nothing lost or done twice; parallel workers are a PostgreSQL deployment."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.intake.samples import sample
from tests.world import World, build_world
from vigil import pipeline
from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.governance.models import AuditEntry
from vigil.intake import outbox
from vigil.intake.models import OutboxEvent
from vigil.registry.models import RegistrationLink

pytestmark = pytest.mark.storage

BATCH = 3
WAIT_S = 60  # a bound on a hang, not a speed expectation


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _file(world: World, numbers: range, key: str) -> list[int]:
    response = world.client.post(
        "/v1/intake/hotel",
        json=[_alone(n) for n in numbers],
        headers={"X-API-Key": world.api_keys["hotel_key"], "Idempotency-Key": key},
    )
    assert response.status_code == 202, response.text
    return [int(i) for i in response.json()["submission_ids"]]


def _alone(n: int) -> dict[str, object]:
    """A stay of a guest of its own. (The samples share a companion; a batch that links a
    person another worker has just created waits for that worker's commit on the document's
    unique key: a real dependency between the two batches, not a global lock.)"""
    return {**sample("hotel", n), "companions": []}


class WorkerA:
    """A real batch (claim, the handler map, settle) that stops before its commit until
    released, holding its transaction and its row locks open."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.holding = threading.Event()
        self.release = threading.Event()
        self.claimed: list[int] = []
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        with self.runtime.unit_of_work() as session:
            rows = outbox.claim_pending(session, BATCH)
            self.claimed = [row.id for row in rows]
            events = [pipeline.DECODERS[row.kind](row) for row in rows]
            batch = pipeline.Batch(self.runtime, utcnow(), pipeline.BatchReport())
            pipeline.dispatch(session, pipeline.PIPELINE_CONTEXT, events, batch)
            outbox.settle(session, self.claimed, {})
            session.flush()  # its links and audit entries are written, not yet committed
            self.holding.set()
            assert self.release.wait(WAIT_S)

    def __enter__(self) -> WorkerA:
        self.thread.start()
        assert self.holding.wait(WAIT_S), "worker A never reached its open transaction"
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(WAIT_S)


def _committed(runtime: Runtime) -> tuple[dict[str, int], int, int]:
    """(outbox status counts, registration links, link audit entries) as committed."""
    with runtime.unit_of_work() as session:
        statuses = dict(
            session.execute(
                select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status)
            ).all()
        )
        links = int(session.scalar(select(func.count()).select_from(RegistrationLink)) or 0)
        audited = int(
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.object_type == "registration_link")
            )
            or 0
        )
    return {str(k): int(v) for k, v in statuses.items()}, links, audited


@pytest.mark.parametrize("backend", ["postgresql"])
def test_worker_b_commits_while_worker_a_holds_its_batch_open(world: World) -> None:
    _file(world, range(0, 2 * BATCH), "first")
    reports: list[pipeline.BatchReport] = []
    with WorkerA(world.runtime) as a:
        b = threading.Thread(
            target=lambda: reports.append(pipeline.process_batch(world.runtime, limit=BATCH))
        )
        b.start()
        b.join(WAIT_S)
        assert not b.is_alive(), "worker B waited for worker A"
        assert reports[0].events == BATCH and reports[0].failed == 0
        statuses, links, audited = _committed(world.runtime)
        # B's batch and its audit entries are committed; A's are not yet visible
        assert statuses == {"done": BATCH, "pending": BATCH}
        assert links == BATCH and audited == BATCH
        # an audited write of another kind goes through as well: a business files a stay
        assert len(_file(world, range(2 * BATCH, 2 * BATCH + 1), "while-a-holds")) == 1
    assert len(a.claimed) == BATCH  # A had a batch of its own, now committed
    final = pipeline.drain(world.runtime)
    statuses, links, audited = _committed(world.runtime)
    assert final.events == 1 and statuses == {"done": 2 * BATCH + 1}
    assert links == audited == 2 * BATCH + 1  # every effect once


@pytest.mark.parametrize("backend", ["sqlite"])
def test_on_sqlite_worker_b_waits_for_worker_a_and_nothing_is_lost_or_doubled(
    world: World,
) -> None:
    _file(world, range(0, 2 * BATCH), "first")
    reports: list[pipeline.BatchReport] = []
    with WorkerA(world.runtime):
        b = threading.Thread(
            target=lambda: reports.append(pipeline.process_batch(world.runtime, limit=BATCH))
        )
        b.start()
        b.join(0.5)
        assert b.is_alive() and not reports  # the engine's single writer: B queues
    b.join(WAIT_S)
    assert reports and reports[0].events == BATCH and reports[0].failed == 0
    statuses, links, audited = _committed(world.runtime)
    assert statuses == {"done": 2 * BATCH}
    assert links == audited == 2 * BATCH
