"""Evasions read this round: two-character units after initials, knife and round units,
a calibre before a count, a character written as its two components, and words spelled
out letter by letter or run together, read again for pairs and telltales."""

from __future__ import annotations

import pytest

from tests.screening.parcel_cases import decide as _decide
from vigil.screening.parcel_evasion import ALL_EVASIONS


def _caught_only_with(text: str, item_id: str, evasion: str) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect", decision.reason
    assert item_id in {m.item_id for m in decision.matches}
    without = _decide(text, evasions=ALL_EVASIONS - {evasion})
    assert item_id not in {m.item_id for m in without.matches}, without.reason


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("HHY5公斤", "EX-001"),  # 黑火药 with a two-character unit
        ("dhs 2公斤", "EX-001"),  # 导火索
        ("内件品名：JC1把 件数：20", "KN-001"),  # 军刺: knives are counted in 把
        ("退货商品：td10把 数量1", "KN-001"),  # 跳刀
    ],
)
def test_initials_with_a_unit_of_their_kind(text: str, item_id: str) -> None:
    _caught_only_with(text, item_id, "initials")


@pytest.mark.parametrize(
    ("text", "item_id", "everyday"),
    [
        # a street name that names food counts in rounds, not in 粒 as kibble is counted
        ("狗粮 200发", "FA-003", "狗粮 200粒"),
        ("花生米 7.62 一盒", "FA-003", "花生米 500克"),  # a calibre before the count
        ("coke 8-ball", "NA-001", "diet coke 8 bottles"),  # an eighth of an ounce
    ],
)
def test_slang_with_a_unit_of_its_kind(text: str, item_id: str, everyday: str) -> None:
    _caught_only_with(text, item_id, "slang")
    assert _decide(everyday).decision == "cleared"


@pytest.mark.parametrize(
    ("text", "item_id"),
    [("仿真木仓", "FA-002"), ("手木仓 1把", "FA-001"), ("子弓单 x10", "FA-003")],
)
def test_a_character_written_as_its_two_components(text: str, item_id: str) -> None:
    _caught_only_with(text, item_id, "split_join")


@pytest.mark.parametrize("text", ["木仓库 钥匙", "积木仓鼠玩具", "米分丝 5斤"])
def test_components_that_make_no_term_of_two_characters_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared"


@pytest.mark.parametrize(
    ("text", "item_id", "step"),
    [
        ("poultryfromabirdfluzone", "XB-001", "segmentation"),  # a pair, run together
        ("publicationsincitingethnichatred", "PB-002", "segmentation"),  # a telltale
        ("livebacterialcultures", "BI-001", "segmentation"),  # beside inflected words
        ("fake o f f i c i a l seals", "CU-001", "punctuation"),  # a word spelled out
        ("u-n-i-n-s-p-e-c-t-e-d raw meat", "XB-001", "punctuation"),
    ],
)
def test_words_run_together_or_spelled_out_are_read_again(
    text: str, item_id: str, step: str
) -> None:
    decision = _decide(text)
    assert decision.decision != "cleared", text
    assert item_id in {m.item_id for m in decision.matches}
    without = _decide(text, evasions=ALL_EVASIONS - {step})
    assert item_id not in {m.item_id for m in without.matches}


@pytest.mark.parametrize(
    "text", ["internationalization", "a b c d blocks", "keyboardcover", "knifesharpener"]
)
def test_ordinary_long_words_and_letter_lists_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared"
