"""Retention: each record type has a period in settings; each domain exports its
`RETENTION_RULES` (how its expired rows are erased or pseudonymised), the top floor
(`vigil.domains.retention_rules`) collects them, and `apply_retention` runs them and audits what
it did. Nothing registers itself on import."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from vigil.governance import audit
from vigil.governance.access import AccessContext, Permission, require
from vigil.governance.audit import Action

# Takes the session and the cutoff; returns the ids it erased or pseudonymised.
Purge = Callable[[Session, datetime], list[int]]


@dataclass(frozen=True)
class RetentionRule:
    record_type: str
    mode: str  # "delete" | "pseudonymise"
    purge: Purge


@dataclass(frozen=True)
class RetentionResult:
    record_type: str
    mode: str
    cutoff: datetime
    affected: int


def apply_retention(
    session: Session,
    ctx: AccessContext,
    rules: Iterable[RetentionRule],
    retention_days: dict[str, int],
    now: datetime,
) -> list[RetentionResult]:
    require(ctx, Permission.RUN_RETENTION)
    results = []
    for rule in rules:
        days = retention_days.get(rule.record_type)
        if days is None:
            continue
        cutoff = now - timedelta(days=days)
        ids = rule.purge(session, cutoff)
        results.append(RetentionResult(rule.record_type, rule.mode, cutoff, len(ids)))
        if not ids:
            continue
        audit.record(
            session,
            ctx,
            Action.ERASE,
            rule.record_type,
            f"{min(ids)}..{max(ids)}",
            detail={
                "mode": rule.mode,
                "count": len(ids),
                "cutoff": cutoff.isoformat(),
                "ids": ids[:1000],
            },
        )
    return results
