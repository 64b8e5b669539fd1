"""Logging in over the API: the right password gives a bearer token that names the user,
role and organisation (the world's other tests get their tokens without this round trip)."""

from __future__ import annotations

import pytest

from tests.world import PASSWORD, World, build_world
from vigil.core.runtime import Runtime

pytestmark = pytest.mark.storage


def test_every_world_user_logs_in_with_the_password_and_the_token_names_them(
    runtime: Runtime,
) -> None:
    world: World = build_world(runtime)
    for username in world.tokens:
        response = world.client.post(
            "/v1/auth/token", data={"username": username, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["token_type"] == "bearer" and body["expires_in"] > 0
        me = world.client.get("/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.status_code == 200, me.text
        assert me.json()["principal"] == f"user:{username}"
        assert me.json()["display_name"] == username  # what the console header shows
        # The token the world issued directly says the same.
        assert world.client.get("/v1/me", headers=world.auth(username)).json() == me.json()
