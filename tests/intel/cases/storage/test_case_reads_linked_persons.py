"""An investigation under a case reads only the persons linked to the case; linking is done
under the case's own basis, with a reason, and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.governance.storage.test_api_access import _create_person
from tests.intel.helpers import IntelWorld, build_intel_world
from vigil.core.runtime import Runtime
from vigil.governance.models import AuditEntry

pytestmark = pytest.mark.storage


@pytest.fixture
def w(runtime: Runtime) -> IntelWorld:
    return build_intel_world(runtime)


def test_a_case_reads_only_the_persons_linked_to_it(w: IntelWorld) -> None:
    person = _create_person(w.world)
    case_id = int(w.basis["analyst"].split(":")[1])
    read = w.client.get(f"/v1/persons/{person}", headers=w.h("analyst"))
    assert read.status_code == 403 and "not linked" in read.json()["detail"]
    no_reason = w.client.post(
        f"/v1/cases/{case_id}/persons",
        json={"person_id": person, "reason": ""},
        headers=w.h("analyst"),
    )
    assert no_reason.status_code == 422
    other_basis = w.client.post(
        f"/v1/cases/{case_id}/persons",
        json={"person_id": person, "reason": "seen with the suspect"},
        headers=w.world.auth("analyst", "screening", "statute:real-name-registration"),
    )
    assert other_basis.status_code == 403
    linked = w.client.post(
        f"/v1/cases/{case_id}/persons",
        json={"person_id": person, "reason": "seen with the suspect"},
        headers=w.h("analyst"),
    )
    assert linked.status_code == 201, linked.text
    assert w.client.get(f"/v1/persons/{person}", headers=w.h("analyst")).status_code == 200
    # another case of the same agency still may not read the person
    other = w.client.post("/v1/cases", json={"title": "other"}, headers=w.world.auth("supervisor"))
    other_h = w.world.auth("analyst", "investigation", other.json()["legal_basis"])
    assert w.client.get(f"/v1/persons/{person}", headers=other_h).status_code == 403
    with w.world.runtime.unit_of_work() as session:
        details = session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.object_type == "person", AuditEntry.action == "combine"
            )
        ).all()
    # (the other link is the intake case's, under which the person was registered)
    assert [d for d in details if d["linked_to"] == w.basis["analyst"]] == [
        {"linked_to": w.basis["analyst"], "reason": "seen with the suspect"}
    ]
