"""Clues over HTTP: collect, search and read, each read through the marking rule."""

from __future__ import annotations

from fastapi import APIRouter

from vigil.http.deps import PurposefulDep, UnitOfWork
from vigil.http.params import PageSize, RowId
from vigil.intel.clues import service
from vigil.intel.clues.schemas import ClueCreated, ClueIn, ClueOut

router = APIRouter()


@router.post("/clues", status_code=201, response_model=ClueCreated)
def create_clue(body: ClueIn, session: UnitOfWork, ctx: PurposefulDep) -> ClueCreated:
    clue = service.create_clue(session, ctx, body)
    return ClueCreated(id=clue.id, stix_id=clue.stix_id)


@router.get("/clues", response_model=list[ClueOut])
def search_clues(
    session: UnitOfWork,
    ctx: PurposefulDep,
    q: str | None = None,
    entity_kind: str | None = None,
    entity_value: str | None = None,
    tlp: str | None = None,
    limit: PageSize = 100,
) -> list[ClueOut]:
    return service.search_clues(
        session,
        ctx,
        text=q,
        entity_kind=entity_kind,
        entity_value=entity_value,
        tlp=tlp,
        limit=limit,
    )


@router.get("/clues/{clue_id}", response_model=ClueOut)
def read_clue(clue_id: RowId, session: UnitOfWork, ctx: PurposefulDep) -> ClueOut:
    return service.read_clue(session, ctx, clue_id)
