"""Managing TAXII over /v1/taxii: collections (supervisors), partner keys (administrators),
revocation, and the partners overview; field-level 422s and refused roles."""

from __future__ import annotations

import pytest

from tests.intel.exchange.storage.taxii_world import TaxiiWorld, build_taxii_world
from vigil.core.runtime import Runtime
from vigil.intel.exchange.taxii import TAXII_MEDIA

pytestmark = pytest.mark.storage


@pytest.fixture
def tw(runtime: Runtime) -> TaxiiWorld:
    return build_taxii_world(runtime)


def test_collections_keys_and_revocation_over_http(tw: TaxiiWorld) -> None:
    w = tw.iw.world
    client = w.client
    r = client.post("/v1/taxii/collections", json={"title": ""}, headers=w.auth("supervisor"))
    assert r.status_code == 422 and "title" in r.text
    r = client.post("/v1/taxii/collections", json={"title": "x"}, headers=w.auth("analyst"))
    assert r.status_code == 403
    r = client.post(
        "/v1/taxii/collections", json={"title": "Second shelf"}, headers=w.auth("supervisor")
    )
    assert r.status_code == 201 and r.json()["url"].startswith("/taxii2/api/collections/")
    r = client.post(
        "/v1/taxii/keys", json={"organisation_id": w.org_ids["hotel"]}, headers=w.auth("admin")
    )
    assert r.status_code == 422 and "partner agencies" in r.text
    r = client.post(
        "/v1/taxii/keys", json={"organisation_id": w.org_ids["C"]}, headers=w.auth("supervisor")
    )
    assert r.status_code == 403
    r = client.post(
        "/v1/taxii/keys", json={"organisation_id": w.org_ids["C"]}, headers=w.auth("admin")
    )
    assert r.status_code == 201
    key, prefix = r.json()["key"], r.json()["prefix"]
    taxii_headers = {"Authorization": f"Bearer {key}", "Accept": TAXII_MEDIA}
    listed = client.get("/taxii2/api/collections/", headers=taxii_headers).json()
    assert {c["title"] for c in listed["collections"]} == {
        "Agency A shareable clues",
        "Second shelf",
    }
    assert client.delete(f"/v1/taxii/keys/{prefix}", headers=w.auth("admin")).json() == {
        "prefix": prefix,
        "revoked": True,
    }
    assert client.get("/taxii2/api/collections/", headers=taxii_headers).status_code == 401


def test_partners_overview(tw: TaxiiWorld) -> None:
    w = tw.iw.world
    mine = w.client.get("/v1/taxii/partners", headers=w.auth("supervisor")).json()
    assert {(a["partner"], a["direction"], a["max_tlp"]) for a in mine["agreements"]} == {
        ("Agency B", "out", "AMBER+STRICT"),
        ("Agency C", "out", "GREEN"),
    }
    assert all(a["collections"][0]["id"] == tw.collection for a in mine["agreements"])
    theirs = w.client.get("/v1/taxii/partners", headers=w.auth("analyst_b")).json()
    assert [(a["partner"], a["direction"]) for a in theirs["agreements"]] == [("Agency A", "in")]
    assert theirs["agreements"][0]["collections"][0]["id"] == tw.collection
    assert theirs["collections"] == []
    assert w.client.get("/v1/taxii/partners", headers=w.auth("clerk")).status_code == 403
