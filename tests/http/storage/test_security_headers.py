"""Security headers on every answer (a CSP with no inline script, no framing, no sniffing,
HSTS over TLS) and rate limits on sign-in and the public tip endpoints."""

from __future__ import annotations

import dataclasses
import re
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.http.test_rate_limit import REDIS_URL
from tests.world import PASSWORD, World, build_world
from vigil.api.app import create_app
from vigil.core.runtime import Runtime
from vigil.http.security import content_security_policy

pytestmark = pytest.mark.storage


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _script_src(policy: str) -> str:
    return next(p for p in policy.split(";") if p.strip().startswith("script-src"))


def test_every_page_carries_the_headers_and_no_inline_script(world: World) -> None:
    for path in ("/console", "/v1/tips/form", "/openapi.json", "/static/js/app.js", "/nowhere"):
        r = world.client.get(path)
        policy = r.headers["content-security-policy"]
        assert "'unsafe-inline'" not in _script_src(policy), path
        assert "frame-ancestors 'none'" in policy
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in r.headers  # plain HTTP
    for path in ("/console", "/v1/tips/form"):  # the pages the policy covers run no inline code
        html = world.client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path


def test_hsts_over_tls_only(world: World) -> None:
    tls = TestClient(world.client.app, base_url="https://testserver")
    assert "max-age=" in tls.get("/console").headers["strict-transport-security"]


def test_the_docs_pages_allow_only_their_own_inline_scripts(world: World) -> None:
    page = world.client.get("/docs")
    script_src = _script_src(page.headers["content-security-policy"])
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
    assert script_src == _script_src(content_security_policy(page.text))


def test_sign_in_is_rate_limited_per_source(world: World) -> None:
    limit = world.runtime.settings.rate_limit_sign_in_per_minute
    form = {"username": "officer", "password": PASSWORD}  # right: no lockout, only the limit
    answers = [world.client.post("/v1/auth/token", data=form).status_code for _ in range(limit)]
    assert answers == [200] * limit
    over = world.client.post("/v1/auth/token", data=form)
    assert over.status_code == 429 and int(over.headers["retry-after"]) >= 1
    assert over.headers["content-type"] == "application/problem+json"
    assert "too many sign-in requests" in over.json()["detail"]


def test_public_tip_endpoint_is_rate_limited(world: World) -> None:
    limit = world.runtime.settings.rate_limit_public_per_minute
    tip = {"text": "a parked van, engine running", "category": "other", "anonymous": True}
    codes = [world.client.post("/v1/tips", json=tip).status_code for _ in range(limit + 1)]
    assert codes[:limit] == [201] * limit and codes[-1] == 429


def test_server_processes_share_the_count_in_redis(world: World) -> None:
    """Two apps configured with one Redis (as two server processes would be) give a source
    one allowance between them, not one each."""
    settings = world.runtime.settings.model_copy(
        update={"rate_limit_storage": REDIS_URL, "rate_limit_public_per_minute": 4}
    )
    runtime = dataclasses.replace(world.runtime, settings=settings)
    source = (f"test-{uuid.uuid4().hex}", 50000)  # no other test run counts this address
    first, second = (
        TestClient(create_app(runtime, checkpoint_interval_s=3600), client=source) for _ in range(2)
    )
    tip = {"text": "a parked van, engine running", "category": "other", "anonymous": True}
    codes = [c.post("/v1/tips", json=tip).status_code for c in (first, second) * 2]
    assert codes == [201] * 4
    over = second.post("/v1/tips", json=tip)
    assert over.status_code == 429 and int(over.headers["retry-after"]) >= 1
