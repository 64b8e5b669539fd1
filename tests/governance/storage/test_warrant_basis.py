"""A warrant names the persons it concerns when a supervisor registers it, and an
investigation under it reads only those persons, their registrations and the alerts about
them; lists keep only those, and every other category is refused. A supervisor links one
more person with a reason. A merge neither widens nor narrows what it reads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.governance.storage.test_alert_basis import investigator, two_hotels_three_guests
from tests.world import World, build_world
from vigil.core.errors import Forbidden
from vigil.core.runtime import Runtime
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry
from vigil.registry import service as registry
from vigil.registry.models import Person

pytestmark = pytest.mark.storage
WARRANT = "warrant:W-2026-17"


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


@pytest.fixture
def named(world: World) -> dict[str, int]:
    """A warrant naming the guest of one registration; a stranger filed another."""
    scene = two_hotels_three_guests(world)
    body = {"reference": WARRANT, "kind": "warrant", "subjects": [scene["guest"]]}
    r = world.client.post("/v1/legal-bases", json=body, headers=world.auth("supervisor"))
    assert r.status_code == 201, r.text
    return scene


def _get(world: World, path: str) -> tuple[int, object]:
    r = world.client.get(path, headers=world.auth("officer", "investigation", WARRANT))
    if r.status_code == 403:
        assert r.headers["content-type"] == "application/problem+json"
        assert WARRANT in r.json()["detail"]
    return r.status_code, r.json()


def _ids(world: World, path: str) -> list[int]:
    status, body = _get(world, path)
    assert status == 200, body
    items = body["items"] if isinstance(body, dict) else body
    assert isinstance(items, list)
    return [int(i["id"]) for i in items]


def test_a_warrant_names_existing_persons_when_registered(
    world: World, named: dict[str, int]
) -> None:
    def field_error(body: dict[str, object]) -> str:
        r = world.client.post("/v1/legal-bases", json=body, headers=world.auth("supervisor"))
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert error["field"].endswith("subjects"), error
        return str(error["message"])

    missing = field_error({"reference": "warrant:W-1", "kind": "warrant"})
    assert missing.startswith("a warrant names the persons"), missing  # not pydantic's prefix
    empty = {"reference": "warrant:W-1", "kind": "warrant", "subjects": []}
    assert "names the persons" in field_error(empty)
    unknown = {"reference": "warrant:W-1", "kind": "warrant", "subjects": [9_999_999]}
    assert "no such person: [9999999]" in field_error(unknown)
    agreement = {"reference": "agreement:paper", "kind": "agreement", "subjects": [1]}
    assert "only a warrant" in field_error(agreement)
    with world.runtime.unit_of_work() as session:
        linked = session.scalars(
            select(AuditEntry.object_id).where(
                AuditEntry.action == "combine", AuditEntry.object_type == "person"
            )
        ).all()
    assert linked == [str(named["guest"])]  # the warrant's one person, linked and audited


def test_a_warrant_reads_its_persons_their_registrations_and_alerts(
    world: World, named: dict[str, int]
) -> None:
    status, person = _get(world, f"/v1/persons/{named['guest']}")
    assert status == 200 and isinstance(person, dict) and person["name"] == "张伟"
    status, own = _get(world, f"/v1/intake/submissions/{named['mine']}")
    assert status == 200 and isinstance(own, dict) and own["id"] == named["mine"]
    assert _ids(world, "/v1/intake/submissions") == [named["mine"]]  # all of them before
    assert _ids(world, "/v1/alerts") == [named["alert"]]
    status, alert = _get(world, f"/v1/alerts/{named['alert']}")
    assert status == 200 and isinstance(alert, dict) and alert["id"] == named["alert"]


def test_a_warrant_refuses_what_it_does_not_name(world: World, named: dict[str, int]) -> None:
    for path in (
        f"/v1/persons/{named['stranger']}",
        f"/v1/persons/{named['companion']}",  # on the guest's registration, but not named
        f"/v1/intake/submissions/{named['theirs']}",
        f"/v1/alerts/{named['other_alert']}",
        f"/v1/alerts/{named['camera_alert']}",
        "/v1/alerts/stream",
    ):
        assert _get(world, path)[0] == 403, path
    for path, category in (
        ("/v1/clues", "clues"),
        ("/v1/tips", "tips"),
        ("/v1/volunteers", "volunteers"),
        ("/v1/stix/export", "clues"),
    ):
        status, body = _get(world, path)
        assert status == 403 and isinstance(body, dict), path
        assert body["detail"].startswith(f"{WARRANT} does not cover {category}: ")
        assert "a basis of kind warrant reads only" in body["detail"]


def test_a_supervisor_links_one_more_person_with_a_reason(
    world: World, named: dict[str, int]
) -> None:
    path = f"/v1/legal-bases/{WARRANT}/persons"
    body = {"person_id": named["stranger"], "reason": "the court's addendum of 7 Dec"}
    assert world.client.post(path, json=body, headers=world.auth("officer")).status_code == 403
    assert _get(world, f"/v1/persons/{named['stranger']}")[0] == 403
    linked = world.client.post(path, json=body, headers=world.auth("supervisor"))
    assert linked.status_code == 201, linked.text
    assert _get(world, f"/v1/persons/{named['stranger']}")[0] == 200
    assert _ids(world, "/v1/intake/submissions") == [named["mine"], named["theirs"]]
    assert _ids(world, "/v1/alerts") == [named["alert"], named["other_alert"]]
    with world.runtime.unit_of_work() as session:
        [entry] = session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_id == str(named["stranger"]), AuditEntry.action == "combine"
            )
        ).all()
        assert entry.actor == "user:supervisor"
        assert entry.detail == {"linked_to": WARRANT, "reason": "the court's addendum of 7 Dec"}
    nobody = {"person_id": 9_999_999, "reason": "a typo"}
    r = world.client.post(path, json=nobody, headers=world.auth("supervisor"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "person_id"
    not_a_warrant = world.client.post(
        "/v1/legal-bases/statute:hotel-registration/persons",
        json=body,
        headers=world.auth("supervisor"),
    )
    assert not_a_warrant.status_code == 404


def test_a_merge_neither_widens_nor_narrows_a_warrant(world: World, named: dict[str, int]) -> None:
    # the stranger absorbed into the named guest: the guest's warrant reads neither the
    # stranger nor the stranger's registration, and the guest's own still
    with world.runtime.unit_of_work() as session:
        merge = registry.merge_persons(
            session, system_context(), named["guest"], named["stranger"], "same passport"
        )
        merge_id = merge.id
    assert _get(world, f"/v1/persons/{named['stranger']}")[0] == 403
    assert _get(world, f"/v1/intake/submissions/{named['theirs']}")[0] == 403
    assert _ids(world, "/v1/intake/submissions") == [named["mine"]]
    assert _ids(world, "/v1/alerts") == [named["alert"]]
    # the other way round: the named guest absorbed into the stranger
    with world.runtime.unit_of_work() as session:
        registry.split_merge(session, system_context(), merge_id)
        registry.merge_persons(
            session, system_context(), named["stranger"], named["guest"], "same passport"
        )
    assert _get(world, f"/v1/persons/{named['stranger']}")[0] == 403  # the survivor
    assert _get(world, f"/v1/persons/{named['guest']}")[0] == 200
    assert _ids(world, "/v1/intake/submissions") == [named["mine"]]  # moved, still the guest's
    assert _get(world, f"/v1/intake/submissions/{named['theirs']}")[0] == 403
    # and a new warrant names the survivor, not the person merged away
    body = {"reference": "warrant:W-2026-18", "kind": "warrant", "subjects": [named["guest"]]}
    r = world.client.post("/v1/legal-bases", json=body, headers=world.auth("supervisor"))
    assert r.status_code == 422 and "merged into another person" in r.text


def test_a_merge_needs_a_basis_that_covers_both_persons(
    world: World, named: dict[str, int]
) -> None:
    officer = investigator(world, WARRANT)
    with world.runtime.unit_of_work() as session, pytest.raises(Forbidden, match=WARRANT):
        registry.merge_persons(session, officer, named["guest"], named["stranger"], "same")
    with world.runtime.unit_of_work() as session:
        merged_into = session.scalar(
            select(Person.merged_into).where(Person.id == named["stranger"])
        )
    assert merged_into is None  # nothing merged
