"""Chinese lunar-calendar birthdays written as if they were Gregorian dates. Pure.

Many people born in China keep their birthday by the lunar calendar, and a register may file
that lunar date in the Gregorian fields: born 1985-03-14, lunar 1985, month 1, day 23, filed
"1985-01-23" (3 to 7 weeks earlier; the year before for a birth in January or February). The
conversion uses `lunar_python` (the Purple Mountain Observatory's calendar computed with
Shou Xing's algorithm), one lunar year at a time, cached: its month starts and lengths.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from vigil.core.text import ascii_digits

_FIRST_YEAR, _LAST_YEAR = 1901, 2099  # both calendars well defined, and lunar_python's range
_JULIAN_DAY_OF_ORDINAL_1 = 1_721_425  # Julian day number of 0001-01-01 noon, minus 0.5


@lru_cache(maxsize=256)
def _months(lunar_year: int) -> tuple[tuple[int, bool, date, int], ...]:
    """The months of one lunar year: (month number, leap month, first day, days)."""
    from lunar_python import LunarYear  # its tables take a third of a second to import

    out = []
    for month in LunarYear.fromYear(lunar_year).getMonthsInYear():
        first = date.fromordinal(int(month.getFirstJulianDay()) - _JULIAN_DAY_OF_ORDINAL_1)
        number = month.getMonth()
        out.append((abs(number), number < 0, first, month.getDayCount()))
    return tuple(out)


@lru_cache(maxsize=100_000)
def lunar_birthday(birth: str) -> str:
    """The lunar date ("YYYYMMDD": lunar year, month, day) of a Gregorian "YYYYMMDD", as it
    would be filed in Gregorian fields (a leap month written as its plain number); "" when
    `birth` is no date in range."""
    try:
        day = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return ""
    if len(birth) != 8 or not _FIRST_YEAR < day.year <= _LAST_YEAR:
        return ""
    for lunar_year in (day.year, day.year - 1):
        for number, _, first, days in _months(lunar_year):
            if first <= day < first + timedelta(days=days):
                return f"{lunar_year:04d}{number:02d}{(day - first).days + 1:02d}"
    return ""


@lru_cache(maxsize=100_000)
def gregorian_of_lunar(filed: str) -> tuple[str, ...]:
    """The Gregorian dates ("YYYYMMDD") whose lunar birthday is `filed` read as a lunar
    "YYYYMMDD": one, or two when that year has a leap month of that number; () when none."""
    if len(filed) != 8 or not ascii_digits(filed):
        return ()
    year, number, day = int(filed[:4]), int(filed[4:6]), int(filed[6:])
    if not _FIRST_YEAR <= year < _LAST_YEAR or not 1 <= day <= 30:
        return ()
    return tuple(
        (first + timedelta(days=day - 1)).strftime("%Y%m%d")
        for month, _, first, days in _months(year)
        if month == number and day <= days
    )
