"""The officer's alert queue: list, read, transitions, and a live server-sent-event stream."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sse_starlette.sse import EventSourceResponse

from vigil.alerts import service
from vigil.alerts.feed import AlertFeed, CommitCursor, read_unread, start_cursor
from vigil.alerts.models import Alert
from vigil.alerts.notify import sse_payload
from vigil.alerts.schemas import (
    AlertKind,
    AlertOut,
    FeedbackCounts,
    TransitionIn,
    WebhookCreated,
    WebhookIn,
)
from vigil.core.errors import Forbidden
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance.access import (
    AccessContext,
    Permission,
    basis_subjects,
    require,
    require_personal_data_access,
)
from vigil.governance.audit import Action
from vigil.http.deps import (
    ContextDep,
    PurposefulDep,
    RuntimeDep,
    current_context,
    purposeful_context,
)
from vigil.http.params import AfterId, OptionalAfterId, OptionalRowIdQuery, PageSize, RowId

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])
DISCONNECT_CHECK_S = 1.0
STREAM_PAGE = 100  # alerts read at a time; a full page is followed by the next at once


def alert_filter(
    status: Annotated[str | None, Query(max_length=20, description="new, acknowledged, …")] = None,
    kind: Annotated[AlertKind | None, Query(description="alert kind")] = None,
    since: Annotated[datetime | None, Query(description="created at or after")] = None,
    until: Annotated[datetime | None, Query(description="created before")] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="text in the summary or the entry id")
    ] = None,
) -> service.AlertFilter:
    return service.AlertFilter(status, kind, since, until, (q or "").strip() or None)


FilterDep = Annotated[service.AlertFilter, Depends(alert_filter)]


@router.get("", response_model=list[AlertOut])
def list_alerts(
    runtime: RuntimeDep,
    ctx: PurposefulDep,
    where: FilterDep,
    after_id: AfterId = 0,
    limit: PageSize = 100,
    order: Annotated[
        Literal["oldest", "newest"],
        Query(description="oldest first after `after_id`, or newest first before `before_id`"),
    ] = "oldest",
    before_id: OptionalRowIdQuery = None,
) -> list[AlertOut]:
    with runtime.unit_of_work() as session:
        alerts = service.list_alerts(
            session,
            ctx,
            after_id=after_id,
            limit=limit,
            newest_first=order == "newest",
            before_id=before_id,
            where=where,
        )
        return [AlertOut.model_validate(a) for a in alerts]


class AlertCount(BaseModel):
    total: int


@router.get("/count", response_model=AlertCount)
def count_alerts(runtime: RuntimeDep, ctx: ContextDep, where: FilterDep) -> AlertCount:
    """How many alerts the same filters keep: the queue's "page 1 of N"."""
    with runtime.unit_of_work() as session:
        return AlertCount(total=service.count_alerts(session, ctx, where))


def _stream_context(
    request: Request,
    runtime: RuntimeDep,
    access_token: Annotated[str | None, Query()] = None,
    purpose: Annotated[str | None, Query()] = None,
    legal_basis: Annotated[str | None, Query()] = None,
) -> AccessContext:
    """EventSource cannot send headers, so the stream also takes them as query parameters."""
    headers = request.headers
    authorization = headers.get("authorization") or ""
    token = authorization[7:] if authorization.lower().startswith("bearer ") else access_token
    ctx = current_context(request, runtime, token, headers.get("x-api-key"))
    return purposeful_context(
        request,
        ctx,
        headers.get("x-purpose") or purpose,
        headers.get("x-legal-basis") or legal_basis,
    )


@router.get(
    "/stream",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": "`event: alert` events; `data` is the alert as JSON",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    },
)
async def stream(
    request: Request,
    runtime: RuntimeDep,
    ctx: Annotated[AccessContext, Depends(_stream_context)],
    after_id: OptionalAfterId = None,
) -> EventSourceResponse:
    """New alerts for the caller's organisation as server-sent events (`event: alert`), in
    the order they commit. An event's id is a resume token (`CommitCursor.token`) that a
    reconnecting client sends back as `Last-Event-ID`; a resumed stream may repeat alerts that
    were committing when it stopped, never skip one."""
    require(ctx, Permission.WORK_ALERTS)
    with runtime.unit_of_work() as session:
        require_personal_data_access(session, ctx, "alerts")
        if basis_subjects(session, ctx, "alert") is not None:
            raise Forbidden(
                f"{ctx.legal_basis} reads only the alerts it concerns, not the feed of new"
                " alerts: cite a screening statute for the queue"
            )
        cursor = None if after_id is not None else _resumed(request)
        if cursor is None or cursor.floor is None:  # a plain id: the floor is taken now
            start = cursor.after_id if cursor is not None else after_id
            cursor = start_cursor(session, start, ctx.organisation_id)
    return EventSourceResponse(_events(request, runtime, ctx, cursor), ping=15)


def _resumed(request: Request) -> CommitCursor | None:
    last = request.headers.get("last-event-id")
    return CommitCursor.parse(last) if last else None


def _fetch_unread(
    runtime: Runtime, ctx: AccessContext, cursor: CommitCursor
) -> tuple[list[tuple[int, str]], CommitCursor, bool]:
    """The next page of the organisation's unread alerts as (id, payload), the cursor after
    them, and whether the page was full."""
    with runtime.read_sessions() as session:
        rows, after = read_unread(
            session, cursor, (Alert,), organisation_id=ctx.organisation_id, limit=STREAM_PAGE
        )
        events = [(alert.id, sse_payload(alert)) for (alert,) in rows]
    if events:
        ids = sorted(alert_id for alert_id, _ in events)
        with runtime.unit_of_work() as session:
            audit.record(
                session,
                ctx,
                Action.CONSULT,
                "alert",
                f"{ids[0]}..{ids[-1]}",
                detail={"count": len(events), "channel": "sse"},
            )
    return events, after, len(events) == STREAM_PAGE


async def _events(
    request: Request, runtime: Runtime, ctx: AccessContext, cursor: CommitCursor
) -> AsyncIterator[dict[str, str]]:
    """The organisation's unread alerts, then the newly committed ones each time the feed
    wakes the stream; between wakes it only looks for a closed connection."""
    feed: AlertFeed = request.app.state.alert_feed
    async with feed.subscription(ctx.organisation_id) as woken:
        while True:
            woken.clear()
            events, after, full = await asyncio.to_thread(_fetch_unread, runtime, ctx, cursor)
            # each event resumes at the cursor before the page, moved past that event's id
            for alert_id, payload in events:
                cursor = replace(cursor, after_id=max(cursor.after_id, alert_id))
                yield {"event": "alert", "id": cursor.token(), "data": payload}
            cursor = after
            while not full and not woken.is_set():
                if await request.is_disconnected():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(woken.wait(), DISCONNECT_CHECK_S)


@router.get("/feedback", response_model=FeedbackCounts)
def feedback(runtime: RuntimeDep, ctx: ContextDep) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        return service.feedback_counts(session, ctx)


@router.post("/webhooks", response_model=WebhookCreated, status_code=201)
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
