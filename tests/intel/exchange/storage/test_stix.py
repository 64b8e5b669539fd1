"""Acceptance 2: strict STIX 2.1 validity and a lossless round trip."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from stix2validator import ValidationOptions, validate_instance

from tests.intel.helpers import build_intel_world

pytestmark = pytest.mark.storage

ENTITIES = [
    {"kind": "person", "value": "张伟"},
    {"kind": "phone", "value": "+86 138 0013 8000"},
    {"kind": "vehicle", "value": "沪A 12345"},
    {"kind": "address", "value": "上海市 黄浦区 南京东路 1号"},
    {"kind": "place", "value": "People's Square", "latitude": 31.2304, "longitude": 121.4737},
    {"kind": "event", "value": "Night market 2026-11-20"},
]


def _snapshot(client, headers, ids):
    out = []
    for i in ids:
        c = client.get(f"/v1/clues/{i}", headers=headers).json()
        out.append(
            (
                c["text"],
                c["grading"],
                c["tlp"],
                c["handling"],
                c["source_type"],
                sorted((e["kind"], e["key"]) for e in c["entities"]),
                sorted(a["sha256"] for a in c["attachments"]),
            )
        )
    return sorted(out)


def test_case_export_is_strictly_valid_and_round_trips(runtime) -> None:
    w = build_intel_world(runtime)
    ids = []
    for n, (tlp, source, grade) in enumerate(
        [
            ("CLEAR", "officer", "A1"),
            ("GREEN", "sensor", "C3"),
            ("AMBER", "informant", "B2"),
            ("AMBER+STRICT", "partner_agency", "E5"),
            ("RED", "public_tip", "F6"),
        ]
    ):
        ids.append(
            w.clue(
                "analyst",
                tlp,
                f"clue {n}: {tlp}",
                ENTITIES[n : n + 3],
                source_type=source,
                grading=grade,
                attachments=[
                    {
                        "sha256": f"{n:x}" * 64,
                        "filename": f"p{n}.jpg",
                        "media_type": "image/jpeg",
                        "size": 100 + n,
                    }
                ],
            )
        )
        assert (
            w.client.post(f"/v1/cases/1/clues/{ids[-1]}", headers=w.h("analyst")).status_code == 201
        )
    before = _snapshot(w.client, w.h("analyst"), ids)
    bundle = w.client.get("/v1/cases/1/stix", headers=w.h("analyst")).json()
    types = {o["type"] for o in bundle["objects"]}
    assert {
        "identity",
        "location",
        "report",
        "grouping",
        "incident",
        "note",
        "opinion",
        "relationship",
        "sighting",
        "marking-definition",
    } <= types
    result = validate_instance(bundle, ValidationOptions(version="2.1", strict=True))
    assert result.is_valid, [str(e) for e in result.errors]
    marking_ids = {o["id"] for o in bundle["objects"] if o["type"] == "marking-definition"}
    assert "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1" in marking_ids
    assert "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003" in marking_ids

    with runtime.engine.begin() as conn:  # forget the clues, keep the case and the users
        for table in (
            "intel_case_clue",
            "intel_share",
            "intel_clue_entity",
            "intel_attachment",
            "intel_clue",
        ):
            conn.execute(text(f"DELETE FROM {table}"))
    r = w.client.post("/v1/stix/import", json=bundle, headers=w.h("analyst"))
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["by_type"]["report"] == {
        "imported": 5,
        "merged": 0,
        "skipped": 0,
        "reasons": {"imported: a clue from Agency A": 5},
    }
    assert (result["imported"], result["skipped"]) == (5, 2)  # the case and its grouping
    assert result["merged"] == len(bundle["objects"]) - 7
    found = w.client.get("/v1/clues", headers=w.h("analyst")).json()
    assert _snapshot(w.client, w.h("analyst"), [c["id"] for c in found]) == before
    again = w.client.post("/v1/stix/import", json=bundle, headers=w.h("analyst")).json()
    assert (again["imported"], again["by_type"]["report"]["merged"]) == (0, 5)


def test_export_all_only_what_the_caller_may_see_and_valid(runtime) -> None:
    w = build_intel_world(runtime)
    w.clue("analyst", "AMBER", "a amber", ENTITIES[:2])
    w.clue("analyst_b", "CLEAR", "b clear", ENTITIES[2:4], source_type="sensor")
    w.clue("analyst_b", "AMBER", "b amber")
    bundle = w.client.get("/v1/stix/export", headers=w.h("analyst")).json()
    texts = {o.get("description") for o in bundle["objects"] if o["type"] == "report"}
    assert texts == {"a amber", "b clear"}
    assert validate_instance(bundle, ValidationOptions(version="2.1", strict=True)).is_valid


MISP_LIKE = {
    "type": "bundle",
    "id": "bundle--5d0092c5-5f74-4e6e-8e7c-6f5a3f2e1b11",
    "objects": [
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": "identity--a0c6b5a3-0a6b-4f0c-9c87-8a1f0b9f5e21",
            "created": "2026-01-01T00:00:00.000Z",
            "modified": "2026-01-01T00:00:00.000Z",
            "name": "Partner CERT",
            "identity_class": "organization",
        },
        {
            "type": "report",
            "spec_version": "2.1",
            "id": "report--1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
            "created": "2026-01-02T00:00:00.000Z",
            "modified": "2026-01-02T00:00:00.000Z",
            "name": "Phishing wave",
            "published": "2026-01-02T00:00:00.000Z",
            "created_by_ref": "identity--a0c6b5a3-0a6b-4f0c-9c87-8a1f0b9f5e21",
            "labels": [
                'misp:tag="admiralty-scale:source-reliability=\\"b\\""',
                'misp:tag="admiralty-scale:information-credibility=\\"3\\""',
            ],
            "object_refs": ["location--3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"],
            "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],
        },
        {
            "type": "location",
            "spec_version": "2.1",
            "id": "location--3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
            "created": "2026-01-02T00:00:00.000Z",
            "modified": "2026-01-02T00:00:00.000Z",
            "name": "Hongkou",
            "latitude": 31.26,
            "longitude": 121.5,
        },
    ],
}


def test_misp_import_keeps_the_partner_as_originator(runtime) -> None:
    w = build_intel_world(runtime)
    r = w.client.post("/v1/stix/import", json=MISP_LIKE, headers=w.h("analyst_b"))
    assert r.status_code == 200 and r.json()["imported"] == 1, r.text
    clue = w.client.get("/v1/clues", headers=w.h("analyst_b")).json()[0]
    assert (clue["grading"], clue["tlp"], clue["text"]) == ("B3", "AMBER", "Phishing wave")
    assert clue["organisation_id"] not in (w.world.org_ids["A"], w.world.org_ids["B"])
    assert clue["entities"][0]["kind"] == "place"
    # shared with the importing agency B only: A does not see the partner's AMBER clue
    assert w.client.get(f"/v1/clues/{clue['id']}", headers=w.h("analyst")).status_code == 403
