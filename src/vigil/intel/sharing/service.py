"""Sharing clues within their marking and the agencies' agreements, and asking the
originating agency's supervisor for anything beyond. Plain functions that never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import (
    AccessContext,
    Permission,
    require,
    require_personal_data_access,
)
from vigil.governance.audit import Action
from vigil.governance.models import LegalBasis, Organisation, User
from vigil.intel.clues.models import Agreement, Clue, Share
from vigil.intel.clues.service import user_named
from vigil.intel.clues.visibility import agreement_in_force, clue_facts, get_visible_clue
from vigil.intel.marking import (
    ShareFacts,
    Tlp,
    share_needs_approval,
)
from vigil.intel.sharing.models import ShareRequest


def _org(session: Session, org_id: int) -> Organisation:
    return governance.get_organisation(session, org_id)


AGREEMENT_CATEGORIES = ("clues", "cases", "persons", "registrations", "alerts")


def create_agreement(
    session: Session,
    ctx: AccessContext,
    to_org_id: int,
    purpose: str,
    max_tlp: str,
    *,
    expires_at: datetime | None = None,
    categories: list[str] | None = None,
    case_ids: list[int] | None = None,
) -> Agreement:
    """A supervisor of the sharing agency signs an agreement to share with another agency,
    scoped by expiry (its legal basis ends with it) and data categories."""
    require(ctx, Permission.APPROVE)
    if to_org_id == ctx.organisation_id:
        raise ValidationFailed("invalid agreement", [FieldError("to_org_id", "another agency")])
    if _org(session, to_org_id).kind != "agency":
        raise ValidationFailed("invalid agreement", [FieldError("to_org_id", "not an agency")])
    scope = sorted(set(categories if categories is not None else ["clues"]))
    unknown = [c for c in scope if c not in AGREEMENT_CATEGORIES]
    if unknown or not scope:
        raise ValidationFailed(
            "invalid agreement",
            [FieldError("categories", f"one or more of {', '.join(AGREEMENT_CATEGORIES)}")],
        )
    cases = sorted(set(case_ids or []))
    own_cases = set(
        session.scalars(
            select(LegalBasis.reference).where(
                LegalBasis.kind == "case",
                LegalBasis.organisation_id == ctx.organisation_id,
                LegalBasis.reference.in_([f"case:{c}" for c in cases]),
            )
        )
    )
    foreign = [c for c in cases if f"case:{c}" not in own_cases]
    if foreign:
        raise ValidationFailed(
            "invalid agreement",
            [FieldError("case_ids", f"not cases of your agency: {foreign}")],
        )
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationFailed("invalid agreement", [FieldError("expires_at", "in the future")])
    agreement = Agreement(
        from_org_id=ctx.organisation_id,
        to_org_id=to_org_id,
        purpose=purpose,
        max_tlp=max_tlp,
        expires_at=expires_at,
        categories=scope,
        covers_clues="clues" in scope,
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
        valid_until=expires_at,
        scope={"categories": scope, "cases": cases},
    )
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "sharing_agreement",
        agreement.id,
        detail={
            "to": to_org_id,
            "max_tlp": max_tlp,
            "categories": scope,
            "cases": cases,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return agreement


def _active_agreement(session: Session, from_org: int, to_org: int) -> Agreement | None:
    return session.scalar(
        select(Agreement)
        .where(
            Agreement.from_org_id == from_org,
            Agreement.to_org_id == to_org,
            agreement_in_force(utcnow()),
        )
        .order_by(Agreement.id.desc())
    )


def _recipient(
    session: Session, clue: Clue, recipient_org_id: int | None, recipient_user: str | None
) -> tuple[int, int | None, str]:
    if recipient_user:
        user = user_named(session, recipient_user)
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
    require_personal_data_access(session, ctx, "clues")
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
    require_personal_data_access(session, ctx, "clues")
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
