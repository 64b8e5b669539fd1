"""The alert lifecycle: new → acknowledged → dispatched → resolved (true hit, false positive
or duplicate). Alerts are personal data: reads need the access gate and are audited. No
function here is reachable by a business principal."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from vigil.alerts.models import Alert, Webhook
from vigil.alerts.schemas import AlertIn, Hit, TransitionIn
from vigil.core.clock import utcnow
from vigil.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import (
    AccessContext,
    Permission,
    basis_subjects,
    require,
    require_category,
    require_personal_data_access,
    require_subject_access,
)
from vigil.governance.audit import Action
from vigil.governance.models import Organisation
from vigil.governance.retention import RetentionRule

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


# --- Raising alerts from screening, in bulk, with routing ----------------------------------


class ListedHit(Protocol):
    """A watchlist match as screening reports it."""

    @property
    def entry_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def explanation(self) -> Mapping[str, Any]: ...
    @property
    def legal_basis(self) -> str: ...


class ParcelItemHit(Protocol):
    @property
    def item_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def legal_reference(self) -> str: ...
    def reason(self) -> str: ...


class ParcelVerdict(Protocol):
    @property
    def decision(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def matches(self) -> Sequence[ParcelItemHit]: ...
    @property
    def model_score(self) -> float | None: ...


@dataclass(frozen=True)
class Routing:
    """Alerts go to the agency that listed the entry; parcel alerts, and hits on an entry
    whose owner is unknown, to the home agency."""

    owners: Mapping[str, int]
    home: int

    def owner(self, entry_id: str) -> int:
        return self.owners.get(entry_id, self.home)


def home_agency(session: Session) -> int:
    first = session.scalar(
        select(Organisation.id)
        .where(Organisation.kind == "agency")
        .order_by(Organisation.id)
        .limit(1)
    )
    return int(first or 0)


def alerts_for_hits(
    routing: Routing,
    source: str,
    sector: str,
    submission_id: int,
    person_id: int | None,
    hits: Sequence[ListedHit],
) -> list[tuple[str, AlertIn]]:
    """One alert per kind and owning agency for one screened record, holding every entry it
    matched: a record that agrees with several listed namesakes is one case to review.
    Each comes with its source key (`source` + kind + agency)."""
    groups: dict[tuple[str, int], list[ListedHit]] = {}
    for hit in sorted(hits, key=lambda m: -m.score):
        groups.setdefault((hit.kind, routing.owner(hit.entry_id)), []).append(hit)
    alerts = []
    for (kind, owner), group in groups.items():
        best = group[0]
        more = f" and {len(group) - 1} more" if len(group) > 1 else ""
        alert = AlertIn(
            kind=kind,
            score=round(best.score, 4),
            explanation=dict(best.explanation),
            summary=f"{sector} registration {submission_id} matches {kind} {best.entry_id}{more}",
            sector=sector,
            submission_id=submission_id,
            person_id=person_id,
            watchlist_entry_id=best.entry_id,
            legal_basis=best.legal_basis,
            organisation_id=owner,
            hits=[
                Hit(
                    entry_id=m.entry_id,
                    score=round(m.score, 4),
                    legal_basis=m.legal_basis,
                    explanation=dict(m.explanation),
                )
                for m in group
            ],
        )
        alerts.append((f"{source}:{kind}:{owner}", alert))
    return alerts


UNVERIFIED_SENDER_BASIS = "postal real-name rule: sender identity not verified"
# a declaration no rule flagged, that the learned second opinion asks a person to open
SECOND_OPINION_BASIS = "邮政法 第二十五条: inspection on acceptance (收寄验视)"


def parcel_alert(
    routing: Routing,
    source: str,
    sector: str,
    submission_id: int,
    verdict: ParcelVerdict,
    sender_verified: bool,
) -> tuple[str, AlertIn]:
    """A parcel to refuse or inspect, explained item by item, for the home agency."""
    if verdict.matches:
        basis = verdict.matches[0].legal_reference
    else:
        basis = UNVERIFIED_SENDER_BASIS if not sender_verified else SECOND_OPINION_BASIS
    explanation: dict[str, Any] = {
        f"item:{m.item_id}": {"score": 1.0 if m.kind == "exact" else 0.6, "detail": m.reason()}
        for m in verdict.matches
    }
    if not sender_verified:
        explanation["sender_verified"] = {"score": 1.0, "detail": "sender not real-name verified"}
    if verdict.model_score is not None:
        explanation["second_opinion"] = {"score": verdict.model_score, "detail": verdict.reason}
    alert = AlertIn(
        kind="parcel",
        score=1.0 if verdict.decision == "refuse" else 0.5,
        explanation=explanation,
        summary=f"parcel {verdict.decision}: {verdict.reason}"[:400],
        sector=sector,
        submission_id=submission_id,
        legal_basis=basis,
        organisation_id=routing.home,
    )
    return f"{source}:parcel:{routing.home}", alert


class RuleTransaction(Protocol):
    @property
    def submission_id(self) -> int: ...
    def describe(self) -> str: ...


class TransactionRuleHit(Protocol):
    """A transaction rule that fired (precursor sales): the rule, why, its legal source,
    and the transactions behind it."""

    @property
    def rule_id(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def transactions(self) -> Sequence[RuleTransaction]: ...


def clipped(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its first whole parts (a rule's sources
    are separated by "; ", words by spaces) and an ellipsis, never half a word."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rfind("; ")
    if cut <= 0:
        cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else head).rstrip(" ;,") + "…"


def transaction_rule_alert(
    routing: Routing, source: str, sector: str, submission_id: int, hit: TransactionRuleHit
) -> tuple[str, AlertIn]:
    """A reportable transaction, for the home agency: the rule with its source, and every
    transaction behind it."""
    explanation: dict[str, Any] = {
        f"rule:{hit.rule_id}": {"score": 1.0, "detail": f"{hit.reason}. Source: {hit.source}"}
    }
    for t in hit.transactions:
        explanation[f"transaction:{t.submission_id}"] = {"score": 1.0, "detail": t.describe()}
    alert = AlertIn(
        kind="chemical",
        score=1.0,
        explanation=explanation,
        summary=f"{sector} sale {submission_id}: {hit.rule_id}: {hit.reason}"[:400],
        sector=sector,
        submission_id=submission_id,
        legal_basis=clipped(hit.source, 200),
        organisation_id=routing.home,
    )
    return f"{source}:{hit.rule_id}:{routing.home}", alert


def raise_alerts(
    session: Session,
    ctx: AccessContext,
    alerts: Sequence[tuple[str, AlertIn]],
    now: datetime | None = None,
) -> list[int]:
    """`raise_alert` for many (source key, alert) pairs: one insert, one legal-basis insert
    and one audit append. An alert whose source key is stored already is not raised again
    (a re-run event); returns the ids of those raised now."""
    if not alerts:
        return []
    now = now or utcnow()
    rows = [
        {
            **data.model_dump(),
            "source_key": key,
            "status": "new",
            "note": "",
            "created_at": now,
        }
        for key, data in alerts
    ]
    statement = (
        _dialect_insert(session, Alert)
        .on_conflict_do_nothing(index_elements=["source_key"])
        .returning(Alert.id, Alert.source_key)
    )
    raised = {key: int(i) for i, key in session.execute(statement, rows)}
    new = [(raised[key], data) for key, data in alerts if key in raised]
    new.sort(key=lambda pair: pair[0])
    governance.register_legal_bases(
        session, ctx, "alert", [(f"alert:{i}", data.organisation_id) for i, data in new]
    )
    audit.record_many(
        session,
        ctx,
        [
            audit.EntryIn(
                Action.COLLECT,
                "alert",
                i,
                detail={
                    "kind": data.kind,
                    "entry": data.watchlist_entry_id,
                    "basis": data.legal_basis,
                    "hits": [[hit.entry_id, hit.legal_basis] for hit in data.hits],
                },
            )
            for i, data in new
        ],
        at=now,
    )
    return [i for i, _ in new]


def _dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT on the session's back-end."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def _visible(ctx: AccessContext) -> bool:
    return ctx.principal == "system" or ctx.can(Permission.WORK_ALERTS)


@dataclass(frozen=True)
class AlertFilter:
    """What an alert queue shows: by status, kind, creation time and a text search."""

    status: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None  # in the summary or the watchlist entry id

    def apply(self, query: Select[Any]) -> Select[Any]:
        if self.status:
            query = query.where(Alert.status == self.status)
        if self.kind:
            query = query.where(Alert.kind == self.kind)
        if self.since is not None:
            query = query.where(Alert.created_at >= self.since)
        if self.until is not None:
            query = query.where(Alert.created_at < self.until)
        if self.text:
            pattern = "%" + "".join(c for c in self.text if c not in "%_\\") + "%"
            query = query.where(
                or_(Alert.summary.ilike(pattern), Alert.watchlist_entry_id.ilike(pattern))
            )
        return query


def list_alerts(
    session: Session,
    ctx: AccessContext,
    *,
    status: str | None = None,
    after_id: int = 0,
    limit: int = 100,
    newest_first: bool = False,
    before_id: int | None = None,
    where: AlertFilter | None = None,
) -> list[Alert]:
    """One page of the organisation's alerts: oldest first after `after_id` (a feed that
    catches up), or newest first before `before_id` (a queue that pages back)."""
    require(ctx, Permission.WORK_ALERTS)
    require_personal_data_access(session, ctx, "alerts")
    require_category(session, ctx, "alerts")
    where = where or AlertFilter(status=status)
    if status and not where.status:
        where = replace(where, status=status)
    query = where.apply(select(Alert).where(Alert.organisation_id == ctx.organisation_id))
    confined = basis_subjects(session, ctx, "alert")  # e.g. an alert basis: its own alert
    if confined is not None:
        query = query.where(Alert.id.in_(sorted(confined)))
    if newest_first:
        if before_id is not None:
            query = query.where(Alert.id < before_id)
        query = query.order_by(Alert.id.desc())
    else:
        query = query.where(Alert.id > after_id).order_by(Alert.id)
    alerts = list(session.scalars(query.limit(min(limit, 500))))
    if alerts:
        ids = sorted(a.id for a in alerts)
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "alert",
            f"{ids[0]}..{ids[-1]}",
            detail={"count": len(alerts)},
        )
    return alerts


def count_alerts(session: Session, ctx: AccessContext, where: AlertFilter) -> int:
    """How many of the organisation's alerts the filter keeps (no personal data read)."""
    require(ctx, Permission.WORK_ALERTS)
    query = where.apply(
        select(func.count()).select_from(Alert).where(Alert.organisation_id == ctx.organisation_id)
    )
    return int(session.scalar(query) or 0)


def get_alert(session: Session, ctx: AccessContext, alert_id: int) -> Alert:
    require(ctx, Permission.WORK_ALERTS)
    require_personal_data_access(session, ctx, "alerts")
    require_category(session, ctx, "alerts")
    require_subject_access(session, ctx, "alert", alert_id)
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


@dataclass(frozen=True)
class DecidedHit:
    """An officer's decision on one hit of a resolved alert: confirmed (the person) or not the
    person. `explanation` keeps each feature's score and comparison level, without its text
    (no personal data)."""

    alert_id: int
    entry_id: str
    confirmed: bool
    score: float
    explanation: dict[str, dict[str, Any]]


def decided_hits(session: Session, ctx: AccessContext, kind: str = "person") -> list[DecidedHit]:
    """The decisions stored on resolved alerts of the caller's agency, hit by hit, for
    re-estimating the matcher's weights: a true hit confirms the entry the officer named and
    says the alert's other hits are not the person; a false positive says none of its hits
    is; a duplicate says nothing. The read is audited."""
    require(ctx, Permission.WORK_ALERTS)
    rows = session.scalars(
        select(Alert)
        .where(
            Alert.organisation_id == ctx.organisation_id,
            Alert.kind == kind,
            Alert.resolution.in_(("true_hit", "false_positive")),
        )
        .order_by(Alert.id)
    ).all()
    out = []
    for alert in rows:
        hits = alert.hits or [
            {
                "entry_id": alert.watchlist_entry_id,
                "score": alert.score,
                "explanation": alert.explanation,
            }
        ]
        for hit in hits:
            confirmed = alert.resolution == "true_hit" and hit["entry_id"] == (
                alert.confirmed_entry_id or alert.watchlist_entry_id
            )
            stripped = {
                feature: {k: v for k, v in (value or {}).items() if k != "detail"}
                for feature, value in (hit.get("explanation") or {}).items()
            }
            out.append(
                DecidedHit(alert.id, str(hit["entry_id"]), confirmed, float(hit["score"]), stripped)
            )
    audit.record(
        session,
        ctx,
        Action.CONSULT,
        "alert",
        "decisions",
        detail={"kind": kind, "alerts": len(rows), "hits": len(out)},
    )
    return out


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


# Collected by the top floor (`vigil.domains`); importing this module registers nothing.
RETENTION_RULES = (RetentionRule("alert", "delete", _purge_resolved),)
