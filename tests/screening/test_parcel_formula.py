"""Catalogue chemicals by formula, CAS number or nuclide (parcel_formula, the `formula` class)."""

from __future__ import annotations

import pytest

from tests.screening.parcel_cases import CATALOGUE
from tests.screening.parcel_cases import decide as _decide
from vigil.screening.parcel_evasion import ALL_EVASIONS
from vigil.screening.parcel_formula import CAS_NUMBERS, FORMULAS, NUCLIDES, cas_check_digit_ok


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("KMnO4 500g", "OX-001"),
        ("实验室寄送：H2SO4 98% 2.5L", "CO-001"),
        ("HF 40% 500mL", "CO-001"),  # no digit in the formula: a strength beside it
        ("KCN 分析纯 100g", "TX-001"),  # no digit: a reagent grade beside it
        ("C10H15N 晶体 5g", "NA-001"),
        ("kmno4 500g", "OX-001"),  # a long formula in any case
        ("CAS 7664-93-9 2.5L", "CO-001"),
        ("CAS 67-64-1 2.5L", "FL-001"),  # acetone by its number alone
        ("Cs-137 源 1枚", "RA-001"),
        ("137Cs source", "RA-001"),
    ],
)
def test_formula_cas_and_nuclide_are_inspected_only_with_their_step(
    text: str, item_id: str
) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect", decision.reason
    assert item_id in {m.item_id for m in decision.matches}
    assert _decide(text, evasions=ALL_EVASIONS - {"formula"}).decision == "cleared"


@pytest.mark.parametrize(
    "text",
    [
        "HF radio transceiver",  # a digit-less formula with no strength, mass or grade
        "HCL Technologies laptop",  # not in its chemical case
        "HF 天线 1根",  # capitals before a Chinese word: a radio aerial
        "Vitamin B6 50 Mg tablets",  # a symbol beside a number and a word: milligrams
        "Li Na 签名照",  # a name
        "n2o 小钢瓶",  # a short formula not in its chemical case
        "CAS 67-64-2 2.5L",  # a wrong check digit
        "CAS 7732-18-5 1L",  # water: a valid number, not a catalogue substance
        "Co 60 pcs",  # "Co" with a count, no mass-number form the table names
        "KMnO4X filter housing",  # not a token of its own
    ],
)
def test_formula_look_alikes_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


def test_every_cas_number_in_the_table_has_a_valid_check_digit() -> None:
    assert [cas for cas in CAS_NUMBERS if not cas_check_digit_ok(cas)] == []


def test_every_table_entry_points_at_a_catalogue_item() -> None:
    items = CATALOGUE.items
    targets = set(FORMULAS.values()) | set(CAS_NUMBERS.values()) | set(NUCLIDES.values())
    assert targets - set(items) == set()


# Look-alikes cleared by this round's general rules: each is flagged without its rule.
def test_a_bracket_beside_a_plain_term_is_not_read_as_a_leet_letter() -> None:
    text = "子弹笔记本（bullet journal）点阵本"
    assert _decide(text).decision == "cleared", _decide(text).reason
    # the leet step alone flagged it before: without leet it is the plain, excluded reading
    assert _decide(text, evasions=ALL_EVASIONS - {"leet"}).decision == "cleared"
    assert _decide("(ocaine 2g").decision == "inspect"  # a bracket for a letter still reads


def test_exclusion_phrases_take_a_hyphen_for_a_space() -> None:
    assert _decide("bullet-point planner pads").decision == "cleared"
    assert _decide("bullet point planner pads").decision == "cleared"
    assert _decide("bullet-proof rounds 50").decision == "refuse"


def test_medicine_salts_in_liquid_forms_and_chinese_album_formats_are_cleared() -> None:
    from vigil.screening.parcel_context import CONTEXT_RULES

    without_medicine = tuple(r for r in CONTEXT_RULES if r.rule_id != "MEDICINE")
    without_media = tuple(r for r in CONTEXT_RULES if r.rule_id != "MEDIA_TITLE")
    assert _decide("盐酸氨溴索口服溶液").decision == "cleared"
    assert _decide("盐酸氨溴索口服溶液", rules=without_medicine).decision != "cleared"
    assert _decide("硫酸溶液 500ml").decision == "refuse"  # the acid's own solution stays
    assert _decide("BTS Dynamite 专辑 CD").decision == "cleared"
    assert _decide("BTS Dynamite 专辑 CD", rules=without_media).decision != "cleared"


@pytest.mark.parametrize(
    ("look_alike", "banned"),
    [
        ("卤手枪腿 4盒", "手枪 1把"),  # a cut of chicken leg
        ("汽车排气消音器", "消音器 1个"),  # a vehicle's exhaust muffler
        ("移液枪 单道", "气枪 1把"),  # a laboratory pipette
        ("象牙果纽扣（植物象牙）", "象牙手镯"),  # tagua nut, vegetable ivory
        ("Ivory 香皂 x1", "ivory 手镯"),  # the soap brand
        ("桌上冰壶游戏", "冰壶 1个"),  # the sport of curling
    ],
)
def test_catalogue_exclusions_for_named_look_alikes(look_alike: str, banned: str) -> None:
    assert _decide(look_alike).decision == "cleared", _decide(look_alike).reason
    assert _decide(banned).decision != "cleared"


@pytest.mark.parametrize(
    ("hydrate", "item_id"),
    [
        ("Na2S2O4x2H2O 500g", "FL-004"),  # sodium dithionite dihydrate, x for the dot
        ("Na2S2O4X2H2O 500g", "FL-004"),
        ("Na2S2O4(H2O)2 500g", "FL-004"),  # the water in brackets
        ("Sr(NO3)2x4H2O 1kg", "OX-002"),
        ("NaOHxH2O 500g", "CO-001"),  # a formula with no digit keeps its own rules
        ("Na2S2O4·2H2O 500g", "FL-004"),  # · * and . part the water off already
        ("Na2S2O4*2H2O 500g", "FL-004"),
        ("Na2S2O4.2H2O 500g", "FL-004"),
    ],
)
def test_a_hydrate_is_read_as_its_anhydrous_substance(hydrate: str, item_id: str) -> None:
    decision = _decide(hydrate)
    assert item_id in {m.item_id for m in decision.matches}, decision.reason
    assert _decide(hydrate, evasions=ALL_EVASIONS - {"formula"}).decision == "cleared"


@pytest.mark.parametrize(
    "hydrate",
    [
        "CuSO4·5H2O 500g",  # copper sulfate pentahydrate
        "CuSO4x5H2O 500g",
        "CuSO4(H2O)5 500g",
        "MgSO4x7H2O 1kg",  # Epsom salt
        "FeSO4*7H2O 1kg",
    ],
)
def test_harmless_hydrates_stay_cleared(hydrate: str) -> None:
    assert _decide(hydrate).decision == "cleared", _decide(hydrate).reason
