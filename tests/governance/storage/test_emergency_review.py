"""Emergency reads are reviewed after the fact by a supervisor of the reader's agency; one
not reviewed within the set time raises an alert in the agency's queue. And a screening
statute opens only alert handling (and the watchlists), never a person or a registration."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.governance.storage.test_basis_matrix import _person
from tests.intel.helpers import IntelWorld, build_intel_world
from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.flows.emergency_review import raise_overdue_review_alerts
from vigil.governance import service as governance
from vigil.governance.access import system_context

pytestmark = pytest.mark.storage
INCIDENT = "incident:9"
STATUTE = "statute:real-name-registration"


@pytest.fixture
def w(runtime: Runtime) -> IntelWorld:
    world = build_intel_world(runtime)
    with runtime.unit_of_work() as session:
        governance.register_legal_basis(
            session,
            system_context(),
            INCIDENT,
            "incident",
            organisation_id=world.world.org_ids["A"],
        )
    return world


def _pending(w: IntelWorld, who: str = "supervisor") -> list[dict[str, object]]:
    r = w.client.get("/v1/emergency-reviews", headers=w.world.auth(who))
    assert r.status_code == 200, r.text
    return list(r.json())


def test_an_emergency_read_awaits_a_supervisors_review(w: IntelWorld) -> None:
    person = _person(w)
    for _ in range(2):
        r = w.client.get(
            f"/v1/persons/{person}", headers=w.world.auth("officer", "emergency", INCIDENT)
        )
        assert r.status_code == 200, r.text
    pending = _pending(w)
    assert [(p["actor"], p["reference"], p["status"]) for p in pending] == [
        ("user:officer", INCIDENT, "pending")
    ]
    assert _pending(w, "supervisor_b") == []  # another agency sees nothing of it
    review = f"/v1/emergency-reviews/{pending[0]['id']}"
    body = {"approve": True, "note": "a fire with people trapped: justified"}
    assert w.client.post(review, json=body, headers=w.world.auth("officer")).status_code == 403
    assert w.client.post(review, json=body, headers=w.world.auth("supervisor_b")).status_code == 404
    done = w.client.post(review, json=body, headers=w.world.auth("supervisor"))
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert w.client.post(review, json=body, headers=w.world.auth("supervisor")).status_code == 409
    assert _pending(w) == []
    reviewed = w.audit_rows(object_type="emergency_review")
    assert [(r.actor, r.outcome) for r in reviewed] == [("user:supervisor", "approved")]
    later = utcnow() + timedelta(days=3)
    assert raise_overdue_review_alerts(w.world.runtime, later) == 0  # reviewed in time


def test_an_overdue_review_raises_one_alert_in_the_agencys_queue(w: IntelWorld) -> None:
    person = _person(w)
    r = w.client.get(
        f"/v1/persons/{person}", headers=w.world.auth("officer", "emergency", INCIDENT)
    )
    assert r.status_code == 200
    hours = w.world.runtime.settings.emergency_review_hours
    assert raise_overdue_review_alerts(w.world.runtime, utcnow() + timedelta(hours=hours - 1)) == 0
    late = utcnow() + timedelta(hours=hours + 1)
    assert raise_overdue_review_alerts(w.world.runtime, late) == 1
    assert raise_overdue_review_alerts(w.world.runtime, late) == 0  # once
    queue = w.client.get("/v1/alerts", headers=w.world.auth("supervisor", "screening", STATUTE))
    assert queue.status_code == 200
    reviews = [a for a in queue.json() if a["kind"] == "review"]
    assert len(reviews) == 1 and "user:officer" in reviews[0]["summary"]
    other = w.client.get("/v1/alerts", headers=w.world.auth("analyst_b", "screening", STATUTE))
    assert [a for a in other.json() if a["kind"] == "review"] == []


def test_a_screening_statute_opens_alert_handling_only(w: IntelWorld) -> None:
    person = _person(w)
    screening = w.world.auth("officer", "screening", STATUTE)
    before = w.refusals("officer")
    assert w.client.get("/v1/alerts", headers=screening).status_code == 200
    assert w.client.get(f"/v1/persons/{person}", headers=screening).status_code == 403
    assert w.client.get("/v1/intake/submissions", headers=screening).status_code == 403
    assert w.client.get("/v1/cases/1", headers=screening).status_code == 403
    assert w.refusals("officer") - before == 3
