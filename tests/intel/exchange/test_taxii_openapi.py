"""The TAXII server's OpenAPI document names the resource each success answer carries, in
TAXII's media type, and a method a TAXII path does not take is answered as a TAXII error
message, not problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from vigil.api.app import create_app
from vigil.core.runtime import Runtime
from vigil.core.settings import Settings
from vigil.intel.exchange.taxii import TAXII_MEDIA
from vigil.intel.exchange.taxii_schemas import TaxiiError

COLLECTION = "/taxii2/api/collections/{collection_id}"
# (method, path) -> (status, the resource's schema name)
ANSWERS = {
    ("get", "/taxii2/"): ("200", "DiscoveryResource"),
    ("get", "/taxii2/api/"): ("200", "ApiRootResource"),
    ("get", "/taxii2/api/collections/"): ("200", "CollectionsResource"),
    ("get", f"{COLLECTION}/"): ("200", "CollectionResource"),
    ("get", f"{COLLECTION}/manifest/"): ("200", "ManifestResource"),
    ("get", f"{COLLECTION}/objects/"): ("200", "TaxiiEnvelope"),
    ("post", f"{COLLECTION}/objects/"): ("202", "StatusResource"),
    ("get", f"{COLLECTION}/objects/{{object_id}}/"): ("200", "TaxiiEnvelope"),
    ("get", f"{COLLECTION}/objects/{{object_id}}/versions/"): ("200", "VersionsResource"),
    ("get", "/taxii2/api/status/{status_id}/"): ("200", "StatusResource"),
}
# the properties TAXII 2.1 gives each resource (that Vigil serves)
FIELDS = {
    "DiscoveryResource": {"title", "description", "default", "api_roots"},
    "ApiRootResource": {"title", "description", "versions", "max_content_length"},
    "CollectionsResource": {"collections"},
    "CollectionResource": {"id", "title", "description", "can_read", "can_write", "media_types"},
    "ManifestResource": {"more", "next", "objects"},
    "ManifestRecord": {"id", "date_added", "version", "media_type"},
    "TaxiiEnvelope": {"more", "next", "objects"},
    "VersionsResource": {"more", "next", "versions"},
    "StatusResource": {
        "id",
        "status",
        "request_timestamp",
        "total_count",
        "success_count",
        "failure_count",
        "pending_count",
    },
}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(Runtime.create(Settings(database_url="sqlite://")), pipeline_in_process=False)


def test_every_taxii_success_answer_names_its_resource(app: FastAPI) -> None:
    spec = app.openapi()
    operations = {
        (method, path): op
        for path, item in spec["paths"].items()
        if path.startswith("/taxii2/")
        for method, op in item.items()
    }
    assert set(operations) == set(ANSWERS)
    for key, (status, name) in ANSWERS.items():
        successes = {s: a for s, a in operations[key]["responses"].items() if s.startswith("2")}
        assert list(successes) == [status], key
        schema = {"$ref": f"#/components/schemas/{name}"}
        assert successes[status]["content"] == {TAXII_MEDIA: {"schema": schema}}, key
    schemas: dict[str, Any] = spec["components"]["schemas"]
    for name, fields in FIELDS.items():
        assert fields <= set(schemas[name]["properties"]), name
    manifest = schemas["ManifestResource"]["properties"]["objects"]
    assert "#/components/schemas/ManifestRecord" in repr(manifest)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/taxii2/", "GET"),
        ("POST", "/taxii2/api/", "GET"),
        ("PUT", "/taxii2/api/collections/c1/objects/", "GET, POST"),
        ("DELETE", "/taxii2/api/collections/c1/objects/indicator--1/", "GET"),
    ],
)
def test_a_method_a_taxii_path_does_not_take_is_a_taxii_error(
    app: FastAPI, method: str, path: str, allowed: str
) -> None:
    answer = TestClient(app).request(method, path, headers={"Accept": TAXII_MEDIA})
    assert answer.status_code == 405
    assert answer.headers["content-type"] == TAXII_MEDIA
    assert answer.headers["allow"] == allowed
    error = TaxiiError.model_validate(answer.json())
    assert error.http_status == "405"
    assert set(answer.json()) <= set(TaxiiError.model_fields)  # no problem+json fields
    assert method in (error.description or "")


def test_the_rest_of_the_app_still_answers_405_as_problem_json(app: FastAPI) -> None:
    answer = TestClient(app).delete("/healthz")
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_path_no_taxii_route_serves_is_a_taxii_error(app: FastAPI) -> None:
    client = TestClient(app)
    answer = client.get("/taxii2/api/collections/c1/nothing-here/", headers={"Accept": TAXII_MEDIA})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == TAXII_MEDIA
    assert TaxiiError.model_validate(answer.json()).http_status == "404"
    # outside /taxii2/ an unknown path is still a problem
    elsewhere = client.get("/v1/nothing-here")
    assert elsewhere.status_code == 404
    assert elsewhere.headers["content-type"] == "application/problem+json"
