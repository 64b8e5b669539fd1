"""Clue tables: clues, their entities and attachments, and what decides who sees a clue:
the grants (`Share`) and the standing agency-to-agency agreements (`Agreement`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, UtcDateTime


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
    # scope: until when, and which data categories it covers ("clues" opens GREEN clues)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["clues"])
    covers_clues: Mapped[bool] = mapped_column(Boolean, default=True)


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
