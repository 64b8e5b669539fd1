"""Persons and their documents. Identity numbers are stored only as a keyed hash (for
linkage) and a ciphertext (revealed only inside an audited read)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vigil.core.clock import utcnow
from vigil.core.db import Base, UtcDateTime


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
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
