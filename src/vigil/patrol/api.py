"""Patrol places over HTTP."""

from __future__ import annotations

from fastapi import APIRouter

from vigil.http.deps import ContextDep, UnitOfWork
from vigil.patrol import service
from vigil.patrol.schemas import PlaceIn, PlaceOut

router = APIRouter(prefix="/v1/patrol", tags=["patrol"])


@router.post("/places", status_code=201, response_model=PlaceOut)
def create_place(body: PlaceIn, session: UnitOfWork, ctx: ContextDep) -> PlaceOut:
    return PlaceOut.model_validate(service.create_place(session, ctx, body))


@router.get("/places", response_model=list[PlaceOut])
def list_places(session: UnitOfWork, ctx: ContextDep) -> list[PlaceOut]:
    return [PlaceOut.model_validate(place) for place in service.list_places(session, ctx)]
