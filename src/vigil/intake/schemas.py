"""Answers of the intake routes, and the request bodies /docs shows for them. The routes read
their bodies themselves (to keep the raw bytes for idempotency, or to stream a file), so the
bodies are described here instead of being parsed by FastAPI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter

from vigil.intake.sectors import SECTORS


class FilingAccepted(BaseModel):
    submission_ids: list[int]  # in the order of the records sent
    count: int


class RowErrorOut(BaseModel):
    row: int  # 1-based data row
    field: str
    message: str


class UploadReport(BaseModel):
    """What loading an uploaded file did, with the per-row errors (the first 1,000)."""

    rows: int
    stored: int
    duplicates: int
    rejected: int
    encoding: str
    aborted: str | None  # why reading stopped early, if it did
    errors_total: int
    errors: list[RowErrorOut]


class SubmissionView(BaseModel):
    """A stored filing; identity numbers never appear (staff see their hashes)."""

    id: int
    sector: str
    organisation_id: int
    organisation: str  # the business's name
    channel: str
    event_kind: str
    event_time: str
    filed_at: str
    details: dict[str, Any]
    persons: list[dict[str, Any]]


class SubmissionPage(BaseModel):
    items: list[SubmissionView]


class ComplianceRecord(BaseModel):
    """One business's filing record: on time, late, missing, rows refused, lateness."""

    model_config = ConfigDict(extra="allow")

    organisation_id: int
    organisation: str
    sector: str | None
    filings: int
    on_time: int
    late: int
    missing: int
    rows_accepted: int
    rows_duplicate: int
    rows_rejected: int
    rejected_rate: float
    deadline_hours: dict[str, int]


class CompliancePage(BaseModel):
    items: list[ComplianceRecord]


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """`schema` with every `#/$defs/X` reference replaced by X itself, so that it stands
    alone inside the OpenAPI document (sector records nest no recursive models)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


def filing_request_body(max_batch: int) -> dict[str, Any]:
    """OpenAPI `requestBody` of POST /v1/intake/{sector}: one record of the path's sector, a
    list of them, or {"records": [...]}. The path's `sector` picks the model."""
    schemas = [TypeAdapter(model).json_schema() for model in SECTORS.values()]
    one = {
        "oneOf": [_inline(schema, schema.get("$defs", {})) for schema in schemas],
        "description": "one record of the path's sector: "
        + ", ".join(f"{name}: {model.__name__}" for name, model in SECTORS.items()),
    }
    batch = {"type": "array", "items": one, "minItems": 1, "maxItems": max_batch}
    wrapped = {
        "type": "object",
        "properties": {"records": batch},
        "required": ["records"],
        "additionalProperties": False,
    }
    return {
        "required": True,
        "content": {"application/json": {"schema": {"oneOf": [one, batch, wrapped]}}},
    }


def upload_request_body(media_types: tuple[str, ...]) -> dict[str, Any]:
    """OpenAPI `requestBody` of a raw file upload: the file's bytes as the body."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"required": True, "content": {media: binary for media in media_types}}
