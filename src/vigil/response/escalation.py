"""When an incident escalates to the supervisor: pure rules, no I/O.

An incident still `new` after its priority's acknowledge deadline escalates as
*unacknowledged*; one `acknowledged` but with no unit sent after the attend deadline escalates
as *unattended*. Each reason escalates an incident once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from vigil.core.clock import as_utc

Reason = Literal["unacknowledged", "unattended"]


@dataclass(frozen=True)
class EscalationPolicy:
    acknowledge_minutes: Mapping[int, int]
    attend_minutes: Mapping[int, int]

    def minutes_for(self, table: Mapping[int, int], priority: int) -> int:
        # a priority missing from the table takes the least urgent configured deadline
        return table.get(priority, max(table.values()))


@dataclass(frozen=True)
class IncidentClock:
    """What the rule needs to know about an incident."""

    status: str
    priority: int
    created_at: datetime
    acknowledged_at: datetime | None
    last_escalation: str | None


def due_escalation(
    incident: IncidentClock, now: datetime, policy: EscalationPolicy
) -> tuple[Reason, datetime] | None:
    """The reason and the deadline passed, if the incident must escalate at `now`."""
    if incident.status == "new" and incident.last_escalation is None:
        minutes = policy.minutes_for(policy.acknowledge_minutes, incident.priority)
        deadline = as_utc(incident.created_at) + timedelta(minutes=minutes)
        return ("unacknowledged", deadline) if as_utc(now) >= deadline else None
    if (
        incident.status == "acknowledged"
        and incident.acknowledged_at is not None
        and incident.last_escalation != "unattended"
    ):
        minutes = policy.minutes_for(policy.attend_minutes, incident.priority)
        deadline = as_utc(incident.acknowledged_at) + timedelta(minutes=minutes)
        return ("unattended", deadline) if as_utc(now) >= deadline else None
    return None
