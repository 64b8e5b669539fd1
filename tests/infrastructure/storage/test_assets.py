"""Assets, imports, cascades and risk over the API and the services, on both back-ends."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from tests.world import build_world
from vigil.all_models import Base
from vigil.infrastructure import service, water
from vigil.infrastructure.models import InfraAsset, InfraDependency
from vigil.infrastructure.risk import IncidentPoint

pytestmark = pytest.mark.storage

CENTRE = (31.2304, 121.4737)
CARVER = {
    "criticality": 9,
    "accessibility": 8,
    "recuperability": 7,
    "vulnerability": 6,
    "effect": 8,
    "recognizability": 7,
    "shock": 6,
}


def _asset(external_id: str, subtype: str, kind: str = "power", **more: object) -> dict:
    return {
        "external_id": external_id,
        "name": external_id.replace("-", " "),
        "kind": kind,
        "subtype": subtype,
        "operator": "City Power Co.",
        "latitude": CENTRE[0],
        "longitude": CENTRE[1],
        **more,
    }


CHAIN = {
    "assets": [
        _asset("sub-1", "substation", carver=CARVER, protective_measures=["fence", "cctv"]),
        _asset("pump-1", "pumping_station", kind="water", longitude=CENTRE[1] + 0.05),
        _asset("district-1", "district", kind="water", population_served=42000),
        _asset("district-2", "district", kind="water", population_served=8000),
    ],
    "dependencies": [
        {"supplier": "sub-1", "dependant": "pump-1"},
        {"supplier": "pump-1", "dependant": "district-1"},
        {"supplier": "pump-1", "dependant": "district-2", "kind": "redundant"},
    ],
}


def _count(runtime, model) -> int:
    with runtime.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_dependency_chain_cascades_and_ranks(runtime) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/infrastructure/assets", json=CHAIN, headers=w.auth("analyst"))
    assert r.status_code == 201, r.text
    assert r.json() == {"network_id": None, "assets": 4, "dependencies": 3}
    assets = w.client.get("/v1/infrastructure/assets", headers=w.auth("officer")).json()
    ids = {a["external_id"]: a["id"] for a in assets}
    assert assets[0]["carver"] == CARVER and assets[0]["protective_measures"] == ["fence", "cctv"]

    cascade = w.client.get(
        f"/v1/infrastructure/assets/{ids['sub-1']}/cascade", headers=w.auth("analyst")
    )
    assert cascade.status_code == 200, cascade.text
    body = cascade.json()
    assert [f["external_id"] for f in body["failed"]] == [
        "sub-1",
        "pump-1",
        "district-1",
        "district-2",
    ]
    assert body["population_affected"] == 50000 and body["simulations"] == []
    # agency B sees none of it
    assert w.client.get("/v1/infrastructure/assets", headers=w.auth("analyst_b")).json() == []
    other = w.client.get(
        f"/v1/infrastructure/assets/{ids['sub-1']}/cascade", headers=w.auth("analyst_b")
    )
    assert other.status_code == 404

    with runtime.unit_of_work() as session:
        ctx = _ctx(session, w.org_ids["A"])
        incidents = [IncidentPoint(CENTRE[0] + 0.001, CENTRE[1], _now())] * 3
        ranked = service.risk_ranking(session, ctx, incidents, radius_m=500)
    by_id = {r.external_id: r for r in ranked}
    top = ranked[0]
    assert top.external_id == "sub-1"
    assert top.risk == pytest.approx(
        top.threat.value * top.vulnerability.value * top.consequence.value, abs=1e-6
    )
    assert top.threat.detail["incidents_nearby"] == 3
    assert "incident" in top.threat.source and "CARVER" in top.vulnerability.source
    assert top.vulnerability.value == pytest.approx((8 + 6 + 7) / 30)
    assert "cascade" in top.consequence.source and top.consequence.value == 1.0
    assert by_id["pump-1"].threat.detail["incidents_nearby"] == 0  # 5 km east
    assert by_id["district-2"].consequence.detail["population_affected"] == 8000
    assert "no CARVER" in by_id["pump-1"].vulnerability.source

    # the flow's route reads incident analytics (none recorded here: threat at its floor)
    risk = w.client.get("/v1/infrastructure/risk", headers=w.auth("analyst"))
    assert risk.status_code == 200, risk.text
    assert risk.json()[0]["external_id"] == "sub-1"


def test_refusals_store_nothing(runtime) -> None:
    w = build_world(runtime)
    broken = {
        **CHAIN,
        "dependencies": [*CHAIN["dependencies"], {"supplier": "sub-1", "dependant": "ghost"}],
    }
    r = w.client.post("/v1/infrastructure/assets", json=broken, headers=w.auth("analyst"))
    assert r.status_code == 422, r.text
    assert {"field": "dependencies.3.dependant", "message": "no asset 'ghost'"} in r.json()[
        "errors"
    ]
    assert _count(runtime, InfraAsset) == 0 and _count(runtime, InfraDependency) == 0

    unlocated = {
        "assets": [{k: v for k, v in _asset("x", "mast", "telecom").items() if k != "longitude"}]
    }
    r = w.client.post("/v1/infrastructure/assets", json=unlocated, headers=w.auth("analyst"))
    assert r.status_code == 422
    assert any(e["field"].startswith("assets.0") for e in r.json()["errors"])

    r = w.client.post("/v1/infrastructure/assets", json=CHAIN, headers=w.auth("auditor"))
    assert r.status_code == 403
    assert _count(runtime, InfraAsset) == 0

    assert w.client.post(
        "/v1/infrastructure/assets", json=CHAIN, headers=w.auth("analyst")
    ).is_success
    again = w.client.post("/v1/infrastructure/assets", json=CHAIN, headers=w.auth("analyst"))
    assert again.status_code == 422 and "stored already" in again.text
    assert _count(runtime, InfraAsset) == 4


def test_net3_import_and_simulated_pipe_cascade(runtime) -> None:
    w = build_world(runtime)
    inp = water.shipped_network("Net3.inp").read_text()
    body = {
        "name": "Net3",
        "inp": inp,
        "operator": "City Water Utility",
        "latitude": CENTRE[0],
        "longitude": CENTRE[1],
    }
    r = w.client.post("/v1/infrastructure/networks/water", json=body, headers=w.auth("analyst"))
    assert r.status_code == 201, r.text
    model = water.read_inp(inp)
    assert r.json()["assets"] == len(model.node_name_list) + len(model.link_name_list)
    assets = w.client.get("/v1/infrastructure/assets?kind=water", headers=w.auth("analyst")).json()
    pipe = next(a for a in assets if a["external_id"] == "Net3:pipe:229")
    assert pipe["geometry"]["type"] == "LineString"

    cascade = w.client.get(
        f"/v1/infrastructure/assets/{pipe['id']}/cascade", headers=w.auth("analyst")
    )
    assert cascade.status_code == 200, cascade.text
    result = cascade.json()
    expected = water.link_outage(inp, "229")
    (simulation,) = result["simulations"]
    assert simulation["newly_below"] == list(expected.newly_below)
    failed = {f["external_id"] for f in result["failed"]}
    assert {f"Net3:junction:{j}" for j in expected.newly_below} <= failed

    bad = {**body, "name": "Broken", "inp": "[PIPES]\n1 2\n"}
    r = w.client.post("/v1/infrastructure/networks/water", json=bad, headers=w.auth("analyst"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "inp"


def test_no_infrastructure_table_holds_a_person(runtime) -> None:
    """Acceptance 8, first half: the schema itself."""
    personal = ("person", "phone", "email", "birth", "id_number", "passport", "surname", "address")
    tables = [t for name, t in Base.metadata.tables.items() if name.startswith("infra_")]
    assert {t.name for t in tables} == {
        "infra_asset",
        "infra_network",
        "infra_dependency",
        "infra_sensor_event",
    }
    with runtime.engine.connect() as conn:
        inspector = inspect(conn)
        for table in tables:
            columns = [c["name"] for c in inspector.get_columns(table.name)]
            assert not [c for c in columns if any(word in c for word in personal)], table.name
            for key in inspector.get_foreign_keys(table.name):
                assert key["referred_table"] == "organisation" or key["referred_table"].startswith(
                    "infra_"
                ), (table.name, key["referred_table"])


def _ctx(session, organisation_id: int):
    from dataclasses import replace

    from vigil.governance.access import system_context

    return replace(system_context(), organisation_id=organisation_id, organisation_name="A")


def _now():
    from vigil.core.clock import utcnow

    return utcnow()
