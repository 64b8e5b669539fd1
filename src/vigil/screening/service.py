"""Watchlists with a legal basis and two-person approval, the banned-items catalogue, and the
per-process screening state that keeps the in-memory indexes in step with the database.

How a batch of filed persons is decided is a setting (`Settings.screening_decision`):
"score" (the default) screens each record on its own (`WatchlistIndex.screen`: the weighted
score and the list's chance check); "posterior" decides the batch together
(`WatchlistIndex.screen_batch`): the match probability of each candidate pair, its m and the
share of matches estimated by EM on the batch, and one threshold, the lowest that keeps the
batch's expected false alerts within `Settings.screening_false_alert_budget` per 1,000 records.
A batch too small to estimate from (`vigil.screening.posterior.MIN_BATCH`, a single filing
included) is scored as "score" does."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, or_, select, update
from sqlalchemy.orm import Session

from vigil.core.clock import as_utc, utcnow
from vigil.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from vigil.core.protect import IdentifierVault
from vigil.core.rekey import Rekeyed, rekey_hashed
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance.access import (
    AccessContext,
    Permission,
    Purpose,
    require,
    require_personal_data_access,
    system_context,
)
from vigil.governance.audit import Action
from vigil.governance.models import LegalBasis as LegalBasisRow
from vigil.intake.events import RegistrationFiled
from vigil.screening.entries import (
    Entry,
    LegalBasis,
    Match,
    PersonEntry,
    PropertyEntry,
    ScreeningRecord,
    UnlawfulEntry,
    VehicleEntry,
    entry_problem,
)
from vigil.screening.events import WATCHLIST_ENTRY_APPROVED, WatchlistEntryApproved
from vigil.screening.index import WatchlistIndex
from vigil.screening.models import (
    BannedItemRow,
    ScreeningEventRow,
    WatchlistChange,
    WatchlistEntry,
)
from vigil.screening.parcel_model import ParcelModel, shipped_model, with_second_opinion
from vigil.screening.parcels import (
    BannedCatalogue,
    BannedItem,
    ParcelDecision,
    load_catalogue,
    screen_parcel,
)
from vigil.screening.schemas import BannedItemIn, WatchlistEntryIn

STATE_KEY = "screening"


# --- Watchlists ----------------------------------------------------------------------------


def to_pure_entry(row: WatchlistEntry) -> Entry:
    basis = LegalBasis(row.basis_reference, row.basis_authority, row.expires_at)
    if row.kind == "person":
        return PersonEntry(
            entry_id=row.entry_id,
            name=row.name,
            legal_basis=basis,
            aliases=tuple(row.aliases or ()),
            birth_date=row.birth_date,
            id_hash=row.id_hash,
        )
    if row.kind == "property":
        return PropertyEntry(
            row.entry_id, basis, serial=row.serial, imei=row.imei, description=row.description
        )
    return VehicleEntry(
        row.entry_id, basis, vin=row.vin, plate=row.plate, description=row.description
    )


def _log_change(session: Session, entry_id: str, change: str, by: str) -> int:
    row = WatchlistChange(entry_id=entry_id, change=change, by=by)
    session.add(row)
    session.flush()
    return row.version


def propose_entry(
    session: Session,
    ctx: AccessContext,
    vault: IdentifierVault,
    data: WatchlistEntryIn,
    now: datetime | None = None,
) -> WatchlistEntry:
    """An addition waits for a supervisor's approval (two-person rule)."""
    require(ctx, Permission.EDIT_WATCHLIST)
    now = now or utcnow()
    protected = vault.protect(data.id_number) if data.id_number else None
    row = WatchlistEntry(
        entry_id=data.entry_id,
        kind=data.kind,
        status="pending",
        name=data.name,
        aliases=data.aliases,
        birth_date=data.birth_date,
        id_hash=protected.hash if protected else "",
        id_ciphertext=protected.ciphertext if protected else "",
        serial=data.serial,
        imei=data.imei,
        vin=data.vin,
        plate=data.plate,
        description=data.description,
        basis_reference=data.basis_reference,
        basis_authority=data.basis_authority,
        expires_at=data.expires_at,
        organisation_id=ctx.organisation_id,
        proposed_by=ctx.principal,
    )
    problem = entry_problem(to_pure_entry(row), now)
    if problem:
        raise ValidationFailed("unlawful watchlist entry", [FieldError("basis_reference", problem)])
    if session.scalar(select(WatchlistEntry.id).where(WatchlistEntry.entry_id == data.entry_id)):
        raise Conflict(f"watchlist entry {data.entry_id} exists")
    session.add(row)
    session.flush()
    _log_change(session, row.entry_id, "propose", ctx.principal)
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "watchlist_entry",
        row.entry_id,
        detail={"kind": row.kind, "basis": row.basis_reference, "status": "pending"},
    )
    return row


def decide_entry(
    session: Session, ctx: AccessContext, entry_id: str, approve: bool, now: datetime | None = None
) -> WatchlistEntry:
    require(ctx, Permission.APPROVE)
    now = now or utcnow()
    row = session.scalar(
        select(WatchlistEntry).where(WatchlistEntry.entry_id == entry_id).with_for_update()
    )
    if row is None:
        raise NotFound(f"watchlist entry {entry_id} not found")
    if row.status != "pending":
        raise Conflict(f"watchlist entry {entry_id} is {row.status}, not pending")
    if row.proposed_by == ctx.principal and ctx.principal != "system":
        raise Forbidden("two-person rule: the proposer cannot approve their own entry")
    if row.organisation_id != ctx.organisation_id and ctx.principal != "system":
        raise Forbidden("two-person rule: only a supervisor of the listing agency decides")
    if approve:
        problem = entry_problem(to_pure_entry(row), now)
        if problem:
            raise ValidationFailed(
                "unlawful watchlist entry", [FieldError("basis_reference", problem)]
            )
        _ensure_warrant_basis(session, ctx, row)
    row.status = "active" if approve else "rejected"
    row.decided_by = ctx.principal
    row.decided_at = now
    _log_change(session, row.entry_id, "approve" if approve else "reject", ctx.principal)
    if approve:  # stored registrations are screened against it (vigil/rescreen.py)
        session.add(ScreeningEventRow(kind=WATCHLIST_ENTRY_APPROVED, entry_id=entry_id, at=now))
    audit.record(
        session, ctx, Action.ALTER, "watchlist_entry", row.entry_id, detail={"status": row.status}
    )
    return row


def _ensure_warrant_basis(session: Session, ctx: AccessContext, row: WatchlistEntry) -> None:
    """A warrant behind an active entry is also a legal basis for investigation reads."""
    reference = f"warrant:{row.basis_reference}"
    if session.scalar(select(LegalBasisRow.id).where(LegalBasisRow.reference == reference)) is None:
        session.add(
            LegalBasisRow(
                reference=reference,
                kind="warrant",
                organisation_id=row.organisation_id,
                description=row.basis_authority,
                valid_until=row.expires_at,
            )
        )
        session.flush()


def withdraw_entry(session: Session, ctx: AccessContext, entry_id: str) -> WatchlistEntry:
    require(ctx, Permission.EDIT_WATCHLIST)
    row = session.scalar(select(WatchlistEntry).where(WatchlistEntry.entry_id == entry_id))
    if row is None:
        raise NotFound(f"watchlist entry {entry_id} not found")
    row.status = "withdrawn"
    _log_change(session, row.entry_id, "withdraw", ctx.principal)
    audit.record(
        session, ctx, Action.ERASE, "watchlist_entry", row.entry_id, detail={"status": "withdrawn"}
    )
    return row


def list_entries(
    session: Session, ctx: AccessContext, status: str | None = None, limit: int = 200
) -> list[WatchlistEntry]:
    require(ctx, Permission.EDIT_WATCHLIST)
    require_personal_data_access(session, ctx, "watchlist")
    query = select(WatchlistEntry).order_by(WatchlistEntry.id).limit(min(limit, 1000))
    if status:
        query = query.where(WatchlistEntry.status == status)
    rows = list(session.scalars(query))
    audit.record(
        session,
        ctx,
        Action.CONSULT,
        "watchlist_entry",
        status or "all",
        detail={"count": len(rows)},
    )
    return rows


# --- Screening's events, and the re-screen of stored registrations -------------------------


def approvals_pending(session: Session) -> bool:
    """Whether any `WatchlistEntryApproved` event waits (a cheap read, for idle loops)."""
    waiting = select(ScreeningEventRow.id).where(
        ScreeningEventRow.status == "pending", ScreeningEventRow.kind == WATCHLIST_ENTRY_APPROVED
    )
    return session.scalar(waiting.limit(1)) is not None


def claim_approvals(session: Session, limit: int = 10) -> list[WatchlistEntryApproved]:
    """Lock up to `limit` pending `WatchlistEntryApproved` events, oldest first, for the
    caller's transaction (`FOR UPDATE SKIP LOCKED`: workers share the queue)."""
    rows = list(
        session.scalars(
            select(ScreeningEventRow)
            .where(
                ScreeningEventRow.status == "pending",
                ScreeningEventRow.kind == WATCHLIST_ENTRY_APPROVED,
            )
            .order_by(ScreeningEventRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.attempts += 1
    return [WatchlistEntryApproved(row.entry_id, row.at, row.id) for row in rows]


def mark_events_done(session: Session, event_ids: list[int], now: datetime | None = None) -> None:
    """Mark claimed events done, in one statement."""
    if event_ids:
        session.execute(
            update(ScreeningEventRow)
            .where(ScreeningEventRow.id.in_(event_ids))
            .values(status="done", processed_at=now or utcnow())
            .execution_options(synchronize_session=False)
        )


@dataclass(frozen=True, slots=True)
class RescreenTarget:
    """What the re-screen for one approved entry needs to know of it: no name, no number."""

    entry_id: str
    kind: str
    organisation_id: int  # the listing agency, which the alerts go to
    context: AccessContext  # screening, under the entry's own warrant
    id_hash: str = ""  # the keyed hash of the resident ID it names, if any


def rescreen_target(session: Session, entry_id: str) -> RescreenTarget | None:
    """The entry if it is still active, with the access context its re-screen reads under:
    the purpose is screening and the legal basis is the entry's warrant (registered as
    `warrant:<reference>` on approval), so every read and alert of the re-screen is audited
    under it."""
    row = session.scalar(select(WatchlistEntry).where(WatchlistEntry.entry_id == entry_id))
    if row is None or row.status != "active":
        return None
    context = system_context(Purpose.SCREENING, f"warrant:{row.basis_reference}")
    return RescreenTarget(row.entry_id, row.kind, row.organisation_id, context, row.id_hash)


def screen_against_entry(
    index: WatchlistIndex, entry_id: str, records: list[ScreeningRecord], now: datetime
) -> list[Match]:
    """The matches of `records` with one listed entry, exactly as the live screen finds them.

    A one-entry index, built with the same code, finds the records that share a blocking key
    with the entry. Only those are screened against the whole list (`index`), and only the
    entry's matches are kept. Two reasons for using the whole list: how much weak evidence
    counts depends on how many listed persons share it, and an exact agreement with another
    listed person explains the record away. A one-entry index alone would judge a common name
    more leniently than the live screen does. Pure: no I/O, no clock."""
    entry = index.get(entry_id)
    if entry is None:  # withdrawn, or not in this index
        return []
    blocking = WatchlistIndex()
    try:
        blocking.add(entry, now)
    except UnlawfulEntry:  # its legal basis has lapsed
        return []
    matches: list[Match] = []
    for record in records:
        if blocking.screen(record, now, threshold=0.0):  # shares a key with the entry
            matches += [m for m in index.screen(record, now) if m.entry_id == entry_id]
    return matches


def registration_records(
    sector: str, submission_id: int, persons: list[dict[str, Any]], objects: dict[str, Any]
) -> list[ScreeningRecord]:
    """The records one stored registration offers for screening: one per person (record id
    `sector:submission:position`) and one for its objects (`sector:submission:objects`), if
    it has any. Built as the pipeline builds them."""
    records = []
    for position, person in enumerate(persons):
        records.append(
            person_screening_record(
                f"{sector}:{submission_id}:{position}",
                person.get("name") or "",
                _birth_text(person.get("birth_date")),
                person.get("doc_type"),
                person.get("id_hash"),
                person.get("id_birth_date"),
            )
        )
    found = ScreeningRecord(
        record_id=f"{sector}:{submission_id}:objects",
        vins=tuple(objects.get("vins", ())),
        plates=tuple(objects.get("plates", ())),
        imeis=tuple(objects.get("imeis", ())),
        serials=tuple(objects.get("serials", ())),
    )
    if any((found.vins, found.plates, found.imeis, found.serials)):
        records.append(found)
    return records


def _birth_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, date) else ""


def watchlist_version(session: Session) -> int:
    return int(session.scalar(select(func.max(WatchlistChange.version))) or 0)


# --- Banned-items catalogue ------------------------------------------------------------------


def to_pure_item(row: BannedItemRow) -> BannedItem:
    return BannedItem(
        item_id=row.item_id,
        category=row.category,
        names_zh=tuple(row.names_zh),
        names_en=tuple(row.names_en),
        legal_reference=row.legal_reference,
        effective_from=row.effective_from,
        action="inspect" if row.action == "inspect" else "refuse",
        exclusions=tuple(row.exclusions),
    )


def add_banned_item(session: Session, ctx: AccessContext, data: BannedItemIn) -> BannedItemRow:
    """Adds (or replaces) an item; every process picks it up at its next screening."""
    require(ctx, Permission.EDIT_WATCHLIST)
    row = BannedItemRow(
        item_id=data.item_id,
        category=data.category,
        action=data.action,
        names_zh=data.names_zh,
        names_en=data.names_en,
        exclusions=data.exclusions,
        legal_reference=data.legal_reference,
        effective_from=data.effective_from,
        added_by=ctx.principal,
    )
    try:
        to_pure_item(row)
    except ValueError as exc:
        raise ValidationFailed("invalid banned item", [FieldError("item_id", str(exc))]) from exc
    session.add(row)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.ALTER,
        "banned_item",
        data.item_id,
        detail={"catalogue_version": row.version, "category": data.category},
    )
    return row


def seed_catalogue(session: Session, ctx: AccessContext) -> int:
    """Load the seed catalogue shipped with Vigil into an empty database."""
    if session.scalar(select(func.count()).select_from(BannedItemRow)):
        return 0
    seed = load_catalogue()
    for item in seed.items.values():
        session.add(
            BannedItemRow(
                item_id=item.item_id,
                category=item.category,
                action=item.action,
                names_zh=list(item.names_zh),
                names_en=list(item.names_en),
                exclusions=list(item.exclusions),
                legal_reference=item.legal_reference,
                effective_from=item.effective_from,
                added_by=ctx.principal,
            )
        )
    session.flush()
    audit.record(
        session, ctx, Action.ALTER, "banned_item", "seed", detail={"count": len(seed.items)}
    )
    return len(seed.items)


# --- The per-process screening state ---------------------------------------------------------


MAX_WATCHLIST_GAPS = 1000


@dataclass
class ScreeningState:
    """The in-memory match index and catalogue, kept in step with the database by replaying
    the change logs incrementally (no full rebuild)."""

    index: WatchlistIndex = field(default_factory=WatchlistIndex)
    catalogue: BannedCatalogue = field(default_factory=BannedCatalogue)
    watchlist_version: int = 0
    catalogue_version: int = 0
    # versions below `watchlist_version` not seen yet: a transaction that took its version
    # earlier may commit later (PostgreSQL), and its change must not be skipped for good
    watchlist_gaps: set[int] = field(default_factory=set)
    decision: str = "score"  # or "posterior" (see the module docstring)
    false_alert_budget: float = 1.0  # per 1,000 records, for the "posterior" decision
    # the learned second opinion on parcels (VIGIL_PARCEL_MODEL=on); None: the rules alone
    parcel_model: ParcelModel | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def refresh(self, session: Session) -> None:
        with self._lock:
            self._refresh_watchlists(session)
            self._refresh_catalogue(session)

    def _refresh_watchlists(self, session: Session) -> None:
        newer = WatchlistChange.version > self.watchlist_version
        if self.watchlist_gaps:
            newer = or_(newer, WatchlistChange.version.in_(sorted(self.watchlist_gaps)))
        changes = session.scalars(
            select(WatchlistChange).where(newer).order_by(WatchlistChange.version)
        ).all()
        if not changes:
            return
        seen = {c.version for c in changes}
        self.watchlist_gaps -= seen
        top = max(seen)
        if top > self.watchlist_version:
            self.watchlist_gaps |= set(range(self.watchlist_version + 1, top)) - seen
            if len(self.watchlist_gaps) > MAX_WATCHLIST_GAPS:  # rolled back for good
                self.watchlist_gaps = set(sorted(self.watchlist_gaps)[-MAX_WATCHLIST_GAPS:])
        touched = {c.entry_id for c in changes}
        ids = sorted(touched)
        rows: dict[str, WatchlistEntry] = {}
        for start in range(0, len(ids), 10_000):  # a first refresh may read a million
            chunk = ids[start : start + 10_000]
            query = select(WatchlistEntry).where(WatchlistEntry.entry_id.in_(chunk))
            rows.update((r.entry_id, r) for r in session.scalars(query))
        for entry_id in touched:
            row = rows.get(entry_id)
            self.index.remove(entry_id)
            if row is not None and row.status == "active":
                self.index.add(to_pure_entry(row))
        self.watchlist_version = max(self.watchlist_version, top)

    def _refresh_catalogue(self, session: Session) -> None:
        rows = session.scalars(
            select(BannedItemRow)
            .where(BannedItemRow.version > self.catalogue_version)
            .order_by(BannedItemRow.version)
        ).all()
        for row in rows:
            if row.withdrawn:
                self.catalogue.remove_item(row.item_id)
            else:
                self.catalogue.add_item(to_pure_item(row))
            self.catalogue_version = row.version

    def screen_record(self, record: ScreeningRecord, now: datetime) -> list[Match]:
        return self.index.screen(record, now=now)

    def screen_persons(
        self, records: list[ScreeningRecord], now: datetime
    ) -> dict[str, list[Match]]:
        """The person matches of a batch of records, by record id, as `decision` says."""
        if self.decision == "posterior":
            found, _ = self.index.screen_batch(records, now, budget_per_k=self.false_alert_budget)
            return {r.record_id: m for r, m in zip(records, found, strict=True)}
        return {r.record_id: self.screen_record(r, now) for r in records}

    def screen_parcel(
        self, declared_contents: str, sender_verified: bool, on: date
    ) -> ParcelDecision:
        decision = screen_parcel(
            self.catalogue, declared_contents, sender_verified=sender_verified, on=on
        )
        if self.parcel_model is None:
            return decision
        return with_second_opinion(decision, declared_contents, self.parcel_model)


@dataclass(frozen=True, slots=True)
class RegistrationFinding:
    """What screening found in one part of a registration: a person (at `position`), its
    objects, or its parcel. Only parts with something to raise are returned."""

    event_id: int
    sector: str
    submission_id: int
    subject: str  # person | objects | parcel
    position: int | None = None
    matches: tuple[Match, ...] = ()
    parcel: ParcelDecision | None = None
    sender_verified: bool = True


def person_screening_record(
    record_id: str,
    name: str,
    birth_date: str | None,
    doc_type: str | None,
    id_hash: str | None,
    id_birth_date: str | None = None,
) -> ScreeningRecord:
    """`birth_date` as filed ('YYYY-MM-DD', 'YYYY-MM' or 'YYYY'); `id_birth_date` the date a
    resident ID embeds where intake found it apart from the one filed (a partial or another
    date), else the filed full date is the ID's own."""
    # Watchlists hold resident-ID hashes; a passport hash is not comparable with them.
    resident = doc_type == "cn_resident_id" and bool(id_hash)
    birth = birth_date or ""
    embedded = id_birth_date or (birth if len(birth) == 10 else "")
    return ScreeningRecord(
        record_id=record_id,
        name=name,
        birth_date=birth,
        id_hash=(id_hash or "") if resident else "",
        id_birth_date=embedded.replace("-", "") if resident else "",
    )


def screen_registrations(
    state: ScreeningState, events: Sequence[RegistrationFiled], now: datetime
) -> list[RegistrationFinding]:
    """Screen a batch of registrations against the in-memory watchlist index and banned-items
    catalogue: every person, the objects, the parcel. No I/O."""
    findings: list[RegistrationFinding] = []
    records = [
        person_screening_record(
            f"{event.sector}:{event.submission_id}:{person.position}",
            person.name,
            person.birth_date,
            person.doc_type,
            person.id_hash,
            person.id_birth_date,
        )
        for event in events
        for person in event.persons
    ]
    by_record = state.screen_persons(records, now)
    for event in events:
        where = f"{event.sector}:{event.submission_id}"
        for person in event.persons:
            matches = by_record[f"{where}:{person.position}"]
            if matches:
                findings.append(
                    RegistrationFinding(
                        event.event_id,
                        event.sector,
                        event.submission_id,
                        "person",
                        person.position,
                        tuple(matches),
                    )
                )
        objects = event.objects
        if objects:
            record = ScreeningRecord(
                record_id=f"{where}:objects",
                vins=objects.vins,
                plates=objects.plates,
                imeis=objects.imeis,
                serials=objects.serials,
            )
            matches = state.screen_record(record, now)
            if matches:
                findings.append(
                    RegistrationFinding(
                        event.event_id,
                        event.sector,
                        event.submission_id,
                        "objects",
                        matches=tuple(matches),
                    )
                )
        parcel = event.parcel
        if parcel is not None:
            decision = state.screen_parcel(
                parcel.declared_contents, parcel.sender_verified, now.date()
            )
            if decision.decision != "cleared":
                findings.append(
                    RegistrationFinding(
                        event.event_id,
                        event.sector,
                        event.submission_id,
                        "parcel",
                        parcel=decision,
                        sender_verified=parcel.sender_verified,
                    )
                )
    return findings


def entry_owners(session: Session, entry_ids: Iterable[str]) -> dict[str, int]:
    """The agency that listed each entry (one query), for routing its alerts."""
    ids = sorted(set(entry_ids))
    if not ids:
        return {}
    query = select(WatchlistEntry.entry_id, WatchlistEntry.organisation_id).where(
        WatchlistEntry.entry_id.in_(ids)
    )
    return {entry_id: int(org) for entry_id, org in session.execute(query) if org is not None}


def state_for(runtime: Runtime) -> ScreeningState:
    state = runtime.extensions.get(STATE_KEY)
    if state is None:
        settings = runtime.settings
        state = runtime.extensions.setdefault(
            STATE_KEY,
            ScreeningState(
                decision=settings.screening_decision,
                false_alert_budget=settings.screening_false_alert_budget,
                parcel_model=shipped_model() if settings.parcel_model == "on" else None,
            ),
        )
    assert isinstance(state, ScreeningState)
    return state


def refreshed_state(runtime: Runtime, session: Session | None = None) -> ScreeningState:
    """The state, brought up to what `session` sees (the pipeline passes the session that
    claimed its events, so every approval committed before the claim is in the list)."""
    state = state_for(runtime)
    if session is not None:
        state.refresh(session)
        return state
    with runtime.read_sessions() as own:
        state.refresh(own)
    return state


def expired(row: WatchlistEntry, now: datetime) -> bool:
    return row.expires_at is not None and as_utc(row.expires_at) <= as_utc(now)


def entry_summary(row: WatchlistEntry) -> dict[str, Any]:
    """An entry as staff see it; the identity number stays encrypted."""
    return {
        "entry_id": row.entry_id,
        "kind": row.kind,
        "status": row.status,
        "name": row.name,
        "aliases": row.aliases,
        "birth_date": row.birth_date,
        "has_id_number": bool(row.id_hash),
        "serial": row.serial,
        "imei": row.imei,
        "vin": row.vin,
        "plate": row.plate,
        "description": row.description,
        "basis_reference": row.basis_reference,
        "basis_authority": row.basis_authority,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        "proposed_by": row.proposed_by,
        "decided_by": row.decided_by,
    }


# --- Key rotation -----------------------------------------------------------------------------


def rekey_entries(session: Session, vault: IdentifierVault, after_id: int, limit: int) -> Rekeyed:
    """Re-key one batch of watchlist entries' identity numbers (`vigil keys rotate`); each
    changed entry is a new watchlist version, so every screening index reloads it."""
    table = WatchlistEntry.__table__
    assert isinstance(table, Table)
    done = rekey_hashed(session, vault, table, "id_hash", "id_ciphertext", after_id, limit)
    if done.ids:
        for entry_id in session.scalars(
            select(WatchlistEntry.entry_id).where(WatchlistEntry.id.in_(done.ids))
        ):
            _log_change(session, entry_id, "rekey", "system")
    return done
