"""Acceptance 1: five purposes × six bases that the rules do not allow, on one read of a
person (GET /v1/persons/{id}): every combination answers 403, and every refusal is in the
audit log. The one allowed read (an investigation under one's own approved case that the
person is linked to) answers 200, so the refusals are not a broken endpoint. Sharing
agreements are read within their scope: data categories and cases."""

from __future__ import annotations

import pytest

from tests.governance.storage.test_purpose_bases import PURPOSES, _case
from tests.intel.helpers import IntelWorld, build_intel_world
from vigil.core.runtime import Runtime
from vigil.governance.access import system_context
from vigil.registry import service as registry
from vigil.registry.schemas import DocumentIn, PersonIn

pytestmark = pytest.mark.storage
NO_BASIS = None


@pytest.fixture
def w(runtime: Runtime) -> IntelWorld:
    return build_intel_world(runtime)


def _person(w: IntelWorld, name: str = "王小明", number: str = "11010519491231002X") -> int:
    runtime = w.world.runtime
    with runtime.unit_of_work() as session:
        person = registry.create_person(
            session,
            system_context(),
            runtime.vault,
            PersonIn(name=name, documents=[DocumentIn(doc_type="cn_resident_id", number=number)]),
        )
        return person.id


def _link(w: IntelWorld, basis: str, person_id: int, who: str = "analyst") -> None:
    case_id = int(basis.split(":")[1])
    r = w.client.post(
        f"/v1/cases/{case_id}/persons",
        json={"person_id": person_id, "reason": "seen at the scene"},
        headers=w.world.auth(who, "investigation", basis),
    )
    assert r.status_code == 201, r.text


def test_every_purpose_refuses_every_basis_the_rules_do_not_allow(w: IntelWorld) -> None:
    person = _person(w)
    own = w.basis["officer"]  # agency A's approved, open case
    _link(w, own, person)
    refused_bases = {
        "no basis": NO_BASIS,
        "unknown basis": "no-such-basis-xyz",
        "closed case": _case(w, "analyst", "supervisor", close=True),
        "another agency's case": w.basis["analyst_b"],
        "unapproved case": _case(w, "analyst", None),
        "case not linked to the person": _case(w, "analyst", "supervisor"),
    }
    before = w.refusals("officer")
    answers = {}
    for purpose in PURPOSES:
        for label, basis in refused_bases.items():
            headers = w.world.auth("officer", purpose, basis)
            answers[purpose, label] = w.client.get(f"/v1/persons/{person}", headers=headers)
    assert len(answers) == 30
    assert {k: r.status_code for k, r in answers.items()} == dict.fromkeys(answers, 403)
    assert all(r.headers["content-type"] == "application/problem+json" for r in answers.values())
    assert w.refusals("officer") - before == 30  # every refusal audited
    allowed = w.client.get(f"/v1/persons/{person}", headers=w.h("officer"))
    assert allowed.status_code == 200 and allowed.json()["name"] == "王小明"
    assert w.refusals("officer") - before == 30


def _agreement(w: IntelWorld, categories: list[str], case_ids: list[int] | None = None) -> str:
    body = {
        "to_org_id": w.world.org_ids["B"],
        "purpose": "joint operation",
        "categories": categories,
        "case_ids": case_ids or [],
    }
    r = w.client.post("/v1/sharing-agreements", json=body, headers=w.world.auth("supervisor"))
    assert r.status_code == 201, r.text
    return str(r.json()["legal_basis"])


def test_an_agreement_reads_only_its_categories_and_its_cases(w: IntelWorld) -> None:
    linked, other = _person(w), _person(w, "李四", "360426199101010071")
    own = w.basis["analyst"]
    _link(w, own, linked)
    clues_only = _agreement(w, ["clues"])
    persons_any = _agreement(w, ["persons", "alerts"])
    persons_of_case = _agreement(w, ["persons"], [int(own.split(":")[1])])

    def read(basis: str, person: int) -> int:
        headers = w.world.auth("analyst_b", "investigation", basis)
        return int(w.client.get(f"/v1/persons/{person}", headers=headers).status_code)

    def alerts(basis: str) -> int:
        headers = w.world.auth("analyst_b", "investigation", basis)
        return int(w.client.get("/v1/alerts", headers=headers).status_code)

    before = w.refusals("analyst_b")
    assert read(clues_only, linked) == 403  # persons are not in its categories
    assert alerts(clues_only) == 403
    assert read(persons_any, other) == 200
    assert alerts(persons_any) == 200
    assert read(persons_of_case, linked) == 200
    assert read(persons_of_case, other) == 403  # not linked to the agreement's case
    assert alerts(persons_of_case) == 403
    assert w.refusals("analyst_b") - before == 4


def test_an_agreement_names_only_the_sharing_agencys_cases(w: IntelWorld) -> None:
    foreign = int(w.basis["analyst_b"].split(":")[1])
    body = {
        "to_org_id": w.world.org_ids["B"],
        "purpose": "joint operation",
        "categories": ["persons"],
        "case_ids": [foreign],
    }
    r = w.client.post("/v1/sharing-agreements", json=body, headers=w.world.auth("supervisor"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "case_ids"
