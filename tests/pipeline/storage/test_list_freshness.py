"""A registration is screened against a list at least as new as the one in force when its
event was claimed: an approval that commits just before the claim is in the list, and an
approval whose transaction took its list version before a later change committed is not
skipped for good (the gap PostgreSQL's sequences leave)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.pipeline.storage.test_pipeline import FUTURE, WANTED_ID, _file, _stay_on_a_passport
from tests.pipeline.storage.test_pipeline import world as world
from tests.world import World
from vigil import pipeline
from vigil.governance.access import AccessContext, Role
from vigil.intake import outbox
from vigil.screening import service as screening

pytestmark = pytest.mark.storage
ENTRY: dict[str, Any] = {
    "kind": "person",
    "name": "张晓明",
    "birth_date": "1949-12-31",
    "id_number": WANTED_ID,
    "expires_at": FUTURE,
    "basis_reference": "(2026)Court-17",
    "basis_authority": "Riverside Intermediate Court",
}


def _propose(world: World, entry_id: str) -> None:
    body = {**ENTRY, "entry_id": entry_id}
    answer = world.client.post("/v1/screening/watchlist", json=body, headers=world.auth("analyst"))
    assert answer.status_code == 201, answer.text


def _supervisor(world: World) -> AccessContext:
    return AccessContext("user:supervisor", 0, world.org_ids["A"], "Agency A", Role.SUPERVISOR)


def test_an_approval_committed_just_before_the_claim_is_screened(world: World) -> None:
    _propose(world, "W-9")
    screening.refreshed_state(world.runtime)  # the worker's list, as it stood before
    assert _file(world, "hotel", _stay_on_a_passport("Zhang Xiaoming"), "hotel").status_code == 202

    def approve_then_claim(session: Session) -> list[outbox.ClaimedEvent]:
        with world.runtime.unit_of_work() as other:
            screening.decide_entry(other, _supervisor(world), "W-9", True)
        return outbox.claim_pending(session, 500)

    report = pipeline._process(world.runtime, approve_then_claim, pipeline.utcnow())
    assert report.events == 1 and len(report.alerts) == 1


# PostgreSQL only: SQLite serialises writers, so list versions always commit in order there
@pytest.mark.parametrize("backend", ["postgresql"])
def test_an_approval_that_commits_after_a_later_change_is_not_skipped(world: World) -> None:
    _propose(world, "W-9")
    _propose(world, "W-10")
    screening.refreshed_state(world.runtime)
    slow = world.runtime.sessions()
    try:
        screening.decide_entry(slow, _supervisor(world), "W-9", True)
        slow.flush()  # W-9's approval holds list version N, uncommitted
        with world.runtime.unit_of_work() as fast:
            screening.decide_entry(fast, _supervisor(world), "W-10", False)  # version N + 1
        screening.refreshed_state(world.runtime)  # the worker sees N + 1, not N
        slow.commit()
    finally:
        slow.close()
    assert _file(world, "hotel", _stay_on_a_passport("Zhang Xiaoming"), "hotel").status_code == 202
    report = pipeline.drain(world.runtime)
    assert report.events == 1 and len(report.alerts) == 1
