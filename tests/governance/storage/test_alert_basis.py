"""An investigation under `alert:N` reads what the alert concerns, derived from the alert row:
the alert itself, its own registration and the persons linked to that registration. Lists
keep only those; any other registration, person or alert is 403."""

from __future__ import annotations

import pytest

from tests.intake.samples import cn_id, sample
from tests.world import World, build_world
from vigil.alerts import service as alerts
from vigil.alerts.schemas import AlertIn
from vigil.core.runtime import Runtime
from vigil.governance.access import AccessContext, Purpose, system_context
from vigil.governance.roles import Role
from vigil.registry import service as registry
from vigil.registry.models import RegistrationLink, ReviewItem
from vigil.registry.schemas import DocumentIn, PersonIn

pytestmark = pytest.mark.storage
SCREENING = system_context(Purpose.SCREENING, "statute:real-name-registration")


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _file(world: World, key: str, n: int) -> int:
    r = world.client.post("/v1/intake/hotel", json=sample("hotel", n), headers=world.auth(key))
    assert r.status_code == 202, r.text
    return int(r.json()["submission_ids"][0])


def _person(world: World, name: str, number: str, submission_id: int, position: int) -> int:
    runtime = world.runtime
    with runtime.unit_of_work() as session:
        person = registry.create_person(
            session,
            system_context(),
            runtime.vault,
            PersonIn(name=name, documents=[DocumentIn(doc_type="cn_resident_id", number=number)]),
        )
        session.add(
            RegistrationLink(
                sector="hotel",
                submission_id=submission_id,
                position=position,
                person_id=person.id,
                method="id_hash",
            )
        )
        return person.id


def _alert(world: World, sector: str, submission_id: int, person_id: int | None) -> int:
    with world.runtime.unit_of_work() as session:
        alert = alerts.raise_alert(
            session,
            SCREENING,
            AlertIn(
                kind="person" if sector == "hotel" else "video",
                score=0.9,
                explanation={"name": {"score": 0.9, "detail": "match"}},
                sector=sector,
                submission_id=submission_id,
                person_id=person_id,
                watchlist_entry_id="W-1",
                legal_basis="warrant:W-2026-001 (Riverside Court)",
                organisation_id=world.org_ids["A"],
            ),
        )
        return alert.id


@pytest.fixture
def concerned(world: World) -> dict[str, int]:
    return two_hotels_three_guests(world)


def investigator(world: World, basis: str) -> AccessContext:
    """Agency A's officer investigating under `basis`, as a service call sees them."""
    return AccessContext(
        principal="user:officer",
        principal_id=1,
        organisation_id=world.org_ids["A"],
        organisation_name="Agency A",
        role=Role.OFFICER,
        purpose=Purpose.INVESTIGATION,
        legal_basis=basis,
    )


def two_hotels_three_guests(world: World) -> dict[str, int]:
    """Two hotels' filings (a guest and a companion in one, a stranger in the other), an
    alert on each, and a camera alert."""
    mine = _file(world, "hotel_key", 1)
    theirs = _file(world, "other_hotel_key", 2)
    guest = _person(world, "张伟", "11010519491231002X", mine, 0)
    companion = _person(world, "李娜", "360426199101010071", mine, 1)
    stranger = _person(world, "王芳", cn_id(501, "19800101"), theirs, 0)
    return {
        "mine": mine,
        "theirs": theirs,
        "guest": guest,
        "companion": companion,
        "stranger": stranger,
        "alert": _alert(world, "hotel", mine, guest),
        "other_alert": _alert(world, "hotel", theirs, stranger),
        # a camera alert carries its event's id where a registration alert has its submission
        "camera_alert": _alert(world, "video", theirs, None),
    }


def _get(world: World, path: str, alert_id: int) -> tuple[int, object]:
    r = world.client.get(path, headers=world.auth("officer", "investigation", f"alert:{alert_id}"))
    body = r.json()
    if r.status_code == 403:
        assert r.headers["content-type"] == "application/problem+json"
        assert f"alert:{alert_id}" in body["detail"]
    return r.status_code, body


def test_an_alert_basis_lists_only_its_own_registration(
    world: World, concerned: dict[str, int]
) -> None:
    status, page = _get(world, "/v1/intake/submissions", concerned["alert"])
    assert status == 200
    assert isinstance(page, dict) and [s["id"] for s in page["items"]] == [concerned["mine"]]
    status, page = _get(world, "/v1/intake/submissions", concerned["camera_alert"])
    assert status == 200 and isinstance(page, dict) and page["items"] == []


def test_an_alert_basis_reads_its_registration_and_its_persons(
    world: World, concerned: dict[str, int]
) -> None:
    status, own = _get(world, f"/v1/intake/submissions/{concerned['mine']}", concerned["alert"])
    assert status == 200 and isinstance(own, dict) and own["id"] == concerned["mine"]
    assert own["organisation"] == "Hotel X"  # the business by name, as the console shows it
    for person in ("guest", "companion"):
        status, read = _get(world, f"/v1/persons/{concerned[person]}", concerned["alert"])
        assert status == 200 and isinstance(read, dict) and read["id"] == concerned[person]
    status, alert = _get(world, f"/v1/alerts/{concerned['alert']}", concerned["alert"])
    assert status == 200 and isinstance(alert, dict) and alert["hits"] is not None


def test_an_alert_basis_refuses_what_the_alert_does_not_concern(
    world: World, concerned: dict[str, int]
) -> None:
    theirs = f"/v1/intake/submissions/{concerned['theirs']}"
    assert _get(world, theirs, concerned["alert"])[0] == 403
    assert _get(world, theirs, concerned["camera_alert"])[0] == 403  # an event id, not a filing
    assert _get(world, f"/v1/persons/{concerned['stranger']}", concerned["alert"])[0] == 403
    assert _get(world, f"/v1/alerts/{concerned['other_alert']}", concerned["alert"])[0] == 403
    status, listed = _get(world, "/v1/alerts", concerned["alert"])
    assert status == 200 and isinstance(listed, list)
    assert [a["id"] for a in listed] == [concerned["alert"]]
    assert _get(world, "/v1/alerts/stream", concerned["alert"])[0] == 403


def test_each_alert_reads_its_own_and_a_business_its_own(
    world: World, concerned: dict[str, int]
) -> None:
    status, own = _get(
        world, f"/v1/intake/submissions/{concerned['theirs']}", concerned["other_alert"]
    )
    assert status == 200 and isinstance(own, dict) and own["id"] == concerned["theirs"]
    clerk = world.client.get(
        f"/v1/intake/submissions/{concerned['mine']}", headers=world.auth("clerk")
    )
    assert clerk.status_code == 200
    foreign = world.client.get(
        f"/v1/intake/submissions/{concerned['theirs']}", headers=world.auth("clerk")
    )
    assert foreign.status_code == 404  # a business reads only its own


def test_an_alert_basis_sees_only_its_registrations_review_items(
    world: World, concerned: dict[str, int]
) -> None:
    with world.runtime.unit_of_work() as session:
        for submission, person in ((concerned["mine"], "guest"), (concerned["theirs"], "stranger")):
            session.add(
                ReviewItem(
                    sector="hotel",
                    submission_id=submission,
                    position=2,
                    candidate_person_id=concerned[person],
                    weight=0.5,
                )
            )
    officer = investigator(world, f"alert:{concerned['alert']}")
    with world.runtime.unit_of_work() as session:
        items = registry.review_queue(session, officer)
        assert [i.submission_id for i in items] == [concerned["mine"]]


def test_a_case_basis_reads_only_the_registrations_of_its_persons(
    world: World, concerned: dict[str, int]
) -> None:
    from vigil.governance import service as governance

    with world.runtime.unit_of_work() as session:
        governance.register_legal_basis(
            session, system_context(), "case:77", "case", organisation_id=world.org_ids["A"]
        )
        governance.link_subject(
            session, system_context(), "case:77", "person", concerned["guest"], "seen at the scene"
        )
    headers = world.auth("officer", "investigation", "case:77")
    listed = world.client.get("/v1/intake/submissions", headers=headers)
    assert listed.status_code == 200, listed.text
    assert [s["id"] for s in listed.json()["items"]] == [concerned["mine"]]
    own = world.client.get(f"/v1/intake/submissions/{concerned['mine']}", headers=headers)
    assert own.status_code == 200, own.text
    other = world.client.get(f"/v1/intake/submissions/{concerned['theirs']}", headers=headers)
    assert other.status_code == 403
    assert "case:77" in other.json()["detail"]
