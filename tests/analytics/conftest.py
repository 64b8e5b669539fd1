"""Shared fixtures for the analytics tests: small generated incident sets and CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vigil.demo.incidents import (
    INCIDENT_CSV_COLUMNS,
    IncidentArrays,
    generate_incident_arrays,
    incident_rows,
)


@pytest.fixture(scope="session")
def demo_arrays() -> IncidentArrays:
    return generate_incident_arrays(4000, seed=7)


@pytest.fixture(scope="session")
def demo_csv(tmp_path_factory: pytest.TempPathFactory, demo_arrays: IncidentArrays) -> Path:
    path = tmp_path_factory.mktemp("incidents") / "incidents.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(INCIDENT_CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(incident_rows(demo_arrays))
    return path
