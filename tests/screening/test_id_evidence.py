"""What a record's identity number tells beyond its hash, and how common an agreement is.

The birth date a valid CN resident identity number embeds is extracted before hashing
(`person_record`); it stands in for a stated birth date with a slip, and a date it confirms
that still differs from the listed one is no slip. Agreements that many listed persons share
(a common name with the birth year only, or two of three characters) need more evidence."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from vigil.core.ids import cn_id_check_char
from vigil.names import name_form
from vigil.screening.entries import (
    LegalBasis,
    PersonEntry,
    ScreeningRecord,
    person_record,
    resident_id_birth_date,
)
from vigil.screening.index import WatchlistIndex
from vigil.screening.scoring import score_person, slip_kind

NOW = datetime(2025, 6, 1, tzinfo=UTC)
BASIS = LegalBasis("WARRANT-7", "Example Court", NOW + timedelta(days=30))


def resident_id(birth: str, sequence: str = "123") -> str:
    body = f"110105{birth}{sequence}"
    return body + cn_id_check_char(body)


def digest(raw: str) -> str:
    """A stand-in keyed hash: '' unless the number is a valid resident id."""
    return hashlib.sha256(raw.encode()).hexdigest() if resident_id_birth_date(raw) else ""


def listed(name: str, birth: str = "1985-03-12", **kw: object) -> WatchlistIndex:
    index = WatchlistIndex()
    index.add(PersonEntry("E1", name, BASIS, birth_date=birth, **kw), NOW)  # type: ignore[arg-type]
    return index


def hits(index: WatchlistIndex, record: ScreeningRecord) -> list[str]:
    return [m.entry_id for m in index.screen(record, NOW)]


def test_resident_id_birth_date() -> None:
    number = resident_id("19850312")
    assert resident_id_birth_date(number) == "19850312"
    assert resident_id_birth_date(number.lower()[:6] + " " + number[6:]) == "19850312"
    wrong_check = number[:17] + ("0" if number[17] != "0" else "1")
    assert resident_id_birth_date(wrong_check) == ""
    assert resident_id_birth_date(resident_id("19850231")) == ""  # no such day
    assert resident_id_birth_date("110105850312123") == "19850312"  # legacy 15 digits
    assert resident_id_birth_date("") == resident_id_birth_date("E12345678") == ""


@given(st.dates(date(1900, 1, 1), date(2024, 12, 31)), st.integers(0, 999))
def test_every_valid_number_gives_back_its_birth_date(born: date, sequence: int) -> None:
    assert resident_id_birth_date(resident_id(f"{born:%Y%m%d}", f"{sequence:03d}")) == (
        f"{born:%Y%m%d}"
    )


def test_person_record_takes_the_birth_date_out_before_hashing() -> None:
    number = resident_id("19850312")
    record = person_record("R1", "张晓明", "1985", number, digest)
    assert record.id_hash == digest(number) != ""
    assert record.id_birth_date == "19850312"
    assert number not in repr(record)
    typo = number[:10] + ("4" if number[10] != "4" else "5") + number[11:]
    assert person_record("R2", "张晓明", "1985", typo, digest).id_birth_date == ""


def test_embedded_birth_date_corrects_a_stated_slip() -> None:
    index = listed("欧阳震华")  # listed without an identity number
    number = resident_id("19850312")
    record = person_record("R", "欧阳震华", "1958-03-21", number, digest)  # two slips
    assert hits(index, ScreeningRecord("R", "欧阳震华", "1958-03-21")) == []
    (match,) = index.screen(record, NOW)
    assert match.entry_id == "E1" and match.score >= 0.95
    detail = match.explanation["birth_date"]["detail"]
    assert "embedded in the record's identity number" in detail
    assert "taken for a slip" in detail


def test_embedded_birth_date_that_differs_is_no_slip() -> None:
    index = listed("欧阳震华")
    # without an identity number a one-digit difference with a rare name is a slip
    assert hits(index, ScreeningRecord("R", "欧阳震华", "1985-03-13")) == ["E1"]
    record = person_record("R", "欧阳震华", "1985-03-13", resident_id("19850313"), digest)
    assert hits(index, record) == []
    # only that very day could match: namesakes born in other years are not even looked up
    index.add(PersonEntry("E2", "欧阳震华", BASIS, birth_date="1990-03-13"), NOW)
    assert "E2" not in index.candidates(record)
    index.remove("E2")
    form = name_form("欧阳震华")
    score, explanation = score_person(
        form, "19850313", record.id_hash, index._persons["E1"], None, record.id_birth_date
    )
    assert score < 0.8
    assert "no slip" in explanation["birth_date"]["detail"]
    # the listed year alone is all there is to compare
    year_only = listed("欧阳震华", "1985")
    assert hits(year_only, record) == ["E1"]


def test_a_different_valid_number_vetoes_even_an_exact_name_and_date() -> None:
    index = listed("欧阳震华", id_hash=digest(resident_id("19850312", "001")))
    other = person_record("R", "欧阳震华", "1985-03-12", resident_id("19850312", "002"), digest)
    assert hits(index, other) == []
    (scored,) = index.screen(other, NOW, threshold=0.0)
    assert scored.explanation["identifier_mismatch"]["score"] < 0
    same = person_record("R", "Ou-yang Chen-hua", "", resident_id("19850312", "001"), digest)
    assert hits(index, same) == ["E1"]


def _crowded(name: str, count: int = 300) -> WatchlistIndex:
    """One listed `name` born 1985-03-12 among `count` namesakes born on other days."""
    index = listed(name)
    first = date(1950, 1, 1)
    for i in range(count):
        born = first + timedelta(days=67 * i + 1)
        index.add(PersonEntry(f"N{i}", name, BASIS, birth_date=born.isoformat()), NOW)
    return index


def test_common_name_with_the_birth_year_only_is_no_hit() -> None:
    # 9.3 are expected to share a year by chance: more than the 8.25 that may (5.5 × 1.5)
    index = _crowded("王伟", 1200)
    matches = index.screen(ScreeningRecord("R", "王伟", "1985"), NOW, threshold=0.0)
    e1 = next(m for m in matches if m.entry_id == "E1")
    assert e1.score < 0.8
    assert "listed persons share this name" in e1.explanation["common_name"]["detail"]
    # a rare name with the year only still hits, and the full date always does
    assert hits(listed("欧阳震华"), ScreeningRecord("R", "欧阳震华", "1985")) == ["E1"]
    assert "E1" in hits(index, ScreeningRecord("R", "王伟", "1985-03-12"))


def test_two_of_three_characters_are_weighed_by_how_many_share_them() -> None:
    rare = listed("欧震华")
    assert hits(rare, ScreeningRecord("R", "欧建华", "1985-03-12")) == ["E1"]
    crowded = listed("李英军")
    first = date(1950, 1, 1)
    for i in range(400):  # many listed persons named 李英? and 李?军
        born = (first + timedelta(days=50 * i + 1)).isoformat()
        crowded.add(PersonEntry(f"N{i}", "李英" + "伟芳娜敏静丽强磊"[i % 8], BASIS, (), born), NOW)
        crowded.add(
            PersonEntry(f"M{i}", "李" + "伟芳娜敏静丽强磊"[i % 8] + "军", BASIS, (), born), NOW
        )
    matches = crowded.screen(ScreeningRecord("R", "李飞军", "1985-03-12"), NOW, threshold=0.0)
    e1 = next(m for m in matches if m.entry_id == "E1")
    assert e1.score < 0.8
    assert "李?军" in e1.explanation["common_name"]["detail"]


def test_slip_kinds() -> None:
    assert slip_kind("19850312", "19850313") == "digit"
    assert slip_kind("19850312", "19850321") == "transposed"
    assert slip_kind("19850312", "19850331") == ""
    assert slip_kind("1985", "19850312") == ""


def test_a_surname_slip_that_makes_no_surname_hits() -> None:
    index = listed("Chen Taoguo")
    (match,) = index.screen(ScreeningRecord("R", "hen Taoguo", "1985-03-12"), NOW)
    assert "no surname" in match.explanation["name_match"]["detail"]
    # both are surnames people bear: a slip or another person, weighed by how many listed
    # names are a letter away from the record's
    crowded = listed("Pan Rong")
    for i, name in enumerate(("Tan Rong", "Tan Long", "Tang Rong", "Tan Rou") * 100):
        born = (date(1950, 1, 1) + timedelta(days=47 * i + 1)).isoformat()
        crowded.add(PersonEntry(f"N{i}", name, BASIS, birth_date=born), NOW)
    assert hits(crowded, ScreeningRecord("R", "Tan Rong", "1985-03-12")) == []
    assert hits(index, ScreeningRecord("R", "hen Taoguo", "1985-03-13")) == []  # two slips


def test_an_exact_agreement_explains_away_a_date_slip_with_another() -> None:
    index = listed("欧阳震华")
    assert hits(index, ScreeningRecord("R", "欧阳震华", "1985-03-13")) == ["E1"]
    index.add(PersonEntry("E2", "欧阳震华", BASIS, birth_date="1985-03-13"), NOW)
    assert hits(index, ScreeningRecord("R", "欧阳震华", "1985-03-13")) == ["E2"]
    assert hits(index, ScreeningRecord("R", "欧阳震华", "1985-03-12")) == ["E1"]


def test_found_through_the_birth_date_when_the_phonetic_keys_differ() -> None:
    # "Lv Pengyi" keys its given name as one word, 呂鵬怡 as two syllables
    index = listed("Lv Pengyi", "1960-12-27")
    assert hits(index, ScreeningRecord("R", "呂鵬怡", "1960-12-27")) == ["E1"]
    # a record whose identity number confirms its birth date finds that day's listed persons
    index = listed("Wang Yu", "1967-01-25")
    record = person_record("R", "王雨", "1967-01-25", resident_id("19670125"), digest)
    assert hits(index, record) == ["E1"]
    # ... and a letter slip in a romanised name, when the date is intact
    index = listed("Gao Jianjuan", "1979-09-02")
    assert hits(index, ScreeningRecord("R", "Gao Jianjuxn", "1979-09-02")) == ["E1"]
    assert hits(index, ScreeningRecord("R", "Gao Jianjuxn", "1979-09-03")) == []


def test_listed_persons_agreeing_alike_are_chance_agreements_seen() -> None:
    # a rare name and a birth-date slip: a hit when one listed person is that close ...
    index = listed("欧阳震华", "1985-03-12")
    assert hits(index, ScreeningRecord("R", "欧阳震华", "1985-03-13")) == ["E1"]
    # ... but when two are, at least one of them agrees by chance, and so may either
    index.add(PersonEntry("E2", "欧阳震华", BASIS, birth_date="1985-03-14"), NOW)
    matches = index.screen(ScreeningRecord("R", "欧阳震华", "1985-03-13"), NOW, threshold=0.0)
    assert {m.entry_id for m in matches if m.score >= 0.8} == set()
    e1 = next(m for m in matches if m.entry_id == "E1")
    assert "1 other(s) on the list do" in e1.explanation["common_name"]["detail"]
    # the exact date still hits
    assert hits(index, ScreeningRecord("R", "欧阳震华", "1985-03-14")) == ["E2"]


def _read_alike(count: int, numbered: bool) -> WatchlistIndex:
    """王伟 (E1), with no number on file, among `count` listed 王卫 (read alike, wang wei)
    born on other days, each with a number on file when `numbered`, and 2,000 other listed
    persons without numbers."""
    index = listed("王伟")
    first = date(1950, 1, 1)
    for i in range(count):
        born = (first + timedelta(days=67 * i + 1)).isoformat()
        index.add(PersonEntry(f"N{i}", "王卫", BASIS, (), born, f"h-{i}" if numbered else ""), NOW)
    for i in range(2000):
        born = (first + timedelta(days=11 * i + 5)).isoformat()
        index.add(PersonEntry(f"C{i}", "欧阳震华", BASIS, birth_date=born), NOW)
    return index


# a homophone of E1's name on E1's birth date, with another valid number and with none
NUMBERED = ScreeningRecord("R", "王薇", "1985-03-12", "h-record", "19850312")
NUMBERLESS = ScreeningRecord("R", "王薇", "1985-03-12")


def test_a_numbered_record_agrees_by_chance_only_with_listed_persons_without_a_number() -> None:
    # the 600 namesakes have numbers on file, and the record's is none of them: a hit ...
    assert hits(_read_alike(600, numbered=True), NUMBERED) == ["E1"]
    # ... but without numbers on file any of them could be the record's bearer
    matches = _read_alike(600, numbered=False).screen(NUMBERED, NOW, threshold=0.0)
    e1 = next(m for m in matches if m.entry_id == "E1")
    assert e1.score < 0.8
    detail = e1.explanation["common_name"]["detail"]
    assert "601 listed persons without an identity number share this reading" in detail
    # a record without a number could be any of them, numbered or not
    assert hits(_read_alike(600, numbered=True), NUMBERLESS) == []


def test_whether_a_record_carries_a_number_is_evidence() -> None:
    # 50 listed namesakes by reading, none with a number: the same chance agreements, but a
    # record without a number is far likelier to be a listed person's (MAX_CHANCE_AGREEMENTS
    # and MAX_CHANCE_AGREEMENTS_NUMBERED)
    index = _read_alike(50, numbered=False)
    assert hits(index, NUMBERLESS) == ["E1"]
    assert hits(index, NUMBERED) == []


def test_counts_without_a_number_follow_add_replace_and_remove() -> None:
    index = listed("王伟")
    assert index.chance_agreements("h:王伟", "", "", unnumbered=True)[0] == 1
    index.add(PersonEntry("E1", "王伟", BASIS, birth_date="1985-03-12", id_hash="h-1"), NOW)
    assert index.chance_agreements("h:王伟", "", "", unnumbered=True)[0] == 0
    assert index.chance_agreements("h:王伟", "", "")[0] == 1
    index.add(PersonEntry("E1", "王伟", BASIS, birth_date="1985-03-12"), NOW)
    assert index.chance_agreements("h:王伟", "", "", unnumbered=True)[0] == 1
    index.remove("E1")
    assert index.chance_agreements("h:王伟", "", "", unnumbered=True)[0] == 0
    assert index.chance_agreements("h:王伟", "", "")[0] == 0
