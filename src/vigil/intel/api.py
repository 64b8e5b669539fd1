"""Intelligence, cases, sharing, STIX, tips, rewards and volunteers over HTTP.

Every clue read (search, correlation, graph included) goes through the marking rule. Refused
shares are audited as DISCLOSE/refused in their own unit of work; other refusals (Forbidden)
are audited by the app. Tip endpoints are public and never read the client's address or
user agent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from vigil.api.deps import ContextDep, PurposefulDep, RuntimeDep
from vigil.api.params import OptionalRowIdQuery, PageSize, RowId, RowIdQuery
from vigil.core.errors import Forbidden
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance.access import AccessContext
from vigil.governance.audit import Action
from vigil.intel import exchange, links, service, tips
from vigil.intel.schemas import (
    AgreementIn,
    AssignIn,
    CaseIn,
    CaseStatusIn,
    ClueIn,
    ClueOut,
    DecisionIn,
    NoteIn,
    RewardIn,
    ShareIn,
    TaskIn,
    TipAddIn,
    TipIn,
    TriageIn,
    VolunteerAssignIn,
    VolunteerIn,
)

router = APIRouter(prefix="/v1", tags=["intel"])
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


@contextmanager
def _refusal_audited(
    runtime: Runtime, ctx: AccessContext, clue_id: int, recipient: str
) -> Iterator[None]:
    """A refused disclosure is written in its own unit of work (the attempt rolled back)."""
    try:
        yield
    except Forbidden as exc:
        with runtime.unit_of_work() as session:
            audit.record(
                session,
                ctx,
                Action.DISCLOSE,
                "clue",
                clue_id,
                outcome="refused",
                recipient=recipient,
                detail={"reason": exc.detail[:200]},
            )
        raise


# --- clues ----------------------------------------------------------------------------------


@router.post("/clues", status_code=201)
def create_clue(body: ClueIn, runtime: RuntimeDep, ctx: PurposefulDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        clue = service.create_clue(session, ctx, body)
        return {"id": clue.id, "stix_id": clue.stix_id}


@router.get("/clues", response_model=list[ClueOut])
def search_clues(
    runtime: RuntimeDep,
    ctx: PurposefulDep,
    q: str | None = None,
    entity_kind: str | None = None,
    entity_value: str | None = None,
    tlp: str | None = None,
    limit: PageSize = 100,
) -> list[ClueOut]:
    with runtime.unit_of_work() as session:
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
def read_clue(clue_id: RowId, runtime: RuntimeDep, ctx: PurposefulDep) -> ClueOut:
    with runtime.unit_of_work() as session:
        return service.read_clue(session, ctx, clue_id)


@router.post("/clues/{clue_id}/shares", status_code=201)
def share_clue(
    clue_id: RowId, body: ShareIn, runtime: RuntimeDep, ctx: PurposefulDep
) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        recipient = service.recipient_label(session, body.recipient_org_id, body.recipient_user)
    with _refusal_audited(runtime, ctx, clue_id, recipient), runtime.unit_of_work() as session:
        share = service.share_clue(
            session, ctx, clue_id, body.recipient_org_id, body.recipient_user
        )
        return {"id": share.id}


@router.post("/clues/{clue_id}/share-requests", status_code=201)
def request_share(
    clue_id: RowId, body: ShareIn, runtime: RuntimeDep, ctx: PurposefulDep
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        req = service.request_share(
            session, ctx, clue_id, body.recipient_org_id, body.recipient_user, body.reason
        )
        return {"id": req.id, "status": req.status}


@router.get("/share-requests")
def pending_share_requests(runtime: RuntimeDep, ctx: ContextDep) -> list[dict[str, Any]]:
    with runtime.unit_of_work() as session:
        return [
            {
                "id": r.id,
                "clue_id": r.clue_id,
                "requested_by": r.requested_by,
                "recipient_org_id": r.recipient_org_id,
                "recipient_user_id": r.recipient_user_id,
                "reason": r.reason,
            }
            for r in service.pending_share_requests(session, ctx)
        ]


@router.post("/share-requests/{request_id}/decision")
def decide_share_request(
    request_id: RowId, body: DecisionIn, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        req = service.decide_share_request(session, ctx, request_id, body.approve)
        return {"id": req.id, "status": req.status}


@router.post("/sharing-agreements", status_code=201)
def create_agreement(body: AgreementIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        agreement = service.create_agreement(
            session, ctx, body.to_org_id, body.purpose, body.max_tlp
        )
        return {"id": agreement.id, "legal_basis": f"agreement:{agreement.id}"}


@router.get("/correlation")
def correlate(
    kind: str,
    value: str,
    runtime: RuntimeDep,
    ctx: PurposefulDep,
    exclude_case: OptionalRowIdQuery = None,
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        found = service.correlate(session, ctx, kind, value, exclude_case=exclude_case)
        return {
            "kind": found.kind,
            "entity_id": found.entity_id,
            "clue_ids": found.clue_ids,
            "case_ids": found.case_ids,
            "other_cases": found.other_cases,
        }


# --- graph ----------------------------------------------------------------------------------


@router.get("/graph/neighbourhood/{entity_id}")
def neighbourhood(
    entity_id: RowId,
    runtime: RuntimeDep,
    ctx: PurposefulDep,
    k: Annotated[int, Query(ge=1, le=4)] = 2,
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return links.neighbourhood(session, ctx, entity_id, k)


@router.get("/graph/path")
def shortest_path(
    source: int, target: int, runtime: RuntimeDep, ctx: PurposefulDep
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return links.path(session, ctx, source, target)


@router.get("/graph/components")
def components(runtime: RuntimeDep, ctx: PurposefulDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return links.components(session, ctx)


# --- cases ----------------------------------------------------------------------------------


@router.post("/cases", status_code=201)
def open_case(body: CaseIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        case = service.open_case(
            session,
            ctx,
            body.title,
            description=body.description,
            opened_from=body.opened_from,
            source_ref=body.source_ref,
        )
        return {"id": case.id, "legal_basis": service.case_basis(case.id)}


@router.get("/cases")
def list_cases(
    runtime: RuntimeDep, ctx: ContextDep, status: str | None = None
) -> list[dict[str, Any]]:
    with runtime.unit_of_work() as session:
        return [
            {"id": c.id, "title": c.title, "status": c.status}
            for c in service.list_cases(session, ctx, status)
        ]


@router.get("/cases/{case_id}")
def read_case(case_id: RowId, runtime: RuntimeDep, ctx: PurposefulDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return service.case_view(session, ctx, case_id)


@router.post("/cases/{case_id}/status")
def set_status(
    case_id: RowId, body: CaseStatusIn, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, str]:
    with runtime.unit_of_work() as session:
        case = service.set_case_status(session, ctx, case_id, body.status, body.resolution)
        return {"status": case.status}


@router.post("/cases/{case_id}/notes", status_code=201)
def add_note(case_id: RowId, body: NoteIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, bool]:
    with runtime.unit_of_work() as session:
        service.add_case_note(session, ctx, case_id, body.text)
        return {"ok": True}


@router.post("/cases/{case_id}/tasks", status_code=201)
def add_task(case_id: RowId, body: TaskIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        return {"id": service.add_case_task(session, ctx, case_id, body.title, body.assignee).id}


@router.post("/cases/{case_id}/tasks/{task_id}/done")
def task_done(
    case_id: RowId, task_id: RowId, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, bool]:
    with runtime.unit_of_work() as session:
        service.complete_task(session, ctx, case_id, task_id)
        return {"ok": True}


@router.post("/cases/{case_id}/assignees", status_code=201)
def assign(case_id: RowId, body: AssignIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, bool]:
    with runtime.unit_of_work() as session:
        service.assign_case(session, ctx, case_id, body.username)
        return {"ok": True}


@router.post("/cases/{case_id}/clues/{clue_id}", status_code=201)
def add_clue(
    case_id: RowId, clue_id: RowId, runtime: RuntimeDep, ctx: PurposefulDep
) -> dict[str, bool]:
    with runtime.unit_of_work() as session:
        service.add_clue_to_case(session, ctx, case_id, clue_id)
        return {"ok": True}


@router.get("/cases/{case_id}/graph")
def case_graph(case_id: RowId, runtime: RuntimeDep, ctx: PurposefulDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return links.case_graph(session, ctx, case_id)


@router.get("/cases/{case_id}/stix")
def export_case(case_id: RowId, runtime: RuntimeDep, ctx: PurposefulDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return exchange.export_case(session, ctx, case_id)


@router.get("/stix/export")
def export_visible(runtime: RuntimeDep, ctx: PurposefulDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return exchange.export_visible(session, ctx)


@router.post("/stix/import")
def import_bundle(
    runtime: RuntimeDep, ctx: PurposefulDep, bundle: Annotated[dict[str, Any], Body()]
) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        return exchange.import_bundle(session, ctx, bundle)


# --- tips and rewards (public parts take no identity, IP or user agent) ---------------------


@router.post("/tips", status_code=201, tags=["public"])
def submit_tip(body: TipIn, runtime: RuntimeDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        receipt = tips.submit_tip(session, body)
    return {
        "receipt": receipt.receipt,
        "message": "Keep this receipt code: it is the only way to check or add to your tip.",
    }


@router.post("/tips/status", tags=["public"])
def tip_status(runtime: RuntimeDep, receipt: Annotated[str, Body(embed=True)]) -> dict[str, object]:
    with runtime.unit_of_work() as session:
        return tips.tip_status(session, receipt)


@router.post("/tips/additions", status_code=201, tags=["public"])
def add_to_tip(body: TipAddIn, runtime: RuntimeDep) -> dict[str, bool]:
    with runtime.unit_of_work() as session:
        tips.add_to_tip(session, body.receipt, body.text)
    return {"ok": True}


@router.get("/tips/form", response_class=HTMLResponse, tags=["public"])
def tip_form(request: Request) -> HTMLResponse:
    return HTMLResponse(_templates.get_template("tip_form.html").render())


@router.get("/tips")
def list_tips(
    runtime: RuntimeDep, ctx: PurposefulDep, status: str | None = None
) -> list[dict[str, object]]:
    with runtime.unit_of_work() as session:
        return tips.list_tips(session, ctx, status)


@router.post("/tips/{tip_id}/triage", status_code=201)
def triage_tip(
    tip_id: RowId, body: TriageIn, runtime: RuntimeDep, ctx: PurposefulDep
) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        return {"clue_id": tips.triage_tip(session, ctx, tip_id, body).id}


@router.post("/rewards", status_code=201)
def propose_reward(body: RewardIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        reward = tips.propose_reward(session, ctx, body.tip_id, body.amount_cents, body.currency)
        return {"id": reward.id, "status": reward.status}


@router.post("/rewards/{reward_id}/approval")
def approve_reward(
    reward_id: RowId, body: DecisionIn, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        reward = tips.approve_reward(session, ctx, reward_id, body.approve)
        return {"id": reward.id, "status": reward.status}


@router.post("/rewards/{reward_id}/payout")
def pay_reward(
    reward_id: RowId,
    runtime: RuntimeDep,
    ctx: ContextDep,
    receipt: Annotated[str, Body(embed=True)],
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        reward = tips.pay_reward(session, ctx, reward_id, receipt)
        return {"id": reward.id, "status": reward.status}


# --- volunteers -----------------------------------------------------------------------------


@router.post("/volunteers", status_code=201, tags=["public"])
def register_volunteer(
    body: VolunteerIn, runtime: RuntimeDep, agency_id: RowIdQuery
) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        return {"id": tips.register_volunteer(session, agency_id, body).id}


@router.get("/volunteers")
def list_volunteers(
    runtime: RuntimeDep, ctx: PurposefulDep, skill: str | None = None, day: str | None = None
) -> list[dict[str, Any]]:
    with runtime.unit_of_work() as session:
        return [
            {
                "id": v.id,
                "name": v.name,
                "contact": v.contact,
                "skills": v.skills,
                "availability": v.availability,
            }
            for v in tips.list_volunteers(session, ctx, skill, day)
        ]


@router.post("/volunteers/{volunteer_id}/assignments", status_code=201)
def assign_volunteer(
    volunteer_id: RowId, body: VolunteerAssignIn, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, int]:
    with runtime.unit_of_work() as session:
        return {
            "id": tips.assign_volunteer(
                session, ctx, volunteer_id, body.event, body.day, body.skill
            ).id
        }
