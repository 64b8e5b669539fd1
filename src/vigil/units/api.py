"""The unit registry over HTTP: units, status changes, AVL fixes and recommendations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vigil.http.deps import ContextDep, RuntimeDep, UnitOfWork
from vigil.http.params import RowId
from vigil.units import service
from vigil.units.roads import cached_road_graph
from vigil.units.schemas import (
    Capability,
    PositionsIn,
    PositionsOut,
    RecommendationOut,
    StatusChangeIn,
    UnitIn,
    UnitOut,
    UnitStatus,
    UnitUpdate,
)

router = APIRouter(prefix="/v1/units", tags=["units"])

LatitudeQuery = Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False)]
LongitudeQuery = Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False)]
HowMany = Annotated[int, Query(ge=1, le=20, description="how many units to recommend")]


@router.post("", status_code=201, response_model=UnitOut)
def create_unit(body: UnitIn, session: UnitOfWork, ctx: ContextDep) -> UnitOut:
    return UnitOut.model_validate(service.create_unit(session, ctx, body))


@router.get("", response_model=list[UnitOut])
def list_units(
    session: UnitOfWork,
    ctx: ContextDep,
    status: UnitStatus | None = None,
    capability: Capability | None = None,
) -> list[UnitOut]:
    units = service.list_units(session, ctx, status=status, capability=capability)
    return [UnitOut.model_validate(u) for u in units]


@router.get("/recommend", response_model=list[RecommendationOut])
def recommend(
    session: UnitOfWork,
    ctx: ContextDep,
    runtime: RuntimeDep,
    lat: LatitudeQuery,
    lon: LongitudeQuery,
    capability: Capability | None = None,
    k: HowMany = 3,
) -> list[RecommendationOut]:
    """The nearest available units by travel time on the road graph."""
    graph = cached_road_graph(runtime.settings.road_graph)
    picks = service.recommend(session, ctx, graph, lat, lon, capability=capability, k=k)
    return [
        RecommendationOut(
            unit=UnitOut.model_validate(unit),
            travel_seconds=round(pick.seconds, 1),
            straight_m=round(pick.straight_m, 1),
        )
        for unit, pick in picks
    ]


@router.get("/{unit_id}", response_model=UnitOut)
def get_unit(unit_id: RowId, session: UnitOfWork, ctx: ContextDep) -> UnitOut:
    return UnitOut.model_validate(service.get_unit(session, ctx, unit_id))


@router.patch("/{unit_id}", response_model=UnitOut)
def update_unit(unit_id: RowId, body: UnitUpdate, session: UnitOfWork, ctx: ContextDep) -> UnitOut:
    return UnitOut.model_validate(service.update_unit(session, ctx, unit_id, body))


@router.post("/{unit_id}/status", response_model=UnitOut)
def change_status(
    unit_id: RowId, body: StatusChangeIn, session: UnitOfWork, ctx: ContextDep
) -> UnitOut:
    return UnitOut.model_validate(service.change_status(session, ctx, unit_id, body))


@router.post("/{unit_id}/positions", response_model=PositionsOut)
def record_positions(
    unit_id: RowId, body: PositionsIn, session: UnitOfWork, ctx: ContextDep
) -> PositionsOut:
    """AVL fixes; idempotent by (unit, time), and older fixes do not move the unit."""
    return service.record_positions(session, ctx, unit_id, body.fixes)
