"""Acceptance 4: each evasion class and each context rule has a test that fails when the
rule is removed (the second half of each test removes it and shows the other outcome)."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

import pytest

from vigil.screening.parcel_context import CONTEXT_RULES
from vigil.screening.parcel_evasion import ALL_EVASIONS, EVASION_CLASSES, fold_tones, unleet
from vigil.screening.parcels import ANNEX, ANNEX_CATEGORIES, load_catalogue, screen_parcel

DAY = date(2025, 6, 1)
CATALOGUE = load_catalogue()

EVASIONS = {  # class -> (declaration, decision with the step, the item it must find)
    "fullwidth": ("ｐｉｓｔｏｌ ｘ１", "refuse", "FA-001"),
    "zero_width": ("海\u200b洛因 5g", "refuse", "NA-001"),
    "homoglyph": ("рistоl", "refuse", "FA-001"),  # Cyrillic р and о
    "tones": ("zǐ dàn 20 fa", "inspect", "FA-003"),
    "leet": ("pist0l", "inspect", "FA-001"),
    "traditional": ("彈藥一箱", "refuse", "FA-003"),
    "split_join": ("fire works for the party", "inspect", "EX-002"),
    "pinyin": ("zha yao", "inspect", "EX-001"),
    "initials": ("HLY 5g", "inspect", "NA-001"),
    "slang": ("ganja 20g", "inspect", "NA-001"),
}
# More than one form per class: with and without spaces and tones, digits and symbols.
MORE_EVASIONS = [
    ("zidan", "FA-003"),
    ("zi3 dan4", "FA-003"),
    ("da ma 50g", "NA-001"),
    ("her0in", "NA-001"),
    ("c0c@ine", "NA-001"),
    ("brassknuckles", "KN-001"),
    ("液化气罐", "GA-001"),
    ("fake currency", "CU-001"),
    ("假币", "CU-001"),
    ("he\u2060roin", "NA-001"),
    ("ＨＥＲＯＩＮ", "NA-001"),
    ("溜冰 2包", "NA-001"),
]


def _decide(text: str, **kwargs):  # type: ignore[no-untyped-def]
    return screen_parcel(CATALOGUE, text, True, on=DAY, **kwargs)


def test_every_evasion_class_has_a_case() -> None:
    assert set(EVASIONS) == set(EVASION_CLASSES)


@pytest.mark.parametrize("evasion", EVASION_CLASSES)
def test_evasion_is_caught_and_only_by_its_step(evasion: str) -> None:
    text, expected, item_id = EVASIONS[evasion]
    with_step = _decide(text)
    assert with_step.decision == expected
    assert item_id in {m.item_id for m in with_step.matches}
    without = _decide(text, evasions=ALL_EVASIONS - {evasion})
    assert without.decision == "cleared", without.reason


@pytest.mark.parametrize(("text", "item_id"), MORE_EVASIONS)
def test_more_written_forms_are_flagged(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision != "cleared" and item_id in {m.item_id for m in decision.matches}


def test_evasion_steps_keep_positions() -> None:
    for text in ("pist0l and c0c@ine", "zǐ dàn, lǜ"):
        assert len(unleet(text)) == len(text) and len(fold_tones(text)) == len(text)
    assert unleet("iphone 15, 4k tv, mp3") == "iphone 15, 4k tv, mp3"  # no letters hidden
    # a catalogued name with digits is still found in the declaration as written
    assert _decide("ak47 parts").decision == "refuse"


RULES = {  # rule -> [(harmless declaration, decision with the rule, decision without)]
    "COLOUR": [
        ("枪灰色手机壳", "cleared", "inspect"),
        ("gun-metal phone case", "cleared", "inspect"),
        ("curtains, colour: ivory", "cleared", "refuse"),
    ],
    "SHAPE": [("bullet-shaped usb drive", "cleared", "refuse"), ("子弹形U盘", "cleared", "refuse")],
    "PATTERN": [
        ("firework-print scarf", "cleared", "refuse"),
        ("cannabis leaf print socks", "cleared", "refuse"),
    ],
    "TOY": [("plush pangolin toy", "cleared", "refuse"), ("toy dagger", "inspect", "refuse")],
    "MODEL": [("穿山甲模型", "cleared", "refuse"), ("手枪模型", "inspect", "refuse")],
}


def test_every_context_rule_has_a_case() -> None:
    assert set(RULES) == {rule.rule_id for rule in CONTEXT_RULES}


@pytest.mark.parametrize("rule_id", [rule.rule_id for rule in CONTEXT_RULES])
def test_context_rule_clears_and_is_recorded_and_only_it_does(rule_id: str) -> None:
    others = tuple(rule for rule in CONTEXT_RULES if rule.rule_id != rule_id)
    for text, with_rule, without_rule in RULES[rule_id]:
        decision = _decide(text)
        assert decision.decision == with_rule, (text, decision.reason)
        # the rule that decided is written into the reasons (kept with the decision)
        assert any(f"rule {rule_id}" in note for note in decision.context)
        assert any(f"rule {rule_id}" in reason for reason in decision.reasons)
        assert _decide(text, rules=others).decision == without_rule, text


def test_rules_do_not_clear_the_thing_itself() -> None:
    for text in ("ivory bangle", "象牙手镯", "子弹20发", "pistol", "fireworks 2 boxes"):
        assert _decide(text).decision != "cleared", text


def _rows() -> list[dict[str, str]]:
    text = resources.files("vigil.screening").joinpath("data/banned_items.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_annex_category_is_catalogued_and_cited_exactly() -> None:
    cited = set()
    for row in _rows():
        reference = row["legal_reference"]
        if reference.startswith(ANNEX):
            title = next(
                (t for t in ANNEX_CATEGORIES if reference[len(ANNEX) :].startswith(t)), None
            )
            assert title is not None, (row["item_id"], reference)
            cited.add(title)
            assert row["citation_check"].startswith("checked"), row["item_id"]
        else:  # outside the annex: the CSV says it was not verified
            assert row["citation_check"].startswith("not verified"), row["item_id"]
    assert cited == set(ANNEX_CATEGORIES)
