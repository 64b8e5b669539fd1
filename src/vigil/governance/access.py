"""Who is asking, why, and on what legal basis. Every service call that returns or changes
personal data takes an `AccessContext`; `require_personal_data_access` is the gate."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import column, or_, select, table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.db import JsonDoc
from vigil.core.errors import Forbidden, MissingLegalBasis
from vigil.core.text import ascii_digits
from vigil.governance.models import BasisSubject, EmergencyReview, LegalBasis
from vigil.governance.roles import Purpose, Role


class Permission(StrEnum):
    READ_PERSONAL_DATA = "personal_data.read"
    READ_AUDIT = "audit.read"
    READ_OVERSIGHT = "oversight.read"
    MANAGE_ORGANISATIONS = "org.manage"
    MANAGE_USERS = "user.manage"
    MANAGE_API_KEYS = "apikey.manage"
    SUBMIT_RECORDS = "intake.submit"
    READ_OWN_SUBMISSIONS = "intake.read_own"
    READ_COMPLIANCE = "compliance.read"
    EDIT_WATCHLIST = "watchlist.edit"
    APPROVE = "supervisor.approve"
    WORK_ALERTS = "alert.work"
    MANAGE_CASES = "case.manage"
    ANALYSE = "analytics.run"
    RUN_RETENTION = "retention.run"
    CONFIGURE_VIDEO = "video.configure"  # cameras, privacy masks, stream URLs, analytics rules
    INGEST_VIDEO = "video.ingest"  # post video events: a source's API key, never a person


_STAFF = {
    Permission.READ_PERSONAL_DATA,
    Permission.READ_COMPLIANCE,
    Permission.WORK_ALERTS,
    Permission.MANAGE_CASES,
    Permission.ANALYSE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_ORGANISATIONS,
            Permission.MANAGE_USERS,
            Permission.MANAGE_API_KEYS,
            Permission.RUN_RETENTION,
            Permission.READ_OVERSIGHT,
            Permission.CONFIGURE_VIDEO,
        }
    ),
    # what the cameras watch is set by a configuring role, not by everyone who reads them
    Role.SUPERVISOR: frozenset(
        _STAFF | {Permission.APPROVE, Permission.EDIT_WATCHLIST, Permission.CONFIGURE_VIDEO}
    ),
    Role.ANALYST: frozenset(_STAFF | {Permission.EDIT_WATCHLIST}),
    Role.OFFICER: frozenset(_STAFF),
    Role.AUDITOR: frozenset({Permission.READ_AUDIT, Permission.READ_OVERSIGHT}),
    Role.BUSINESS: frozenset(
        {
            Permission.SUBMIT_RECORDS,
            Permission.READ_OWN_SUBMISSIONS,
            Permission.READ_COMPLIANCE,
            Permission.INGEST_VIDEO,  # its key, for the cameras it owns
        }
    ),
    Role.VIDEO_SOURCE: frozenset({Permission.INGEST_VIDEO}),  # its key, its agency's cameras
}

SYSTEM_PRINCIPAL = "system"  # Vigil's own jobs; no user or key can carry this name
API_KEY_PRINCIPAL = "apikey:"  # the principal of a request made with an API key, then its prefix

# Each purpose cites its own kind of registered reference: screening a statute from the
# catalogue an administrator keeps; an investigation a case, alert, warrant or agreement; an
# emergency an open incident. No purpose takes free text.
BASIS_KINDS: dict[Purpose, frozenset[str]] = {
    Purpose.SCREENING: frozenset({"statute"}),
    Purpose.INVESTIGATION: frozenset({"case", "alert", "warrant", "agreement"}),
    Purpose.EMERGENCY: frozenset({"incident"}),
}
REGISTERED_BASIS_PURPOSES = frozenset(BASIS_KINDS)
# Purposes that belong to one role: oversight to auditors (audit records and counts, through
# their own routes), service to a business (its own filings, through its own routes). Neither
# opens the personal-data gate to anyone else.
PURPOSE_ROLES: dict[Purpose, frozenset[Role]] = {
    Purpose.OVERSIGHT: frozenset({Role.AUDITOR}),
    Purpose.SERVICE: frozenset({Role.BUSINESS}),
}
# Statutes bind every agency: any agency may cite one from the catalogue.
SHARED_BASIS_KINDS = frozenset({"statute"})


@dataclass(frozen=True)
class AccessContext:
    principal: str  # "user:alice" or "apikey:ab12cd34"
    principal_id: int
    organisation_id: int
    organisation_name: str
    role: Role
    purpose: Purpose | None = None
    legal_basis: str | None = None

    def can(self, permission: Permission) -> bool:
        if self.principal == SYSTEM_PRINCIPAL:
            return True
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def by_api_key(self) -> bool:
        """Whether a machine asks, with an API key (a business's, or an agency's video source)."""
        return self.principal.startswith(API_KEY_PRINCIPAL)

    def with_purpose(self, purpose: Purpose, legal_basis: str) -> AccessContext:
        return replace(self, purpose=purpose, legal_basis=legal_basis)


def system_context(
    purpose: Purpose = Purpose.SERVICE, legal_basis: str = "system"
) -> AccessContext:
    """The context of Vigil's own jobs (retention, the pipeline worker)."""
    return AccessContext(
        principal=SYSTEM_PRINCIPAL,
        principal_id=0,
        organisation_id=0,
        organisation_name="vigil",
        role=Role.ADMIN,
        purpose=purpose,
        legal_basis=legal_basis,
    )


def parse_purpose(raw: str | None) -> Purpose:
    if raw is None or not raw.strip():
        raise MissingLegalBasis("X-Purpose is required to read personal data")
    try:
        return Purpose(raw.strip().lower())
    except ValueError as exc:
        allowed = ", ".join(p.value for p in Purpose)
        raise MissingLegalBasis(f"X-Purpose {raw!r} is not one of: {allowed}") from exc


def require(ctx: AccessContext, permission: Permission) -> None:
    if not ctx.can(permission):
        raise Forbidden(f"role {ctx.role.value} may not {permission.value}")


# What a person may read under a screening statute: the alerts screening raised, and the
# watchlists it screens against (the pipeline itself runs as the system).
SCREENING_READS = frozenset({"alerts", "watchlist"})

# What a read of personal data is of. Every call of `require_personal_data_access` names one.
CATEGORIES = (
    "alerts",  # alerts and their hits, the feed, precursor-sale alerts
    "registrations",  # businesses' filings, and the registry's review items about them
    "persons",  # registry persons, their documents and merges
    "clues",  # intelligence clues, their graph, sharing and STIX/TAXII exchange
    "cases",  # cases, their clues and graph, a case's STIX bundle
    "tips",  # the public's tips
    "volunteers",  # volunteers who signed up
    "watchlist",  # watchlist entries
    "incidents",  # an emergency caller's details
)
# What each kind of investigation basis may read. A category it does not list is refused (403,
# naming the basis, its kind and the category). Within a category that it lists, a basis that
# names its subjects reads only those (`basis_subjects`, `require_subject_access`):
# - alert: its alert, that alert's registration and the registration's persons;
# - warrant: the persons it names, their registrations and the alerts about them;
# - case: the agency's investigation work; of persons and registrations only those of the
#   persons linked to it, of alerts only those linked to it (no emergency caller: that is
#   the incident's basis);
# - agreement: the categories its scope lists (`agreement_reads`; `require_category` checks
#   its cases).
INVESTIGATION_READS: dict[str, frozenset[str]] = {
    "alert": frozenset({"alerts", "registrations", "persons"}),
    "warrant": frozenset({"alerts", "registrations", "persons"}),
    "case": frozenset(CATEGORIES) - {"incidents"},
}


def agreement_reads(scope: dict[str, Any] | None) -> frozenset[str]:
    """The categories a sharing agreement's scope opens (clues only, as agreements began)."""
    return frozenset((scope or {"categories": ["clues"]}).get("categories") or [])


def investigation_reads(kind: str, scope: dict[str, Any] | None = None) -> frozenset[str]:
    """What an investigation under a basis of this kind may read; nothing for any other kind."""
    if kind == "agreement":
        return agreement_reads(scope)
    return INVESTIGATION_READS.get(kind, frozenset())


def require_personal_data_access(session: Session, ctx: AccessContext, category: str) -> None:
    """Raise unless the context may read personal data of `category` now, for its purpose and
    basis. A screening statute opens only `SCREENING_READS`; an investigation basis only what
    `investigation_reads` gives its kind."""
    if ctx.principal == SYSTEM_PRINCIPAL:
        return
    require(ctx, Permission.READ_PERSONAL_DATA)
    if ctx.purpose is None:
        raise MissingLegalBasis("a purpose is required to read personal data")
    if not ctx.legal_basis or not ctx.legal_basis.strip():
        raise MissingLegalBasis("a legal basis is required to read personal data")
    roles = PURPOSE_ROLES.get(ctx.purpose)
    if roles is not None and ctx.role not in roles:
        raise Forbidden(
            f"purpose {ctx.purpose.value} is not for a {ctx.role.value}: "
            f"only {', '.join(sorted(r.value for r in roles))}"
        )
    if ctx.purpose in REGISTERED_BASIS_PURPOSES:
        basis = session.scalar(select(LegalBasis).where(LegalBasis.reference == ctx.legal_basis))
        if basis is None or not basis.active:
            raise Forbidden(
                f"legal basis {ctx.legal_basis!r} is not a registered, active reference"
            )
        if basis.kind not in BASIS_KINDS[ctx.purpose]:
            raise Forbidden(f"a {basis.kind} is not a legal basis for {ctx.purpose.value}")
        if basis.valid_until is not None and basis.valid_until <= utcnow():
            raise Forbidden(f"legal basis {ctx.legal_basis!r} expired")
        parties = {basis.organisation_id, *(basis.parties or [])}
        if basis.kind not in SHARED_BASIS_KINDS and ctx.organisation_id not in parties:
            raise Forbidden(f"legal basis {ctx.legal_basis!r} belongs to another organisation")
        if ctx.purpose == Purpose.INVESTIGATION:
            reads = investigation_reads(basis.kind, basis.scope)
            if category not in reads:
                raise Forbidden(
                    f"{ctx.legal_basis} does not cover {category}: a basis of kind"
                    f" {basis.kind} reads only {', '.join(sorted(reads)) or 'nothing'}"
                )
    if ctx.purpose == Purpose.SCREENING and category not in SCREENING_READS:
        raise Forbidden(
            "a screening statute is for the pipeline and alert handling only: cite an"
            " investigation or emergency basis for this read"
        )
    if ctx.purpose == Purpose.EMERGENCY:
        _await_review(session, ctx)


def _await_review(session: Session, ctx: AccessContext) -> None:
    """An emergency read opens (once per reader and incident) a review a supervisor owes."""
    reference = ctx.legal_basis or ""
    exists = session.scalar(
        select(EmergencyReview.id).where(
            EmergencyReview.reference == reference, EmergencyReview.actor == ctx.principal
        )
    )
    if exists is not None:
        return
    review = EmergencyReview(
        reference=reference,
        actor=ctx.principal,
        organisation_id=ctx.organisation_id,
        first_read_at=utcnow(),
        status="pending",
        note="",
    )
    try:
        with session.begin_nested():
            session.add(review)
            session.flush()
    except IntegrityError:
        pass  # a concurrent first read opened it


# Bases that name what they may read: a case links its persons (its staff link more, with a
# reason), a warrant names its persons when registered (a supervisor links more, with a
# reason). Each reads its linked subjects and its linked persons' registrations; a warrant
# also the alerts about its persons (a case reads an alert under the alert's own basis).
# Merges change nothing of that: a person merged into a linked one, or one that absorbed it,
# is not linked (a supervisor links it when the basis covers it), and registrations count as
# filed by the person they were linked to before any merge (`_registrations_of`). An alert
# basis, anchored on its registration rather than on persons, reads the persons that
# registration is linked to now (after a merge, the survivor).
SUBJECT_BOUND_KINDS = frozenset({"case", "warrant"})
SUBJECT_CATEGORY = {"person": "persons", "registration": "registrations", "alert": "alerts"}


def require_category(
    session: Session,
    ctx: AccessContext,
    category: str,
    subject: tuple[str, int] | None = None,
) -> None:
    """After `require_personal_data_access`: under a sharing agreement, raise unless the
    read's category is in the agreement's scope and, when the agreement names cases, unless
    the subject read is linked to one of them (a list read is then refused: the agreement
    opens only the cases' subjects, one by one). Other bases pass."""
    if ctx.principal == SYSTEM_PRINCIPAL or ctx.purpose != Purpose.INVESTIGATION:
        return
    basis = session.scalar(select(LegalBasis).where(LegalBasis.reference == ctx.legal_basis))
    if basis is None or basis.kind != "agreement":
        return
    scope = basis.scope or {"categories": ["clues"]}
    if category not in agreement_reads(basis.scope):
        raise Forbidden(f"{ctx.legal_basis} does not cover {category}")
    cases = [f"case:{c}" for c in scope.get("cases") or []]
    if not cases:
        return
    if subject is None:
        raise Forbidden(f"{ctx.legal_basis} covers only what its cases link, one at a time")
    linked = session.scalar(
        select(BasisSubject.id).where(
            BasisSubject.reference.in_(cases),
            BasisSubject.subject_type == subject[0],
            BasisSubject.subject_id == subject[1],
        )
    )
    if linked is None:
        raise Forbidden(
            f"{subject[0]} {subject[1]} is not linked to the cases of {ctx.legal_basis}"
        )


# An alert basis reads what its alert concerns, derived from the alert row: the alert itself
# (with its hits), its own registration (a registration alert's `submission_id`; a camera,
# sensor or oversight alert carries an event id there and concerns no registration) and the
# persons linked to that registration now (after a merge, the survivor the registration is
# linked to). Governance sits below the domains, so it names their tables without importing
# their models.
_ALERT = table(
    "alert", column("id"), column("sector"), column("submission_id"), column("person_id")
)
_SUBMISSION = table("intake_submission", column("id"), column("sector"))
_REGISTRATION_LINK = table(
    "registration_link",
    column("id"),
    column("sector"),
    column("submission_id"),
    column("person_id"),
)
_MERGE = table(
    "person_merge",
    column("id"),
    column("survivor_id"),
    column("absorbed_id"),
    column("moved_link_ids", JsonDoc),
    column("split_at"),
)
ALERT_SUBJECT_TYPES = ("alert", "registration", "person")


def _alert_subjects(session: Session, reference: str) -> dict[str, frozenset[int]]:
    number = reference.removeprefix("alert:")
    alert = (
        session.execute(select(_ALERT).where(_ALERT.c.id == int(number))).first()
        if ascii_digits(number)
        else None
    )
    if alert is None:
        return {kind: frozenset() for kind in ALERT_SUBJECT_TYPES}
    registration = session.scalar(
        select(_SUBMISSION.c.id).where(
            _SUBMISSION.c.id == alert.submission_id, _SUBMISSION.c.sector == alert.sector
        )
    )
    persons = {alert.person_id} if alert.person_id is not None else set()
    if registration is not None:
        persons |= set(
            session.scalars(
                select(_REGISTRATION_LINK.c.person_id).where(
                    _REGISTRATION_LINK.c.sector == alert.sector,
                    _REGISTRATION_LINK.c.submission_id == registration,
                )
            )
        )
    return {
        "alert": frozenset({int(alert.id)}),
        "registration": frozenset({int(registration)} if registration is not None else ()),
        "person": frozenset(int(p) for p in persons),
    }


def _linked_subjects(
    session: Session, kind: str, reference: str, subject_type: str
) -> frozenset[int]:
    """What a case or warrant basis reads of `subject_type`: the subjects linked to it, and
    from its linked persons their registrations and, for a warrant, the alerts about them (by
    the alert's person, or its registration)."""
    linked = set(
        session.scalars(
            select(BasisSubject.subject_id).where(
                BasisSubject.reference == reference, BasisSubject.subject_type == subject_type
            )
        )
    )
    if subject_type not in ("registration", "alert") or (
        subject_type == "alert" and kind != "warrant"
    ):
        return frozenset(linked)
    persons = set(
        session.scalars(
            select(BasisSubject.subject_id).where(
                BasisSubject.reference == reference, BasisSubject.subject_type == "person"
            )
        )
    )
    registrations = _registrations_of(session, persons)
    if subject_type == "registration":
        return frozenset(linked | {submission for _, submission in registrations})
    about = select(_ALERT.c.id, _ALERT.c.sector, _ALERT.c.submission_id, _ALERT.c.person_id).where(
        or_(
            _ALERT.c.person_id.in_(sorted(persons)),
            _ALERT.c.submission_id.in_(sorted({s for _, s in registrations})),
        )
    )
    for alert_id, sector, submission, person in session.execute(about):
        if person in persons or (sector, submission) in registrations:
            linked.add(int(alert_id))
    return frozenset(linked)


def _registrations_of(session: Session, persons: set[int]) -> set[tuple[str, int]]:
    """(sector, submission id) of the registrations these persons filed, as if no merge had
    been made: a registration a merge (not split since) moved onto one of them belongs to the
    person it was moved from, and one moved away from one of them still belongs to it. So a
    merge neither widens nor narrows what a case or a warrant reads of registrations."""
    if not persons:
        return set()
    merges = session.execute(
        select(_MERGE.c.id, _MERGE.c.absorbed_id, _MERGE.c.moved_link_ids)
        .where(
            _MERGE.c.split_at.is_(None),
            or_(
                _MERGE.c.survivor_id.in_(sorted(persons)), _MERGE.c.absorbed_id.in_(sorted(persons))
            ),
        )
        .order_by(_MERGE.c.id.desc())
    ).all()
    first_owner: dict[int, int] = {}  # link id -> the person the earliest merge moved it from
    for _, absorbed, moved in merges:  # latest first: the earliest merge writes last
        for link in moved or []:
            first_owner[int(link)] = int(absorbed)
    moved_away = [link for link, owner in first_owner.items() if owner in persons]
    rows = session.execute(
        select(
            _REGISTRATION_LINK.c.id,
            _REGISTRATION_LINK.c.sector,
            _REGISTRATION_LINK.c.submission_id,
            _REGISTRATION_LINK.c.person_id,
        ).where(
            or_(
                _REGISTRATION_LINK.c.person_id.in_(sorted(persons)),
                _REGISTRATION_LINK.c.id.in_(sorted(moved_away)),
            )
        )
    )
    return {
        (sector, int(submission))
        for link, sector, submission, person in rows
        if first_owner.get(int(link), int(person)) in persons
    }


def _concerned(
    session: Session, kind: str | None, reference: str, subject_type: str
) -> frozenset[int] | None:
    """The ids of `subject_type` a basis of this kind reads, or None where it names none."""
    if kind == "alert":  # and nothing of any other type
        return _alert_subjects(session, reference).get(subject_type, frozenset())
    if kind in SUBJECT_BOUND_KINDS:
        return _linked_subjects(session, kind, reference, subject_type)
    return None


def basis_kind(session: Session, ctx: AccessContext) -> str | None:
    """The kind of the registered basis the context cites (None where none is registered)."""
    return session.scalar(select(LegalBasis.kind).where(LegalBasis.reference == ctx.legal_basis))


def basis_subjects(
    session: Session, ctx: AccessContext, subject_type: str
) -> frozenset[int] | None:
    """After `require_personal_data_access`: the ids of `subject_type` that the context's basis
    confines a read to (a list read keeps only these), or None where it does not confine it."""
    if ctx.principal == SYSTEM_PRINCIPAL or ctx.purpose != Purpose.INVESTIGATION:
        return None
    kind = basis_kind(session, ctx)
    return _concerned(session, kind, ctx.legal_basis or "", subject_type)


_WHAT_IT_READS = {
    "alert": "an alert basis reads only its alert, its registration and that registration's"
    " persons",
    "warrant": "a warrant basis reads only the persons it names, their registrations and the"
    " alerts about them",
    "case": "a case basis reads only what is linked to it and its persons' registrations",
}


def require_subject_access(
    session: Session, ctx: AccessContext, subject_type: str, subject_id: int
) -> None:
    """After `require_personal_data_access`: raise unless the basis may read this subject."""
    if ctx.principal == SYSTEM_PRINCIPAL or ctx.purpose != Purpose.INVESTIGATION:
        return
    kind = basis_kind(session, ctx)
    if kind == "agreement":
        category = SUBJECT_CATEGORY.get(subject_type, subject_type)
        require_category(session, ctx, category, (subject_type, subject_id))
        return
    concerned = _concerned(session, kind, ctx.legal_basis or "", subject_type)
    if concerned is not None and subject_id not in concerned:
        raise Forbidden(
            f"{subject_type} {subject_id} is not linked to {ctx.legal_basis}: "
            + _WHAT_IT_READS.get(kind or "", "")
        )
