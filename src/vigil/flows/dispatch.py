"""Alert dispatch: an officer sends a unit to an alert. The unit becomes dispatched (with an
assignment to the alert), the alert becomes dispatched with the unit as its assignee, and both
changes are audited, in the caller's one unit of work.

Alerts carry no location: they are raised from registrations, and the businesses that file
them have no stored address coordinates. The officer gives the place to send units to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.alerts import service as alerts
from vigil.alerts.models import Alert
from vigil.alerts.schemas import TransitionIn
from vigil.core.errors import Conflict, NotFound
from vigil.governance.access import AccessContext, Permission, require
from vigil.units import service as units
from vigil.units.models import Unit, UnitAssignment
from vigil.units.recommend import Recommendation
from vigil.units.roads import RoadGraph

OPEN_FOR_DISPATCH = frozenset({"new", "acknowledged"})


@dataclass(frozen=True)
class Dispatched:
    alert_id: int
    alert_status: str
    unit: Unit
    assignment: UnitAssignment


def _alert_status(session: Session, ctx: AccessContext, alert_id: int) -> str:
    """The alert's status (no personal data), or NotFound outside the caller's agency."""
    row = session.execute(
        select(Alert.status, Alert.organisation_id).where(Alert.id == alert_id)
    ).first()
    if row is None or row.organisation_id != ctx.organisation_id:
        raise NotFound(f"alert {alert_id} not found")
    return str(row.status)


def dispatch_alert(
    session: Session, ctx: AccessContext, alert_id: int, unit_id: int, note: str = ""
) -> Dispatched:
    """Send `unit_id` to `alert_id`. A further unit may join an alert already dispatched; a
    resolved alert takes none."""
    require(ctx, Permission.WORK_ALERTS)
    status = _alert_status(session, ctx, alert_id)
    if status not in OPEN_FOR_DISPATCH and status != "dispatched":
        raise Conflict(f"alert {alert_id} is {status}; no unit can be sent to it")
    unit, assignment = units.dispatch_unit(
        session, ctx, unit_id, "alert", str(alert_id), reason=note
    )
    if status in OPEN_FOR_DISPATCH:
        text = f"unit {unit.code} dispatched" + (f": {note}" if note else "")
        alerts.transition(
            session,
            ctx,
            alert_id,
            TransitionIn(action="dispatch", assignee=f"unit:{unit.code}", note=text),
        )
    return Dispatched(alert_id, "dispatched", unit, assignment)


def units_for_alert(
    session: Session,
    ctx: AccessContext,
    graph: RoadGraph,
    alert_id: int,
    lat: float,
    lon: float,
    *,
    capability: str | None = None,
    k: int = 3,
) -> list[tuple[Unit, Recommendation]]:
    """The nearest available units to the place the officer gives for an open alert."""
    require(ctx, Permission.WORK_ALERTS)
    _alert_status(session, ctx, alert_id)
    return units.recommend(session, ctx, graph, lat, lon, capability=capability, k=k)
