"""Video event sources for tests: an agency's video source key, the credential its NVRs and
analytics workers post events with."""

from __future__ import annotations

from typing import Any

from tests.world import World
from vigil.governance import service as governance
from vigil.governance.access import system_context


def source_key(world: World, org: str = "A") -> str:
    """The name (for `world.auth`) of agency `org`'s video source key, issued on first use."""
    name = f"video_source_{org}"
    if name not in world.api_keys:
        with world.runtime.unit_of_work() as session:
            issued = governance.create_api_key(
                session, system_context(), world.org_ids[org], f"NVR of agency {org}"
            )
        world.api_keys[name] = issued.secret
    return name


def add_square_camera(world: World, at: tuple[float, float], **extra: Any) -> None:
    """Register camera sq-1 (a square's north forecourt, agency-owned, at `at`) as a supervisor."""
    camera = {
        "code": "sq-1", "name": "Square north forecourt", "latitude": at[0],
        "longitude": at[1], "height_m": 6, "heading_deg": 180, "fov_deg": 90, "range_m": 80,
        "area_class": "public_area", "owner_kind": "agency",
        "owner_name": "Riverside Public Security Bureau",
        "legal_basis": "Public security video regulations, art. 7", **extra,
    }  # fmt: skip
    made = world.client.post("/v1/video/cameras", json=camera, headers=world.auth("supervisor"))
    assert made.status_code == 201, made.text


def post_events(world: World, events: list[dict[str, Any]]) -> list[int]:
    """Post events with agency A's source key; the ids of the events stored."""
    sent = world.client.post(
        "/v1/video/events/webhook", json=events, headers=world.auth(source_key(world))
    )
    assert sent.status_code == 200 and sent.json()["stored"] == len(events), sent.text
    return list(sent.json()["event_ids"])
