"""STIX 2.1 export and import, through the visibility rule."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.core.errors import BadRequest
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, require_personal_data_access, system_context
from vigil.governance.audit import Action
from vigil.governance.models import Organisation
from vigil.intel.cases.service import case_clue_ids, get_case
from vigil.intel.clues.models import Attachment, Clue, Share
from vigil.intel.clues.schemas import AttachmentIn, ClueIn, EntityIn
from vigil.intel.clues.service import clue_entities, create_clue
from vigil.intel.clues.visibility import visible_clues
from vigil.intel.exchange.stix import (
    AttachmentRecord,
    CaseRecord,
    ClueRecord,
    EntityRecord,
    ImportReport,
    build_bundle,
    parse_bundle,
)
from vigil.intel.marking import Tlp, grading


def _records(session: Session, clues: list[Clue]) -> list[ClueRecord]:
    orgs = {o.id: o.name for o in session.scalars(select(Organisation))}
    entities = clue_entities(session, [c.id for c in clues])
    out = []
    for clue in clues:
        atts = session.scalars(
            select(Attachment).where(Attachment.clue_id == clue.id).order_by(Attachment.id)
        )
        out.append(
            ClueRecord(
                stix_id=clue.stix_id,
                organisation=orgs[clue.organisation_id],
                created=clue.created_at,
                text=clue.text,
                source_type=clue.source_type,
                grading=grading(clue.reliability, clue.credibility),
                tlp=Tlp(clue.tlp),
                handling=clue.handling,
                entities=tuple(
                    EntityRecord(e.kind, e.key, e.label, e.latitude, e.longitude)
                    for e in entities[clue.id]
                ),
                attachments=tuple(
                    AttachmentRecord(a.sha256, a.filename, a.media_type, a.size) for a in atts
                ),
            )
        )
    return out


def _audit_export(session: Session, ctx: AccessContext, clues: list[Clue], what: str) -> None:
    for clue in clues:
        audit.record(
            session,
            ctx,
            Action.DISCLOSE,
            "clue",
            clue.id,
            recipient="stix-export",
            detail={"in": what},
        )


def export_case(session: Session, ctx: AccessContext, case_id: int) -> dict[str, Any]:
    require_personal_data_access(session, ctx, "cases")
    case = get_case(session, ctx, case_id)
    linked = case_clue_ids(session, case.id)
    clues = visible_clues(session, ctx, Clue.id.in_(linked), f"export:case:{case.id}")
    org = governance.get_organisation(session, case.organisation_id)
    record = CaseRecord(
        case.stix_id, org.name, case.created_at, case.title, case.description, case.status
    )
    _audit_export(session, ctx, clues, f"case:{case.id}")
    return build_bundle(_records(session, clues), record)


def export_visible(session: Session, ctx: AccessContext) -> dict[str, Any]:
    """Everything the caller may see."""
    require_personal_data_access(session, ctx, "clues")
    clues = visible_clues(session, ctx, None, "export:all")
    _audit_export(session, ctx, clues, "all")
    return build_bundle(_records(session, clues))


def _partner_org(session: Session, name: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        # A partner seen for the first time becomes an agency of its own, the originator.
        org = governance.create_organisation(session, system_context(), name, "agency")
    return org


class NothingUsable(BadRequest):
    """A bundle none of whose objects could become a clue."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        lines = "; ".join(report.lines()) or "the bundle has no objects"
        super().__init__(f"the bundle holds nothing Vigil can import ({lines})")


def import_bundle(session: Session, ctx: AccessContext, bundle: dict[str, Any]) -> dict[str, Any]:
    """Partners' objects as clues, kept under the partner as originating agency and shared
    with the importing agency (RED: with the importing user only). Returns the import report;
    raises `NothingUsable` (400) when no object can become a clue."""
    require_personal_data_access(session, ctx, "clues")
    try:
        parsed = parse_bundle(bundle)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BadRequest(f"not a usable STIX 2.1 bundle: {exc}") from exc
    report = parsed.report
    if not parsed.clues:
        raise NothingUsable(report)
    for item in parsed.clues:
        known = session.scalar(select(Clue.id).where(Clue.stix_id == item.stix_id))
        if known is not None:
            report.note(item.stix_type, "merged", "already imported (same STIX id)")
            continue
        partner = _partner_org(session, item.partner)
        try:
            data = ClueIn(
                text=item.text,
                source_type=item.source_type,
                grading=item.grading,
                tlp=item.tlp.value,
                handling=item.handling,
                entities=[
                    EntityIn(
                        kind=e.kind, value=e.label[:300], latitude=e.latitude, longitude=e.longitude
                    )
                    for e in item.entities
                ],
                attachments=[
                    AttachmentIn(
                        sha256=a.sha256, filename=a.filename, media_type=a.media_type, size=a.size
                    )
                    for a in item.attachments
                ],
            )
        except ValidationError as exc:
            reason = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            report.note(item.stix_type, "skipped", f"invalid: {reason}"[:200])
            continue
        clue = create_clue(
            session,
            ctx,
            data,
            organisation_id=partner.id,
            stix_id=item.stix_id,
            created_by=f"import:{ctx.principal}",
        )
        if partner.id != ctx.organisation_id and item.tlp != Tlp.RED:
            session.add(
                Share(
                    clue_id=clue.id,
                    recipient_org_id=ctx.organisation_id,
                    shared_by=f"partner:{partner.name}",
                )
            )
        report.note(item.stix_type, "imported", f"a clue from {item.partner}")
    result = {
        "imported": report.total("imported"),
        "merged": report.total("merged"),
        "skipped": report.total("skipped"),
        "by_type": report.as_dict(),
    }
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "stix_bundle",
        str(bundle.get("id", "?"))[:80],
        detail={k: result[k] for k in ("imported", "merged", "skipped")},
    )
    return result
