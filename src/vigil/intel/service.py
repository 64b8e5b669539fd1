"""Clues, cases and sharing. Plain functions `(session, ctx, ...)` that never commit.

Visibility: `marking.may_see` is the one rule. Queries filter with `visible_clue_filter`
(the same rule as SQL) and every row returned is checked again with `may_see`; a test
checks that the two agree on every clue x viewer pair."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from vigil.core.ids import normalise_plate
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import (
    SYSTEM_PRINCIPAL,
    AccessContext,
    Permission,
    Purpose,
    require,
    require_personal_data_access,
)
from vigil.governance.audit import Action
from vigil.governance.models import Organisation, User
from vigil.intel.marking import (
    ClueFacts,
    Decision,
    ShareFacts,
    Tlp,
    ViewerFacts,
    grading,
    may_see,
    parse_grading,
    share_needs_approval,
)
from vigil.intel.models import (
    Agreement,
    Attachment,
    Case,
    CaseAssignee,
    CaseClue,
    CaseEvent,
    CaseTask,
    Clue,
    ClueEntity,
    Entity,
    Share,
    ShareRequest,
)
from vigil.intel.schemas import AttachmentIn, ClueIn, ClueOut, EntityIn, EntityOut

CASE_STATUSES = ("new", "triage", "open", "escalated", "closed")
NOT_AVAILABLE = "clue {id} does not exist or is not shared with you"


# --- visibility ---------------------------------------------------------------------------


def viewer_facts(ctx: AccessContext) -> ViewerFacts:
    return ViewerFacts(
        user_id=ctx.principal_id if ctx.principal.startswith("user:") else -1,
        org_id=ctx.organisation_id,
        may_read_intel=ctx.can(Permission.READ_PERSONAL_DATA),
        is_system=ctx.principal == SYSTEM_PRINCIPAL,
    )


def visible_clue_filter(ctx: AccessContext) -> ColumnElement[bool]:
    """`may_see` as a SQL condition on `Clue` (kept in step by
    test_sql_filter_agrees_with_may_see)."""
    viewer = viewer_facts(ctx)
    if viewer.is_system:
        return Clue.id.is_not(None)
    if not viewer.may_read_intel:
        return Clue.id.is_(None)
    named = exists().where(Share.clue_id == Clue.id, Share.recipient_user_id == viewer.user_id)
    org_share = exists().where(
        Share.clue_id == Clue.id,
        Share.recipient_org_id == viewer.org_id,
        Share.recipient_user_id.is_(None),
    )
    partner = exists().where(
        Agreement.from_org_id == Clue.organisation_id,
        Agreement.to_org_id == viewer.org_id,
        Agreement.active.is_(True),
    )
    return or_(
        and_(Clue.tlp == Tlp.RED.value, named),
        and_(
            Clue.tlp != Tlp.RED.value,
            or_(
                Clue.organisation_id == viewer.org_id,
                org_share,
                Clue.tlp == Tlp.CLEAR.value,
                and_(Clue.tlp == Tlp.GREEN.value, partner),
            ),
        ),
    )


def clue_facts(session: Session, clue: Clue) -> ClueFacts:
    return clues_facts(session, [clue])[clue.id]


def clues_facts(session: Session, clues: Sequence[Clue]) -> dict[int, ClueFacts]:
    """What the marking rule needs to know of each clue, by clue id: its shares and its
    originator's active agreements, read in one query each for all the clues."""
    ids = [clue.id for clue in clues]
    if not ids:
        return {}
    shares: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for clue_id, org_id, user_id in session.execute(
        select(Share.clue_id, Share.recipient_org_id, Share.recipient_user_id).where(
            Share.clue_id.in_(ids)
        )
    ):
        shares[clue_id].append((org_id, user_id))
    partners: dict[int, set[int]] = defaultdict(set)
    originators = {clue.organisation_id for clue in clues}
    for from_org, to_org in session.execute(
        select(Agreement.from_org_id, Agreement.to_org_id).where(
            Agreement.from_org_id.in_(originators), Agreement.active.is_(True)
        )
    ):
        partners[from_org].add(to_org)
    return {
        clue.id: ClueFacts(
            originating_org=clue.organisation_id,
            tlp=Tlp(clue.tlp),
            shared_orgs=frozenset(o for o, u in shares[clue.id] if u is None and o is not None),
            named_recipients=frozenset(u for _, u in shares[clue.id] if u is not None),
            partner_orgs=frozenset(partners[clue.organisation_id]),
        )
        for clue in clues
    }


def decide(session: Session, ctx: AccessContext, clue: Clue) -> Decision:
    return may_see(clue_facts(session, clue), viewer_facts(ctx))


def _audit_withheld(
    session: Session, ctx: AccessContext, what: str, count: int, clue_ids: Sequence[int]
) -> None:
    """Results held back by the marking rule are refused attempts: audit them (how many,
    and the first 100 ids)."""
    if count:
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "clue",
            what,
            outcome="refused",
            detail={"withheld": count, "clue_ids": list(clue_ids)[:100]},
        )


def visible_clues(
    session: Session, ctx: AccessContext, candidates: ColumnElement[bool] | None, what: str
) -> list[Clue]:
    """Clues matching `candidates` that the caller may see; the rest are audited as refused."""
    return [clue for clue, _ in _visible(session, ctx, candidates, what)]


def _visible(
    session: Session,
    ctx: AccessContext,
    candidates: ColumnElement[bool] | None,
    what: str,
    limit: int | None = None,
) -> list[tuple[Clue, Decision]]:
    """The first `limit` (all, if None) clues in id order that match `candidates` and that
    the caller may see, with the rule's decision. Every match held back by the marking rule
    is audited as refused, beyond the page too. The SQL filter picks them and the rule checks
    each again; the two agree (test_sql_filter_agrees_with_may_see), and a clue the rule
    refuses anyway is held back."""
    visible = visible_clue_filter(ctx)
    hidden = or_(~visible, visible.is_(None))
    if candidates is not None:
        hidden = and_(candidates, hidden)
    withheld_count = int(session.scalar(select(func.count()).where(hidden)) or 0)
    withheld = list(session.scalars(select(Clue.id).where(hidden).order_by(Clue.id).limit(100)))
    query = select(Clue).where(visible).order_by(Clue.id)
    if candidates is not None:
        query = query.where(candidates)
    if limit is not None:
        query = query.limit(limit)
    shown: list[tuple[Clue, Decision]] = []
    clues = list(session.scalars(query))
    facts, viewer = clues_facts(session, clues), viewer_facts(ctx)
    for clue in clues:
        decision = may_see(facts[clue.id], viewer)
        if decision:
            shown.append((clue, decision))
        else:
            withheld_count += 1
            withheld.append(clue.id)
    _audit_withheld(session, ctx, what, withheld_count, sorted(withheld))
    return shown


def get_visible_clue(session: Session, ctx: AccessContext, clue_id: int) -> Clue:
    """The clue if the caller may see it; otherwise Forbidden (the same answer whether or not
    it exists, so RED clues leave no trace)."""
    clue = session.get(Clue, clue_id)
    if clue is None or not decide(session, ctx, clue):
        raise Forbidden(NOT_AVAILABLE.format(id=clue_id))
    return clue


# --- entities and clues ---------------------------------------------------------------------


def entity_key(kind: str, value: str) -> str:
    text = " ".join(value.split())
    if kind == "phone":
        digits = re.sub(r"[^\d+]", "", text)
        return digits or text.casefold()
    if kind == "vehicle":
        return normalise_plate(text)
    return text.casefold()


def upsert_entity(session: Session, data: EntityIn) -> Entity:
    key = entity_key(data.kind, data.value)
    entity = session.scalar(select(Entity).where(Entity.kind == data.kind, Entity.key == key))
    if entity is None:
        entity = Entity(
            kind=data.kind,
            key=key,
            label=" ".join(data.value.split()),
            latitude=data.latitude,
            longitude=data.longitude,
        )
        session.add(entity)
        session.flush()
    return entity


def create_clue(
    session: Session,
    ctx: AccessContext,
    data: ClueIn,
    *,
    organisation_id: int | None = None,
    stix_id: str | None = None,
    created_by: str | None = None,
) -> Clue:
    require_personal_data_access(session, ctx)
    reliability, credibility = parse_grading(data.grading)
    clue = Clue(
        organisation_id=organisation_id or ctx.organisation_id,
        created_by=created_by or ctx.principal,
        text=data.text,
        source_type=data.source_type,
        reliability=reliability,
        credibility=credibility,
        tlp=data.tlp,
        handling=data.handling,
        stix_id=stix_id or f"report--{uuid.uuid4()}",
        imported_by=ctx.organisation_id if organisation_id else None,
    )
    session.add(clue)
    session.flush()
    seen: set[int] = set()
    for item in data.entities:
        entity = upsert_entity(session, item)
        if entity.id not in seen:
            seen.add(entity.id)
            session.add(ClueEntity(clue_id=clue.id, entity_id=entity.id))
    for att in data.attachments:
        session.add(
            Attachment(
                clue_id=clue.id,
                sha256=att.sha256,
                filename=att.filename,
                media_type=att.media_type,
                size=att.size,
            )
        )
    if clue.tlp == Tlp.RED.value and ctx.principal.startswith("user:"):
        # The author is the first named recipient of a RED clue.
        session.add(
            Share(
                clue_id=clue.id,
                recipient_org_id=ctx.organisation_id,
                recipient_user_id=ctx.principal_id,
                shared_by=ctx.principal,
            )
        )
    session.flush()
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "clue",
        clue.id,
        detail={"tlp": clue.tlp, "grading": grading(reliability, credibility)},
    )
    return clue


def clue_entities(session: Session, clue_ids: Iterable[int]) -> dict[int, list[Entity]]:
    ids = list(clue_ids)
    out: dict[int, list[Entity]] = defaultdict(list)
    if not ids:
        return out
    rows = session.execute(
        select(ClueEntity.clue_id, Entity)
        .join(Entity, Entity.id == ClueEntity.entity_id)
        .where(ClueEntity.clue_id.in_(ids))
        .order_by(Entity.id)
    ).all()
    for clue_id, entity in rows:
        out[clue_id].append(entity)
    return out


def clue_out(
    session: Session, ctx: AccessContext, clue: Clue, decision: Decision | None = None
) -> ClueOut:
    if decision is None:
        decision = decide(session, ctx, clue)
    return clues_out(session, ctx, [(clue, decision)])[0]


def clues_out(
    session: Session, ctx: AccessContext, decided: Sequence[tuple[Clue, Decision]]
) -> list[ClueOut]:
    """The clues as the API shows them, their entities and attachments read in one query
    each."""
    ids = [clue.id for clue, _ in decided]
    entities = clue_entities(session, ids)
    attachments: dict[int, list[Attachment]] = defaultdict(list)
    if ids:
        for a in session.scalars(
            select(Attachment).where(Attachment.clue_id.in_(ids)).order_by(Attachment.id)
        ):
            attachments[a.clue_id].append(a)
    return [
        ClueOut(
            id=clue.id,
            organisation_id=clue.organisation_id,
            created_at=clue.created_at,
            text=clue.text,
            source_type=clue.source_type,
            grading=grading(clue.reliability, clue.credibility),
            tlp=clue.tlp,
            handling=clue.handling,
            entities=[
                EntityOut(id=e.id, kind=e.kind, key=e.key, label=e.label) for e in entities[clue.id]
            ],
            attachments=[
                AttachmentIn(
                    sha256=a.sha256, filename=a.filename, media_type=a.media_type, size=a.size
                )
                for a in attachments[clue.id]
            ],
            visible_because=decision.reason,
        )
        for clue, decision in decided
    ]


def read_clue(session: Session, ctx: AccessContext, clue_id: int) -> ClueOut:
    require_personal_data_access(session, ctx)
    clue = get_visible_clue(session, ctx, clue_id)
    audit.record(session, ctx, Action.CONSULT, "clue", clue.id)
    return clue_out(session, ctx, clue)


def search_clues(
    session: Session,
    ctx: AccessContext,
    *,
    text: str | None = None,
    entity_kind: str | None = None,
    entity_value: str | None = None,
    tlp: str | None = None,
    limit: int = 100,
) -> list[ClueOut]:
    require_personal_data_access(session, ctx)
    conditions: list[ColumnElement[bool]] = []
    if text:
        # the words as typed: "%" and "_" in them are not wildcards
        conditions.append(Clue.text.icontains(text, autoescape=True))
    if tlp:
        conditions.append(Clue.tlp == tlp)
    if entity_kind and entity_value:
        key = entity_key(entity_kind, entity_value)
        conditions.append(
            Clue.id.in_(
                select(ClueEntity.clue_id)
                .join(Entity, Entity.id == ClueEntity.entity_id)
                .where(Entity.kind == entity_kind, Entity.key == key)
            )
        )
    candidates = and_(*conditions) if conditions else None
    found = _visible(session, ctx, candidates, "search", limit=min(limit, 1000))
    audit.record(session, ctx, Action.CONSULT, "clue", "search", detail={"returned": len(found)})
    return clues_out(session, ctx, found)


# --- correlation ----------------------------------------------------------------------------


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
    require_personal_data_access(session, ctx)
    key = entity_key(kind, value)
    entity = session.scalar(select(Entity).where(Entity.kind == kind, Entity.key == key))
    if entity is None:
        audit.record(session, ctx, Action.CONSULT, "entity", f"{kind}:?", detail={"found": False})
        return Correlation(kind, value, None, [], [])
    mentions = Clue.id.in_(select(ClueEntity.clue_id).where(ClueEntity.entity_id == entity.id))
    clues = visible_clues(session, ctx, mentions, f"correlate:{entity.id}")
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


# --- sharing --------------------------------------------------------------------------------


def _org(session: Session, org_id: int) -> Organisation:
    return governance.get_organisation(session, org_id)


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"user {username!r} not found")
    return user


def create_agreement(
    session: Session, ctx: AccessContext, to_org_id: int, purpose: str, max_tlp: str
) -> Agreement:
    """A supervisor of the sharing agency signs an agreement to share with another agency."""
    require(ctx, Permission.APPROVE)
    if to_org_id == ctx.organisation_id:
        raise ValidationFailed("invalid agreement", [FieldError("to_org_id", "another agency")])
    if _org(session, to_org_id).kind != "agency":
        raise ValidationFailed("invalid agreement", [FieldError("to_org_id", "not an agency")])
    agreement = Agreement(
        from_org_id=ctx.organisation_id, to_org_id=to_org_id, purpose=purpose, max_tlp=max_tlp
    )
    session.add(agreement)
    session.flush()
    governance.register_legal_basis(
        session,
        ctx,
        f"agreement:{agreement.id}",
        "agreement",
        description=purpose[:200],
        parties=[to_org_id],
    )
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "sharing_agreement",
        agreement.id,
        detail={"to": to_org_id, "max_tlp": max_tlp},
    )
    return agreement


def _active_agreement(session: Session, from_org: int, to_org: int) -> Agreement | None:
    return session.scalar(
        select(Agreement)
        .where(
            Agreement.from_org_id == from_org,
            Agreement.to_org_id == to_org,
            Agreement.active.is_(True),
        )
        .order_by(Agreement.id.desc())
    )


def _recipient(
    session: Session, clue: Clue, recipient_org_id: int | None, recipient_user: str | None
) -> tuple[int, int | None, str]:
    if recipient_user:
        user = _user(session, recipient_user)
        if recipient_org_id is not None and recipient_org_id != user.organisation_id:
            raise ValidationFailed(
                "invalid recipient", [FieldError("recipient_org_id", "not the user's agency")]
            )
        org = _org(session, user.organisation_id)
        if org.kind != "agency":
            raise ValidationFailed("invalid recipient", [FieldError("recipient_user", "staff")])
        return user.organisation_id, user.id, f"user:{user.username}@{org.name}"
    if recipient_org_id is None:
        raise ValidationFailed(
            "invalid recipient", [FieldError("recipient_org_id", "an agency or a user is needed")]
        )
    org = _org(session, recipient_org_id)
    if org.kind != "agency":
        raise ValidationFailed("invalid recipient", [FieldError("recipient_org_id", "agency")])
    return org.id, None, f"org:{org.name}"


def recipient_label(
    session: Session, recipient_org_id: int | None, recipient_user: str | None
) -> str:
    """For refusal audits: a readable recipient, whatever went wrong."""
    if recipient_user:
        return f"user:{recipient_user}"
    if recipient_org_id is not None:
        org = session.get(Organisation, recipient_org_id)
        return f"org:{org.name if org else recipient_org_id}"
    return "unknown"


def share_clue(
    session: Session,
    ctx: AccessContext,
    clue_id: int,
    recipient_org_id: int | None,
    recipient_user: str | None,
) -> Share:
    """Share within the marking and the agreements; anything beyond needs a share request."""
    require_personal_data_access(session, ctx)
    clue = get_visible_clue(session, ctx, clue_id)
    org_id, user_id, label = _recipient(session, clue, recipient_org_id, recipient_user)
    agreement = _active_agreement(session, clue.organisation_id, org_id)
    if Tlp(clue.tlp) != Tlp.RED:
        user_id = None  # below RED a grant is to the whole agency
    facts = ShareFacts(
        clue=clue_facts(session, clue),
        actor_org=ctx.organisation_id,
        actor_user=ctx.principal_id,
        recipient_org=org_id,
        recipient_user=user_id,
        agreement_max_tlp=Tlp(agreement.max_tlp) if agreement else None,
    )
    verdict = share_needs_approval(facts)
    if not verdict:
        raise Forbidden(f"sharing refused: {verdict.reason}; ask the originator's approval")
    share = Share(
        clue_id=clue.id,
        recipient_org_id=org_id,
        recipient_user_id=user_id,
        agreement_id=agreement.id if agreement else None,
        shared_by=ctx.principal,
    )
    session.add(share)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.DISCLOSE,
        "clue",
        clue.id,
        recipient=label,
        detail={"tlp": clue.tlp, "basis": verdict.reason},
    )
    return share


def request_share(
    session: Session,
    ctx: AccessContext,
    clue_id: int,
    recipient_org_id: int | None,
    recipient_user: str | None,
    reason: str,
) -> ShareRequest:
    require_personal_data_access(session, ctx)
    clue = get_visible_clue(session, ctx, clue_id)
    org_id, user_id, label = _recipient(session, clue, recipient_org_id, recipient_user)
    if Tlp(clue.tlp) == Tlp.RED and user_id is None:
        raise ValidationFailed(
            "invalid request", [FieldError("recipient_user", "TLP:RED goes to named people")]
        )
    if not reason.strip():
        raise ValidationFailed("invalid request", [FieldError("reason", "say why")])
    req = ShareRequest(
        clue_id=clue.id,
        requested_by=ctx.principal,
        requester_org_id=ctx.organisation_id,
        recipient_org_id=org_id,
        recipient_user_id=user_id if Tlp(clue.tlp) == Tlp.RED else None,
        reason=reason,
    )
    session.add(req)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "share_request", req.id, detail={"recipient": label})
    return req


def pending_share_requests(session: Session, ctx: AccessContext) -> list[ShareRequest]:
    """The requests a supervisor of the originating agency may decide."""
    require(ctx, Permission.APPROVE)
    return list(
        session.scalars(
            select(ShareRequest)
            .join(Clue, Clue.id == ShareRequest.clue_id)
            .where(Clue.organisation_id == ctx.organisation_id, ShareRequest.status == "pending")
            .order_by(ShareRequest.id)
        )
    )


def decide_share_request(
    session: Session, ctx: AccessContext, request_id: int, approve: bool
) -> ShareRequest:
    """Only a supervisor of the originating agency approves sharing beyond the marking."""
    require(ctx, Permission.APPROVE)
    req = session.get(ShareRequest, request_id)
    if req is None:
        raise NotFound(f"share request {request_id} not found")
    clue = session.get(Clue, req.clue_id)
    assert clue is not None
    if clue.organisation_id != ctx.organisation_id:
        raise Forbidden("only the originating agency decides on sharing its clues")
    if req.status != "pending":
        raise Conflict(f"share request {request_id} is already {req.status}")
    req.status = "approved" if approve else "refused"
    req.decided_by = ctx.principal
    req.decided_at = utcnow()
    label = recipient_label(session, req.recipient_org_id, None)
    if req.recipient_user_id is not None:
        user = session.get(User, req.recipient_user_id)
        label = f"user:{user.username if user else req.recipient_user_id}"
    if approve:
        session.add(
            Share(
                clue_id=clue.id,
                recipient_org_id=req.recipient_org_id,
                recipient_user_id=req.recipient_user_id,
                request_id=req.id,
                shared_by=ctx.principal,
            )
        )
        session.flush()
    audit.record(
        session,
        ctx,
        Action.DISCLOSE,
        "clue",
        clue.id,
        recipient=label,
        outcome="ok" if approve else "refused",
        detail={"share_request": req.id, "approved": approve},
    )
    return req


# --- cases ----------------------------------------------------------------------------------


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
    """Open a case; the case becomes a registered legal basis for investigation reads."""
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
    governance.register_legal_basis(session, ctx, case_basis(case.id), "case", description=title)
    _event(session, case, ctx, "opened", f"opened from {opened_from} {source_ref or ''}".strip())
    audit.record(session, ctx, Action.COLLECT, "case", case.id, detail={"from": opened_from})
    if opened_from == "clue" and source_ref:
        scoped = ctx.with_purpose(Purpose.INVESTIGATION, case_basis(case.id))
        add_clue_to_case(session, scoped, case.id, int(source_ref.removeprefix("clue:")))
    return case


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
    require_personal_data_access(session, ctx)
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
        ],
    }


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
    user = _user(session, username)
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


def add_clue_to_case(session: Session, ctx: AccessContext, case_id: int, clue_id: int) -> None:
    require_personal_data_access(session, ctx)
    case = get_case(session, ctx, case_id)
    if case.status == "closed":
        raise Conflict(f"case {case.id} is closed")
    clue = get_visible_clue(session, ctx, clue_id)
    if session.get(CaseClue, (case.id, clue.id)) is None:
        session.add(CaseClue(case_id=case.id, clue_id=clue.id))
        _event(session, case, ctx, "clue_added", f"clue {clue.id}")
        audit.record(session, ctx, Action.COMBINE, "case", case.id, detail={"clue": clue.id})
