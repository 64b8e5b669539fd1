"""Cases, correlation and link analysis over HTTP; every clue they read passes the marking
rule."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from vigil.core.db import INT_MAX
from vigil.governance.service import active_references
from vigil.http.deps import ContextDep, PurposefulDep, UnitOfWork
from vigil.http.params import OptionalRowIdQuery, RowId
from vigil.intel.cases import links, service
from vigil.intel.cases.schemas import (
    AssignIn,
    CaseGraphOut,
    CaseIn,
    CaseOpened,
    CaseOut,
    CaseStatusIn,
    CaseStatusOut,
    CaseSummary,
    ComponentsOut,
    CorrelationOut,
    Done,
    NeighbourhoodOut,
    NoteIn,
    PathOut,
    TaskCreated,
    TaskIn,
)

router = APIRouter()


@router.get("/correlation", response_model=CorrelationOut)
def correlate(
    kind: str,
    value: str,
    session: UnitOfWork,
    ctx: PurposefulDep,
    exclude_case: OptionalRowIdQuery = None,
) -> CorrelationOut:
    found = service.correlate(session, ctx, kind, value, exclude_case=exclude_case)
    return CorrelationOut(
        kind=found.kind,
        entity_id=found.entity_id,
        clue_ids=found.clue_ids,
        case_ids=found.case_ids,
        other_cases=found.other_cases,
    )


# --- link analysis ----------------------------------------------------------------------------


@router.get("/graph/neighbourhood/{entity_id}", response_model=NeighbourhoodOut)
def neighbourhood(
    entity_id: RowId,
    session: UnitOfWork,
    ctx: PurposefulDep,
    k: Annotated[int, Query(ge=1, le=4)] = 2,
) -> NeighbourhoodOut:
    return NeighbourhoodOut.model_validate(links.neighbourhood(session, ctx, entity_id, k))


@router.get("/graph/path", response_model=PathOut)
def shortest_path(source: int, target: int, session: UnitOfWork, ctx: PurposefulDep) -> PathOut:
    return PathOut.model_validate(links.path(session, ctx, source, target))


@router.get("/graph/components", response_model=ComponentsOut)
def components(session: UnitOfWork, ctx: PurposefulDep) -> ComponentsOut:
    return ComponentsOut.model_validate(links.components(session, ctx))


# --- cases ------------------------------------------------------------------------------------


@router.post("/cases", status_code=201, response_model=CaseOpened)
def open_case(body: CaseIn, session: UnitOfWork, ctx: ContextDep) -> CaseOpened:
    case = service.open_case(
        session,
        ctx,
        body.title,
        description=body.description,
        opened_from=body.opened_from,
        source_ref=body.source_ref,
    )
    return CaseOpened(
        id=case.id,
        legal_basis=service.case_basis(case.id),
        basis_active=service.opened_by_supervisor(ctx),
    )


class PersonLinkIn(BaseModel):
    person_id: int = Field(ge=1, le=INT_MAX)
    reason: str = Field(min_length=3, max_length=500)


@router.post("/cases/{case_id}/persons", status_code=201, response_model=Done)
def link_person(
    case_id: RowId, body: PersonLinkIn, session: UnitOfWork, ctx: PurposefulDep
) -> Done:
    """Let the case's basis read one more person; audited with the reason."""
    service.link_person_to_case(session, ctx, case_id, body.person_id, body.reason)
    return Done(ok=True)


@router.post("/cases/{case_id}/approval", response_model=Done)
def approve_case(case_id: RowId, session: UnitOfWork, ctx: ContextDep) -> Done:
    """A supervisor of the agency, not the opener, makes the case a usable legal basis."""
    service.approve_case(session, ctx, case_id)
    return Done(ok=True)


@router.get("/cases", response_model=list[CaseSummary])
def list_cases(
    session: UnitOfWork, ctx: ContextDep, status: str | None = None
) -> list[CaseSummary]:
    cases = service.list_cases(session, ctx, status)
    active = active_references(session, [service.case_basis(c.id) for c in cases])
    return [
        CaseSummary(
            id=c.id,
            title=c.title,
            status=c.status,
            legal_basis=service.case_basis(c.id),
            basis_active=service.case_basis(c.id) in active and c.status != "closed",
        )
        for c in cases
    ]


@router.get("/cases/{case_id}", response_model=CaseOut)
def read_case(case_id: RowId, session: UnitOfWork, ctx: PurposefulDep) -> CaseOut:
    return CaseOut.model_validate(service.case_view(session, ctx, case_id))


@router.post("/cases/{case_id}/status", response_model=CaseStatusOut)
def set_status(
    case_id: RowId, body: CaseStatusIn, session: UnitOfWork, ctx: ContextDep
) -> CaseStatusOut:
    case = service.set_case_status(session, ctx, case_id, body.status, body.resolution)
    return CaseStatusOut(status=case.status)


@router.post("/cases/{case_id}/notes", status_code=201, response_model=Done)
def add_note(case_id: RowId, body: NoteIn, session: UnitOfWork, ctx: ContextDep) -> Done:
    service.add_case_note(session, ctx, case_id, body.text)
    return Done(ok=True)


@router.post("/cases/{case_id}/tasks", status_code=201, response_model=TaskCreated)
def add_task(case_id: RowId, body: TaskIn, session: UnitOfWork, ctx: ContextDep) -> TaskCreated:
    return TaskCreated(
        id=service.add_case_task(session, ctx, case_id, body.title, body.assignee).id
    )


@router.post("/cases/{case_id}/tasks/{task_id}/done", response_model=Done)
def task_done(case_id: RowId, task_id: RowId, session: UnitOfWork, ctx: ContextDep) -> Done:
    service.complete_task(session, ctx, case_id, task_id)
    return Done(ok=True)


@router.post("/cases/{case_id}/assignees", status_code=201, response_model=Done)
def assign(case_id: RowId, body: AssignIn, session: UnitOfWork, ctx: ContextDep) -> Done:
    service.assign_case(session, ctx, case_id, body.username)
    return Done(ok=True)


@router.post("/cases/{case_id}/clues/{clue_id}", status_code=201, response_model=Done)
def add_clue(case_id: RowId, clue_id: RowId, session: UnitOfWork, ctx: PurposefulDep) -> Done:
    service.add_clue_to_case(session, ctx, case_id, clue_id)
    return Done(ok=True)


@router.get("/cases/{case_id}/graph", response_model=CaseGraphOut)
def case_graph(case_id: RowId, session: UnitOfWork, ctx: PurposefulDep) -> CaseGraphOut:
    return CaseGraphOut.model_validate(links.case_graph(session, ctx, case_id))
