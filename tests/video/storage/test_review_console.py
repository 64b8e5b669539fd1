"""The console's video pieces over HTTP: the review queue and its verdicts, blurred snapshots
for their own organisation only, live zone counts, and the worker's zones, lines and rules
stored per camera (validated by the worker's own model) and read back by the worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.video.sources import source_key
from tests.world import World, add_user, build_world
from vigil.core.runtime import Runtime
from vigil.governance.access import Role
from vigil.governance.audit import AuditEntry
from vigil.video import service
from vigil.video.models import Camera, VideoEvent
from vigil.video.worker.config import WorkerConfig

pytestmark = pytest.mark.storage
JPEG = b"\xff\xd8\xff\xe0 blurred people only \xff\xd9"
MASK = [[0.0, 0.0], [0.25, 0.0], [0.25, 0.3], [0.0, 0.3]]


def _camera(world: World, code: str, who: str = "supervisor") -> int:
    body = {
        "code": code, "name": f"Camera {code}", "latitude": 31.23, "longitude": 121.47,
        "height_m": 6, "heading_deg": 0, "fov_deg": 90, "range_m": 60,
        "area_class": "public_area", "owner_kind": "agency", "owner_name": "Agency",
        "legal_basis": "Public security video regulations, art. 7", "privacy_masks": [MASK],
    }  # fmt: skip
    made = world.client.post("/v1/video/cameras", json=body, headers=world.auth(who))
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _events(world: World, events: list[dict[str, Any]]) -> list[int]:
    """Post events as agency A's NVR does, with its video source key."""
    headers = world.auth(source_key(world))
    sent = world.client.post("/v1/video/events/webhook", json=events, headers=headers)
    assert sent.status_code == 200, sent.text
    return list(sent.json()["event_ids"])


def _event(n: int, kind: str, hour: int, camera: str = "sq-1", **extra: Any) -> dict[str, Any]:
    return {
        "source": "test", "source_event_id": f"ev-{camera}-{n}", "camera": camera, "kind": kind,
        "zone": "fountain", "label": "person", "started_at": f"2026-12-06T{hour:02d}:00:00+00:00",
        **extra,
    }  # fmt: skip


@pytest.fixture
def world(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    store = tmp_path / "snapshots"
    (store / "sq-1").mkdir(parents=True)
    (store / "sq-1" / "ev-1.jpg").write_bytes(JPEG)
    (tmp_path / "secret.jpg").write_bytes(b"outside the store")
    monkeypatch.setattr(runtime.settings, "video_snapshot_dir", store)
    return build_world(runtime)


def _audited(runtime: Runtime, object_type: str) -> list[AuditEntry]:
    with runtime.unit_of_work() as session:
        query = select(AuditEntry).where(AuditEntry.object_type == object_type)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def test_review_queue_newest_first_and_verdicts(world: World) -> None:
    _camera(world, "sq-1")
    _camera(world, "gate-2")
    ids = _events(
        world,
        [
            _event(1, "intrusion", 1, snapshot="sq-1/ev-1.jpg"),
            _event(2, "loitering", 3),
            _event(3, "zone_count", 4, value=12),
            _event(4, "intrusion", 2, camera="gate-2"),
        ],
    )
    intrusion, loitering, _count, gate = ids
    queue = world.client.get("/v1/video/review", headers=world.auth("officer")).json()
    assert [e["id"] for e in queue] == [loitering, gate, intrusion]  # no zone count, newest first
    assert {e["review_state"] for e in queue} == {"open"}

    verdict = world.client.post(
        f"/v1/video/events/{loitering}/review",
        json={"state": "false_alarm", "note": "a street sweeper"},
        headers=world.auth("officer"),
    )
    assert verdict.status_code == 200, verdict.text
    body = verdict.json()
    assert body["review_state"] == "false_alarm" and body["review_note"] == "a street sweeper"
    assert body["reviewed_by"] and body["reviewed_at"]
    queue = world.client.get("/v1/video/review", headers=world.auth("officer")).json()
    assert [e["id"] for e in queue] == [loitering, gate, intrusion]  # a review moves nothing
    assert [e["review_state"] for e in queue] == ["false_alarm", "open", "open"]

    again = world.client.post(
        f"/v1/video/events/{loitering}/review",
        json={"state": "confirmed"},
        headers=world.auth("officer"),
    )
    assert again.status_code == 409
    by_camera = world.client.get(
        "/v1/video/review?state=open&kind=intrusion&camera_id=1", headers=world.auth("officer")
    ).json()
    assert [e["id"] for e in by_camera] == [intrusion]
    entries = [e for e in _audited(world.runtime, "video_event") if e.action == "alter"]
    assert [e.object_id for e in entries] == [str(loitering)]

    bad = world.client.post(
        f"/v1/video/events/{intrusion}/review",
        json={"state": "maybe"},
        headers=world.auth("officer"),
    )
    assert bad.status_code == 422
    assert any(e["field"].endswith("state") for e in bad.json()["errors"])
    foreign = world.client.post(
        f"/v1/video/events/{intrusion}/review",
        json={"state": "confirmed"},
        headers=world.auth("analyst_b"),
    )
    assert foreign.status_code == 404
    assert world.client.get("/v1/video/review", headers=world.auth("analyst_b")).json() == []


def test_snapshot_for_its_own_organisation_only_and_never_outside_the_store(
    world: World,
) -> None:
    _camera(world, "sq-1")
    with_snapshot, without, escaping = _events(
        world,
        [
            _event(1, "intrusion", 1, snapshot="sq-1/ev-1.jpg"),
            _event(2, "intrusion", 2),
            _event(3, "intrusion", 3, snapshot="sq-1/other.jpg"),
        ],
    )
    got = world.client.get(
        f"/v1/video/events/{with_snapshot}/snapshot", headers=world.auth("officer")
    )
    assert got.status_code == 200 and got.content == JPEG
    assert got.headers["content-type"] == "image/jpeg"
    views = _audited(world.runtime, "video_snapshot")
    assert [(v.action, v.object_id) for v in views] == [("consult", str(with_snapshot))]

    other_org = world.client.get(
        f"/v1/video/events/{with_snapshot}/snapshot", headers=world.auth("analyst_b")
    )
    assert other_org.status_code == 404
    none = world.client.get(f"/v1/video/events/{without}/snapshot", headers=world.auth("officer"))
    assert none.status_code == 404
    # a stored name that leads out of the store (written past the schema) is not served
    with world.runtime.unit_of_work() as session:
        session.execute(
            update(VideoEvent).where(VideoEvent.id == escaping).values(snapshot="../secret.jpg")
        )
    escaped = world.client.get(
        f"/v1/video/events/{escaping}/snapshot", headers=world.auth("officer")
    )
    assert escaped.status_code == 404 and b"outside the store" not in escaped.content
    assert len(_audited(world.runtime, "video_snapshot")) == 1


def test_zone_counts_latest_and_series_per_camera_and_zone(world: World) -> None:
    _camera(world, "sq-1")
    _events(
        world,
        [_event(n, "zone_count", n, value=10 + n) for n in range(1, 6)]
        + [_event(9, "zone_count", 2, value=3, zone="gate", label="vehicle")],
    )
    counts = world.client.get("/v1/video/zone-counts?points=3", headers=world.auth("officer"))
    assert counts.status_code == 200, counts.text
    by_zone = {(c["zone"], c["label"]): c for c in counts.json()}
    fountain = by_zone[("fountain", "person")]
    assert fountain["camera"] == "sq-1" and fountain["latest"] == 15
    assert [p["value"] for p in fountain["series"]] == [13, 14, 15]  # oldest first
    assert by_zone[("gate", "vehicle")]["latest"] == 3
    assert world.client.get("/v1/video/zone-counts", headers=world.auth("analyst_b")).json() == []


CONFIG = {
    "fps": 12,
    "zones": [{"name": "fountain", "polygon": [[400, 300], [900, 300], [900, 650], [400, 650]]}],
    "lines": [{"name": "gate", "a": [100, 500], "b": [600, 500]}],
    "rules": [
        {"name": "night intrusion", "kind": "intrusion", "zone": "fountain",
         "schedule": {"days": [0, 1, 2, 3, 4], "start": "22:00", "end": "06:00",
                      "timezone": "Asia/Shanghai"}},
        {"name": "gate count", "kind": "line_crossing", "zone": "gate"},
    ],
}  # fmt: skip


def test_analytics_config_stored_validated_and_read_by_the_worker(world: World) -> None:
    camera_id = _camera(world, "sq-1")
    url = f"/v1/video/cameras/{camera_id}/analytics"
    fresh = world.client.get(url, headers=world.auth("analyst")).json()
    assert fresh["stored"] is False and fresh["config"]["zones"] == []
    assert fresh["privacy_masks"] == [[[0, 0], [320, 0], [320, 216], [0, 216]]]  # 1280x720 px

    body = {"frame_width": 1280, "frame_height": 720, "config": CONFIG}
    saved = world.client.put(url, json=body, headers=world.auth("supervisor"))
    assert saved.status_code == 200, saved.text
    assert saved.json()["stored"] is True and saved.json()["updated_by"]
    with world.runtime.unit_of_work() as session:
        camera = session.get(Camera, camera_id)
        assert camera is not None
        worker = service.worker_config_of(camera)
    assert isinstance(worker, WorkerConfig) and worker.camera == "sq-1" and worker.fps == 12
    assert worker.privacy_masks == [[(0, 0), (320, 0), (320, 216), (0, 216)]]
    assert [r.schedule.timezone for r in worker.rules] == ["Asia/Shanghai", "UTC"]
    assert len(_audited(world.runtime, "video_camera_analytics")) == 1

    broken = {
        **CONFIG,
        "fps": -1,
        "zones": [{"name": "fountain", "polygon": [[1, 1], [2, 2]]}],
        "privacy_masks": [],
    }
    refused = world.client.put(
        url,
        json={"frame_width": 1280, "frame_height": 720, "config": broken},
        headers=world.auth("supervisor"),
    )
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json()["errors"]}
    assert {"config.fps", "config.zones.0.polygon", "config.privacy_masks"} <= fields
    outside = {**CONFIG, "lines": [{"name": "gate", "a": [100, 500], "b": [1600, 500]}]}
    refused = world.client.put(
        url,
        json={"frame_width": 1280, "frame_height": 720, "config": outside},
        headers=world.auth("supervisor"),
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["config.lines.0"]
    unknown_zone = {**CONFIG, "zones": []}
    refused = world.client.put(
        url,
        json={"frame_width": 1280, "frame_height": 720, "config": unknown_zone},
        headers=world.auth("supervisor"),
    )
    assert refused.status_code == 422 and "names no known zone" in refused.text
    # nothing half-stored: the first configuration stands
    kept = world.client.get(url, headers=world.auth("analyst")).json()
    assert kept["config"]["fps"] == 12 and len(kept["config"]["zones"]) == 1
    assert world.client.get(url, headers=world.auth("analyst_b")).status_code == 404
    add_user(world, "supervisor_b", Role.SUPERVISOR, "B")
    foreign = world.client.put(url, json=body, headers=world.auth("supervisor_b"))
    assert foreign.status_code == 404


def test_roles_without_the_permission_are_refused(world: World) -> None:
    """An auditor sees no events, snapshots or counts; only staff who work alerts give a
    verdict; a business's API key edits no camera's analytics."""
    _camera(world, "sq-1")
    (event,) = _events(world, [_event(1, "intrusion", 1, snapshot="sq-1/ev-1.jpg")])
    auditor = world.auth("auditor")
    assert world.client.get("/v1/video/review", headers=auditor).status_code == 403
    assert (
        world.client.get(f"/v1/video/events/{event}/snapshot", headers=auditor).status_code == 403
    )
    assert world.client.get("/v1/video/zone-counts", headers=auditor).status_code == 403
    verdict = world.client.post(
        f"/v1/video/events/{event}/review", json={"state": "confirmed"}, headers=auditor
    )
    assert verdict.status_code == 403
    body = {"frame_width": 640, "frame_height": 360, "config": {}}
    by_business = world.client.put(
        "/v1/video/cameras/1/analytics", json=body, headers=world.auth("hotel_key")
    )
    assert by_business.status_code == 403
    assert _audited(world.runtime, "video_snapshot") == []
