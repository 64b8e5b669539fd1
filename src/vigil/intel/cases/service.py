"""Cases of one agency: lifecycle, tasks, assignment, linked clues, and correlation of an
entity across cases. Plain functions `(session, ctx, ...)` that never commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from vigil.core.text import ascii_digits
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import (
    SYSTEM_PRINCIPAL,
    AccessContext,
    Permission,
    Purpose,
    require,
    require_category,
    require_personal_data_access,
)
from vigil.governance.audit import Action
from vigil.governance.models import User
from vigil.intel.cases.models import Case, CaseAssignee, CaseClue, CaseEvent, CaseTask
from vigil.intel.clues.models import Clue, ClueEntity, Entity
from vigil.intel.clues.service import entity_key, user_named
from vigil.intel.clues.visibility import get_visible_clue, visible_clues

CASE_STATUSES = ("new", "triage", "open", "escalated", "closed")


def case_basis(case_id: int) -> str:
    return f"case:{case_id}"


def _event(session: Session, case: Case, ctx: AccessContext, kind: str, text: str = "") -> None:
    session.add(CaseEvent(case_id=case.id, actor=ctx.principal, kind=kind, text=text))


def open_case(
    session: Session,
    ctx: AccessContext,
    title: str,
    *,
    description: str = "",
    opened_from: str = "manual",
    source_ref: str | None = None,
) -> Case:
    """Open a case; the case becomes a registered legal basis for investigation reads, usable
    once a supervisor has opened or approved it (two persons: `approve_case`)."""
    require(ctx, Permission.MANAGE_CASES)
    case = Case(
        organisation_id=ctx.organisation_id,
        title=title,
        description=description,
        opened_from=opened_from,
        source_ref=source_ref,
        created_by=ctx.principal,
        stix_id=f"incident--{uuid.uuid4()}",
    )
    session.add(case)
    session.flush()
    governance.register_legal_basis(
        session,
        ctx,
        case_basis(case.id),
        "case",
        description=title,
        active=opened_by_supervisor(ctx),
    )
    _event(session, case, ctx, "opened", f"opened from {opened_from} {source_ref or ''}".strip())
    audit.record(session, ctx, Action.COLLECT, "case", case.id, detail={"from": opened_from})
    if opened_from == "clue" and source_ref and opened_by_supervisor(ctx):
        _link_source_clue(session, ctx, case)  # else when a supervisor approves the case
    return case


def _link_source_clue(session: Session, ctx: AccessContext, case: Case) -> None:
    if case.opened_from == "clue" and case.source_ref:
        scoped = ctx.with_purpose(Purpose.INVESTIGATION, case_basis(case.id))
        add_clue_to_case(session, scoped, case.id, int(case.source_ref.removeprefix("clue:")))


def get_case(session: Session, ctx: AccessContext, case_id: int) -> Case:
    """Cases are internal to their agency."""
    case = session.get(Case, case_id)
    if case is None or (
        case.organisation_id != ctx.organisation_id and ctx.principal != SYSTEM_PRINCIPAL
    ):
        raise Forbidden(f"case {case_id} does not exist or belongs to another agency")
    return case


def case_clue_ids(session: Session, case_id: int) -> list[int]:
    return list(
        session.scalars(
            select(CaseClue.clue_id).where(CaseClue.case_id == case_id).order_by(CaseClue.clue_id)
        )
    )


def case_view(session: Session, ctx: AccessContext, case_id: int) -> dict[str, object]:
    require_personal_data_access(session, ctx, "cases")
    require_category(session, ctx, "cases")
    case = get_case(session, ctx, case_id)
    linked = case_clue_ids(session, case.id)
    shown = visible_clues(session, ctx, Clue.id.in_(linked), f"case:{case.id}")
    assignees = session.scalars(
        select(User.username)
        .join(CaseAssignee, CaseAssignee.user_id == User.id)
        .where(CaseAssignee.case_id == case.id)
        .order_by(User.username)
    )
    tasks = session.scalars(
        select(CaseTask).where(CaseTask.case_id == case.id).order_by(CaseTask.id)
    )
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    )
    audit.record(session, ctx, Action.CONSULT, "case", case.id)
    return {
        "id": case.id,
        "title": case.title,
        "description": case.description,
        "status": case.status,
        "resolution": case.resolution,
        "opened_from": case.opened_from,
        "source_ref": case.source_ref,
        "legal_basis": case_basis(case.id),
        "assignees": list(assignees),
        "clue_ids": [c.id for c in shown],
        "tasks": [
            {"id": t.id, "title": t.title, "assignee_user_id": t.assignee_user_id, "done": t.done}
            for t in tasks
        ],
        "timeline": [
            {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "text": e.text}
            for e in events
            if _event_visible(e, {c.id for c in shown})
        ],
    }


def _event_visible(event: CaseEvent, visible_clue_ids: set[int]) -> bool:
    """A clue the caller may not see leaves no trace in the timeline either."""
    if event.kind != "clue_added":
        return True
    number = event.text.removeprefix("clue ")
    return ascii_digits(number) and int(number) in visible_clue_ids


def list_cases(session: Session, ctx: AccessContext, status: str | None = None) -> list[Case]:
    require(ctx, Permission.MANAGE_CASES)
    query = select(Case).where(Case.organisation_id == ctx.organisation_id).order_by(Case.id)
    if status:
        query = query.where(Case.status == status)
    return list(session.scalars(query))


_TRANSITIONS = {
    "new": {"triage", "open", "closed"},
    "triage": {"open", "escalated", "closed"},
    "open": {"escalated", "closed"},
    "escalated": {"open", "closed"},
    "closed": set(),
}


def set_case_status(
    session: Session, ctx: AccessContext, case_id: int, status: str, resolution: str | None
) -> Case:
    require(ctx, Permission.MANAGE_CASES)
    case = get_case(session, ctx, case_id)
    if status not in CASE_STATUSES:
        raise ValidationFailed("invalid status", [FieldError("status", ", ".join(CASE_STATUSES))])
    if status not in _TRANSITIONS[case.status]:
        raise Conflict(f"case {case.id} cannot go from {case.status} to {status}")
    if status == "closed":
        if not resolution or not resolution.strip():
            raise ValidationFailed(
                "invalid status", [FieldError("resolution", "a closed case needs a resolution")]
            )
        case.resolution = resolution.strip()
        case.closed_at = utcnow()
        governance.withdraw_legal_basis(session, ctx, case_basis(case.id))
    case.status = status
    _event(session, case, ctx, "status", status + (f": {resolution}" if resolution else ""))
    audit.record(session, ctx, Action.ALTER, "case", case.id, detail={"status": status})
    return case


def add_case_note(session: Session, ctx: AccessContext, case_id: int, text: str) -> None:
    require(ctx, Permission.MANAGE_CASES)
    case = get_case(session, ctx, case_id)
    _event(session, case, ctx, "note", text)
    audit.record(session, ctx, Action.ALTER, "case", case.id, detail={"note": True})


def _staff_of(session: Session, ctx: AccessContext, username: str) -> User:
    user = user_named(session, username)
    if user.organisation_id != ctx.organisation_id:
        raise ValidationFailed("invalid user", [FieldError("username", "not in your agency")])
    return user


def assign_case(session: Session, ctx: AccessContext, case_id: int, username: str) -> None:
    require(ctx, Permission.MANAGE_CASES)
    case = get_case(session, ctx, case_id)
    user = _staff_of(session, ctx, username)
    if session.get(CaseAssignee, (case.id, user.id)) is None:
        session.add(CaseAssignee(case_id=case.id, user_id=user.id))
        _event(session, case, ctx, "assigned", username)
        audit.record(session, ctx, Action.ALTER, "case", case.id, detail={"assigned": user.id})


def add_case_task(
    session: Session, ctx: AccessContext, case_id: int, title: str, assignee: str | None
) -> CaseTask:
    require(ctx, Permission.MANAGE_CASES)
    case = get_case(session, ctx, case_id)
    user_id = _staff_of(session, ctx, assignee).id if assignee else None
    task = CaseTask(case_id=case.id, title=title, assignee_user_id=user_id)
    session.add(task)
    session.flush()
    _event(session, case, ctx, "task", title)
    audit.record(session, ctx, Action.ALTER, "case", case.id, detail={"task": task.id})
    return task


def complete_task(session: Session, ctx: AccessContext, case_id: int, task_id: int) -> None:
    require(ctx, Permission.MANAGE_CASES)
    case = get_case(session, ctx, case_id)
    task = session.get(CaseTask, task_id)
    if task is None or task.case_id != case.id:
        raise NotFound(f"task {task_id} not found in case {case_id}")
    task.done = True
    _event(session, case, ctx, "task_done", task.title)
    audit.record(session, ctx, Action.ALTER, "case", case.id, detail={"task_done": task.id})


def opened_by_supervisor(ctx: AccessContext) -> bool:
    return ctx.principal == SYSTEM_PRINCIPAL or ctx.can(Permission.APPROVE)


def approve_case(session: Session, ctx: AccessContext, case_id: int) -> Case:
    """A supervisor of the case's agency, not its opener, makes it a usable legal basis."""
    require(ctx, Permission.APPROVE)
    case = get_case(session, ctx, case_id)
    if case.status == "closed":
        raise Conflict(f"case {case.id} is closed")
    if case.created_by == ctx.principal:
        raise Forbidden("two-person rule: the opener cannot approve their own case")
    governance.activate_legal_basis(session, ctx, case_basis(case.id))
    _event(session, case, ctx, "approved", "usable as a legal basis")
    audit.record(session, ctx, Action.ALTER, "case", case.id, detail={"approved": True})
    _link_source_clue(session, ctx, case)
    return case


def link_person_to_case(
    session: Session, ctx: AccessContext, case_id: int, person_id: int, reason: str
) -> None:
    """Under its case basis, an investigation reads only the persons linked to the case."""
    require_personal_data_access(session, ctx, "cases")
    case = get_case(session, ctx, case_id)
    if case.status == "closed":
        raise Conflict(f"case {case.id} is closed")
    if ctx.legal_basis != case_basis(case.id):
        raise Forbidden(f"link persons to case {case.id} under its own basis")
    governance.link_subject(session, ctx, case_basis(case.id), "person", person_id, reason)
    _event(session, case, ctx, "person_linked", f"person {person_id}: {reason.strip()[:200]}")


def add_clue_to_case(session: Session, ctx: AccessContext, case_id: int, clue_id: int) -> None:
    require_personal_data_access(session, ctx, "cases")
    case = get_case(session, ctx, case_id)
    if case.status == "closed":
        raise Conflict(f"case {case.id} is closed")
    clue = get_visible_clue(session, ctx, clue_id)
    if session.get(CaseClue, (case.id, clue.id)) is None:
        session.add(CaseClue(case_id=case.id, clue_id=clue.id))
        _event(session, case, ctx, "clue_added", f"clue {clue.id}")
        audit.record(session, ctx, Action.COMBINE, "case", case.id, detail={"clue": clue.id})


@dataclass(frozen=True)
class Correlation:
    kind: str
    value: str
    entity_id: int | None
    clue_ids: list[int]
    case_ids: list[int]

    @property
    def other_cases(self) -> int:
        return len(self.case_ids)


def correlate(
    session: Session, ctx: AccessContext, kind: str, value: str, *, exclude_case: int | None = None
) -> Correlation:
    """ "This phone, vehicle or address also appears in N other cases", counting only the
    clues the caller may see and the caller's own agency's cases."""
    require_personal_data_access(session, ctx, "clues")
    key = entity_key(kind, value)
    entity = session.scalar(select(Entity).where(Entity.kind == kind, Entity.key == key))
    clues = []
    if entity is not None:
        mentions = Clue.id.in_(select(ClueEntity.clue_id).where(ClueEntity.entity_id == entity.id))
        clues = visible_clues(session, ctx, mentions, f"correlate:{entity.id}")
    if entity is None or not clues:
        # an entity that only clues the caller may not see mention is, to the caller, unknown:
        # the same answer and the same audit entry, or the answer would be an existence oracle
        audit.record(session, ctx, Action.CONSULT, "entity", f"{kind}:?", detail={"found": False})
        return Correlation(kind, value, None, [], [])
    clue_ids = [c.id for c in clues]
    case_query = (
        select(Case.id)
        .join(CaseClue, CaseClue.case_id == Case.id)
        .where(CaseClue.clue_id.in_(clue_ids), Case.organisation_id == ctx.organisation_id)
        .distinct()
        .order_by(Case.id)
    )
    case_ids = [c for c in session.scalars(case_query) if c != exclude_case]
    audit.record(
        session,
        ctx,
        Action.COMBINE,
        "entity",
        entity.id,
        detail={"clues": len(clue_ids), "cases": len(case_ids)},
    )
    return Correlation(kind, value, entity.id, clue_ids, case_ids)
