"""Validators: generated valid numbers validate, every single-character change and adjacent
transposition of a CN ID is rejected, and the results agree with python-stdnum."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum import imei as stdnum_imei
from stdnum.cn import ric as stdnum_ric
from stdnum.exceptions import ValidationError

from tests.intake.samples import region_codes
from vigil.core.errors import IdentifierError
from vigil.core.ids import (
    cn_id_check_char,
    legacy_cn_id_upgraded,
    luhn_check_digit,
    mrz_check_digit,
    normalise_serial,
    validate_cn_resident_id,
    validate_imei,
    validate_mrz_field,
    validate_passport_number,
    validate_vin,
    vin_check_digit,
)

REGIONS = region_codes()


@st.composite
def cn_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(REGIONS))
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)))
    sequence = draw(st.integers(0, 999))
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + cn_id_check_char(body)


def test_reference_examples() -> None:
    assert validate_cn_resident_id("11010519491231002X") == "11010519491231002X"
    assert validate_cn_resident_id("360426199101010071") == "360426199101010071"
    assert mrz_check_digit("L898902C3") == "6"
    assert mrz_check_digit("740812") == "2"
    assert mrz_check_digit("120415") == "9"
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_agrees_with_stdnum(body: str) -> None:
    assert cn_id_check_char(body) == stdnum_ric.calc_check_digit(body + "?")  # wants 18


def test_region_table_is_not_empty() -> None:
    assert len(REGIONS) > 300


@given(cn_ids())
def test_generated_cn_ids_validate_and_agree_with_stdnum(number: str) -> None:
    assert validate_cn_resident_id(number) == number
    assert stdnum_ric.validate(number) == number


@settings(max_examples=60)
@given(cn_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_every_single_character_change_is_rejected(number: str, position: int, char: str) -> None:
    if number[position] == char:
        return
    changed = number[:position] + char + number[position + 1 :]
    with pytest.raises(IdentifierError):
        validate_cn_resident_id(changed)


@settings(max_examples=60)
@given(cn_ids(), st.integers(0, 16))
def test_every_adjacent_transposition_is_rejected(number: str, position: int) -> None:
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(IdentifierError):
        validate_cn_resident_id(swapped)


@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
@example("500083779408260035")
def test_agrees_with_stdnum_on_arbitrary_18_character_strings(number: str) -> None:
    try:
        stdnum_ric.validate(number)
        stdnum_ok = True
    except ValidationError:
        stdnum_ok = False
    except KeyError:
        # python-stdnum looks up an address code known only to the province level (500083:
        # Chongqing, no county) and fails on the missing county instead of rejecting it
        stdnum_ok = False
    try:
        validate_cn_resident_id(number, today=date(2999, 1, 1))
        ours_ok = True
    except IdentifierError:
        ours_ok = False
    assert ours_ok == stdnum_ok


def test_wrong_check_character_message_names_the_right_one() -> None:
    with pytest.raises(IdentifierError, match="check character should be X"):
        validate_cn_resident_id("110105194912310021")


def test_impossible_birth_date_is_named() -> None:
    body = "11010519490231002"
    with pytest.raises(IdentifierError, match="1949-02-31 does not exist"):
        validate_cn_resident_id(body + cn_id_check_char(body))


def test_an_unknown_county_of_a_known_province_is_a_field_error() -> None:
    # python-stdnum itself raises KeyError here (the province is known, the county is not)
    body = "11999919900101001"
    with pytest.raises(IdentifierError, match="region code 119999 is not a known"):
        validate_cn_resident_id(body + cn_id_check_char(body))


def _stdnum_knows_region(number: str) -> bool:
    try:
        stdnum_ric.get_birth_place(number)
    except (ValidationError, KeyError):
        return False
    return True


PROVINCES = sorted({code[:2] for code in REGIONS})


@settings(max_examples=300)
@given(
    st.sampled_from(PROVINCES),
    st.one_of(
        # ASCII digits: the validator reads other digits through NFKC ('🯰' is '0'), python-stdnum
        # does not, so they would compare two different numbers
        st.sampled_from([code[2:] for code in REGIONS]),
        st.from_regex(r"[0-9]{4}", fullmatch=True),
    ),
    st.integers(1930, 2025),
)
def test_region_check_agrees_with_stdnum_for_every_birth_year(
    province: str, county: str, year: int
) -> None:
    """Including counties that existed only for some years ("[1986-]房山区")."""
    body = f"{province}{county}{year}0101001"
    number = body + cn_id_check_char(body)
    try:
        validate_cn_resident_id(number, today=date(2999, 1, 1))
        ours = True
    except IdentifierError as exc:
        assert "region code" in str(exc)
        ours = False
    assert ours == _stdnum_knows_region(number)


@pytest.mark.parametrize(
    ("region", "year", "known"),
    [
        ("110103", 2010, True),
        ("110103", 2011, False),
        ("110111", 1985, False),
        ("110111", 1986, True),
    ],
)
def test_dated_counties(region: str, year: int, known: bool) -> None:
    body = f"{region}{year}0101001"
    number = body + cn_id_check_char(body)
    assert _stdnum_knows_region(number) is known
    if known:
        assert validate_cn_resident_id(number) == number
    else:
        with pytest.raises(IdentifierError, match=f"region code {region}"):
            validate_cn_resident_id(number)


def test_legacy_15_digit_form_validates_to_its_18_character_upgrade() -> None:
    # REFERENCE.md's example 11010519491231002X is the upgrade of 110105491231002
    assert validate_cn_resident_id("110105491231002") == "11010519491231002X"
    assert validate_cn_resident_id("110105-491231-002") == "11010519491231002X"
    assert legacy_cn_id_upgraded("110105491231002") == "11010519491231002X"
    assert legacy_cn_id_upgraded("11010519491231002X") is None
    with pytest.raises(IdentifierError):
        validate_cn_resident_id("110105491331002")


@st.composite
def imeis(draw: st.DrawFn) -> str:
    payload = draw(st.text(alphabet="0123456789", min_size=14, max_size=14))
    return payload + luhn_check_digit(payload)


@given(imeis())
def test_generated_imeis_validate_and_agree_with_stdnum(number: str) -> None:
    assert validate_imei(number) == number
    assert stdnum_imei.is_valid(number)


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_imei_agrees_with_stdnum_luhn(number: str) -> None:
    try:
        validate_imei(number)
        ours = True
    except IdentifierError:
        ours = False
    assert ours == stdnum_imei.is_valid(number)


VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


@st.composite
def vins(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from("12345"))
    rest = draw(st.text(alphabet=VIN_CHARS, min_size=16, max_size=16))
    draft = head + rest[:7] + "0" + rest[8:]
    return draft[:8] + vin_check_digit(draft) + draft[9:]


@given(vins())
def test_generated_north_american_vins_validate(vin: str) -> None:
    assert validate_vin(vin).vin == vin
    assert validate_vin(vin).warnings == ()


@given(vins(), st.sampled_from(VIN_CHARS))
def test_wrong_vin_check_digit_is_an_error_in_north_america(vin: str, char: str) -> None:
    if vin[8] == char:
        return
    with pytest.raises(IdentifierError, match="position 9"):
        validate_vin(vin[:8] + char + vin[9:])


def test_wrong_vin_check_digit_is_a_warning_elsewhere() -> None:
    vin = "WVWZZZ1JZ3W386752"  # a European VIN: the check digit is not binding
    result = validate_vin(vin)
    assert result.vin == vin
    assert result.warnings and "should be" in result.warnings[0]


def test_vin_letters_i_o_q_are_refused() -> None:
    with pytest.raises(IdentifierError, match="I, O and Q"):
        validate_vin("1M8GDM9AXKP04278O")


def test_mrz_field_check() -> None:
    assert validate_mrz_field("L898902C3", "6") == "L898902C3"
    with pytest.raises(IdentifierError, match="should be 6"):
        validate_mrz_field("L898902C3", "5")


def test_serial_normalisation_folds_confusions_only() -> None:
    assert normalise_serial("sn-0O1I 5s") == normalise_serial("SN 00115-5")
    assert normalise_serial("AB123") != normalise_serial("AB124")


_IDENTIFIER_TEXT = st.one_of(
    st.text(),
    st.text(alphabet="0123456789X-<  ０１２３４５６７８９²³ABCDEFGHJKLMNPRSTUVWXYZ", max_size=25),
)


@settings(max_examples=500)
@given(_IDENTIFIER_TEXT, st.text(max_size=2))
def test_validators_refuse_any_text_with_an_identifier_error_only(value: str, check: str) -> None:
    """Whatever a business files, a validator returns a value or names the problem; it never
    fails another way (python-stdnum's KeyError, int("²"))."""
    validators = (
        validate_cn_resident_id,
        validate_imei,
        validate_vin,
        normalise_serial,
        lambda v: validate_passport_number(v, check or None),
        lambda v: validate_mrz_field(v, check),
    )
    for validator in validators:
        with contextlib.suppress(IdentifierError):
            validator(value)


def test_region_check_can_be_left_out_for_synthetic_numbers() -> None:
    body = "99990119800101001"  # no such region
    number = body + cn_id_check_char(body)
    with pytest.raises(IdentifierError, match="region code 999901"):
        validate_cn_resident_id(number)
    assert validate_cn_resident_id(number, check_region=False) == number


def test_digits_of_another_script_are_no_imei() -> None:
    # NFKC makes full-width and superscript digits plain; Arabic-Indic ones stay what they
    # are (str.isdigit holds for them, and int() reads them)
    assert validate_imei("49015420323751" + "⁸") == "490154203237518"
    with pytest.raises(IdentifierError):
        validate_imei("٤٩٠١٥٤٢٠٣٢٣٧٥١٨")


def test_ascii_digits_is_what_int_reads_as_a_plain_number() -> None:
    from vigil.core.text import ascii_digits

    assert ascii_digits("0123456789")
    assert not any(ascii_digits(s) for s in ("", "²", "١٢", "１２", "1_000", " 1", "-1"))
