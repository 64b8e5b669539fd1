"""No server errors: schemathesis generates requests from the whole OpenAPI document (path,
query, headers, bodies, valid and invalid) and no answer is a 5xx, on SQLite and PostgreSQL.
The example budget is small so the suite stays fast; `/metrics` counts unhandled errors."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.world import World, build_world
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import system_context

pytestmark = pytest.mark.storage
EXAMPLES = int(os.environ.get("VIGIL_FUZZ_EXAMPLES", "3"))
# long-running or stateful-by-design operations (a stream that waits, the event feed)
SKIP = {("GET", "/v1/alerts/stream"), ("GET", "/v1/analytics/hotspots")}  # a feed; a slow model fit


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def test_no_operation_answers_a_server_error(world: World) -> None:
    app = world.client.app
    # No deadline on loading the document: FastAPI builds it on the first request, which took
    # over 10 s (schemathesis's default read timeout) on a loaded machine and failed the test.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, timeout=None)
    # a case opens the reads of every investigating domain (a statute only alert handling's, a
    # warrant only its persons'); what it reads of persons it links, none here
    with world.runtime.unit_of_work() as session:
        governance.register_legal_basis(
            session, system_context(), "case:fuzz", "case", organisation_id=world.org_ids["A"]
        )
    headers = world.auth("supervisor", "investigation", "case:fuzz")
    server_errors: list[tuple[int, str]] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        method, path = operation.method.upper(), operation.path
        if (method, path) in SKIP:
            continue
        operations += 1
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def call(case: schemathesis.Case) -> None:
            response = case.call(headers=headers, timeout=120)
            if response.status_code >= 500:
                server_errors.append((response.status_code, case.as_curl_command()))

        call()
    assert operations >= 100
    assert server_errors == []


def test_metrics_count_an_unhandled_exception(world: World) -> None:
    app = world.client.app

    @app.get("/boom-for-test", include_in_schema=False)  # type: ignore[attr-defined]
    def boom() -> None:
        raise RuntimeError("deliberate")

    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/boom-for-test").status_code == 500
    metrics = client.get("/metrics").text
    assert 'vigil_http_unhandled_errors_total{method="GET",route="/boom-for-test"} 1.0' in metrics
    assert (
        'vigil_http_requests_total{method="GET",route="/boom-for-test",status="500"} 1.0' in metrics
    )
