from __future__ import annotations

import pytest

from tests.world import World, build_world
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import system_context

BUSINESS_OF = {
    "hotel": "hotel",
    "secondhand": "Pawn Z",
    "motor": "Motor Z",
    "venue": "Cafe Z",
    "parcel": "Courier Z",
    "chemical": "Chem Z",
}
ORG_SECTOR = {
    "Pawn Z": "secondhand",
    "Motor Z": "motor",
    "Cafe Z": "venue",
    "Courier Z": "courier",
    "Chem Z": "chemical",
}


def add_sector_businesses(world: World) -> None:
    ctx = system_context()
    with world.runtime.unit_of_work() as session:
        for name, sector in ORG_SECTOR.items():
            org = governance.create_organisation(session, ctx, name, "business", sector)
            world.org_ids[name] = org.id
            world.api_keys[name] = governance.create_api_key(session, ctx, org.id).secret
    world.api_keys["hotel"] = world.api_keys["hotel_key"]


@pytest.fixture
def world(runtime: Runtime) -> World:
    w = build_world(runtime)
    add_sector_businesses(w)
    return w
