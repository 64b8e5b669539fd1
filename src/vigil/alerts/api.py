"""The officer's alert queue: list, read, transitions, and a live server-sent-event stream."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sse_starlette.sse import EventSourceResponse

from vigil.alerts import service
from vigil.alerts.feed import AlertFeed
from vigil.alerts.models import Alert
from vigil.alerts.notify import sse_payload
from vigil.alerts.schemas import AlertOut, TransitionIn, WebhookIn
from vigil.api.deps import (
    ContextDep,
    PurposefulDep,
    RuntimeDep,
    current_context,
    purposeful_context,
)
from vigil.api.params import AfterId, OptionalAfterId, PageSize, RowId
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance.access import AccessContext, Permission, require, require_personal_data_access
from vigil.governance.audit import Action

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])
DISCONNECT_CHECK_S = 1.0
STREAM_PAGE = 100  # alerts read at a time; a full page is followed by the next at once


@router.get("", response_model=list[AlertOut])
def list_alerts(
    runtime: RuntimeDep,
    ctx: PurposefulDep,
    status: str | None = None,
    after_id: AfterId = 0,
    limit: PageSize = 100,
) -> list[AlertOut]:
    with runtime.unit_of_work() as session:
        alerts = service.list_alerts(session, ctx, status=status, after_id=after_id, limit=limit)
        return [AlertOut.model_validate(a) for a in alerts]


def _stream_context(
    request: Request,
    runtime: RuntimeDep,
    access_token: Annotated[str | None, Query()] = None,
    purpose: Annotated[str | None, Query()] = None,
    legal_basis: Annotated[str | None, Query()] = None,
) -> AccessContext:
    """EventSource cannot send headers, so the stream also takes them as query parameters."""
    headers = request.headers
    authorization = headers.get("authorization") or (
        f"Bearer {access_token}" if access_token else None
    )
    ctx = current_context(request, runtime, authorization, headers.get("x-api-key"))
    return purposeful_context(
        request,
        ctx,
        headers.get("x-purpose") or purpose,
        headers.get("x-legal-basis") or legal_basis,
    )


@router.get("/stream")
async def stream(
    request: Request,
    runtime: RuntimeDep,
    ctx: Annotated[AccessContext, Depends(_stream_context)],
    after_id: OptionalAfterId = None,
) -> EventSourceResponse:
    """New alerts for the caller's organisation as server-sent events (`event: alert`)."""
    require(ctx, Permission.WORK_ALERTS)
    with runtime.unit_of_work() as session:
        require_personal_data_access(session, ctx)
        start = after_id
        if start is None:
            last = request.headers.get("last-event-id")
            start = int(last) if last and last.isdigit() else _latest_id(session, ctx)
    return EventSourceResponse(_events(request, runtime, ctx, start), ping=15)


def _latest_id(session: Any, ctx: AccessContext) -> int:
    latest = session.scalar(
        select(Alert.id)
        .where(Alert.organisation_id == ctx.organisation_id)
        .order_by(Alert.id.desc())
        .limit(1)
    )
    return int(latest or 0)


def _fetch_after(runtime: Runtime, ctx: AccessContext, after_id: int) -> list[tuple[int, str]]:
    with runtime.read_sessions() as session:
        alerts = session.scalars(
            select(Alert)
            .where(Alert.id > after_id, Alert.organisation_id == ctx.organisation_id)
            .order_by(Alert.id)
            .limit(STREAM_PAGE)
        ).all()
        events = [(a.id, sse_payload(a)) for a in alerts]
    if events:
        with runtime.unit_of_work() as session:
            audit.record(
                session,
                ctx,
                Action.CONSULT,
                "alert",
                f"{events[0][0]}..{events[-1][0]}",
                detail={"count": len(events), "channel": "sse"},
            )
    return events


async def _events(
    request: Request, runtime: Runtime, ctx: AccessContext, after_id: int
) -> AsyncIterator[dict[str, str]]:
    """The organisation's alerts after `after_id`, then the new ones each time the feed wakes
    the stream; between wakes it only looks for a closed connection."""
    feed: AlertFeed = request.app.state.alert_feed
    last = after_id
    async with feed.subscription(ctx.organisation_id) as woken:
        while True:
            woken.clear()
            events = await asyncio.to_thread(_fetch_after, runtime, ctx, last)
            for alert_id, payload in events:
                last = alert_id
                yield {"event": "alert", "id": str(alert_id), "data": payload}
            while len(events) < STREAM_PAGE and not woken.is_set():
                if await request.is_disconnected():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(woken.wait(), DISCONNECT_CHECK_S)


@router.get("/feedback")
def feedback(runtime: RuntimeDep, ctx: ContextDep) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        return service.feedback_counts(session, ctx)


@router.post("/webhooks", status_code=201)
def add_webhook(body: WebhookIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        hook, secret = service.add_webhook(session, ctx, body.url)
        return {"id": hook.id, "url": hook.url, "secret": secret}


@router.get("/{alert_id}", response_model=AlertOut)
def get_alert(alert_id: RowId, runtime: RuntimeDep, ctx: PurposefulDep) -> AlertOut:
    with runtime.unit_of_work() as session:
        return AlertOut.model_validate(service.get_alert(session, ctx, alert_id))


@router.post("/{alert_id}/transitions", response_model=AlertOut)
def transition(
    alert_id: RowId, body: TransitionIn, runtime: RuntimeDep, ctx: ContextDep
) -> AlertOut:
    with runtime.unit_of_work() as session:
        return AlertOut.model_validate(service.transition(session, ctx, alert_id, body))
