"""The versioned catalogue: seeded from the shipped lists, extended at run time by an admin
or supervisor, and read as a per-process snapshot that follows the version."""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigil.core.errors import Forbidden
from vigil.governance import audit
from vigil.governance.access import SYSTEM_PRINCIPAL, AccessContext, Role
from vigil.governance.audit import Action
from vigil.precursors.catalogue import Catalogue, Substance, seed_substances
from vigil.precursors.models import PrecursorSubstanceRow
from vigil.precursors.rules import RuleSettings, rules
from vigil.precursors.schemas import SubstanceIn

CATALOGUE_EDITORS = frozenset({Role.ADMIN, Role.SUPERVISOR})
DEFAULT_SETTINGS = RuleSettings()


def to_substance(row: PrecursorSubstanceRow) -> Substance:
    return Substance(
        substance_id=row.substance_id,
        name_zh=row.name_zh,
        name_en=row.name_en,
        cas=row.cas,
        synonyms=tuple(row.synonyms or ()),
        lists=tuple(row.lists or ()),
        restricted_above_pct=row.restricted_above_pct,
        licence_upper_pct=row.licence_upper_pct,
        cumulative_pure_kg=row.cumulative_pure_kg,
        large_quantity_kg=row.large_quantity_kg,
        mixture_role=row.mixture_role,  # type: ignore[arg-type]
        verification=row.verification,
    )


def _row(substance: Substance, by: str) -> PrecursorSubstanceRow:
    fields = asdict(substance)
    fields["synonyms"] = list(substance.synonyms)
    fields["lists"] = list(substance.lists)
    return PrecursorSubstanceRow(**fields, added_by=by)


def seed_catalogue(session: Session, ctx: AccessContext) -> int:
    """Load the shipped catalogue into an empty database (idempotent)."""
    if session.scalar(select(func.count()).select_from(PrecursorSubstanceRow)):
        return 0
    seed = seed_substances()
    session.add_all([_row(s, ctx.principal) for s in seed])
    session.flush()
    audit.record(
        session, ctx, Action.ALTER, "precursor_substance", "seed", detail={"count": len(seed)}
    )
    return len(seed)


def add_substance(session: Session, ctx: AccessContext, data: SubstanceIn) -> PrecursorSubstanceRow:
    """A new version of the catalogue with this substance added or replaced; every process
    sees it at its next filing or screening."""
    if ctx.role not in CATALOGUE_EDITORS and ctx.principal != SYSTEM_PRINCIPAL:
        raise Forbidden(f"role {ctx.role.value} may not change the precursor catalogue")
    fields = data.model_dump()
    fields.update(synonyms=tuple(data.synonyms), lists=tuple(data.lists))
    substance = Substance(**fields)
    row = _row(substance, ctx.principal)
    session.add(row)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "precursor_substance",
        data.substance_id,
        detail={"catalogue_version": row.version, "cas": substance.cas},
    )
    return row


def catalogue_version(session: Session) -> int:
    return int(session.scalar(select(func.max(PrecursorSubstanceRow.version))) or 0)


_CACHE: dict[tuple[int, str], tuple[Any, Catalogue]] = {}
_LOCK = threading.Lock()


def current_catalogue(session: Session) -> Catalogue:
    """The catalogue at the database's latest version: a per-engine snapshot, rebuilt (a few
    dozen rows) when the latest version moved, else one cheap query. An empty database
    gives the shipped seed, so that a sale is never judged against no catalogue at all."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    key = (id(engine), str(getattr(engine, "url", "")))
    latest = session.execute(
        select(PrecursorSubstanceRow.version, PrecursorSubstanceRow.added_at)
        .order_by(PrecursorSubstanceRow.version.desc())
        .limit(1)
    ).first()
    if latest is None:
        return Catalogue.of(seed_substances(), version=0)
    stamp = tuple(latest)
    with _LOCK:
        known = _CACHE.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
    catalogue = Catalogue(version=int(latest[0]))
    rows = session.scalars(
        select(PrecursorSubstanceRow)
        .where(PrecursorSubstanceRow.version <= catalogue.version)
        .order_by(PrecursorSubstanceRow.version)
    )
    for row in rows:
        if row.withdrawn:
            catalogue.remove(row.substance_id)
        else:
            catalogue.add(to_substance(row))
    with _LOCK:
        _CACHE[key] = (stamp, catalogue)
    return catalogue


def catalogue_view(catalogue: Catalogue) -> dict[str, Any]:
    from vigil.precursors.catalogue import LISTS

    return {
        "version": catalogue.version,
        "lists": dict(LISTS),
        "substances": [
            {**asdict(s), "synonyms": list(s.synonyms), "lists": list(s.lists)}
            for s in sorted(catalogue.by_id.values(), key=lambda s: s.substance_id)
        ],
    }


def rules_view(settings: RuleSettings = DEFAULT_SETTINGS) -> dict[str, Any]:
    return {"rules": [{**asdict(r), "parameters": dict(r.parameters)} for r in rules(settings)]}
