"""Romanised names as papers spell them: each variant is one rule, and each test here fails
when its rule is removed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vigil.names import name_feature, name_form
from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord
from vigil.screening.index import WatchlistIndex


def similarity(record: str, listed: str) -> float:
    a, b = name_form(record), name_form(listed)
    assert a is not None and b is not None
    return name_feature(a, b)[0]


@pytest.mark.parametrize(
    ("record", "listed"),
    [
        ("Xiaoming Zhang", "张晓明"),  # given name first
        ("ZHANG, Xiaoming", "张晓明"),  # surname first, with a comma
        ("Zhang Xiao-ming", "张晓明"),  # hyphenated given name
        ("Zhang Xiao Ming", "张晓明"),  # given name split in two
        ("Xiao-Ming Zhang", "张晓明"),
        ("Chén Zhìqiáng", "陈志强"),  # tone marks
        ("Chen2 Zhi4qiang2", "陈志强"),  # tone numbers
        ("Lü Xiaohong", "吕小红"),  # ü
        ("Lu Xiaohong", "吕小红"),  # ü written as u
    ],
)
def test_pinyin_variants_are_the_same_name(record: str, listed: str) -> None:
    assert similarity(record, listed) == 1.0


@pytest.mark.parametrize(
    ("record", "listed"),
    [
        ("Chang Hsiao-ming", "张晓明"),  # Wade-Giles
        ("Chang Hsiaoming", "张晓明"),  # Wade-Giles, unhyphenated
        ("Hsiao-ming Chang", "张晓明"),  # Wade-Giles, given name first
        ("Ch'en Chih-ch'iang", "陈志强"),  # Wade-Giles with apostrophes
        ("Chen Chih-chiang", "陈志强"),  # and without
        ("Lv Xiaohong", "吕小红"),  # ü written as v
        ("Lyu Xiaohong", "吕小红"),  # ü written as yu (Chinese passports)
        ("Nyu Xiaohong", "女小红"),
    ],
)
def test_romanisation_variants_are_the_same_name(record: str, listed: str) -> None:
    assert similarity(record, listed) >= 0.95


def test_yu_stands_for_u_umlaut_only() -> None:
    assert similarity("Lyu Xiaohong", "卢小红") < 0.9  # 卢 is lu, not lü


# Dialect spellings of surnames: (spelling, the Mandarin surname in Han characters)
DIALECT = [
    ("Ng", "黄"),  # Hokkien/Teochew
    ("Ng", "吴"),  # Cantonese
    ("Koh", "许"),
    ("Koh", "高"),
    ("Quek", "郭"),
    ("Teo", "张"),
    ("Tay", "郑"),
    ("Teh", "郑"),
    ("Chua", "蔡"),
    ("Sim", "沈"),
    ("Ang", "洪"),
    ("Oei", "黄"),
    ("Wee", "黄"),
    ("Yeo", "杨"),
    ("Khoo", "邱"),
    ("Low", "刘"),
    ("Chia", "谢"),
    ("Toh", "杜"),
    ("Neo", "梁"),
    ("Soh", "苏"),
    ("Sng", "孙"),
    ("Png", "方"),
    ("Yap", "叶"),
    ("Kwong", "邝"),
    ("Fok", "霍"),
    ("Ching", "程"),
    ("Hung", "洪"),
    ("Shum", "沈"),
    ("Yiu", "姚"),
    ("Kung", "龚"),
    ("Mui", "梅"),
    ("Fong", "方"),
    ("Sit", "薛"),
    ("Tso", "曹"),
    ("Yim", "严"),
    ("Chan", "陈"),
    ("Wong", "黄"),
    ("Lim", "林"),
    ("Tan", "陈"),
]


@pytest.mark.parametrize(("spelling", "surname"), DIALECT)
def test_dialect_surname_spellings(spelling: str, surname: str) -> None:
    assert similarity(f"{spelling} Jianguo", f"{surname}建国") >= 0.95
    assert similarity(f"Jianguo {spelling}", f"{surname}建国") >= 0.95


def test_dialect_spelling_is_not_every_surname() -> None:
    assert similarity("Koh Jianguo", "郭建国") == 0.0  # 郭 is Quek/Kwek in Hokkien


NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("record", "listed"),
    [("Lyu Xiaohong", "吕小红"), ("Koh Jianguo", "许建国"), ("Jianguo Quek", "郭建国")],
)
def test_index_finds_the_variant(record: str, listed: str) -> None:
    index = WatchlistIndex()
    basis = LegalBasis("WARRANT-7", "Example Court", NOW + timedelta(days=30))
    index.add(PersonEntry("E1", listed, basis, (), "1985-03-12"), NOW)
    matches = index.screen(ScreeningRecord("R1", record, "1985-03-12"), NOW)
    assert [m.entry_id for m in matches] == ["E1"]


@pytest.mark.parametrize(
    ("record", "listed"),
    [
        ("BRENT W. BURTON", "BRENT WYATT BURTON"),
        ("FRYE, DOROTHY S.", "FRYE, DOROTHY SHEENA"),
        ("Wera R. Jacobi Jäckel", "Wera Radmila Jacobi Jäckel"),
    ],
)
def test_a_middle_name_given_as_its_initial_is_a_slip_not_another_name(
    record: str, listed: str
) -> None:
    a, b = name_form(record), name_form(listed)
    assert a is not None and b is not None
    assert name_feature(a, b)[0] == 0.9
    assert name_feature(b, a)[0] == 0.9


@pytest.mark.parametrize(
    ("record", "listed"),
    [("BRENT X. BURTON", "BRENT WYATT BURTON"), ("J. Smith", "John Smith")],
)
def test_another_initial_or_one_whole_word_is_another_name(record: str, listed: str) -> None:
    a, b = name_form(record), name_form(listed)
    assert a is not None and b is not None
    assert name_feature(a, b)[0] == 0.0


def test_a_record_with_a_middle_initial_alerts_on_the_listed_person() -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    basis = LegalBasis("WARRANT-1", "Court", now + timedelta(days=30))
    index = WatchlistIndex()
    index.add(PersonEntry("E1", "BRENT WYATT BURTON", basis, birth_date="1990-10-17"), now)
    record = ScreeningRecord("R1", "BRENT W. BURTON", "1990-10-17")
    assert [m.entry_id for m in index.screen(record, now)] == ["E1"]
