"""Who may post video events: their source, with its API key. An agency's video source key
(its NVRs and analytics workers) posts for the agency's cameras, and opens nothing else; a
business's key for the cameras it owns; a person signed in, whatever the role, is refused
(403), a request without a key is 401, a revoked or unknown key too; problem+json each."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.video.sources import source_key
from tests.video.storage.test_events import _camera, _counts, _generic
from tests.world import World, build_world
from vigil.core.errors import ValidationFailed
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import Role, system_context
from vigil.video.worker.events import VideoEvent as WorkerEvent
from vigil.video.worker.sinks import WebhookSink

pytestmark = pytest.mark.storage
FRIGATE = [
    {
        "id": "1700000000.1-abc", "camera": "gate", "label": "person", "zones": ["perimeter"],
        "start_time": 1700000000.1, "end_time": 1700000030.5,
    }
]  # fmt: skip
ONVIF = {
    "topic": "tns1:RuleEngine/FieldDetector/ObjectsInside", "utc_time": "2026-03-01T10:15:00Z",
    "source": {"Rule": "perimeter"}, "data": {"IsInside": "true", "ClassTypes": "Human"},
}  # fmt: skip


def _sends(world: World) -> list[tuple[str, dict[str, Any]]]:
    """The three ingest endpoints, each with a body it accepts for camera `gate`."""
    return [
        ("/v1/video/events/webhook", {"json": [_generic("gate")]}),
        ("/v1/video/events/frigate", {"content": json.dumps(FRIGATE)}),
        ("/v1/video/events/onvif?camera=gate", {"content": json.dumps(ONVIF)}),
    ]


@pytest.fixture
def world(runtime: Runtime) -> World:
    world = build_world(runtime)
    _camera(runtime, "gate", org=world.org_ids["A"])
    _camera(runtime, "far", org=world.org_ids["B"])
    return world


def _problem(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return str(response.json()["detail"])


def test_an_agencys_source_key_posts_its_cameras_events_on_every_endpoint(world: World) -> None:
    headers = world.auth(source_key(world))
    for path, body in _sends(world):
        r = world.client.post(path, headers=headers, **body)
        assert r.status_code == 200, (path, r.text)
        assert r.json()["stored"] == 1 and r.json()["alerts"] == 1, (path, r.text)
    assert _counts(world.runtime) == (3, 3)
    # another agency's camera is not its to report: a field error, nothing stored
    r = world.client.post(
        "/v1/video/events/webhook", json=[_generic("far", source_event_id="x")], headers=headers
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "0.camera"
    assert _counts(world.runtime) == (3, 3)


@pytest.mark.parametrize("who", ["admin", "supervisor", "analyst", "officer", "clerk"])
def test_a_person_signed_in_may_not_post_events(world: World, who: str) -> None:
    for path, body in _sends(world):
        detail = _problem(world.client.post(path, headers=world.auth(who), **body), 403)
        assert "X-API-Key" in detail and "not by a person" in detail
    assert _counts(world.runtime) == (0, 0)


def test_no_key_a_bad_key_or_a_revoked_one_is_401(world: World) -> None:
    name = source_key(world)
    prefix = world.api_keys[name].split("_")[1]
    for path, body in _sends(world):
        assert "X-API-Key" in _problem(world.client.post(path, **body), 401)
        wrong = {"X-API-Key": world.api_keys[name][:-4] + "abcd"}
        _problem(world.client.post(path, headers=wrong, **body), 401)
        bad_token = {"Authorization": "Bearer not-a-token"}
        _problem(world.client.post(path, headers=bad_token, **body), 401)
    revoked = world.client.delete(f"/v1/api-keys/{prefix}", headers=world.auth("admin"))
    assert revoked.status_code == 204, revoked.text
    for path, body in _sends(world):
        assert "revoked" in _problem(world.client.post(path, headers=world.auth(name), **body), 401)
    assert _counts(world.runtime) == (0, 0)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/video/events"),
        ("GET", "/v1/video/cameras"),
        ("GET", "/v1/video/review"),
        ("POST", "/v1/video/events/1/review"),
        ("GET", "/v1/me"),
        ("GET", "/v1/alerts"),
        ("GET", "/v1/organisations"),
        ("POST", "/v1/intake/hotel"),
    ],
)
def test_a_source_key_opens_nothing_but_the_event_endpoints(
    world: World, method: str, path: str
) -> None:
    r = world.client.request(method, path, headers=world.auth(source_key(world)), json={})
    assert "video source key" in _problem(r, 403)


def test_a_business_key_posts_for_the_cameras_it_owns_only(runtime: Runtime) -> None:
    world = build_world(runtime)
    _camera(runtime, "shop", owner_org=world.org_ids["hotel"], org=world.org_ids["A"])
    _camera(runtime, "gate", org=world.org_ids["A"])
    shop = [_generic("shop", source_event_id="s-1")]
    r = world.client.post("/v1/video/events/webhook", json=shop, headers=world.auth("hotel_key"))
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text
    gate = [_generic("gate", source_event_id="g-1")]
    r = world.client.post("/v1/video/events/webhook", json=gate, headers=world.auth("hotel_key"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "0.camera"
    # the agency that registered the camera analyses its stream under the agreement: its
    # worker reports with the agency's source key; another agency's key may not
    shop = [_generic("shop", source_event_id="s-2")]
    r = world.client.post(
        "/v1/video/events/webhook", json=shop, headers=world.auth(source_key(world))
    )
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text
    r = world.client.post(
        "/v1/video/events/webhook", json=shop, headers=world.auth(source_key(world, "B"))
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "0.camera"


def test_no_person_holds_the_video_source_role(world: World) -> None:
    with world.runtime.unit_of_work() as session, pytest.raises(ValidationFailed) as refused:
        governance.create_user(
            session,
            system_context(),
            "nvr-operator",
            "correct-horse-battery-9",
            Role.VIDEO_SOURCE,
            world.org_ids["A"],
        )
    assert [e.loc for e in refused.value.errors] == ["role"]


def test_a_source_cannot_end_or_hide_another_cameras_event_by_its_id(runtime: Runtime) -> None:
    world = build_world(runtime)
    _camera(runtime, "gate", org=world.org_ids["A"])
    _camera(runtime, "shop", owner_org=world.org_ids["hotel"], org=world.org_ids["A"])
    agency = world.auth(source_key(world))
    r = world.client.post("/v1/video/events/webhook", json=[_generic("gate")], headers=agency)
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text
    # the business's key sends the same source and id, for its own camera, with an end
    same_id = [_generic("shop", ended_at="2026-03-01T03:00:00+08:00")]
    r = world.client.post("/v1/video/events/webhook", json=same_id, headers=world.auth("hotel_key"))
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["0.source_event_id"]
    (event,) = world.client.get("/v1/video/events", headers=world.auth("analyst")).json()
    assert event["ended_at"] is None and event["camera_id"] == 1
    # the gate's own source ends it
    ended = [_generic("gate", ended_at="2026-03-01T03:00:00+08:00")]
    r = world.client.post("/v1/video/events/webhook", json=ended, headers=agency)
    assert r.status_code == 200 and r.json()["ended"] == 1, r.text


def test_the_built_in_worker_posts_as_its_agencys_source(world: World, tmp_path: Path) -> None:
    """`vigil video watch --webhook URL` with the key in VIGIL_VIDEO_SOURCE_KEY: its sink
    posts each event to Vigil's webhook with the key; without one it is refused."""
    event = WorkerEvent(
        source_event_id="gate:perimeter:7:120", camera="gate", kind="intrusion",
        zone="perimeter", label="person", started_at=datetime(2026, 3, 1, 2, tzinfo=UTC),
    )  # fmt: skip
    url = "/v1/video/events/webhook"
    key = {"X-API-Key": world.api_keys[source_key(world)]}
    sink = WebhookSink(url, tmp_path / "delivered.jsonl", headers=key, client=world.client)
    assert sink.emit(event) is True
    sink.close()
    assert _counts(world.runtime) == (1, 1)  # stored, and the perimeter rule's alert
    keyless = WebhookSink(url, tmp_path / "other.jsonl", client=world.client)
    with pytest.raises(httpx.HTTPStatusError, match="401"):
        keyless.emit(event)
