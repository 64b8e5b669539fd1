"""The precursor catalogue and the transaction rules over HTTP: anyone signed in reads the
catalogue (businesses need it to file); staff read the rules with their thresholds and
sources; an admin or supervisor extends the catalogue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from vigil.core.errors import Forbidden
from vigil.governance.access import Role
from vigil.http.deps import ContextDep, UnitOfWork
from vigil.precursors import service
from vigil.precursors.schemas import CatalogueOut, RulesOut, SubstanceAdded, SubstanceIn

router = APIRouter(prefix="/v1/precursors", tags=["precursors"])


@router.get("/catalogue", response_model=CatalogueOut)
def catalogue(session: UnitOfWork, ctx: ContextDep) -> dict[str, Any]:
    return service.catalogue_view(service.current_catalogue(session))


@router.post("/catalogue", response_model=SubstanceAdded, status_code=201)
def add_substance(body: SubstanceIn, session: UnitOfWork, ctx: ContextDep) -> dict[str, Any]:
    row = service.add_substance(session, ctx, body)
    return {"substance_id": row.substance_id, "version": row.version}


@router.get("/rules", response_model=RulesOut)
def rules(ctx: ContextDep) -> dict[str, Any]:
    if ctx.role == Role.BUSINESS:
        raise Forbidden("the transaction rules are shown to staff")
    return service.rules_view()
