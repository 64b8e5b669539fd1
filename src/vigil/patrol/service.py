"""Patrol places: create and list, within the caller's organisation. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.governance import audit
from vigil.governance.access import AccessContext, Permission, require
from vigil.governance.audit import Action
from vigil.patrol.models import PatrolPlace
from vigil.patrol.schemas import PlaceIn


def create_place(session: Session, ctx: AccessContext, data: PlaceIn) -> PatrolPlace:
    require(ctx, Permission.ANALYSE)
    place = PatrolPlace(organisation_id=ctx.organisation_id, **data.model_dump())
    session.add(place)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "patrol_place", place.id)
    return place


def list_places(session: Session, ctx: AccessContext) -> list[PatrolPlace]:
    """The organisation's places; no personal data, so no legal basis is needed."""
    require(ctx, Permission.ANALYSE)
    query = (
        select(PatrolPlace)
        .where(PatrolPlace.organisation_id == ctx.organisation_id)
        .order_by(PatrolPlace.id)
    )
    return list(session.scalars(query))
