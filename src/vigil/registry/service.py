"""Person use cases. Every read of a person is a read of personal data: it needs the access
gate, and it is audited in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.core.errors import Conflict, NotFound
from vigil.core.protect import IdentifierVault
from vigil.governance import audit
from vigil.governance.access import AccessContext, Permission, require, require_personal_data_access
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule, register_rule
from vigil.registry.models import Person, PersonDocument
from vigil.registry.schemas import DocumentOut, PersonIn, PersonOut


def create_person(
    session: Session, ctx: AccessContext, vault: IdentifierVault, data: PersonIn
) -> Person:
    require(ctx, Permission.READ_PERSONAL_DATA)
    person = Person(
        name=data.name, birth_date=data.birth_date, sex=data.sex, nationality=data.nationality
    )
    for doc in data.documents:
        protected = vault.protect(doc.number)
        if find_person_by_identifier(session, vault, doc.doc_type, doc.number) is not None:
            raise Conflict(f"a person with this {doc.doc_type} already exists")
        person.documents.append(
            PersonDocument(
                doc_type=doc.doc_type,
                issuing_country=doc.issuing_country,
                id_hash=protected.hash,
                id_ciphertext=protected.ciphertext,
            )
        )
    session.add(person)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "person", person.id)
    return person


def find_person_by_identifier(
    session: Session, vault: IdentifierVault, doc_type: str, number: str
) -> Person | None:
    doc = session.scalar(
        select(PersonDocument).where(
            PersonDocument.doc_type == doc_type, PersonDocument.id_hash == vault.hash(number)
        )
    )
    return doc.person if doc else None


def get_person(
    session: Session, ctx: AccessContext, vault: IdentifierVault, person_id: int
) -> PersonOut:
    """The audited read: checks purpose and legal basis, decrypts, writes one audit entry."""
    require_personal_data_access(session, ctx)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"person {person_id} not found")
    audit.record(session, ctx, Action.CONSULT, "person", person.id)
    return PersonOut(
        id=person.id,
        name=person.name,
        birth_date=person.birth_date,
        sex=person.sex,
        nationality=person.nationality,
        documents=[
            DocumentOut(
                doc_type=d.doc_type,
                issuing_country=d.issuing_country,
                number=vault.reveal(d.id_ciphertext),
            )
            for d in person.documents
        ],
    )


def _pseudonymise_persons(session: Session, cutoff: datetime) -> list[int]:
    """Persons not seen since the cutoff lose name, birth day and documents; the row stays
    so that statistics and audit references still resolve."""
    stale = session.scalars(
        select(Person).where(Person.last_seen_at < cutoff, Person.pseudonymised.is_(False))
    ).all()
    for person in stale:
        person.name = f"person-{person.id}"
        person.name_key = ""
        person.birth_date = person.birth_date.replace(month=1, day=1) if person.birth_date else None
        person.documents.clear()
        person.pseudonymised = True
    session.flush()
    return [p.id for p in stale]


register_rule(RetentionRule("person", "pseudonymise", _pseudonymise_persons))
