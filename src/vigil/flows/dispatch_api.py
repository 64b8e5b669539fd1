"""Alert dispatch over HTTP: send a unit to an alert, and the nearest units for it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from vigil.core.errors import FieldError, ValidationFailed
from vigil.flows import dispatch
from vigil.http.deps import ContextDep, RuntimeDep, UnitOfWork
from vigil.http.params import RowId
from vigil.units.roads import cached_road_graph
from vigil.units.schemas import AssignmentOut, Capability, RecommendationOut, UnitOut

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])

NO_ALERT_LOCATION = (
    "alerts carry no location (the filing businesses have no stored coordinates): "
    "give lat and lon of the place to send units to"
)


class DispatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: int = Field(ge=1, le=2**31 - 1)
    note: str = Field(default="", max_length=400)


class DispatchOut(BaseModel):
    alert_id: int
    alert_status: str
    unit: UnitOut
    assignment: AssignmentOut


@router.post("/{alert_id}/dispatch", response_model=DispatchOut)
def dispatch_alert(
    alert_id: RowId, body: DispatchIn, session: UnitOfWork, ctx: ContextDep
) -> DispatchOut:
    done = dispatch.dispatch_alert(session, ctx, alert_id, body.unit_id, body.note)
    return DispatchOut(
        alert_id=done.alert_id,
        alert_status=done.alert_status,
        unit=UnitOut.model_validate(done.unit),
        assignment=AssignmentOut.model_validate(done.assignment),
    )


@router.get("/{alert_id}/units", response_model=list[RecommendationOut])
def nearest_units(
    alert_id: RowId,
    session: UnitOfWork,
    ctx: ContextDep,
    runtime: RuntimeDep,
    lat: Annotated[float | None, Query(ge=-90, le=90, allow_inf_nan=False)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, allow_inf_nan=False)] = None,
    capability: Capability | None = None,
    k: Annotated[int, Query(ge=1, le=20)] = 3,
) -> list[RecommendationOut]:
    """The nearest available units by road to the place given for the alert."""
    if lat is None or lon is None:
        missing = [name for name, value in (("lat", lat), ("lon", lon)) if value is None]
        raise ValidationFailed(
            NO_ALERT_LOCATION, [FieldError(name, NO_ALERT_LOCATION) for name in missing]
        )
    graph = cached_road_graph(runtime.settings.road_graph)
    picks = dispatch.units_for_alert(
        session, ctx, graph, alert_id, lat, lon, capability=capability, k=k
    )
    return [
        RecommendationOut(
            unit=UnitOut.model_validate(unit),
            travel_seconds=round(pick.seconds, 1),
            straight_m=round(pick.straight_m, 1),
        )
        for unit, pick in picks
    ]
