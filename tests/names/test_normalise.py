"""Name normalisation: invariants (hypothesis) and the REFERENCE.md examples."""

from __future__ import annotations

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.names import name_similarity, normalise_name

HAN_SAMPLE = "张曉明曾单仇解查朴區覃欧陽司马诸葛陳黃劉國華发髮王李"
name_text = st.lists(
    st.sampled_from([*HAN_SAMPLE, *"abcdefghijklmnopqrstuvwxyzÉü'- ·,"]), max_size=12
).map("".join)


@settings(deadline=None)
@given(st.text())
def test_never_crashes_and_similarity_is_bounded(raw: str) -> None:
    keys = normalise_name(raw)
    assert keys.script in {"han", "latin", "mixed", "other"}
    assert 0.0 <= name_similarity(keys, normalise_name("Zhang Wei")) <= 1.0


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), name_text))
def test_normalising_the_canonical_form_again_gives_the_same_keys(raw: str) -> None:
    first = normalise_name(raw)
    again = normalise_name(first.canonical)
    assert again.keys == first.keys
    assert again.phonetic == first.phonetic
    assert sorted(again.tokens) == sorted(first.tokens)


TO_TRADITIONAL, TO_SIMPLIFIED = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")  # slow to build


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=HAN_SAMPLE, min_size=1, max_size=4))
def test_simplified_and_traditional_twins_get_the_same_keys(han: str) -> None:
    traditional = TO_TRADITIONAL.convert(han)
    simplified = TO_SIMPLIFIED.convert(han)
    a, b = normalise_name(traditional), normalise_name(simplified)
    assert (a.keys, a.phonetic, a.tokens) == (b.keys, b.phonetic, b.tokens)


@pytest.mark.parametrize(
    ("hanzi", "surname"),
    [
        ("曾小明", "zeng"),
        ("单田芳", "shan"),
        ("仇小红", "qiu"),
        ("解放军", "xie"),
        ("查良镛", "zha"),
        ("朴树", "piao"),
        ("区小明", "ou"),
        ("覃小明", "qin"),
        ("欧阳修", "ouyang"),
        ("司马光", "sima"),
        ("诸葛亮", "zhuge"),
    ],
)
def test_first_character_is_read_as_a_surname(hanzi: str, surname: str) -> None:
    assert normalise_name(hanzi).canonical.split()[0] == surname


@pytest.mark.parametrize(
    ("pinyin", "variant"),
    [
        ("Zhang", "Chang"),
        ("Xu", "Hsu"),
        ("Xu", "Hui"),
        ("Cai", "Tsai"),
        ("Cai", "Choi"),
        ("Chen", "Chan"),
        ("Chen", "Chin"),
        ("Zhou", "Chou"),
        ("Zhou", "Chow"),
        ("Zhao", "Chao"),
        ("Zhao", "Chiu"),
        ("Xie", "Hsieh"),
        ("Xie", "Tse"),
        ("Jiang", "Chiang"),
        ("Jiang", "Kong"),
        ("Zheng", "Cheng"),
        ("Huang", "Hwang"),
        ("Huang", "Wong"),
        ("Li", "Lee"),
        ("Li", "Lei"),
        ("Liu", "Lau"),
        ("Liu", "Lew"),
        ("Wu", "Woo"),
        ("Wu", "Ng"),
        ("Lin", "Lam"),
        ("Guo", "Kuo"),
        ("Guo", "Kwok"),
        ("He", "Ho"),
        ("Gao", "Kao"),
        ("Gao", "Ko"),
        ("Qian", "Chien"),
    ],
)
def test_romanisation_variants_share_a_phonetic_key(pinyin: str, variant: str) -> None:
    a = normalise_name(f"{pinyin} Wei")
    b = normalise_name(f"{variant} Wei")
    assert a.phonetic & b.phonetic
    assert name_similarity(a, b) >= 0.9


@pytest.mark.parametrize(
    "variant",
    [
        "张晓明",
        "張曉明",
        "Zhang Xiaoming",
        "XIAOMING ZHANG",
        "Zhang Xiao Ming",
        "Xiao-Ming Zhang",
        "Chang Hsiao-ming",
        "zhāng xiǎomíng",
    ],
)
def test_one_name_in_every_script_order_and_spelling_meets(variant: str) -> None:
    reference = normalise_name("张晓明")
    other = normalise_name(variant)
    assert reference.phonetic & other.phonetic
    assert name_similarity(reference, other) >= 0.9


def test_wade_giles_syllable_rules() -> None:
    assert normalise_name("Ch'ien Chung-shu").phonetic & normalise_name("钱钟书").phonetic
    assert normalise_name("Tsai Ing-wen").phonetic & normalise_name("蔡英文").phonetic
    assert normalise_name("Mao Tse-tung").phonetic & normalise_name("毛泽东").phonetic


def test_diacritics_fold() -> None:
    assert normalise_name("José Núñez").tokens == normalise_name("Jose Nunez").tokens
    assert normalise_name("Lǚ Bù").keys == normalise_name("吕布").keys


def test_homophones_in_hanzi_are_alike_but_not_identical() -> None:
    same, homophone = normalise_name("张伟"), normalise_name("章伟")
    assert name_similarity(same, same) == 1.0
    assert 0.8 <= name_similarity(same, homophone) < 1.0


def test_different_names_are_not_alike() -> None:
    assert name_similarity(normalise_name("张晓明"), normalise_name("李建国")) < 0.6


def test_empty_and_symbol_names() -> None:
    for raw in ("", "   ", "!!!", "123"):
        keys = normalise_name(raw)
        assert keys.tokens == () and keys.script == "other"
