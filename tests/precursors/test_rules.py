"""The transaction rules on purchases built by hand: the cumulative rule across sellers
and across the window boundary, the mixture rule, and the rules on one sale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vigil.precursors.catalogue import seed_catalogue
from vigil.precursors.rules import Purchase, RuleSettings, history_hits, rules, sale_hits

T0 = datetime(2026, 3, 1, 10, tzinfo=UTC)
CATALOGUE = seed_catalogue()
SETTINGS = RuleSettings(window_days=30)
SHOP_A, SHOP_B = "91110108000000001A", "91110108000000002D"


def buy(
    n: int,
    day: float,
    substance: str = "hydrogen-peroxide",
    kg: float = 5.0,
    pct: float = 12.0,
    seller: str = SHOP_A,
    payment: str = "traceable",
    use: str = "cleaning",
) -> Purchase:
    return Purchase(
        submission_id=n,
        buyer_key="id:buyer",
        substance_id=substance,
        sold_at=T0 + timedelta(days=day),
        quantity_kg=kg,
        pure_kg=kg * pct / 100,
        concentration_pct=pct,
        payment=payment,
        stated_use=use,
        seller=seller,
    )


def fired(history: list[Purchase], rule: str) -> list[int]:
    new = {p.submission_id for p in history}
    return [
        h.submission_id
        for h in history_hits(history, new, CATALOGUE, SETTINGS)
        if h.rule_id == rule
    ]


def test_cumulative_fires_once_when_crossed_across_sellers() -> None:
    # hydrogen peroxide: 2 kg pure within 30 days; each purchase is 0.6 kg pure
    history = [buy(1, 0, seller=SHOP_A), buy(2, 3, seller=SHOP_B), buy(3, 5, seller=SHOP_A)]
    assert fired(history, "cumulative-quantity") == []  # 1.8 kg
    history += [buy(4, 6, seller=SHOP_B), buy(5, 7, seller=SHOP_A)]
    assert fired(history, "cumulative-quantity") == [4]  # 2.4 kg at the fourth, not again
    hit = next(
        h
        for h in history_hits(history, {4}, CATALOGUE, SETTINGS)
        if h.rule_id == "cumulative-quantity"
    )
    assert [t.submission_id for t in hit.transactions] == [1, 2, 3, 4]
    assert {t.seller for t in hit.transactions} == {SHOP_A, SHOP_B}
    assert "2019/1148" in hit.source


def test_purchases_outside_the_window_do_not_count() -> None:
    # 0.6 kg on day 0; then three on days 31..33: the first has left the window
    history = [buy(1, 0), buy(2, 31, seller=SHOP_B), buy(3, 32), buy(4, 33, seller=SHOP_B)]
    assert fired(history, "cumulative-quantity") == []  # 1.8 kg inside any 30 days
    history.append(buy(5, 34))
    assert fired(history, "cumulative-quantity") == [5]
    # right at the boundary: a purchase exactly 30 days before is outside (window is (t-30d, t])
    edge = [buy(1, 0), buy(2, 10), buy(3, 20), buy(4, 30)]
    assert fired(edge, "cumulative-quantity") == []
    inside = [buy(1, 0.01), buy(2, 10), buy(3, 20), buy(4, 30)]
    assert fired(inside, "cumulative-quantity") == [4]


def test_crossing_again_after_the_window_slid_is_a_new_crossing() -> None:
    history = [buy(n, n) for n in range(1, 5)]  # crosses at 4
    history += [buy(n, 40 + n) for n in range(5, 9)]  # days 45..48: crosses again at 8
    assert fired(history, "cumulative-quantity") == [4, 8]


def test_mixture_fires_on_the_combination_and_not_on_either_alone() -> None:
    nitrate = [buy(1, 0, "ammonium-nitrate", kg=1, pct=100, use="agriculture")]
    aluminium = [buy(2, 1, "aluminium-powder", kg=0.5, pct=100, use="laboratory")]
    assert fired(nitrate, "explosive-mixture") == []
    assert fired(aluminium, "explosive-mixture") == []
    twice = [*nitrate, buy(3, 2, "ammonium-nitrate", 1, 100, use="agriculture")]
    assert fired(twice, "explosive-mixture") == []  # the same half twice is no pair
    both = nitrate + aluminium
    assert fired(both, "explosive-mixture") == [2]
    more = [*both, buy(3, 3, "ammonium-nitrate", kg=1, pct=100, use="agriculture")]
    assert fired(more, "explosive-mixture") == [2]  # reported once, when the pair completed
    apart = [nitrate[0], buy(2, 45, "aluminium-powder", kg=0.5, pct=100, use="laboratory")]
    assert fired(apart, "explosive-mixture") == []  # not within the window


def test_rules_on_one_sale() -> None:
    peroxide = CATALOGUE.by_id["hydrogen-peroxide"]
    plain = buy(1, 0, kg=5, use="cleaning")
    assert sale_hits(plain, peroxide, SETTINGS) == []
    beyond = buy(2, 0, kg=5, use="hair_cosmetics")  # 2 kg for hair products
    assert [h.rule_id for h in sale_hits(beyond, peroxide, SETTINGS)] == ["quantity-beyond-use"]
    cash = buy(3, 0, kg=10, use="pool_water", payment="cash")  # large: 10 kg
    assert [h.rule_id for h in sale_hits(cash, peroxide, SETTINGS)] == ["cash-large-quantity"]
    card = buy(4, 0, kg=10, use="pool_water", payment="traceable")
    assert sale_hits(card, peroxide, SETTINGS) == []


def test_every_rule_names_its_source_and_parameters() -> None:
    listed = rules(SETTINGS)
    assert {r.rule_id for r in listed} == {
        "restricted-sale",
        "quantity-beyond-use",
        "cash-large-quantity",
        "cumulative-quantity",
        "explosive-mixture",
    }
    for rule in listed:
        assert rule.source and rule.text and rule.parameters
    window = next(r for r in listed if r.rule_id == "cumulative-quantity").parameters
    assert window["window_days"] == 30


def test_restriction_follows_annex_i() -> None:
    peroxide = CATALOGUE.by_id["hydrogen-peroxide"]
    assert not peroxide.restricted_for_private(12)
    assert peroxide.restricted_for_private(12.5)
    assert CATALOGUE.by_id["ammonium-nitrate"].restricted_for_private(1)
    assert not CATALOGUE.by_id["acetone"].restricted_for_private(100)  # Annex II: report only
