"""The transaction rules, each a plain rule anyone can read, with its legal source and its
parameters (configuration, shown by the API). Pure: the caller passes the purchases.

One refusal at filing (`RESTRICTED_SALE`) and four reportable-transaction rules that raise
an alert to the agency. None scores or predicts anything about a person: each fires on
what was bought, in what amount, how it was paid for, and with what else."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from vigil.precursors.catalogue import Catalogue, Substance

EU_REG = "Regulation (EU) 2019/1148"
CN_DECREE = "危险化学品安全管理条例 (State Council Decree 591, 2011 revision)"
CN_MEASURES = "易制爆危险化学品治安管理办法 (Ministry of Public Security Order 154, 2019)"
# Article 9(1) points (c) and (e) are read from a secondary rendering of the text (and
# Article 9(3)(c), (e) of the repealed Regulation (EU) No 98/2013 on legislation.gov.uk);
# the paragraph numbers of 2019/1148 are not checked against the Official Journal here.


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    title: str
    text: str  # the rule, in words anyone can read
    source: str  # the legal source
    effect: str  # refuse | alert
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Mixture:
    """A combination of an oxidiser and a fuel known to make an explosive mixture."""

    mixture_id: str
    name: str
    oxidisers: frozenset[str]
    fuels: frozenset[str]
    source: str

    def partners(self, substance_id: str) -> frozenset[str]:
        if substance_id in self.oxidisers:
            return self.fuels
        if substance_id in self.fuels:
            return self.oxidisers
        return frozenset()


EXPLOSIVES_TEXT = "J. Akhavan, The Chemistry of Explosives, 3rd ed., RSC 2011"
MIXTURES: tuple[Mixture, ...] = (
    Mixture(
        "ammonal",
        "ammonium nitrate with aluminium powder (ammonal)",
        frozenset({"ammonium-nitrate"}),
        frozenset({"aluminium-powder"}),
        f"{EXPLOSIVES_TEXT} (ammonal, ammonium nitrate–aluminium); {EU_REG} Art. 9(1)(c): "
        "combinations uncommon for legitimate use",
    ),
    Mixture(
        "flash-powder",
        "perchlorate or chlorate with aluminium or magnesium powder (flash powder)",
        frozenset({"potassium-perchlorate", "potassium-chlorate", "sodium-perchlorate"}),
        frozenset({"aluminium-powder", "magnesium-powder"}),
        f"{EXPLOSIVES_TEXT} (pyrotechnic compositions of perchlorate and metal powder); "
        f"{EU_REG} Art. 9(1)(c)",
    ),
    Mixture(
        "annm",
        "ammonium nitrate with nitromethane",
        frozenset({"ammonium-nitrate"}),
        frozenset({"nitromethane"}),
        f"{EXPLOSIVES_TEXT} (binary ammonium nitrate explosives); {EU_REG} Art. 9(1)(c)",
    ),
    Mixture(
        "chlorate-sulphur",
        "chlorate with sulphur",
        frozenset({"potassium-chlorate", "sodium-chlorate"}),
        frozenset({"sulphur"}),
        f"{EXPLOSIVES_TEXT} (chlorate mixtures, friction-sensitive); {EU_REG} Art. 9(1)(c)",
    ),
)


# The largest quantity (product kg) one sale plausibly needs for each stated use. A sale
# above it is "a quantity uncommon for the stated use". Configuration, not law.
USE_LIMITS_KG: dict[str, float] = {
    "hair_cosmetics": 2.0,
    "cleaning": 10.0,
    "laboratory": 5.0,
    "pool_water": 50.0,
    "agriculture": 1000.0,
    "industry": 10000.0,
    "other": 1.0,
}


@dataclass(frozen=True)
class RuleSettings:
    window_days: int = 30
    use_limits_kg: Mapping[str, float] = field(default_factory=lambda: dict(USE_LIMITS_KG))
    mixtures: tuple[Mixture, ...] = MIXTURES

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)


def rules(settings: RuleSettings) -> tuple[Rule, ...]:
    """Every rule with its parameters, as the console shows them."""
    return (
        Rule(
            "restricted-sale",
            "Restricted precursor above its limit, to a private person",
            "A sale to a private person of an Annex I substance above its concentration limit "
            "is refused at filing.",
            f"{EU_REG} Art. 5(1) and Annex I column 2",
            "refuse",
            {"limits": "restricted_above_pct of each catalogue substance"},
        ),
        Rule(
            "quantity-beyond-use",
            "Quantity beyond the stated use",
            "A sale whose quantity exceeds the largest quantity its stated use plausibly needs "
            "is reported.",
            f"{EU_REG} Art. 9(1)(c): quantities uncommon for the stated use",
            "alert",
            {"use_limits_kg": dict(settings.use_limits_kg)},
        ),
        Rule(
            "cash-large-quantity",
            "Cash payment for a large quantity",
            "A sale paid in cash whose quantity reaches the substance's large-quantity "
            "threshold is reported.",
            f"{EU_REG} Art. 9(1)(e): unusual methods of payment, including large amounts of cash",
            "alert",
            {"threshold": "large_quantity_kg of each catalogue substance"},
        ),
        Rule(
            "cumulative-quantity",
            "Cumulative quantity across sellers within the window",
            "When one buyer's purchases of a substance, from any seller, within "
            f"{settings.window_days} days reach the substance's cumulative threshold "
            "(pure-substance kg), the purchase that crosses it is reported, once.",
            f"{EU_REG} Art. 9(1)(c); {CN_DECREE} Art. 41 (sales and purchases filed with the "
            "public security organ within five days); "
            f"{CN_MEASURES} (real-name sales records)",
            "alert",
            {
                "window_days": settings.window_days,
                "threshold": "cumulative_pure_kg of each catalogue substance",
            },
        ),
        Rule(
            "explosive-mixture",
            "A combination that makes a known explosive mixture",
            f"When one buyer, within {settings.window_days} days, buys both parts of a known "
            "explosive mixture (an oxidiser and its fuel), the purchase that completes the "
            "pair is reported, once.",
            f"{EU_REG} Art. 9(1)(c): combinations uncommon for legitimate use",
            "alert",
            {
                "window_days": settings.window_days,
                "mixtures": {
                    m.mixture_id: {
                        "name": m.name,
                        "oxidisers": sorted(m.oxidisers),
                        "fuels": sorted(m.fuels),
                        "source": m.source,
                    }
                    for m in settings.mixtures
                },
            },
        ),
    )


def rule_by_id(settings: RuleSettings, rule_id: str) -> Rule:
    return next(r for r in rules(settings) if r.rule_id == rule_id)


def restriction_message(substance: Substance, concentration_pct: float) -> str:
    limit = substance.restricted_above_pct
    what = f"above {limit:g} % w/w" if limit is not None else "at any concentration"
    return (
        f"may not be sold to a private person {what} for {substance.name_en} "
        f"(rule restricted-sale: {EU_REG} Art. 5(1), Annex I)"
    )


# --- Reportable transactions ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Purchase:
    """One filed purchase of a listed substance, as the rules see it: nothing else about the
    buyer than the key that links their purchases."""

    submission_id: int
    buyer_key: str
    substance_id: str
    sold_at: datetime
    quantity_kg: float
    pure_kg: float
    concentration_pct: float
    payment: str  # cash | traceable
    stated_use: str
    seller: str  # the seller's licence number

    def describe(self) -> str:
        return (
            f"{self.sold_at.isoformat(timespec='minutes')} {self.substance_id} "
            f"{self.concentration_pct:g} % {self.quantity_kg:g} kg "
            f"({self.pure_kg:.3g} kg pure), {self.payment}, seller {self.seller}, "
            f"submission {self.submission_id}"
        )


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule fired on one purchase; `transactions` are the purchases behind it."""

    rule_id: str
    submission_id: int
    reason: str
    source: str
    transactions: tuple[Purchase, ...]


def _order(p: Purchase) -> tuple[datetime, int]:
    return (p.sold_at, p.submission_id)


def sale_hits(purchase: Purchase, substance: Substance, settings: RuleSettings) -> list[RuleHit]:
    """The rules that look at one sale alone."""
    hits = []
    limit = settings.use_limits_kg.get(purchase.stated_use, settings.use_limits_kg.get("other"))
    if limit is not None and purchase.quantity_kg > limit:
        hits.append(
            RuleHit(
                "quantity-beyond-use",
                purchase.submission_id,
                f"{purchase.quantity_kg:g} kg of {substance.name_en} for stated use "
                f"{purchase.stated_use!r}, above {limit:g} kg",
                rule_by_id(settings, "quantity-beyond-use").source,
                (purchase,),
            )
        )
    large = substance.large_quantity_kg
    if purchase.payment == "cash" and large is not None and purchase.quantity_kg >= large:
        hits.append(
            RuleHit(
                "cash-large-quantity",
                purchase.submission_id,
                f"{purchase.quantity_kg:g} kg of {substance.name_en} paid in cash "
                f"(large quantity: {large:g} kg)",
                rule_by_id(settings, "cash-large-quantity").source,
                (purchase,),
            )
        )
    return hits


def history_hits(
    history: Sequence[Purchase],
    new: set[int],
    catalogue: Catalogue,
    settings: RuleSettings,
) -> list[RuleHit]:
    """The cumulative and mixture rules over one buyer's purchases (earlier ones and the
    `new` submission ids), each new purchase judged on the window that ends at it."""
    ordered = sorted(history, key=_order)
    hits: list[RuleHit] = []
    window = settings.window
    for i, purchase in enumerate(ordered):
        if purchase.submission_id not in new:
            continue
        start = purchase.sold_at - window
        inside = [p for p in ordered[: i + 1] if p.sold_at > start]
        substance = catalogue.by_id.get(purchase.substance_id)
        if substance is None:
            continue
        threshold = substance.cumulative_pure_kg
        if threshold is not None:
            same = [p for p in inside if p.substance_id == purchase.substance_id]
            total = sum(p.pure_kg for p in same)
            if total - purchase.pure_kg < threshold <= total:
                hits.append(
                    RuleHit(
                        "cumulative-quantity",
                        purchase.submission_id,
                        f"{total:.3g} kg pure {substance.name_en} within {settings.window_days} "
                        f"days from {len({p.seller for p in same})} seller(s), threshold "
                        f"{threshold:g} kg",
                        rule_by_id(settings, "cumulative-quantity").source,
                        tuple(same),
                    )
                )
        earlier = inside[:-1]
        for mixture in settings.mixtures:
            partners = mixture.partners(purchase.substance_id)
            if not partners:
                continue
            found = [p for p in earlier if p.substance_id in partners]
            if not found:
                continue
            mine = mixture.partners(found[0].substance_id)
            already = any(p.substance_id in mine for p in earlier)
            if already:  # the pair was complete before this purchase: reported then
                continue
            hits.append(
                RuleHit(
                    "explosive-mixture",
                    purchase.submission_id,
                    f"{mixture.name}: {substance.name_en} with "
                    f"{', '.join(sorted({p.substance_id for p in found}))} within "
                    f"{settings.window_days} days",
                    mixture.source,
                    (*found, purchase),
                )
            )
    return hits
