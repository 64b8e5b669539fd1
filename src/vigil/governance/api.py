"""Logins, organisations, users, API keys, legal bases, audit and oversight."""

from __future__ import annotations

import hashlib
import hmac
import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from vigil.core.clock import utcnow
from vigil.core.db import INT_MAX
from vigil.core.errors import TooManyAttempts, Unauthorized
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import ROLE_PERMISSIONS, Permission, Role, require
from vigil.governance.schemas import (
    AuditEntryOut,
    AuditVerifyOut,
    CheckpointOut,
    LegalBasisCreated,
    OversightOut,
)
from vigil.http.deps import ContextDep, RuntimeDep
from vigil.http.params import AfterId, PageSize, RowId

router = APIRouter(prefix="/v1", tags=["governance"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str | None = None  # spend once at /v1/auth/refresh; revocable


@router.post("/auth/token", response_model=TokenOut)
def login(
    request: Request,
    runtime: RuntimeDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=256)],
    otp: Annotated[str | None, Form(max_length=12)] = None,
) -> TokenOut:
    host = request.client.host if request.client else "unknown"
    # the source is kept keyed-hashed: enough to lock it out and to match it in an inquiry
    source = hmac.new(runtime.secret_key.encode(), host.encode(), hashlib.sha256).hexdigest()[:32]
    with runtime.unit_of_work() as session:  # commits the failure and its audit entry
        result = governance.sign_in(
            session, username, password, source, otp=otp, secret_key=runtime.secret_key
        )
        if result.user is not None:
            token, expires = governance.issue_access_token(
                result.user, runtime.secret_key, runtime.settings.access_token_minutes
            )
            refresh = governance.issue_refresh_token(session, result.user)
    if result.refusal == "locked":
        raise TooManyAttempts("too many failed sign-ins; try again in 10 minutes")
    if result.refusal == "otp":
        raise Unauthorized("a current one-time code is required for this account")
    if result.user is None:
        raise Unauthorized("wrong username or password")
    return TokenOut(access_token=token, expires_in=expires, refresh_token=refresh)


@router.post("/auth/refresh", response_model=TokenOut)
def refresh(
    runtime: RuntimeDep, refresh_token: Annotated[str, Form(min_length=8, max_length=200)]
) -> TokenOut:
    """A new access token and a new refresh token for one that has not been spent or revoked."""
    with runtime.unit_of_work() as session:
        user = governance.redeem_refresh_token(session, refresh_token)
        token, expires = governance.issue_access_token(
            user, runtime.secret_key, runtime.settings.access_token_minutes
        )
        renewed = governance.issue_refresh_token(session, user)
    return TokenOut(access_token=token, expires_in=expires, refresh_token=renewed)


class RevokedOut(BaseModel):
    revoked: int


@router.post("/users/{user_id}/sign-out", response_model=RevokedOut)
def sign_out(user_id: RowId, runtime: RuntimeDep, ctx: ContextDep) -> RevokedOut:
    """Revoke every refresh token of a user (their own, or an administrator for anyone)."""
    with runtime.unit_of_work() as session:
        return RevokedOut(revoked=governance.revoke_refresh_tokens(session, ctx, user_id))


class TotpEnrolledOut(BaseModel):
    otpauth_uri: str  # for an authenticator app; shown once


class TotpCodeIn(BaseModel):
    code: str = Field(min_length=6, max_length=6, pattern=r"^[0-9]{6}$")


class TotpStateOut(BaseModel):
    enabled: bool


@router.post("/auth/totp", response_model=TotpEnrolledOut, status_code=201)
def enrol_totp(runtime: RuntimeDep, ctx: ContextDep) -> TotpEnrolledOut:
    """Start a second factor for the signed-in staff member; confirm it with a first code."""
    with runtime.unit_of_work() as session:
        user = governance.user_of_context(session, ctx)
        uri = governance.enrol_totp(session, user, runtime.secret_key)
    return TotpEnrolledOut(otpauth_uri=uri)


@router.post("/auth/totp/confirm", response_model=TotpStateOut)
def confirm_totp(body: TotpCodeIn, runtime: RuntimeDep, ctx: ContextDep) -> TotpStateOut:
    with runtime.unit_of_work() as session:
        user = governance.user_of_context(session, ctx)
        governance.confirm_totp(session, user, runtime.secret_key, body.code)
    return TotpStateOut(enabled=True)


@router.delete("/users/{user_id}/totp", response_model=TotpStateOut)
def remove_totp(user_id: RowId, runtime: RuntimeDep, ctx: ContextDep) -> TotpStateOut:
    """An administrator removes a user's second factor (a lost device)."""
    with runtime.unit_of_work() as session:
        governance.remove_totp(session, ctx, user_id)
    return TotpStateOut(enabled=False)


class MeOut(BaseModel):
    principal: str
    display_name: str = Field(description="the name the console shows: the user's name")
    role: str
    organisation_id: int
    organisation: str
    permissions: list[str] = Field(
        description="what the role may do; the console offers only the controls these allow"
    )


@router.get("/me", response_model=MeOut)
def me(ctx: ContextDep) -> MeOut:
    return MeOut(
        principal=ctx.principal,
        display_name=ctx.principal.partition(":")[2] or ctx.principal,
        role=ctx.role.value,
        organisation_id=ctx.organisation_id,
        organisation=ctx.organisation_name,
        permissions=sorted(ROLE_PERMISSIONS[ctx.role]),
    )


class OrganisationIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str
    sector: str | None = None


class OrganisationOut(BaseModel):
    id: int
    name: str
    kind: str
    sector: str | None


@router.post("/organisations", response_model=OrganisationOut, status_code=201)
def create_organisation(
    body: OrganisationIn, runtime: RuntimeDep, ctx: ContextDep
) -> OrganisationOut:
    with runtime.unit_of_work() as session:
        org = governance.create_organisation(session, ctx, body.name, body.kind, body.sector)
        return OrganisationOut(id=org.id, name=org.name, kind=org.kind, sector=org.sector)


@router.get("/organisations", response_model=list[OrganisationOut])
def list_organisations(runtime: RuntimeDep, ctx: ContextDep) -> list[OrganisationOut]:
    with runtime.unit_of_work() as session:
        if ctx.role == Role.BUSINESS:
            orgs = [governance.get_organisation(session, ctx.organisation_id)]
        else:
            orgs = governance.list_organisations(session)
        return [OrganisationOut(id=o.id, name=o.name, kind=o.kind, sector=o.sector) for o in orgs]


class UserIn(BaseModel):
    username: str
    password: str
    role: Role
    organisation_id: int = Field(ge=1, le=INT_MAX)


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    organisation_id: int


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, runtime: RuntimeDep, ctx: ContextDep) -> UserOut:
    with runtime.unit_of_work() as session:
        user = governance.create_user(
            session, ctx, body.username, body.password, body.role, body.organisation_id
        )
        return UserOut(
            id=user.id, username=user.username, role=user.role, organisation_id=user.organisation_id
        )


class ApiKeyIn(BaseModel):
    label: str = ""


class ApiKeyOut(BaseModel):
    id: int
    prefix: str
    key: str = Field(description="shown once; store it now")


@router.post("/organisations/{org_id}/api-keys", response_model=ApiKeyOut, status_code=201)
def create_api_key(
    org_id: RowId, body: ApiKeyIn, runtime: RuntimeDep, ctx: ContextDep
) -> ApiKeyOut:
    with runtime.unit_of_work() as session:
        issued = governance.create_api_key(session, ctx, org_id, body.label)
    return ApiKeyOut(id=issued.key_id, prefix=issued.prefix, key=issued.secret)


@router.delete("/api-keys/{prefix}", status_code=204)
def revoke_api_key(prefix: str, runtime: RuntimeDep, ctx: ContextDep) -> None:
    with runtime.unit_of_work() as session:
        governance.revoke_api_key(session, ctx, prefix)


class LegalBasisIn(BaseModel):
    reference: str = Field(min_length=3, max_length=120)
    kind: str
    description: str = ""
    valid_until: datetime | None = None
    # a warrant names the persons it concerns (person ids): it reads only those
    subjects: list[Annotated[int, Field(ge=1, le=INT_MAX)]] = Field(
        default_factory=list, max_length=100, validate_default=True
    )

    @field_validator("subjects")
    @classmethod
    def _a_warrant_names_its_persons(cls, subjects: list[int], info: ValidationInfo) -> list[int]:
        kind = info.data.get("kind")
        if kind == "warrant" and not subjects:
            raise ValueError("a warrant names the persons it concerns: one or more person ids")
        if kind != "warrant" and subjects:
            raise ValueError("only a warrant names persons when registered")
        return subjects


@router.post("/legal-bases", response_model=LegalBasisCreated, status_code=201)
def register_legal_basis(
    body: LegalBasisIn, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, str]:
    """Supervisors register warrants and sharing agreements; administrators add statutes to
    the catalogue; cases and alerts register themselves."""
    require(ctx, Permission.MANAGE_ORGANISATIONS if body.kind == "statute" else Permission.APPROVE)
    with runtime.unit_of_work() as session:
        governance.register_legal_basis(
            session,
            ctx,
            body.reference,
            body.kind,
            description=body.description,
            valid_until=body.valid_until,
            subjects=body.subjects,
        )
    return {"reference": body.reference}


class WarrantSubjectIn(BaseModel):
    person_id: int = Field(ge=1, le=INT_MAX)
    reason: str = Field(min_length=3, max_length=500)


@router.post("/legal-bases/{reference}/persons", response_model=LegalBasisCreated, status_code=201)
def link_warrant_person(
    reference: Annotated[str, Path(min_length=3, max_length=120)],
    body: WarrantSubjectIn,
    runtime: RuntimeDep,
    ctx: ContextDep,
) -> dict[str, str]:
    """A supervisor lets a warrant read one more person, with a reason (audited). A case
    links its persons through `POST /v1/cases/{case_id}/persons`."""
    with runtime.unit_of_work() as session:
        governance.link_warrant_subject(session, ctx, reference, body.person_id, body.reason)
    return {"reference": reference}


@router.get("/audit", response_model=list[AuditEntryOut])
def audit_entries(
    runtime: RuntimeDep, ctx: ContextDep, after_seq: AfterId = 0, limit: PageSize = 100
) -> list[dict[str, Any]]:
    with runtime.unit_of_work() as session:
        entries = governance.audit_page(session, ctx, after_seq, limit)
        return [{**audit.entry_document(e), "hash": e.hash} for e in entries]


@router.get("/audit/verify", response_model=AuditVerifyOut)
def audit_verify(runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    require(ctx, Permission.READ_AUDIT)
    with runtime.unit_of_work() as session:
        report = audit.verify(session, runtime.settings)
    return {
        "intact": report.intact,
        "count": report.count,
        "head": report.head,
        "first_bad_seq": report.first_bad_seq,
        "problem": report.problem.value if report.problem else None,
        "pending": report.pending,
        "summary": report.summary(),
    }


@router.post("/audit/checkpoint", response_model=CheckpointOut, status_code=201)
def audit_checkpoint(runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    require(ctx, Permission.READ_AUDIT)
    with runtime.unit_of_work() as session:
        cp = audit.write_checkpoint(session, runtime.settings)
        return {"seq": cp.size, "head_hash": cp.root_hash, "note": cp.note}


class CheckpointListed(BaseModel):
    size: int
    root_hash: str
    at: datetime
    witnesses: list[str]  # the names on the cosignature lines
    note: str  # the signed note with every cosignature line


@router.get("/audit/checkpoints", response_model=list[CheckpointListed])
def audit_checkpoints(runtime: RuntimeDep, ctx: ContextDep) -> list[dict[str, Any]]:
    """The signed checkpoints, newest first, each with the witnesses that cosigned it."""
    require(ctx, Permission.READ_AUDIT)
    with runtime.unit_of_work() as session:
        checkpoints = audit.load_checkpoints(session)
    return [
        {
            "size": cp.size,
            "root_hash": cp.root_hash,
            "at": cp.at,
            "witnesses": [line.split()[1] for line in cp.cosignatures if len(line.split()) > 2],
            "note": cp.full_note,
        }
        for cp in reversed(checkpoints)
    ]


@router.get(
    "/audit/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def audit_export(runtime: RuntimeDep, ctx: ContextDep) -> StreamingResponse:
    """The whole log as JSONL (as `vigil audit export` writes it): its key, its checkpoints
    with cosignatures, then every sequenced entry. The export is itself audited."""
    require(ctx, Permission.READ_AUDIT)
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20, mode="w+", encoding="utf-8")  # noqa: SIM115
    with runtime.unit_of_work() as session:
        count = audit.export_jsonl(session, spool, runtime.settings)
        audit.record(
            session, ctx, audit.Action.CONSULT, "audit_log", "export", detail={"entries": count}
        )
    spool.seek(0)

    def lines() -> Iterator[str]:
        with spool:
            yield from spool

    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="vigil-audit-{stamp}.jsonl"'},
    )


@router.get("/oversight", response_model=OversightOut)
def oversight(runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return governance.oversight_counts(session, ctx)


class EmergencyReviewOut(BaseModel):
    id: int
    reference: str
    actor: str
    first_read_at: datetime
    status: str
    reviewer: str | None
    note: str


class EmergencyReviewIn(BaseModel):
    approve: bool
    note: str = Field(min_length=3, max_length=1000)


@router.get("/emergency-reviews", response_model=list[EmergencyReviewOut])
def list_emergency_reviews(
    runtime: RuntimeDep,
    ctx: ContextDep,
    status: Literal["pending", "approved", "rejected"] | None = "pending",
) -> list[EmergencyReviewOut]:
    """A supervisor's list of the agency's emergency reads to review (oldest first)."""
    with runtime.unit_of_work() as session:
        rows = governance.emergency_reviews(session, ctx, status)
        return [EmergencyReviewOut.model_validate(r, from_attributes=True) for r in rows]


@router.post("/emergency-reviews/{review_id}", response_model=EmergencyReviewOut)
def review_emergency_read(
    review_id: RowId, body: EmergencyReviewIn, runtime: RuntimeDep, ctx: ContextDep
) -> EmergencyReviewOut:
    """Approve or reject one reader's emergency reads under one incident, with a note."""
    with runtime.unit_of_work() as session:
        row = governance.review_emergency_read(session, ctx, review_id, body.approve, body.note)
        return EmergencyReviewOut.model_validate(row, from_attributes=True)
