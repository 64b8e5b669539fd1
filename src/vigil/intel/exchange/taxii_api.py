"""TAXII 2.1 over HTTP, under /taxii2/: discovery, one API root, its collections, objects,
manifests, versions and the status of POSTs. Every answer is
`application/taxii+json;version=2.1`; errors are TAXII error messages in that type (not
problem+json, and so declared in the OpenAPI document), with 406 for an Accept without it and
415 for a POST in another type.

Readers authenticate with `Authorization: Bearer <TAXII key or staff access token>`, or
HTTP Basic with the TAXII key as password (as `taxii2-client` sends it)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from vigil.core.errors import (
    BadRequest,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
    VigilError,
)
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import AccessContext
from vigil.governance.audit import Action
from vigil.http.deps import RuntimeDep, UnitOfWork
from vigil.intel.exchange import taxii
from vigil.intel.exchange.taxii import TAXII_MEDIA


class TaxiiResponse(Response):
    media_type = TAXII_MEDIA

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False).encode("utf-8")


class TaxiiError(BaseModel):
    """A TAXII 2.1 error message (section 3.6.1), served as application/taxii+json."""

    title: str
    description: str | None = None
    http_status: str | None = Field(default=None, description="the HTTP status, as a string")


_ANSWERS: dict[int | str, str] = {
    400: "The request cannot be read (a filter, a malformed body).",
    401: "No valid TAXII key or access token.",
    403: "No sharing agreement in force opens the collection to the caller.",
    404: "No such collection, object or status (or not visible to the caller).",
    406: f"The Accept header does not name {TAXII_MEDIA}.",
    413: "The body is longer than the API root's max_content_length.",
    415: f"The body is not sent as {TAXII_MEDIA}.",
    422: "Objects refused; the description says which.",
    # also stands in for FastAPI's own 422: a TAXII route answers a parameter it cannot read
    # with 400 (TaxiiRoute), never with a validation problem
    "4XX": "Any other client error, also a TAXII error message.",
}
# every TAXII route's error answers (the app's problem+json ones are not declared here)
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": TaxiiError, "description": _ANSWERS[status]}
    for status in (400, 401, 403, 404, 406, "4XX")
}
# and those of a POST, which reads a body
POST_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": TaxiiError, "description": _ANSWERS[status]} for status in (413, 415, 422)
}


def error_response(status: int, title: str, description: str) -> TaxiiResponse:
    """A TAXII 2.1 error message (section 3.6.1)."""
    headers = {"WWW-Authenticate": 'Basic realm="vigil-taxii"'} if status == 401 else None
    return TaxiiResponse(
        {"title": title, "description": description, "http_status": str(status)},
        status_code=status,
        headers=headers,
    )


class TaxiiRoute(APIRoute):
    """Maps every error to a TAXII error message, after the unit of work has rolled back."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def taxii_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except VigilError as exc:
                return error_response(exc.status, exc.title, str(exc))
            except RequestValidationError as exc:
                where = "; ".join(
                    f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
                )
                return error_response(400, "Bad request", where)
            except HTTPException as exc:
                return error_response(exc.status_code, "Error", str(exc.detail))

        return taxii_handler


router = APIRouter(
    prefix="/taxii2", tags=["taxii"], route_class=TaxiiRoute, responses=ERROR_RESPONSES
)


def _media(value: str) -> tuple[str, dict[str, str]]:
    kind, *params = (p.strip() for p in value.split(";"))
    pairs = (p.split("=", 1) for p in params if "=" in p)
    return kind.lower(), {k.strip().lower(): v.strip().strip('"') for k, v in pairs}


def _is_taxii(value: str) -> bool:
    kind, params = _media(value)
    return kind == "application/taxii+json" and params.get("version", "2.1") == "2.1"


def negotiate(request: Request) -> None:
    accept = request.headers.get("accept", "")
    if not any(_is_taxii(part) for part in accept.split(",") if part.strip()):
        raise taxii.NotAcceptable(f"send Accept: {TAXII_MEDIA} (got {accept or 'none'!r})")


def _presented(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "").strip()
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value:
        return "bearer", value
    if scheme.lower() == "basic" and value:
        try:
            _user, _, password = base64.b64decode(value).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise Unauthorized("malformed Basic credentials") from exc
        return "basic", password
    return None


def reader(request: Request, runtime: RuntimeDep) -> AccessContext:
    """The partner reading: content negotiation first, then its key or token."""
    negotiate(request)
    presented = _presented(request)
    if presented is None:
        raise Unauthorized("send Authorization: Bearer <TAXII key or access token>")
    kind, secret = presented
    try:
        with runtime.unit_of_work() as session:
            if taxii.is_taxii_key(secret):
                ctx = taxii.context_for_key(session, secret)
            elif kind == "bearer":
                user = governance.user_from_token(session, secret, runtime.secret_key)
                ctx = governance.context_for_user(session, user)
            else:
                raise Unauthorized("HTTP Basic takes a TAXII key as its password")
    except taxii.RevokedKey as exc:
        with runtime.unit_of_work() as session:
            audit.record(
                session,
                exc.ctx,
                Action.CONSULT,
                "taxii",
                request.url.path[:80],
                outcome="refused",
                detail={"reason": "TAXII key revoked"},
            )
        raise
    request.state.ctx = ctx
    return ctx


Reader = Annotated[AccessContext, Depends(reader)]


async def envelope_body(request: Request) -> dict[str, Any]:
    kind = request.headers.get("content-type", "")
    if not _is_taxii(kind) or "version" not in _media(kind)[1]:
        raise UnsupportedMediaType(f"POST objects as {TAXII_MEDIA} (got {kind or 'none'!r})")
    body = await request.body()
    if len(body) > taxii.MAX_CONTENT_LENGTH:
        raise PayloadTooLarge(f"at most {taxii.MAX_CONTENT_LENGTH} bytes")
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise BadRequest("the body is a TAXII envelope: a JSON object with objects")
    return document


Envelope = Annotated[dict[str, Any], Depends(envelope_body)]


def _root_url(request: Request) -> str:
    return str(request.url_for("taxii_api_root"))


@router.get("/", response_class=TaxiiResponse, response_model=None, name="taxii_discovery")
def discovery(request: Request, ctx: Reader) -> TaxiiResponse:
    root = _root_url(request)
    return TaxiiResponse(
        {
            "title": "Vigil TAXII 2.1",
            "description": "Intelligence shared under TLP 2.0 markings and sharing agreements.",
            "default": root,
            "api_roots": [root],
        }
    )


@router.get("/api/", response_class=TaxiiResponse, response_model=None, name="taxii_api_root")
def api_root(ctx: Reader) -> TaxiiResponse:
    return TaxiiResponse(
        {
            "title": "Vigil intelligence",
            "description": "Each collection serves one agency's clues to its partners.",
            "versions": [TAXII_MEDIA],
            "max_content_length": taxii.MAX_CONTENT_LENGTH,
        }
    )


@router.get("/api/collections/", response_class=TaxiiResponse, response_model=None)
def collections(session: UnitOfWork, ctx: Reader) -> TaxiiResponse:
    opened = taxii.reader_collections(session, ctx)
    return TaxiiResponse(
        {
            "collections": [
                taxii.collection_resource(c, can_write=c.accepts_posts) for c, _ in opened
            ]
        }
    )


@router.get("/api/collections/{collection_id}/", response_class=TaxiiResponse, response_model=None)
def collection(collection_id: str, session: UnitOfWork, ctx: Reader) -> TaxiiResponse:
    opened = taxii.open_collection(session, ctx, collection_id)
    return TaxiiResponse(
        taxii.collection_resource(opened.collection, can_write=taxii.can_write(opened))
    )


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items()}


@router.get(
    "/api/collections/{collection_id}/manifest/", response_class=TaxiiResponse, response_model=None
)
def manifest(
    collection_id: str, request: Request, session: UnitOfWork, ctx: Reader
) -> TaxiiResponse:
    filters = taxii.parse_filters(_params(request))
    page, more, nxt = _disclosed_page(session, ctx, collection_id, filters, "manifest")
    return _envelope("objects", [taxii.manifest_entry(s) for s in page], more, nxt, page)


def _disclosed_page(
    session: Session,
    ctx: AccessContext,
    collection_id: str,
    filters: taxii.Filters,
    what: str,
    object_id: str | None = None,
) -> tuple[list[taxii.Served], bool, str | None]:
    """The page of the collection's objects that match `filters`, disclosed to the reader as
    `what` (audited): (objects, more, next). For one object, 404 if a first page has none."""
    opened = taxii.open_collection(session, ctx, collection_id)
    page, more, nxt = taxii.select_page(taxii.served_objects(session, opened), filters)
    if object_id is not None and not page and filters.next is None:
        raise NotFound(f"object {object_id} not found in collection {collection_id}")
    taxii.disclose(session, opened, page, what)
    return page, more, nxt


def _envelope(
    key: str, items: list[Any], more: bool, nxt: str | None, page: list[taxii.Served]
) -> TaxiiResponse:
    if not items:
        return TaxiiResponse({})
    body: dict[str, Any] = {"more": more, key: items}
    if nxt:
        body["next"] = nxt
    return TaxiiResponse(body, headers=taxii.date_headers(page))


@router.get(
    "/api/collections/{collection_id}/objects/", response_class=TaxiiResponse, response_model=None
)
def get_objects(
    collection_id: str, request: Request, session: UnitOfWork, ctx: Reader
) -> TaxiiResponse:
    filters = taxii.parse_filters(_params(request))
    page, more, nxt = _disclosed_page(session, ctx, collection_id, filters, "objects")
    return _envelope("objects", [s.obj for s in page], more, nxt, page)


@router.post(
    "/api/collections/{collection_id}/objects/",
    response_class=TaxiiResponse,
    response_model=None,
    status_code=202,
    responses=POST_ERROR_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                TAXII_MEDIA: {
                    "schema": {
                        "type": "object",
                        "title": "TAXII envelope",
                        "properties": {"objects": {"type": "array", "items": {"type": "object"}}},
                        "required": ["objects"],
                    }
                }
            },
        }
    },
)
def add_objects(
    collection_id: str, session: UnitOfWork, ctx: Reader, envelope: Envelope
) -> TaxiiResponse:
    opened = taxii.open_collection(session, ctx, collection_id)
    status = taxii.post_objects(session, opened, envelope)
    return TaxiiResponse(taxii.status_resource(status), status_code=202)


def _one_object(object_id: str, params: dict[str, str]) -> taxii.Filters:
    """The filters of a request for one object: its id, whatever match[id] says."""
    params.pop("match[id]", None)
    filters = taxii.parse_filters(params)
    filters.ids = frozenset({object_id})
    return filters


@router.get(
    "/api/collections/{collection_id}/objects/{object_id}/",
    response_class=TaxiiResponse,
    response_model=None,
)
def get_object(
    collection_id: str, object_id: str, request: Request, session: UnitOfWork, ctx: Reader
) -> TaxiiResponse:
    filters = _one_object(object_id, _params(request))
    page, more, nxt = _disclosed_page(session, ctx, collection_id, filters, "object", object_id)
    return _envelope("objects", [s.obj for s in page], more, nxt, page)


@router.get(
    "/api/collections/{collection_id}/objects/{object_id}/versions/",
    response_class=TaxiiResponse,
    response_model=None,
)
def versions(
    collection_id: str, object_id: str, request: Request, session: UnitOfWork, ctx: Reader
) -> TaxiiResponse:
    params = _params(request)
    params["match[version]"] = "all"
    filters = _one_object(object_id, params)
    page, more, nxt = _disclosed_page(session, ctx, collection_id, filters, "versions", object_id)
    return _envelope("versions", [s.version for s in page], more, nxt, page)


@router.get("/api/status/{status_id}/", response_class=TaxiiResponse, response_model=None)
def status(status_id: str, session: UnitOfWork, ctx: Reader) -> TaxiiResponse:
    return TaxiiResponse(taxii.status_resource(taxii.get_status(session, ctx, status_id)))
