"""Sharing beyond the marking: requests that a supervisor of the originating agency decides."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, UtcDateTime


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
