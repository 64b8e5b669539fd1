"""Problem+json, request ids, health, metrics, OpenAPI, retention, protected attributes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.world import INTAKE_CASE, World, build_world
from vigil.all_models import Base
from vigil.core.clock import utcnow
from vigil.core.protected import PROTECTED_ATTRIBUTES
from vigil.core.runtime import Runtime
from vigil.domains import retention_rules
from vigil.governance import audit
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry
from vigil.governance.retention import apply_retention
from vigil.registry.models import Person, PersonDocument

pytestmark = pytest.mark.storage


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def test_errors_are_problem_json_with_request_id(world: World) -> None:
    for response, status in (
        (world.client.get("/v1/me"), 401),
        (world.client.get("/v1/nowhere", headers=world.auth("admin")), 404),
        (
            world.client.post(
                "/v1/organisations", json={"kind": "agency"}, headers=world.auth("admin")
            ),
            422,
        ),
    ):
        assert response.status_code == status
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == status and body["title"] and body["type"].startswith("https://")
        assert response.headers["x-request-id"] == body["request_id"]


def test_field_level_errors_name_the_field(world: World) -> None:
    response = world.client.post(
        "/v1/persons",
        json={
            "name": "王芳",
            "documents": [{"doc_type": "cn_resident_id", "number": "110105194912310021"}],
        },
        headers=world.auth("officer", "investigation", INTAKE_CASE),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(
        "documents.0" in e["field"] and "check character should be X" in e["message"]
        for e in errors
    )


def test_business_organisation_needs_a_sector(world: World) -> None:
    response = world.client.post(
        "/v1/organisations",
        json={"name": "Nameless Inn", "kind": "business"},
        headers=world.auth("admin"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["sector"]


def test_request_id_is_echoed(world: World) -> None:
    response = world.client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers["x-request-id"] == "abc123"


def test_metrics_and_openapi(world: World) -> None:
    world.client.get("/healthz")
    metrics = world.client.get("/metrics")
    assert metrics.status_code == 200
    assert 'vigil_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics.text
    schema = world.client.get("/openapi.json").json()
    assert "/v1/persons/{person_id}" in schema["paths"]
    assert world.client.get("/docs").status_code == 200


def test_login_rejects_wrong_password(world: World) -> None:
    response = world.client.post(
        "/v1/auth/token", data={"username": "officer", "password": "nope-nope"}
    )
    assert response.status_code == 401
    response = world.client.post(
        "/v1/auth/token", data={"username": "ghost", "password": "nope-nope"}
    )
    assert response.status_code == 401


def test_retention_pseudonymises_stale_persons_and_audits_it(world: World) -> None:
    runtime = world.runtime
    for name in ("Old Person", "New Person"):
        world.client.post(
            "/v1/persons",
            json={
                "name": name,
                "birth_date": "1980-06-15",
                "documents": [
                    {
                        "doc_type": "passport",
                        "number": "E1234567" if name.startswith("Old") else "E7654321",
                        "issuing_country": "CHN",
                    }
                ],
            },
            headers=world.auth("officer", "investigation", INTAKE_CASE),
        )
    with runtime.engine.begin() as conn:
        conn.execute(
            update(Person)
            .where(Person.name == "Old Person")
            .values(last_seen_at=utcnow() - timedelta(days=4000))
        )
    with runtime.unit_of_work() as session:
        results = apply_retention(
            session, system_context(), retention_rules(), runtime.settings.retention_days, utcnow()
        )
    assert {r.record_type: r.affected for r in results}["person"] == 1
    with runtime.unit_of_work() as session:
        old, new = session.scalars(select(Person).order_by(Person.id)).all()
        assert old.pseudonymised and old.name == f"person-{old.id}"
        assert old.birth_date == "1980"  # the year only: no day or month, none invented
        assert not new.pseudonymised and new.name == "New Person"
        assert new.birth_date == "1980-06-15"
        assert session.scalars(select(PersonDocument.person_id)).all() == [new.id]
        erase = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).all()
        assert [(e.object_type, e.detail["count"]) for e in erase] == [("person", 1)]
        assert audit.verify(session, runtime.settings).intact


def test_no_table_has_a_protected_attribute_column() -> None:
    columns = {c.name.lower() for t in Base.metadata.tables.values() for c in t.columns}
    assert not (columns & PROTECTED_ATTRIBUTES)
    assert len(columns) > 20  # the metadata really was loaded


def test_person_input_refuses_protected_attributes(world: World) -> None:
    response = world.client.post(
        "/v1/persons",
        json={"name": "赵四", "ethnicity": "any"},
        headers=world.auth("officer", "investigation", INTAKE_CASE),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ethnicity"


def test_console_and_vendored_assets_are_served_offline(world: World) -> None:
    page = world.client.get("/console")
    assert page.status_code == 200 and "Vigil" in page.text
    for asset in (
        "/static/js/app.js",
        "/static/js/alerts.js",
        "/static/i18n/zh-CN.json",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/pico.min.css",
    ):
        response = world.client.get(asset)
        assert response.status_code == 200 and len(response.content) > 1000, asset
    assert "http://" not in page.text and "https://" not in page.text  # nothing fetched from a CDN


def test_streets_need_a_signed_in_user(world: World) -> None:
    assert world.client.get("/v1/map/streets").status_code == 401
    answer = world.client.get("/v1/map/streets", headers=world.auth("analyst"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["type"] == "FeatureCollection" and len(body["bbox"]) == 4
    assert sum(f["properties"]["segments"] for f in body["features"]) > 10_000


def test_migrations_match_the_models(runtime: Runtime) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from vigil.core.migrate import schema_filter

    with runtime.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": schema_filter(conn.dialect.name)}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
