"""Intelligence tables: clues and their entities, cases, sharing, tips, rewards, volunteers.

Tips store no identity, IP address or user agent when anonymous: there are no columns for
IP or user agent at all, and `contact` stays NULL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class Clue(Base):
    __tablename__ = "intel_clue"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )  # the originating agency
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    source_type: Mapped[str] = mapped_column(String(20))
    reliability: Mapped[str] = mapped_column(String(1))
    credibility: Mapped[int] = mapped_column(Integer)
    tlp: Mapped[str] = mapped_column(String(12), index=True)
    handling: Mapped[str] = mapped_column(Text, default="")
    stix_id: Mapped[str] = mapped_column(String(80), unique=True)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), nullable=True)


class Entity(Base):
    __tablename__ = "intel_entity"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_intel_entity_kind_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    key: Mapped[str] = mapped_column(String(300))  # normalised value, the linkage key
    label: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)


class ClueEntity(Base):
    __tablename__ = "intel_clue_entity"

    clue_id: Mapped[int] = mapped_column(
        ForeignKey("intel_clue.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("intel_entity.id"), primary_key=True, index=True
    )


class Attachment(Base):
    __tablename__ = "intel_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    clue_id: Mapped[int] = mapped_column(
        ForeignKey("intel_clue.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)


class Agreement(Base):
    """An org-to-org sharing agreement with its purpose, covering markings up to `max_tlp`."""

    __tablename__ = "intel_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    to_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    purpose: Mapped[str] = mapped_column(Text)
    max_tlp: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Share(Base):
    """A grant: the clue is visible to `recipient_org_id`, or (RED) to `recipient_user_id`."""

    __tablename__ = "intel_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    clue_id: Mapped[int] = mapped_column(
        ForeignKey("intel_clue.id", ondelete="CASCADE"), index=True
    )
    recipient_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id"), nullable=True, index=True
    )
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("intel_agreement.id"), nullable=True
    )
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("intel_share_request.id"), nullable=True
    )
    shared_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ShareRequest(Base):
    __tablename__ = "intel_share_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    clue_id: Mapped[int] = mapped_column(
        ForeignKey("intel_clue.id", ondelete="CASCADE"), index=True
    )
    requested_by: Mapped[str] = mapped_column(String(120))
    requester_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    recipient_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Case(Base):
    __tablename__ = "intel_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="new")
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)
    opened_from: Mapped[str] = mapped_column(String(10), default="manual")  # alert|clue|manual
    source_ref: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    stix_id: Mapped[str] = mapped_column(String(80), unique=True)


class CaseClue(Base):
    __tablename__ = "intel_case_clue"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("intel_case.id", ondelete="CASCADE"), primary_key=True
    )
    clue_id: Mapped[int] = mapped_column(
        ForeignKey("intel_clue.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CaseAssignee(Base):
    __tablename__ = "intel_case_assignee"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("intel_case.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)


class CaseTask(Base):
    __tablename__ = "intel_case_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("intel_case.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class CaseEvent(Base):
    """The case timeline: status changes, notes, tasks, clues added."""

    __tablename__ = "intel_case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("intel_case.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")


class Tip(Base):
    __tablename__ = "intel_tip"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40), default="other")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    contact: Mapped[str | None] = mapped_column(Text, nullable=True)  # only if not anonymous
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="received")
    h3_cell: Mapped[str | None] = mapped_column(String(20), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)  # blurred
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)  # blurred
    clue_id: Mapped[int | None] = mapped_column(ForeignKey("intel_clue.id"), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True
    )  # the agency that triaged it


class TipAddendum(Base):
    __tablename__ = "intel_tip_addendum"

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("intel_tip.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class Reward(Base):
    """A rewards ledger entry; for an anonymous tipster it is tied to the tip's receipt code."""

    __tablename__ = "intel_reward"

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("intel_tip.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by: Mapped[str] = mapped_column(String(120))
    approved_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Volunteer(Base):
    __tablename__ = "intel_volunteer"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200))
    skills: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    availability: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class VolunteerAssignment(Base):
    __tablename__ = "intel_volunteer_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("intel_volunteer.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(200))
    day: Mapped[str] = mapped_column(String(10))  # weekday name, e.g. "sat"
    assigned_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
