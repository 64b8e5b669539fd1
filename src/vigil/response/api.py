"""Emergency response over HTTP: officers open and work incidents, supervisors publish CAP
warnings, and anyone reads the public warning feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy.orm import Session

from vigil.http.deps import ContextDep, PurposefulDep, RuntimeDep, UnitOfWork
from vigil.http.params import RowId
from vigil.response import cap, service
from vigil.response.models import ResponseIncident
from vigil.response.schemas import (
    AssignIn,
    AssignmentOut,
    CallerOut,
    CapCheckOut,
    EscalationOut,
    IncidentDetailOut,
    IncidentIn,
    IncidentOut,
    IncidentStatus,
    NoteIn,
    RecommendedUnitOut,
    TimelineOut,
    TransitionIn,
    WarningIn,
    WarningOut,
)
from vigil.response.settings import ResponseSettings
from vigil.units.roads import cached_road_graph

router = APIRouter(prefix="/v1/response", tags=["response"])
SETTINGS_EXTENSION = "response_settings"


def _settings(runtime: RuntimeDep) -> ResponseSettings:
    found = runtime.extensions.get(SETTINGS_EXTENSION)
    if found is None:
        found = runtime.extensions[SETTINGS_EXTENSION] = ResponseSettings()
    assert isinstance(found, ResponseSettings)
    return found


def _detail(session: Session, ctx: Any, incident: ResponseIncident) -> IncidentDetailOut:
    return IncidentDetailOut.model_validate(
        {
            **IncidentOut.model_validate(incident).model_dump(),
            "units": [
                AssignmentOut.model_validate(a) for a in service.units_of(session, ctx, incident.id)
            ],
            "timeline": [
                TimelineOut.model_validate(t) for t in service.timeline(session, ctx, incident.id)
            ],
        }
    )


@router.post("/incidents", status_code=201, response_model=IncidentOut)
def open_incident(
    body: IncidentIn,
    response: Response,
    session: UnitOfWork,
    ctx: ContextDep,
    runtime: RuntimeDep,
    idempotency_key: Annotated[str | None, Header(max_length=120)] = None,
) -> IncidentOut:
    """An officer opens an incident; one Idempotency-Key opens it once (200 the second time)."""
    opened = service.open_incident(
        session, ctx, body, source="officer", source_key=idempotency_key, vault=runtime.vault
    )
    if not opened.created:
        response.status_code = 200
    return IncidentOut.model_validate(opened.incident)


@router.get("/incidents", response_model=list[IncidentOut])
def list_incidents(
    session: UnitOfWork,
    ctx: ContextDep,
    status: IncidentStatus | None = None,
    escalated: Annotated[bool | None, Query()] = None,
) -> list[IncidentOut]:
    return [
        IncidentOut.model_validate(i)
        for i in service.list_incidents(session, ctx, status, escalated)
    ]


@router.get("/incidents/{incident_id}", response_model=IncidentDetailOut)
def get_incident(incident_id: RowId, session: UnitOfWork, ctx: ContextDep) -> IncidentDetailOut:
    return _detail(session, ctx, service.get_incident(session, ctx, incident_id))


@router.post("/incidents/{incident_id}/transitions", response_model=IncidentDetailOut)
def transition(
    incident_id: RowId, body: TransitionIn, session: UnitOfWork, ctx: ContextDep
) -> IncidentDetailOut:
    return _detail(session, ctx, service.transition(session, ctx, incident_id, body))


@router.post("/incidents/{incident_id}/notes", response_model=IncidentDetailOut)
def add_note(
    incident_id: RowId, body: NoteIn, session: UnitOfWork, ctx: ContextDep
) -> IncidentDetailOut:
    service.add_note(session, ctx, incident_id, body.note)
    return _detail(session, ctx, service.get_incident(session, ctx, incident_id))


@router.post("/incidents/{incident_id}/units", status_code=201, response_model=AssignmentOut)
def assign_unit(
    incident_id: RowId, body: AssignIn, session: UnitOfWork, ctx: ContextDep
) -> AssignmentOut:
    assignment = service.assign_unit(session, ctx, incident_id, body.unit_id)
    return AssignmentOut.model_validate(assignment)


@router.post("/incidents/{incident_id}/recommendation", response_model=list[RecommendedUnitOut])
def recommend_units(
    incident_id: RowId,
    session: UnitOfWork,
    ctx: ContextDep,
    runtime: RuntimeDep,
    k: Annotated[int, Query(ge=1, le=20)] = 3,
) -> list[RecommendedUnitOut]:
    """The nearest available units by road with the capability the incident needs; the
    recommendation goes on the incident's timeline."""
    graph = cached_road_graph(runtime.settings.road_graph)
    picks = service.recommend_units(session, ctx, graph, incident_id, k=k)
    return [
        RecommendedUnitOut(
            unit_id=p.unit_id, unit_code=p.unit_code, travel_seconds=round(p.travel_seconds, 1)
        )
        for p in picks
    ]


@router.get("/incidents/{incident_id}/caller", response_model=CallerOut)
def read_caller(
    incident_id: RowId, session: UnitOfWork, ctx: PurposefulDep, runtime: RuntimeDep
) -> CallerOut:
    """Caller details: X-Purpose: emergency and X-Legal-Basis: incident:<id>, audited."""
    return service.read_caller(session, ctx, runtime.vault, incident_id)


@router.post("/escalations/sweep", response_model=list[EscalationOut])
def sweep(session: UnitOfWork, ctx: ContextDep, runtime: RuntimeDep) -> list[EscalationOut]:
    policy = service.policy_from(_settings(runtime))
    return [
        EscalationOut.model_validate(e, from_attributes=True)
        for e in service.escalate_due(session, ctx, policy)
    ]


@router.post("/incidents/{incident_id}/warnings", status_code=201, response_model=WarningOut)
def publish_warning(
    incident_id: RowId, body: WarningIn, session: UnitOfWork, ctx: ContextDep, runtime: RuntimeDep
) -> WarningOut:
    warning = service.publish_warning(session, ctx, incident_id, body, _settings(runtime))
    return WarningOut.model_validate(warning)


@router.post("/warnings/check", response_model=CapCheckOut)
def check_warning(document: dict[str, Any], ctx: ContextDep) -> CapCheckOut:
    """The warning editor's check: a CAP message keyed by element names, refused field by
    field, or its XML as it would be published (unsigned)."""
    service.require_editor(ctx)
    xml = cap.write_valid_xml(cap.check_cap(document))
    return CapCheckOut(valid=True, xml=xml.decode())


@router.get(
    "/warnings/feed.atom",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
)
def warning_feed(session: UnitOfWork, runtime: RuntimeDep) -> Response:
    """The public Atom feed of published warnings (no login: they are public)."""
    body = service.atom_feed(session, _settings(runtime))
    return Response(body, media_type="application/atom+xml")


@router.get(
    "/warnings/{identifier}.xml",
    response_class=Response,
    responses={200: {"content": {cap.CAP_MEDIA_TYPE: {}}}},
)
def warning_xml(identifier: str, session: UnitOfWork) -> Response:
    warning = service.public_warning(session, identifier)
    return Response(warning.xml.encode(), media_type=cap.CAP_MEDIA_TYPE)
