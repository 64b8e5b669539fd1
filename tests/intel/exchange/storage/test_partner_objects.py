"""Acceptance 5 and 6: every STIX 2.1 type a partner sends is kept (text, marking,
originator) and reported; a bundle with nothing usable is refused, not "imported 0"."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stix2validator import ValidationOptions, validate_instance
from typer.testing import CliRunner

from tests.intel.helpers import build_intel_world
from vigil.cli import app as cli_app
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.intel.exchange.stix import CLUE_TYPES, ENTITY_TYPES, parse_bundle

pytestmark = pytest.mark.storage

T = "2026-03-01T08:00:00.000Z"
PARTNER = "identity--7d9b1c4e-2f3a-4b5c-8d6e-9f0a1b2c3d4e"
AMBER = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"  # TLP 1.0, as OpenCTI
GREEN2 = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
RED2 = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"


def _sdo(kind: str, n: int, marking: str = AMBER, **props: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "spec_version": "2.1",
        "id": f"{kind}--{n:08d}-1111-4222-8333-444455556666",
        "created": T,
        "modified": T,
        "created_by_ref": PARTNER,
        "object_marking_refs": [marking],
        **props,
    }


INCIDENT = _sdo(
    "incident",
    1,
    name="Armed robbery, Xinhua Road",
    description="Two men robbed a jeweller at 21:40.",
)
LOCATION = _sdo(
    "location",
    2,
    GREEN2,
    name="Xinhua Road 88",
    description="Jeweller's shop front",
    latitude=31.21,
    longitude=121.43,
)
INDICATOR = _sdo(
    "indicator",
    3,
    RED2,
    name="Getaway car plate",
    description="Plate seen on CCTV",
    pattern="[x-plate:value = '沪B 77777']",
    pattern_type="stix",
    valid_from=T,
)
SIGHTING = _sdo(
    "sighting",
    4,
    description="Car sighted near the shop",
    sighting_of_ref=INDICATOR["id"],
    where_sighted_refs=[PARTNER],
    count=2,
)
NOTE = _sdo(
    "note",
    5,
    abstract="Analyst note",
    content="Same crew as the March case.",
    object_refs=[INCIDENT["id"]],
)
RELATIONSHIP = _sdo(
    "relationship",
    6,
    relationship_type="located-at",
    description="The robbery took place here",
    source_ref=INCIDENT["id"],
    target_ref=LOCATION["id"],
)
INDIVIDUAL = _sdo(
    "identity",
    7,
    name="Witness W-12",
    identity_class="individual",
    description="Shop assistant, saw the plate",
)
OPENCTI_LIKE = {
    "type": "bundle",
    "id": "bundle--0b7c1e2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d",
    "objects": [
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": PARTNER,
            "created": T,
            "modified": T,
            "name": "Eastport PSB",
            "identity_class": "organization",
        },
        INCIDENT,
        LOCATION,
        INDICATOR,
        SIGHTING,
        NOTE,
        RELATIONSHIP,
        INDIVIDUAL,
    ],
}
TEXTS = {  # each object's own text, and the TLP it was marked with
    INCIDENT["id"]: (INCIDENT["description"], "AMBER"),
    LOCATION["id"]: (LOCATION["description"], "GREEN"),
    INDICATOR["id"]: (INDICATOR["description"], "RED"),
    SIGHTING["id"]: (SIGHTING["description"], "AMBER"),
    NOTE["id"]: (NOTE["content"], "AMBER"),
    RELATIONSHIP["id"]: (RELATIONSHIP["description"], "AMBER"),
    INDIVIDUAL["id"]: (INDIVIDUAL["description"], "AMBER"),
}
MARKING_IDS = {
    "AMBER": "55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "GREEN": "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "RED": "e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def test_opencti_bundle_keeps_every_text_and_marking_and_round_trips(runtime) -> None:
    w = build_intel_world(runtime)
    r = w.client.post("/v1/stix/import", json=OPENCTI_LIKE, headers=w.h("analyst_b"))
    assert r.status_code == 200, r.text
    result = r.json()
    # the report lists every type of the bundle, and accounts for every object
    assert set(result["by_type"]) == {
        "identity",
        "incident",
        "location",
        "indicator",
        "sighting",
        "note",
        "relationship",
    }
    assert result["imported"] + result["merged"] + result["skipped"] == 8
    assert result["imported"] == 7 and result["skipped"] == 0
    assert result["by_type"]["identity"]["reasons"] == {
        "imported: a clue from Eastport PSB": 1,
        "merged: a creator: the originating agency of its objects": 1,
    }
    # RED is kept for the importing user only; read the rest through the API
    clues = w.client.get("/v1/clues", headers=w.h("analyst_b")).json()
    assert len(clues) == 7
    by_text = {c["text"]: c for c in clues}
    for text, tlp in TEXTS.values():
        [clue] = [c for t, c in by_text.items() if text in t]
        assert clue["tlp"] == tlp
        assert clue["organisation_id"] not in w.world.org_ids.values()  # the partner's
    [link] = [c for t, c in by_text.items() if "located-at" in t]
    assert {e["kind"] for e in link["entities"]} == {"event", "place"}  # both ends linked
    [indicator] = [c for t, c in by_text.items() if "Plate seen on CCTV" in t]
    assert "沪B 77777" in indicator["text"]  # the pattern is kept with the description

    bundle = w.client.get("/v1/stix/export", headers=w.h("analyst_b")).json()
    result = validate_instance(bundle, ValidationOptions(version="2.1", strict=True))
    assert result.is_valid, [str(e) for e in result.errors]
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    origin = {o["extensions"][next(iter(o["extensions"]))]["origin_id"]: o for o in reports}
    assert set(origin) == set(TEXTS)
    for oid, (text, tlp) in TEXTS.items():
        assert text in origin[oid]["description"]
        assert origin[oid]["object_marking_refs"] == [f"marking-definition--{MARKING_IDS[tlp]}"]
    again = w.client.post("/v1/stix/import", json=bundle, headers=w.h("analyst_b")).json()
    assert again["imported"] == 0
    assert again["by_type"]["report"]["reasons"] == {"merged: already imported (same STIX id)": 7}


def test_every_partner_type_becomes_a_clue_or_is_accounted_for() -> None:
    objects: list[dict[str, Any]] = [OPENCTI_LIKE["objects"][0]]
    for n, kind in enumerate((*CLUE_TYPES, *ENTITY_TYPES), start=100):
        objects.append(_sdo(kind, n, name=f"{kind} name", description=f"about {kind}"))
    objects.append({"type": "x-acme-widget", "id": "x-acme-widget--1", "spec_version": "2.1"})
    objects.append(
        {
            "type": "ipv4-addr",
            "id": "ipv4-addr--00000001-1111-4222-8333-444455556666",
            "value": "10.0.0.1",
        }
    )
    parsed = parse_bundle({"type": "bundle", "id": "bundle--1", "objects": objects})
    kinds = {c.stix_type for c in parsed.clues}
    assert kinds == {*CLUE_TYPES, *ENTITY_TYPES}
    for clue in parsed.clues:
        assert f"about {clue.stix_type}" in clue.text and clue.partner == "Eastport PSB"
    report = parsed.report.as_dict()
    assert report["x-acme-widget"]["skipped"] == 1
    assert report["ipv4-addr"]["reasons"] == {"skipped: an observable no observed-data cites": 1}


NOTHING = {
    "type": "bundle",
    "id": "bundle--5e1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b",
    "objects": [
        {"type": "x-acme-widget", "id": "x-acme-widget--1", "spec_version": "2.1"},
        {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": RED2,
            "created": T,
            "name": "TLP:RED",
        },
        {
            "type": "ipv4-addr",
            "id": "ipv4-addr--00000001-1111-4222-8333-444455556666",
            "value": "10.0.0.1",
        },
    ],
}


def test_a_bundle_with_nothing_usable_is_refused_with_its_report(runtime) -> None:
    w = build_intel_world(runtime)
    r = w.client.post("/v1/stix/import", json=NOTHING, headers=w.h("analyst"))
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "nothing Vigil can import" in detail and "x-acme-widget: imported 0" in detail
    assert w.client.get("/v1/clues", headers=w.h("analyst")).json() == []


def _cli(runtime, monkeypatch, command: str) -> tuple[int, str]:
    from vigil.core.settings import get_settings

    s = runtime.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    for name in ("secret_key", "id_encryption_key", "id_hash_key"):
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    monkeypatch.setenv("VIGIL_ARGON2_TIME_COST", str(s.argon2_time_cost))
    monkeypatch.setenv("VIGIL_ARGON2_MEMORY_KIB", str(s.argon2_memory_kib))
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, shlex.split(command))
    return result.exit_code, result.output


def test_cli_prints_the_report_and_fails_on_an_empty_yield(
    runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    w = build_intel_world(runtime)
    with runtime.unit_of_work() as session:  # the agreement with Eastport PSB, on paper
        governance.register_legal_basis(
            session,
            system_context(),
            "agreement:7",
            "agreement",
            organisation_id=w.world.org_ids["A"],
        )
    empty, full = tmp_path / "empty.json", tmp_path / "full.json"
    empty.write_text(json.dumps(NOTHING), encoding="utf-8")
    full.write_text(json.dumps(OPENCTI_LIKE, ensure_ascii=False), encoding="utf-8")
    base = "intel import {} --as analyst --legal-basis agreement:7"
    code, output = _cli(runtime, monkeypatch, base.format(empty))
    assert code == 1, output
    assert "x-acme-widget: imported 0, merged 0, skipped 1" in output
    assert "nothing in this bundle could be imported" in output
    code, output = _cli(runtime, monkeypatch, base.format(full))
    assert code == 0, output
    assert "incident: imported 1, merged 0, skipped 0" in output
    assert "imported 7 clues, merged 1, skipped 0" in output


def test_import_help_names_the_partner_agreement_as_legal_basis() -> None:
    result = CliRunner().invoke(cli_app, ["intel", "import", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "agreement with that partner" in text or "agreement with the partner" in text
    assert "--legal-basis agreement:3" in text


_STIX_TYPES = st.sampled_from(
    [*CLUE_TYPES, *ENTITY_TYPES, "marking-definition", "ipv4-addr", "x-y"]
)
_OBJECT = st.fixed_dictionaries(
    {"type": _STIX_TYPES, "id": st.one_of(st.just(PARTNER), st.uuids().map(str), st.integers())},
    optional={
        "description": st.text(max_size=20),
        "name": st.text(max_size=10),
        "object_refs": st.lists(st.sampled_from([PARTNER, INCIDENT["id"], "x"]), max_size=3),
        "created_by_ref": st.sampled_from([PARTNER, "identity--missing"]),
        "object_marking_refs": st.lists(st.sampled_from([AMBER, RED2, "bogus"]), max_size=2),
    },
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_OBJECT, st.integers(), st.text(max_size=5)), max_size=8))
def test_parser_accounts_for_every_object_whatever_it_gets(objects: list[Any]) -> None:
    parsed = parse_bundle({"type": "bundle", "id": "bundle--1", "objects": objects})
    report = parsed.report
    merged_or_skipped = report.total("merged") + report.total("skipped")
    assert merged_or_skipped + len(parsed.clues) == len(objects)
    assert all(clue.text.strip() for clue in parsed.clues)
