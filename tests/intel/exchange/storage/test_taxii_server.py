"""Vigil's TAXII 2.1 server (issue 25, acceptance 1, 3, 4 and 5): the OASIS taxii2-client
walks it over a real socket, every marking against every reader, the disclosure audit, a
revoked key, and the content-type rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from tests.intel.exchange.storage.taxii_world import (
    MARKINGS,
    TaxiiWorld,
    build_taxii_world,
    served,
)
from vigil.core.runtime import Runtime
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry
from vigil.intel.exchange import taxii, taxii_schemas
from vigil.intel.exchange.stix import TLP2_IDS
from vigil.intel.exchange.taxii import TAXII_MEDIA
from vigil.intel.marking import Tlp

pytestmark = pytest.mark.storage

ROOT = "/taxii2/api"


@pytest.fixture
def tw(runtime: Runtime) -> TaxiiWorld:
    return build_taxii_world(runtime)


def _all_objects(tw: TaxiiWorld, reader: str, limit: int = 4) -> list[dict[str, Any]]:
    """Every object of the collection as the reader sees it, page by page."""
    client, url = tw.iw.client, f"{ROOT}/collections/{tw.collection}/objects/"
    objects: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": limit}
    while True:
        r = client.get(url, params=params, headers=tw.headers(reader))
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == TAXII_MEDIA
        body = r.json()
        page = body.get("objects", [])
        assert len(page) <= limit
        objects += page
        if not body.get("more"):
            return objects
        params = {"limit": limit, "next": body["next"]}


def _marking(obj: dict[str, Any]) -> Tlp | None:
    refs = obj.get("object_marking_refs", [])
    for tlp, mid in TLP2_IDS.items():
        if mid in refs or obj["id"] == mid:
            return tlp
    return None


def test_taxii2_client_walks_discovery_root_collections_and_pages(tw: TaxiiWorld) -> None:
    """Acceptance 1: the OASIS client, over a real socket, with strictly valid STIX."""
    with served(tw.runtime) as base:
        server = Server(f"{base}/taxii2/", user="agency-b", password=tw.keys["B"])
        assert server.title == "Vigil TAXII 2.1"
        assert len(server.api_roots) == 1
        root: ApiRoot = server.api_roots[0]
        assert root.versions == [TAXII_MEDIA]
        assert [c.id for c in root.collections] == [tw.collection]
        coll: Collection = root.collections[0]
        assert coll.can_read and coll.can_write
        pages = list(as_pages(coll.get_objects, per_request=3))
        objects = [o for page in pages for o in page.get("objects", [])]
        assert len(pages) >= 3
        assert all(len(page["objects"]) <= 3 for page in pages)
        assert len({o["id"] for o in objects}) == len(objects)  # no object twice
        manifest = [
            m for page in as_pages(coll.get_manifest, per_request=5) for m in page["objects"]
        ]
        assert [m["id"] for m in manifest] == [o["id"] for o in objects]
        one = coll.get_object(tw.stix_ids["AMBER"])
        assert [o["id"] for o in one["objects"]] == [tw.stix_ids["AMBER"]]
        versions = coll.object_versions(tw.stix_ids["AMBER"])
        assert versions["versions"] == [one["objects"][0]["modified"]]
    reports = {o["id"] for o in objects if o["type"] == "report"}
    assert reports == {tw.stix_ids[t] for t in ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT")}
    bundle = {"type": "bundle", "id": "bundle--6a4e1e0e-3c38-4a6e-9d7e-2b1f3c0f5a10"}
    result = validate_instance(
        {**bundle, "objects": objects}, ValidationOptions(version="2.1", strict=True)
    )
    assert result.is_valid, [str(e) for e in result.errors]


def test_filters_added_after_type_and_id(tw: TaxiiWorld) -> None:
    client, url = tw.iw.client, f"{ROOT}/collections/{tw.collection}/objects/"
    h = tw.headers("key:B")
    r = client.get(url, params={"match[type]": "report"}, headers=h)
    assert {o["id"] for o in r.json()["objects"]} == {
        tw.stix_ids[t] for t in ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT")
    }
    r = client.get(url, params={"match[id]": tw.stix_ids["GREEN"]}, headers=h)
    assert [o["id"] for o in r.json()["objects"]] == [tw.stix_ids["GREEN"]]
    everything = client.get(url, headers=h)
    last = everything.headers["X-TAXII-Date-Added-Last"]
    assert client.get(url, params={"added_after": last}, headers=h).json() == {}
    first = everything.headers["X-TAXII-Date-Added-First"]
    later = client.get(url, params={"added_after": first}, headers=h).json()["objects"]
    assert 0 < len(later) < len(everything.json()["objects"])
    bad = client.get(url, params={"added_after": "yesterday"}, headers=h)
    assert bad.status_code == 400
    assert bad.json()["http_status"] == "400" and "added_after" in bad.json()["description"]
    assert client.get(url, params={"limit": "0"}, headers=h).status_code == 400


def test_every_marking_against_every_reader(tw: TaxiiWorld) -> None:
    """Acceptance 3: AMBER agreement vs GREEN agreement differ exactly by the AMBER objects;
    RED only to its named recipient; no agreement, no collection."""
    expected = {
        "key:B": {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT"},
        "token:supervisor_b": {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT"},
        "token:analyst_b": {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"},
        "key:C": {"CLEAR", "GREEN"},
        "token:analyst_c": {"CLEAR", "GREEN"},
    }
    seen: dict[str, list[dict[str, Any]]] = {}
    for reader, markings in expected.items():
        seen[reader] = _all_objects(tw, reader)
        reports = {o["id"] for o in seen[reader] if o["type"] == "report"}
        for tlp in MARKINGS:
            assert (tw.stix_ids[tlp] in reports) == (tlp in markings), (reader, tlp)
    b = {o["id"]: o for o in seen["key:B"]}
    c = {o["id"]: o for o in seen["key:C"]}
    assert set(c) < set(b)
    assert {_marking(b[i]) for i in set(b) - set(c)} == {Tlp.AMBER, Tlp.AMBER_STRICT}
    amber = {i for i, o in b.items() if _marking(o) in (Tlp.AMBER, Tlp.AMBER_STRICT)}
    assert set(b) - set(c) == amber
    red = {o["id"] for o in seen["token:analyst_b"]} - set(b)
    assert red and {_marking(o) for o in seen["token:analyst_b"] if o["id"] in red} == {Tlp.RED}
    for reader in ("key:D", "token:analyst"):  # no agreement; the serving agency itself
        h = tw.headers(reader)
        assert tw.iw.client.get(f"{ROOT}/collections/", headers=h).json()["collections"] == []
        r = tw.iw.client.get(f"{ROOT}/collections/{tw.collection}/objects/", headers=h)
        assert r.status_code == 403 and r.json()["http_status"] == "403"


def test_agreement_ended_stops_amber_but_not_green(tw: TaxiiWorld) -> None:
    """A share outlives an agreement narrowed to GREEN; TAXII then holds the AMBER back."""
    from vigil.intel.clues.models import Agreement

    with tw.runtime.unit_of_work() as session:
        agreement = session.get(Agreement, tw.agreements["B"])
        assert agreement is not None
        agreement.max_tlp = "GREEN"
    reports = {o["id"] for o in _all_objects(tw, "key:B") if o["type"] == "report"}
    assert reports == {tw.stix_ids["CLEAR"], tw.stix_ids["GREEN"]}


def test_every_object_served_is_audited_as_a_disclosure_to_the_reader(tw: TaxiiWorld) -> None:
    """Acceptance 4, first half."""
    objects = _all_objects(tw, "key:C", limit=2)
    rows = tw.iw.audit_rows(action="disclose", actor=f"taxii:{tw.key_prefixes['C']}")
    assert rows and all(r.recipient == "org:Agency C" for r in rows)
    audited = {i for r in rows for i in r.detail["stix_ids"]}
    assert {o["id"] for o in objects} <= audited
    assert {int(r.object_id) for r in rows} == {tw.clue_ids["CLEAR"], tw.clue_ids["GREEN"]}
    # The clues held back from C are audited as refused, not disclosed.
    refused = tw.iw.audit_rows(actor=f"taxii:{tw.key_prefixes['C']}", outcome="refused")
    assert refused and set(refused[0].detail["clue_ids"]) >= {
        tw.clue_ids["AMBER"],
        tw.clue_ids["RED"],
    }


def test_revoked_key_is_refused_and_audited(tw: TaxiiWorld) -> None:
    """Acceptance 4, second half."""
    url = f"{ROOT}/collections/{tw.collection}/objects/"
    assert tw.iw.client.get(url, headers=tw.headers("key:B")).status_code == 200
    with tw.runtime.unit_of_work() as session:
        taxii.revoke_key(session, system_context(), tw.key_prefixes["B"])
    before = len(tw.iw.audit_rows(action="disclose", actor=f"taxii:{tw.key_prefixes['B']}"))
    r = tw.iw.client.get(url, headers=tw.headers("key:B"))
    assert r.status_code == 401
    assert r.headers["content-type"] == TAXII_MEDIA
    assert r.json() == {
        "title": "Unauthorized",
        "description": "TAXII key revoked",
        "http_status": "401",
    }
    refused = tw.iw.audit_rows(
        actor=f"taxii:{tw.key_prefixes['B']}", outcome="refused", object_type="taxii"
    )
    assert [e.detail["reason"] for e in refused] == ["TAXII key revoked"]
    after = tw.iw.audit_rows(action="disclose", actor=f"taxii:{tw.key_prefixes['B']}")
    assert len(after) == before
    forged = tw.keys["B"][:-2] + "xx"
    assert (
        tw.iw.client.get(
            url, headers={**tw.headers("key:B"), "Authorization": f"Bearer {forged}"}
        ).status_code
        == 401
    )


def test_content_types_406_and_415(tw: TaxiiWorld) -> None:
    """Acceptance 5."""
    client, url = tw.iw.client, f"{ROOT}/collections/{tw.collection}/objects/"
    for accept in ("application/json", "application/taxii+json;version=2.0", "text/html", "*/*"):
        r = client.get(url, headers=tw.headers("key:B", accept=accept))
        assert r.status_code == 406, accept
        assert r.headers["content-type"] == TAXII_MEDIA
        assert r.json()["http_status"] == "406"
    for path in ("/taxii2/", f"{ROOT}/", f"{ROOT}/collections/"):
        assert (
            client.get(path, headers=tw.headers("key:B", accept="application/json")).status_code
            == 406
        )
    ok = client.get(url, headers=tw.headers("key:B", accept="application/taxii+json"))
    assert ok.status_code == 200
    envelope = b'{"objects": []}'
    for content_type in ("application/json", "application/stix+json;version=2.1", "text/plain"):
        r = client.post(
            url, content=envelope, headers={**tw.headers("key:B"), "Content-Type": content_type}
        )
        assert r.status_code == 415, content_type
        assert r.json()["http_status"] == "415"
    with tw.runtime.unit_of_work() as session:
        statuses = session.query(AuditEntry).filter(AuditEntry.object_type == "stix_bundle").count()
    assert statuses == 0  # nothing was imported


def _objects_from_b() -> tuple[dict[str, Any], dict[str, Any]]:
    """An identity for Agency B and a GREEN report it created."""
    ident = "identity--1f3e2c4b-5a6d-4e7f-8a9b-0c1d2e3f4a5b"
    report = {
        "type": "report",
        "spec_version": "2.1",
        "id": "report--2a4b6c8d-0e1f-4a3b-9c5d-7e9f1a3b5c7d",
        "created": "2026-03-01T08:00:00.000Z",
        "modified": "2026-03-01T08:00:00.000Z",
        "name": "courier depot seen by B",
        "published": "2026-03-01T08:00:00.000Z",
        "report_types": ["threat-report"],
        "object_refs": [ident],
        "created_by_ref": ident,
        "object_marking_refs": [TLP2_IDS[Tlp.GREEN]],
    }
    identity = {
        "type": "identity",
        "spec_version": "2.1",
        "id": ident,
        "created": "2026-03-01T08:00:00.000Z",
        "modified": "2026-03-01T08:00:00.000Z",
        "name": "Agency B",
        "identity_class": "organization",
    }
    return identity, report


def test_partner_post_goes_through_the_import_with_its_report(tw: TaxiiWorld) -> None:
    client, url = tw.iw.client, f"{ROOT}/collections/{tw.collection}/objects/"
    identity, report = _objects_from_b()
    h = {**tw.headers("key:B"), "Content-Type": TAXII_MEDIA}
    r = client.post(url, json={"objects": [identity, report]}, headers=h)
    assert r.status_code == 202, r.text
    status = r.json()
    assert status["status"] == "complete" and status["total_count"] == 2
    assert status["x_vigil_import_report"]["imported"] == 1
    again = client.get(f"{ROOT}/status/{status['id']}/", headers=tw.headers("key:B"))
    assert again.json()["id"] == status["id"]
    assert (
        client.get(f"{ROOT}/status/{status['id']}/", headers=tw.headers("key:C")).status_code == 404
    )
    # A partner cannot speak for another agency: nothing is stored.
    forged = {**identity, "name": "Agency A"}
    r = client.post(url, json={"objects": [forged, report]}, headers=h)
    assert r.status_code == 422 and "not by you" in r.json()["description"]


def test_demo_city_serves_its_shareable_clues_to_harbour(runtime: Runtime, tmp_path: Path) -> None:
    """The demo step, then taxii2-client walks the demo city's server with Harbour's key
    (acceptance 1 on the demo city)."""
    from vigil.demo import intel_demo, taxii_demo
    from vigil.demo.scenario import seed_city

    city = seed_city(runtime)
    intel_demo.run(runtime, city, out_dir=tmp_path)
    lines = taxii_demo.run(runtime, city, out_dir=tmp_path)
    assert "RED withheld" in lines[1], lines
    key = (tmp_path / "taxii-harbour.key").read_text().strip()
    with served(runtime) as base:
        root = Server(f"{base}/taxii2/", user="harbour", password=key).api_roots[0]
        (coll,) = root.collections
        objects = [
            o for page in as_pages(coll.get_objects, per_request=5) for o in page.get("objects", [])
        ]
    assert objects and not any(_marking(o) == Tlp.RED for o in objects)
    assert any(_marking(o) == Tlp.AMBER for o in objects)  # the clue shared with Harbour
    bundle = {"type": "bundle", "id": "bundle--0d6f1c2a-3b4e-4f5a-8b6c-7d8e9f0a1b2c"}
    result = validate_instance(
        {**bundle, "objects": objects}, ValidationOptions(version="2.1", strict=True)
    )
    assert result.is_valid, [str(e) for e in result.errors]


def _declared(spec: dict[str, Any], method: str, path: str, status: int) -> type[BaseModel]:
    """The resource model the OpenAPI document names for an answer."""
    content = spec["paths"][path][method]["responses"][str(status)]["content"]
    ref = content[TAXII_MEDIA]["schema"]["$ref"]
    model: type[BaseModel] = getattr(taxii_schemas, ref.rsplit("/", 1)[1])
    return model


def test_every_answer_is_the_resource_the_document_declares(tw: TaxiiWorld) -> None:
    client = tw.iw.client
    spec = client.get("/openapi.json").json()
    c = f"{ROOT}/collections/{{collection_id}}"
    obj = tw.stix_ids["GREEN"]
    at = {"collection_id": tw.collection, "object_id": obj}
    future = {"added_after": "2100-01-01T00:00:00Z"}
    asks: list[tuple[str, dict[str, Any]]] = [
        ("/taxii2/", {}),
        (f"{ROOT}/", {}),
        (f"{ROOT}/collections/", {}),
        (f"{c}/", {}),
        (f"{c}/manifest/", {"limit": 1}),
        (f"{c}/objects/", {"limit": 1}),
        (f"{c}/objects/", future),  # an empty page: {}
        (f"{c}/objects/{{object_id}}/", {}),
        (f"{c}/objects/{{object_id}}/versions/", {}),
    ]
    for path, params in asks:
        r = client.get(path.format(**at), params=params, headers=tw.headers("key:B"))
        assert r.status_code == 200, (path, r.text)
        assert r.headers["content-type"] == TAXII_MEDIA
        body = r.json()
        model = _declared(spec, "get", path, 200)
        schema = spec["components"]["schemas"][model.__name__]
        assert set(body) <= set(schema["properties"]), path  # nothing undocumented
        assert set(schema.get("required", ())) <= set(body), path
        assert None not in body.values(), path  # absent, not null, as TAXII wants
        model.model_validate(body)
    paged = client.get(
        f"{ROOT}/collections/{tw.collection}/objects/",
        params={"limit": 1},
        headers=tw.headers("key:B"),
    ).json()
    assert paged["more"] is True and paged["next"] and len(paged["objects"]) == 1
    empty = client.get(
        f"{ROOT}/collections/{tw.collection}/objects/", params=future, headers=tw.headers("key:B")
    )
    assert empty.json() == {}
    posted = client.post(
        f"{ROOT}/collections/{tw.collection}/objects/",
        json={"objects": list(_objects_from_b())},
        headers={**tw.headers("key:B"), "Content-Type": TAXII_MEDIA},
    )
    assert posted.status_code == 202, posted.text
    status = _declared(spec, "post", f"{c}/objects/", 202).model_validate(posted.json())
    again = client.get(f"{ROOT}/status/{posted.json()['id']}/", headers=tw.headers("key:B"))
    declared = _declared(spec, "get", f"{ROOT}/status/{{status_id}}/", 200)
    assert declared.model_validate(again.json()) == status
