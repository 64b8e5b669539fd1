"""Video event sources for tests: an agency's video source key, the credential its NVRs and
analytics workers post events with."""

from __future__ import annotations

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
