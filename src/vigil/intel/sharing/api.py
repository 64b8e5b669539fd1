"""Sharing over HTTP. A refused share is audited as DISCLOSE/refused in its own unit of work,
after the attempt has rolled back; other refusals (Forbidden) are audited by the app."""

from __future__ import annotations

from fastapi import APIRouter

from vigil.core.errors import Forbidden
from vigil.governance import audit
from vigil.governance.audit import Action
from vigil.http.deps import ContextDep, PurposefulDep, RuntimeDep, UnitOfWork
from vigil.http.params import RowId
from vigil.intel.sharing import service
from vigil.intel.sharing.schemas import (
    AgreementIn,
    AgreementOut,
    DecisionIn,
    ShareIn,
    ShareOut,
    ShareRequestOut,
    ShareRequestState,
)

router = APIRouter()


@router.post("/clues/{clue_id}/shares", status_code=201, response_model=ShareOut)
def share_clue(
    clue_id: RowId, body: ShareIn, runtime: RuntimeDep, session: UnitOfWork, ctx: PurposefulDep
) -> ShareOut:
    recipient = service.recipient_label(session, body.recipient_org_id, body.recipient_user)
    try:
        share = service.share_clue(
            session, ctx, clue_id, body.recipient_org_id, body.recipient_user
        )
    except Forbidden as exc:
        session.rollback()  # the attempt leaves nothing; its refusal is kept on its own
        with runtime.unit_of_work() as refusal:
            audit.record(
                refusal,
                ctx,
                Action.DISCLOSE,
                "clue",
                clue_id,
                outcome="refused",
                recipient=recipient,
                detail={"reason": exc.detail[:200]},
            )
        raise
    return ShareOut(id=share.id)


@router.post("/clues/{clue_id}/share-requests", status_code=201, response_model=ShareRequestState)
def request_share(
    clue_id: RowId, body: ShareIn, session: UnitOfWork, ctx: PurposefulDep
) -> ShareRequestState:
    req = service.request_share(
        session, ctx, clue_id, body.recipient_org_id, body.recipient_user, body.reason
    )
    return ShareRequestState(id=req.id, status=req.status)


@router.get("/share-requests", response_model=list[ShareRequestOut])
def pending_share_requests(session: UnitOfWork, ctx: ContextDep) -> list[ShareRequestOut]:
    return [
        ShareRequestOut(
            id=r.id,
            clue_id=r.clue_id,
            requested_by=r.requested_by,
            recipient_org_id=r.recipient_org_id,
            recipient_user_id=r.recipient_user_id,
            reason=r.reason,
        )
        for r in service.pending_share_requests(session, ctx)
    ]


@router.post("/share-requests/{request_id}/decision", response_model=ShareRequestState)
def decide_share_request(
    request_id: RowId, body: DecisionIn, session: UnitOfWork, ctx: ContextDep
) -> ShareRequestState:
    req = service.decide_share_request(session, ctx, request_id, body.approve)
    return ShareRequestState(id=req.id, status=req.status)


@router.post("/sharing-agreements", status_code=201, response_model=AgreementOut)
def create_agreement(body: AgreementIn, session: UnitOfWork, ctx: ContextDep) -> AgreementOut:
    agreement = service.create_agreement(
        session,
        ctx,
        body.to_org_id,
        body.purpose,
        body.max_tlp,
        expires_at=body.expires_at,
        categories=body.categories,
        case_ids=body.case_ids,
    )
    return AgreementOut(id=agreement.id, legal_basis=f"agreement:{agreement.id}")
