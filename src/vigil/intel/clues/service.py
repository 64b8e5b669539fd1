"""Clues and their entities: collect, read and search, through the marking rule.
Plain functions `(session, ctx, ...)` that never commit."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from vigil.core.errors import NotFound
from vigil.core.ids import normalise_plate
from vigil.governance import audit
from vigil.governance.access import (
    AccessContext,
    require_personal_data_access,
)
from vigil.governance.audit import Action
from vigil.governance.models import User
from vigil.intel.clues.models import Attachment, Clue, ClueEntity, Entity, Share
from vigil.intel.clues.schemas import AttachmentIn, ClueIn, ClueOut, EntityIn, EntityOut
from vigil.intel.clues.visibility import decide, get_visible_clue, visible_page
from vigil.intel.marking import (
    Decision,
    Tlp,
    grading,
    parse_grading,
)


def user_named(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"user {username!r} not found")
    return user


def entity_key(kind: str, value: str) -> str:
    text = " ".join(value.split())
    if kind == "phone":
        digits = re.sub(r"[^\d+]", "", text)
        return digits or text.casefold()
    if kind == "vehicle":
        return normalise_plate(text)
    return text.casefold()


def upsert_entity(session: Session, data: EntityIn) -> Entity:
    key = entity_key(data.kind, data.value)
    entity = session.scalar(select(Entity).where(Entity.kind == data.kind, Entity.key == key))
    if entity is None:
        entity = Entity(
            kind=data.kind,
            key=key,
            label=" ".join(data.value.split()),
            latitude=data.latitude,
            longitude=data.longitude,
        )
        session.add(entity)
        session.flush()
    return entity


def create_clue(
    session: Session,
    ctx: AccessContext,
    data: ClueIn,
    *,
    organisation_id: int | None = None,
    stix_id: str | None = None,
    created_by: str | None = None,
) -> Clue:
    require_personal_data_access(session, ctx, "clues")
    reliability, credibility = parse_grading(data.grading)
    clue = Clue(
        organisation_id=organisation_id or ctx.organisation_id,
        created_by=created_by or ctx.principal,
        text=data.text,
        source_type=data.source_type,
        reliability=reliability,
        credibility=credibility,
        tlp=data.tlp,
        handling=data.handling,
        stix_id=stix_id or f"report--{uuid.uuid4()}",
        imported_by=ctx.organisation_id if organisation_id else None,
    )
    session.add(clue)
    session.flush()
    seen: set[int] = set()
    for item in data.entities:
        entity = upsert_entity(session, item)
        if entity.id not in seen:
            seen.add(entity.id)
            session.add(ClueEntity(clue_id=clue.id, entity_id=entity.id))
    for att in data.attachments:
        session.add(
            Attachment(
                clue_id=clue.id,
                sha256=att.sha256,
                filename=att.filename,
                media_type=att.media_type,
                size=att.size,
            )
        )
    if clue.tlp == Tlp.RED.value and ctx.principal.startswith("user:"):
        # The author is the first named recipient of a RED clue.
        session.add(
            Share(
                clue_id=clue.id,
                recipient_org_id=ctx.organisation_id,
                recipient_user_id=ctx.principal_id,
                shared_by=ctx.principal,
            )
        )
    session.flush()
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "clue",
        clue.id,
        detail={"tlp": clue.tlp, "grading": grading(reliability, credibility)},
    )
    return clue


def clue_entities(session: Session, clue_ids: Iterable[int]) -> dict[int, list[Entity]]:
    ids = list(clue_ids)
    out: dict[int, list[Entity]] = defaultdict(list)
    if not ids:
        return out
    rows = session.execute(
        select(ClueEntity.clue_id, Entity)
        .join(Entity, Entity.id == ClueEntity.entity_id)
        .where(ClueEntity.clue_id.in_(ids))
        .order_by(Entity.id)
    ).all()
    for clue_id, entity in rows:
        out[clue_id].append(entity)
    return out


def clue_out(
    session: Session, ctx: AccessContext, clue: Clue, decision: Decision | None = None
) -> ClueOut:
    if decision is None:
        decision = decide(session, ctx, clue)
    return clues_out(session, ctx, [(clue, decision)])[0]


def clues_out(
    session: Session, ctx: AccessContext, decided: Sequence[tuple[Clue, Decision]]
) -> list[ClueOut]:
    """The clues as the API shows them, their entities and attachments read in one query
    each."""
    ids = [clue.id for clue, _ in decided]
    entities = clue_entities(session, ids)
    attachments: dict[int, list[Attachment]] = defaultdict(list)
    if ids:
        for a in session.scalars(
            select(Attachment).where(Attachment.clue_id.in_(ids)).order_by(Attachment.id)
        ):
            attachments[a.clue_id].append(a)
    return [
        ClueOut(
            id=clue.id,
            organisation_id=clue.organisation_id,
            created_at=clue.created_at,
            text=clue.text,
            source_type=clue.source_type,
            grading=grading(clue.reliability, clue.credibility),
            tlp=clue.tlp,
            handling=clue.handling,
            entities=[
                EntityOut(id=e.id, kind=e.kind, key=e.key, label=e.label) for e in entities[clue.id]
            ],
            attachments=[
                AttachmentIn(
                    sha256=a.sha256, filename=a.filename, media_type=a.media_type, size=a.size
                )
                for a in attachments[clue.id]
            ],
            visible_because=decision.reason,
        )
        for clue, decision in decided
    ]


def read_clue(session: Session, ctx: AccessContext, clue_id: int) -> ClueOut:
    require_personal_data_access(session, ctx, "clues")
    clue = get_visible_clue(session, ctx, clue_id)
    audit.record(session, ctx, Action.CONSULT, "clue", clue.id)
    return clue_out(session, ctx, clue)


def search_clues(
    session: Session,
    ctx: AccessContext,
    *,
    text: str | None = None,
    entity_kind: str | None = None,
    entity_value: str | None = None,
    tlp: str | None = None,
    limit: int = 100,
) -> list[ClueOut]:
    require_personal_data_access(session, ctx, "clues")
    conditions: list[ColumnElement[bool]] = []
    if text:
        # the words as typed: "%" and "_" in them are not wildcards
        conditions.append(Clue.text.icontains(text, autoescape=True))
    if tlp:
        conditions.append(Clue.tlp == tlp)
    if entity_kind and entity_value:
        key = entity_key(entity_kind, entity_value)
        conditions.append(
            Clue.id.in_(
                select(ClueEntity.clue_id)
                .join(Entity, Entity.id == ClueEntity.entity_id)
                .where(Entity.kind == entity_kind, Entity.key == key)
            )
        )
    candidates = and_(*conditions) if conditions else None
    found = visible_page(session, ctx, candidates, "search", limit=min(limit, 1000))
    audit.record(session, ctx, Action.CONSULT, "clue", "search", detail={"returned": len(found)})
    return clues_out(session, ctx, found)
