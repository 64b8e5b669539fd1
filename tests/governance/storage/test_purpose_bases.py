"""Legal bases bound to purpose: each purpose cites its own kind of registered reference,
and free text, a closed case, another agency's case or a case no supervisor approved opens
nothing, for any purpose. Every refusal is audited."""

from __future__ import annotations

import pytest

from tests.intel.helpers import IntelWorld, build_intel_world
from vigil.core.runtime import Runtime

pytestmark = pytest.mark.storage
PURPOSES = ("screening", "investigation", "emergency", "oversight", "service")
STATUTE = "statute:real-name-registration"


@pytest.fixture
def w(runtime: Runtime) -> IntelWorld:
    return build_intel_world(runtime)


def _case(w: IntelWorld, opener: str, approver: str | None, close: bool = False) -> str:
    r = w.client.post("/v1/cases", json={"title": "matrix"}, headers=w.world.auth(opener))
    assert r.status_code == 201, r.text
    case_id, basis = r.json()["id"], r.json()["legal_basis"]
    if approver:
        assert (
            w.client.post(f"/v1/cases/{case_id}/approval", headers=w.world.auth(approver))
        ).status_code == 200
    if close:
        closed = w.client.post(
            f"/v1/cases/{case_id}/status",
            json={"status": "closed", "resolution": "done"},
            headers=w.world.auth("analyst", "investigation", basis),
        )
        assert closed.status_code == 200, closed.text
    return str(basis)


def test_every_purpose_refuses_every_basis_it_does_not_take(w: IntelWorld) -> None:
    bases = {
        "unknown": "no-such-basis-xyz",
        "closed case": _case(w, "analyst", "supervisor", close=True),
        "other agency's case": w.basis["analyst_b"],
        "unapproved case": _case(w, "analyst", None),
        "statute": STATUTE,
        "own approved case": w.basis["analyst"],
    }
    allowed = {("screening", "statute"), ("investigation", "own approved case")}
    refused_before = w.refusals("officer")
    refusals = 0
    for purpose in PURPOSES:
        missing = w.client.get("/v1/alerts", headers=w.world.auth("officer", purpose))
        assert missing.status_code == 403, (purpose, missing.text)
        refusals += 1
        for label, basis in bases.items():
            answer = w.client.get("/v1/alerts", headers=w.world.auth("officer", purpose, basis))
            want = 200 if (purpose, label) in allowed else 403
            assert answer.status_code == want, (purpose, label, answer.text)
            refusals += want == 403
    assert w.refusals("officer") - refused_before == refusals


def test_only_an_administrator_adds_a_statute(w: IntelWorld) -> None:
    body = {"reference": "statute:my-own-law", "kind": "statute"}
    assert (
        w.client.post("/v1/legal-bases", json=body, headers=w.world.auth("supervisor"))
    ).status_code == 403
    added = w.client.post("/v1/legal-bases", json=body, headers=w.world.auth("admin"))
    assert added.status_code == 201, added.text
    screened = w.client.get(
        "/v1/alerts", headers=w.world.auth("officer", "screening", "statute:my-own-law")
    )
    assert screened.status_code == 200
