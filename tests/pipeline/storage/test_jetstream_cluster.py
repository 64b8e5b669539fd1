"""Workers on JetStream: a three-node cluster, a relay and two worker processes on one
PostgreSQL outbox. One worker is SIGKILLed inside a batch transaction and the stream's leader
node is SIGKILLed; the survivors finish, and every event's effects are there exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from tests.intake.samples import ID_A, cn_id, person, sample
from tests.world import World, build_world
from vigil.alerts.models import Alert
from vigil.core.runtime import Runtime
from vigil.core.settings import secret
from vigil.governance import audit
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry
from vigil.intake.models import OutboxEvent
from vigil.intake.stream import nats_server_binary
from vigil.pipeline_stream import STREAM, connect, ensure_stream
from vigil.registry.models import Person, RegistrationLink
from vigil.screening import service as screening

pytestmark = [pytest.mark.storage, pytest.mark.slow]
STAYS, RESERVE, LATE, LISTED_EVERY = 400, 100, 100, 10
# RESERVE is filed in small lots while the test waits to catch a worker mid-batch, so there is
# work in flight even when the workers have drained the rest; LATE is filed while a node is down;
# every tenth stay is the listed person's
OTHER_NAMES = ["李娜", "王伟", "刘洋", "陈静", "杨帆", "黄磊", "周婷", "吴昊", "徐丽", "孙强"]
FUTURE = (datetime.now(UTC) + timedelta(days=365)).isoformat()
DEADLINE_S = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    log: Path


@contextlib.contextmanager
def nats_cluster(tmp_path: Path, size: int = 3) -> Iterator[list[Node]]:
    """`size` nats-server processes routed to each other, JetStream on, loopback only."""
    try:
        binary = nats_server_binary()
    except RuntimeError as exc:
        pytest.fail(f"the JetStream cluster test needs nats-server: {exc}")
    ports = [(free_port(), free_port()) for _ in range(size)]
    routes = [f"nats://127.0.0.1:{cluster}" for _, cluster in ports]
    nodes = []
    for n, (client, _) in enumerate(ports):
        log = tmp_path / f"nats-{n}.log"
        command = [
            binary,
            *("-a", "127.0.0.1", "-p", str(client), "--server_name", f"n{n}"),
            *("-js", "-sd", str(tmp_path / f"js-{n}")),
            *("--cluster_name", "vigil-test", "--cluster", routes[n]),
            *("--routes", ",".join(r for i, r in enumerate(routes) if i != n)),
        ]
        with log.open("wb") as out:
            proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        nodes.append(Node(f"n{n}", f"nats://127.0.0.1:{client}", proc, log))
    try:
        yield nodes
    finally:
        for node in nodes:
            if node.proc.poll() is None:
                node.proc.terminate()
        for node in nodes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                node.proc.wait(timeout=10)


def servers(nodes: list[Node]) -> str:
    return ",".join(node.url for node in nodes)


async def _stream_leader(urls: str, replicas: int | None = None) -> str:
    """Create the stream (with `replicas`) if asked, and name its leader node."""
    nc = await connect(urls)
    try:
        js = nc.jetstream()
        if replicas is not None:
            await ensure_stream(js, replicas)
        info = await js.stream_info(STREAM)
        assert info.cluster is not None and info.cluster.leader
        return str(info.cluster.leader)
    finally:
        await nc.close()


def wait_for_replicated_stream(nodes: list[Node]) -> str:
    """Until the cluster can hold a stream with three replicas; its leader's name."""
    deadline = time.monotonic() + 45
    error: BaseException | None = None
    while time.monotonic() < deadline:
        dead = [n for n in nodes if n.proc.poll() is not None]
        if dead:
            pytest.fail(f"nats-server {dead[0].name} exited: {dead[0].log.read_text()[-2000:]}")
        try:
            return asyncio.run(asyncio.wait_for(_stream_leader(servers(nodes), 3), 10))
        except Exception as exc:  # no meta leader yet
            error = exc
            time.sleep(0.5)
    pytest.fail(f"the three-node JetStream cluster never formed: {error!r}")


def _list(world: World, entry_id: str, name: str, id_number: str, birth: str) -> None:
    body = {
        "entry_id": entry_id,
        "kind": "person",
        "name": name,
        "birth_date": birth,
        "id_number": id_number,
        "expires_at": FUTURE,
        "basis_reference": "(2026)Court-17",
        "basis_authority": "Riverside Intermediate Court",
    }
    listed = world.client.post("/v1/screening/watchlist", json=body, headers=world.auth("analyst"))
    assert listed.status_code == 201, listed.text
    decided = world.client.post(
        f"/v1/screening/watchlist/{entry_id}/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    assert decided.json()["status"] == "active"


def stay(n: int) -> dict[str, Any]:
    record = sample("hotel", n)
    if n % LISTED_EVERY == 0:
        record["guest"] = person()  # 张晓明 on ID_A: listed
    else:
        record["guest"] = person(OTHER_NAMES[n % len(OTHER_NAMES)], cn_id(n, "19850101"))
    record["stay_ref"] = f"S-{n}"
    record["room"] = str(1000 + n)
    return record


def file_stays(world: World, numbers: range) -> list[int]:
    ids: list[int] = []
    records = [stay(n) for n in numbers]
    for start in range(0, len(records), 50):
        response = world.client.post(
            "/v1/intake/hotel",
            json=records[start : start + 50],
            headers={
                "X-API-Key": world.api_keys["hotel_key"],
                "Idempotency-Key": f"stays-{numbers.start + start}",
            },
        )
        assert response.status_code == 202, response.text
        ids += response.json()["submission_ids"]
    return ids


def child_env(runtime: Runtime, tmp_path: Path, application_name: str) -> dict[str, str]:
    s = runtime.settings
    return {
        **os.environ,
        # the name lets the test see this process's transactions in pg_stat_activity
        "VIGIL_DATABASE_URL": f"{s.database_url}?application_name={application_name}",
        "VIGIL_SECRET_KEY": secret(s.secret_key),
        "VIGIL_ID_ENCRYPTION_KEY": secret(s.id_encryption_key),
        "VIGIL_ID_HASH_KEY": secret(s.id_hash_key),
        # the workers seal audit entries with the same key the test verifies them with
        "VIGIL_AUDIT_ENTRY_KEY": secret(s.audit_entry_key),
        "VIGIL_AUDIT_LOG_KEY": secret(s.audit_log_key),
        "VIGIL_KEY_FILE": str(tmp_path / f"{application_name}-keys.json"),
        "VIGIL_LOG_LEVEL": "INFO",
        "VIGIL_PIPELINE_IN_PROCESS": "false",
    }


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "vigil.cli", *command],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def in_transaction(runtime: Runtime, application_name: str) -> bool:
    with runtime.engine.connect() as conn:
        states = conn.execute(
            text("SELECT state FROM pg_stat_activity WHERE application_name = :name"),
            {"name": application_name},
        ).scalars()
        return "idle in transaction" in set(states)


def kill_inside_a_transaction(
    proc: subprocess.Popen[bytes], runtime: Runtime, name: str, feed: Callable[[], bool]
) -> None:
    """Freeze the worker; if it holds a transaction open (fetched, unacked, uncommitted), kill
    it there, else let it run a moment and try again. Whenever the workers have nothing left to
    do, `feed` files a few more events (it answers False once it has none)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "pending" not in status_counts(runtime) and not feed():
            break
        proc.send_signal(signal.SIGSTOP)
        time.sleep(0.1)  # a statement already sent completes; a COMMIT sent would show "idle"
        if in_transaction(runtime, name):
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return
        proc.send_signal(signal.SIGCONT)
        time.sleep(0.03)
    pytest.fail(f"{name} was never caught inside a transaction")


def status_counts(runtime: Runtime) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        rows = session.execute(select(OutboxEvent.status, func.count()).group_by("status"))
        return {str(status): int(count) for status, count in rows}


def wait_until(condition: Any, what: str, procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if condition():
            return
        exited = [p.args for p in procs if p.poll() is not None]
        assert not exited, f"exited early: {exited}"
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def world(runtime: Runtime) -> World:
    w = build_world(runtime)
    with runtime.unit_of_work() as session:
        screening.seed_catalogue(session, system_context())
    return w


# The shared-outbox production set-up is PostgreSQL's; SQLite has one writer at a time.
@pytest.mark.parametrize("backend", ["postgresql"])
def test_cluster_loses_a_node_and_a_worker_and_every_effect_happens_once(
    world: World, tmp_path: Path
) -> None:
    runtime = world.runtime
    _list(world, "W-1", "张晓明", ID_A, "1949-12-31")
    filed = file_stays(world, range(0, STAYS - LATE - RESERVE))
    reserve = iter(range(STAYS - LATE - RESERVE, STAYS - LATE, 10))

    def feed() -> bool:
        lot = next(reserve, None)
        if lot is not None:
            filed.extend(file_stays(world, range(lot, lot + 10)))
        return lot is not None

    procs: list[subprocess.Popen[bytes]] = []
    with nats_cluster(tmp_path) as nodes:
        wait_for_replicated_stream(nodes)
        urls = servers(nodes)
        relay = start(
            ["pipeline", "relay", "--servers", urls, "--batch", "20"],
            child_env(runtime, tmp_path, "vigil-relay"),
            tmp_path / "relay.log",
        )
        worker = ["pipeline", "run", "--jetstream", "--servers", urls, "--batch", "5"]
        worker += ["--ack-wait", "3"]
        doomed = start(
            worker, child_env(runtime, tmp_path, "vigil-worker-a"), tmp_path / "worker-a.log"
        )
        survivor = start(
            worker, child_env(runtime, tmp_path, "vigil-worker-b"), tmp_path / "worker-b.log"
        )
        procs = [relay, doomed, survivor]
        try:
            # both workers are in their loops once each has committed a batch
            wait_until(
                lambda: all(
                    "pipeline events" in (tmp_path / f"worker-{w}.log").read_text() for w in "ab"
                ),
                "a first batch from each worker",
                procs,
            )
            kill_inside_a_transaction(doomed, runtime, "vigil-worker-a", feed)
            leader = asyncio.run(asyncio.wait_for(_stream_leader(urls), 10))
            killed = next(n for n in nodes if n.name == leader)
            killed.proc.send_signal(signal.SIGKILL)
            killed.proc.wait()
            # filed while a node is down: the relay publishes them to the two that are left
            while feed():  # what the kill did not need
                pass
            filed.extend(file_stays(world, range(STAYS - LATE, STAYS)))
            wait_until(
                lambda: status_counts(runtime) == {"done": STAYS},
                "every event done",
                [relay, survivor],
            )
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.terminate()
            for proc in procs:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=15)
        assert relay.returncode == 0 and survivor.returncode == 0, (
            tmp_path / "relay.log"
        ).read_text()[-2000:] + (tmp_path / "worker-b.log").read_text()[-2000:]

    submissions = set(filed)
    listed = {sid for n, sid in enumerate(filed) if n % LISTED_EVERY == 0}
    assert len(submissions) == STAYS
    with runtime.unit_of_work() as session:
        events = session.execute(select(OutboxEvent.submission_id, OutboxEvent.relayed_at)).all()
        assert {sid for sid, _ in events} == submissions and len(events) == STAYS
        assert all(relayed is not None for _, relayed in events)
        # guest and companion of every stay linked once (the unique key would refuse more)
        links = session.execute(
            select(RegistrationLink.submission_id, RegistrationLink.position)
        ).all()
        assert len(links) == len(set(links)) == 2 * STAYS
        alerted = list(session.scalars(select(Alert.submission_id)))
        assert sorted(alerted) == sorted(listed)  # one alert per listed stay, no other
        persons = session.scalar(select(func.count()).select_from(Person))
        # every guest once, and the one companion who comes back with each of them
        assert persons == len({stay(n)["guest"]["id_number"] for n in range(STAYS)}) + 1
        entries = session.execute(
            select(AuditEntry.object_type, AuditEntry.object_id).where(
                AuditEntry.object_type.in_(("registration_link", "alert")),
                AuditEntry.action.in_(("combine", "collect")),
            )
        ).all()
        assert len(entries) == len(set(entries))  # no effect audited twice
        kinds = [kind for kind, _ in entries]
        assert kinds.count("registration_link") == 2 * STAYS
        assert kinds.count("alert") == len(listed)
    audit.integrate_pending(runtime)  # the sequencer numbers what the workers appended
    with runtime.unit_of_work() as session:
        report = audit.verify(session, runtime.settings)
        assert report.intact and report.pending == 0, report.message
