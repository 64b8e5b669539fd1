"""#23, seventh round: mechanisms complete by construction. A catalogue name's numerals
written as digits, rounds by calibre and guns by maker and model, and a substance's
initials beside a note that the goods are a substance. Each case is worded apart from any
evaluation set; look-alikes that share a cue stay cleared."""

from __future__ import annotations

from datetime import date

import pytest

from vigil.screening.parcel_calibre import AMMUNITION, FIREARM, find_designations
from vigil.screening.parcel_context import CONTEXT_RULES
from vigil.screening.parcel_emoji import emoji_holes
from vigil.screening.parcel_evasion import ALL_EVASIONS, HOMOGLYPHS
from vigil.screening.parcels import load_catalogue, numeral_digit_forms, screen_parcel

DAY = date(2025, 6, 1)
CATALOGUE = load_catalogue()


def _items(text: str) -> set[str]:
    return {m.item_id for m in screen_parcel(CATALOGUE, text, True, on=DAY).matches}


def test_numeral_digit_forms_cover_every_choice_of_numerals() -> None:
    assert set(numeral_digit_forms("三氧化二砷")) == {"3氧化2砷", "3氧化二砷", "三氧化2砷"}
    assert numeral_digit_forms("十字弩") == []  # 十 is not written 10
    assert numeral_digit_forms("砒霜") == []


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("3氧化2砷 50克", "TX-001"),
        ("2甲苯 2桶", "FL-003"),
        ("64式 1把", "FA-001"),
        ("3棱刺 两把", "KN-004"),
    ],
)
def test_a_catalogue_name_with_digits_for_its_numerals_is_caught(text: str, item_id: str) -> None:
    assert item_id in _items(text)


@pytest.mark.parametrize("text", ["4号楼 快递柜 1个", "2164式 样板 1套", "3步走 指南 1本"])
def test_digits_that_are_no_catalogue_name_stay_cleared(text: str) -> None:
    assert screen_parcel(CATALOGUE, text, True, on=DAY).decision == "cleared"


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        (".308 win 20发", AMMUNITION),
        ("5.56x45mm 一盒", AMMUNITION),
        ("20 ga 25 pcs", AMMUNITION),
        ("parabellum 50 pcs", AMMUNITION),
        ("beretta 92 x1", FIREARM),
        ("remington 700 1支", FIREARM),
        ("77式 原厂 2把", FIREARM),
    ],
)
def test_a_round_by_calibre_or_a_gun_by_model_is_caught(text: str, item_id: str) -> None:
    assert item_id in {found[0] for found in find_designations(text)}
    assert item_id in _items(text)


@pytest.mark.parametrize(
    "text",
    [
        "remington shaver x1",  # the maker alone names other goods
        "2.5x30 screws 100 pcs",  # no bullet diameter: a size
        "77式 茶壶",  # the pattern number binds to a noun, no gun count
        "12 gauge wire 10m",
        "model 92 calendar 1本",
    ],
)
def test_sizes_and_other_makers_goods_are_no_designation(text: str) -> None:
    assert list(find_designations(text)) == []


def test_initials_of_a_substance_count_beside_a_substance_note() -> None:
    # 乙醚 as ym: two letters among other words count only with a note of a substance
    assert "FL-001" in _items("进口 ym（液体） 500ml")
    assert "FL-001" in _items("进口 ym 500ml 分析纯")
    assert "FL-001" not in _items("进口 ym 500ml")
    assert "FL-001" not in _items("进口 ym（颜色） 500ml")


def _decide(text: str, evasions: frozenset[str] = ALL_EVASIONS, rules=CONTEXT_RULES):  # type: ignore[no-untyped-def]
    return screen_parcel(CATALOGUE, text, True, on=DAY, evasions=evasions, rules=rules)


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("分析纯 氰🍄钠 1kg 加急", "TX-001"),  # 氰化钠, 化 as a mushroom
        ("进口 海🚗因 3克 加急", "NA-001"),  # 海洛因
    ],
)
def test_an_emoji_standing_for_one_character_of_a_term_is_caught(text: str, item_id: str) -> None:
    assert item_id in {m.item_id for m in _decide(text).matches}
    assert item_id not in {m.item_id for m in _decide(text, ALL_EVASIONS - {"emoji"}).matches}


def test_emoji_holes_skip_decoration_and_the_ends_of_the_text() -> None:
    assert emoji_holes("🚚发票原件 3张") == []  # the first thing written
    assert emoji_holes("品名:坚果🎁礼盒 1盒") == []  # a gift: decoration
    assert emoji_holes("摇🍄丸 2粒") == [("摇", "丸", (1, 2))]


@pytest.mark.parametrize("text", ["冰🍄块模具 2个 厨房用", "发票🚗原件 3张 公司报销", "红🍄块 2个"])
def test_an_emoji_between_ordinary_words_stays_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared"


def test_letters_drawn_like_latin_in_running_text_are_read_as_latin() -> None:
    assert "пitrо".translate(HOMOGLYPHS) == "nitro"
    assert "NA-001" in {m.item_id for m in _decide("ηеrоiп 2 g").matches}  # п as n
    assert _decide("ηеrоiп 2 g", ALL_EVASIONS - {"homoglyph", "confusables"}).decision == (
        "cleared"
    )


def test_a_street_name_with_a_word_of_potency_counts_as_with_a_unit() -> None:
    assert _decide("四号 纯度高 发顺丰").decision != "cleared"
    assert _decide("四号 劲大").decision != "cleared"
    assert _decide("四号 楼下 快递柜").decision == "cleared"


def test_knives_named_as_the_kitchens_are_cleared_and_others_are_not() -> None:
    assert _decide("chef's knife 2 pcs").decision == "cleared"
    assert _decide("厨房刀具 3套").decision == "cleared"
    assert _decide("户外刀具 3套").decision != "cleared"
    without = tuple(r for r in CONTEXT_RULES if r.rule_id != "KITCHEN_TOOLS")
    assert _decide("厨房刀具 3套", rules=without).decision != "cleared"
