"""Reportable precursor transactions: each filed sale of a listed substance goes into a
small ledger (buyer hash, substance, amounts, payment, stated use, seller, time), and the
plain rules of `vigil.precursors.rules` run over the buyer's purchases in the window.

The ledger read is the statute-based screening of this buyer's filed purchases of listed
substances, nothing else about the person; it is audited in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from vigil.core.clock import as_utc
from vigil.governance import audit
from vigil.governance.access import AccessContext, Purpose, require_personal_data_access
from vigil.governance.audit import Action
from vigil.governance.retention import RetentionRule
from vigil.precursors.catalogue import Catalogue
from vigil.precursors.rules import Purchase, RuleHit, RuleSettings, history_hits, sale_hits
from vigil.screening.models import PrecursorPurchaseRow


class SaleFacts(Protocol):
    @property
    def cas(self) -> str: ...
    @property
    def concentration_pct(self) -> float: ...
    @property
    def quantity_kg(self) -> float: ...
    @property
    def stated_use(self) -> str: ...
    @property
    def payment(self) -> str: ...
    @property
    def buyer_kind(self) -> str: ...
    @property
    def buyer_licence(self) -> str | None: ...
    @property
    def seller(self) -> str: ...
    @property
    def sold_at(self) -> datetime: ...


class FiledPersonKey(Protocol):
    @property
    def id_hash(self) -> str | None: ...


class ChemicalSaleEvent(Protocol):
    """What screening reads of a registration-filed event of the chemical sector."""

    @property
    def event_id(self) -> int: ...
    @property
    def submission_id(self) -> int: ...
    @property
    def sector(self) -> str: ...
    @property
    def persons(self) -> Sequence[FiledPersonKey]: ...

    @property
    def chemical(self) -> SaleFacts | None: ...


@dataclass(frozen=True, slots=True)
class PrecursorFinding:
    event_id: int
    sector: str
    submission_id: int
    hit: RuleHit


def buyer_key(event: ChemicalSaleEvent) -> str | None:
    sale = event.chemical
    if sale is None:
        return None
    if sale.buyer_kind == "business" and sale.buyer_licence:
        return f"uscc:{sale.buyer_licence}"
    person = event.persons[0] if event.persons else None
    return f"id:{person.id_hash}" if person is not None and person.id_hash else None


def _purchase(row: PrecursorPurchaseRow) -> Purchase:
    return Purchase(
        submission_id=row.submission_id,
        buyer_key=row.buyer_key,
        substance_id=row.substance_id,
        sold_at=as_utc(row.sold_at),
        quantity_kg=row.quantity_kg,
        pure_kg=row.pure_kg,
        concentration_pct=row.concentration_pct,
        payment=row.payment,
        stated_use=row.stated_use,
        seller=row.seller,
    )


def screen_precursor_sales(
    session: Session,
    ctx: AccessContext,
    events: Sequence[ChemicalSaleEvent],
    catalogue: Catalogue,
    settings: RuleSettings,
) -> list[PrecursorFinding]:
    """Record the batch's sales in the ledger, then run every rule on each new sale. Three
    statements whatever the batch size: the existing check, the insert, the window read."""
    sales = [
        (e, key)
        for e in events
        if e.chemical is not None
        and catalogue.find(e.chemical.cas) is not None
        and (key := buyer_key(e)) is not None
    ]
    if not sales:
        return []
    if ctx.purpose is not Purpose.SCREENING:
        raise ValueError("precursor rules run under the screening purpose")
    require_personal_data_access(session, ctx, "alerts")
    ids = [e.submission_id for e, _ in sales]
    known = set(
        session.scalars(
            select(PrecursorPurchaseRow.submission_id).where(
                PrecursorPurchaseRow.submission_id.in_(ids)
            )
        )
    )
    fresh = [(e, key) for e, key in sales if e.submission_id not in known]
    if not fresh:
        return []
    rows = []
    for event, key in fresh:
        sale = event.chemical
        substance = catalogue.find(sale.cas) if sale is not None else None
        assert sale is not None and substance is not None
        rows.append(
            PrecursorPurchaseRow(
                submission_id=event.submission_id,
                buyer_key=key,
                substance_id=substance.substance_id,
                sold_at=sale.sold_at,
                quantity_kg=sale.quantity_kg,
                pure_kg=sale.quantity_kg * sale.concentration_pct / 100,
                concentration_pct=sale.concentration_pct,
                payment=sale.payment,
                stated_use=sale.stated_use,
                seller=sale.seller,
            )
        )
    session.add_all(rows)
    session.flush()
    buyers = sorted({key for _, key in fresh})
    times = [as_utc(e.chemical.sold_at) for e, _ in fresh if e.chemical is not None]
    start, end = min(times) - settings.window, max(times)
    history: dict[str, list[Purchase]] = {}
    for row in session.scalars(
        select(PrecursorPurchaseRow).where(
            PrecursorPurchaseRow.buyer_key.in_(buyers),
            PrecursorPurchaseRow.sold_at > start,
            PrecursorPurchaseRow.sold_at <= end,
        )
    ):
        history.setdefault(row.buyer_key, []).append(_purchase(row))
    audit.record(
        session,
        ctx,
        Action.CONSULT,
        "precursor_purchases",
        f"{len(buyers)} buyers",
        detail={
            "purpose": ctx.purpose.value,
            "basis": ctx.legal_basis,
            "window_days": settings.window_days,
            "submissions": [e.submission_id for e, _ in fresh],
        },
    )
    by_submission = {e.submission_id: e for e, _ in fresh}
    new_by_buyer: dict[str, set[int]] = {}
    for event, key in fresh:
        new_by_buyer.setdefault(key, set()).add(event.submission_id)
    findings: list[PrecursorFinding] = []
    for key, new in new_by_buyer.items():
        purchases = history.get(key, [])
        hits: list[RuleHit] = []
        for purchase in purchases:
            substance = catalogue.by_id.get(purchase.substance_id)
            if purchase.submission_id in new and substance is not None:
                hits += sale_hits(purchase, substance, settings)
        hits += history_hits(purchases, new, catalogue, settings)
        for hit in hits:
            event = by_submission[hit.submission_id]
            findings.append(PrecursorFinding(event.event_id, event.sector, hit.submission_id, hit))
    findings.sort(key=lambda f: (f.submission_id, f.hit.rule_id))
    return findings


def purge_purchases(session: Session, cutoff: datetime) -> list[int]:
    """Retention: purchases older than the cutoff leave the ledger."""
    old = list(
        session.scalars(
            select(PrecursorPurchaseRow.id).where(PrecursorPurchaseRow.sold_at < cutoff)
        )
    )
    if old:
        session.execute(delete(PrecursorPurchaseRow).where(PrecursorPurchaseRow.id.in_(old)))
    return old


# Collected by the top floor (`vigil.domains`); importing this module registers nothing.
RETENTION_RULES = (RetentionRule("precursor_purchase", "delete", purge_purchases),)
