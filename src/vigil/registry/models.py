"""Persons and their documents. Identity numbers are stored only as a keyed hash (for
linkage) and a ciphertext (revealed only inside an audited read)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vigil.core.clock import utcnow
from vigil.core.db import Base, FiledDate, JsonDoc, UtcDateTime


class Person(Base):
    __tablename__ = "person"
    # blocking for linkage: the name key, then the birth date (migration 0015)
    __table_args__ = (Index("ix_person_name_key_birth_date", "name_key", "birth_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default="")
    # as filed: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (migration 0034)
    birth_date: Mapped[str | None] = mapped_column(FiledDate)
    sex: Mapped[str | None] = mapped_column(String(1))
    nationality: Mapped[str | None] = mapped_column(String(3))
    pseudonymised: Mapped[bool] = mapped_column(default=False)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    documents: Mapped[list[PersonDocument]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonDocument.id"
    )


class PersonDocument(Base):
    __tablename__ = "person_document"
    __table_args__ = (UniqueConstraint("doc_type", "id_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str] = mapped_column(String(20))  # cn_resident_id | passport | other
    issuing_country: Mapped[str | None] = mapped_column(String(3))
    id_hash: Mapped[str] = mapped_column(String(64), index=True)
    id_ciphertext: Mapped[str] = mapped_column(String(400))

    person: Mapped[Person] = relationship(back_populates="documents")


class RegistrationLink(Base):
    """Links one registration (of any sector) to a person, with how and how sure."""

    __tablename__ = "registration_link"
    __table_args__ = (UniqueConstraint("sector", "submission_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sector: Mapped[str] = mapped_column(String(20))
    submission_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0 = main person, then companions
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # id_hash | probabilistic | clerical | new
    confidence: Mapped[float] = mapped_column(default=1.0)
    explanation: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PersonMerge(Base):
    """A merge, with exactly what it moved, so that a split can restore the earlier state."""

    __tablename__ = "person_merge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    absorbed_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    moved_document_ids: Mapped[list[int]] = mapped_column(JsonDoc, default=list)
    moved_link_ids: Mapped[list[int]] = mapped_column(JsonDoc, default=list)
    reason: Mapped[str] = mapped_column(String(400), default="")
    merged_by: Mapped[str] = mapped_column(String(120))
    merged_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    split_by: Mapped[str | None] = mapped_column(String(120))
    split_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReviewItem(Base):
    """A link in the grey zone between the two thresholds, waiting for a clerk."""

    __tablename__ = "review_item"
    # one per registration person: a re-run of the same event queues nothing twice (0017)
    __table_args__ = (UniqueConstraint("sector", "submission_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sector: Mapped[str] = mapped_column(String(20))
    submission_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)  # as in RegistrationLink
    candidate_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    weight: Mapped[float] = mapped_column()
    explanation: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    record: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)  # no plain id numbers
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PersonChange(Base):
    """The change log of persons: one row per person inserted, changed, merged, split or
    pseudonymised, written in the same transaction as the change. In-memory person indexes
    catch up from the last id they saw (migration 0017)."""

    __tablename__ = "person_change"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    person_id: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(20))  # insert | update | merge | split | ...
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
