"""Organisations, users, logins, API keys and legal-basis references. Functions take a
session and an access context and never commit: the caller's unit of work does."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import column, delete, func, insert, select, table, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vigil.core.clock import as_utc, utcnow
from vigil.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Unauthorized,
    ValidationFailed,
)
from vigil.core.passwords import hash_password, verify_password
from vigil.core.text import ascii_digits
from vigil.governance import audit, totp
from vigil.governance.access import (
    API_KEY_PRINCIPAL,
    SYSTEM_PRINCIPAL,
    AccessContext,
    Permission,
    Role,
    require,
)
from vigil.governance.audit import Action
from vigil.governance.models import (
    ApiKey,
    AuditEntry,
    BasisSubject,
    EmergencyReview,
    LegalBasis,
    LoginFailure,
    Organisation,
    RefreshToken,
    User,
)
from vigil.governance.passwords import password_problem

SECTORS = ("hotel", "secondhand", "motor", "venue", "courier", "chemical")
ORG_KINDS = ("agency", "business")
LEGAL_BASIS_KINDS = ("case", "alert", "warrant", "agreement", "incident", "statute")
# The statute catalogue Vigil starts with: the real-name registration rules screening rests
# on. An administrator adds others (POST /v1/legal-bases, kind "statute").
STATUTES: dict[str, str] = {
    "statute:real-name-registration": "Real-name registration of guests, sellers and senders",
    "statute:hotel-registration": "Hotel industry public security regulations (guest register)",
    "statute:secondhand-registration": "Second-hand trade: registration of sellers and goods",
    "statute:motor-repair-registration": "Motor vehicle repair: registration of vehicles",
    "statute:parcel-real-name": "Postal and courier real-name sending",
    "statute:venue-registration": "Entertainment venues: registration of visitors",
}
JWT_ALGORITHM = "HS256"


def create_organisation(
    session: Session, ctx: AccessContext, name: str, kind: str, sector: str | None = None
) -> Organisation:
    require(ctx, Permission.MANAGE_ORGANISATIONS)
    errors = []
    if not name.strip():
        errors.append(FieldError("name", "must not be empty"))
    if kind not in ORG_KINDS:
        errors.append(FieldError("kind", f"must be one of {', '.join(ORG_KINDS)}"))
    if kind == "business" and sector not in SECTORS:
        errors.append(FieldError("sector", f"a business needs a sector: {', '.join(SECTORS)}"))
    if kind == "agency" and sector is not None:
        errors.append(FieldError("sector", "an agency has no sector"))
    if errors:
        raise ValidationFailed("invalid organisation", errors)
    if session.scalar(select(Organisation).where(Organisation.name == name)):
        raise Conflict(f"organisation {name!r} exists")
    org = Organisation(name=name.strip(), kind=kind, sector=sector)
    session.add(org)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "organisation", org.id)
    return org


def get_organisation(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound(f"organisation {org_id} not found")
    return org


def find_organisation(session: Session, name_or_id: str) -> Organisation:
    if ascii_digits(name_or_id):
        return get_organisation(session, int(name_or_id))
    org = session.scalar(select(Organisation).where(Organisation.name == name_or_id))
    if org is None:
        raise NotFound(f"organisation {name_or_id!r} not found")
    return org


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.id)))


def create_user(
    session: Session, ctx: AccessContext, username: str, password: str, role: Role, org_id: int
) -> User:
    require(ctx, Permission.MANAGE_USERS)
    errors = []
    if len(username.strip()) < 2:
        errors.append(FieldError("username", "must have at least 2 characters"))
    problem = password_problem(password, username)
    if problem:
        errors.append(FieldError("password", problem))
    if errors:
        raise ValidationFailed("invalid user", errors)
    if role == Role.VIDEO_SOURCE:
        raise ValidationFailed(
            "invalid user",
            [FieldError("role", "video_source is the role of an agency's API key, not a person's")],
        )
    org = get_organisation(session, org_id)
    if (role == Role.BUSINESS) != (org.kind == "business"):
        raise ValidationFailed(
            "invalid user",
            [FieldError("role", "business users belong to businesses, staff to agencies")],
        )
    if session.scalar(select(User).where(User.username == username)):
        raise Conflict(f"user {username!r} exists")
    user = User(
        username=username.strip(),
        password_hash=hash_password(password),
        role=role.value,
        organisation_id=org.id,
    )
    session.add(user)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "user", user.id, detail={"role": role.value})
    return user


def context_for_user(session: Session, user: User) -> AccessContext:
    org = get_organisation(session, user.organisation_id)
    return AccessContext(
        principal=f"user:{user.username}",
        principal_id=user.id,
        organisation_id=org.id,
        organisation_name=org.name,
        role=Role(user.role),
    )


def active_user_context(session: Session, username: str) -> AccessContext:
    """The context of a named, active user (a CLI command that acts as them)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise NotFound(f"no active user {username!r}")
    return context_for_user(session, user)


def authenticate_password(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        hash_password(password)  # spend the same time, so usernames do not leak
        raise Unauthorized("wrong username or password")
    if not verify_password(user.password_hash, password):
        raise Unauthorized("wrong username or password")
    return user


# CJIS 5.5.3: 5 consecutive invalid attempts lock the account (and the source) for 10 min
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=10)
# the longest life a token may claim, whatever its `exp` says (CJIS 5.5.5: 30 min idle)
MAX_TOKEN_LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class SignIn:
    user: User | None
    refusal: str | None = None  # "wrong" | "otp" (password right, code missing or wrong) | "locked"


def _failures_since(session: Session, column: Any, value: str, since: datetime) -> int:
    query = select(func.count()).where(column == value, LoginFailure.at > since)
    return int(session.scalar(query) or 0)


def _login_context(session: Session, username: str, user: User | None) -> AccessContext:
    if user is not None:
        return context_for_user(session, user)
    return AccessContext(f"login:{username[:80]}", 0, 0, "", Role.BUSINESS)


def sign_in(
    session: Session,
    username: str,
    password: str,
    source: str,
    now: datetime | None = None,
    *,
    otp: str | None = None,
    secret_key: str | None = None,
) -> SignIn:
    """Check a password with the lockout of CJIS 5.5.3, per account and per source address,
    and, for a user with a second factor, a current one-time code (`otp`; a missing or wrong
    code is a failed attempt like a wrong password). Every attempt is audited (CJIS 5.4);
    the caller commits, then refuses a failed one."""
    now = now or utcnow()
    since = now - LOCKOUT
    source = source[:64]
    user = session.scalar(select(User).where(User.username == username))
    ctx = _login_context(session, username, user)
    locked = (
        _failures_since(session, LoginFailure.username, username, since) >= MAX_FAILED_LOGINS
        or _failures_since(session, LoginFailure.source, source, since) >= MAX_FAILED_LOGINS
    )
    if locked:
        hash_password(password)  # the same time as a checked attempt
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "logon",
            username[:80],
            outcome="locked",
            detail={"source": source},
        )
        return SignIn(None, "locked")
    if user is None or not user.active:
        hash_password(password)  # spend the same time, so usernames do not leak
        valid = False
    else:
        valid = verify_password(user.password_hash, password)
    second_factor = None
    if valid and user is not None and user.totp_enabled:
        step = None
        if otp and user.totp_secret and secret_key:
            secret = totp.unseal(secret_key, user.totp_secret)
            step = totp.matching_step(secret, otp, user.totp_last_step, now.timestamp())
        if step is None:
            valid, second_factor = False, ("wrong" if otp else "missing")
        else:
            user.totp_last_step = step
    if not valid:
        session.add(LoginFailure(username=username[:100], source=source, at=now))
        session.flush()
        failures = _failures_since(session, LoginFailure.username, username, since)
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "logon",
            username[:80],
            outcome="failed",
            detail={"source": source, "failures": failures}
            | ({"second_factor": second_factor} if second_factor else {}),
        )
        if failures >= MAX_FAILED_LOGINS:
            audit.record(
                session,
                ctx,
                Action.ALTER,
                "logon",
                username[:80],
                outcome="lockout",
                detail={"source": source, "minutes": int(LOCKOUT.total_seconds() // 60)},
            )
        return SignIn(None, "otp" if second_factor else "wrong")
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    audit.record(session, ctx, Action.CONSULT, "logon", username[:80], detail={"source": source})
    return SignIn(user)


REFRESH_LIFETIME = timedelta(hours=8)  # one shift


def secret_digest(secret: str) -> str:
    """How a bearer secret (refresh token, API or TAXII key) is stored: its SHA-256, never
    the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_refresh_token(session: Session, user: User, now: datetime | None = None) -> str:
    token = "vrt_" + secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            user_id=user.id,
            token_hash=secret_digest(token),
            expires_at=(now or utcnow()) + REFRESH_LIFETIME,
        )
    )
    session.flush()
    return token


def redeem_refresh_token(session: Session, token: str, now: datetime | None = None) -> User:
    """Spend a refresh token (each works once) for its user; refused if revoked, spent or
    expired, or the user is no longer active."""
    now = now or utcnow()
    row = session.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == secret_digest(token))
        .with_for_update()
    )
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= now:
        raise Unauthorized("invalid refresh token")
    row.revoked_at = now
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("user no longer active")
    return user


def revoke_refresh_tokens(session: Session, ctx: AccessContext, user_id: int) -> int:
    """Sign a user out everywhere: their own request, or an administrator's."""
    if ctx.principal_id != user_id or not ctx.principal.startswith("user:"):
        require(ctx, Permission.MANAGE_USERS)
    revoked = session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    audit.record(session, ctx, Action.ALTER, "refresh_token", user_id, outcome="revoked")
    return int(revoked.rowcount or 0)  # type: ignore[attr-defined]


def release_lockout(session: Session, ctx: AccessContext, username: str) -> int:
    """An administrator releases a locked account before its 10 minutes are over."""
    require(ctx, Permission.MANAGE_USERS)
    released = session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    audit.record(session, ctx, Action.ALTER, "logon", username[:80], outcome="released")
    return int(released.rowcount or 0)  # type: ignore[attr-defined]


def issue_access_token(user: User, secret_key: str, minutes: int) -> tuple[str, int]:
    minutes = min(minutes, int(MAX_TOKEN_LIFETIME.total_seconds() // 60))
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "role": user.role,
        "org": user.organisation_id,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(claims, secret_key, algorithm=JWT_ALGORITHM), minutes * 60


def user_from_token(session: Session, token: str, secret_key: str) -> User:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret_key,
            algorithms=[JWT_ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("access token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("invalid access token") from exc
    subject = str(claims["sub"])
    if not ascii_digits(subject) or len(subject) > 10:
        raise Unauthorized("invalid access token")
    if int(claims["exp"]) - int(claims["iat"]) > MAX_TOKEN_LIFETIME.total_seconds():
        raise Unauthorized("access token lives longer than allowed")
    if int(claims["iat"]) > utcnow().timestamp() + 60:
        raise Unauthorized("access token issued in the future")
    user = session.get(User, int(subject))
    if user is None or not user.active:
        raise Unauthorized("user no longer active")
    return user


@dataclass(frozen=True)
class IssuedKey:
    key_id: int
    prefix: str
    secret: str  # shown once, never stored


def require_key_authority(ctx: AccessContext, org_id: int) -> None:
    """Raise unless the caller may issue and revoke `org_id`'s API keys: an administrator its
    own organisation's only (organisations have no relation of responsibility to another),
    Vigil's own context (the operator's `vigil apikey` commands) any organisation's."""
    require(ctx, Permission.MANAGE_API_KEYS)
    if ctx.principal == SYSTEM_PRINCIPAL or ctx.organisation_id == org_id:
        return
    raise Forbidden(
        f"an administrator issues and revokes API keys for its own organisation "
        f"({ctx.organisation_name}) only; another organisation's keys are its own "
        "administrator's, or the operator's (vigil apikey create --org ORG)"
    )


def create_api_key(session: Session, ctx: AccessContext, org_id: int, label: str = "") -> IssuedKey:
    require_key_authority(ctx, org_id)
    # a business's key files its records; an agency's is a video source's (its NVRs and
    # analytics workers post its cameras' events with it, and it opens nothing else)
    org = get_organisation(session, org_id)
    prefix = secrets.token_hex(4)
    secret = f"vgl_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(prefix=prefix, key_hash=secret_digest(secret), organisation_id=org.id, label=label)
    session.add(key)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "api_key", key.id, detail={"organisation": org.id})
    return IssuedKey(key.id, prefix, secret)


def revoke_api_key(session: Session, ctx: AccessContext, prefix: str) -> ApiKey:
    require(ctx, Permission.MANAGE_API_KEYS)
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None:
        raise NotFound(f"API key {prefix} not found")
    require_key_authority(ctx, key.organisation_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(session, ctx, Action.ALTER, "api_key", key.id, detail={"revoked": True})
    return key


def context_for_api_key(session: Session, presented: str) -> AccessContext:
    parts = presented.split("_")
    if len(parts) < 3 or parts[0] != "vgl":
        raise Unauthorized("malformed API key")
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or not hmac.compare_digest(key.key_hash, secret_digest(presented)):
        raise Unauthorized("unknown API key")
    if key.revoked_at is not None:
        raise Unauthorized("API key revoked")
    org = get_organisation(session, key.organisation_id)
    return AccessContext(
        principal=f"{API_KEY_PRINCIPAL}{key.prefix}",
        principal_id=key.id,
        organisation_id=org.id,
        organisation_name=org.name,
        # a business's key files its records (and its cameras' events); an agency's key is a
        # video source's, which posts the agency's cameras' events and nothing else
        role=Role.BUSINESS if org.kind == "business" else Role.VIDEO_SOURCE,
    )


def register_legal_basis(
    session: Session,
    ctx: AccessContext,
    reference: str,
    kind: str,
    *,
    description: str = "",
    valid_until: datetime | None = None,
    organisation_id: int | None = None,
    parties: list[int] | None = None,
    active: bool = True,
    scope: dict[str, Any] | None = None,
    subjects: Sequence[int] = (),
) -> LegalBasis:
    """Domains call this when they create a case, alert or sharing agreement; a supervisor
    when they register a warrant, which names the persons it concerns (`subjects`, each
    linked to it: the warrant reads only those); an administrator when they add a statute
    to the catalogue."""
    if kind == "statute":
        require(ctx, Permission.MANAGE_ORGANISATIONS)
        if not reference.startswith("statute:"):
            raise ValidationFailed(
                "invalid legal basis", [FieldError("reference", "a statute is 'statute:<name>'")]
            )
    if kind not in LEGAL_BASIS_KINDS:
        raise ValidationFailed(
            "invalid legal basis", [FieldError("kind", f"one of {LEGAL_BASIS_KINDS}")]
        )
    persons = _warrant_subjects(session, kind, subjects)
    basis = LegalBasis(
        reference=reference,
        kind=kind,
        organisation_id=organisation_id if organisation_id is not None else ctx.organisation_id,
        description=description,
        valid_until=valid_until,
        parties=list(parties or []),
        active=active,
        scope=scope,
    )
    session.add(basis)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"legal basis {reference!r} exists") from exc
    audit.record(session, ctx, Action.COLLECT, "legal_basis", reference, detail={"kind": kind})
    for person_id in persons:
        link_subject(session, ctx, reference, "person", person_id, "named in the warrant")
    return basis


# Governance sits below the registry: it names the person table without importing its model.
_PERSON = table("person", column("id"), column("merged_into"))


def _warrant_subjects(session: Session, kind: str, subjects: Sequence[int]) -> list[int]:
    """The persons a warrant names, checked: one or more, each an existing person that was not
    merged into another (the warrant then names that one). Only a warrant names persons."""
    persons = sorted(set(subjects))
    if kind != "warrant":
        if persons:
            raise ValidationFailed(
                "invalid legal basis",
                [FieldError("subjects", "only a warrant names persons when registered")],
            )
        return []
    if not persons:
        raise ValidationFailed(
            "invalid legal basis",
            [FieldError("subjects", "a warrant names the persons it concerns: person ids")],
        )
    _require_persons(session, "subjects", persons)
    return persons


def _require_persons(session: Session, field: str, persons: list[int]) -> None:
    query = select(_PERSON.c.id, _PERSON.c.merged_into).where(_PERSON.c.id.in_(persons))
    found = {int(pid): into for pid, into in session.execute(query)}
    missing = [p for p in persons if p not in found]
    if missing:
        raise ValidationFailed(
            "invalid legal basis", [FieldError(field, f"no such person: {missing}")]
        )
    merged = {p: found[p] for p in persons if found[p] is not None}
    if merged:
        named = ", ".join(f"{p} into {into}" for p, into in merged.items())
        raise ValidationFailed(
            "invalid legal basis",
            [FieldError(field, f"merged into another person ({named}): name that one")],
        )


def link_warrant_subject(
    session: Session, ctx: AccessContext, reference: str, person_id: int, reason: str
) -> BasisSubject:
    """A supervisor of the warrant's agency lets it read one more person; audited with the
    reason. (A case links its persons through the case: `POST /v1/cases/{id}/persons`.)"""
    require(ctx, Permission.APPROVE)
    basis = session.scalar(select(LegalBasis).where(LegalBasis.reference == reference))
    if basis is None or basis.kind != "warrant":
        raise NotFound(f"warrant {reference!r} not found")
    if basis.organisation_id != ctx.organisation_id:
        raise Forbidden(f"warrant {reference!r} belongs to another organisation")
    if not basis.active:
        raise Conflict(f"warrant {reference!r} was withdrawn")
    _require_persons(session, "person_id", [person_id])
    return link_subject(session, ctx, reference, "person", person_id, reason)


def seed_statutes(session: Session, ctx: AccessContext, organisation_id: int) -> int:
    """Register the starting statute catalogue (those not registered yet)."""
    known = set(
        session.scalars(select(LegalBasis.reference).where(LegalBasis.reference.in_(STATUTES)))
    )
    added = 0
    for reference, description in STATUTES.items():
        if reference not in known:
            register_legal_basis(
                session,
                ctx,
                reference,
                "statute",
                description=description,
                organisation_id=organisation_id,
            )
            added += 1
    return added


def register_legal_bases(
    session: Session, ctx: AccessContext, kind: str, bases: list[tuple[str, int]]
) -> None:
    """`register_legal_basis` for many new (reference, organisation) pairs of one kind: one
    insert and one audit append (the pipeline registers its alerts so)."""
    if kind not in LEGAL_BASIS_KINDS:
        raise ValidationFailed(
            "invalid legal basis", [FieldError("kind", f"one of {LEGAL_BASIS_KINDS}")]
        )
    if not bases:
        return
    rows = [
        {"reference": ref, "kind": kind, "organisation_id": org, "description": "", "parties": []}
        for ref, org in bases
    ]
    session.execute(insert(LegalBasis), rows)
    audit.record_many(
        session,
        ctx,
        [
            audit.EntryIn(Action.COLLECT, "legal_basis", ref, detail={"kind": kind})
            for ref, _ in bases
        ],
    )


def link_subject(
    session: Session,
    ctx: AccessContext,
    reference: str,
    subject_type: str,
    subject_id: int,
    reason: str,
) -> BasisSubject:
    """Let a case or warrant basis read one more subject; audited with its reason."""
    if not reason.strip():
        raise ValidationFailed("invalid link", [FieldError("reason", "a reason is required")])
    row = session.scalar(
        select(BasisSubject).where(
            BasisSubject.reference == reference,
            BasisSubject.subject_type == subject_type,
            BasisSubject.subject_id == subject_id,
        )
    )
    if row is None:
        row = BasisSubject(
            reference=reference,
            subject_type=subject_type,
            subject_id=subject_id,
            reason=reason.strip(),
            linked_by=ctx.principal,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            ctx,
            Action.COMBINE,
            subject_type,
            subject_id,
            detail={"linked_to": reference, "reason": reason.strip()[:200]},
        )
    return row


def activate_legal_basis(session: Session, ctx: AccessContext, reference: str) -> None:
    """A second person (a supervisor) makes a registered basis usable."""
    basis = session.scalar(select(LegalBasis).where(LegalBasis.reference == reference))
    if basis is None:
        raise NotFound(f"legal basis {reference!r} not found")
    basis.active = True
    audit.record(session, ctx, Action.ALTER, "legal_basis", reference, detail={"active": True})


def active_references(session: Session, references: list[str]) -> set[str]:
    """Which of these legal-basis references are registered and usable now (a console offers
    only those)."""
    if not references:
        return set()
    rows = session.scalars(
        select(LegalBasis.reference).where(
            LegalBasis.reference.in_(references), LegalBasis.active.is_(True)
        )
    )
    return set(rows)


def withdraw_legal_basis(session: Session, ctx: AccessContext, reference: str) -> None:
    basis = session.scalar(select(LegalBasis).where(LegalBasis.reference == reference))
    if basis is None:
        raise NotFound(f"legal basis {reference!r} not found")
    basis.active = False
    audit.record(session, ctx, Action.ALTER, "legal_basis", reference, detail={"active": False})


def audit_page(
    session: Session, ctx: AccessContext, after_seq: int = 0, limit: int = 100
) -> list[AuditEntry]:
    require(ctx, Permission.READ_AUDIT)
    query = (
        select(AuditEntry)
        .where(AuditEntry.seq > after_seq)
        .order_by(AuditEntry.seq)
        .limit(min(limit, 1000))
    )
    return list(session.scalars(query))


def oversight_counts(session: Session, ctx: AccessContext) -> dict[str, Any]:
    """Counts for oversight bodies: how much was consulted, disclosed, erased, refused. No
    personal data."""
    require(ctx, Permission.READ_OVERSIGHT)
    rows = session.execute(
        select(AuditEntry.action, AuditEntry.purpose, AuditEntry.outcome, func.count()).group_by(
            AuditEntry.action, AuditEntry.purpose, AuditEntry.outcome
        )
    ).all()
    by_action: dict[str, int] = {}
    by_purpose: dict[str, int] = {}
    refused = 0
    for action, purpose, outcome, n in rows:
        by_action[action] = by_action.get(action, 0) + n
        if purpose:
            by_purpose[purpose] = by_purpose.get(purpose, 0) + n
        if outcome == "refused":
            refused += n
    return {
        "by_action": by_action,
        "by_purpose": by_purpose,
        "refused": refused,
        "total": sum(by_action.values()),
    }


# --- A second factor ----------------------------------------------------------------------------


def enrol_totp(session: Session, user: User, secret_key: str) -> str:
    """A new TOTP secret for the user, not in force until confirmed; returns its otpauth
    URI (shown once). Re-enrolling replaces a pending secret; an active one must go first."""
    if user.role == Role.BUSINESS.value:
        raise Forbidden("the second factor is for agency staff; businesses use API keys")
    if user.totp_enabled:
        raise Conflict("a second factor is in force already; remove it first")
    secret = totp.new_secret()
    user.totp_secret = totp.seal(secret_key, secret)
    user.totp_last_step = None
    ctx = context_for_user(session, user)
    audit.record(session, ctx, Action.ALTER, "user", user.id, detail={"totp": "enrolled"})
    return totp.provisioning_uri(secret, user.username)


def confirm_totp(session: Session, user: User, secret_key: str, code: str) -> None:
    """Put the pending secret in force with a first current code."""
    if user.totp_secret is None or user.totp_enabled:
        raise Conflict("no second factor awaits confirmation")
    step = totp.matching_step(totp.unseal(secret_key, user.totp_secret), code, None)
    if step is None:
        raise ValidationFailed("wrong code", [FieldError("code", "not the current code")])
    user.totp_enabled, user.totp_last_step = True, step
    ctx = context_for_user(session, user)
    audit.record(session, ctx, Action.ALTER, "user", user.id, detail={"totp": "enabled"})


def remove_totp(session: Session, ctx: AccessContext, user_id: int) -> None:
    """An administrator removes a user's second factor (a lost device)."""
    require(ctx, Permission.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    user.totp_secret, user.totp_enabled, user.totp_last_step = None, False, None
    audit.record(session, ctx, Action.ALTER, "user", user.id, detail={"totp": "removed"})


def user_of_context(session: Session, ctx: AccessContext) -> User:
    """The signed-in user behind a context (not an API key)."""
    user = session.get(User, ctx.principal_id) if ctx.principal.startswith("user:") else None
    if user is None:
        raise Forbidden("only a signed-in user has a second factor")
    return user


# --- Review of emergency reads -------------------------------------------------------------


def emergency_reviews(
    session: Session, ctx: AccessContext, status: str | None = "pending"
) -> list[EmergencyReview]:
    """The agency's emergency reads awaiting (or past) a supervisor's review."""
    require(ctx, Permission.APPROVE)
    query = select(EmergencyReview).where(EmergencyReview.organisation_id == ctx.organisation_id)
    if status:
        query = query.where(EmergencyReview.status == status)
    return list(session.scalars(query.order_by(EmergencyReview.first_read_at).limit(500)))


def review_emergency_read(
    session: Session, ctx: AccessContext, review_id: int, approve: bool, note: str
) -> EmergencyReview:
    """A supervisor of the reader's agency, not the reader, approves or rejects; audited."""
    require(ctx, Permission.APPROVE)
    review = session.get(EmergencyReview, review_id, with_for_update=True)
    if review is None or review.organisation_id != ctx.organisation_id:
        raise NotFound(f"emergency review {review_id} not found")
    if review.actor == ctx.principal:
        raise Forbidden("a reader does not review their own emergency reads")
    if review.status != "pending":
        raise Conflict(f"emergency review {review_id} is {review.status} already")
    if not note.strip():
        raise ValidationFailed("invalid review", [FieldError("note", "say why")])
    review.status = "approved" if approve else "rejected"
    review.reviewer, review.reviewed_at, review.note = ctx.principal, utcnow(), note.strip()
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "emergency_review",
        review.id,
        outcome=review.status,
        detail={"reader": review.actor, "basis": review.reference, "note": note.strip()[:200]},
    )
    return review


def overdue_emergency_reviews(
    session: Session, hours: int, now: datetime | None = None
) -> list[EmergencyReview]:
    """Pending reviews whose deadline passed and that raised no alert yet; each is marked
    as alerted (the caller raises the alert in the same transaction)."""
    now = now or utcnow()
    rows = list(
        session.scalars(
            select(EmergencyReview)
            .where(
                EmergencyReview.status == "pending",
                EmergencyReview.alerted_at.is_(None),
                EmergencyReview.first_read_at < now - timedelta(hours=hours),
            )
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.alerted_at = now
    return rows
