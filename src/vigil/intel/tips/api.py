"""Tips, rewards and volunteers over HTTP. The public endpoints never read the client's
address or user agent: the service is given only the form fields."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body
from fastapi.responses import RedirectResponse

from vigil.http.deps import ContextDep, PurposefulDep, UnitOfWork
from vigil.http.params import RowId, RowIdQuery
from vigil.intel.sharing.schemas import DecisionIn
from vigil.intel.tips import service
from vigil.intel.tips.schemas import (
    AssignmentCreated,
    RewardIn,
    RewardListed,
    RewardOut,
    TipAddedOut,
    TipAddIn,
    TipIn,
    TipOut,
    TipReceiptOut,
    TipStatusOut,
    TriagedTip,
    TriageIn,
    VolunteerAssignIn,
    VolunteerCreated,
    VolunteerIn,
    VolunteerOut,
)

router = APIRouter()


# --- tips (the public parts take no identity, IP or user agent) -------------------------------


@router.post("/tips", status_code=201, tags=["public"], response_model=TipReceiptOut)
def submit_tip(body: TipIn, session: UnitOfWork) -> TipReceiptOut:
    receipt = service.submit_tip(session, body)
    return TipReceiptOut(
        receipt=receipt.receipt,
        message="Keep this receipt code: it is the only way to check or add to your tip.",
    )


@router.post("/tips/status", tags=["public"], response_model=TipStatusOut)
def tip_status(session: UnitOfWork, receipt: Annotated[str, Body(embed=True)]) -> TipStatusOut:
    return TipStatusOut.model_validate(service.tip_status(session, receipt))


@router.post("/tips/additions", status_code=201, tags=["public"], response_model=TipAddedOut)
def add_to_tip(body: TipAddIn, session: UnitOfWork) -> TipAddedOut:
    service.add_to_tip(session, body.receipt, body.text)
    return TipAddedOut(ok=True)


@router.get("/tips/form", response_class=RedirectResponse, include_in_schema=False)
def tip_form() -> RedirectResponse:
    """The public tip page moved to /tip; the old address redirects (not an API operation)."""
    return RedirectResponse("/tip")


@router.get("/tips", response_model=list[TipOut])
def list_tips(session: UnitOfWork, ctx: PurposefulDep, status: str | None = None) -> list[TipOut]:
    return [TipOut.model_validate(tip) for tip in service.list_tips(session, ctx, status)]


@router.post("/tips/{tip_id}/triage", status_code=201, response_model=TriagedTip)
def triage_tip(
    tip_id: RowId, body: TriageIn, session: UnitOfWork, ctx: PurposefulDep
) -> TriagedTip:
    return TriagedTip(clue_id=service.triage_tip(session, ctx, tip_id, body).id)


# --- rewards ----------------------------------------------------------------------------------


@router.post("/rewards", status_code=201, response_model=RewardOut)
def propose_reward(body: RewardIn, session: UnitOfWork, ctx: ContextDep) -> RewardOut:
    reward = service.propose_reward(session, ctx, body.tip_id, body.amount_cents, body.currency)
    return RewardOut(id=reward.id, status=reward.status)


@router.get("/rewards", response_model=list[RewardListed])
def list_rewards(
    session: UnitOfWork,
    ctx: ContextDep,
    status: Literal["proposed", "approved", "refused", "paid"] | None = None,
) -> list[RewardListed]:
    """For a supervisor: the rewards to decide, with their amount and proposer."""
    return [
        RewardListed(
            id=r.id,
            tip_id=r.tip_id,
            amount_cents=r.amount_cents,
            currency=r.currency,
            status=r.status,
            proposed_by=r.proposed_by,
            created_at=r.created_at.isoformat(),
        )
        for r in service.list_rewards(session, ctx, status)
    ]


@router.post("/rewards/{reward_id}/approval", response_model=RewardOut)
def approve_reward(
    reward_id: RowId, body: DecisionIn, session: UnitOfWork, ctx: ContextDep
) -> RewardOut:
    reward = service.approve_reward(session, ctx, reward_id, body.approve)
    return RewardOut(id=reward.id, status=reward.status)


@router.post("/rewards/{reward_id}/payout", response_model=RewardOut)
def pay_reward(
    reward_id: RowId,
    session: UnitOfWork,
    ctx: ContextDep,
    receipt: Annotated[str, Body(embed=True)],
) -> RewardOut:
    reward = service.pay_reward(session, ctx, reward_id, receipt)
    return RewardOut(id=reward.id, status=reward.status)


# --- volunteers -------------------------------------------------------------------------------


@router.post("/volunteers", status_code=201, tags=["public"], response_model=VolunteerCreated)
def register_volunteer(
    body: VolunteerIn, session: UnitOfWork, agency_id: RowIdQuery
) -> VolunteerCreated:
    return VolunteerCreated(id=service.register_volunteer(session, agency_id, body).id)


@router.get("/volunteers", response_model=list[VolunteerOut])
def list_volunteers(
    session: UnitOfWork, ctx: PurposefulDep, skill: str | None = None, day: str | None = None
) -> list[VolunteerOut]:
    return [
        VolunteerOut(
            id=v.id, name=v.name, contact=v.contact, skills=v.skills, availability=v.availability
        )
        for v in service.list_volunteers(session, ctx, skill, day)
    ]


@router.post(
    "/volunteers/{volunteer_id}/assignments", status_code=201, response_model=AssignmentCreated
)
def assign_volunteer(
    volunteer_id: RowId, body: VolunteerAssignIn, session: UnitOfWork, ctx: ContextDep
) -> AssignmentCreated:
    assignment = service.assign_volunteer(
        session, ctx, volunteer_id, body.event, body.day, body.skill
    )
    return AssignmentCreated(id=assignment.id)
