"""Validators and normalisers for identity numbers and object identifiers.

Each validator is pure: it returns the normalised value or raises `IdentifierError` with a
precise message such as `check character should be X`."""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from stdnum import numdb

from vigil.core.errors import IdentifierError
from vigil.core.text import ascii_digits

_SEPARATORS = re.compile(r"[\s\-./·_]+")

# GB 11643-1999 (ISO 7064 MOD 11-2)
CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CN_ID_CHECK_CHARS = "10X98765432"


def _clean(value: str) -> str:
    if not value.isascii():  # full-width digits and the like
        value = unicodedata.normalize("NFKC", value)
    if not value.isalnum():
        value = _SEPARATORS.sub("", value)
    return value.upper()


def cn_id_check_char(first17: str) -> str:
    if len(first17) != len(CN_ID_WEIGHTS):
        raise ValueError("cn_id_check_char needs exactly 17 digits")
    if ascii_digits(first17):
        # The weights are 2^(17-k) mod 11 and 13 ≡ 2 (mod 11), so the weighted sum is
        # congruent to twice the digits read in base 13 (as python-stdnum computes it): one C
        # call instead of 17 products.
        total = 2 * int(first17, 13)
    else:
        total = sum(map(operator.mul, map(int, first17), CN_ID_WEIGHTS))
    return CN_ID_CHECK_CHARS[total % 11]


def embedded_birth_digits(number: str) -> str:
    """The birth date ("YYYYMMDD") a 15- or 18-character resident ID writes; the legacy
    15-digit form leaves out the century, always 19. Not validated here."""
    return number[6:14] if len(number) == 18 else "19" + number[6:12]


def _birth_date(digits: str, today: date | None) -> date:
    try:
        born = date.fromisoformat(digits)
    except ValueError as exc:
        raise IdentifierError(
            f"birth date {digits[:4]}-{digits[4:6]}-{digits[6:]} does not exist"
        ) from exc
    if born > (today or date.today()):
        raise IdentifierError(f"birth date {born.isoformat()} is in the future")
    return born


_ALWAYS = (0, 9999)
_ALWAYS_KNOWN = (_ALWAYS,)  # the common answer, returned as this very object


@lru_cache(maxsize=1 << 14)
def _region_years(region: str) -> tuple[tuple[int, int], ...]:
    """The birth years (first, last) for which python-stdnum's dated table of
    administrative divisions holds `region`; empty when it holds no county by that code. One
    table lookup per region code, not per number: a lookup costs about 15 µs."""
    info = {k: v for _, props in numdb.get("cn/loc").info(region) for k, v in props.items()}
    spans = []
    # stdnum's own rule (`ric.get_birth_place`): an undated county is always valid; a dated
    # one, "[start-end]name", only from start to end, either of which may be open. A known
    # province with an unknown county has no "county" (stdnum itself then raises KeyError).
    for county in info.get("county", "").split(","):
        if not county:
            continue
        if not county.startswith("["):
            return _ALWAYS_KNOWN
        start, end = county[1:].split("]")[0].split("-")
        spans.append((int(start or _ALWAYS[0]), int(end or _ALWAYS[1])))
    return tuple(spans)


def _check_region(number18: str) -> None:
    spans = _region_years(number18[:6])
    if spans is _ALWAYS_KNOWN:
        return
    year = int(number18[6:10])
    if not any(first <= year <= last for first, last in spans):
        raise IdentifierError(f"region code {number18[:6]} is not a known administrative division")


def upgrade_legacy_cn_id(number15: str) -> str:
    """The 18-character form of a legacy 15-digit resident number (GB 11643-1999): the
    century "19" goes before the two-digit birth year and the ISO 7064 MOD 11-2 check
    character after the sequence. The same person's two forms then hash alike."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + cn_id_check_char(first17)


def legacy_cn_id_upgraded(value: str) -> str | None:
    """The 18-character form of `value` when it is a legacy 15-digit resident number as
    stored (digits only), else None: what re-linking stored numbers upgrades."""
    return upgrade_legacy_cn_id(value) if len(value) == 15 and ascii_digits(value) else None


def validate_cn_resident_id(
    value: str, *, today: date | None = None, check_region: bool = True
) -> str:
    """Validate an 18-character (or legacy 15-digit) CN resident identity number; the result
    is always the 18-character form, so that a legacy number links to its upgrade.
    `check_region=False` skips only the check of the region code against stdnum's dated
    table (for synthetic evaluation data, whose region codes are made up)."""
    number = _clean(value)
    if len(number) == 15:
        if not ascii_digits(number):
            raise IdentifierError("a 15-digit resident ID must contain digits only")
        _birth_date(embedded_birth_digits(number), today)
        upgraded = upgrade_legacy_cn_id(number)
        if check_region:
            _check_region(upgraded)
        return upgraded
    if len(number) != 18:
        raise IdentifierError(
            f"must have 18 characters (or 15 for the legacy form), got {len(number)}"
        )
    if not ascii_digits(number[:17]):
        raise IdentifierError("the first 17 characters must be digits")
    if not (ascii_digits(number[17]) or number[17] == "X"):
        raise IdentifierError("the check character must be a digit or X")
    _birth_date(embedded_birth_digits(number), today)
    expected = cn_id_check_char(number[:17])
    if number[17] != expected:
        raise IdentifierError(f"check character should be {expected}")
    if check_region:
        _check_region(number)
    return number


# ICAO 9303 machine-readable zone
def mrz_value(char: str) -> int:
    if "0" <= char <= "9":  # not str.isdigit, which also holds for "²" and other digits
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise IdentifierError(f"character {char!r} is not allowed in an MRZ field")


def mrz_check_digit(field_value: str) -> str:
    weights = (7, 3, 1)
    total = sum(mrz_value(c) * weights[i % 3] for i, c in enumerate(field_value.upper()))
    return str(total % 10)


def validate_mrz_field(field_value: str, check_digit: str) -> str:
    value = field_value.upper()
    expected = mrz_check_digit(value)
    if check_digit != expected:
        raise IdentifierError(f"MRZ check digit should be {expected}")
    return value


def validate_passport_number(value: str, check_digit: str | None = None) -> str:
    number = _clean(value)
    if not re.fullmatch(r"[A-Z0-9]{5,9}", number):
        raise IdentifierError("a passport number has 5 to 9 letters or digits")
    if check_digit is not None:
        validate_mrz_field(number.ljust(9, "<"), check_digit)
    return number


# ISO 3779 vehicle identification number
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class ValidatedVin:
    vin: str
    warnings: tuple[str, ...] = field(default=())


def vin_check_digit(vin: str) -> str:
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def is_north_american_vin(vin: str) -> bool:
    return vin[0] in "12345"


def validate_vin(value: str) -> ValidatedVin:
    """The check digit is binding for North-American VINs and a warning elsewhere."""
    vin = _clean(value)
    if len(vin) != 17:
        raise IdentifierError(f"a VIN has 17 characters, got {len(vin)}")
    for position, char in enumerate(vin, start=1):
        if char in "IOQ":
            raise IdentifierError(
                f"position {position}: the letters I, O and Q never occur in a VIN"
            )
        if char not in _VIN_VALUES:
            raise IdentifierError(f"position {position}: {char!r} is not allowed in a VIN")
    expected = vin_check_digit(vin)
    if vin[8] == expected:
        return ValidatedVin(vin)
    message = f"check digit (position 9) should be {expected}"
    if is_north_american_vin(vin):
        raise IdentifierError(message)
    return ValidatedVin(vin, (message,))


def luhn_check_digit(payload: str) -> str:
    total = 0
    for i, char in enumerate(reversed(payload)):
        digit = int(char)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def validate_imei(value: str) -> str:
    imei = _clean(value)
    if not ascii_digits(imei):
        raise IdentifierError("an IMEI has digits only")
    if len(imei) != 15:
        raise IdentifierError(f"an IMEI has 15 digits, got {len(imei)}")
    expected = luhn_check_digit(imei[:14])
    if imei[14] != expected:
        raise IdentifierError(f"Luhn check digit should be {expected}")
    return imei


# Serials and plates are compared after folding the usual transcription confusions.
_SERIAL_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "S": "5"})


def normalise_serial(value: str) -> str:
    return _clean(value).translate(_SERIAL_CONFUSIONS)


def normalise_plate(value: str) -> str:
    return _clean(value)


# --- Chemical substances and businesses -------------------------------------------------------

_CAS_FORM = re.compile(r"^(\d{2,7})-?(\d{2})-?(\d)$")


def cas_check_digit(digits: str) -> str:
    """CAS Registry Number check digit: the digits before it, weighted 1, 2, 3, … from the
    right, summed, mod 10 (python-stdnum's `casrn`)."""
    from stdnum import casrn

    return str(casrn.calc_check_digit(digits))


@lru_cache(maxsize=4096)  # a register names the same few dozen substances again and again
def validate_cas_number(value: str) -> str:
    """A CAS Registry Number, returned in its hyphenated form (`7722-84-1`)."""
    text = "".join(unicodedata.normalize("NFKC", value).split())
    found = _CAS_FORM.match(text)
    if found is None or not text.isascii():
        raise IdentifierError("a CAS number has the form NNNNNNN-NN-N (2 to 7, 2 and 1 digits)")
    first, second, check = found.groups()
    expected = cas_check_digit(first + second)
    if check != expected:
        raise IdentifierError(f"CAS check digit should be {expected}")
    return f"{first}-{second}-{check}"


@lru_cache(maxsize=4096)  # a seller files every sale under its one licence number
def validate_uscc(value: str) -> str:
    """China's unified social credit code (GB 32100-2015), 18 characters with a check
    character (python-stdnum's `cn.uscc`)."""
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, ValidationError

    code = _clean(value)
    try:
        return str(uscc.validate(code))
    except InvalidChecksum:
        raise IdentifierError(
            f"check character should be {uscc.calc_check_digit(code[:17])}"
        ) from None
    except ValidationError:
        raise IdentifierError(
            "a unified social credit code has 18 characters: digits and capital letters "
            "other than I, O, S, V and Z"
        ) from None
