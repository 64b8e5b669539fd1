"""ACCEPTANCE 5: the CSV loader reports bad rows (row, field, message) and loads the good ones."""

from __future__ import annotations

import io
from datetime import datetime

import h3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vigil.analytics.loader import load_incident_rows, load_incidents_csv
from vigil.analytics.schemas import Incident
from vigil.analytics.taxonomy import IncidentTaxonomy

CSV = """incident_id,type,lat,lon,time,window_start,window_end,place_type,killed
A1,theft,31.23,121.47,2024-03-04T08:15:00,,,station,0
A2,theft,,,2024-03-04T08:15:00,,,,0
A3,burglary,95.0,121.47,2024-03-04T08:15:00,,,,0
A4,robbery,31.23,200.5,2024-03-04T08:15:00,,,,0
A5,violent,31.23,121.47,2024-02-30T08:15:00,,,,0
A6,jaywalking,31.23,121.47,2024-03-04T08:15:00,,,,0
A7,burglary,31.23,121.47,,2024-03-05T09:00:00,2024-03-04T22:00:00,,0
A8,Terror-related,31.24,121.48,,2024-03-04T22:00:00,2024-03-05T06:00:00,mall,2
A9,public order,31.25,121.49,2024-03-04T25:00:00,,,,0
A10,traffic,31.25,121.49,,,,,0
"""


def test_bad_rows_are_reported_and_good_rows_load() -> None:
    result = load_incidents_csv(io.StringIO(CSV))
    assert [i.incident_id for i in result.incidents] == ["A1", "A8"]
    problems = {(e.row, e.field) for e in result.errors}
    assert (2, "lat") in problems and (2, "lon") in problems  # no location
    assert (3, "lat") in problems  # latitude out of range
    assert (4, "lon") in problems  # longitude out of range
    assert (5, "time") in problems  # 30 February
    assert (6, "type") in problems  # not in the taxonomy
    assert (7, "window_end") in problems  # window ends before it starts
    assert (9, "time") in problems  # hour 25
    assert (10, "time") in problems  # no time at all
    assert all(e.message for e in result.errors)
    by_row = {e.row: e.message for e in result.errors}
    assert "before" in by_row[7]
    assert "unknown incident type" in by_row[6]


def test_loaded_incident_is_normalised_and_indexed() -> None:
    result = load_incidents_csv(io.StringIO(CSV), resolution=8)
    terror = result.incidents[1]
    assert terror.type == "terror_related"
    assert terror.place_type is not None and terror.place_type.value == "mall"
    assert terror.killed == 2 and terror.casualties == 2
    assert terror.h3 == h3.latlng_to_cell(31.24, 121.48, 8)
    assert terror.earliest < terror.latest


def test_unknown_columns_are_dropped_and_reported() -> None:
    text = "incident_id,type,lat,lon,time,suspect_name\nB1,theft,1,2,2024-01-01T00:00,Smith\n"
    result = load_incidents_csv(io.StringIO(text))
    assert len(result.incidents) == 1
    assert "suspect_name" not in result.incidents[0].model_dump()
    assert [(e.row, e.field) for e in result.errors] == [(0, "suspect_name")]


def test_incident_model_has_no_person_fields() -> None:
    with pytest.raises(ValidationError):
        Incident.model_validate(
            {
                "incident_id": "x",
                "type": "theft",
                "lat": 1,
                "lon": 2,
                "time": "2024-01-01T00:00",
                "offender": "someone",
            }
        )
    person_words = ("name", "person", "suspect", "offender", "victim", "ethnic", "religion")
    assert not [f for f in Incident.model_fields if any(w in f for w in person_words)]


def test_configurable_taxonomy_and_future_times() -> None:
    rows = [
        {"incident_id": "1", "type": "graffiti", "lat": "1", "lon": "1", "time": "2024-01-01"},
        {"incident_id": "2", "type": "theft", "lat": "1", "lon": "1", "time": "2024-01-01"},
        {"incident_id": "3", "type": "graffiti", "lat": "1", "lon": "1", "time": "2030-01-01"},
    ]
    taxonomy = IncidentTaxonomy.from_codes(["graffiti", "noise"])
    result = load_incident_rows(rows, taxonomy=taxonomy, not_after=datetime(2025, 1, 1))
    assert [i.incident_id for i in result.incidents] == ["1"]
    assert {(e.row, e.field) for e in result.errors} == {(2, "type"), (3, "time")}


def test_wrong_h3_cell_is_rejected() -> None:
    other = h3.latlng_to_cell(10.0, 10.0, 9)
    row = {
        "incident_id": "1",
        "type": "theft",
        "lat": "1",
        "lon": "1",
        "time": "2024-01-01",
        "h3": other,
    }
    result = load_incident_rows([row])
    assert not result.incidents and result.errors[0].field == "h3"


cell_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "theft", "31.2", "-91", "181", "nan", "2024-02-30", "2024-03-01T08:00"]),
)
row_strategy = st.fixed_dictionaries(
    {
        c: cell_text
        for c in (
            "incident_id",
            "type",
            "lat",
            "lon",
            "time",
            "window_start",
            "window_end",
            "place_type",
            "severity",
            "killed",
        )
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(row_strategy, max_size=8))
def test_fuzzed_rows_never_crash_and_every_row_is_accounted_for(rows: list[dict[str, str]]) -> None:
    result = load_incident_rows(rows)
    bad_rows = {e.row for e in result.errors}
    assert len(result.incidents) + len(bad_rows) == len(rows)
    for incident in result.incidents:
        assert -90 <= incident.lat <= 90 and -180 <= incident.lon <= 180
        assert incident.earliest <= incident.latest


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_fuzzed_csv_text_never_crashes(text: str) -> None:
    result = load_incidents_csv(io.StringIO(text))
    assert all(e.row >= 0 and e.field for e in result.errors)
