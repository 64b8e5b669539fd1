"""The shared validation path, without a database: precise field-level errors per sector,
and fuzzed parsers that never crash."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.intake.samples import PERSON_FIELD, SAMPLES, TIME_FIELD, sample
from vigil.core.errors import NotFound
from vigil.core.protect import IdentifierVault
from vigil.core.settings import generate_keys
from vigil.intake import prepare, readers
from vigil.intake.chunks import ByteChunk
from vigil.intake.validation import PreparedRow, RowError, RowValidator

KEYS = generate_keys()
VAULT = IdentifierVault(KEYS["id_hash_key"], KEYS["id_encryption_key"])
SECTORS = list(SAMPLES)


def errors_of(sector: str, record: Any) -> dict[str, str]:
    result = RowValidator(sector, 1, VAULT).validate(record, 1)
    assert isinstance(result, list), "expected the record to be refused"
    return {e.field: e.message for e in result}


@pytest.mark.parametrize("sector", SECTORS)
def test_valid_sample_is_prepared_without_plaintext_id(sector: str) -> None:
    record = sample(sector, 5)
    number = record[PERSON_FIELD[sector]]["id_number"]
    result = RowValidator(sector, 1, VAULT).validate(record, 1)
    assert isinstance(result, PreparedRow)
    assert number not in json.dumps(result.record)
    assert result.persons[0]["id_hash"] == VAULT.hash(number)
    assert VAULT.reveal(result.persons[0]["id_ciphertext"]) == number


@pytest.mark.parametrize("sector", SECTORS)
def test_wrong_check_character(sector: str) -> None:
    record = sample(sector)
    record[PERSON_FIELD[sector]]["id_number"] = "110105194912310021"
    assert errors_of(sector, record) == {
        f"{PERSON_FIELD[sector]}.id_number": "check character should be X"
    }


@pytest.mark.parametrize("sector", SECTORS)
def test_impossible_date(sector: str) -> None:
    record = sample(sector)
    record[TIME_FIELD[sector]] = "2026-02-30T10:00:00"
    errors = errors_of(sector, record)
    assert list(errors) == [TIME_FIELD[sector]]
    assert "day value is outside expected range" in errors[TIME_FIELD[sector]]


@pytest.mark.parametrize("sector", SECTORS)
def test_impossible_birth_date_in_id(sector: str) -> None:
    record = sample(sector)
    record[PERSON_FIELD[sector]]["id_number"] = "110105199002300011"
    errors = errors_of(sector, record)
    assert errors == {f"{PERSON_FIELD[sector]}.id_number": "birth date 1990-02-30 does not exist"}


@pytest.mark.parametrize("sector", SECTORS)
def test_protected_attribute_refused(sector: str) -> None:
    record = sample(sector)
    record[PERSON_FIELD[sector]]["ethnicity"] = "x"
    record["religion"] = "y"
    assert errors_of(sector, record) == {
        f"{PERSON_FIELD[sector]}.ethnicity": "is a protected attribute; Vigil does not collect it",
        "religion": "is a protected attribute; Vigil does not collect it",
    }


def test_csv_chunks_refuse_protected_attributes_from_the_header_or_a_json_cell() -> None:
    """The file path skips the per-row key scan only for rows whose keys all come from a
    clean header: a protected column, or one inside a JSON cell, is still refused."""
    stay = sample("hotel", 3)
    guest = stay["guest"]
    base = ["Zhang Wei", guest["doc_type"], guest["id_number"], stay["check_in"], "101"]
    header = ["guest.name", "guest.doc_type", "guest.id_number", "check_in", "room"]

    protected = "is a protected attribute; Vigil does not collect it"

    def refused(head: list[str], rows: list[list[str]]) -> dict[int, list[tuple[str, str]]]:
        preparer = prepare.ChunkPreparer(RowValidator("hotel", 1, VAULT), head, encode=False)
        good, bad = preparer(list(enumerate(rows, 1)))
        assert len(good) + len({e.row for e in bad}) == len(rows)
        # the same rows cut as bytes, as a pooled load hands them to a worker
        text = io.StringIO(newline="")
        csv.writer(text).writerows(rows)
        data = text.getvalue().encode()
        (good_b, bad_b), _ = preparer.prepare_bytes(ByteChunk(data, "utf-8", data.count(b"\n")))
        assert len(good_b) == len(good) and bad_b == bad
        return {e.row: [(f.field, f.message) for f in bad if f.row == e.row] for e in bad}

    assert refused(header, [base]) == {}
    assert refused([*header, "guest.Ethnicity"], [[*base, "x"], [*base, ""]]) == {
        1: [("guest.Ethnicity", protected)]
    }
    companion = json.dumps([{**guest, "name": "Li Na", "religion": "y"}])
    assert refused([*header, "companions"], [[*base, companion]]) == {
        1: [("companions.0.religion", protected)]
    }


@pytest.mark.parametrize("sector", SECTORS)
def test_future_event_time(sector: str) -> None:
    record = sample(sector)
    record[TIME_FIELD[sector]] = "2999-01-01T00:00:00+00:00"
    record.pop("check_out", None)
    record.pop("exited_at", None)
    assert errors_of(sector, record) == {TIME_FIELD[sector]: "is in the future"}


@pytest.mark.parametrize("sector", SECTORS)
def test_unknown_field_and_missing_field(sector: str) -> None:
    record = sample(sector)
    record["colour_of_car"] = "red"
    del record[TIME_FIELD[sector]]
    errors = errors_of(sector, record)
    assert errors["colour_of_car"] == "is not a field of this record"
    assert errors[TIME_FIELD[sector]] == "is required"


def test_check_out_before_check_in() -> None:
    record = sample("hotel")
    record["check_out"] = "2026-01-09T08:00:00+00:00"
    assert errors_of("hotel", record) == {"check_out": "must be after check_in"}


def test_exit_before_entry() -> None:
    record = sample("venue")
    record["exited_at"] = "2026-01-09T08:00:00+00:00"
    assert errors_of("venue", record) == {"exited_at": "must be after entered_at"}


def test_companion_error_points_at_the_companion() -> None:
    record = sample("hotel")
    record["companions"][0]["issuing_country"] = None
    assert errors_of("hotel", record) == {
        "companions.0.issuing_country": "is required for a passport"
    }


def prepared(sector: str, record: Any) -> PreparedRow:
    result = RowValidator(sector, 1, VAULT).validate(record, 1)
    assert isinstance(result, PreparedRow), result
    return result


def test_a_filed_birth_date_the_resident_id_disagrees_with_is_kept_as_filed() -> None:
    record = sample("hotel")
    record["guest"]["birth_date"] = "1981-01-01"  # the number says 1980-01-01
    guest = prepared("hotel", record).persons[0]
    # not overwritten, not refused: screening gets both and explains the disagreement
    assert (guest["birth_date"], guest["id_birth_date"]) == ("1981-01-01", "1980-01-01")
    record["guest"]["birth_date"] = "1980-01-01"
    assert "id_birth_date" not in prepared("hotel", record).persons[0]  # the same: stored once


def test_a_partial_birth_date_is_kept_beside_the_resident_ids() -> None:
    record = sample("hotel")
    record["guest"]["birth_date"] = "1980"
    guest = prepared("hotel", record).persons[0]
    assert (guest["birth_date"], guest["id_birth_date"]) == ("1980", "1980-01-01")


def test_legacy_15_digit_resident_id_fixes_birth_date_and_sex_too() -> None:
    record = sample("hotel")
    record["guest"]["id_number"] = "110105491231002"  # born 1949-12-31, last digit even: F
    result = prepared("hotel", record)
    assert (result.persons[0]["birth_date"], result.persons[0]["sex"]) == ("1949-12-31", "F")
    assert "id_birth_date" not in result.persons[0]
    record["guest"]["birth_date"] = "1949-12-30"
    guest = prepared("hotel", record).persons[0]
    assert (guest["birth_date"], guest["id_birth_date"]) == ("1949-12-30", "1949-12-31")


def test_legacy_15_digit_resident_id_links_to_its_18_character_form() -> None:
    record = sample("hotel")
    record["guest"]["id_number"] = "110105491231002"
    legacy = prepared("hotel", record).persons[0]["id_hash"]
    record["guest"]["id_number"] = "11010519491231002X"  # its GB 11643-1999 upgrade
    assert prepared("hotel", record).persons[0]["id_hash"] == legacy


def test_sector_specific_identifiers() -> None:
    record = sample("secondhand")
    record["item"]["imei"] = "490154203237519"
    assert errors_of("secondhand", record) == {"item.imei": "Luhn check digit should be 8"}
    record = sample("secondhand")
    record["item"]["imei"] = None
    record["item"]["serial_number"] = None
    assert errors_of("secondhand", record) == {
        "item.serial_number": "a serial number or an IMEI is required"
    }
    record = sample("motor")
    record["vin"] = "1M8GDM9A1KP042788"
    assert errors_of("motor", record) == {"vin": "check digit (position 9) should be X"}
    record = sample("motor")
    record["work_type"] = "turbo"
    assert list(errors_of("motor", record)) == ["work_type"]
    record = sample("parcel")
    record["weight_kg"] = 0
    assert list(errors_of("parcel", record)) == ["weight_kg"]


def test_unknown_sector() -> None:
    with pytest.raises(NotFound) as caught:
        RowValidator("casino", 1, VAULT)
    assert caught.value.errors[0].loc == "sector"


def test_names_in_any_script_are_kept_as_written() -> None:
    for name in ("Σωκράτης Παπαδόπουλος", "محمد علي", "Nguyễn Văn An", "金 民俊", "O'Brien-Smith"):
        record = sample("hotel")
        record["guest"]["name"] = name
        result = RowValidator("hotel", 1, VAULT).validate(record, 1)
        assert isinstance(result, PreparedRow)
        assert result.persons[0]["name"] == name


def test_same_content_same_row_key_other_business_other_key() -> None:
    a = RowValidator("hotel", 1, VAULT).validate(sample("hotel"), 1)
    b = RowValidator("hotel", 1, VAULT).validate(sample("hotel"), 7)
    c = RowValidator("hotel", 2, VAULT).validate(sample("hotel"), 1)
    assert isinstance(a, PreparedRow) and isinstance(b, PreparedRow)
    assert isinstance(c, PreparedRow)
    assert a.row_key == b.row_key != c.row_key


# ---------------------------------------------------------------- parsers, fuzzed

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(sector=st.sampled_from(SECTORS), raw=json_values)
def test_validator_never_crashes_on_any_json(sector: str, raw: Any) -> None:
    result = RowValidator(sector, 1, VAULT).validate(raw, 1)
    assert isinstance(result, PreparedRow) or (
        result and all(isinstance(e, RowError) and e.field for e in result)
    )


@settings(max_examples=300, deadline=None)
@given(
    sector=st.sampled_from(SECTORS),
    overrides=st.dictionaries(
        st.sampled_from(
            [
                "room",
                "check_in",
                "price",
                "vin",
                "plate",
                "weight_kg",
                "pieces",
                "sender_verified",
                "entered_at",
                "waybill",
                "guest",
                "item",
            ]
        ),
        json_values,
        max_size=3,
    ),
)
def test_validator_never_crashes_on_mutated_records(sector: str, overrides: dict[str, Any]) -> None:
    record = {**sample(sector), **overrides}
    result = RowValidator(sector, 1, VAULT).validate(record, 1)
    assert isinstance(result, PreparedRow | list)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab,"\n\r.0{}[]张')), max_size=200))
def test_csv_parser_reports_or_yields_never_crashes(text: str) -> None:
    stream = io.StringIO("guest.name,check_in,room\n" + text, newline="")
    try:
        for item in readers.iter_csv(stream, "hotel"):
            assert isinstance(item, RowError | tuple)
    except readers.FileFormatError:
        pass
    except readers.ReadAborted:
        pass


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_jsonl_parser_never_crashes(text: str) -> None:
    for item in readers.iter_jsonl(io.StringIO(text)):
        assert isinstance(item, RowError | tuple)


@settings(max_examples=200, deadline=None)
@given(
    flat=st.dictionaries(
        st.from_regex(r"[a-z]{1,3}(\.[a-z0-9]{1,2}){0,2}", fullmatch=True),
        st.text(max_size=8),
        max_size=6,
    )
)
def test_unflatten_never_crashes(flat: dict[str, str]) -> None:
    with contextlib.suppress(readers.ColumnConflict):
        readers.unflatten(flat)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400))
def test_encoding_detection_never_crashes(data: bytes) -> None:
    with contextlib.suppress(readers.FileFormatError):
        readers.detect_encoding(data)
