"""The JSONL and webhook sinks deliver each event once, across restarts."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from vigil.video.worker.events import VideoEvent, event_id
from vigil.video.worker.sinks import JsonlSink, WebhookSink


def _event(n: int) -> VideoEvent:
    return VideoEvent(
        source_event_id=event_id("cam", "fence", n, 10 * n),
        camera="cam",
        kind="intrusion",
        zone="yard",
        label="person",
        started_at=datetime(2026, 6, 1, 12, n, tzinfo=UTC),
    )


def test_jsonl_sink_skips_what_it_already_holds_even_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    sink = JsonlSink(path)
    assert [sink.emit(_event(n)) for n in (1, 2, 1)] == [True, True, False]
    sink.close()
    again = JsonlSink(path)
    assert [again.emit(_event(n)) for n in (2, 3)] == [False, True]
    again.close()
    ids = [json.loads(line)["source_event_id"] for line in path.read_text().splitlines()]
    assert ids == ["cam:fence:1:10", "cam:fence:2:20", "cam:fence:3:30"]
    assert VideoEvent.model_validate_json(path.read_text().splitlines()[0]) == _event(1)


def test_jsonl_sink_cuts_a_line_torn_by_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(_event(1).model_dump_json() + "\n" + '{"source_event_id": "cam:fen')
    sink = JsonlSink(path)
    assert sink.emit(_event(2)) is True
    sink.close()
    assert [json.loads(line)["source_event_id"] for line in path.read_text().splitlines()] == [
        "cam:fence:1:10",
        "cam:fence:2:20",
    ]


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[list[dict]]] = []  # each body: the webhook's array
    keys: ClassVar[list[str | None]] = []
    fail_next = False

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if _Receiver.fail_next:
            _Receiver.fail_next = False
            self.send_response(503)
            self.end_headers()
            return
        _Receiver.received.append(body)
        _Receiver.keys.append(self.headers.get("X-API-Key"))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver():
    _Receiver.received = []
    _Receiver.keys = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/video/events/webhook"
    server.shutdown()
    server.server_close()


def test_webhook_sink_posts_each_event_once(tmp_path: Path, receiver: str) -> None:
    sink = WebhookSink(receiver, tmp_path / "delivered.jsonl", headers={"X-API-Key": "vgl_k_s"})
    assert [sink.emit(_event(n)) for n in (1, 2, 1)] == [True, True, False]
    sink.close()
    again = WebhookSink(receiver, tmp_path / "delivered.jsonl")
    assert again.emit(_event(2)) is False
    _Receiver.fail_next = True
    with pytest.raises(Exception, match="503"):
        again.emit(_event(3))
    assert again.emit(_event(3)) is True  # not marked delivered after the failure
    again.close()
    assert all(len(body) == 1 for body in _Receiver.received)  # an array of one event
    events = [body[0] for body in _Receiver.received]
    assert [event["source_event_id"] for event in events] == [
        "cam:fence:1:10",
        "cam:fence:2:20",
        "cam:fence:3:30",
    ]
    assert events[0]["source"] == "vigil-worker"
    assert events[0]["started_at"] == "2026-06-01T12:01:00Z"
    assert _Receiver.keys == ["vgl_k_s", "vgl_k_s", None]  # the key given, sent as X-API-Key
