"""Emergency response use cases: open an incident (idempotent by its source), work it through
its statuses, send units, escalate what waits too long, read the caller's details under the
emergency purpose, and publish CAP 1.2 warnings. Every action is on the incident's timeline
and in the audit log, in the caller's transaction. Never commits.

Flows wire the other domains in: an alert, an infrastructure event or a tip opens an incident
through `open_incident(..., source=..., source_key=...)`; the unit registry's recommendation
goes on the timeline with `record_recommendation` (the incident's `capability` says what a unit
needs) and a chosen unit is sent with `assign_unit`; `escalate_due` and `sweep_escalations`
return what escalated for a flow to notify."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vigil.core import clock
from vigil.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from vigil.core.protect import IdentifierVault
from vigil.core.rekey import Rekeyed, reencrypt_columns
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import (
    SYSTEM_PRINCIPAL,
    AccessContext,
    Permission,
    Purpose,
    require,
    require_personal_data_access,
    system_context,
)
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule
from vigil.response import cap
from vigil.response.escalation import EscalationPolicy, IncidentClock, Reason, due_escalation
from vigil.response.models import (
    ResponseAssignment,
    ResponseIncident,
    ResponseTimelineEntry,
    ResponseWarning,
)
from vigil.response.schemas import CallerOut, IncidentIn, TransitionIn, WarningIn
from vigil.response.settings import ResponseSettings
from vigil.response.taxonomy import incident_type
from vigil.units import service as units
from vigil.units.roads import RoadGraph

SOURCES = ("officer", "alert", "infrastructure_event", "tip")
# action → (statuses it may start from, status it leads to, timestamp it sets)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "acknowledge": (frozenset({"new"}), "acknowledged", "acknowledged_at"),
    "dispatch": (frozenset({"new", "acknowledged"}), "dispatched", "dispatched_at"),
    "arrive": (frozenset({"dispatched"}), "on_scene", "on_scene_at"),
    "resolve": (
        frozenset({"new", "acknowledged", "dispatched", "on_scene"}),
        "resolved",
        "resolved_at",
    ),
    "close": (frozenset({"resolved"}), "closed", "closed_at"),
}


def incident_basis(incident_id: int) -> str:
    """The legal-basis reference an emergency read of this incident's caller cites."""
    return f"incident:{incident_id}"


def policy_from(settings: ResponseSettings) -> EscalationPolicy:
    return EscalationPolicy(settings.acknowledge_minutes, settings.attend_minutes)


def _is_system(ctx: AccessContext) -> bool:
    return ctx.principal == SYSTEM_PRINCIPAL


def _log(
    session: Session,
    incident: ResponseIncident,
    actor: str,
    kind: str,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    session.add(
        ResponseTimelineEntry(
            incident_id=incident.id,
            actor=actor,
            kind=kind,
            detail=detail or {},
            at=at or clock.utcnow(),
        )
    )


# --- Incidents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedIncident:
    incident: ResponseIncident
    created: bool  # False when the source had opened it already


def _by_source(
    session: Session, organisation_id: int, source: str, source_key: str
) -> ResponseIncident | None:
    return session.scalar(
        select(ResponseIncident).where(
            ResponseIncident.organisation_id == organisation_id,
            ResponseIncident.source == source,
            ResponseIncident.source_key == source_key,
        )
    )


def open_incident(
    session: Session,
    ctx: AccessContext,
    data: IncidentIn,
    *,
    source: str = "officer",
    source_key: str | None = None,
    vault: IdentifierVault | None = None,
    organisation_id: int | None = None,
) -> OpenedIncident:
    """Open an incident for the caller's agency (a system context names `organisation_id`).
    The same (agency, source, source_key) opens it once: a second call returns the first."""
    require(ctx, Permission.WORK_ALERTS)
    if source not in SOURCES:
        raise ValidationFailed("invalid incident", [FieldError("source", f"one of {SOURCES}")])
    key = (source_key or "").strip() or f"{source}-{secrets.token_hex(8)}"
    if len(key) > 120:
        raise ValidationFailed("invalid incident", [FieldError("source_key", "at most 120")])
    if _is_system(ctx):
        if organisation_id is None:
            raise ValidationFailed(
                "invalid incident", [FieldError("organisation_id", "say which agency it is for")]
            )
        org = organisation_id
    else:
        org = ctx.organisation_id
    existing = _by_source(session, org, source, key)
    if existing is not None:
        return OpenedIncident(existing, False)
    kind = incident_type(data.type)
    incident = ResponseIncident(
        organisation_id=org,
        type=kind.code,
        capability=kind.capability,
        priority=data.priority or kind.default_priority,
        status="new",
        summary=data.summary,
        latitude=data.latitude,
        longitude=data.longitude,
        address=data.address.strip(),
        source=source,
        source_key=key,
        created_by=ctx.principal,
        created_at=clock.utcnow(),
        escalations=0,
    )
    caller = data.caller
    if caller is not None and (caller.name or caller.phone):
        if vault is None:
            raise ValueError("caller details need the vault to be stored encrypted")
        incident.caller_name_ciphertext = vault.encrypt(caller.name) if caller.name else None
        incident.caller_phone_ciphertext = vault.encrypt(caller.phone) if caller.phone else None
    try:
        with session.begin_nested():  # a rolled-back savepoint expunges the incident again
            session.add(incident)
            session.flush()
    except IntegrityError:  # the same source, opened concurrently: theirs stands
        raced = _by_source(session, org, source, key)
        if raced is None:
            raise
        return OpenedIncident(raced, False)
    governance.register_legal_basis(
        session,
        ctx,
        incident_basis(incident.id),
        "incident",
        description="emergency reads while the incident is open",
        organisation_id=org,
    )
    _log(
        session,
        incident,
        ctx.principal,
        "opened",
        {"source": source, "source_key": key, "type": kind.code, "priority": incident.priority},
        at=incident.created_at,
    )
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "response_incident",
        incident.id,
        detail={"source": source, "source_key": key, "caller": incident.has_caller},
    )
    return OpenedIncident(incident, True)


def get_incident(session: Session, ctx: AccessContext, incident_id: int) -> ResponseIncident:
    require(ctx, Permission.WORK_ALERTS)
    incident = session.get(ResponseIncident, incident_id)
    if incident is None or (
        not _is_system(ctx) and incident.organisation_id != ctx.organisation_id
    ):
        raise NotFound(f"incident {incident_id} not found")
    return incident


def list_incidents(
    session: Session,
    ctx: AccessContext,
    status: str | None = None,
    escalated: bool | None = None,
) -> list[ResponseIncident]:
    require(ctx, Permission.WORK_ALERTS)
    query = select(ResponseIncident).where(ResponseIncident.organisation_id == ctx.organisation_id)
    if status:
        query = query.where(ResponseIncident.status == status)
    if escalated is not None:
        query = query.where(
            ResponseIncident.escalations > 0 if escalated else ResponseIncident.escalations == 0
        )
    return list(session.scalars(query.order_by(ResponseIncident.priority, ResponseIncident.id)))


def timeline(session: Session, ctx: AccessContext, incident_id: int) -> list[ResponseTimelineEntry]:
    incident = get_incident(session, ctx, incident_id)
    query = (
        select(ResponseTimelineEntry)
        .where(ResponseTimelineEntry.incident_id == incident.id)
        .order_by(ResponseTimelineEntry.id)
    )
    return list(session.scalars(query))


def units_of(session: Session, ctx: AccessContext, incident_id: int) -> list[ResponseAssignment]:
    incident = get_incident(session, ctx, incident_id)
    query = (
        select(ResponseAssignment)
        .where(ResponseAssignment.incident_id == incident.id)
        .order_by(ResponseAssignment.id)
    )
    return list(session.scalars(query))


def transition(
    session: Session, ctx: AccessContext, incident_id: int, change: TransitionIn
) -> ResponseIncident:
    incident = get_incident(session, ctx, incident_id)
    allowed_from, target, stamp = TRANSITIONS[change.action]
    if incident.status not in allowed_from:
        raise Conflict(f"cannot {change.action} an incident that is {incident.status}")
    now = clock.utcnow()
    previous = incident.status
    incident.status = target
    setattr(incident, stamp, now)
    detail: dict[str, Any] = {"from": previous, "to": target}
    if change.note:
        detail["note"] = change.note
    _log(session, incident, ctx.principal, change.action, detail, at=now)
    if target == "closed":  # a closed incident no longer justifies emergency reads
        governance.withdraw_legal_basis(session, ctx, incident_basis(incident.id))
    audit.record(
        session, ctx, Action.ALTER, "response_incident", incident.id, detail={"to": target}
    )
    return incident


def add_note(session: Session, ctx: AccessContext, incident_id: int, note: str) -> None:
    incident = get_incident(session, ctx, incident_id)
    _log(session, incident, ctx.principal, "note", {"note": note})
    audit.record(session, ctx, Action.ALTER, "response_incident", incident.id, detail={"note": 1})


def assign_unit(
    session: Session, ctx: AccessContext, incident_id: int, unit_id: int
) -> ResponseAssignment:
    """Send a unit of the shared registry: the unit becomes dispatched to the incident (its
    own status change, audited by the registry), and a new or acknowledged incident becomes
    dispatched. Sending the same unit twice adds nothing."""
    incident = get_incident(session, ctx, incident_id)
    existing = session.scalar(
        select(ResponseAssignment).where(
            ResponseAssignment.incident_id == incident.id, ResponseAssignment.unit_id == unit_id
        )
    )
    if existing is not None:
        return existing
    if incident.status in ("resolved", "closed"):
        raise Conflict(f"incident {incident.id} is {incident.status}")
    unit, _ = units.dispatch_unit(session, ctx, unit_id, "incident", str(incident.id))
    now = clock.utcnow()
    assignment = ResponseAssignment(
        incident_id=incident.id,
        unit_id=unit.id,
        unit_code=unit.code,
        assigned_by=ctx.principal,
        assigned_at=now,
    )
    session.add(assignment)
    detail: dict[str, Any] = {"unit_id": unit.id, "unit_code": unit.code}
    if incident.status in ("new", "acknowledged"):
        detail["from"], detail["to"] = incident.status, "dispatched"
        incident.status = "dispatched"
        incident.dispatched_at = now
    session.flush()
    _log(session, incident, ctx.principal, "unit_assigned", detail, at=now)
    audit.record(
        session, ctx, Action.ALTER, "response_incident", incident.id, detail={"unit": unit.id}
    )
    return assignment


def recommend_units(
    session: Session, ctx: AccessContext, graph: RoadGraph, incident_id: int, k: int = 3
) -> list[RecommendedUnit]:
    """The `k` available units with the capability the incident needs that reach it soonest
    by road, put on its timeline (`record_recommendation`)."""
    incident = get_incident(session, ctx, incident_id)
    picks = units.recommend(
        session,
        ctx,
        graph,
        incident.latitude,
        incident.longitude,
        capability=incident.capability,
        k=k,
    )
    proposed = [RecommendedUnit(unit.id, unit.code, pick.seconds) for unit, pick in picks]
    record_recommendation(session, ctx, incident.id, proposed)
    return proposed


@dataclass(frozen=True)
class RecommendedUnit:
    """A unit the registry's recommender proposes, nearest by travel time first."""

    unit_id: int
    unit_code: str
    travel_seconds: float


def record_recommendation(
    session: Session, ctx: AccessContext, incident_id: int, units: Sequence[RecommendedUnit]
) -> bool:
    """Put the recommended units on the timeline (for the dispatcher's board). The same
    recommendation twice in a row adds nothing; returns whether an entry was added."""
    incident = get_incident(session, ctx, incident_id)
    proposed = [
        {"unit_id": u.unit_id, "unit_code": u.unit_code, "travel_s": round(u.travel_seconds, 1)}
        for u in units
    ]
    last = session.scalar(
        select(ResponseTimelineEntry)
        .where(
            ResponseTimelineEntry.incident_id == incident.id,
            ResponseTimelineEntry.kind == "units_recommended",
        )
        .order_by(ResponseTimelineEntry.id.desc())
        .limit(1)
    )
    if last is not None and last.detail.get("units") == proposed:
        return False
    detail = {"capability": incident.capability, "units": proposed}
    _log(session, incident, ctx.principal, "units_recommended", detail)
    return True


# --- Caller details: personal data ----------------------------------------------------------


def read_caller(
    session: Session, ctx: AccessContext, vault: IdentifierVault, incident_id: int
) -> CallerOut:
    """The caller's name and phone, only for the emergency purpose, citing this incident
    (`incident:<id>`, registered as a legal basis when it opened, withdrawn when it closes).
    Audited as a consult, flagged for review afterwards."""
    require_personal_data_access(session, ctx, "incidents")
    if ctx.purpose != Purpose.EMERGENCY:
        raise Forbidden("caller details are read only for the emergency purpose")
    incident = get_incident(session, ctx, incident_id)
    if ctx.legal_basis != incident_basis(incident.id):
        raise Forbidden(f"cite the incident itself as legal basis: {incident_basis(incident.id)}")
    if incident.status == "closed":
        raise Forbidden(f"incident {incident.id} is closed and no longer a legal basis")
    name = (
        vault.reveal(incident.caller_name_ciphertext) if incident.caller_name_ciphertext else None
    )
    phone = (
        vault.reveal(incident.caller_phone_ciphertext) if incident.caller_phone_ciphertext else None
    )
    audit.record(
        session,
        ctx,
        Action.CONSULT,
        "response_incident_caller",
        incident.id,
        detail={"review": "required", "cleared": incident.caller_cleared},
    )
    _log(session, incident, ctx.principal, "caller_details_read", {"purpose": "emergency"})
    return CallerOut(incident_id=incident.id, name=name, phone=phone)


def _clear_callers(session: Session, cutoff: datetime) -> list[int]:
    """Incidents resolved or closed before the cutoff lose their caller's details."""
    finished = func.coalesce(ResponseIncident.closed_at, ResponseIncident.resolved_at)
    ids = list(
        session.scalars(
            select(ResponseIncident.id).where(
                ResponseIncident.status.in_(("resolved", "closed")),
                finished < cutoff,
                or_(
                    ResponseIncident.caller_name_ciphertext.is_not(None),
                    ResponseIncident.caller_phone_ciphertext.is_not(None),
                ),
            )
        )
    )
    if ids:
        session.execute(
            update(ResponseIncident)
            .where(ResponseIncident.id.in_(ids))
            .values(caller_name_ciphertext=None, caller_phone_ciphertext=None, caller_cleared=True)
        )
    return sorted(ids)


RETENTION_RULES = (RetentionRule("incident_caller", "pseudonymise", _clear_callers),)


# --- Escalation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Escalation:
    incident_id: int
    organisation_id: int
    reason: Reason
    priority: int
    deadline: datetime
    escalated_at: datetime


def escalate_due(
    session: Session,
    ctx: AccessContext,
    policy: EscalationPolicy,
    now: datetime | None = None,
) -> list[Escalation]:
    """Escalate every incident past its deadline to the supervisor: a timeline entry, an
    audit entry and the incident marked. A system context sweeps every agency. Returns what
    escalated, for a flow to notify; sweeping again at the same time adds nothing."""
    if not _is_system(ctx):
        require(ctx, Permission.APPROVE)
    at = now or clock.utcnow()
    query = select(ResponseIncident).where(
        or_(
            and_(ResponseIncident.status == "new", ResponseIncident.last_escalation.is_(None)),
            and_(
                ResponseIncident.status == "acknowledged",
                or_(
                    ResponseIncident.last_escalation.is_(None),
                    ResponseIncident.last_escalation != "unattended",
                ),
            ),
        )
    )
    if not _is_system(ctx):
        query = query.where(ResponseIncident.organisation_id == ctx.organisation_id)
    escalated: list[Escalation] = []
    entries: list[audit.EntryIn] = []
    for incident in session.scalars(query.order_by(ResponseIncident.id)):
        due = due_escalation(
            IncidentClock(
                incident.status,
                incident.priority,
                incident.created_at,
                incident.acknowledged_at,
                incident.last_escalation,
            ),
            at,
            policy,
        )
        if due is None:
            continue
        reason, deadline = due
        incident.escalations += 1
        incident.last_escalation = reason
        incident.escalated_at = at
        detail = {"reason": reason, "to": "supervisor", "deadline": deadline.isoformat()}
        _log(session, incident, ctx.principal, "escalated", detail, at=at)
        entries.append(audit.EntryIn(Action.ALTER, "response_incident", incident.id, detail=detail))
        escalated.append(
            Escalation(
                incident.id, incident.organisation_id, reason, incident.priority, deadline, at
            )
        )
    audit.record_many(session, ctx, entries)
    return escalated


EscalationHook = Callable[[Session, AccessContext, list[Escalation]], None]


def sweep_escalations(
    runtime: Runtime,
    settings: ResponseSettings | None = None,
    on_escalated: EscalationHook | None = None,
) -> list[Escalation]:
    """One sweep in its own unit of work, as Vigil's own job: what a periodic worker calls.
    `on_escalated` (a flow's notifier, e.g. an alert to the supervisor) runs in the same
    transaction, so an escalation and its notice commit together or not at all."""
    policy = policy_from(settings or ResponseSettings())
    ctx = system_context()
    with runtime.unit_of_work() as session:
        escalated = escalate_due(session, ctx, policy)
        if escalated and on_escalated is not None:
            on_escalated(session, ctx, escalated)
        return escalated


# --- CAP public warnings --------------------------------------------------------------------


def warning_document(
    incident: ResponseIncident,
    data: WarningIn,
    settings: ResponseSettings,
    sent: datetime,
    identifier: str,
    references: str | None = None,
) -> dict[str, Any]:
    """The CAP message about an incident, keyed by CAP element names. Only the incident's
    type, place and the supervisor's text go in: never its caller."""
    kind = incident_type(incident.type)
    area_desc = data.area_desc if data.area_desc is not None else incident.address
    if data.area_desc is None and not area_desc:
        area_desc = f"Around {incident.latitude:.4f}, {incident.longitude:.4f}"
    area: dict[str, Any] = {"areaDesc": area_desc}
    if data.polygon is not None:
        area["polygon"] = [data.polygon]
    if data.radius_km is not None and data.polygon is None:
        area["circle"] = [f"{incident.latitude},{incident.longitude} {data.radius_km}"]
    info: dict[str, Any] = {
        "language": data.language,
        "category": [kind.cap_category],
        "event": data.event if data.event is not None else kind.label,
        "responseType": list(data.response_type),
        "urgency": data.urgency,
        "severity": data.severity,
        "certainty": data.certainty,
        "expires": sent + timedelta(minutes=data.expires_minutes),
        "senderName": settings.cap_sender_name,
        "headline": data.headline or None,
        "description": data.description or None,
        "instruction": data.instruction or None,
        "area": [area],
    }
    return {
        "identifier": identifier,
        "sender": settings.cap_sender,
        "sent": sent,
        "status": data.status,
        "msgType": data.msg_type,
        "scope": "Public",
        "references": references,
        "info": [info],
    }


def publishable_xml(document: dict[str, Any], settings: ResponseSettings) -> tuple[bytes, bool]:
    """Validate (field-level errors first), write, check against the XSD, and sign when a key
    is configured. Raises `ValidationFailed` before anything is published."""
    alert = cap.check_cap(document)
    xml = cap.write_valid_xml(alert)
    material = settings.signing_material()
    if material is None:
        return xml, False
    signed = cap.sign(xml, *material)
    problems = cap.schema_errors(signed)
    if problems:  # the schema admits ds:Signature at the end of <alert>; guard all the same
        raise ValidationFailed(
            "the signed CAP message is invalid", [FieldError("xml", problems[0])]
        )
    return signed, True


def require_editor(ctx: AccessContext) -> None:
    """Building and publishing public warnings is the supervisor's."""
    require(ctx, Permission.APPROVE)


def publish_warning(
    session: Session,
    ctx: AccessContext,
    incident_id: int,
    data: WarningIn,
    settings: ResponseSettings,
) -> ResponseWarning:
    """A supervisor's public warning about an incident, validated against CAP 1.2 before it
    is stored and served; an Update or Cancel references the incident's previous warning."""
    require_editor(ctx)
    incident = get_incident(session, ctx, incident_id)
    sent = clock.utcnow().replace(microsecond=0)
    identifier = f"vigil-{incident.organisation_id}-{incident.id}-{secrets.token_hex(6)}"
    previous = session.scalar(
        select(ResponseWarning)
        .where(ResponseWarning.incident_id == incident.id)
        .order_by(ResponseWarning.id.desc())
        .limit(1)
    )
    references = None
    if previous is not None and data.msg_type != "Alert":
        references = (
            f"{settings.cap_sender},{previous.identifier},{cap.format_cap_time(previous.sent)}"
        )
    document = warning_document(incident, data, settings, sent, identifier, references)
    xml, signed = publishable_xml(document, settings)
    warning = ResponseWarning(
        incident_id=incident.id,
        organisation_id=incident.organisation_id,
        identifier=identifier,
        status=data.status,
        msg_type=data.msg_type,
        scope="Public",
        headline=(data.headline or document["info"][0]["event"])[:200],
        summary=data.description,
        sent=sent,
        xml=xml.decode(),
        signed=signed,
        published_by=ctx.principal,
    )
    session.add(warning)
    session.flush()
    _log(
        session,
        incident,
        ctx.principal,
        "warning_published",
        {"identifier": identifier, "msg_type": data.msg_type, "signed": signed},
        at=sent,
    )
    audit.record(
        session,
        ctx,
        Action.DISCLOSE,
        "response_warning",
        warning.id,
        recipient="public",
        detail={"identifier": identifier, "incident": incident.id, "signed": signed},
    )
    return warning


def public_warnings(session: Session, limit: int = 100) -> list[ResponseWarning]:
    """The public feed's warnings, newest first. Drafts are never served."""
    query = (
        select(ResponseWarning)
        .where(ResponseWarning.scope == "Public", ResponseWarning.status != "Draft")
        .order_by(ResponseWarning.sent.desc(), ResponseWarning.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def public_warning(session: Session, identifier: str) -> ResponseWarning:
    warning = session.scalar(
        select(ResponseWarning).where(ResponseWarning.identifier == identifier)
    )
    if warning is None or warning.scope != "Public" or warning.status == "Draft":
        raise NotFound(f"no public warning {identifier!r}")
    return warning


def atom_feed(session: Session, settings: ResponseSettings) -> bytes:
    base = settings.feed_base_url.rstrip("/")
    entries = [
        cap.FeedEntry(w.identifier, w.sent, w.headline, w.summary, f"{base}/{w.identifier}.xml")
        for w in public_warnings(session)
    ]
    return cap.atom_feed(entries, f"{base}/feed.atom", "Vigil public warnings", f"{base}/feed.atom")


# --- Key rotation -----------------------------------------------------------------------------


def rekey_callers(session: Session, vault: IdentifierVault, after_id: int, limit: int) -> Rekeyed:
    """Re-encrypt one batch of incidents' callers (`vigil keys rotate`)."""
    table = ResponseIncident.__table__
    assert isinstance(table, Table)
    columns = ("caller_name_ciphertext", "caller_phone_ciphertext")
    return reencrypt_columns(session, vault, table, columns, after_id, limit)
