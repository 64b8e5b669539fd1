"""Sign-in under CJIS 5.5.3 and NIST SP 800-63B: the 6th attempt after 5 wrong passwords is
refused for 10 minutes, per account and per source, with every failure and the lockout in
the audit log; tokens must carry exp, iat and sub and live at most 30 minutes; passwords
from a breached list are refused."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select, update

from tests.world import PASSWORD, World, build_world
from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.governance.models import AuditEntry, LoginFailure, User

pytestmark = pytest.mark.storage


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _login(world: World, username: str, password: str) -> int:
    answer = world.client.post("/v1/auth/token", data={"username": username, "password": password})
    return answer.status_code


def _logons(world: World, username: str) -> list[str]:
    with world.runtime.unit_of_work() as session:
        return list(
            session.scalars(
                select(AuditEntry.outcome)
                .where(AuditEntry.object_type == "logon", AuditEntry.object_id == username)
                .order_by(AuditEntry.id)
            )
        )


def test_the_sixth_attempt_after_five_wrong_passwords_is_locked_out(world: World) -> None:
    assert [_login(world, "officer", "wrong-password") for _ in range(5)] == [401] * 5
    assert _login(world, "officer", PASSWORD) == 429  # the right password, but locked
    outcomes = _logons(world, "officer")
    assert outcomes.count("failed") == 5 and outcomes.count("lockout") == 1
    assert outcomes[-1] == "locked"
    # another account is not locked by this account's failures (the source is below 5: the
    # world signed in from it successfully, which clears nothing for the source)
    with world.runtime.unit_of_work() as session:  # ten minutes later
        session.execute(update(LoginFailure).values(at=utcnow() - timedelta(minutes=11)))
    assert _login(world, "officer", PASSWORD) == 200
    assert _logons(world, "officer")[-1] == "ok"


def test_a_source_is_locked_after_five_failures_across_accounts(world: World) -> None:
    for username in ("analyst", "auditor", "admin", "supervisor", "nobody"):
        assert _login(world, username, "wrong-password") == 401
    assert _login(world, "officer", PASSWORD) == 429  # same source, other account


def _token(world: World, claims: dict[str, object]) -> str:
    return jwt.encode(claims, world.runtime.secret_key, algorithm="HS256")


@pytest.mark.parametrize("missing", ["exp", "iat", "sub"])
def test_a_token_without_exp_iat_or_sub_is_refused(world: World, missing: str) -> None:
    now = utcnow()
    claims: dict[str, object] = {
        "sub": "1",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    assert (
        world.client.get(
            "/v1/me", headers={"Authorization": f"Bearer {_token(world, claims)}"}
        ).status_code
        == 200
    )
    del claims[missing]
    answer = world.client.get(
        "/v1/me", headers={"Authorization": f"Bearer {_token(world, claims)}"}
    )
    assert answer.status_code == 401


def test_a_token_that_lives_too_long_is_refused(world: World) -> None:
    now = utcnow()
    claims = {"sub": "1", "iat": now, "exp": now + timedelta(days=365)}
    answer = world.client.get(
        "/v1/me", headers={"Authorization": f"Bearer {_token(world, claims)}"}
    )
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 8"),
        ("password123", "breached"),
        ("Passw0rd", "breached"),
        ("newclerk1", "username"),
    ],
)
def test_new_passwords_follow_nist_800_63b(world: World, password: str, message: str) -> None:
    body = {
        "username": "newclerk1",
        "password": password,
        "role": "officer",
        "organisation_id": world.org_ids["A"],
    }
    answer = world.client.post("/v1/users", json=body, headers=world.auth("admin"))
    assert answer.status_code == 422, answer.text
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert message in errors["password"]
    body["password"] = "a long passphrase of four words"
    assert world.client.post("/v1/users", json=body, headers=world.auth("admin")).status_code == 201


def test_a_refresh_token_works_once_and_can_be_revoked(world: World) -> None:
    signed_in = world.client.post(
        "/v1/auth/token", data={"username": "analyst", "password": PASSWORD}
    ).json()
    first = signed_in["refresh_token"]
    renewed = world.client.post("/v1/auth/refresh", data={"refresh_token": first})
    assert renewed.status_code == 200, renewed.text
    me = world.client.get(
        "/v1/me", headers={"Authorization": f"Bearer {renewed.json()['access_token']}"}
    )
    assert me.json()["principal"] == "user:analyst"
    spent = world.client.post("/v1/auth/refresh", data={"refresh_token": first})
    assert spent.status_code == 401  # each works once
    second = renewed.json()["refresh_token"]
    with world.runtime.unit_of_work() as session:
        analyst_id = session.scalar(select(User.id).where(User.username == "analyst"))
    other = world.client.post(f"/v1/users/{analyst_id}/sign-out", headers=world.auth("officer"))
    assert other.status_code == 403  # not one's own, and not an administrator
    revoked = world.client.post(f"/v1/users/{analyst_id}/sign-out", headers=world.auth("admin"))
    assert revoked.status_code == 200 and revoked.json()["revoked"] >= 1
    assert world.client.post("/v1/auth/refresh", data={"refresh_token": second}).status_code == 401
