"""The OpenAPI document describes every answer and every request body, so `/docs` is a
complete reference: a 2xx answer names a schema (or a non-JSON media type), and every
operation that reads a body declares it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from vigil.api.app import create_app
from vigil.core.runtime import Runtime
from vigil.core.settings import Settings
from vigil.intake.sectors import SECTORS
from vigil.intel.exchange.taxii import TAXII_MEDIA
from vigil.intel.exchange.taxii_schemas import TaxiiError

JSON = "application/json"
# Actions whose path says it all: they read no body.
BODILESS = {
    "POST /v1/audit/checkpoint",
    "POST /v1/cases/{case_id}/tasks/{task_id}/done",
    "POST /v1/cases/{case_id}/clues/{clue_id}",
    "POST /v1/response/incidents/{incident_id}/recommendation",
    "POST /v1/response/escalations/sweep",
    "POST /v1/patrol/plans/{plan_id}/check",
    "POST /v1/patrol/plans/{plan_id}/approve",
    "POST /v1/patrol/plans/{plan_id}/publish",
    "POST /v1/cases/{case_id}/approval",
    "POST /v1/users/{user_id}/sign-out",
    "POST /v1/auth/totp",  # starts a second factor for the signed-in user
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    runtime = Runtime.create(Settings(database_url="sqlite://"))
    return create_app(runtime, pipeline_in_process=False).openapi()


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
    ]


def _named(schema: dict[str, Any]) -> bool:
    """A schema /docs can show field by field: a model, or a list of one."""
    return "$ref" in schema or "$ref" in schema.get("items", {})


def _describes_its_answer(op: dict[str, Any]) -> bool:
    for code, answer in op["responses"].items():
        if code == "204":
            return True  # no content, by definition
        if not code.startswith("2"):
            continue
        content = answer.get("content", {})
        if any(media != JSON for media in content):
            return True
        if _named(content.get(JSON, {}).get("schema", {})):
            return True
    return False


def test_every_operation_describes_its_answer(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert len(operations) >= 76
    undescribed = [name for name, op in operations if not _describes_its_answer(op)]
    assert undescribed == []


def test_every_operation_that_reads_a_body_declares_it(spec: dict[str, Any]) -> None:
    missing = [
        name
        for name, op in _operations(spec)
        if name.split()[0] in {"POST", "PUT", "PATCH"}
        and name not in BODILESS
        and "requestBody" not in op
    ]
    assert missing == []
    for name in BODILESS:  # the exemptions are real operations that still read no body
        method, path = name.split()
        assert "requestBody" not in spec["paths"][path][method.lower()]


def test_intake_offers_every_sector_record_or_batch(spec: dict[str, Any]) -> None:
    body = spec["paths"]["/v1/intake/{sector}"]["post"]["requestBody"]
    shapes = body["content"][JSON]["schema"]["oneOf"]
    text = repr(shapes)
    for model in SECTORS.values():
        assert f"'title': '{model.__name__}'" in text
    assert "$defs" not in text  # every nested model is inlined: the schema stands alone
    assert len(shapes) == 3  # one record, a list of records, {"records": [...]}


def test_uploads_declare_their_media_types(spec: dict[str, Any]) -> None:
    upload = spec["paths"]["/v1/intake/{sector}/upload"]["post"]["requestBody"]["content"]
    assert {"text/csv", "application/x-ndjson"} <= set(upload)
    assert upload["text/csv"]["schema"]["format"] == "binary"
    incidents = spec["paths"]["/v1/incidents/import"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in incidents


def test_every_route_declares_its_errors_as_problem_json(spec: dict[str, Any]) -> None:
    problem = "#/components/schemas/Problem"
    checked = 0
    for name, op in _operations(spec):
        if not name.split(" ", 1)[1].startswith("/v1/"):
            continue
        answers = op["responses"]
        for status in ("401", "403", "422"):
            assert status in answers, f"{name} does not declare {status}"
        for status, answer in answers.items():
            if int(status) >= 400:
                content = answer.get("content", {})
                assert "application/json" not in content, f"{name} {status}"
                if "application/problem+json" in content:
                    schema = content["application/problem+json"]["schema"]
                    assert schema.get("$ref") == problem or "problem" in repr(schema).lower()
        checked += 1
    assert checked > 70
    fields = spec["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(fields)


def test_taxii_routes_declare_the_taxii_errors_they_answer(spec: dict[str, Any]) -> None:
    """TAXII answers its errors as TAXII error messages in its own media type, and the
    document says so: no problem+json, no FastAPI validation error on a /taxii2 route."""
    taxii_error = {TAXII_MEDIA: {"schema": {"$ref": "#/components/schemas/TaxiiError"}}}
    operations = [(name, op) for name, op in _operations(spec) if " /taxii2/" in name]
    assert len(operations) == 10
    for name, op in operations:
        errors = {s: a for s, a in op["responses"].items() if not s.startswith("2")}
        assert {"400", "401", "403", "404", "406", "4XX"} <= set(errors), name
        for status, answer in errors.items():
            assert answer["content"] == taxii_error, f"{name} {status}"
    posted = spec["paths"]["/taxii2/api/collections/{collection_id}/objects/"]["post"]
    assert {"413", "415", "422"} <= set(posted["responses"])
    fields = spec["components"]["schemas"]["TaxiiError"]["properties"]
    assert {"title", "description", "http_status"} <= set(fields)


def test_a_taxii_error_answer_is_what_the_document_declares() -> None:
    runtime = Runtime.create(Settings(database_url="sqlite://"))
    client = TestClient(create_app(runtime, pipeline_in_process=False))
    answer = client.get("/taxii2/", headers={"Accept": "application/json"})
    assert answer.status_code == 406
    assert answer.headers["content-type"] == TAXII_MEDIA
    fields = client.get("/openapi.json").json()["components"]["schemas"]["TaxiiError"]
    assert set(answer.json()) <= set(fields["properties"])
    assert TaxiiError.model_validate(answer.json()).http_status == "406"


def test_the_video_ingest_endpoints_document_the_api_key_only(spec: dict[str, Any]) -> None:
    """Events are posted by their source with its API key; a bearer token never opens them,
    so /docs must not offer it there (other endpoints keep both schemes)."""
    ingest = [f"/v1/video/events/{kind}" for kind in ("webhook", "frigate", "onvif")]
    for path in ingest:
        assert spec["paths"][path]["post"]["security"] == [{"business": []}], path
    assert {"staff": []} in spec["paths"]["/v1/video/events"]["get"]["security"]
    assert set(spec["components"]["securitySchemes"]) == {"staff", "business"}
