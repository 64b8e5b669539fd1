"""Legal basis on every personal-data read, the role matrix, and no plain identity numbers
in the database or the logs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from tests.world import INTAKE_CASE, World, build_world
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.governance.models import ApiKey, AuditEntry
from vigil.registry.models import Person

pytestmark = pytest.mark.storage

ID_A = "11010519491231002X"
ID_B = "360426199101010071"
PERSON = {
    "name": "张晓明",
    "birth_date": "1949-12-31",
    "sex": "F",
    "nationality": "CHN",
    "documents": [{"doc_type": "cn_resident_id", "number": ID_A}],
}


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _create_person(world: World, body: dict[str, object] = PERSON) -> int:
    response = world.client.post(
        "/v1/persons",
        json=body,
        headers=world.auth("officer", "investigation", INTAKE_CASE),
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _audit_count(runtime: Runtime) -> int:
    with runtime.unit_of_work() as session:
        return audit.entry_count(session)


def _register_case(
    runtime: Runtime, world: World, reference: str, org: str = "A", persons: tuple[int, ...] = ()
) -> None:
    with runtime.unit_of_work() as session:
        governance.register_legal_basis(
            session, system_context(), reference, "case", organisation_id=world.org_ids[org]
        )
        for person_id in persons:  # the persons the case may read
            governance.link_subject(session, system_context(), reference, "person", person_id, "t")


@pytest.mark.parametrize(
    ("purpose", "basis", "status"),
    [
        (None, None, 403),
        ("investigation", None, 403),
        (None, "case:1", 403),
        ("curiosity", "case:1", 403),
        ("investigation", "case:does-not-exist", 403),
        ("investigation", "   ", 403),
    ],
)
def test_read_without_valid_purpose_or_basis_gets_no_data(
    world: World, purpose: str | None, basis: str | None, status: int
) -> None:
    person_id = _create_person(world)
    response = world.client.get(
        f"/v1/persons/{person_id}", headers=world.auth("officer", purpose, basis)
    )
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.text
    assert ID_A not in body and "张晓明" not in body
    assert response.json()["status"] == status


def test_read_with_basis_returns_data_and_writes_exactly_one_consult_entry(world: World) -> None:
    person_id = _create_person(world)
    _register_case(world.runtime, world, "case:42")
    with world.runtime.unit_of_work() as session:  # the case may read this person
        governance.link_subject(
            session, system_context(), "case:42", "person", person_id, "seen at the scene"
        )
    before = _audit_count(world.runtime)
    response = world.client.get(
        f"/v1/persons/{person_id}", headers=world.auth("officer", "investigation", "case:42")
    )
    assert response.status_code == 200, response.text
    assert response.json()["documents"][0]["number"] == ID_A
    assert _audit_count(world.runtime) == before + 1
    with world.runtime.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.action, entry.object_type, entry.object_id) == (
            "consult",
            "person",
            str(person_id),
        )
        assert (entry.actor, entry.purpose, entry.legal_basis) == (
            "user:officer",
            "investigation",
            "case:42",
        )


def test_another_agencys_case_is_not_a_basis(world: World) -> None:
    person_id = _create_person(world)
    _register_case(world.runtime, world, "case:b-7", org="B")
    response = world.client.get(
        f"/v1/persons/{person_id}", headers=world.auth("officer", "investigation", "case:b-7")
    )
    assert response.status_code == 403


def test_refused_reads_are_audited(world: World) -> None:
    person_id = _create_person(world)
    with world.runtime.unit_of_work() as session:
        before = session.scalar(select(func.max(AuditEntry.id))) or 0
    world.client.get(
        f"/v1/persons/{person_id}", headers=world.auth("officer", "investigation", "case:nope")
    )
    with world.runtime.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.id > before)).all()
    assert [(e.outcome, e.actor) for e in entries] == [("refused", "user:officer")]


# Role × endpoint matrix: (method, path template, needs purpose headers) → roles allowed.
STAFF = {"supervisor", "analyst", "officer"}
MATRIX: list[tuple[str, str, bool, set[str]]] = [
    ("GET", "/v1/persons/{person}", True, STAFF),
    ("POST", "/v1/persons", True, STAFF),
    ("GET", "/v1/audit", False, {"auditor"}),
    ("GET", "/v1/audit/verify", False, {"auditor"}),
    ("GET", "/v1/oversight", False, {"auditor", "admin"}),
    ("POST", "/v1/organisations", False, {"admin"}),
    ("POST", "/v1/users", False, {"admin"}),
    ("POST", "/v1/organisations/{own}/api-keys", False, {"admin"}),
    ("POST", "/v1/legal-bases", False, {"supervisor"}),
    ("POST", "/v1/legal-bases/warrant:standing/persons", False, {"supervisor"}),
    (
        "GET",
        "/v1/me",
        False,
        {"admin", "supervisor", "analyst", "officer", "auditor", "clerk", "hotel_key"},
    ),
]
PRINCIPALS = ["admin", "supervisor", "analyst", "officer", "auditor", "clerk", "hotel_key"]


def _body(path: str, world: World, n: int, person_id: int) -> dict[str, object] | None:
    if path == "/v1/persons":
        return {"name": f"Person {n}"}
    if path == "/v1/organisations":
        return {"name": f"New Agency {n}", "kind": "agency"}
    if path == "/v1/users":
        return {
            "username": f"u{n}",
            "password": "long-enough-pw",
            "role": "officer",
            "organisation_id": world.org_ids["A"],
        }
    if path.endswith("/api-keys"):
        return {"label": "x"}
    if path == "/v1/legal-bases":  # a warrant names the persons it concerns
        return {"reference": f"warrant:W-{n}", "kind": "warrant", "subjects": [person_id]}
    if path.endswith("/persons"):
        return {"person_id": person_id, "reason": "named in the court's addendum"}
    return None


def test_role_endpoint_matrix(world: World) -> None:
    person_id = _create_person(world)
    _register_case(world.runtime, world, "case:1")
    with world.runtime.unit_of_work() as session:
        governance.link_subject(session, system_context(), "case:1", "person", person_id, "test")
        governance.register_legal_basis(
            session,
            system_context(),
            "warrant:standing",
            "warrant",
            organisation_id=world.org_ids["A"],
            subjects=[person_id],
        )
    n = 0
    for method, template, purposeful, allowed in MATRIX:
        path = template.format(person=person_id, own=world.org_ids["A"])
        for who in PRINCIPALS:
            n += 1
            headers = world.auth(who, "investigation", "case:1") if purposeful else world.auth(who)
            response = world.client.request(
                method, path, json=_body(template, world, n, person_id), headers=headers
            )
            ok = response.status_code < 400
            assert ok == (who in allowed), (
                f"{who} {method} {path}: {response.status_code} {response.text}"
            )
            if not ok:
                assert response.status_code == 403
                assert "张晓明" not in response.text and ID_A not in response.text


def test_auditor_sees_counts_but_no_personal_data(world: World) -> None:
    person_id = _create_person(world)
    _register_case(world.runtime, world, "case:9")
    world.client.get(
        f"/v1/persons/{person_id}", headers=world.auth("officer", "investigation", "case:9")
    )
    for path in ("/v1/audit", "/v1/oversight", "/v1/audit/verify"):
        response = world.client.get(path, headers=world.auth("auditor"))
        assert response.status_code == 200
        assert "张晓明" not in response.text and ID_A not in response.text
    counts = world.client.get("/v1/oversight", headers=world.auth("auditor")).json()
    assert counts["by_action"]["consult"] >= 1
    denied = world.client.get(
        f"/v1/persons/{person_id}", headers=world.auth("auditor", "oversight", "case:9")
    )
    assert denied.status_code == 403


def test_business_key_sees_only_its_own_organisation(world: World) -> None:
    mine = world.client.get("/v1/organisations", headers=world.auth("hotel_key")).json()
    assert [o["id"] for o in mine] == [world.org_ids["hotel"]]
    other = world.client.get("/v1/organisations", headers=world.auth("other_hotel_key")).json()
    assert [o["id"] for o in other] == [world.org_ids["other_hotel"]]


def test_revoked_key_is_refused(world: World) -> None:
    prefix = world.api_keys["hotel_key"].split("_")[1]
    with world.runtime.unit_of_work() as session:  # the operator (`vigil apikey revoke`)
        governance.revoke_api_key(session, system_context(), prefix)
    assert world.client.get("/v1/me", headers=world.auth("hotel_key")).status_code == 401


def test_an_administrator_issues_and_revokes_keys_of_its_own_organisation_only(
    world: World,
) -> None:
    """Organisations have no relation of responsibility: an administrator of agency A keeps
    agency A's keys, and the operator (Vigil's own context, the CLI) any organisation's."""
    admin = world.auth("admin")
    for org in ("B", "hotel"):
        refused = world.client.post(
            f"/v1/organisations/{world.org_ids[org]}/api-keys", json={"label": "x"}, headers=admin
        )
        assert refused.status_code == 403, refused.text
        assert "its own organisation (Agency A)" in refused.json()["detail"]
    hotel_prefix = world.api_keys["hotel_key"].split("_")[1]
    refused = world.client.delete(f"/v1/api-keys/{hotel_prefix}", headers=admin)
    assert refused.status_code == 403 and "its own organisation" in refused.json()["detail"]
    assert world.client.get("/v1/me", headers=world.auth("hotel_key")).status_code == 200
    own = world.client.post(
        f"/v1/organisations/{world.org_ids['A']}/api-keys", json={"label": "nvr"}, headers=admin
    )
    assert own.status_code == 201, own.text
    revoked = world.client.delete(f"/v1/api-keys/{own.json()['prefix']}", headers=admin)
    assert revoked.status_code == 204
    with world.runtime.unit_of_work() as session:
        issued = governance.create_api_key(session, system_context(), world.org_ids["B"])
        keys = session.scalars(select(ApiKey.organisation_id).order_by(ApiKey.id)).all()
    assert issued.key_id and keys[-2:] == [world.org_ids["A"], world.org_ids["B"]]


def test_no_plain_identity_numbers_in_database_or_logs(
    world: World, capfd: pytest.CaptureFixture[str]
) -> None:
    second = {
        **PERSON,
        "name": "Li Lei",
        "documents": [{"doc_type": "cn_resident_id", "number": ID_B}],
    }
    ids = [_create_person(world), _create_person(world, second)]
    _register_case(world.runtime, world, "case:5", persons=tuple(ids))
    for person_id in ids:
        response = world.client.get(
            f"/v1/persons/{person_id}", headers=world.auth("officer", "investigation", "case:5")
        )
        assert response.status_code == 200
    # A request that carries an ID in a bad field must not log it either.
    world.client.post(
        "/v1/persons",
        json={**PERSON, "documents": [{"doc_type": "cn_resident_id", "number": ID_A[:-1] + "1"}]},
        headers=world.auth("officer", "investigation", INTAKE_CASE),
    )
    runtime = world.runtime
    runtime.engine.dispose()
    url = runtime.settings.database_url
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        raw = b""
        for suffix in ("", "-wal"):
            try:
                with open(path + suffix, "rb") as handle:
                    raw += handle.read()
            except FileNotFoundError:
                pass
        assert raw, "database file not found"
        for number in (ID_A, ID_B, ID_A[:-1] + "1"):
            assert number.encode() not in raw
    else:
        with runtime.engine.connect() as conn:
            tables = (
                conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))
                .scalars()
                .all()
            )
            # the rows' full text (a Row's repr would cut long values short)
            dump = "".join(
                row[0]
                for table in tables
                for row in conn.execute(text(f'SELECT row_to_json(t)::text FROM "{table}" t'))
            )
        assert "张晓明" in dump  # the dump really holds the data
        for number in (ID_A, ID_B):
            assert number not in dump
    logs = capfd.readouterr()
    assert "request" in logs.err  # the JSON request log was captured
    for number in (ID_A, ID_B, ID_A[:-1] + "1"):
        assert number not in logs.out and number not in logs.err


def _register_agreement(
    world: World,
    reference: str,
    categories: list[str] | None = None,
    parties: list[int] | None = None,
) -> None:
    """Agency A's sharing agreement; without categories, the default scope."""
    scope = None if categories is None else {"categories": categories, "cases": []}
    with world.runtime.unit_of_work() as session:
        governance.register_legal_basis(
            session,
            system_context(),
            reference,
            "agreement",
            organisation_id=world.org_ids["A"],
            parties=parties,
            scope=scope,
        )


def test_only_the_parties_to_an_agreement_may_cite_it(world: World) -> None:
    person_id = _create_person(world)
    _register_agreement(world, "agreement:with-b", ["persons"], parties=[world.org_ids["B"]])
    _register_agreement(world, "agreement:a-only")
    url = f"/v1/persons/{person_id}"
    ok = world.client.get(url, headers=world.auth("analyst_b", "investigation", "agreement:with-b"))
    assert ok.status_code == 200
    refused = world.client.get(
        url, headers=world.auth("analyst_b", "investigation", "agreement:a-only")
    )
    assert refused.status_code == 403


def test_registering_a_known_identity_is_a_basis_checked_and_audited_lookup(world: World) -> None:
    person_id = _create_person(world)
    _register_agreement(world, "agreement:clues-only", ["clues"])
    with world.runtime.unit_of_work() as session:
        before = session.scalar(select(func.max(AuditEntry.id))) or 0
    # a basis that does not cover persons may not even ask whether someone is on file
    refused = world.client.post(
        "/v1/persons",
        json=PERSON,
        headers=world.auth("officer", "investigation", "agreement:clues-only"),
    )
    assert refused.status_code == 403, refused.text
    assert "does not cover persons" in refused.json()["detail"]
    again = world.client.post(
        "/v1/persons",
        json=PERSON,
        headers=world.auth("officer", "investigation", INTAKE_CASE),
    )
    assert again.status_code == 409
    assert ID_A not in again.text
    with world.runtime.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.id > before)).all()
        assert session.scalar(select(func.count()).select_from(Person)) == 1
    assert [(e.action, e.object_type, e.outcome) for e in entries] == [
        ("consult", "endpoint", "refused"),
        ("consult", "person", "conflict"),
    ]
    assert entries[1].object_id == str(person_id)
    assert entries[1].legal_basis == INTAKE_CASE


def test_a_person_registered_under_a_case_is_read_under_that_case_only(world: World) -> None:
    person_id = _create_person(world)
    _register_case(world.runtime, world, "case:other")
    url = f"/v1/persons/{person_id}"
    mine = world.client.get(url, headers=world.auth("officer", "investigation", INTAKE_CASE))
    assert mine.status_code == 200, mine.text
    assert mine.json()["documents"][0]["number"] == ID_A
    other = world.client.get(url, headers=world.auth("officer", "investigation", "case:other"))
    assert other.status_code == 403
