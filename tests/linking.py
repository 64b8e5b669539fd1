"""Test helpers for person linking: one registration at a time through the live batch path,
and a brute-force oracle for the index's blocking."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from vigil.core.runtime import Runtime
from vigil.governance.access import AccessContext
from vigil.registry import service
from vigil.registry.blocking import Candidate, best_candidate
from vigil.registry.models import Person
from vigil.registry.online import person_index_for
from vigil.registry.service import LinkOutcome, LinkRequest, RegistrationPerson


def link_one(
    runtime: Runtime,
    session: Session,
    ctx: AccessContext,
    sector: str,
    submission_id: int,
    record: RegistrationPerson,
    *,
    position: int = 0,
) -> LinkOutcome:
    """One registration through `link_registrations`, with the runtime's own person index."""
    request = LinkRequest(sector, submission_id, position, record)
    (outcome,) = service.link_registrations(session, ctx, person_index_for(runtime), [request])
    return outcome


def scan_all(session: Session, record: RegistrationPerson) -> Candidate | None:
    """The best candidate among every live person, with no blocking: what blocking must find."""
    persons = session.scalars(
        select(Person)
        .where(Person.merged_into.is_(None))
        .order_by(Person.id)
        .options(selectinload(Person.documents))
    )
    return best_candidate(
        record.name,
        record.birth_date,
        record.doc_type,
        record.id_hash,
        (
            (p.id, p.name, p.birth_date, [(d.doc_type, d.id_hash) for d in p.documents])
            for p in persons
        ),
    )
