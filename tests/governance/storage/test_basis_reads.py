"""Each investigation basis reads only the categories its kind justifies
(`access.INVESTIGATION_READS`): an alert basis its alert, registration and persons, and
nothing of clues, tips, volunteers, STIX exports or watchlists. Under a case of the same
agency the same reads answer 200, so the refusals are the basis's, not a broken endpoint. A
case reads the alerts linked to it, not every alert."""

from __future__ import annotations

import pytest

from tests.governance.storage.test_alert_basis import _alert, _file, _person
from tests.world import World, build_world
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import INVESTIGATION_READS, investigation_reads, system_context

pytestmark = pytest.mark.storage


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


@pytest.fixture
def alert_world(world: World) -> dict[str, int]:
    mine = _file(world, "hotel_key", 1)
    guest = _person(world, "张伟", "11010519491231002X", mine, 0)
    with world.runtime.unit_of_work() as session:
        governance.register_legal_basis(
            session, system_context(), "case:31", "case", organisation_id=world.org_ids["A"]
        )
    clue = {"text": "a grey van at the pier", "source_type": "officer", "grading": "B2"}
    created = world.client.post(
        "/v1/clues", json=clue, headers=world.auth("analyst", "investigation", "case:31")
    )
    assert created.status_code == 201, created.text
    clue_id = created.json()["id"]
    return {"alert": _alert(world, "hotel", mine, guest), "guest": guest, "clue": clue_id}


OTHER_READS = {  # path template -> who reads it (the watchlist is for those who edit it)
    "/v1/clues": "officer",
    "/v1/clues/{clue}": "officer",
    "/v1/tips": "officer",
    "/v1/volunteers": "officer",
    "/v1/stix/export": "officer",
    "/v1/screening/watchlist": "analyst",
}


def test_an_alert_basis_reads_nothing_but_its_alert_registration_and_persons(
    world: World, alert_world: dict[str, int]
) -> None:
    basis = f"alert:{alert_world['alert']}"
    for template, who in OTHER_READS.items():
        path = template.format(**alert_world)
        refused = world.client.get(path, headers=world.auth(who, "investigation", basis))
        assert refused.status_code == 403, (path, refused.text)
        detail = refused.json()["detail"]
        assert detail.startswith(f"{basis} does not cover ")  # the basis and the category
        assert detail.endswith("a basis of kind alert reads only alerts, persons, registrations")
        under_case = world.client.get(path, headers=world.auth(who, "investigation", "case:31"))
        assert under_case.status_code == 200, (path, under_case.text)
    clue = world.client.get(
        f"/v1/clues/{alert_world['clue']}",
        headers=world.auth("officer", "investigation", "case:31"),
    )
    assert clue.json()["text"] == "a grey van at the pier"
    person = world.client.get(
        f"/v1/persons/{alert_world['guest']}", headers=world.auth("officer", "investigation", basis)
    )
    assert person.status_code == 200 and person.json()["name"] == "张伟"


def test_the_table_gives_each_kind_its_categories() -> None:
    assert investigation_reads("alert") == {"alerts", "registrations", "persons"}
    assert investigation_reads("warrant") == {"alerts", "registrations", "persons"}
    assert "incidents" not in investigation_reads("case") and "tips" in investigation_reads("case")
    assert investigation_reads("agreement", None) == {"clues"}
    assert investigation_reads("agreement", {"categories": ["persons"]}) == {"persons"}
    assert investigation_reads("statute") == frozenset()  # not an investigation basis
    assert set(INVESTIGATION_READS) == {"alert", "warrant", "case"}


def test_a_case_reads_only_the_alerts_linked_to_it(
    world: World, alert_world: dict[str, int]
) -> None:
    with world.runtime.unit_of_work() as session:
        governance.link_subject(
            session, system_context(), "case:31", "person", alert_world["guest"], "the guest"
        )
    headers = world.auth("officer", "investigation", "case:31")
    assert world.client.get(f"/v1/persons/{alert_world['guest']}", headers=headers).is_success
    listed = world.client.get("/v1/alerts", headers=headers)  # every alert before
    assert listed.status_code == 200 and listed.json() == []
    single = world.client.get(f"/v1/alerts/{alert_world['alert']}", headers=headers)
    assert single.status_code == 403 and "case:31" in single.json()["detail"]
    with world.runtime.unit_of_work() as session:
        governance.link_subject(
            session, system_context(), "case:31", "alert", alert_world["alert"], "the hit"
        )
    listed = world.client.get("/v1/alerts", headers=headers)
    assert [a["id"] for a in listed.json()] == [alert_world["alert"]]
    assert world.client.get(f"/v1/alerts/{alert_world['alert']}", headers=headers).is_success
