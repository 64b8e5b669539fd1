"""Crash safety on SQLite and PostgreSQL: a real uvicorn server SIGKILLed in the middle of a
10,000-record load, and a NATS consumer SIGKILLed halfway through 10,000 messages."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.intake.samples import sample
from tests.world import World
from vigil.intake.models import Submission
from vigil.intake.stream import ORG_HEADER, nats_server_binary

pytestmark = [pytest.mark.storage, pytest.mark.slow]
BATCHES, BATCH = 100, 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(world: World, tmp_path: Path) -> dict[str, str]:
    s = world.runtime.settings
    return {
        **os.environ,
        "VIGIL_DATABASE_URL": s.database_url,
        "VIGIL_SECRET_KEY": s.secret_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_ID_ENCRYPTION_KEY": s.id_encryption_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_ID_HASH_KEY": s.id_hash_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_AUDIT_ENTRY_KEY": s.audit_entry_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_AUDIT_LOG_KEY": s.audit_log_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_KEY_FILE": str(tmp_path / "child-keys.json"),
        "VIGIL_LOG_LEVEL": "WARNING",
        # Intake's durability alone: the outbox worker (which takes the audit-chain lock for
        # its batches) runs elsewhere, as `vigil pipeline run` does in production.
        "VIGIL_PIPELINE_IN_PROCESS": "false",
    }


def stored_ids(world: World) -> list[int]:
    with world.runtime.unit_of_work() as session:
        return [int(i) for i in session.scalars(select(Submission.id))]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "vigil.api.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 180  # a loaded CI machine can take over a minute to import
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("uvicorn did not start")


def test_sigkill_server_mid_load(world: World, tmp_path: Path) -> None:
    env = child_env(world, tmp_path)
    batches = [[sample("hotel", b * BATCH + i) for i in range(BATCH)] for b in range(BATCHES)]
    headers = {"X-API-Key": world.api_keys["hotel"]}
    port = free_port()
    server = start_server(env, port)
    accepted: dict[int, list[int]] = {}

    def send() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for b, batch in enumerate(batches):
                try:
                    r = client.post(
                        "/v1/intake/hotel",
                        json=batch,
                        headers={**headers, "Idempotency-Key": f"batch-{b}"},
                    )
                except httpx.HTTPError:
                    return
                if r.status_code == 202:
                    accepted[b] = r.json()["submission_ids"]

    sender = threading.Thread(target=send)
    sender.start()
    while len(accepted) < 30 and sender.is_alive():
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)
    server.wait()
    sender.join()
    assert 30 <= len(accepted) < BATCHES
    in_db = set(stored_ids(world))
    promised = {i for ids in accepted.values() for i in ids}
    assert promised <= in_db  # every 202 is durable
    server = start_server(env, free_port() if False else port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for b, batch in enumerate(batches):
                r = client.post(
                    "/v1/intake/hotel",
                    json=batch,
                    headers={**headers, "Idempotency-Key": f"batch-{b}"},
                )
                assert r.status_code == 202, r.text
                if b in accepted:
                    assert r.json()["submission_ids"] == accepted[b]
    finally:
        server.terminate()
        server.wait(timeout=30)
    ids = stored_ids(world)
    assert len(ids) == len(set(ids)) == BATCHES * BATCH


async def _publish(url: str, org_id: int, count: int) -> None:
    import nats

    nc = await nats.connect(url)
    js = nc.jetstream()
    await js.add_stream(name="VIGIL_INTAKE", subjects=["vigil.intake.>"])
    pending = []
    for n in range(count):
        body = json.dumps(sample("hotel", n)).encode()
        pending.append(js.publish("vigil.intake.hotel", body, headers={ORG_HEADER: str(org_id)}))
        if len(pending) == 500:
            await asyncio.gather(*pending)
            pending = []
    await asyncio.gather(*pending)
    await nc.close()


def test_sigkill_nats_consumer_halfway(world: World, tmp_path: Path) -> None:
    port = free_port()
    nats_proc = subprocess.Popen(
        [
            nats_server_binary(),
            "-js",
            "-a",
            "127.0.0.1",
            "-p",
            str(port),
            "-sd",
            str(tmp_path / "js"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"nats://127.0.0.1:{port}"
    try:
        time.sleep(0.5)
        asyncio.run(_publish(url, world.org_ids["hotel"], 10_000))
        command = [
            sys.executable,
            "-m",
            "vigil.cli",
            "intake",
            "consume",
            "--servers",
            url,
            "--batch",
            "250",
        ]
        env = child_env(world, tmp_path)
        consumer = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while len(stored_ids(world)) < 5_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        consumer.send_signal(signal.SIGKILL)
        consumer.wait()
        halfway = len(stored_ids(world))
        assert 5_000 <= halfway < 10_000
        consumer = subprocess.Popen(
            [*command, "--idle-exit", "3"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, err = consumer.communicate(timeout=180)
        assert consumer.returncode == 0, err.decode()[-2000:]
        ids = stored_ids(world)
        assert len(ids) == len(set(ids)) == 10_000
    finally:
        nats_proc.terminate()
        nats_proc.wait(timeout=10)
