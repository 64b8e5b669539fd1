"""Numbers the database cannot hold are field errors: every route's integer path
parameter, and the paging parameters, answer 422 naming the field, never 500."""

from __future__ import annotations

import re

import pytest

from tests.world import World, build_world
from vigil.core.runtime import Runtime

TOO_BIG = 2**63  # one past PostgreSQL's bigint and SQLite's INTEGER
pytestmark = pytest.mark.storage

OFFICER = ("officer", "investigation", "statute:hotel-registration")


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _integer_path_routes(world: World) -> list[tuple[str, str, str]]:
    """(method, path, parameter) for every operation with an integer path parameter, as the
    OpenAPI document describes them."""
    found = []
    for path, operations in world.client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] == "path" and param["schema"].get("type") == "integer":
                    found.append((method.upper(), path, param["name"]))
    return found


def test_every_integer_path_parameter_refuses_a_number_too_big_to_store(world: World) -> None:
    routes = _integer_path_routes(world)
    assert len(routes) >= 25  # persons, alerts, cases, clues, tips, rewards, compliance, …
    for method, path, name in routes:
        url = re.sub(r"\{(\w+)\}", lambda m, name=name: str(TOO_BIG if m[1] == name else 1), path)
        response = world.client.request(method, url, json={}, headers=world.auth(*OFFICER))
        assert response.status_code == 422, (method, path, response.status_code, response.text)
        assert name in {e["field"] for e in response.json()["errors"]}, (path, response.text)


@pytest.mark.parametrize(
    ("url", "who", "field"),
    [
        ("/v1/alerts?limit=-1", OFFICER, "limit"),
        ("/v1/alerts?limit=0", OFFICER, "limit"),
        (f"/v1/alerts?after_id={TOO_BIG}", OFFICER, "after_id"),
        (f"/v1/alerts/stream?after_id={TOO_BIG}", OFFICER, "after_id"),
        ("/v1/audit?limit=-1", ("auditor", "oversight", "x"), "limit"),
        (f"/v1/audit?after_seq={TOO_BIG}", ("auditor", "oversight", "x"), "after_seq"),
        (f"/v1/intake/submissions?after_id={TOO_BIG}", OFFICER, "after_id"),
        (f"/v1/intake/submissions?organisation_id={TOO_BIG}", OFFICER, "organisation_id"),
    ],
)
def test_paging_parameters_are_bounded(
    world: World, url: str, who: tuple[str, str, str], field: str
) -> None:
    response = world.client.get(url, headers=world.auth(*who))
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/v1/rewards", {"tip_id": TOO_BIG, "amount_cents": 100}, "tip_id"),
        ("/v1/rewards", {"tip_id": 1, "amount_cents": 2**31}, "amount_cents"),
        ("/v1/sharing-agreements", {"to_org_id": 2**31, "purpose": "joint case"}, "to_org_id"),
        ("/v1/clues/1/shares", {"recipient_org_id": 2**31}, "recipient_org_id"),
        (
            "/v1/users",
            {"username": "u", "password": "p" * 12, "role": "officer", "organisation_id": 2**31},
            "organisation_id",
        ),
    ],
)
def test_ids_and_amounts_in_a_body_are_bounded_by_their_columns(
    world: World, url: str, body: dict[str, object], field: str
) -> None:
    response = world.client.post(url, json=body, headers=world.auth(*OFFICER))
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
