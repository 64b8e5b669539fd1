"""Birth dates as registers file them: the normaliser and the comparison levels."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from vigil.core.dates import birth_date_form, normalise_birth_date
from vigil.screening.scoring import (
    DATE_SIMILARITY,
    birth_date_feature,
    date_level,
    id_conflict,
    record_birth,
)


def test_filed_forms_normalise() -> None:
    assert normalise_birth_date("1985-03-12") == "19850312"
    assert normalise_birth_date("19850312") == "19850312"
    assert normalise_birth_date("1985/3/2") == "19850302"
    assert normalise_birth_date("1985年3月12日") == "19850312"
    assert normalise_birth_date("1985-03") == "198503"
    assert normalise_birth_date("198503") == "198503"
    assert normalise_birth_date("1985") == "1985"
    assert normalise_birth_date("85-03-12") == "~850312"


def test_impossible_parts_are_no_date() -> None:
    for raw in ("1985-13", "1985-00", "85-13-01", "0985", "85", "12345", "x", "", "１９８５"):
        assert normalise_birth_date(raw) == "", raw


def test_a_full_date_keeps_a_slipped_digit() -> None:
    assert normalise_birth_date("1985-13-12") == "19851312"
    assert date_level("19851312", "19850312") == "digit"


@given(st.text(max_size=30))
def test_normaliser_is_total_and_canonical(raw: str) -> None:
    out = normalise_birth_date(raw)
    assert out == "" or birth_date_form(out) != "none"
    assert normalise_birth_date(out.lstrip("~")) in ("", out.lstrip("~")) or out.startswith("~")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_every_real_date_survives_each_form(day: date) -> None:
    full = day.strftime("%Y%m%d")
    assert normalise_birth_date(day.isoformat()) == full
    assert normalise_birth_date(day.strftime("%Y-%m")) == full[:6]
    assert normalise_birth_date(str(day.year)) == full[:4]
    assert normalise_birth_date(day.strftime("%y-%m-%d")) == "~" + full[2:]


def test_levels() -> None:
    listed = "19850312"
    assert date_level("19850312", listed) == "exact"
    assert date_level("198503", listed) == "year_month"
    assert date_level("1985", listed) == "year"
    assert date_level("19851203", listed) == "swapped_day_month"
    assert date_level("~850312", listed) == "two_digit_year"
    assert date_level("19850313", listed) == "digit"
    assert date_level("19853012", listed) == "transposed"
    assert date_level("", listed) == "none"
    assert date_level("19860413", listed) == "differ"
    assert date_level("198504", listed) == "differ"
    assert date_level("~860312", listed) == "differ"
    # a day above 12 cannot be a swapped month
    assert date_level("19851303", "19850313") == "differ"


def test_partial_dates_score_as_levels() -> None:
    assert birth_date_feature("19851203", "19850312")[0] == DATE_SIMILARITY["swapped_day_month"]
    assert birth_date_feature("~850312", "19850312")[0] == DATE_SIMILARITY["two_digit_year"]
    assert birth_date_feature("198503", "19850312")[0] == DATE_SIMILARITY["year_month"]
    assert birth_date_feature("1985", "19850312")[0] == DATE_SIMILARITY["year"]


def test_id_embedded_date_conflict() -> None:
    assert id_conflict("19851203", "19850312")
    assert not id_conflict("1985", "19850312")
    assert not id_conflict("198503", "19850312")
    score, detail = record_birth("19851203", "19850312", "19850312")
    assert score == 1.0 and "disagrees" in detail
    # a date the number confirms that differs from the listed one is no slip
    assert record_birth("19851203", "19851203", "19850312")[0] == 0.0


def test_index_finds_each_filed_form() -> None:
    from datetime import UTC, datetime, timedelta

    from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord
    from vigil.screening.index import WatchlistIndex

    now = datetime(2025, 6, 1, tzinfo=UTC)
    basis = LegalBasis("WARRANT-7", "Example Court", now + timedelta(days=30))
    index = WatchlistIndex()
    index.add(PersonEntry("E1", "张晓明", basis, (), "1985-03-12"), now)
    index.add(PersonEntry("E2", "王芳", basis, (), "1990-07-21"), now)
    for filed in ("1985-12-03", "85-03-12", "1985-03", "1985"):
        matches = index.screen(ScreeningRecord("R1", "张晓明", filed), now)
        assert [m.entry_id for m in matches] == ["E1"], filed
        assert "birth_date" in matches[0].explanation
    # day and month cannot be swapped when the day is above 12
    assert index.screen(ScreeningRecord("R2", "王芳", "1990-21-07"), now) == []


def test_a_two_digit_year_finds_a_person_listed_with_the_year_only() -> None:
    from datetime import UTC, datetime, timedelta

    from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord
    from vigil.screening.index import WatchlistIndex

    now = datetime(2025, 6, 1, tzinfo=UTC)
    basis = LegalBasis("WARRANT-7", "Example Court", now + timedelta(days=30))
    index = WatchlistIndex()
    index.add(PersonEntry("E1", "李帆鑫", basis, (), "1976"), now)
    index.add(PersonEntry("E2", "王芳", basis, (), "2003"), now)
    assert "E1" in index.candidates(ScreeningRecord("R1", "李帆鑫", "76-08-19"))
    assert "E2" in index.candidates(ScreeningRecord("R2", "王芳", "03-02-03"))
    assert "E1" not in index.candidates(ScreeningRecord("R3", "李帆鑫", "77-08-19"))


def test_a_stored_registration_hands_its_birth_dates_to_screening_as_filed() -> None:
    from vigil.screening.service import registration_records

    persons = [
        # a year filed beside a resident ID: the number's own date is kept apart by intake
        {
            "name": "欧阳建国",
            "birth_date": "1961",
            "doc_type": "cn_resident_id",
            "id_hash": "h1",
            "id_birth_date": "1961-04-17",
        },
        # a full date the ID agrees with (stored once)
        {"name": "李四", "birth_date": "1991-01-01", "doc_type": "cn_resident_id", "id_hash": "h2"},
        # a full date the ID disagrees with: both reach screening, which explains it
        {
            "name": "王五",
            "birth_date": "1981-01-01",
            "doc_type": "cn_resident_id",
            "id_hash": "h3",
            "id_birth_date": "1980-01-01",
        },
        # a passport: no resident-ID date, the year-month as filed
        {"name": "John Smith", "birth_date": "1974-08", "doc_type": "passport", "id_hash": "h4"},
    ]
    records = registration_records("hotel", 7, persons, {})
    got = [(r.record_id, r.birth_date, r.id_hash, r.id_birth_date) for r in records]
    assert got == [
        ("hotel:7:0", "1961", "h1", "19610417"),
        ("hotel:7:1", "1991-01-01", "h2", "19910101"),
        ("hotel:7:2", "1981-01-01", "h3", "19800101"),
        ("hotel:7:3", "1974-08", "", ""),
    ]
    assert date_level(normalise_birth_date(records[0].birth_date), "19610417") == "year"
