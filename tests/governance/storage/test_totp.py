"""An optional TOTP second factor for staff (RFC 6238 with pyotp): once confirmed, a sign-in
needs a current code besides the password; a missing, wrong or replayed code is a failed
attempt (audited, counted for the lockout); an administrator can remove it."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from sqlalchemy import select

from tests.world import PASSWORD, World, build_world
from vigil.core.runtime import Runtime
from vigil.governance import totp
from vigil.governance.models import AuditEntry, User

pytestmark = pytest.mark.storage


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _sign_in(world: World, otp: str | None = None, user: str = "officer") -> int:
    form = {"username": user, "password": PASSWORD}
    if otp is not None:
        form["otp"] = otp
    return int(world.client.post("/v1/auth/token", data=form).status_code)


def _enrol(world: World) -> pyotp.TOTP:
    r = world.client.post("/v1/auth/totp", headers=world.auth("officer"))
    assert r.status_code == 201, r.text
    uri = r.json()["otpauth_uri"]
    assert uri.startswith("otpauth://totp/Vigil:officer")
    return pyotp.TOTP(parse_qs(urlparse(uri).query)["secret"][0])


def test_a_confirmed_second_factor_is_required_at_sign_in(world: World) -> None:
    code = _enrol(world)
    assert _sign_in(world) == 200  # not in force until confirmed
    bad = world.client.post(
        "/v1/auth/totp/confirm", json={"code": "000000"}, headers=world.auth("officer")
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
    step = int(time.time() // 30)
    ok = world.client.post(
        "/v1/auth/totp/confirm",
        json={"code": code.generate_otp(step)},
        headers=world.auth("officer"),
    )
    assert ok.status_code == 200 and ok.json() == {"enabled": True}
    assert _sign_in(world) == 401  # password alone
    assert _sign_in(world, "123456" if code.now() != "123456" else "654321") == 401
    assert _sign_in(world, code.generate_otp(step)) == 401  # the confirming code, replayed
    assert _sign_in(world, code.generate_otp(step + 1)) == 200
    assert _sign_in(world, code.generate_otp(step + 1)) == 401  # no code twice
    with world.runtime.unit_of_work() as session:
        failed = session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.object_type == "logon", AuditEntry.outcome == "failed"
            )
        ).all()
        secret = session.scalar(select(User.totp_secret).where(User.username == "officer"))
    assert [d.get("second_factor") for d in failed] == ["missing", "wrong", "wrong", "wrong"]
    assert secret and code.secret not in secret  # stored sealed


def test_wrong_codes_count_for_the_lockout(world: World) -> None:
    code = _enrol(world)
    world.client.post(
        "/v1/auth/totp/confirm", json={"code": code.now()}, headers=world.auth("officer")
    )
    answers = [_sign_in(world, "999999" if code.now() != "999999" else "111111") for _ in range(5)]
    assert answers == [401] * 5
    assert _sign_in(world, code.generate_otp(int(time.time() // 30) + 1)) == 429  # locked


def test_an_administrator_removes_it_and_businesses_have_none(world: World) -> None:
    code = _enrol(world)
    world.client.post(
        "/v1/auth/totp/confirm", json={"code": code.now()}, headers=world.auth("officer")
    )
    with world.runtime.unit_of_work() as session:
        officer = session.scalar(select(User.id).where(User.username == "officer"))
    assert (
        world.client.delete(f"/v1/users/{officer}/totp", headers=world.auth("analyst")).status_code
        == 403
    )
    assert (
        world.client.delete(f"/v1/users/{officer}/totp", headers=world.auth("admin")).status_code
        == 200
    )
    assert _sign_in(world) == 200
    business = next(iter(world.api_keys))  # an API key has no second factor
    assert world.client.post("/v1/auth/totp", headers=world.auth(business)).status_code == 403


def test_codes_within_one_step_of_drift_and_never_an_older_step() -> None:
    secret = totp.new_secret()
    otp = pyotp.TOTP(secret)
    now = 1_800_000_000.0
    step = int(now // 30)
    assert totp.matching_step(secret, otp.generate_otp(step - 1), None, now) == step - 1
    assert totp.matching_step(secret, otp.generate_otp(step + 2), None, now) is None
    assert totp.matching_step(secret, otp.generate_otp(step), step, now) is None
    assert totp.matching_step(secret, "12a456", None, now) is None
    sealed = totp.seal("k", secret)
    assert totp.unseal("k", sealed) == secret and secret not in sealed
