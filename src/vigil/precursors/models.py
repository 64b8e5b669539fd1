"""The precursor catalogue's versions: every addition or change is a new row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class PrecursorSubstanceRow(Base):
    """One version of one substance; `version` grows with every addition or change."""

    __tablename__ = "precursor_substance"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    substance_id: Mapped[str] = mapped_column(String(60), index=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    cas: Mapped[str] = mapped_column(String(12))
    synonyms: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    lists: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    restricted_above_pct: Mapped[float | None] = mapped_column(Float)
    licence_upper_pct: Mapped[float | None] = mapped_column(Float)
    cumulative_pure_kg: Mapped[float | None] = mapped_column(Float)
    large_quantity_kg: Mapped[float | None] = mapped_column(Float)
    mixture_role: Mapped[str] = mapped_column(String(10), default="")
    verification: Mapped[str] = mapped_column(Text, default="")
    withdrawn: Mapped[bool] = mapped_column(default=False)
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    extra: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
