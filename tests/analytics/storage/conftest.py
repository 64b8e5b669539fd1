"""Fixtures for the incident storage tests: generated incident rows (strings, as in a CSV,
and typed, as in JSON) and a CSV writer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from vigil.demo.incidents import INCIDENT_CSV_COLUMNS, generate_incident_arrays, incident_rows

NUMERIC = {"lat": float, "lon": float, "severity": int, "killed": int, "injured": int}


def json_row(row: Mapping[str, str]) -> dict[str, Any]:
    """A generated CSV row as a JSON object: numbers as numbers, empty cells left out."""
    return {k: NUMERIC[k](v) if k in NUMERIC else v for k, v in row.items() if v != ""}


def csv_text(
    rows: Iterable[Mapping[str, Any]], columns: Iterable[str] = INCIDENT_CSV_COLUMNS
) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def generated_rows() -> list[dict[str, str]]:
    """600 incidents over 70 days (enough cells for Gi*, weeks for surges)."""
    return list(incident_rows(generate_incident_arrays(600, seed=11, days=70)))


@pytest.fixture(scope="session")
def bad_rows() -> list[dict[str, Any]]:
    """No location, an impossible time, an unknown type."""
    return [
        {"incident_id": "BAD-1", "type": "theft", "time": "2024-03-01T10:00:00"},
        {
            "incident_id": "BAD-2",
            "type": "theft",
            "lat": 31.23,
            "lon": 121.47,
            "time": "2024-02-30T10:00:00",
        },
        {
            "incident_id": "BAD-3",
            "type": "alien abduction",
            "lat": 31.23,
            "lon": 121.47,
            "time": "2024-03-01T10:00:00",
        },
    ]
