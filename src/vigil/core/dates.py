"""Keying slips in dates written as digits ("YYYYMMDD"). Pure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from vigil.core.text import ascii_digits


def typo_neighbours(birth: str, kind: str = "") -> Iterator[str]:
    """The 8-digit strings one wrong digit ("digit") or one adjacent transposition
    ("transposed") away from `birth`; both when `kind` is empty."""
    for i in range(8):
        if kind != "transposed":
            for digit in "0123456789":
                if digit != birth[i]:
                    yield birth[:i] + digit + birth[i + 1 :]
        if kind != "digit" and i < 7 and birth[i] != birth[i + 1]:
            yield birth[:i] + birth[i + 1] + birth[i] + birth[i + 2 :]


# --- Birth dates as registers file them -------------------------------------------------------
#
# A filed birth date is reduced to one of these canonical forms (digits only, so that the
# watchlist index can count and key them):
#   "YYYYMMDD"  a full date;
#   "YYYYMM"    the year and the month only;
#   "YYYY"      the year only;
#   "~YYMMDD"   a two-digit year (the century is unknown: 1985 and 2085 read alike);
#   ""          nothing usable.
# A full date keeps its digits as filed, even an impossible month or day (a keying slip turns
# 1985-03-12 into 1985-13-12 or 1985-03-42, and that is still evidence the matcher weighs);
# the month of a year-and-month date, and the parts of a two-digit-year date, are range-checked
# (1-12, 1-31), as without a full date there is nothing to weigh them against.

_SEPARATORS = str.maketrans({c: "-" for c in "/.年月 _\u2010\u2011\u2012\u2013\u2014"})


def _two(part: str) -> str:
    return part.zfill(2) if ascii_digits(part) and 1 <= len(part) <= 2 else ""


def normalise_birth_date(raw: str | None) -> str:
    """A filed birth date in its canonical form (see above), or "" when it is none of
    'YYYY-MM-DD', 'YYYYMMDD', 'YYYY-MM', 'YYYYMM', 'YYYY', 'YY-MM-DD' (also with '/', '.',
    spaces or 年/月/日 between the parts). Pure and total: never raises."""
    text = (raw or "").strip().rstrip("日").translate(_SEPARATORS).strip("-")
    if not text or len(text) > 16 or not all(ch.isdigit() or ch == "-" for ch in text):
        return ""
    if not all(ch.isascii() for ch in text):
        return ""
    parts = [p for p in text.split("-") if p]
    if len(parts) == 1:
        digits = parts[0]
        if len(digits) == 8:
            parts = [digits[:4], digits[4:6], digits[6:]]
        elif len(digits) == 6:
            parts = [digits[:4], digits[4:]]
        elif len(digits) != 4:
            return ""
    year = parts[0]
    if len(parts) == 1:
        return year if len(year) == 4 and year[0] in "12" else ""
    month = _two(parts[1])
    if not month:
        return ""
    if len(parts) == 2:
        plausible = len(year) == 4 and year[0] in "12" and "01" <= month <= "12"
        return year + month if plausible else ""
    day = _two(parts[2])
    if len(parts) != 3 or not day:
        return ""
    if len(year) == 4 and year[0] in "12":
        return year + month + day
    if not "01" <= month <= "12" or not "01" <= day <= "31":
        return ""
    if len(year) == 2:
        return "~" + year + month + day
    return ""


def birth_date_form(canonical: str) -> str:
    """What a canonical birth date gives: "full", "year_month", "year", "two_digit_year" or
    "none"."""
    if canonical.startswith("~"):
        return "two_digit_year"
    return {8: "full", 6: "year_month", 4: "year"}.get(len(canonical), "none")


# --- Birth dates at intake: ISO 8601 at reduced precision --------------------------------------
#
# Intake is stricter than screening: it stores what a business files, so it takes only the
# ISO 8601 forms "YYYY-MM-DD", "YYYY-MM" and "YYYY" (a register that knows only the year, or
# the year and month, files those), keeps them as filed (no day is invented) and refuses
# everything else with a message that says what to send.

EARLIEST_BIRTH_YEAR = 1900
BIRTH_DATE_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"
BIRTH_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"  # the shape (for API schemas)


def filed_birth_date(value: str, today: date) -> str:
    """`value` as filed, if it is a birth date in one of the ISO 8601 forms 'YYYY-MM-DD',
    'YYYY-MM' or 'YYYY', a real date, not before 1900 and not after `today`; else raises
    ValueError with a message that names the accepted forms. Pure."""
    text = value.strip()
    parts = text.split("-")
    shapes_ok = (
        1 <= len(parts) <= 3
        and len(parts[0]) == 4
        and all(len(p) == 2 for p in parts[1:])
        and all(ascii_digits(p) for p in parts)
    )
    if not shapes_ok:
        raise ValueError(f"must be a date as {BIRTH_DATE_FORMS}")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 1
    day = int(parts[2]) if len(parts) > 2 else 1
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f"is not a real date (send {BIRTH_DATE_FORMS})") from None
    if year < EARLIEST_BIRTH_YEAR:
        raise ValueError(f"is before {EARLIEST_BIRTH_YEAR}")
    if text > today.isoformat()[: len(text)]:
        raise ValueError("is in the future")
    return text


def birth_dates_agree(a: str, b: str) -> bool:
    """Whether two filed ISO dates agree at the coarser one's precision: '1985' agrees with
    '1985-03-12' and with '1985-07'; '1985-03' agrees with '1985-03-12', not with '1985-04'."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return longer[: len(shorter)] == shorter
