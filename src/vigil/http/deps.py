"""Authentication and the access context, as FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session

from vigil.core.errors import Forbidden, MissingLegalBasis, Unauthorized
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Role, parse_purpose


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def unit_of_work(runtime: RuntimeDep) -> Iterator[Session]:
    """The request's one unit of work. With `scope="function"` FastAPI leaves this generator
    after the endpoint has returned and its answer is serialised, and before the response is
    sent: the reply goes out only after the commit, and an error raised by the endpoint (or
    by the commit) rolls everything back, audit entries included."""
    with runtime.unit_of_work() as session:
        yield session


UnitOfWork = Annotated[Session, Depends(unit_of_work, scope="function")]


# Declared as security schemes, so /docs offers an Authorize button for both.
bearer_token = OAuth2PasswordBearer(
    tokenUrl="/v1/auth/token",
    auto_error=False,
    scheme_name="staff",
    description="People: sign in with user name and password for a bearer token.",
)
business_key = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="business",
    description="Machines: a business's API key, or an agency's video source key.",
)


def _authenticated(runtime: Runtime, token: str | None, x_api_key: str | None) -> AccessContext:
    with runtime.unit_of_work() as session:
        if x_api_key:
            return governance.context_for_api_key(session, x_api_key)
        if token and token.strip():
            user = governance.user_from_token(session, token.strip(), runtime.secret_key)
            return governance.context_for_user(session, user)
    raise Unauthorized("send a bearer token or an X-API-Key")


def current_context(
    request: Request,
    runtime: RuntimeDep,
    token: Annotated[str | None, Depends(bearer_token)] = None,
    x_api_key: Annotated[str | None, Depends(business_key)] = None,
) -> AccessContext:
    """Bearer token for people, X-API-Key for businesses. An agency's key (a video source's)
    opens only the video event endpoints (`event_source_context`)."""
    ctx = _authenticated(runtime, token, x_api_key)
    request.state.ctx = ctx
    if ctx.role == Role.VIDEO_SOURCE:
        raise Forbidden(
            "this API key is an agency's video source key: it posts video events to "
            "/v1/video/events/webhook, /frigate and /onvif, and opens nothing else"
        )
    return ctx


ContextDep = Annotated[AccessContext, Depends(current_context)]


def _bearer_of(request: Request) -> str | None:
    """The bearer token of a request, read without declaring the staff security scheme."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def event_source_context(
    request: Request,
    runtime: RuntimeDep,
    x_api_key: Annotated[str | None, Depends(business_key)] = None,
) -> AccessContext:
    """The context of a machine that posts events (an NVR, an analytics worker, a webhook):
    the API key of the cameras' owner, a business's or an agency's video source key, the
    only scheme the OpenAPI document shows for these endpoints. A person signed in is known
    (a bad token is still 401) but refused: events are the source's word, people review
    them."""
    token = None if x_api_key else _bearer_of(request)
    if not x_api_key and not token:
        raise Unauthorized("send the event source's API key as X-API-Key")
    ctx = _authenticated(runtime, token, x_api_key)
    request.state.ctx = ctx
    if not ctx.by_api_key:
        raise Forbidden(
            "video events are posted by their source (an NVR, an analytics worker, a webhook) "
            "with its API key as X-API-Key, not by a person signed in: an administrator issues "
            "the key to the cameras' owner (vigil apikey create --org OWNER)"
        )
    return ctx


EventSourceDep = Annotated[AccessContext, Depends(event_source_context)]


def purposeful_context(
    request: Request,
    ctx: ContextDep,
    x_purpose: Annotated[str | None, Header()] = None,
    x_legal_basis: Annotated[str | None, Header()] = None,
) -> AccessContext:
    """The context for a personal-data call: purpose and legal basis are mandatory."""
    purpose = parse_purpose(x_purpose)
    if not x_legal_basis or not x_legal_basis.strip():
        raise MissingLegalBasis("X-Legal-Basis is required to read personal data")
    scoped = ctx.with_purpose(purpose, x_legal_basis.strip())
    request.state.ctx = scoped
    return scoped


PurposefulDep = Annotated[AccessContext, Depends(purposeful_context)]
