"""Alert lifecycle, organisation scoping, the SSE stream, webhooks, and no tipping-off."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager, suppress
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import httpx
import pytest
import uvicorn

from tests.sql import statements_sent
from tests.world import World, build_world
from vigil.alerts import service
from vigil.alerts.api import STREAM_PAGE
from vigil.alerts.feed import AlertFeed
from vigil.alerts.notify import deliver_webhooks, sign
from vigil.alerts.schemas import AlertIn
from vigil.api.app import create_app
from vigil.core.runtime import Runtime
from vigil.governance.access import Purpose, system_context

pytestmark = pytest.mark.storage
SCREENING = system_context(Purpose.SCREENING, "statute:real-name-registration")


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _raise(world: World, org: str = "A", name: str = "张伟") -> int:
    with world.runtime.unit_of_work() as session:
        alert = service.raise_alert(
            session,
            SCREENING,
            AlertIn(
                kind="person",
                score=0.97,
                explanation={"name": {"score": 0.95, "detail": f"{name} ~ Zhang Wei"}},
                summary=f"hotel stay matches wanted person {name}",
                sector="hotel",
                submission_id=12,
                watchlist_entry_id="W-1",
                legal_basis="warrant:W-2026-001 (Riverside Court)",
                organisation_id=world.org_ids[org],
            ),
        )
        return alert.id


def test_lifecycle_with_timestamps_and_assignee(world: World) -> None:
    alert_id = _raise(world)
    headers = world.auth("officer")
    url = f"/v1/alerts/{alert_id}/transitions"
    assert (
        world.client.post(url, json={"action": "acknowledge"}, headers=headers).json()["status"]
        == "acknowledged"
    )
    dispatched = world.client.post(
        url, json={"action": "dispatch", "assignee": "unit-7"}, headers=headers
    ).json()
    assert dispatched["status"] == "dispatched" and dispatched["assignee"] == "unit-7"
    missing = world.client.post(url, json={"action": "resolve"}, headers=headers)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "resolution"
    done = world.client.post(
        url,
        json={"action": "resolve", "resolution": "true_hit", "note": "detained"},
        headers=headers,
    ).json()
    assert done["status"] == "resolved" and done["resolution"] == "true_hit"
    assert done["acknowledged_at"] and done["dispatched_at"] and done["resolved_at"]
    again = world.client.post(url, json={"action": "acknowledge"}, headers=headers)
    assert again.status_code == 409
    fb = world.client.get("/v1/alerts/feedback", headers=headers).json()
    assert fb == {"person:true_hit": 1}


def test_alert_is_a_legal_basis_and_carries_the_entrys_basis(world: World) -> None:
    alert_id = _raise(world)
    response = world.client.get(
        f"/v1/alerts/{alert_id}",
        headers=world.auth("officer", "investigation", f"alert:{alert_id}"),
    )
    assert response.status_code == 200
    assert response.json()["legal_basis"].startswith("warrant:W-2026-001")


def test_other_agency_and_businesses_never_see_alerts(world: World) -> None:
    alert_id = _raise(world, "A", name="李秘密")
    listing = world.client.get(
        "/v1/alerts", headers=world.auth("analyst_b", "screening", "statute:real-name-registration")
    )
    assert listing.status_code == 200 and listing.json() == []
    single = world.client.get(
        f"/v1/alerts/{alert_id}",
        headers=world.auth("analyst_b", "screening", "statute:real-name-registration"),
    )
    assert single.status_code == 404
    # A business key probes every GET route the app has: none reveals the alert.
    app_routes = [r for r in world.client.app.routes if "GET" in getattr(r, "methods", set())]
    for route in app_routes:
        path = route.path.replace("{alert_id}", str(alert_id))
        if "{" in path or path.endswith("/stream"):
            continue
        for key in ("hotel_key", "clerk"):
            response = world.client.get(
                path, headers=world.auth(key, "screening", "statute:real-name-registration")
            )
            assert "李秘密" not in response.text and "W-2026-001" not in response.text, path
    stream = world.client.get(
        "/v1/alerts/stream",
        headers=world.auth("hotel_key", "screening", "statute:real-name-registration"),
    )
    assert stream.status_code == 403


def test_listing_requires_purpose(world: World) -> None:
    _raise(world)
    assert world.client.get("/v1/alerts", headers=world.auth("officer")).status_code == 403


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, Any], str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((json.loads(body), self.headers["X-Vigil-Signature"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_webhook_delivery_is_signed_and_carries_no_personal_data(world: World) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Receiver.received = []
    url = f"http://127.0.0.1:{server.server_port}/hook"
    created = world.client.post(
        "/v1/alerts/webhooks", json={"url": url}, headers=world.auth("supervisor")
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    alert_id = _raise(world, name="王秘密")
    assert deliver_webhooks(world.runtime, [alert_id]) == 1
    server.shutdown()
    (body, signature, raw) = _Receiver.received[0]
    assert body["alert_id"] == alert_id and signature == sign(secret, raw)
    assert "王秘密" not in raw.decode()


@contextmanager
def _served(world: World, pipeline_in_process: bool | None = None) -> Iterator[int]:
    """The app on a free local port while the block runs. On leaving, streams still open
    (a listener still waiting) are cut after a second, so that the server, and the pipeline
    thread beside it, always stop: left running, that pipeline would claim the outbox
    events of the worker's later tests."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(world.runtime, pipeline_in_process=pipeline_in_process),
            host="127.0.0.1",
            port=port,
            log_config=None,
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        assert not thread.is_alive(), "the served app did not stop"


OPENED: dict[int, threading.Event] = {}  # per listener (keyed by its list): stream open


def _listener(
    world: World, port: int, count: int, query: str = ""
) -> tuple[threading.Thread, list[dict[str, Any]]]:
    """A started thread that reads the officer's stream until `count` alerts arrive."""
    received: list[dict[str, Any]] = []
    OPENED[id(received)] = threading.Event()
    token = world.tokens["officer"]
    url = f"http://127.0.0.1:{port}/v1/alerts/stream?access_token={token}&purpose=screening&legal_basis=statute:real-name-registration{query}"

    def listen() -> None:
        # the server cuts a stream still open when the test leaves `_served`: the test then
        # fails on what `received` lacks, not on this thread
        with (
            suppress(httpx.RemoteProtocolError),
            httpx.stream("GET", url, timeout=30) as response,
        ):
            OPENED[id(received)].set()  # headers arrived: the stream's cursor is set
            for line in response.iter_lines():
                if line.startswith("data:"):
                    received.append(json.loads(line[5:]))
                    if len(received) == count:
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    return listener, received


def test_sse_stream_delivers_a_new_alert_within_a_second(world: World) -> None:
    with _served(world) as port:
        listener, received = _listener(world, port, 1)
        assert OPENED[id(received)].wait(30), "the stream did not open"
        alert_id = _raise(world)
        listener.join(timeout=30)
    assert received, "no event arrived"
    assert received[0]["id"] == alert_id  # latency is measured in bench/pipeline.py


def test_a_stream_reads_a_backlog_longer_than_a_page(world: World) -> None:
    raised = [_raise(world) for _ in range(STREAM_PAGE + 30)]
    with _served(world) as port:
        listener, received = _listener(world, port, len(raised), "&after_id=0")
        listener.join(timeout=30)
    assert [event["id"] for event in received] == raised


def test_one_poll_a_tick_wakes_only_the_streams_with_new_alerts(world: World) -> None:
    a, b = world.org_ids["A"], world.org_ids["B"]
    feed = AlertFeed(world.runtime, interval_s=3600, listen=False)  # ticks driven by hand
    read_engine = world.runtime.read_sessions.kw["bind"]

    async def scenario() -> None:
        async with AsyncExitStack() as stack:
            streams_a = [await stack.enter_async_context(feed.subscription(a)) for _ in range(5)]
            streams_b = [await stack.enter_async_context(feed.subscription(b)) for _ in range(5)]
            assert feed.streams == 10
            assert await feed.tick() == set()  # nothing new
            _raise(world, "A")
            with statements_sent(read_engine) as sent:
                assert await feed.tick() == {a}
            queries = [q for q in sent if q.lstrip().upper().startswith("SELECT")]
            assert len(queries) == 1  # one query for all ten streams
            assert all(e.is_set() for e in streams_a)
            assert not any(e.is_set() for e in streams_b)
            assert await feed.tick() == set()  # each alert wakes once
            _raise(world, "B")
            _raise(world, "B")
            assert await feed.tick() == {b}
            assert all(e.is_set() for e in streams_b)
        assert feed.streams == 0

    asyncio.run(scenario())


def test_the_feed_polls_only_while_a_stream_is_open(world: World) -> None:
    feed = AlertFeed(world.runtime, interval_s=0.01)

    async def scenario() -> None:
        assert feed.polling is None
        async with feed.subscription(world.org_ids["A"]) as woken:
            task = feed.polling
            assert task is not None
            _raise(world, "A")
            await asyncio.wait_for(woken.wait(), 10)  # woken by the polling task itself
        await asyncio.wait_for(task, 10)  # ... which ends with the last stream
        assert feed.polling is None

    asyncio.run(scenario())
