"""Birth dates as registers hold them (issue #23): intake takes a full date, a year-month or
a year (ISO 8601 at reduced precision), keeps each as filed, and refuses everything else
with a field-level error that says what to send."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.intake.samples import sample
from vigil.core.dates import filed_birth_date
from vigil.core.protect import IdentifierVault
from vigil.core.settings import generate_keys
from vigil.intake.validation import PreparedRow, RowValidator

KEYS = generate_keys()
VAULT = IdentifierVault(KEYS["id_hash_key"], KEYS["id_encryption_key"])
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
FIELD = "companions.0.birth_date"  # a passport holder: no resident ID to fill the date in


def validate(birth: Any) -> PreparedRow | dict[str, str]:
    record = sample("hotel")
    record["companions"][0]["birth_date"] = birth
    result = RowValidator("hotel", 1, VAULT, now=NOW).validate(record, 1)
    if isinstance(result, PreparedRow):
        return result
    return {e.field: e.message for e in result}


def oracle(raw: str) -> str | None:
    """What intake must keep of `raw`, written independently of the code: the stripped text
    if it is 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' in ASCII digits, a real date, from 1900 up to
    today at its own precision; else None (refused)."""
    text = raw.strip()
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", text):
        return None
    padded = text + "-01-01"[len(text) - 4 :] if len(text) < 10 else text
    try:
        day = date.fromisoformat(padded)
    except ValueError:
        return None
    if day.year < 1900:
        return None
    latest = {4: date(TODAY.year, 1, 1), 7: TODAY.replace(day=1), 10: TODAY}[len(text)]
    return text if day <= latest else None


def precisions(day: date) -> st.SearchStrategy[str]:
    return st.sampled_from([day.isoformat(), day.isoformat()[:7], str(day.year)])


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY).flatmap(precisions))
def test_every_valid_form_is_accepted_and_kept_as_filed(filed: str) -> None:
    result = validate(filed)
    assert isinstance(result, PreparedRow), result
    stored = result.persons[1]
    assert stored["birth_date"] == filed  # no day invented, nothing reformatted
    assert result.record["persons"][1]["birth_date"] == filed
    assert filed_birth_date(stored["birth_date"], TODAY) == filed  # reads back as it went in


# Near misses of the valid forms, and anything at all
NEAR_MISS = st.one_of(
    st.from_regex(r"\A[0-9]{1,8}([-/. ][0-9]{1,3}){0,3}\Z"),
    st.from_regex(r"\A[0-9]{2,4}(-[0-9]{1,2}){0,2}(T[0-9:]{0,8})?Z?\Z"),
    st.builds(lambda d: d.strftime("%d/%m/%Y"), st.dates(min_value=date(1900, 1, 1))),
    st.builds(lambda d: d.strftime("%Y%m%d"), st.dates(min_value=date(1900, 1, 1))),
    st.builds(lambda d: d.strftime("%Y年%m月%d日"), st.dates(min_value=date(1900, 1, 1))),
    st.text(max_size=14),
)


@settings(max_examples=400, deadline=None)
@given(NEAR_MISS)
@example("1985-3")
@example("85-03-12")
@example("1985-02-29")
@example("1899-12")
@example("１９８５")
@example("")
@example("2026-03-16")
@example("2026-04")
@example("2027")
def test_anything_else_is_refused_with_a_field_error(raw: str) -> None:
    result = validate(raw)
    expected = oracle(raw)
    if expected is not None:
        assert isinstance(result, PreparedRow), (raw, result)
        assert result.persons[1]["birth_date"] == expected
        return
    assert isinstance(result, dict), (raw, result)  # refused: no row is prepared
    assert set(result) == {FIELD}, result
    assert result[FIELD]


@pytest.mark.parametrize("junk", [1985, 1985.0, True, ["1985"], {"year": 1985}])
def test_a_birth_date_must_be_text(junk: Any) -> None:
    result = validate(junk)
    assert result == {FIELD: "must be a date as YYYY-MM-DD, YYYY-MM or YYYY"}


def test_messages_say_what_is_wrong_and_what_to_send() -> None:
    assert validate("12/03/1985") == {FIELD: "must be a date as YYYY-MM-DD, YYYY-MM or YYYY"}
    assert validate("1985-02-30") == {
        FIELD: "is not a real date (send YYYY-MM-DD, YYYY-MM or YYYY)"
    }
    assert validate("1985-13") == {FIELD: "is not a real date (send YYYY-MM-DD, YYYY-MM or YYYY)"}
    assert validate("1899") == {FIELD: "is before 1900"}
    for future in ("2026-03-16", "2026-04", "2027"):
        assert validate(future) == {FIELD: "is in the future"}, future
    for today in ("2026-03-15", "2026-03", "2026"):  # today, at each precision, is not
        assert isinstance(validate(today), PreparedRow), today


def test_a_python_date_is_a_full_date() -> None:
    result = validate(date(1974, 8, 12))
    assert isinstance(result, PreparedRow)
    assert result.persons[1]["birth_date"] == "1974-08-12"


def test_the_resident_id_fills_a_missing_date_only() -> None:
    record = sample("hotel")
    record["guest"].pop("birth_date", None)
    result = RowValidator("hotel", 1, VAULT).validate(record, 1)
    assert isinstance(result, PreparedRow)
    embedded = result.persons[0]["birth_date"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", embedded)
    record["guest"]["birth_date"] = embedded[:7]
    result = RowValidator("hotel", 1, VAULT).validate(record, 1)
    assert isinstance(result, PreparedRow)
    guest = result.persons[0]
    assert (guest["birth_date"], guest["id_birth_date"]) == (embedded[:7], embedded)


def test_future_is_judged_against_the_callers_clock() -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert validate(tomorrow) == {FIELD: "is in the future"}
