"""Loading of incidents from CSV, JSONL or XLSX through the one tabular reader: pure (reads
a file, a text stream or rows); bad rows are reported with row, field and message, good
rows still load."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from vigil.analytics.schemas import (
    DEFAULT_H3_RESOLUTION,
    Incident,
    IncidentLoadResult,
    RowError,
)
from vigil.analytics.taxonomy import DEFAULT_TAXONOMY, IncidentTaxonomy
from vigil.core.tabular import RowProblem, Table, TabularError, read_path, read_text_table

INCIDENT_COLUMNS: tuple[str, ...] = tuple(Incident.model_fields)
REQUIRED_COLUMNS: tuple[str, ...] = ("incident_id", "type", "lat", "lon")
COLUMN_ALIASES: dict[str, str] = {
    "id": "incident_id",
    "latitude": "lat",
    "longitude": "lon",
    "lng": "lon",
    "start": "window_start",
    "end": "window_end",
    "time_from": "window_start",
    "time_to": "window_end",
}


def _canonical_column(name: str) -> str:
    key = name.strip().lower()
    return COLUMN_ALIASES.get(key, key)


def _errors_from_validation(row: int, error: ValidationError) -> list[RowError]:
    found: list[RowError] = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if not field and ": " in message:  # model-level checks name their field first
            field, message = message.split(": ", 1)
        found.append(RowError(row=row, field=field or "row", message=message))
    return found


def load_incident_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    taxonomy: IncidentTaxonomy = DEFAULT_TAXONOMY,
    resolution: int = DEFAULT_H3_RESOLUTION,
    not_after: datetime | None = None,
) -> IncidentLoadResult:
    """Validate rows (dicts of column -> value). Empty strings count as missing values.
    Unknown columns are dropped and reported once (row 0): incidents carry no person fields."""
    context = {"taxonomy": taxonomy, "resolution": resolution, "not_after": not_after}
    incidents: list[Incident] = []
    errors: list[RowError] = []
    reported_unknown: set[str] = set()
    for number, raw in enumerate(rows, start=1):
        record: dict[str, Any] = {}
        for name, value in raw.items():
            if name is None:  # csv.DictReader puts surplus cells under None
                errors.append(RowError(row=number, field="row", message="more cells than columns"))
                continue
            column = _canonical_column(name)
            if column not in INCIDENT_COLUMNS:
                if column not in reported_unknown:
                    reported_unknown.add(column)
                    errors.append(RowError(row=0, field=name, message="unknown column, ignored"))
                continue
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    continue
            if value is not None:
                record[column] = value
        missing = [c for c in REQUIRED_COLUMNS if c not in record]
        if missing:
            errors.extend(RowError(row=number, field=c, message="missing value") for c in missing)
            continue
        try:
            incidents.append(Incident.model_validate(record, context=context))
        except ValidationError as error:
            errors.extend(_errors_from_validation(number, error))
    return IncidentLoadResult(incidents=incidents, errors=errors)


def table_rows(table: Table, errors: list[RowError]) -> Iterator[dict[str, Any]]:
    """The rows of a table read by the one reader. A row that cannot be read is reported
    in `errors`; unreadable input (bad bytes, broken quoting) ends the rows there and is
    reported with its line and column."""
    number = 0
    try:
        for item in table:
            if isinstance(item, RowProblem):
                number = item.number
                errors.append(RowError(row=item.number, field="row", message=item.message))
                continue
            number = item.number
            yield item.values
    except TabularError as error:
        errors.append(RowError(row=number + 1, field="row", message=str(error)))


def _load_table(
    table: Table,
    taxonomy: IncidentTaxonomy,
    resolution: int,
    not_after: datetime | None,
) -> IncidentLoadResult:
    malformed: list[RowError] = []
    result = load_incident_rows(
        table_rows(table, malformed),
        taxonomy=taxonomy,
        resolution=resolution,
        not_after=not_after,
    )
    return IncidentLoadResult(incidents=result.incidents, errors=result.errors + malformed)


def load_incidents_csv(
    stream: IO[str] | Iterable[str],
    *,
    taxonomy: IncidentTaxonomy = DEFAULT_TAXONOMY,
    resolution: int = DEFAULT_H3_RESOLUTION,
    not_after: datetime | None = None,
) -> IncidentLoadResult:
    """Load incidents from CSV text (an open text stream or an iterable of lines). Malformed
    CSV stops the reading at that row, which is reported; the rows before it still load."""
    try:
        table = read_text_table(stream, "csv")
    except TabularError as error:
        return IncidentLoadResult(
            incidents=[], errors=[RowError(row=1, field="row", message=str(error))]
        )
    return _load_table(table, taxonomy, resolution, not_after)


def load_incidents_file(
    path: Path,
    *,
    encoding: str | None = None,
    fmt: str | None = None,
    taxonomy: IncidentTaxonomy = DEFAULT_TAXONOMY,
    resolution: int = DEFAULT_H3_RESOLUTION,
    not_after: datetime | None = None,
) -> IncidentLoadResult:
    """Load incidents from a CSV, JSONL or XLSX file (`fmt`, else by suffix) in any
    encoding the one reader detects (UTF-8 with or without BOM, GBK/GB18030, …). A file
    that cannot be read at all raises a `TabularError` naming the file, line and column."""
    table = read_path(path, encoding=encoding, fmt=fmt)
    return _load_table(table, taxonomy, resolution, not_after)
