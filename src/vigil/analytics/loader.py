"""CSV loading of incidents: pure (reads a text stream or rows); bad rows are reported with
row, field and message, good rows still load."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import IO, Any

from pydantic import ValidationError

from vigil.analytics.schemas import (
    DEFAULT_H3_RESOLUTION,
    Incident,
    IncidentLoadResult,
    RowError,
)
from vigil.analytics.taxonomy import DEFAULT_TAXONOMY, IncidentTaxonomy

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


def load_incidents_csv(
    stream: IO[str] | Iterable[str],
    *,
    taxonomy: IncidentTaxonomy = DEFAULT_TAXONOMY,
    resolution: int = DEFAULT_H3_RESOLUTION,
    not_after: datetime | None = None,
) -> IncidentLoadResult:
    """Load incidents from CSV text (an open text stream or an iterable of lines). Malformed
    CSV stops the reading at that row, which is reported; the rows before it still load."""
    reader = csv.DictReader(stream)
    malformed: list[RowError] = []

    def rows() -> Iterator[dict[str, Any]]:
        number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                problem = f"bad CSV: {error}"
                malformed.append(RowError(row=number + 1, field="row", message=problem))
                return
            number += 1
            yield row

    result = load_incident_rows(
        rows(), taxonomy=taxonomy, resolution=resolution, not_after=not_after
    )
    return IncidentLoadResult(incidents=result.incidents, errors=result.errors + malformed)
