"""Case tables: cases, their clues, assignees, tasks and timeline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, UtcDateTime


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
