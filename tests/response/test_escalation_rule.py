"""The escalation rule alone: deadlines per priority, one escalation per reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from vigil.response.escalation import EscalationPolicy, IncidentClock, due_escalation

POLICY = EscalationPolicy({1: 2, 2: 5, 3: 15, 4: 60}, {1: 10, 2: 20, 3: 60, 4: 240})
T0 = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


@given(st.sampled_from([1, 2, 3, 4]), st.integers(min_value=0, max_value=600))
def test_new_incident_escalates_exactly_from_its_acknowledge_deadline(
    priority: int, seconds_after: int
) -> None:
    deadline = T0 + timedelta(minutes=POLICY.acknowledge_minutes[priority])
    new = IncidentClock("new", priority, T0, None, None)
    assert due_escalation(new, deadline - timedelta(seconds=1), POLICY) is None
    assert due_escalation(new, deadline + timedelta(seconds=seconds_after), POLICY) == (
        "unacknowledged",
        deadline,
    )
    escalated = IncidentClock("new", priority, T0, None, "unacknowledged")
    assert due_escalation(escalated, deadline + timedelta(hours=5), POLICY) is None


def test_acknowledged_without_a_unit_escalates_once_as_unattended() -> None:
    acknowledged_at = T0 + timedelta(minutes=1)
    incident = IncidentClock("acknowledged", 2, T0, acknowledged_at, "unacknowledged")
    assert due_escalation(incident, acknowledged_at + timedelta(minutes=19), POLICY) is None
    assert due_escalation(incident, acknowledged_at + timedelta(minutes=20), POLICY) == (
        "unattended",
        acknowledged_at + timedelta(minutes=20),
    )
    done = IncidentClock("acknowledged", 2, T0, acknowledged_at, "unattended")
    assert due_escalation(done, acknowledged_at + timedelta(days=1), POLICY) is None
    for status in ("dispatched", "on_scene", "resolved", "closed"):
        moving = IncidentClock(status, 1, T0, acknowledged_at, None)
        assert due_escalation(moving, T0 + timedelta(days=1), POLICY) is None


def test_a_priority_missing_from_the_settings_takes_the_longest_deadline() -> None:
    policy = EscalationPolicy({1: 2, 2: 5}, {1: 10})
    incident = IncidentClock("new", 4, T0, None, None)
    assert due_escalation(incident, T0 + timedelta(minutes=4), policy) is None
    assert due_escalation(incident, T0 + timedelta(minutes=5), policy) is not None
