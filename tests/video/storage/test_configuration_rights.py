"""Who may change what is watched: every staff role reads cameras, rules and analytics, but
only a configuring role (supervisor, administrator) registers cameras, sets their status, the
asset they guard, their rules and the worker's zones, lines and rules. A refusal is a 403
problem that says so, is audited as refused, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.video.storage.test_cameras import CSV, GATE
from tests.world import World, build_world
from vigil.core.runtime import Runtime
from vigil.governance.models import AuditEntry
from vigil.video.models import Camera, VideoRule

pytestmark = pytest.mark.storage

ANALYTICS = {
    "frame_width": 1280,
    "frame_height": 720,
    "config": {"zones": [{"name": "yard", "polygon": [[0, 0], [100, 0], [100, 100]]}]},
}


def _writes(camera_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    """Every write of the video registry: (method, path, request arguments)."""
    return [
        ("POST", "/v1/video/cameras", {"json": {**GATE, "code": "gate_2"}}),
        (
            "POST",
            "/v1/video/cameras/import",
            {"files": {"file": ("cameras.csv", CSV.encode(), "text/csv")}},
        ),
        ("POST", f"/v1/video/cameras/{camera_id}/status", {"json": {"status": "inactive"}}),
        (
            "POST",
            f"/v1/video/cameras/{camera_id}/rules",
            {"json": {"name": "perimeter", "kind": "intrusion"}},
        ),
        ("PUT", f"/v1/video/cameras/{camera_id}/analytics", {"json": ANALYTICS}),
        ("PUT", f"/v1/video/cameras/{camera_id}/asset", {"json": {"asset_id": None}}),
    ]


def _registry(runtime: Runtime) -> list[tuple[Any, ...]]:
    """What a write would change: each camera's fields and each rule."""
    with runtime.unit_of_work() as session:
        cameras = [
            (c.code, c.status, c.analytics_config, c.infrastructure_asset_id, c.updated_at)
            for c in session.scalars(select(Camera).order_by(Camera.id))
        ]
        rules = [(r.camera_id, r.name) for r in session.scalars(select(VideoRule))]
    return [*cameras, *rules]


def _camera(world: World) -> int:
    made = world.client.post("/v1/video/cameras", json=GATE, headers=world.auth("supervisor"))
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


@pytest.mark.parametrize("who", ["officer", "analyst"])
def test_reading_roles_may_not_change_cameras(runtime: Runtime, who: str) -> None:
    world = build_world(runtime)
    camera_id = _camera(world)
    before = _registry(runtime)
    for method, path, arguments in _writes(camera_id):
        r = world.client.request(method, path, headers=world.auth(who), **arguments)
        assert r.status_code == 403, (method, path, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["status"] == 403 and problem["instance"] == path
        assert f"role {who} may read cameras but not change them" in problem["detail"]
        assert "admin, supervisor" in problem["detail"]
    assert _registry(runtime) == before
    # reading stays everyday work
    assert world.client.get("/v1/video/cameras", headers=world.auth(who)).status_code == 200
    for read in ("rules", "analytics"):
        url = f"/v1/video/cameras/{camera_id}/{read}"
        assert world.client.get(url, headers=world.auth(who)).status_code == 200
    with runtime.unit_of_work() as session:
        refused = session.scalars(
            select(AuditEntry.object_id).where(
                AuditEntry.outcome == "refused", AuditEntry.actor == f"user:{who}"
            )
        ).all()
    assert sorted(refused) == sorted(f"{m} {p}" for m, p, _ in _writes(camera_id))


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_configuring_roles_change_cameras(runtime: Runtime, who: str) -> None:
    world = build_world(runtime)
    camera_id = _camera(world)
    for method, path, arguments in _writes(camera_id):
        r = world.client.request(method, path, headers=world.auth(who), **arguments)
        assert r.status_code in (200, 201), (method, path, r.text)
    # the administrator who configures the registry reads it too (events stay staff work)
    listed = world.client.get("/v1/video/cameras", headers=world.auth(who))
    assert [c["code"] for c in listed.json()] == ["gate_1", "gate_2", "sq_1", "shop_1"]
    assert listed.json()[0]["status"] == "inactive"
    stored = world.client.get(
        f"/v1/video/cameras/{camera_id}/analytics", headers=world.auth(who)
    ).json()
    assert stored["stored"] is True and stored["updated_by"] == f"user:{who}"
    with runtime.unit_of_work() as session:
        altered = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.object_type == "video_camera_analytics", AuditEntry.outcome == "ok"
            )
        ).all()
    assert altered == [f"user:{who}"]


def test_the_console_learns_who_may_configure(runtime: Runtime) -> None:
    world = build_world(runtime)
    held = {
        who: world.client.get("/v1/me", headers=world.auth(who)).json()["permissions"]
        for who in ("officer", "analyst", "supervisor", "admin")
    }
    assert {who for who, permissions in held.items() if "video.configure" in permissions} == {
        "supervisor",
        "admin",
    }
    assert "analytics.run" in held["officer"]
