"""RFC 9457 problem+json for every error."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigil.core.errors import Forbidden, MissingLegalBasis, VigilError
from vigil.core.logging import get_logger

PROBLEM_BASE = "https://vigil.example/problems/"
MEDIA_TYPE = "application/problem+json"
log = get_logger("vigil.api")


class FieldProblem(BaseModel):
    field: str = Field(description="the field, dotted (`guest.id_number`), or `body`/`row`")
    message: str


class Problem(BaseModel):
    """An error answer (RFC 9457), served as application/problem+json."""

    type: str = Field(description=f"{PROBLEM_BASE}<slug>")
    title: str
    status: int
    detail: str
    instance: str = Field(description="the request's path")
    request_id: str | None = None
    errors: list[FieldProblem] | None = Field(
        default=None, description="field-level errors, for validation failures"
    )


_ANSWERS = {
    400: "The request cannot be read (a file's bytes, a malformed body).",
    401: "No valid credentials.",
    403: "The caller's role, purpose or legal basis does not allow this.",
    404: "No such resource (or not visible to the caller).",
    409: "The request conflicts with the resource's state.",
    422: "A field is not valid; `errors` names each one.",
}
# Declared on every route by the app (`include_router(..., responses=ERROR_RESPONSES)`).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": text} for status, text in _ANSWERS.items()
}


def serve_problems_as_problem_json(spec: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with each error answer's schema under application/problem+json,
    the media type these answers carry (FastAPI puts a response model under the route's)."""
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if status.isdigit() and int(status) >= 400 and "application/json" in content:
                    content[MEDIA_TYPE] = content.pop("application/json")
    return spec


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    slug: str,
    errors: list[dict[str, str]] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": str(request.url.path),
    }
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


# pydantic's wording before a validator's own message
_VALIDATOR_PREFIXES = ("Value error, ", "Assertion failed, ")


def _message(raw: str) -> str:
    """A field error's message as the validator wrote it."""
    for prefix in _VALIDATOR_PREFIXES:
        raw = raw.removeprefix(prefix)
    return raw


def _loc(parts: tuple[Any, ...] | list[Any]) -> str:
    skip = {"body", "query", "path", "header"}
    return ".".join(str(p) for p in parts if p not in skip) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(VigilError)
    async def _vigil(request: Request, exc: VigilError) -> JSONResponse:
        if isinstance(exc, Forbidden | MissingLegalBasis):
            refusal_hook = getattr(request.app.state, "record_refusal", None)
            if refusal_hook is not None:
                refusal_hook(request, exc)
        return problem(
            request,
            exc.status,
            exc.title,
            exc.detail,
            exc.type_slug,
            [e.as_dict() for e in exc.errors],
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _loc(e["loc"]), "message": _message(e["msg"])} for e in exc.errors()]
        return problem(
            request, 422, "Validation failed", "the request is not valid", "validation", errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(
            request, exc.status_code, str(exc.detail), str(exc.detail), f"http-{exc.status_code}"
        )

    @app.exception_handler(DataError)
    async def _refused_by_database(request: Request, exc: DataError) -> JSONResponse:
        # a value the database cannot hold that no schema bound caught: the input's fault
        log.warning(
            "database refused a value",
            error_type=type(exc.orig).__name__,
            path=request.url.path,
            request_id=getattr(request.state, "request_id", None),
        )
        return problem(request, 422, "Validation failed", "a value cannot be stored", "validation")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unhandled error",
            error_type=type(exc).__name__,
            path=request.url.path,
            request_id=getattr(request.state, "request_id", None),
        )
        return problem(request, 500, "Internal error", "an unexpected error occurred", "internal")
