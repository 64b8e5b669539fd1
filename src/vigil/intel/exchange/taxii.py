"""TAXII 2.1 server: collections of an agency's clues, served to partner agencies through
the one marking rule (`visible_page`), their agreements, and a disclosure audit per clue.

A reader is a partner agency: a key issued to it, or one of its staff's bearer token. A
collection serves the clues its agency originated; a reader sees it while an agreement from
that agency to the reader's is in force, and reads under that agreement as legal basis.
Within it:
- TLP:CLEAR and GREEN follow the marking rule (GREEN to agencies under an agreement);
- AMBER and AMBER+STRICT need a share to the reader's agency *and* an agreement in force
  that covers the marking (a share outlives an ended agreement; TAXII does not serve it);
- TLP:RED only to a named recipient reading with their own token (never to a key).

Plain functions that never commit. `taxii_api` maps them to HTTP."""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import (
    BadRequest,
    FieldError,
    Forbidden,
    NotFound,
    Unauthorized,
    ValidationFailed,
    VigilError,
)
from vigil.core.text import ascii_digits
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import (
    AccessContext,
    Permission,
    require,
    require_personal_data_access,
)
from vigil.governance.audit import Action, EntryIn
from vigil.governance.models import Organisation
from vigil.governance.roles import Purpose, Role
from vigil.intel.clues.models import Agreement, Clue, Share
from vigil.intel.clues.visibility import agreement_in_force, visible_page
from vigil.intel.exchange.models import TaxiiCollection, TaxiiKey, TaxiiStatus, TaxiiSync
from vigil.intel.exchange.service import NothingUsable, _records, import_bundle
from vigil.intel.exchange.stix import build_bundle, parse_bundle
from vigil.intel.marking import Tlp, tlp_rank

TAXII_MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
KEY_PREFIX = "vtx"
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_CONTENT_LENGTH = 10 * 1024 * 1024


class NotAcceptable(VigilError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, 406, "Not acceptable", "not-acceptable")


def taxii_time(value: datetime) -> str:
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_taxii_time(raw: str, name: str = "added_after") -> datetime:
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(
            "invalid filter",
            [FieldError(name, "an RFC 3339 timestamp, e.g. 2026-01-01T00:00:00.000Z")],
        ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# --- keys -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedTaxiiKey:
    key_id: int
    prefix: str
    secret: str  # shown once, never stored


def issue_key(session: Session, ctx: AccessContext, org_id: int, label: str = "") -> IssuedTaxiiKey:
    """An administrator issues a partner agency its key for reading collections."""
    require(ctx, Permission.MANAGE_API_KEYS)
    org = governance.get_organisation(session, org_id)
    if org.kind != "agency":
        raise ValidationFailed(
            "invalid key", [FieldError("organisation", "TAXII keys are for partner agencies")]
        )
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = TaxiiKey(
        prefix=prefix,
        key_hash=governance.secret_digest(secret),
        organisation_id=org.id,
        label=label[:100],
        created_by=ctx.principal,
    )
    session.add(key)
    session.flush()
    audit.record(session, ctx, Action.COLLECT, "taxii_key", key.id, detail={"organisation": org.id})
    return IssuedTaxiiKey(key.id, prefix, secret)


def revoke_key(session: Session, ctx: AccessContext, prefix: str) -> TaxiiKey:
    require(ctx, Permission.MANAGE_API_KEYS)
    key = session.scalar(select(TaxiiKey).where(TaxiiKey.prefix == prefix))
    if key is None:
        raise NotFound(f"TAXII key {prefix} not found")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(session, ctx, Action.ALTER, "taxii_key", key.id, detail={"revoked": True})
    return key


def is_taxii_key(presented: str) -> bool:
    return presented.startswith(f"{KEY_PREFIX}_")


class RevokedKey(Unauthorized):
    def __init__(self, ctx: AccessContext) -> None:
        self.ctx = ctx
        super().__init__("TAXII key revoked")


def context_for_key(session: Session, presented: str) -> AccessContext:
    """The partner agency's context. A key reads intelligence as an officer would, but
    has no user: TLP:RED, which goes only to named people, never reaches it."""
    parts = presented.split("_")
    if len(parts) < 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("malformed TAXII key")
    key = session.scalar(select(TaxiiKey).where(TaxiiKey.prefix == parts[1]))
    if key is None or not hmac.compare_digest(key.key_hash, governance.secret_digest(presented)):
        raise Unauthorized("unknown TAXII key")
    org = governance.get_organisation(session, key.organisation_id)
    ctx = AccessContext(
        principal=f"taxii:{key.prefix}",
        principal_id=key.id,
        organisation_id=org.id,
        organisation_name=org.name,
        role=Role.OFFICER,
    )
    if key.revoked_at is not None:
        raise RevokedKey(ctx)
    return ctx


# --- collections ----------------------------------------------------------------------------


def create_collection(
    session: Session,
    ctx: AccessContext,
    title: str,
    description: str = "",
    *,
    accepts_posts: bool = False,
    organisation_id: int | None = None,
) -> TaxiiCollection:
    """A supervisor opens a collection of their agency's clues to its partners."""
    require(ctx, Permission.APPROVE)
    if not title.strip():
        raise ValidationFailed("invalid collection", [FieldError("title", "a title is needed")])
    collection = TaxiiCollection(
        id=str(uuid.uuid4()),
        organisation_id=organisation_id or ctx.organisation_id,
        title=title.strip()[:200],
        description=description,
        accepts_posts=accepts_posts,
    )
    session.add(collection)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "taxii_collection",
        collection.id,
        detail={"title": collection.title, "accepts_posts": accepts_posts},
    )
    return collection


def _agreements_to(session: Session, reader_org: int) -> dict[int, Agreement]:
    """The widest agreement in force from each agency to the reader's."""
    best: dict[int, Agreement] = {}
    for ag in session.scalars(
        select(Agreement)
        .where(Agreement.to_org_id == reader_org, agreement_in_force(utcnow()))
        .order_by(Agreement.id)
    ):
        held = best.get(ag.from_org_id)
        if held is None or tlp_rank(ag.max_tlp) >= tlp_rank(held.max_tlp):
            best[ag.from_org_id] = ag
    return best


def reader_collections(
    session: Session, reader: AccessContext
) -> list[tuple[TaxiiCollection, Agreement]]:
    """The collections the reader's agreements open to it, with the agreement."""
    agreements = _agreements_to(session, reader.organisation_id)
    if not agreements:
        return []
    return [
        (c, agreements[c.organisation_id])
        for c in session.scalars(
            select(TaxiiCollection)
            .where(TaxiiCollection.organisation_id.in_(agreements))
            .order_by(TaxiiCollection.created_at, TaxiiCollection.id)
        )
    ]


@dataclass(frozen=True)
class OpenCollection:
    collection: TaxiiCollection
    agreement: Agreement
    ctx: AccessContext  # the reader, reading under the agreement


def open_collection(session: Session, reader: AccessContext, collection_id: str) -> OpenCollection:
    collection = session.get(TaxiiCollection, collection_id)
    if collection is None:
        raise NotFound(f"collection {collection_id} not found")
    if reader.organisation_id == collection.organisation_id:
        raise Forbidden("a collection serves partner agencies; your own agency reads the console")
    agreement = _agreements_to(session, reader.organisation_id).get(collection.organisation_id)
    if agreement is None:
        raise Forbidden(f"no sharing agreement in force opens collection {collection_id}")
    ctx = reader.with_purpose(Purpose.INVESTIGATION, f"agreement:{agreement.id}")
    require_personal_data_access(session, ctx, "clues")
    return OpenCollection(collection, agreement, ctx)


def collection_resource(c: TaxiiCollection, *, can_write: bool) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "can_read": True,
        "can_write": can_write,
        "media_types": [STIX_MEDIA],
    }


def can_write(opened: OpenCollection) -> bool:
    return opened.collection.accepts_posts and opened.ctx.can(Permission.READ_PERSONAL_DATA)


# --- objects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """One STIX object as this reader sees it in the collection."""

    date_added: datetime
    obj: dict[str, Any]
    clue_id: int  # the clue whose disclosure serves it

    @property
    def id(self) -> str:
        return str(self.obj["id"])

    @property
    def version(self) -> str:
        return str(
            self.obj.get("modified") or self.obj.get("created") or taxii_time(self.date_added)
        )

    @property
    def key(self) -> tuple[str, str]:
        return (taxii_time(self.date_added), self.id)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def served_objects(session: Session, opened: OpenCollection) -> list[Served]:
    """Every object the reader may see in the collection, in (date_added, id) order.

    A clue's date_added for this reader is when it reached them: its creation, or the
    share to them if later. Each clue's objects are built with the clue's own time, so
    versions are stable between reads; an object shared by several clues (the agency's
    identity, an entity) is served once, with the first clue that brought it."""
    ctx, agreement = opened.ctx, opened.agreement
    shown = visible_page(
        session,
        ctx,
        Clue.organisation_id == opened.collection.organisation_id,
        f"taxii:{opened.collection.id}",
    )
    allowed: list[Clue] = []
    held_back: list[int] = []
    for clue, _ in shown:
        tlp = Tlp(clue.tlp)
        if tlp in (Tlp.AMBER, Tlp.AMBER_STRICT) and tlp_rank(tlp) > tlp_rank(agreement.max_tlp):
            held_back.append(clue.id)  # a share, but the agreement no longer covers it
        else:
            allowed.append(clue)
    if held_back:
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "clue",
            f"taxii:{opened.collection.id}",
            outcome="refused",
            detail={
                "withheld": len(held_back),
                "clue_ids": held_back[:100],
                "reason": f"agreement {agreement.id} covers up to TLP:{agreement.max_tlp}",
            },
        )
    if not allowed:
        return []
    user_id = ctx.principal_id if ctx.principal.startswith("user:") else -1
    reached: dict[int, datetime] = {
        clue_id: _aware(at)
        for clue_id, at in session.execute(
            select(Share.clue_id, func.min(Share.created_at))
            .where(
                Share.clue_id.in_([c.id for c in allowed]),
                or_(
                    (Share.recipient_org_id == ctx.organisation_id)
                    & Share.recipient_user_id.is_(None),
                    Share.recipient_user_id == user_id,
                ),
            )
            .group_by(Share.clue_id)
        )
    }
    dated = sorted(
        ((max(_aware(c.created_at), reached.get(c.id, _aware(c.created_at))), c) for c in allowed),
        key=lambda pair: (pair[0], pair[1].id),
    )
    records = {r.stix_id: r for r in _records(session, [c for _, c in dated])}
    out: list[Served] = []
    seen: set[str] = set()
    for added, clue in dated:
        bundle = build_bundle([records[clue.stix_id]], now=_aware(clue.created_at))
        for obj in bundle["objects"]:
            if obj["id"] not in seen:
                seen.add(obj["id"])
                out.append(Served(added, obj, clue.id))
    out.sort(key=lambda s: s.key)
    return out


@dataclass
class Filters:
    added_after: datetime | None = None
    types: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    versions: frozenset[str] = frozenset({"last"})
    spec_versions: frozenset[str] = frozenset()
    limit: int = DEFAULT_LIMIT
    next: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _split(raw: str | None) -> frozenset[str]:
    return frozenset(v.strip() for v in (raw or "").split(",") if v.strip())


def parse_filters(params: dict[str, str]) -> Filters:
    """TAXII 2.1 query parameters, with field-level errors for bad values."""
    f = Filters()
    if params.get("added_after"):
        f.added_after = parse_taxii_time(params["added_after"])
    f.types = _split(params.get("match[type]"))
    f.ids = _split(params.get("match[id]"))
    f.versions = _split(params.get("match[version]")) or frozenset({"last"})
    for v in f.versions - {"first", "last", "all"}:
        parse_taxii_time(v, "match[version]")
    f.spec_versions = _split(params.get("match[spec_version]"))
    if "limit" in params:
        raw = params["limit"].strip()
        if not ascii_digits(raw) or not 1 <= int(raw) <= 100_000:
            raise BadRequest("invalid filter", [FieldError("limit", "a whole number from 1")])
        f.limit = min(int(raw), MAX_LIMIT)
    if params.get("next"):
        f.next = params["next"]
    return f


def _encode_next(key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _decode_next(token: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        first, second = json.loads(raw)
        return str(first), str(second)
    except (ValueError, TypeError) as exc:
        raise BadRequest(
            "invalid filter", [FieldError("next", "not a token this server gave")]
        ) from exc


def _version_matches(s: Served, versions: frozenset[str]) -> bool:
    if versions & {"first", "last", "all"}:
        return True  # Vigil keeps one version of each object
    return any(parse_taxii_time(v) == parse_taxii_time(s.version, "version") for v in versions)


def select_page(items: Sequence[Served], f: Filters) -> tuple[list[Served], bool, str | None]:
    """Filter, then the page after `next`: (items, more, next token)."""
    matching = [
        s
        for s in items
        if (f.added_after is None or s.date_added > f.added_after)
        and (not f.types or s.obj.get("type") in f.types)
        and (not f.ids or s.id in f.ids)
        and (not f.spec_versions or str(s.obj.get("spec_version", "2.1")) in f.spec_versions)
        and _version_matches(s, f.versions)
    ]
    if f.next is not None:
        after = _decode_next(f.next)
        matching = [s for s in matching if s.key > after]
    page = matching[: f.limit]
    more = len(matching) > len(page)
    return page, more, _encode_next(page[-1].key) if more else None


def disclose(session: Session, opened: OpenCollection, items: Iterable[Served], what: str) -> int:
    """One DISCLOSE entry per clue served, naming the recipient agency and the STIX ids."""
    by_clue: dict[int, list[str]] = {}
    for s in items:
        by_clue.setdefault(s.clue_id, []).append(s.id)
    ctx = opened.ctx
    recipient = f"org:{ctx.organisation_name}"
    if ctx.principal.startswith("user:"):
        recipient = f"{recipient}/{ctx.principal}"
    entries = [
        EntryIn(
            Action.DISCLOSE,
            "clue",
            clue_id,
            recipient=recipient,
            detail={"via": f"taxii:{opened.collection.id}", "in": what, "stix_ids": ids},
        )
        for clue_id, ids in sorted(by_clue.items())
    ]
    return audit.record_many(session, ctx, entries)


def date_headers(page: Sequence[Served]) -> dict[str, str]:
    if not page:
        return {}
    return {
        "X-TAXII-Date-Added-First": taxii_time(min(s.date_added for s in page)),
        "X-TAXII-Date-Added-Last": taxii_time(max(s.date_added for s in page)),
    }


def manifest_entry(s: Served) -> dict[str, Any]:
    return {
        "id": s.id,
        "date_added": taxii_time(s.date_added),
        "version": s.version,
        "media_type": STIX_MEDIA,
    }


# --- partners' POSTs ------------------------------------------------------------------------


def post_objects(session: Session, opened: OpenCollection, envelope: dict[str, Any]) -> TaxiiStatus:
    """A partner's objects go through the same import as `vigil intel import`, into the
    collection's agency. The partner may speak only for itself: objects that name another
    originator, or carry TLP:RED (which goes to named people, not a collection), are
    refused, and then nothing is stored."""
    if not can_write(opened):
        raise Forbidden(f"collection {opened.collection.id} does not accept objects")
    objects = envelope.get("objects")
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise BadRequest("invalid envelope", [FieldError("objects", "a list of STIX objects")])
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
    reader = opened.ctx
    try:
        parsed = parse_bundle(bundle)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BadRequest(f"not usable STIX 2.1 objects: {exc}") from exc
    errors = []
    for item in parsed.clues:
        if item.partner != reader.organisation_name:
            errors.append(
                FieldError(f"objects.{item.stix_id}", f"created by {item.partner!r}, not by you")
            )
        if item.tlp == Tlp.RED:
            errors.append(FieldError(f"objects.{item.stix_id}", "TLP:RED goes to named people"))
    if errors:
        raise ValidationFailed("objects refused", errors[:50])
    owner = governance.get_organisation(session, opened.collection.organisation_id)
    # The import files the clues with the collection's agency (which the partner shares
    # with), under the same agreement; the partner remains the actor in the audit log.
    into = AccessContext(
        principal=reader.principal,
        principal_id=reader.principal_id,
        organisation_id=owner.id,
        organisation_name=owner.name,
        role=Role.OFFICER,
        purpose=Purpose.INVESTIGATION,
        legal_basis=f"agreement:{opened.agreement.id}",
    )
    try:
        result = import_bundle(session, into, bundle)
    except NothingUsable as exc:
        report = exc.report
        result = {
            "imported": 0,
            "merged": report.total("merged"),
            "skipped": report.total("skipped"),
            "by_type": report.as_dict(),
        }
    status = TaxiiStatus(
        id=str(uuid.uuid4()),
        collection_id=opened.collection.id,
        organisation_id=reader.organisation_id,
        principal=reader.principal,
        total_count=len(objects),
        success_count=int(result["imported"]) + int(result["merged"]),
        failure_count=int(result["skipped"]),
        report=result,
    )
    session.add(status)
    session.flush()
    return status


def get_status(session: Session, reader: AccessContext, status_id: str) -> TaxiiStatus:
    status = session.get(TaxiiStatus, status_id)
    if status is None or status.organisation_id != reader.organisation_id:
        raise NotFound(f"status {status_id} not found")
    return status


def status_resource(status: TaxiiStatus) -> dict[str, Any]:
    return {
        "id": status.id,
        "status": "complete",
        "request_timestamp": taxii_time(status.request_timestamp),
        "total_count": status.total_count,
        "success_count": status.success_count,
        "failure_count": status.failure_count,
        "pending_count": 0,
        "x_vigil_import_report": status.report,
    }


def organisation_named(session: Session, name: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.name == name))


# --- the partners screen --------------------------------------------------------------------


def partners_overview(session: Session, ctx: AccessContext) -> dict[str, Any]:
    """For the partners screen: the agency's agreements both ways, the collections each
    opens, and the last pull and push per remote collection with its report. Holds no
    personal data (counts and names of agencies only)."""
    require(ctx, Permission.READ_PERSONAL_DATA)
    orgs = {o.id: o.name for o in session.scalars(select(Organisation))}
    now = utcnow()
    collections: dict[int, list[dict[str, Any]]] = {}
    for c in session.scalars(select(TaxiiCollection).order_by(TaxiiCollection.created_at)):
        collections.setdefault(c.organisation_id, []).append(
            {"id": c.id, "title": c.title, "accepts_posts": c.accepts_posts}
        )
    agreements = []
    for ag in session.scalars(
        select(Agreement)
        .where(
            or_(
                Agreement.from_org_id == ctx.organisation_id,
                Agreement.to_org_id == ctx.organisation_id,
            )
        )
        .order_by(Agreement.id)
    ):
        outgoing = ag.from_org_id == ctx.organisation_id
        expires = _aware(ag.expires_at) if ag.expires_at else None
        in_force = ag.active and ag.covers_clues and (expires is None or expires > now)
        agreements.append(
            {
                "id": ag.id,
                "direction": "out" if outgoing else "in",
                "partner": orgs.get(ag.to_org_id if outgoing else ag.from_org_id, "?"),
                "max_tlp": ag.max_tlp,
                "expires_at": expires.isoformat() if expires else None,
                "in_force": in_force,
                "collections": collections.get(ag.from_org_id, []) if in_force else [],
            }
        )
    syncs = [
        {
            "direction": s.direction,
            "server": s.server,
            "collection": s.collection,
            "last_at": _aware(s.last_at).isoformat(),
            "last_by": s.last_by,
            "report": s.report,
        }
        for s in session.scalars(
            select(TaxiiSync)
            .where(TaxiiSync.organisation_id == ctx.organisation_id)
            .order_by(TaxiiSync.last_at.desc())
        )
    ]
    return {
        "agreements": agreements,
        "collections": collections.get(ctx.organisation_id, []),
        "syncs": syncs,
    }
