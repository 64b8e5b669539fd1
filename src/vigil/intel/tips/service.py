"""Public tips, the rewards ledger and community volunteers.

An anonymous tip stores no identity, no IP address and no user agent: the service is never
given them (the API passes only the form fields) and the table has no column for them. The
tipster holds a receipt code (192 bits, shown once); only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import h3
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from vigil.governance import audit
from vigil.governance.access import (
    AccessContext,
    Permission,
    Purpose,
    require,
    require_personal_data_access,
    system_context,
)
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule
from vigil.governance.service import get_organisation
from vigil.intel.clues.models import Clue
from vigil.intel.clues.schemas import ClueIn, EntityIn
from vigil.intel.clues.service import create_clue
from vigil.intel.tips.models import Reward, Tip, TipAddendum, Volunteer, VolunteerAssignment
from vigil.intel.tips.schemas import TipIn, TriageIn, VolunteerIn

BLUR_RESOLUTION = 7  # H3 res 7: cells of about 5 km², the published precision
PUBLIC_CTX = system_context(Purpose.SERVICE, "public-tip")


def receipt_digest(receipt: str) -> str:
    return hashlib.sha256(receipt.strip().encode()).hexdigest()


def blur(
    latitude: float, longitude: float, resolution: int = BLUR_RESOLUTION
) -> tuple[str, float, float]:
    """The H3 cell and its centroid: the only location a tip keeps."""
    cell = h3.latlng_to_cell(latitude, longitude, resolution)
    lat, lng = h3.cell_to_latlng(cell)
    return cell, round(lat, 6), round(lng, 6)


@dataclass(frozen=True)
class TipReceipt:
    tip_id: int
    receipt: str  # shown once to the tipster, never stored


def submit_tip(session: Session, data: TipIn) -> TipReceipt:
    if data.anonymous and data.contact:
        raise ValidationFailed(
            "invalid tip", [FieldError("contact", "an anonymous tip takes no contact details")]
        )
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationFailed("invalid tip", [FieldError("longitude", "give both or neither")])
    receipt = secrets.token_urlsafe(24)
    tip = Tip(
        text=data.text,
        category=data.category,
        anonymous=data.anonymous,
        contact=None if data.anonymous else data.contact,
        receipt_hash=receipt_digest(receipt),
    )
    if data.latitude is not None and data.longitude is not None:
        tip.h3_cell, tip.latitude, tip.longitude = blur(data.latitude, data.longitude)
    session.add(tip)
    session.flush()
    audit.record(session, PUBLIC_CTX, Action.COLLECT, "tip", tip.id, detail={"public": True})
    return TipReceipt(tip.id, receipt)


def _tip_by_receipt(session: Session, receipt: str) -> Tip:
    digest = receipt_digest(receipt)
    tip = session.scalar(select(Tip).where(Tip.receipt_hash == digest))
    if tip is None or not hmac.compare_digest(tip.receipt_hash, digest):
        raise NotFound("no tip has this receipt code")
    return tip


def tip_status(session: Session, receipt: str) -> dict[str, object]:
    """What a tipster may know: status, additions and reward state. Nothing else."""
    tip = _tip_by_receipt(session, receipt)
    additions = session.scalars(select(TipAddendum.id).where(TipAddendum.tip_id == tip.id))
    rewards = session.scalars(select(Reward).where(Reward.tip_id == tip.id).order_by(Reward.id))
    return {
        "status": tip.status,
        "received_at": tip.created_at.isoformat(),
        "additions": len(list(additions)),
        "rewards": [
            {"amount_cents": r.amount_cents, "currency": r.currency, "status": r.status}
            for r in rewards
        ],
    }


def add_to_tip(session: Session, receipt: str, text: str) -> None:
    tip = _tip_by_receipt(session, receipt)
    if tip.status == "closed":
        raise Conflict("this tip is closed")
    session.add(TipAddendum(tip_id=tip.id, text=text))
    session.flush()
    audit.record(session, PUBLIC_CTX, Action.ALTER, "tip", tip.id, detail={"addition": True})


def list_tips(
    session: Session, ctx: AccessContext, status: str | None = None
) -> list[dict[str, object]]:
    require_personal_data_access(session, ctx, "tips")
    query = select(Tip).order_by(Tip.id)
    if status:
        query = query.where(Tip.status == status)
    tips = list(session.scalars(query))
    audit.record(session, ctx, Action.CONSULT, "tip", "list", detail={"returned": len(tips)})
    out = []
    for tip in tips:
        additions = session.scalars(
            select(TipAddendum.text).where(TipAddendum.tip_id == tip.id).order_by(TipAddendum.id)
        )
        out.append(
            {
                "id": tip.id,
                "created_at": tip.created_at.isoformat(),
                "text": tip.text,
                "category": tip.category,
                "anonymous": tip.anonymous,
                "contact": tip.contact,
                "status": tip.status,
                "h3_cell": tip.h3_cell,
                "latitude": tip.latitude,
                "longitude": tip.longitude,
                "additions": list(additions),
                "clue_id": tip.clue_id,
            }
        )
    return out


def triage_tip(session: Session, ctx: AccessContext, tip_id: int, data: TriageIn) -> Clue:
    """Turn a tip into a graded clue of the triaging agency."""
    require_personal_data_access(session, ctx, "tips")
    tip = session.get(Tip, tip_id)
    if tip is None:
        raise NotFound(f"tip {tip_id} not found")
    if tip.clue_id is not None:
        raise Conflict(f"tip {tip_id} is already clue {tip.clue_id}")
    additions = session.scalars(
        select(TipAddendum.text).where(TipAddendum.tip_id == tip.id).order_by(TipAddendum.id)
    )
    text = "\n".join([tip.text, *additions])
    entities = list(data.entities)
    if tip.h3_cell and tip.latitude is not None:
        entities.append(
            EntityIn(
                kind="place",
                value=f"h3:{tip.h3_cell}",
                latitude=tip.latitude,
                longitude=tip.longitude,
            )
        )
    clue = create_clue(
        session,
        ctx,
        ClueIn(
            text=text,
            source_type="public_tip",
            grading=data.grading,
            tlp=data.tlp,
            handling=data.handling or "public tip; protect the tipster",
            entities=entities,
        ),
    )
    tip.clue_id = clue.id
    tip.status = "triaged"
    tip.organisation_id = ctx.organisation_id
    audit.record(session, ctx, Action.ALTER, "tip", tip.id, detail={"clue": clue.id})
    return clue


# --- rewards --------------------------------------------------------------------------------


def propose_reward(
    session: Session, ctx: AccessContext, tip_id: int, amount_cents: int, currency: str
) -> Reward:
    require(ctx, Permission.MANAGE_CASES)
    if session.get(Tip, tip_id) is None:
        raise NotFound(f"tip {tip_id} not found")
    reward = Reward(
        tip_id=tip_id,
        amount_cents=amount_cents,
        currency=currency.upper(),
        proposed_by=ctx.principal,
    )
    session.add(reward)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "reward", reward.id, detail={"tip": tip_id})
    return reward


def list_rewards(session: Session, ctx: AccessContext, status: str | None = None) -> list[Reward]:
    """The rewards a supervisor may decide: those for tips their agency took up, or for tips
    no agency has taken up yet. Amounts and proposers only: no tip text, no tipster."""
    require(ctx, Permission.APPROVE)
    query = (
        select(Reward)
        .join(Tip, Tip.id == Reward.tip_id)
        .where((Tip.organisation_id == ctx.organisation_id) | Tip.organisation_id.is_(None))
        .order_by(Reward.id)
    )
    if status:
        query = query.where(Reward.status == status)
    return list(session.scalars(query))


def _reward(session: Session, reward_id: int) -> Reward:
    reward = session.get(Reward, reward_id)
    if reward is None:
        raise NotFound(f"reward {reward_id} not found")
    return reward


def approve_reward(
    session: Session, ctx: AccessContext, reward_id: int, approve: bool = True
) -> Reward:
    """A supervisor, not the proposer, approves (or refuses) a reward."""
    require(ctx, Permission.APPROVE)
    reward = _reward(session, reward_id)
    if reward.proposed_by == ctx.principal:
        raise Forbidden("the proposer may not approve their own reward")
    if reward.status != "proposed":
        raise Conflict(f"reward {reward_id} is {reward.status}")
    reward.status = "approved" if approve else "refused"
    reward.approved_by = ctx.principal
    reward.approved_at = utcnow()
    audit.record(session, ctx, Action.ALTER, "reward", reward.id, detail={"status": reward.status})
    return reward


def pay_reward(session: Session, ctx: AccessContext, reward_id: int, receipt: str) -> Reward:
    """Pay out an approved reward to whoever presents the tip's receipt code."""
    require(ctx, Permission.MANAGE_CASES)
    reward = _reward(session, reward_id)
    if reward.status != "approved" or reward.approved_by is None:
        raise Conflict(f"reward {reward_id} needs a supervisor's approval before payout")
    tip = session.get(Tip, reward.tip_id)
    assert tip is not None
    if not hmac.compare_digest(tip.receipt_hash, receipt_digest(receipt)):
        raise Forbidden("the receipt code does not match this reward's tip")
    reward.status = "paid"
    reward.paid_at = utcnow()
    audit.record(session, ctx, Action.ALTER, "reward", reward.id, detail={"status": "paid"})
    return reward


def purge_expired_tips(session: Session, cutoff: datetime) -> list[int]:
    open_rewards = select(Reward.tip_id).where(Reward.status.in_(("proposed", "approved")))
    stale = list(
        session.scalars(select(Tip.id).where(Tip.created_at < cutoff, Tip.id.not_in(open_rewards)))
    )
    if stale:
        session.execute(delete(Reward).where(Reward.tip_id.in_(stale)))
        session.execute(delete(TipAddendum).where(TipAddendum.tip_id.in_(stale)))
        session.execute(delete(Tip).where(Tip.id.in_(stale)))
    return stale


# Collected by the top floor (`vigil.domains`); importing this module registers nothing.
RETENTION_RULES = (RetentionRule("tip", "delete", purge_expired_tips),)


# --- volunteers -----------------------------------------------------------------------------


def register_volunteer(session: Session, agency_id: int, data: VolunteerIn) -> Volunteer:
    """Public self-registration with an agency."""
    if get_organisation(session, agency_id).kind != "agency":
        raise ValidationFailed("invalid registration", [FieldError("agency_id", "an agency")])
    volunteer = Volunteer(
        organisation_id=agency_id,
        name=data.name,
        contact=data.contact,
        skills=sorted({s.strip().lower() for s in data.skills if s.strip()}),
        availability={"days": data.availability},
    )
    session.add(volunteer)
    session.flush()
    audit.record(session, PUBLIC_CTX, Action.COLLECT, "volunteer", volunteer.id)
    return volunteer


def list_volunteers(
    session: Session, ctx: AccessContext, skill: str | None = None, day: str | None = None
) -> list[Volunteer]:
    require_personal_data_access(session, ctx, "volunteers")
    rows = session.scalars(
        select(Volunteer)
        .where(Volunteer.organisation_id == ctx.organisation_id)
        .order_by(Volunteer.id)
    )
    out = [
        v
        for v in rows
        if (skill is None or skill.lower() in v.skills)
        and (day is None or day.lower() in v.availability.get("days", []))
    ]
    audit.record(session, ctx, Action.CONSULT, "volunteer", "list", detail={"returned": len(out)})
    return out


def assign_volunteer(
    session: Session, ctx: AccessContext, volunteer_id: int, event: str, day: str, skill: str | None
) -> VolunteerAssignment:
    require(ctx, Permission.MANAGE_CASES)
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.organisation_id != ctx.organisation_id:
        raise NotFound(f"volunteer {volunteer_id} not found")
    if day.lower() not in volunteer.availability.get("days", []):
        raise Conflict(f"volunteer {volunteer_id} is not available on {day}")
    if skill and skill.lower() not in volunteer.skills:
        raise Conflict(f"volunteer {volunteer_id} lacks the skill {skill!r}")
    clash = session.scalar(
        select(VolunteerAssignment).where(
            VolunteerAssignment.volunteer_id == volunteer.id, VolunteerAssignment.day == day.lower()
        )
    )
    if clash is not None:
        raise Conflict(f"volunteer {volunteer_id} is already assigned to {clash.event} on {day}")
    assignment = VolunteerAssignment(
        volunteer_id=volunteer.id, event=event, day=day.lower(), assigned_by=ctx.principal
    )
    session.add(assignment)
    session.flush()
    audit.record(session, ctx, Action.ALTER, "volunteer", volunteer.id, detail={"event": event})
    return assignment
