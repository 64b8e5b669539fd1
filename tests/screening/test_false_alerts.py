"""Person screening tells a real name difference from a script or romanisation difference,
and weighs an approximate birth date by how common the name is on the list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from vigil.names import name_feature, name_form, token_readings
from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord
from vigil.screening.index import WatchlistIndex
from vigil.screening.scoring import score_person

NOW = datetime(2025, 6, 1, tzinfo=UTC)
BASIS = LegalBasis("WARRANT-7", "Example Court", NOW + timedelta(days=30))


def listed(name: str, birth: str = "1985-03-12", **kw: object) -> WatchlistIndex:
    index = WatchlistIndex()
    index.add(PersonEntry("E1", name, BASIS, birth_date=birth, **kw), NOW)  # type: ignore[arg-type]
    return index


def hits(
    index: WatchlistIndex, name: str, birth: str = "1985-03-12", id_hash: str = ""
) -> list[str]:
    return [m.entry_id for m in index.screen(ScreeningRecord("R", name, birth, id_hash), NOW)]


@pytest.mark.parametrize(
    ("listed_name", "record_name"),
    [
        ("王伟", "王飞"),  # another given name, same birth date
        ("周建", "鄒健"),  # zhou/zou: alike only in the coarse phonetic key
        ("Li Shi", "Li Xi"),
        ("李帆嘉", "Li Jiafan"),  # the given-name syllables in another order
        ("Michael Kline", "Michael Lee"),
        ("Mark Perez", "Meghan Perez"),
    ],
)
def test_same_birth_date_different_name_is_no_hit(listed_name: str, record_name: str) -> None:
    assert hits(listed(listed_name), record_name) == []


def _one_letter_crowd(index: WatchlistIndex, names: tuple[str, ...]) -> WatchlistIndex:
    """Add 400 listed persons named as given, born on other days than 1985-03-12."""
    first = date(1950, 1, 1)
    for i in range(400):
        born = (first + timedelta(days=47 * i + 1)).isoformat()
        index.add(PersonEntry(f"N{i}", names[i % len(names)], BASIS, birth_date=born), NOW)
    return index


@pytest.mark.parametrize(
    ("listed_name", "record_name"),
    [("王伟", "Wang Fei"), ("陈晨", "Chen Zhen"), ("Wang Wei", "Wang Wen")],
)
def test_well_formed_names_a_letter_apart_are_weighed_by_how_many_are_so_near(
    listed_name: str, record_name: str
) -> None:
    # a slip or another name: where few listed names are a letter away, a slip
    (match,) = listed(listed_name).screen(ScreeningRecord("R", record_name, "1985-03-12"), NOW)
    assert "one letter differs" in match.explanation["name_match"]["detail"]
    # ... not with a birth-date slip too, nor against a different identity number
    assert hits(listed(listed_name), record_name, "1985-03-13") == []
    assert hits(listed(listed_name, id_hash="h-1"), record_name, id_hash="h-2") == []
    # where many listed names are a letter away (or the very name), another person
    crowded = _one_letter_crowd(listed(listed_name), (record_name,))
    matches = crowded.screen(ScreeningRecord("R", record_name, "1985-03-12"), NOW, 0.0)
    e1 = next(m for m in matches if m.entry_id == "E1")
    assert e1.score < 0.8
    assert "the record's name" in e1.explanation["common_name"]["detail"]
    # a record in Han characters carries no letter slip
    assert hits(listed("Wang Fei"), "王伟") == []


def test_pinyin_alias_does_not_stand_in_for_the_characters() -> None:
    # 郝伟 is listed with its pinyin "Hao Wei"; 魏浩 read given-name first is also "Hao Wei"
    index = listed("郝伟", aliases=("Hao Wei",))
    assert hits(index, "魏浩") == []
    assert hits(index, "Hao Wei") == ["E1"]  # a romanised record cannot tell them apart


def test_homophone_slip_hits_and_says_so() -> None:
    index = listed("王伟")
    matches = index.screen(ScreeningRecord("R", "王薇", "1985-03-12"), NOW)
    assert [m.entry_id for m in matches] == ["E1"]
    assert "same sound" in matches[0].explanation["name_match"]["detail"]


def test_other_sounding_character_needs_more_than_the_name() -> None:
    # two-character name: the only given-name character differs and sounds different
    assert hits(listed("王伟", id_hash="h-1"), "王飞") == []
    assert hits(listed("王伟", id_hash="h-1"), "王飞", id_hash="h-1") == ["E1"]
    # three characters, two agree: only with the exact birth date or the identity number
    index = listed("李英军", id_hash="h-1")
    assert hits(index, "李飞军") == ["E1"]
    assert hits(index, "李飞军", "1985-03-13") == []
    assert hits(index, "李飞军", "1985-03-13", "h-1") == ["E1"]
    assert hits(index, "李飞华") == []  # two characters differ


def test_slip_with_slip_needs_the_identity_number() -> None:
    index = listed("王伟", id_hash="h-1")
    assert hits(index, "王薇", "1985-03-12") == ["E1"]  # one slip
    assert hits(index, "王伟", "1985-03-13") == ["E1"]
    assert hits(index, "王薇", "1985-03-13") == []  # two slips
    assert hits(index, "王薇", "1985-03-13", "h-1") == ["E1"]


def _crowded(name: str) -> WatchlistIndex:
    """One listed 王伟 born 1985-03-12 among 300 namesakes born on other days."""
    index = listed(name)
    first = date(1950, 1, 1)
    for i in range(300):
        born = first + timedelta(days=67 * i)
        index.add(PersonEntry(f"N{i}", "王伟", BASIS, birth_date=born.isoformat()), NOW)
    return index


def test_common_name_with_birth_date_slip_is_no_hit_without_id() -> None:
    index = _crowded("王伟")
    matches = index.screen(ScreeningRecord("R", "王伟", "1985-03-13"), NOW)
    assert "E1" not in [m.entry_id for m in matches]
    assert hits(index, "王伟") == ["E1"]  # the exact date still hits


def test_rare_name_with_birth_date_slip_hits() -> None:
    index = _crowded("欧阳震华")
    matches = index.screen(ScreeningRecord("R", "Ouyang Zhenhua", "1985-03-21"), NOW)
    assert [m.entry_id for m in matches] == ["E1"]
    assert "common_name" not in matches[0].explanation


def test_common_name_penalty_is_explained() -> None:
    index = _crowded("王伟")
    person = index._persons["E1"]
    score, explanation = score_person(
        name_form("王伟"), "19850313", "", person, index.chance_agreements
    )
    assert score < 0.8
    assert "301 listed persons share this name" in explanation["common_name"]["detail"]


def test_wade_giles_readings() -> None:
    assert {"zhang", "chang"} <= token_readings("chang", True)
    assert "qian" in token_readings("chien", False)
    assert "xiao" in token_readings("hsiao", False)
    assert token_readings("xi", False) == frozenset({"xi"})
    assert "shi" not in token_readings("xi", False)
    a, b = name_form("Chang Hsiao-ming"), name_form("张晓明")
    assert a is not None and b is not None
    assert name_feature(a, b)[0] == 0.95


def test_name_and_date_counts_follow_add_replace_and_remove() -> None:
    index = listed("王伟", aliases=("Wang Wei",))
    index.add(PersonEntry("E1", "王伟", BASIS, ("Wang Wei",), "1985-03-12"), NOW)  # replace
    index.add(PersonEntry("E2", "Wang Wei", BASIS, birth_date="1985"), NOW)
    assert index.chance_agreements("r:wang wei", "1985", "19850312")[0] == 2
    assert index.chance_agreements("h:王伟", "1985", "19850312")[0] == 1
    index.remove("E1")
    index.remove("E2")
    assert index.chance_agreements("r:wang wei", "1985", "19850312") == (0, 0.0)


@pytest.mark.parametrize(
    ("listed_name", "aliases", "record_name", "expected"),
    [
        # a listed alias that spells the Han name's pinyin stands for that exact reading: its
        # letters read as Wade-Giles ('chun' for jun) are no reason to alert
        ("孔春", ("Kong Chun",), "Kong Jun", []),
        ("张淑", ("Zhang Shu",), "Chang Shu", ["E1"]),  # Wade-Giles of the Han name itself
        # ü is not u: 吕 (lü) and 卢 (lu) differ; 'Lv' spells lü only, 'Lu' either
        ("吕鑫", (), "卢鑫", []),
        ("吕玉", (), "Lu Yu", ["E1"]),
        ("吕玉", (), "Lv Yu", ["E1"]),
        ("Lv Gui", (), "Li Rui", []),
        # a record in Han characters carries no letter slip
        ("John Wang", (), "王建", []),
        # letter slips in a name that is no romanised Chinese: a transposition of letters a
        # second slip touched counts as one edit; two slips in a short name
        ("David Foley", (), "vDid Foley", ["E1"]),
        ("Xu Qi", (), "Xwu Qai", ["E1"]),
        # a Wade-Giles given name split at its hyphen (hui + hsuan, not huih + suan)
        ("赵慧轩", (), "Chao Hui-hsuan", ["E1"]),
        # a rare romanised name of four letters, one letter from a listed one
        ("Hou Yi", (), "ou Yi", ["E1"]),
    ],
)
def test_readings_and_letter_slips(
    listed_name: str, aliases: tuple[str, ...], record_name: str, expected: list[str]
) -> None:
    assert hits(listed(listed_name, aliases=aliases), record_name) == expected
