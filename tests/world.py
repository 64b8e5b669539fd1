"""A small world for API tests: two agencies, two businesses, a user of every role."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from vigil.api.app import create_app
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import Role, system_context
from vigil.governance.models import User

PASSWORD = "correct-horse-battery"
INTAKE_CASE = "case:intake"  # agency A's case under which its staff register persons


@dataclass
class World:
    runtime: Runtime
    client: TestClient
    org_ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    api_keys: dict[str, str] = field(default_factory=dict)

    def auth(
        self, who: str, purpose: str | None = None, basis: str | None = None
    ) -> dict[str, str]:
        headers = (
            {"X-API-Key": self.api_keys[who]}
            if who in self.api_keys
            else {"Authorization": f"Bearer {self.tokens[who]}"}
        )
        if purpose is not None:
            headers["X-Purpose"] = purpose
        if basis is not None:
            headers["X-Legal-Basis"] = basis
        return headers


def build_world(runtime: Runtime) -> World:
    ctx = system_context()
    users: list[tuple[str, Role, str]] = []
    created: list[User] = []
    with runtime.unit_of_work() as session:
        a = governance.create_organisation(session, ctx, "Agency A", "agency")
        b = governance.create_organisation(session, ctx, "Agency B", "agency")
        hotel = governance.create_organisation(session, ctx, "Hotel X", "business", "hotel")
        other = governance.create_organisation(session, ctx, "Hotel Y", "business", "hotel")
        org_ids = {"A": a.id, "B": b.id, "hotel": hotel.id, "other_hotel": other.id}
        for role in (Role.ADMIN, Role.SUPERVISOR, Role.ANALYST, Role.OFFICER, Role.AUDITOR):
            users.append((role.value, role, "A"))
        users += [("analyst_b", Role.ANALYST, "B"), ("clerk", Role.BUSINESS, "hotel")]
        governance.seed_statutes(session, ctx, a.id)
        governance.register_legal_basis(session, ctx, INTAKE_CASE, "case", organisation_id=a.id)
        for username, role, org in users:
            created.append(
                governance.create_user(session, ctx, username, PASSWORD, role, org_ids[org])
            )
        keys = {
            "hotel_key": governance.create_api_key(session, ctx, hotel.id).secret,
            "other_hotel_key": governance.create_api_key(session, ctx, other.id).secret,
        }
    client = TestClient(create_app(runtime, checkpoint_interval_s=3600))
    world = World(runtime, client, org_ids, api_keys=keys)
    for user in created:
        world.tokens[user.username] = access_token(runtime, user)
    return world


def access_token(runtime: Runtime, user: User) -> str:
    """The token `POST /v1/auth/token` gives `user` for the right password (that route is
    tested on its own); issued directly, it saves the world a password check per user."""
    token, _ = governance.issue_access_token(
        user, runtime.secret_key, runtime.settings.access_token_minutes
    )
    return token


def add_user(world: World, username: str, role: Role, org: str) -> None:
    """One more user in the world (of org "A", "B", ...), signed in like the others."""
    with world.runtime.unit_of_work() as session:
        user = governance.create_user(
            session, system_context(), username, PASSWORD, role, world.org_ids[org]
        )
        session.flush()
        world.tokens[username] = access_token(world.runtime, user)
