"""Crowd profiles from CSV counts (place, weekday, band, count), e.g. people counts from video.

Counts of people at places, never people: a file with a column that could name or identify
someone (name, person, id number, phone…) is refused as a whole before any row is read.
Read through `vigil.core.tabular`, so encodings, line endings and bad rows are handled there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO

from vigil.core.tabular import RowProblem, TabularError, read_table

COLUMNS = ("place", "weekday", "band", "count")
BANDS_PER_DAY = 48
_PERSON_COLUMN = re.compile(
    r"name|person|people_id|id[ _-]?(number|no|card)|passport|phone|mobile|email|birth|gender"
    r"|姓名|名字|身份证|证件|电话|手机|性别",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CrowdCount:
    place: str
    weekday: int  # 0 = Monday
    band: int  # half-hour band of the day, 0..47
    count: float


def person_columns(header: list[str]) -> list[str]:
    return [column for column in header if _PERSON_COLUMN.search(column)]


def read_crowd_csv(binary: IO[bytes], *, source: str = "crowd.csv") -> list[CrowdCount]:
    """All rows, or a `TabularError` naming the file, line and column of the first problem."""
    table = read_table(binary, "csv", source=source)
    header = [column.strip().lower() for column in table.header]
    refused = person_columns(header)
    if refused:
        raise TabularError(
            f"column {refused[0]!r} could identify a person; crowd profiles hold counts "
            "per place and time only (place, weekday, band, count)",
            source=source,
            line=1,
            field=refused[0],
            kind="format",
        )
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra:
        problem = f"missing column {missing[0]!r}" if missing else f"unknown column {extra[0]!r}"
        raise TabularError(
            f"{problem}; expected exactly {', '.join(COLUMNS)}",
            source=source,
            line=1,
            field=(missing or extra)[0],
        )
    counts: list[CrowdCount] = []
    for row in table:
        if isinstance(row, RowProblem):
            raise TabularError(row.message, source=source, line=row.line, column=row.column)
        values = {k.strip().lower(): v for k, v in row.values.items()}
        counts.append(_parsed(values, source, row.line))
    return counts


def _parsed(values: dict[str, object], source: str, line: int) -> CrowdCount:
    place = str(values["place"] or "").strip()
    if not place:
        raise TabularError("place is empty", source=source, line=line, field="place")
    numbers: dict[str, float] = {}
    for column in ("weekday", "band", "count"):
        text = str(values[column] or "").strip()
        try:
            numbers[column] = float(text)
        except ValueError:
            raise TabularError(
                f"{column} {text!r} is not a number", source=source, line=line, field=column
            ) from None
    weekday, band, count = numbers["weekday"], numbers["band"], numbers["count"]
    if not (weekday.is_integer() and 0 <= weekday <= 6):
        raise TabularError(
            "weekday must be 0 (Monday) to 6", source=source, line=line, field="weekday"
        )
    if not (band.is_integer() and 0 <= band < BANDS_PER_DAY):
        raise TabularError(
            f"band must be 0 to {BANDS_PER_DAY - 1}", source=source, line=line, field="band"
        )
    if not (count >= 0 and count < float("inf")):
        raise TabularError("count must be zero or more", source=source, line=line, field="count")
    return CrowdCount(place, int(weekday), int(band), count)
