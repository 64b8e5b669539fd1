"""Critical infrastructure over HTTP: assets, dependencies, network imports and cascades.
(Sensor events and risk ranked from incident analytics span domains: `vigil.flows`.)"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from vigil.http.deps import ContextDep, UnitOfWork
from vigil.http.params import RowId
from vigil.infrastructure import importers, service
from vigil.infrastructure.schemas import (
    AssetIn,
    AssetKind,
    AssetOut,
    CascadeOut,
    DependencyIn,
    DependencyOut,
    ImportResult,
)
from vigil.infrastructure.water import Placement

router = APIRouter(prefix="/v1/infrastructure", tags=["infrastructure"])


class WaterNetworkIn(BaseModel):
    """An EPANET `.inp` file's text, placed with its centre at (latitude, longitude)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    inp: str = Field(min_length=1, max_length=20_000_000)
    operator: str = Field(min_length=1, max_length=200)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    metres_per_unit: float = Field(default=100.0, gt=0, le=10_000)


class AssetBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assets: list[AssetIn] = Field(default_factory=list, max_length=100_000)
    dependencies: list[DependencyIn] = Field(default_factory=list, max_length=300_000)


@router.post("/assets", status_code=201, response_model=ImportResult)
def add_assets(body: AssetBatchIn, session: UnitOfWork, ctx: ContextDep) -> ImportResult:
    """Assets and dependencies, stored whole or not at all."""
    return service.store_assets(session, ctx, body.assets, body.dependencies)


@router.post("/assets/geojson", status_code=201, response_model=ImportResult)
def add_geojson(body: dict[str, Any], session: UnitOfWork, ctx: ContextDep) -> ImportResult:
    """A GeoJSON FeatureCollection whose features' properties are the assets' fields."""
    import json

    assets = importers.assets_from_geojson(json.dumps(body), source="body")
    return service.store_assets(session, ctx, assets)


@router.get("/assets", response_model=list[AssetOut])
def list_assets(
    session: UnitOfWork, ctx: ContextDep, kind: Annotated[AssetKind | None, Query()] = None
) -> list[AssetOut]:
    return [AssetOut.model_validate(a) for a in service.list_assets(session, ctx, kind)]


@router.get("/assets/{asset_id}", response_model=AssetOut)
def get_asset(asset_id: RowId, session: UnitOfWork, ctx: ContextDep) -> AssetOut:
    return AssetOut.model_validate(service.get_asset(session, ctx, asset_id))


@router.get("/dependencies", response_model=list[DependencyOut])
def list_dependencies(session: UnitOfWork, ctx: ContextDep) -> list[DependencyOut]:
    return [DependencyOut.model_validate(d) for d in service.list_dependencies(session, ctx)]


@router.post("/networks/water", status_code=201, response_model=ImportResult)
def import_water(body: WaterNetworkIn, session: UnitOfWork, ctx: ContextDep) -> ImportResult:
    placement = Placement(body.latitude, body.longitude, body.metres_per_unit)
    return service.import_water_network(
        session, ctx, body.name, body.inp, body.operator, placement, source="upload"
    )


@router.get("/assets/{asset_id}/cascade", response_model=CascadeOut)
def get_cascade(
    asset_id: RowId, session: UnitOfWork, ctx: ContextDep, simulate: bool = True
) -> CascadeOut:
    """What fails, and how many people lose service, when the asset goes down."""
    return service.cascade(session, ctx, asset_id, simulate=simulate)
