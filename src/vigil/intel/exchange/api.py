"""STIX 2.1 export and import over HTTP, through the marking rule."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from vigil.http.deps import ContextDep, PurposefulDep, UnitOfWork
from vigil.http.params import RowId
from vigil.intel.exchange import service, taxii
from vigil.intel.exchange.schemas import (
    ImportResult,
    PartnersOut,
    StixBundle,
    TaxiiCollectionIn,
    TaxiiCollectionOut,
    TaxiiKeyIn,
    TaxiiKeyOut,
    TaxiiKeyRevoked,
)

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


@router.get("/taxii/partners", response_model=PartnersOut)
def taxii_partners(session: UnitOfWork, ctx: ContextDep) -> PartnersOut:
    return PartnersOut.model_validate(taxii.partners_overview(session, ctx))


@router.post("/taxii/collections", status_code=201, response_model=TaxiiCollectionOut)
def create_taxii_collection(
    body: TaxiiCollectionIn, session: UnitOfWork, ctx: ContextDep
) -> TaxiiCollectionOut:
    c = taxii.create_collection(
        session, ctx, body.title, body.description, accepts_posts=body.accepts_posts
    )
    return TaxiiCollectionOut(id=c.id, url=f"/taxii2/api/collections/{c.id}/")


@router.post("/taxii/keys", status_code=201, response_model=TaxiiKeyOut)
def issue_taxii_key(body: TaxiiKeyIn, session: UnitOfWork, ctx: ContextDep) -> TaxiiKeyOut:
    issued = taxii.issue_key(session, ctx, body.organisation_id, body.label)
    return TaxiiKeyOut(prefix=issued.prefix, key=issued.secret)


@router.delete("/taxii/keys/{prefix}", response_model=TaxiiKeyRevoked)
def revoke_taxii_key(prefix: str, session: UnitOfWork, ctx: ContextDep) -> TaxiiKeyRevoked:
    key = taxii.revoke_key(session, ctx, prefix)
    return TaxiiKeyRevoked(prefix=key.prefix, revoked=key.revoked_at is not None)
