"""The `UnitOfWork` dependency that every intel route uses: the commit happens before the
response starts, and an error rolls the request's writes back (FastAPI as pinned in uv.lock)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigil.core.errors import Conflict
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.governance.models import Organisation
from vigil.http import problems
from vigil.http.deps import UnitOfWork, unit_of_work

pytestmark = pytest.mark.storage

# The same generator with FastAPI's default scope ("request"): it is left after the response.
LateUnitOfWork = Annotated[Session, Depends(unit_of_work)]


class ProbeAtResponseStart:
    """Runs `probe` when the response starts, i.e. when its status line would go out."""

    def __init__(self, app: ASGIApp, probe: Callable[[], None]) -> None:
        self.app, self.probe = app, probe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def probing(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.probe()
            await send(message)

        await self.app(scope, receive, probing)


def _committed(runtime: Runtime, name: str) -> bool:
    # another connection, without SQLite's write lock, sees committed rows only
    with runtime.read_sessions() as other:
        return other.scalar(select(Organisation.id).where(Organisation.name == name)) is not None


def _app(runtime: Runtime, seen: dict[str, Any]) -> FastAPI:
    app = FastAPI()
    app.state.runtime = runtime
    problems.install(app)

    @app.post("/agencies/{name}")
    def create(name: str, session: UnitOfWork) -> dict[str, int]:
        org = governance.create_organisation(session, system_context(), name, "agency")
        seen["name"] = name
        return {"id": org.id}

    @app.post("/late/{name}")
    def create_late(name: str, session: LateUnitOfWork) -> dict[str, int]:
        org = governance.create_organisation(session, system_context(), name, "agency")
        seen["name"] = name
        return {"id": org.id}

    @app.post("/failing/{name}")
    def create_then_fail(name: str, session: UnitOfWork) -> dict[str, int]:
        governance.create_organisation(session, system_context(), name, "agency")
        session.flush()
        seen["name"] = name
        raise Conflict("refused after writing")

    def probe() -> None:
        if "name" in seen:
            seen["committed_at_start"] = _committed(runtime, seen["name"])

    app.add_middleware(ProbeAtResponseStart, probe=probe)
    return app


@pytest.fixture
def client_and_seen(runtime: Runtime) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    seen: dict[str, Any] = {}
    with TestClient(_app(runtime, seen)) as client:
        yield client, seen


def test_the_reply_starts_only_after_the_commit(
    runtime: Runtime, client_and_seen: tuple[TestClient, dict[str, Any]]
) -> None:
    client, seen = client_and_seen
    name = f"agency-{uuid.uuid4().hex[:8]}"
    assert client.post(f"/agencies/{name}").status_code == 200
    assert seen["committed_at_start"] is True


def test_fastapis_default_scope_would_reply_before_the_commit(
    runtime: Runtime, client_and_seen: tuple[TestClient, dict[str, Any]]
) -> None:
    """Why the dependency is declared with scope="function": without it the response starts
    before the generator commits (the row is stored, but only after the reply began)."""
    client, seen = client_and_seen
    name = f"agency-{uuid.uuid4().hex[:8]}"
    assert client.post(f"/late/{name}").status_code == 200
    assert seen["committed_at_start"] is False
    assert _committed(runtime, name)


def test_an_error_rolls_the_request_back(
    runtime: Runtime, client_and_seen: tuple[TestClient, dict[str, Any]]
) -> None:
    client, seen = client_and_seen
    name = f"agency-{uuid.uuid4().hex[:8]}"
    response = client.post(f"/failing/{name}")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert seen["committed_at_start"] is False
    assert not _committed(runtime, name)
