"""Person use cases. Every read of a person is a read of personal data: it needs the access
gate, and it is audited in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, select, text, update
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.db import among, insert_rows
from vigil.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from vigil.core.ids import legacy_cn_id_upgraded
from vigil.core.logging import get_logger
from vigil.core.protect import IdentifierVault
from vigil.core.rekey import RESIDENT_DOC_TYPE, Rekeyed, rekey_hashed
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import (
    AccessContext,
    Permission,
    Purpose,
    basis_kind,
    basis_subjects,
    require,
    require_personal_data_access,
    require_subject_access,
)
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule
from vigil.names import normalise_name
from vigil.registry.blocking import (
    BatchView,
    Candidate,
    KnownPerson,
)
from vigil.registry.models import (
    Person,
    PersonChange,
    PersonDocument,
    PersonMerge,
    RegistrationLink,
    ReviewItem,
)
from vigil.registry.online import OnlinePersonIndex
from vigil.registry.schemas import DocumentOut, PersonIn, PersonOut

log = get_logger("vigil.registry")


class PersonExists(Conflict):
    """A document already on file: the refusal itself tells the caller that person exists, so
    the caller audits it as a consult of that person (in its own transaction)."""

    def __init__(self, doc_type: str, person_id: int) -> None:
        super().__init__(f"a person with this {doc_type} already exists")
        self.person_id = person_id


def create_person(
    session: Session, ctx: AccessContext, vault: IdentifierVault, data: PersonIn
) -> Person:
    require_personal_data_access(session, ctx, "persons")  # a lookup by identity number
    person = Person(
        name=data.name,
        name_key=primary_name_key(data.name),
        birth_date=data.birth_date,
        sex=data.sex,
        nationality=data.nationality,
    )
    for doc in data.documents:
        protected = vault.protect(doc.number)
        known = find_person_by_identifier(session, vault, doc.doc_type, doc.number)
        if known is not None:
            raise PersonExists(doc.doc_type, known.id)
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
    log_person_changes(session, [person.id], "insert")
    audit.record(session, ctx, Action.COLLECT, "person", person.id)
    # collected for a case: the case reads them (a warrant names its own persons)
    if (
        ctx.purpose == Purpose.INVESTIGATION
        and ctx.legal_basis
        and basis_kind(session, ctx) == "case"
    ):
        governance.link_subject(
            session, ctx, ctx.legal_basis, "person", person.id, "registered under this case"
        )
    return person


def persons_holding(session: Session, id_hash: str) -> list[int]:
    """The persons whose resident ID has this keyed hash (the persons a warrant names by it)."""
    return sorted(
        session.scalars(
            select(PersonDocument.person_id).where(
                PersonDocument.doc_type == RESIDENT_DOC_TYPE, PersonDocument.id_hash == id_hash
            )
        ).unique()
    )


def find_person_by_identifier(
    session: Session, vault: IdentifierVault, doc_type: str, number: str
) -> Person | None:
    hashes = [vault.hash(number)]
    if vault.previous is not None:  # a key rotation: the row may not be re-keyed yet
        hashes.append(vault.previous.hash(number))
    doc = session.scalar(
        select(PersonDocument).where(
            PersonDocument.doc_type == doc_type, PersonDocument.id_hash.in_(hashes)
        )
    )
    return doc.person if doc else None


def get_person(
    session: Session, ctx: AccessContext, vault: IdentifierVault, person_id: int
) -> PersonOut:
    """The audited read: checks purpose and legal basis, decrypts, writes one audit entry."""
    require_personal_data_access(session, ctx, "persons")
    require_subject_access(session, ctx, "person", person_id)
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
    """Persons not seen since the cutoff lose name, birth day and month (the year stays) and
    documents; the row stays so that statistics and audit references still resolve."""
    stale = session.scalars(
        select(Person).where(Person.last_seen_at < cutoff, Person.pseudonymised.is_(False))
    ).all()
    for person in stale:
        person.name = f"person-{person.id}"
        person.name_key = ""
        person.birth_date = person.birth_date[:4] if person.birth_date else None  # the year
        person.documents.clear()
        person.pseudonymised = True
    session.flush()
    log_person_changes(session, [p.id for p in stale], "pseudonymise")
    return [p.id for p in stale]


# Collected by the top floor (`vigil.domains`); importing this module registers nothing.
RETENTION_RULES = (RetentionRule("person", "pseudonymise", _pseudonymise_persons),)


# --- Linking registrations to persons ------------------------------------------------------


def primary_name_key(name: str) -> str:
    """One stored blocking key per person: the smallest phonetic key of the name."""
    keys = normalise_name(name).phonetic
    return min(keys) if keys else ""


@dataclass(frozen=True)
class RegistrationPerson:
    """The identity fields of one registration, with the identity number already protected."""

    name: str
    birth_date: str | None = None  # as filed: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
    sex: str | None = None
    nationality: str | None = None
    doc_type: str | None = None
    issuing_country: str | None = None
    id_hash: str | None = None
    id_ciphertext: str | None = None


@dataclass(frozen=True)
class LinkOutcome:
    person_id: int
    method: str
    confidence: float
    review_item_id: int | None = None


def log_person_changes(session: Session, person_ids: Iterable[int], change: str) -> None:
    """Append to the person change log in the caller's transaction (one statement)."""
    now = utcnow()
    rows = [{"person_id": pid, "change": change, "at": now} for pid in person_ids]
    if rows:
        _insert_many(session, PersonChange, rows)


def _insert_many(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    insert_rows(session, model, rows)


# --- Merges, splits and clerical review ----------------------------------------------------


def merge_persons(
    session: Session, ctx: AccessContext, survivor_id: int, absorbed_id: int, reason: str = ""
) -> PersonMerge:
    """Merge `absorbed_id` into `survivor_id`: the basis must cover both persons (a merge
    combines their data), and a merge never widens a basis (`governance.access`)."""
    require(ctx, Permission.READ_PERSONAL_DATA)
    require_personal_data_access(session, ctx, "persons")
    for person_id in (survivor_id, absorbed_id):
        require_subject_access(session, ctx, "person", person_id)
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
    log_person_changes(session, [survivor.id, absorbed.id], "merge")
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
    """Undo a merge exactly: the absorbed person gets back what the merge moved. The basis
    must cover both persons, as for the merge."""
    require(ctx, Permission.READ_PERSONAL_DATA)
    require_personal_data_access(session, ctx, "persons")
    merge = session.get(PersonMerge, merge_id)
    if merge is None:
        raise NotFound(f"merge {merge_id} not found")
    for person_id in (merge.survivor_id, merge.absorbed_id):
        require_subject_access(session, ctx, "person", person_id)
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
    log_person_changes(session, [merge.survivor_id, merge.absorbed_id], "split")
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
    require_personal_data_access(session, ctx, "registrations")
    query = select(ReviewItem).where(ReviewItem.status == "pending")
    confined = basis_subjects(session, ctx, "registration")  # an alert's, a warrant's, a case's
    if confined is not None:
        query = query.where(ReviewItem.submission_id.in_(sorted(confined)))
    items = list(session.scalars(query.order_by(ReviewItem.id).limit(limit)))
    audit.record(
        session, ctx, Action.CONSULT, "review_queue", "pending", detail={"count": len(items)}
    )
    return items


def decide_review(
    session: Session, ctx: AccessContext, item_id: int, same_person: bool
) -> ReviewItem:
    """Accepting merges the provisional new person into the candidate (reversibly)."""
    require(ctx, Permission.READ_PERSONAL_DATA)
    require_personal_data_access(session, ctx, "registrations")
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(f"review item {item_id} not found")
    require_subject_access(session, ctx, "registration", item.submission_id)
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


# --- Linking whole batches (the pipeline's path) ---------------------------------------------


@dataclass(frozen=True)
class LinkRequest:
    """One person of one registration: `position` 0 is the main person, then companions."""

    sector: str
    submission_id: int
    position: int
    person: RegistrationPerson


@dataclass
class _Planned:
    request: LinkRequest
    person_id: int  # negative: a person this batch creates
    method: str
    confidence: float
    explanation: dict[str, Any]
    review: Candidate | None = None


def reserve_ids(session: Session, table: str, count: int) -> list[int]:
    """`count` fresh primary keys of `table`, in one statement, for inserts in bulk that
    need their ids at once. PostgreSQL: from the table's sequence. SQLite: past the largest
    id (the unit of work's `BEGIN IMMEDIATE` holds the only write lock)."""
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        query = text(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :n)"
        )
        return sorted(int(i) for i in session.scalars(query, {"n": count}))
    top = int(session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}")) or 0)
    return list(range(top + 1, top + 1 + count))


def _insert_for(session: Session, table: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def link_registrations(
    session: Session,
    ctx: AccessContext,
    index: OnlinePersonIndex,
    requests: Sequence[LinkRequest],
    *,
    now: datetime | None = None,
    accept_at: float = 0.9,
    review_at: float = 0.6,
    other_hash: Callable[[str], str | None] | None = None,
) -> list[LinkOutcome]:
    """Link a batch of registrations to persons. Exact identity-number hash first, then
    probabilistic: above `accept_at` it links, unless another person is above it too; between
    the thresholds, or with two persons above, it links to a new person and queues the best
    candidate for clerical review; below it creates a new person.

    Works against the in-memory index (caught up from the change log first), not a query
    per record, and the batch sees the persons it creates. Statements sent do not grow with
    the batch: the links already made, then persons, documents, links, review items,
    change-log rows and audit entries, each inserted in bulk. A request already
    linked returns its link and changes nothing (a re-run event does nothing twice).
    During a key rotation `other_hash` gives a record's hash under the other key (from its
    ciphertext), so a person still stored under the previous key is found by number."""
    require(ctx, Permission.READ_PERSONAL_DATA)
    now = now or utcnow()
    if not requests:
        return []
    done = _links_of(session, {(r.sector, r.submission_id, r.position) for r in requests})
    planned: list[_Planned] = []
    outcomes: dict[int, LinkOutcome] = {}
    new_persons: list[KnownPerson] = []
    new_records: dict[int, RegistrationPerson] = {}
    attached: list[tuple[int, RegistrationPerson]] = []
    seen: set[tuple[str, int, int]] = set()
    with index.lock:  # in memory only: no thread waits on the database while holding it
        index.catch_up(session)
        view = BatchView(index.blocks)
        for n, request in enumerate(requests):
            key = (request.sector, request.submission_id, request.position)
            if key in done or key in seen:
                link = done.get(key)
                if link is not None:
                    outcomes[n] = LinkOutcome(link[0], link[1], link[2])
                continue
            seen.add(key)
            plan = _plan(
                view, request, accept_at, review_at, new_persons, new_records, attached, other_hash
            )
            planned.append(plan)
    real = _insert_persons(session, new_persons, new_records, now)
    for provisional in _insert_documents(session, new_persons, new_records, attached, real):
        for p in planned:
            if p.person_id == provisional:  # another worker stored this person first
                p.method, p.explanation, p.review = "id_hash", {"id_number": {"score": 1.0}}, None
    links = _insert_links(session, planned, real, now)
    reviews = _insert_reviews(session, planned, real, review_at)
    seen_before = sorted({p.person_id for p in planned if p.person_id > 0})
    if seen_before:
        # rows locked in id order (PostgreSQL), so two workers never wait on each other crosswise
        in_order = (
            select(Person.id)
            .where(among(session, Person.id, seen_before))
            .order_by(Person.id)
            .with_for_update(key_share=True)
        )
        session.execute(update(Person).where(Person.id.in_(in_order)).values(last_seen_at=now))
    log_person_changes(session, sorted(real.values()), "insert")
    log_person_changes(session, sorted({pid for pid, _ in attached if pid > 0}), "update")
    audit.record_many(
        session,
        ctx,
        [
            audit.EntryIn(
                Action.COMBINE,
                "registration_link",
                link_id,
                detail={
                    "sector": p.request.sector,
                    "submission": p.request.submission_id,
                    "position": p.request.position,
                    "person": real.get(p.person_id, p.person_id),
                    "method": p.method,
                },
            )
            for p, link_id in zip(planned, links, strict=True)
        ],
        at=now,
    )
    by_key = {(p.request.sector, p.request.submission_id, p.request.position): p for p in planned}
    result = []
    for n, request in enumerate(requests):
        if n in outcomes:
            result.append(outcomes[n])
            continue
        p = by_key[(request.sector, request.submission_id, request.position)]
        result.append(
            LinkOutcome(
                real.get(p.person_id, p.person_id),
                p.method,
                p.confidence,
                reviews.get((request.sector, request.submission_id, request.position)),
            )
        )
    return result


def linked_persons(
    session: Session, registrations: Iterable[tuple[str, int, int]]
) -> dict[tuple[str, int, int], int]:
    """The person each (sector, submission id, position) was linked to, for those linked.
    Ids only: no personal data leaves the registry here."""
    return {key: link[0] for key, link in _links_of(session, set(registrations)).items()}


def _links_of(
    session: Session, wanted: set[tuple[str, int, int]]
) -> dict[tuple[str, int, int], tuple[int, str, float]]:
    """(person, method, confidence) of each (sector, submission id, position) linked."""
    if not wanted:
        return {}
    query = select(
        RegistrationLink.sector,
        RegistrationLink.submission_id,
        RegistrationLink.position,
        RegistrationLink.person_id,
        RegistrationLink.method,
        RegistrationLink.confidence,
    ).where(  # the unique (sector, submission_id, position) index answers it
        RegistrationLink.sector.in_(sorted({k[0] for k in wanted})),
        among(session, RegistrationLink.submission_id, sorted({k[1] for k in wanted})),
    )
    return {
        (sector, sid, pos): (int(pid), method, conf)
        for sector, sid, pos, pid, method, conf in session.execute(query)
        if (sector, sid, pos) in wanted
    }


def _plan(
    view: BatchView,
    request: LinkRequest,
    accept_at: float,
    review_at: float,
    new_persons: list[KnownPerson],
    new_records: dict[int, RegistrationPerson],
    attached: list[tuple[int, RegistrationPerson]],
    other_hash: Callable[[str], str | None] | None = None,
) -> _Planned:
    record = request.person
    if record.id_hash and record.doc_type:
        found = view.by_identifier(record.doc_type, record.id_hash)
        if found is None and other_hash is not None and record.id_ciphertext:
            other = other_hash(record.id_ciphertext)
            if other:
                found = view.by_identifier(record.doc_type, other)
        if found is not None:
            return _Planned(request, found, "id_hash", 1.0, {"id_number": {"score": 1.0}})
    candidate = view.candidate(record.name, record.birth_date, record.doc_type, record.id_hash)
    if candidate is not None and candidate.runner_up >= accept_at:
        ambiguous = {
            "score": round(candidate.runner_up, 4),
            "detail": "another person agrees well enough too; a clerk must tell them apart",
        }
        explanation = {**candidate.explanation, "ambiguous": ambiguous}
        candidate = replace(candidate, explanation=explanation)
    elif candidate is not None and candidate.probability >= accept_at:
        survivor = view.survivor(candidate.person_id)
        if record.id_hash and record.id_ciphertext and record.doc_type:
            person = view.get(survivor)
            if person is not None:
                doc = (record.doc_type, record.id_hash)
                view.put(replace(person, documents=[*person.documents, doc]))
                attached.append((survivor, record))
        return _Planned(
            request, survivor, "probabilistic", candidate.probability, candidate.explanation
        )
    provisional = -(len(new_persons) + 1)
    documents = []
    if record.id_hash and record.id_ciphertext and record.doc_type:
        documents.append((record.doc_type, record.id_hash))
    person = KnownPerson(
        provisional, record.name, primary_name_key(record.name), record.birth_date, None, documents
    )
    new_persons.append(person)
    new_records[provisional] = record
    view.put(person)
    review = candidate if candidate is not None and candidate.probability >= review_at else None
    return _Planned(request, provisional, "new", 1.0, {}, review)


def _insert_persons(
    session: Session,
    persons: list[KnownPerson],
    records: dict[int, RegistrationPerson],
    now: datetime,
) -> dict[int, int]:
    """Provisional id → stored id."""
    if not persons:
        return {}
    ids = reserve_ids(session, "person", len(persons))
    rows = [
        {
            "id": i,
            "name": p.name,
            "name_key": p.name_key,
            "birth_date": p.birth_date,
            "sex": records[p.id].sex,
            "nationality": records[p.id].nationality,
            "pseudonymised": False,
            "created_at": now,
            "last_seen_at": now,
        }
        for p, i in zip(persons, ids, strict=True)
    ]
    _insert_many(session, Person, rows)
    return {p.id: i for p, i in zip(persons, ids, strict=True)}


def _insert_documents(
    session: Session,
    persons: list[KnownPerson],
    records: dict[int, RegistrationPerson],
    attached: list[tuple[int, RegistrationPerson]],
    real: dict[int, int],
) -> list[int]:
    """New persons' documents and documents attached to persons found. A document another
    worker stored for a person of its own meanwhile is not stored twice: the person this
    batch made for it gives way to that one (its links follow)."""
    rows = []
    for p in persons:
        record = records[p.id]
        if p.documents:
            rows.append(_document_row(real[p.id], record))
    # a document attached to a person this batch creates goes under that person's real id
    rows += [_document_row(real.get(pid, pid), record) for pid, record in attached]
    if not rows:
        return []
    rows.sort(key=lambda r: (r["doc_type"], r["id_hash"]))  # one lock order for every worker
    statement = (
        _insert_for(session, PersonDocument)
        .on_conflict_do_nothing(index_elements=["doc_type", "id_hash"])
        .returning(PersonDocument.doc_type, PersonDocument.id_hash)
    )
    stored = {tuple(row) for row in session.execute(statement, rows)}
    lost = [r for r in rows if (r["doc_type"], r["id_hash"]) not in stored]
    if not lost:
        return []
    owners = dict(
        ((doc_type, id_hash), pid)
        for doc_type, id_hash, pid in session.execute(
            select(PersonDocument.doc_type, PersonDocument.id_hash, PersonDocument.person_id).where(
                PersonDocument.id_hash.in_([r["id_hash"] for r in lost])
            )
        )
    )
    new_ids = {real[p.id]: p.id for p in persons}
    gone, remapped = [], []
    for row in lost:
        owner = owners.get((row["doc_type"], row["id_hash"]))
        provisional = new_ids.get(row["person_id"])
        if owner is not None and provisional is not None:
            real[provisional] = owner  # links made to the new person go to the stored one
            gone.append(row["person_id"])
            remapped.append(provisional)
    if gone:
        session.execute(delete(Person).where(Person.id.in_(gone)))
    return remapped


def _document_row(person_id: int, record: RegistrationPerson) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "doc_type": record.doc_type,
        "issuing_country": record.issuing_country,
        "id_hash": record.id_hash,
        "id_ciphertext": record.id_ciphertext,
    }


def _insert_links(
    session: Session, planned: list[_Planned], real: dict[int, int], now: datetime
) -> list[int]:
    if not planned:
        return []
    ids = reserve_ids(session, "registration_link", len(planned))
    rows = [
        {
            "id": i,
            "sector": p.request.sector,
            "submission_id": p.request.submission_id,
            "position": p.request.position,
            "person_id": real.get(p.person_id, p.person_id),
            "method": p.method,
            "confidence": p.confidence,
            "explanation": p.explanation,
            "created_at": now,
        }
        for p, i in zip(planned, ids, strict=True)
    ]
    _insert_many(session, RegistrationLink, rows)
    return ids


def _insert_reviews(
    session: Session, planned: list[_Planned], real: dict[int, int], review_at: float
) -> dict[tuple[str, int, int], int]:
    rows = []
    for p in planned:
        if p.review is None:
            continue
        candidate_id = real.get(p.review.person_id, p.review.person_id)
        new_id = real.get(p.person_id, p.person_id)
        if candidate_id == new_id:
            continue  # a concurrent worker's person took both places
        rows.append(
            {
                "sector": p.request.sector,
                "submission_id": p.request.submission_id,
                "position": p.request.position,
                "candidate_person_id": candidate_id,
                "weight": p.review.probability,
                "explanation": p.review.explanation,
                "record": {"new_person_id": new_id},
                "status": "pending",
                "created_at": utcnow(),
            }
        )
    if not rows:
        return {}
    statement = (
        _insert_for(session, ReviewItem)
        .on_conflict_do_nothing(index_elements=["sector", "submission_id", "position"])
        .returning(ReviewItem.id, ReviewItem.sector, ReviewItem.submission_id, ReviewItem.position)
    )
    return {(s, sid, pos): int(i) for i, s, sid, pos in session.execute(statement, rows)}


# --- Key rotation -----------------------------------------------------------------------------


def rekey_documents(session: Session, vault: IdentifierVault, after_id: int, limit: int) -> Rekeyed:
    """Re-key one batch of identity documents (`vigil keys rotate`); the persons changed go
    to the change log, so every person index picks up their new hashes."""
    table = PersonDocument.__table__
    assert isinstance(table, Table)
    kept_legacy: list[str] = []

    def upgrade_unless_filed(value: str) -> str | None:
        """The 18-character form, unless another document holds it already (two persons
        the registry has not merged): that one keeps its legacy form, under the new key."""
        upgraded = legacy_cn_id_upgraded(value)
        if upgraded is None:
            return None
        hashes = [vault.hash(upgraded)]
        if vault.previous is not None:
            hashes.append(vault.previous.hash(upgraded))  # a row not re-keyed yet
        taken = session.scalar(
            select(PersonDocument.person_id).where(
                PersonDocument.doc_type == RESIDENT_DOC_TYPE,
                PersonDocument.id_hash.in_(hashes),
            )
        )
        if taken is None:
            return upgraded
        kept_legacy.append(str(taken))
        return None

    done = rekey_hashed(
        session,
        vault,
        table,
        "id_hash",
        "id_ciphertext",
        after_id,
        limit,
        resident_ids=("doc_type", RESIDENT_DOC_TYPE),
        upgrade=upgrade_unless_filed,
    )
    if kept_legacy:
        log.warning(
            "legacy resident numbers kept: another person holds the 18-character form; "
            "review and merge these persons, then rotate again",
            count=len(kept_legacy),
            holders=kept_legacy[:20],
        )
    if done.ids:
        persons = session.scalars(
            select(PersonDocument.person_id).where(PersonDocument.id.in_(done.ids))
        )
        log_person_changes(session, sorted(set(persons)), "update")
    return done
