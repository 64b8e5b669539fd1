"""Candidates and comparisons that survive filing faults combined: a name slip with a date
that is not intact, a lunar-calendar birthday, a missing birth date, a given-name character
added or dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vigil.core.lunar import gregorian_of_lunar, lunar_birthday
from vigil.names import name_feature, name_form
from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord
from vigil.screening.index import WatchlistIndex
from vigil.screening.scoring import date_level

NOW = datetime(2025, 6, 1, tzinfo=UTC)
BASIS = LegalBasis("WARRANT-7", "Example Court", NOW + timedelta(days=30))


def listed(*entries: tuple[str, str, str]) -> WatchlistIndex:
    index = WatchlistIndex()
    for entry_id, name, birth in entries:
        index.add(PersonEntry(entry_id, name, BASIS, birth_date=birth), NOW)
    # other listed persons, so that no key is trivially shared
    for i, name in enumerate(("王芳", "李娜", "Ivan Petrov", "刘洋洋", "陈静")):
        index.add(PersonEntry(f"X{i}", name, BASIS, birth_date=f"19{60 + i}-0{i + 1}-1{i}"), NOW)
    return index


def test_lunar_birthday_conversion() -> None:
    # the Spring Festival of 1985 fell on 20 February: 14 March is the 23rd of the first month
    assert lunar_birthday("19850314") == "19850123"
    assert lunar_birthday("20240210") == "20240101"
    # a January birth falls in the lunar year before
    assert lunar_birthday("19850114") == "19841124"
    assert gregorian_of_lunar("19850123") == ("19850314",)
    # 1984 has a leap tenth month: its 22nd day is two Gregorian days
    assert gregorian_of_lunar("19841022") == ("19841114", "19841214")
    assert lunar_birthday("19851345") == "" and gregorian_of_lunar("19850231") == ()


def test_a_lunar_birthday_is_a_date_level_of_its_own() -> None:
    assert date_level("19850123", "19850314") == "lunar"
    assert date_level("19850314", "19850123") == "lunar"  # the list holds the lunar one
    assert date_level("19850124", "19850314") == "differ"


def test_a_lunar_birthday_filed_in_the_year_before_is_found_and_matched() -> None:
    index = listed(("E1", "谭语栩", "1985-01-14"))
    record = ScreeningRecord("R1", "谭语栩", "1984-11-24")
    assert "E1" in index.candidates(record)
    assert [m.entry_id for m in index.screen(record, NOW)] == ["E1"]


def test_a_record_without_a_birth_date_meets_listed_persons_of_any_year() -> None:
    index = listed(("E1", "蒋语青", "1980-06-18"))
    record = ScreeningRecord("R1", "蒋语青", "")
    assert "E1" in index.candidates(record)
    match = index.screen(record, NOW)[0]
    assert match.entry_id == "E1"
    assert match.explanation["birth_date"]["level"] == "none"


def test_a_given_name_character_added_or_dropped_is_partial_agreement() -> None:
    long, short = name_form("张小明"), name_form("张明")
    assert long is not None and short is not None
    assert name_feature(short, long)[0] == 0.7
    assert name_feature(long, short)[0] == 0.7
    surname_only = name_form("张")
    two = name_form("张伟")
    assert surname_only is not None and two is not None
    assert name_feature(surname_only, two)[0] == 0.0  # the surname alone is no name
    index = listed(("E1", "张语薇", "1989-03-17"), ("E2", "王芳萍", "1970-06-30"))
    for record_name, birth, entry_id in (
        ("张语薇薇", "1989-03-17", "E1"),
        ("王萍", "1970-06-30", "E2"),
    ):
        matches = index.screen(ScreeningRecord("R1", record_name, birth), NOW)
        assert [m.entry_id for m in matches] == [entry_id], record_name


def test_a_han_character_slip_is_a_candidate_when_the_date_gives_the_year_only() -> None:
    index = listed(("E1", "张小明", "1985-03-14"), ("E2", "李娜", "1985-03-14"))
    assert "E1" in index.candidates(ScreeningRecord("R1", "张明", "1985"))  # dropped
    assert "E1" in index.candidates(ScreeningRecord("R2", "张小小明", "1985"))  # added
    assert "E1" in index.candidates(ScreeningRecord("R3", "张大明", "1985-05"))  # changed
    # a record whose valid identity number confirms the date: one character fewer, that day
    confirmed = ScreeningRecord("R4", "张明", "", id_hash="h1", id_birth_date="19850314")
    assert "E1" in index.candidates(confirmed)


def test_a_letter_slip_is_a_candidate_when_the_date_is_not_intact() -> None:
    index = listed(("E1", "Yusuf Sultanov", "1975-08-01"), ("E2", "Zoë Luis Steiner", "1977-01-17"))
    # a letter changed, with the year only
    assert "E1" in index.candidates(ScreeningRecord("R1", "YUSUF SULTANOW", "1975"))
    # a letter changed, with a wrong digit in the day and month
    assert "E2" in index.candidates(ScreeningRecord("R2", "Xoë Luis Steiner", "1977-07-11"))
    # a letter dropped
    assert "E1" in index.candidates(ScreeningRecord("R3", "Yusuf Sultnov", "1975"))


def test_a_dropped_or_added_middle_name_is_a_candidate() -> None:
    index = listed(("E1", "John Michael Smith", "1977-04-02"), ("E2", "Anna Smith", "1977-04-02"))
    assert "E1" in index.candidates(ScreeningRecord("R1", "John Smith", "1977"))
    index = listed(("E1", "John Smith", "1977-04-02"))
    assert "E1" in index.candidates(ScreeningRecord("R1", "John Michael Smith", "1977-02-04"))


def test_a_middle_name_left_out_is_partial_agreement() -> None:
    short, full = name_form("John Smith"), name_form("John Michael Smith")
    other = name_form("Anna Smith")
    assert short is not None and full is not None and other is not None
    assert name_feature(short, full)[0] == 0.9
    assert name_feature(full, short)[0] == 0.9
    assert name_feature(other, full)[0] == 0.0
    index = listed(("E1", "John Michael Smith", "1977-04-02"))
    matches = index.screen(ScreeningRecord("R1", "JOHN SMITH", "1977-04-02"), NOW)
    assert [m.entry_id for m in matches] == ["E1"]
