"""Pushing alerts out: server-sent events for officers, signed webhooks for systems."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx
from sqlalchemy import select

from vigil.alerts.models import Alert
from vigil.alerts.schemas import AlertOut
from vigil.alerts.service import webhooks_for
from vigil.core.logging import get_logger
from vigil.core.runtime import Runtime

log = get_logger("vigil.alerts")


def sse_payload(alert: Alert) -> str:
    return AlertOut.model_validate(alert).model_dump_json()


def webhook_body(alert: Alert) -> dict[str, Any]:
    """Webhooks carry no personal data: receivers fetch the alert with their own credentials."""
    return {
        "alert_id": alert.id,
        "kind": alert.kind,
        "status": alert.status,
        "score": alert.score,
        "hits": len(alert.hits),
        "created_at": alert.created_at.isoformat(),
        "href": f"/v1/alerts/{alert.id}",
    }


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver_webhooks(runtime: Runtime, alert_ids: list[int], *, timeout_s: float = 3.0) -> int:
    """Post each new alert to its organisation's webhooks. Returns deliveries that succeeded."""
    if not alert_ids:
        return 0
    delivered = 0
    with runtime.read_sessions() as session:
        alerts = session.scalars(select(Alert).where(Alert.id.in_(alert_ids))).all()
        hooks_of = {org: webhooks_for(session, org) for org in {a.organisation_id for a in alerts}}
        targets = [(alert, hooks_of[alert.organisation_id]) for alert in alerts]
    if not any(hooks for _, hooks in targets):
        return 0  # no client to build (it costs tens of milliseconds)
    with httpx.Client(timeout=timeout_s) as client:
        for alert, hooks in targets:
            body = json.dumps(webhook_body(alert), separators=(",", ":")).encode()
            for hook in hooks:
                try:
                    response = client.post(
                        hook.url,
                        content=body,
                        headers={
                            "Content-Type": "application/json",
                            "X-Vigil-Signature": sign(hook.secret, body),
                        },
                    )
                    response.raise_for_status()
                    delivered += 1
                except httpx.HTTPError as exc:
                    log.warning(
                        "webhook delivery failed",
                        webhook=hook.id,
                        alert=alert.id,
                        error=type(exc).__name__,
                    )
    return delivered
