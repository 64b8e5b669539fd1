"""Alert lifecycle, organisation scoping, the SSE stream, webhooks, and no tipping-off."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import httpx
import pytest
import uvicorn

from tests.world import World, build_world
from vigil.alerts import service
from vigil.alerts.notify import deliver_webhooks, sign
from vigil.alerts.schemas import AlertIn
from vigil.api.app import create_app
from vigil.core.runtime import Runtime
from vigil.governance.access import Purpose, system_context

pytestmark = pytest.mark.storage
SCREENING = system_context(Purpose.SCREENING, "statute:registration")


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
        "/v1/alerts", headers=world.auth("analyst_b", "screening", "statute:x")
    )
    assert listing.status_code == 200 and listing.json() == []
    single = world.client.get(
        f"/v1/alerts/{alert_id}", headers=world.auth("analyst_b", "screening", "statute:x")
    )
    assert single.status_code == 404
    # A business key probes every GET route the app has: none reveals the alert.
    app_routes = [r for r in world.client.app.routes if "GET" in getattr(r, "methods", set())]
    for route in app_routes:
        path = route.path.replace("{alert_id}", str(alert_id))
        if "{" in path or path.endswith("/stream"):
            continue
        for key in ("hotel_key", "clerk"):
            response = world.client.get(path, headers=world.auth(key, "screening", "statute:x"))
            assert "李秘密" not in response.text and "W-2026-001" not in response.text, path
    stream = world.client.get(
        "/v1/alerts/stream", headers=world.auth("hotel_key", "screening", "statute:x")
    )
    assert stream.status_code == 403


def test_listing_requires_purpose(world: World) -> None:
    _raise(world)
    assert world.client.get("/v1/alerts", headers=world.auth("officer")).status_code == 400


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


def test_sse_stream_delivers_a_new_alert_within_a_second(world: World) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(world.runtime), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    received: list[tuple[float, dict[str, Any]]] = []
    token = world.tokens["officer"]

    def listen() -> None:
        url = f"http://127.0.0.1:{port}/v1/alerts/stream?access_token={token}&purpose=screening&legal_basis=statute:x"
        with httpx.stream("GET", url, timeout=10) as response:
            for line in response.iter_lines():
                if line.startswith("data:"):
                    received.append((time.monotonic(), json.loads(line[5:])))
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(1.0)  # let the stream start before the alert exists
    alert_id = _raise(world)
    listener.join(timeout=10)
    server.should_exit = True
    thread.join(timeout=10)
    assert received, "no event arrived"
    _, payload = received[0]
    assert payload["id"] == alert_id  # latency is measured in bench/pipeline.py, not asserted
