"""A transaction rule's alert cites the rule's sources as its legal basis; where they do
not fit the 200 characters the column holds, whole sources are kept and an ellipsis says
so (a precursor alert cited "... Order 154, 2019) (Minis"). The explanation keeps them all."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.alerts.service import Routing, clipped, transaction_rule_alert

SOURCES = [
    "Regulation (EU) 2019/1148 Art. 9(1)(c)",
    "危险化学品安全管理条例 (State Council Decree 591, 2011 revision) Art. 41 (sales and purchases"
    " filed with the public security organ within five days)",
    "易制爆危险化学品治安管理办法 (Ministry of Public Security Order 154, 2019) (real-name sales)",
]


@dataclass
class Hit:
    rule_id: str = "cumulative-quantity"
    reason: str = "2.4 kg pure hydrogen peroxide within 30 days"
    source: str = "; ".join(SOURCES)
    transactions: tuple[()] = ()


def test_a_long_source_is_cut_between_sources_and_kept_whole_in_the_explanation() -> None:
    hit = Hit()
    assert len(hit.source) > 200
    _key, alert = transaction_rule_alert(Routing({}, 1), "chem", "chemical", 7, hit)
    assert len(alert.legal_basis) <= 200 and alert.legal_basis.endswith("…")
    assert alert.legal_basis[:-1] == "; ".join(SOURCES[:2])
    assert hit.source in alert.explanation[f"rule:{hit.rule_id}"]["detail"]


def test_clipping_keeps_what_fits_and_never_halves_a_word() -> None:
    assert clipped("short", 200) == "short"
    assert clipped("alpha beta gamma", 12) == "alpha beta…"
    assert clipped("alphabetagamma", 6) == "alpha…"
