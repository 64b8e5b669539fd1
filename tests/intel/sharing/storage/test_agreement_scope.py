"""A sharing agreement carries a scope: it ends at its expiry (and its legal basis with it),
and only an agreement that covers the clues category opens GREEN clues to the partner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.intel.helpers import IntelWorld, build_intel_world
from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.governance.models import LegalBasis
from vigil.intel.clues.models import Agreement

pytestmark = pytest.mark.storage


@pytest.fixture
def w(runtime: Runtime) -> IntelWorld:
    return build_intel_world(runtime)


def _agree(w: IntelWorld, **scope: object) -> dict[str, object]:
    body = {"to_org_id": w.world.org_ids["B"], "purpose": "joint operation", **scope}
    r = w.client.post("/v1/sharing-agreements", json=body, headers=w.world.auth("supervisor"))
    assert r.status_code == 201, r.text
    return dict(r.json())


def _sees(w: IntelWorld, clue: int) -> bool:
    return w.client.get(f"/v1/clues/{clue}", headers=w.h("analyst_b")).status_code == 200


def test_an_expired_agreement_opens_nothing(w: IntelWorld) -> None:
    clue = w.clue("analyst", "GREEN", "a green lead")
    assert not _sees(w, clue)
    soon = (utcnow() + timedelta(days=1)).isoformat()
    agreement = _agree(w, expires_at=soon)
    assert _sees(w, clue)
    basis = str(agreement["legal_basis"])
    with w.world.runtime.unit_of_work() as session:  # a day later
        past = utcnow() - timedelta(seconds=1)
        session.execute(update(Agreement).values(expires_at=past))
        session.execute(
            update(LegalBasis).where(LegalBasis.reference == basis).values(valid_until=past)
        )
    assert not _sees(w, clue)
    under_it = w.client.get("/v1/alerts", headers=w.world.auth("analyst_b", "investigation", basis))
    assert under_it.status_code == 403 and "expired" in under_it.json()["detail"]


def test_an_agreement_without_the_clues_category_opens_no_clue(w: IntelWorld) -> None:
    clue = w.clue("analyst", "GREEN", "a green lead")
    _agree(w, categories=["alerts"])
    assert not _sees(w, clue)
    _agree(w, categories=["alerts", "clues"])
    assert _sees(w, clue)


def test_an_agreement_scope_is_validated(w: IntelWorld) -> None:
    body = {"to_org_id": w.world.org_ids["B"], "purpose": "joint operation"}
    for bad in (
        {"categories": ["dreams"]},
        {"categories": []},
        {"expires_at": "2020-01-01T00:00:00Z"},
    ):
        r = w.client.post(
            "/v1/sharing-agreements", json={**body, **bad}, headers=w.world.auth("supervisor")
        )
        assert r.status_code == 422, (bad, r.text)
