"""The alert lifecycle: new → acknowledged → dispatched → resolved (true hit, false positive
or duplicate). Alerts are personal data: reads need the access gate and are audited. No
function here is reachable by a business principal."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.alerts.models import Alert, Webhook
from vigil.alerts.schemas import AlertIn, TransitionIn
from vigil.core.clock import utcnow
from vigil.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Permission, require, require_personal_data_access
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule, register_rule

# action → (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({"new"}), "acknowledged"),
    "dispatch": (frozenset({"new", "acknowledged"}), "dispatched"),
    "resolve": (frozenset({"new", "acknowledged", "dispatched"}), "resolved"),
}


def raise_alert(session: Session, ctx: AccessContext, data: AlertIn) -> Alert:
    """Store an alert; it becomes a legal basis (`alert:<id>`) for the follow-up reads."""
    alert = Alert(**data.model_dump())
    session.add(alert)
    session.flush()
    governance.register_legal_basis(
        session, ctx, f"alert:{alert.id}", "alert", organisation_id=data.organisation_id
    )
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "alert",
        alert.id,
        detail={
            "kind": alert.kind,
            "entry": alert.watchlist_entry_id,
            "basis": alert.legal_basis,
            "hits": [[hit["entry_id"], hit["legal_basis"]] for hit in alert.hits],
        },
    )
    return alert


def alerted_for_entry(session: Session, entry_id: str, submission_ids: Collection[int]) -> set[int]:
    """The submissions among `submission_ids` that already have an alert with `entry_id`
    among its hits, so that a re-screen does not alert on them twice. No personal data."""
    found: set[int] = set()
    ids = sorted(set(submission_ids))
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(Alert.submission_id, Alert.watchlist_entry_id, Alert.hits).where(
                Alert.submission_id.in_(ids[start : start + 1000])
            )
        )
        for submission_id, best, hits in rows:
            if best == entry_id or any(hit.get("entry_id") == entry_id for hit in hits or ()):
                found.add(int(submission_id))
    return found


def _visible(ctx: AccessContext) -> bool:
    return ctx.principal == "system" or ctx.can(Permission.WORK_ALERTS)


def list_alerts(
    session: Session,
    ctx: AccessContext,
    *,
    status: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[Alert]:
    require(ctx, Permission.WORK_ALERTS)
    require_personal_data_access(session, ctx)
    query = select(Alert).where(Alert.id > after_id, Alert.organisation_id == ctx.organisation_id)
    if status:
        query = query.where(Alert.status == status)
    alerts = list(session.scalars(query.order_by(Alert.id).limit(min(limit, 500))))
    if alerts:
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "alert",
            f"{alerts[0].id}..{alerts[-1].id}",
            detail={"count": len(alerts)},
        )
    return alerts


def get_alert(session: Session, ctx: AccessContext, alert_id: int) -> Alert:
    require(ctx, Permission.WORK_ALERTS)
    require_personal_data_access(session, ctx)
    alert = session.get(Alert, alert_id)
    if alert is None or alert.organisation_id != ctx.organisation_id:
        raise NotFound(f"alert {alert_id} not found")
    audit.record(session, ctx, Action.CONSULT, "alert", alert.id)
    return alert


def transition(session: Session, ctx: AccessContext, alert_id: int, change: TransitionIn) -> Alert:
    require(ctx, Permission.WORK_ALERTS)
    alert = session.get(Alert, alert_id, with_for_update=True)
    if alert is None or alert.organisation_id != ctx.organisation_id:
        raise NotFound(f"alert {alert_id} not found")
    sources, target = TRANSITIONS[change.action]
    if alert.status not in sources:
        raise Conflict(f"cannot {change.action} an alert that is {alert.status}")
    if change.action == "resolve" and change.resolution is None:
        raise ValidationFailed(
            "resolution required",
            [FieldError("resolution", "true_hit, false_positive or duplicate")],
        )
    confirmed = _confirmed_entry(alert, change)
    now = utcnow()
    alert.status = target
    if change.action == "acknowledge":
        alert.acknowledged_at = now
    elif change.action == "dispatch":
        alert.dispatched_at = now
    else:
        alert.resolved_at = now
        alert.resolution = change.resolution
        alert.confirmed_entry_id = confirmed
    alert.assignee = change.assignee or alert.assignee or ctx.principal
    if change.note:
        alert.note = (
            alert.note + "\n" if alert.note else ""
        ) + f"[{now:%Y-%m-%d %H:%M}] {change.note}"
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "alert",
        alert.id,
        detail={"status": target, "resolution": alert.resolution, "entry": confirmed},
    )
    return alert


def _confirmed_entry(alert: Alert, change: TransitionIn) -> str | None:
    """The hit a true-hit resolution confirms: named by the officer, who must name one when
    the alert holds several."""
    entries = [hit["entry_id"] for hit in alert.hits]
    true_hit = change.action == "resolve" and change.resolution == "true_hit"
    if change.entry_id is not None:
        if not true_hit:
            raise ValidationFailed(
                "entry_id only goes with a true hit",
                [FieldError("entry_id", "name an entry only when resolving as true_hit")],
            )
        if change.entry_id not in entries:
            raise ValidationFailed(
                "not one of the alert's hits",
                [FieldError("entry_id", f"must be one of the alert's hits: {', '.join(entries)}")],
            )
        return change.entry_id
    if not true_hit:
        return None
    if len(entries) > 1:
        raise ValidationFailed(
            "which hit is true?",
            [FieldError("entry_id", f"the alert has {len(entries)} hits; name the true one")],
        )
    return entries[0] if entries else alert.watchlist_entry_id


def feedback_counts(session: Session, ctx: AccessContext) -> dict[str, int]:
    """Resolutions per kind, for tuning thresholds (no personal data)."""
    require(ctx, Permission.WORK_ALERTS)
    counts: dict[str, int] = {}
    for kind, resolution in session.execute(
        select(Alert.kind, Alert.resolution).where(Alert.organisation_id == ctx.organisation_id)
    ):
        key = f"{kind}:{resolution or 'open'}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def add_webhook(session: Session, ctx: AccessContext, url: str) -> tuple[Webhook, str]:
    require(ctx, Permission.APPROVE)
    hook = Webhook(organisation_id=ctx.organisation_id, url=url, secret=secrets.token_urlsafe(24))
    session.add(hook)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "alert_webhook", hook.id, detail={"url": url})
    return hook, hook.secret


def webhooks_for(session: Session, organisation_id: int) -> list[Webhook]:
    return list(
        session.scalars(
            select(Webhook).where(
                Webhook.organisation_id == organisation_id, Webhook.active.is_(True)
            )
        )
    )


def _purge_resolved(session: Session, cutoff: datetime) -> list[int]:
    old = list(
        session.scalars(select(Alert).where(Alert.status == "resolved", Alert.resolved_at < cutoff))
    )
    for alert in old:
        session.delete(alert)
    session.flush()
    return [a.id for a in old]


register_rule(RetentionRule("alert", "delete", _purge_resolved))
