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
from collections.abc import Callable, Coroutine, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

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
from vigil.intel.exchange.taxii_schemas import (
    ApiRootResource,
    CollectionResource,
    CollectionsResource,
    DiscoveryResource,
    ManifestResource,
    StatusResource,
    TaxiiEnvelope,
    TaxiiError,
    TaxiiPage,
    VersionsResource,
)


class TaxiiResponse(JSONResponse):
    media_type = TAXII_MEDIA

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False).encode("utf-8")


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


def error_response(
    status: int, title: str, description: str, headers: Mapping[str, str] | None = None
) -> TaxiiResponse:
    """A TAXII 2.1 error message (section 3.6.1)."""
    if status == 401:
        headers = {"WWW-Authenticate": 'Basic realm="vigil-taxii"'}
    return TaxiiResponse(
        {"title": title, "description": description, "http_status": str(status)},
        status_code=status,
        headers=headers,
    )


class TaxiiRoute(APIRoute):
    """Maps every error to a TAXII error message, after the unit of work has rolled back,
    and answers a method the path does not take (405) the same way, which Starlette would
    leave to the app's problem+json handler."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            allowed = ", ".join(sorted(_methods_of(self.path) or self.methods))
            answer = error_response(
                405,
                "Method not allowed",
                f"{scope['method']} is not allowed on {self.path}; use {allowed}",
                headers={"Allow": allowed},
            )
            await answer(scope, receive, send)
            return
        await super().handle(scope, receive, send)

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


def _methods_of(path: str) -> set[str]:
    """Every method the TAXII routes take on `path` (each route here takes one)."""
    routes = [r for r in router.routes if isinstance(r, APIRoute) and r.path == path]
    return {m for r in routes for m in r.methods or ()}


router = APIRouter(
    prefix="/taxii2",
    tags=["taxii"],
    route_class=TaxiiRoute,
    default_response_class=TaxiiResponse,
    responses=ERROR_RESPONSES,
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


PostedEnvelope = Annotated[dict[str, Any], Depends(envelope_body)]


def _root_url(request: Request) -> str:
    return str(request.url_for("taxii_api_root"))


@router.get(
    "/", response_model=DiscoveryResource, response_model_exclude_none=True, name="taxii_discovery"
)
def discovery(request: Request, ctx: Reader) -> DiscoveryResource:
    root = _root_url(request)
    return DiscoveryResource(
        title="Vigil TAXII 2.1",
        description="Intelligence shared under TLP 2.0 markings and sharing agreements.",
        default=root,
        api_roots=[root],
    )


@router.get(
    "/api/", response_model=ApiRootResource, response_model_exclude_none=True, name="taxii_api_root"
)
def api_root(ctx: Reader) -> ApiRootResource:
    return ApiRootResource(
        title="Vigil intelligence",
        description="Each collection serves one agency's clues to its partners.",
        versions=[TAXII_MEDIA],
        max_content_length=taxii.MAX_CONTENT_LENGTH,
    )


@router.get(
    "/api/collections/", response_model=CollectionsResource, response_model_exclude_none=True
)
def collections(session: UnitOfWork, ctx: Reader) -> CollectionsResource:
    opened = taxii.reader_collections(session, ctx)
    return CollectionsResource(
        collections=[
            CollectionResource.model_validate(
                taxii.collection_resource(c, can_write=c.accepts_posts)
            )
            for c, _ in opened
        ]
    )


@router.get(
    "/api/collections/{collection_id}/",
    response_model=CollectionResource,
    response_model_exclude_none=True,
)
def collection(collection_id: str, session: UnitOfWork, ctx: Reader) -> CollectionResource:
    opened = taxii.open_collection(session, ctx, collection_id)
    return CollectionResource.model_validate(
        taxii.collection_resource(opened.collection, can_write=taxii.can_write(opened))
    )


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items()}


@router.get(
    "/api/collections/{collection_id}/manifest/",
    response_model=ManifestResource,
    response_model_exclude_none=True,
)
def manifest(
    collection_id: str, request: Request, response: Response, session: UnitOfWork, ctx: Reader
) -> ManifestResource:
    filters = taxii.parse_filters(_params(request))
    page, more, nxt = _disclosed_page(session, ctx, collection_id, filters, "manifest")
    items = [taxii.manifest_entry(s) for s in page]
    return _paged(ManifestResource, "objects", items, more, nxt, page, response)


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


PageT = TypeVar("PageT", bound=TaxiiPage)


def _paged(
    model: type[PageT],
    key: str,
    items: list[Any],
    more: bool,
    nxt: str | None,
    page: list[taxii.Served],
    response: Response,
) -> PageT:
    """A page as `model`, its items under `key`, and its X-TAXII-Date-Added headers; an
    empty page is `{}`."""
    response.headers.update(taxii.date_headers(page))
    if not items:
        return model()
    return model.model_validate({"more": more, "next": nxt, key: items})


@router.get(
    "/api/collections/{collection_id}/objects/",
    response_model=TaxiiEnvelope,
    response_model_exclude_none=True,
)
def get_objects(
    collection_id: str, request: Request, response: Response, session: UnitOfWork, ctx: Reader
) -> TaxiiEnvelope:
    filters = taxii.parse_filters(_params(request))
    page, more, nxt = _disclosed_page(session, ctx, collection_id, filters, "objects")
    return _paged(TaxiiEnvelope, "objects", [s.obj for s in page], more, nxt, page, response)


@router.post(
    "/api/collections/{collection_id}/objects/",
    response_model=StatusResource,
    response_model_exclude_none=True,
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
    collection_id: str, session: UnitOfWork, ctx: Reader, envelope: PostedEnvelope
) -> StatusResource:
    opened = taxii.open_collection(session, ctx, collection_id)
    status = taxii.post_objects(session, opened, envelope)
    return StatusResource.model_validate(taxii.status_resource(status))


def _one_object(object_id: str, params: dict[str, str]) -> taxii.Filters:
    """The filters of a request for one object: its id, whatever match[id] says."""
    params.pop("match[id]", None)
    filters = taxii.parse_filters(params)
    filters.ids = frozenset({object_id})
    return filters


@router.get(
    "/api/collections/{collection_id}/objects/{object_id}/",
    response_model=TaxiiEnvelope,
    response_model_exclude_none=True,
)
def get_object(
    collection_id: str,
    object_id: str,
    request: Request,
    response: Response,
    session: UnitOfWork,
    ctx: Reader,
) -> TaxiiEnvelope:
    filters = _one_object(object_id, _params(request))
    page, more, nxt = _disclosed_page(session, ctx, collection_id, filters, "object", object_id)
    return _paged(TaxiiEnvelope, "objects", [s.obj for s in page], more, nxt, page, response)


@router.get(
    "/api/collections/{collection_id}/objects/{object_id}/versions/",
    response_model=VersionsResource,
    response_model_exclude_none=True,
)
def versions(
    collection_id: str,
    object_id: str,
    request: Request,
    response: Response,
    session: UnitOfWork,
    ctx: Reader,
) -> VersionsResource:
    params = _params(request)
    params["match[version]"] = "all"
    filters = _one_object(object_id, params)
    page, more, nxt = _disclosed_page(session, ctx, collection_id, filters, "versions", object_id)
    return _paged(
        VersionsResource, "versions", [s.version for s in page], more, nxt, page, response
    )


@router.get(
    "/api/status/{status_id}/", response_model=StatusResource, response_model_exclude_none=True
)
def status(status_id: str, session: UnitOfWork, ctx: Reader) -> StatusResource:
    return StatusResource.model_validate(
        taxii.status_resource(taxii.get_status(session, ctx, status_id))
    )
