"""An intelligence world: Agency A and B users (tests/world.py) plus a second analyst in A,
a supervisor in B and a third agency C; each agency has an open case as legal basis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from tests.world import PASSWORD, World, access_token, build_world
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import Role, system_context
from vigil.governance.models import AuditEntry


@dataclass
class IntelWorld:
    world: World
    basis: dict[str, str]  # username -> "case:N" of their agency

    @property
    def client(self) -> Any:
        return self.world.client

    def h(self, who: str, purpose: str = "investigation") -> dict[str, str]:
        return self.world.auth(who, purpose, self.basis.get(who, "none"))

    def clue(
        self,
        who: str,
        tlp: str,
        text: str,
        entities: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> int:
        body = {
            "text": text,
            "source_type": "informant",
            "grading": "B2",
            "tlp": tlp,
            "handling": f"handle {tlp} with care",
            "entities": entities or [],
            **extra,
        }
        r = self.client.post("/v1/clues", json=body, headers=self.h(who))
        assert r.status_code == 201, r.text
        return int(r.json()["id"])

    def refusals(self, who: str) -> int:
        with self.world.runtime.unit_of_work() as session:
            return len(
                list(
                    session.scalars(
                        select(AuditEntry.seq).where(
                            AuditEntry.actor == f"user:{who}", AuditEntry.outcome == "refused"
                        )
                    )
                )
            )

    def audit_rows(self, **where: Any) -> list[AuditEntry]:
        with self.world.runtime.unit_of_work() as session:
            q = select(AuditEntry).order_by(AuditEntry.seq)
            for k, v in where.items():
                q = q.where(getattr(AuditEntry, k) == v)
            return list(session.scalars(q))


def build_intel_world(runtime: Runtime) -> IntelWorld:
    world = build_world(runtime)
    ctx = system_context()
    extra = [
        ("analyst2", Role.ANALYST, "A"),
        ("supervisor_b", Role.SUPERVISOR, "B"),
        ("analyst_c", Role.ANALYST, "C"),
        ("supervisor_c", Role.SUPERVISOR, "C"),
    ]
    with runtime.unit_of_work() as session:
        c = governance.create_organisation(session, ctx, "Agency C", "agency")
        world.org_ids["C"] = c.id
        created = [
            governance.create_user(session, ctx, name, PASSWORD, role, world.org_ids[org])
            for name, role, org in extra
        ]
    for user in created:
        world.tokens[user.username] = access_token(runtime, user)
    basis: dict[str, str] = {}
    for opener, approver, members in (
        (
            "analyst",
            "supervisor",
            ["admin", "supervisor", "analyst", "officer", "auditor", "analyst2"],
        ),
        ("analyst_b", "supervisor_b", ["analyst_b", "supervisor_b"]),
        ("analyst_c", "supervisor_c", ["analyst_c"]),
    ):
        r = world.client.post(
            "/v1/cases", json={"title": f"case of {opener}"}, headers=world.auth(opener)
        )
        assert r.status_code == 201, r.text
        approval = world.client.post(
            f"/v1/cases/{r.json()['id']}/approval", headers=world.auth(approver)
        )
        assert approval.status_code == 200, approval.text
        for m in members:
            basis[m] = r.json()["legal_basis"]
    return IntelWorld(world, basis)


def intel_tables(runtime: Runtime) -> list[str]:
    with runtime.engine.connect() as conn:
        if runtime.engine.dialect.name == "postgresql":
            rows = conn.execute(
                text(
                    "SELECT tablename FROM pg_tables "
                    "WHERE schemaname='public' AND tablename LIKE 'intel_%'"
                )
            )
        else:
            rows = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'intel_%'")
            )
        return sorted(r[0] for r in rows)
