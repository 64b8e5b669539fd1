"""STIX 2.1 export and import over HTTP, through the marking rule."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from vigil.http.deps import PurposefulDep, UnitOfWork
from vigil.http.params import RowId
from vigil.intel.exchange import service
from vigil.intel.exchange.schemas import ImportResult, StixBundle

router = APIRouter()


@router.get("/cases/{case_id}/stix", response_model=StixBundle)
def export_case(case_id: RowId, session: UnitOfWork, ctx: PurposefulDep) -> StixBundle:
    return StixBundle.model_validate(service.export_case(session, ctx, case_id))


@router.get("/stix/export", response_model=StixBundle)
def export_visible(session: UnitOfWork, ctx: PurposefulDep) -> StixBundle:
    return StixBundle.model_validate(service.export_visible(session, ctx))


@router.post("/stix/import", response_model=ImportResult)
def import_bundle(
    session: UnitOfWork, ctx: PurposefulDep, bundle: Annotated[dict[str, Any], Body()]
) -> ImportResult:
    return ImportResult.model_validate(service.import_bundle(session, ctx, bundle))
