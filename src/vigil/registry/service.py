"""Person use cases. Every read of a person is a read of personal data: it needs the access
gate, and it is audited in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from vigil.core.clock import utcnow
from vigil.core.dates import typo_neighbours
from vigil.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from vigil.core.protect import IdentifierVault
from vigil.governance import audit
from vigil.governance.access import AccessContext, Permission, require, require_personal_data_access
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule, register_rule
from vigil.registry.models import Person, PersonDocument, PersonMerge, RegistrationLink, ReviewItem
from vigil.registry.names import name_similarity, normalise_name
from vigil.registry.schemas import DocumentOut, PersonIn, PersonOut


def create_person(
    session: Session, ctx: AccessContext, vault: IdentifierVault, data: PersonIn
) -> Person:
    require(ctx, Permission.READ_PERSONAL_DATA)
    person = Person(
        name=data.name,
        name_key=primary_name_key(data.name),
        birth_date=data.birth_date,
        sex=data.sex,
        nationality=data.nationality,
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


# --- Linking registrations to persons ------------------------------------------------------


def primary_name_key(name: str) -> str:
    """One stored blocking key per person: the smallest phonetic key of the name."""
    keys = normalise_name(name).phonetic
    return min(keys) if keys else ""


@dataclass(frozen=True)
class RegistrationPerson:
    """The identity fields of one registration, with the identity number already protected."""

    name: str
    birth_date: date | None = None
    sex: str | None = None
    nationality: str | None = None
    doc_type: str | None = None
    issuing_country: str | None = None
    id_hash: str | None = None
    id_ciphertext: str | None = None


@dataclass(frozen=True)
class Candidate:
    person_id: int
    probability: float
    explanation: dict[str, Any]
    runner_up: float = 0.0  # the next best person's probability (another who agrees as well)


# Finds the best existing person for a record without an exact identity-number hit.
CandidateFinder = Callable[[Session, RegistrationPerson], Candidate | None]


@dataclass(frozen=True)
class LinkOutcome:
    person_id: int
    method: str
    confidence: float
    review_item_id: int | None = None


# Persons compared with one registration at most. With a birth date, blocking keeps only
# namesakes born that day, a digit from it or on an unknown day; without one, a common name
# could still bring thousands, and a name alone can only queue a review (see `_birth_agreement`).
MAX_CANDIDATES = 200


def _one_digit_away(born: date) -> list[date]:
    """The real dates whose "YYYYMMDD" differs from `born`'s in exactly one digit."""
    near = []
    for digits in typo_neighbours(born.strftime("%Y%m%d"), "digit"):
        try:
            near.append(date(int(digits[:4]), int(digits[4:6]), int(digits[6:])))
        except ValueError:
            continue
    return near


def db_candidate_finder(session: Session, record: RegistrationPerson) -> Candidate | None:
    """Blocking on the stored name key and the birth date (the same day, a day one digit
    away, or an unknown one: no other can reach the review threshold), scoring on name
    similarity and birth date."""
    keys = sorted(normalise_name(record.name).phonetic)
    if not keys:
        return None
    query = select(Person).where(Person.name_key.in_(keys), Person.merged_into.is_(None))
    if record.birth_date is not None:
        born = [record.birth_date, *_one_digit_away(record.birth_date)]
        query = query.where(or_(Person.birth_date.in_(born), Person.birth_date.is_(None)))
    query = query.order_by(Person.id).limit(MAX_CANDIDATES).options(selectinload(Person.documents))
    best: Candidate | None = None
    runner_up = 0.0
    record_keys = normalise_name(record.name)
    for person in session.scalars(query):
        if _different_document(person, record):
            continue  # two valid numbers of one document type: two people, however alike
        name_score = name_similarity(record_keys, normalise_name(person.name))
        birth = _birth_agreement(record.birth_date, person.birth_date)
        probability = name_score * birth
        if best is None or probability > best.probability:
            runner_up = best.probability if best is not None else 0.0
            best = Candidate(
                person.id,
                probability,
                {"name": {"score": round(name_score, 4)}, "birth_date": {"score": birth}},
            )
        else:
            runner_up = max(runner_up, probability)
    return None if best is None else replace(best, runner_up=runner_up)


def _different_document(person: Person, record: RegistrationPerson) -> bool:
    if not (record.id_hash and record.doc_type):
        return False
    return any(
        d.doc_type == record.doc_type and d.id_hash != record.id_hash for d in person.documents
    )


def _birth_agreement(a: date | None, b: date | None) -> float:
    if a is None or b is None:
        return 0.6
    if a == b:
        return 1.0
    digits_a, digits_b = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    if sum(x != y for x, y in zip(digits_a, digits_b, strict=True)) == 1:
        return 0.8
    return 0.05


def _new_person(session: Session, record: RegistrationPerson) -> Person:
    person = Person(
        name=record.name,
        name_key=primary_name_key(record.name),
        birth_date=record.birth_date,
        sex=record.sex,
        nationality=record.nationality,
    )
    _attach_document(person, record)
    session.add(person)
    session.flush()
    return person


def _attach_document(person: Person, record: RegistrationPerson) -> None:
    """Give the person the record's (already protected) document, if it has one."""
    if record.id_hash and record.id_ciphertext and record.doc_type:
        person.documents.append(
            PersonDocument(
                doc_type=record.doc_type,
                issuing_country=record.issuing_country,
                id_hash=record.id_hash,
                id_ciphertext=record.id_ciphertext,
            )
        )


def link_registration(
    session: Session,
    ctx: AccessContext,
    sector: str,
    submission_id: int,
    record: RegistrationPerson,
    *,
    position: int = 0,
    find_candidate: CandidateFinder = db_candidate_finder,
    accept_at: float = 0.9,
    review_at: float = 0.6,
) -> LinkOutcome:
    """Resolve one registration: exact identity-number hash first, then probabilistic. Above
    `accept_at` it links, unless another person is above it too; between the thresholds, or
    with two persons above, it links to a new person and queues the best candidate for
    clerical review; below it creates a new person."""
    existing = session.scalar(
        select(RegistrationLink).where(
            RegistrationLink.sector == sector,
            RegistrationLink.submission_id == submission_id,
            RegistrationLink.position == position,
        )
    )
    if existing is not None:
        return LinkOutcome(existing.person_id, existing.method, existing.confidence)
    person: Person | None = None
    if record.id_hash and record.doc_type:
        doc = session.scalar(
            select(PersonDocument).where(
                PersonDocument.doc_type == record.doc_type, PersonDocument.id_hash == record.id_hash
            )
        )
        person = _survivor(session, doc.person) if doc else None
    if person is not None:
        return _link(
            session,
            ctx,
            sector,
            submission_id,
            position,
            person,
            "id_hash",
            1.0,
            {"id_number": {"score": 1.0}},
        )
    candidate = find_candidate(session, record)
    if candidate is not None and candidate.runner_up >= accept_at:
        # two or more persons agree well enough to link: which one is a clerk's call
        ambiguous = {
            "score": round(candidate.runner_up, 4),
            "detail": "another person agrees well enough too; a clerk must tell them apart",
        }
        explanation = {**candidate.explanation, "ambiguous": ambiguous}
        candidate = replace(candidate, explanation=explanation)
    elif candidate is not None and candidate.probability >= accept_at:
        survivor = _survivor(session, session.get_one(Person, candidate.person_id))
        _attach_document(survivor, record)
        return _link(
            session,
            ctx,
            sector,
            submission_id,
            position,
            survivor,
            "probabilistic",
            candidate.probability,
            candidate.explanation,
        )
    person = _new_person(session, record)
    outcome = _link(session, ctx, sector, submission_id, position, person, "new", 1.0, {})
    if candidate is not None and candidate.probability >= review_at:
        item = ReviewItem(
            sector=sector,
            submission_id=submission_id,
            candidate_person_id=candidate.person_id,
            weight=candidate.probability,
            explanation=candidate.explanation,
            record={"new_person_id": person.id},
        )
        session.add(item)
        session.flush()
        return LinkOutcome(outcome.person_id, outcome.method, outcome.confidence, item.id)
    return outcome


def _survivor(session: Session, person: Person) -> Person:
    while person.merged_into is not None:
        person = session.get_one(Person, person.merged_into)
    return person


def _link(
    session: Session,
    ctx: AccessContext,
    sector: str,
    submission_id: int,
    position: int,
    person: Person,
    method: str,
    confidence: float,
    explanation: dict[str, Any],
) -> LinkOutcome:
    person.last_seen_at = utcnow()
    link = RegistrationLink(
        sector=sector,
        submission_id=submission_id,
        position=position,
        person_id=person.id,
        method=method,
        confidence=confidence,
        explanation=explanation,
    )
    session.add(link)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.COMBINE,
        "registration_link",
        link.id,
        detail={
            "sector": sector,
            "submission": submission_id,
            "person": person.id,
            "method": method,
        },
    )
    return LinkOutcome(person.id, method, confidence)


# --- Merges, splits and clerical review ----------------------------------------------------


def merge_persons(
    session: Session, ctx: AccessContext, survivor_id: int, absorbed_id: int, reason: str = ""
) -> PersonMerge:
    require(ctx, Permission.READ_PERSONAL_DATA)
    if survivor_id == absorbed_id:
        raise ValidationFailed(
            "cannot merge", [FieldError("absorbed_id", "must differ from survivor_id")]
        )
    survivor = session.get(Person, survivor_id)
    absorbed = session.get(Person, absorbed_id)
    if survivor is None or absorbed is None:
        raise NotFound("both persons must exist")
    if survivor.merged_into is not None or absorbed.merged_into is not None:
        raise Conflict("a person that was merged away cannot take part in another merge")
    documents = list(absorbed.documents)
    links = list(
        session.scalars(select(RegistrationLink).where(RegistrationLink.person_id == absorbed.id))
    )
    for doc in documents:
        doc.person_id = survivor.id
    for link in links:
        link.person_id = survivor.id
    absorbed.merged_into = survivor.id
    merge = PersonMerge(
        survivor_id=survivor.id,
        absorbed_id=absorbed.id,
        moved_document_ids=[d.id for d in documents],
        moved_link_ids=[link.id for link in links],
        reason=reason,
        merged_by=ctx.principal,
    )
    session.add(merge)
    session.flush()
    session.expire_all()
    audit.record(
        session,
        ctx,
        Action.COMBINE,
        "person",
        survivor.id,
        detail={
            "merge": merge.id,
            "absorbed": absorbed_id,
            "documents": len(documents),
            "links": len(links),
        },
    )
    return merge


def split_merge(session: Session, ctx: AccessContext, merge_id: int) -> PersonMerge:
    """Undo a merge exactly: the absorbed person gets back what the merge moved."""
    require(ctx, Permission.READ_PERSONAL_DATA)
    merge = session.get(PersonMerge, merge_id)
    if merge is None:
        raise NotFound(f"merge {merge_id} not found")
    if merge.split_at is not None:
        raise Conflict(f"merge {merge_id} was already split")
    later = session.scalar(
        select(PersonMerge).where(
            PersonMerge.id > merge.id,
            PersonMerge.split_at.is_(None),
            PersonMerge.absorbed_id == merge.survivor_id,
        )
    )
    if later is not None:
        raise Conflict(f"split merge {later.id} first: it absorbed this merge's survivor")
    for doc in session.scalars(
        select(PersonDocument).where(PersonDocument.id.in_(merge.moved_document_ids))
    ):
        doc.person_id = merge.absorbed_id
    for link in session.scalars(
        select(RegistrationLink).where(RegistrationLink.id.in_(merge.moved_link_ids))
    ):
        link.person_id = merge.absorbed_id
    absorbed = session.get_one(Person, merge.absorbed_id)
    absorbed.merged_into = None
    merge.split_by = ctx.principal
    merge.split_at = utcnow()
    session.flush()
    session.expire_all()
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "person",
        merge.survivor_id,
        detail={"split_of_merge": merge.id, "restored": merge.absorbed_id},
    )
    return merge


def review_queue(session: Session, ctx: AccessContext, limit: int = 100) -> list[ReviewItem]:
    require_personal_data_access(session, ctx)
    items = list(
        session.scalars(
            select(ReviewItem)
            .where(ReviewItem.status == "pending")
            .order_by(ReviewItem.id)
            .limit(limit)
        )
    )
    audit.record(
        session, ctx, Action.CONSULT, "review_queue", "pending", detail={"count": len(items)}
    )
    return items


def decide_review(
    session: Session, ctx: AccessContext, item_id: int, same_person: bool
) -> ReviewItem:
    """Accepting merges the provisional new person into the candidate (reversibly)."""
    require(ctx, Permission.READ_PERSONAL_DATA)
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(f"review item {item_id} not found")
    if item.status != "pending":
        raise Conflict(f"review item {item_id} was already decided")
    item.status = "accepted" if same_person else "rejected"
    item.decided_by = ctx.principal
    item.decided_at = utcnow()
    if same_person:
        merge_persons(
            session,
            ctx,
            item.candidate_person_id,
            int(item.record["new_person_id"]),
            f"review {item.id}",
        )
    audit.record(session, ctx, Action.ALTER, "review_item", item.id, detail={"status": item.status})
    return item
