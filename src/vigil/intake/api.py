"""Intake endpoints: filing by API key (one record or a batch), file upload, a business's own
submissions and compliance records. Nothing here ever reveals screening."""

from __future__ import annotations

import json
import tempfile
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from vigil.core.errors import (
    BadRequest,
    FieldError,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from vigil.core.runtime import Runtime
from vigil.governance.access import AccessContext, Role
from vigil.http.deps import ContextDep, RuntimeDep, purposeful_context
from vigil.http.params import AfterId, OptionalRowIdQuery, PageSize, RowId
from vigil.intake import files, service
from vigil.intake.compliance import compliance_record, compliance_records
from vigil.intake.schemas import (
    CompliancePage,
    ComplianceRecord,
    FilingAccepted,
    SubmissionPage,
    SubmissionView,
    UploadReport,
    filing_request_body,
    upload_request_body,
)
from vigil.intake.validation import sector_model

router = APIRouter(prefix="/v1/intake", tags=["intake"])
MAX_BODY_BYTES = 16 * 1024 * 1024
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_MEDIA_TYPES = ("text/csv", "application/x-ndjson", "application/jsonl", XLSX_MEDIA_TYPE)


def _parse_body(raw: bytes, content_type: str | None) -> tuple[list[Any], bool]:
    media = (content_type or "").split(";")[0].strip().lower()
    if media != "application/json":
        raise UnsupportedMediaType(f"send application/json, not {media or 'no content type'}")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(
            "the body is not valid JSON", [FieldError("body", str(exc).split(":")[0])]
        ) from exc
    if isinstance(body, dict) and set(body) == {"records"}:
        body = body["records"]
        if not isinstance(body, list):
            raise ValidationFailed("invalid batch", [FieldError("records", "must be a list")])
    if isinstance(body, list):
        if not body:
            raise ValidationFailed("empty batch", [FieldError("records", "must not be empty")])
        if len(body) > service.MAX_BATCH:
            error = PayloadTooLarge(
                f"a batch holds at most {service.MAX_BATCH} records, got {len(body)}"
            )
            error.errors = [
                FieldError("records", f"at most {service.MAX_BATCH} records per request")
            ]
            raise error
        return body, True
    return [body], False


def _submit(
    runtime: Runtime,
    ctx: AccessContext,
    sector: str,
    raw: bytes,
    content_type: str | None,
    idempotency_key: str | None,
) -> list[int]:
    sector_model(sector)
    records, batch = _parse_body(raw, content_type)
    with runtime.unit_of_work() as session:
        filing = service.file_registrations(
            session,
            ctx,
            sector,
            records,
            channel="api",
            vault=runtime.vault,
            timezone=runtime.settings.intake_timezone,
            idempotency_key=idempotency_key,
            body_digest=service.body_hash(sector.encode() + b"\n" + raw),
        )
    filing.raise_errors(batch)  # after the commit, which counted the refusal
    return filing.ids


@router.post(
    "/{sector}",
    status_code=202,
    response_model=FilingAccepted,
    openapi_extra={"requestBody": filing_request_body(service.MAX_BATCH)},
)
async def file_records(
    sector: str,
    request: Request,
    runtime: RuntimeDep,
    ctx: ContextDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """One record (a JSON object) or a batch (a list, or {"records": [...]}) of up to 1,000.
    Answers 202 only after the commit. Same Idempotency-Key and body: same answer."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"the body exceeds {MAX_BODY_BYTES} bytes")
    ids = await run_in_threadpool(
        _submit, runtime, ctx, sector, raw, request.headers.get("content-type"), idempotency_key
    )
    return JSONResponse({"submission_ids": ids, "count": len(ids)}, status_code=202)


@router.post(
    "/{sector}/upload",
    response_model=UploadReport,
    openapi_extra={"requestBody": upload_request_body(UPLOAD_MEDIA_TYPES)},
)
async def upload_file(
    sector: str,
    request: Request,
    runtime: RuntimeDep,
    ctx: ContextDep,
    encoding: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """A CSV (text/csv), JSONL (application/x-ndjson) or XLSX workbook body, streamed to a
    spool file and loaded like `vigil intake load`. Answers with the per-row error report."""
    sector_model(sector)
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media not in UPLOAD_MEDIA_TYPES:
        raise UnsupportedMediaType("upload text/csv, application/x-ndjson or an XLSX workbook")
    fmt = files.file_format("", media)
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        async for chunk in request.stream():
            spool.write(chunk)
        spool.seek(0)
        report = await run_in_threadpool(
            files.load_stream,
            runtime,
            ctx,
            sector,
            spool,
            fmt,
            encoding=encoding,
            workers=1,  # no fork from the server's threads; the CLI uses the process pool
        )
    return report.as_dict()


@router.get("/submissions", response_model=SubmissionPage)
def list_submissions(
    request: Request,
    runtime: RuntimeDep,
    ctx: ContextDep,
    organisation_id: OptionalRowIdQuery = None,
    sector: str | None = None,
    after_id: AfterId = 0,
    limit: PageSize = 100,
    x_purpose: Annotated[str | None, Header()] = None,
    x_legal_basis: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """A business lists its own submissions (never any screening information). For agency
    staff this is a personal-data read: X-Purpose and X-Legal-Basis, and it is audited."""
    if ctx.role != Role.BUSINESS:
        ctx = purposeful_context(request, ctx, x_purpose, x_legal_basis)
    with runtime.unit_of_work() as session:
        items = service.list_submissions(
            session,
            ctx,
            organisation_id=organisation_id,
            sector=sector,
            after_id=after_id,
            limit=limit,
        )
    return {"items": items}


@router.get("/submissions/{submission_id}", response_model=SubmissionView)
def get_submission(
    submission_id: RowId,
    request: Request,
    runtime: RuntimeDep,
    ctx: ContextDep,
    x_purpose: Annotated[str | None, Header()] = None,
    x_legal_basis: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """One registration: a business reads its own; for agency staff a personal-data read
    within what the legal basis concerns (an alert basis: the alert's own registration)."""
    if ctx.role != Role.BUSINESS:
        ctx = purposeful_context(request, ctx, x_purpose, x_legal_basis)
    with runtime.unit_of_work() as session:
        return service.get_submission(session, ctx, submission_id)


@router.get("/compliance", response_model=CompliancePage)
def compliance(
    runtime: RuntimeDep, ctx: ContextDep, after_id: AfterId = 0, limit: PageSize = 100
) -> dict[str, Any]:
    """Business compliance records in organisation order; page on with `after_id` set to the
    last `organisation_id` of a page."""
    with runtime.unit_of_work() as session:
        records = compliance_records(
            session,
            ctx,
            runtime.settings.intake_deadline_hours,
            after_id=after_id,
            limit=limit,
        )
    return {"items": records}


@router.get("/compliance/{organisation_id}", response_model=ComplianceRecord)
def compliance_of(organisation_id: RowId, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return compliance_record(
            session, ctx, organisation_id, runtime.settings.intake_deadline_hours
        )


__all__ = ["router"]
