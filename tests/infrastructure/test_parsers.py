"""File and message parsers: field-level errors, never a traceback (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.core.errors import ValidationFailed, VigilError
from vigil.flows.sensor_events import parse_message
from vigil.infrastructure import importers

HEADER = (
    "external_id,name,kind,subtype,operator,latitude,longitude,criticality,protective_measures,"
    + ",".join(
        f"carver_{f}"
        for f in (
            "accessibility",
            "vulnerability",
            "recognizability",
            "criticality",
            "recuperability",
            "effect",
            "shock",
        )
    )
    + "\n"
)


def test_csv_assets_read_with_carver_and_measures() -> None:
    text = (
        HEADER
        + "sub-1,Substation 1,power,substation,City Power,31.2,121.4,5,fence; cctv,8,6,7,9,7,8,6\n"
    )
    (asset,) = importers.assets_from_csv(text.encode())
    assert asset.protective_measures == ["fence", "cctv"]
    assert asset.carver is not None and asset.carver.accessibility == 8


def test_csv_problems_are_named_by_row_and_field() -> None:
    text = (
        HEADER
        + "a,A,power,substation,Op,95,121.4,5,,,,,,,,\n"
        + "b,B,nuclear,reactor,Op,31,121,3,,,,,,,,\n"
        + "a,A2,power,substation,Op,31,121,3,,,,,,,,\n"
    )
    with pytest.raises(ValidationFailed) as refused:
        importers.assets_from_csv(text.encode())
    fields = {e.loc for e in refused.value.errors}
    assert {"rows.1.latitude", "rows.2.kind", "rows.3.external_id"} <= fields


def test_geojson_features_take_their_geometry() -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [121.47, 31.23]},
                "properties": {
                    "external_id": "hub-1",
                    "name": "Central station",
                    "kind": "transport_hub",
                    "subtype": "rail_station",
                    "operator": "Metro Co.",
                },
            },
            {"type": "Feature", "geometry": None, "properties": {"external_id": "x"}},
        ],
    }
    with pytest.raises(ValidationFailed) as refused:
        importers.assets_from_geojson(json.dumps(doc))
    assert any(e.loc.startswith("features.1") for e in refused.value.errors)
    (hub,) = importers.assets_from_geojson(json.dumps({**doc, "features": doc["features"][:1]}))
    assert (hub.latitude, hub.longitude) == (31.23, 121.47)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_csv_give_a_field_error_or_assets(data: bytes) -> None:
    try:
        importers.assets_from_csv(HEADER.encode() + data)
    except VigilError as refused:
        assert refused.errors


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_payload_is_an_event_or_a_field_error(payload: bytes) -> None:
    try:
        parse_message(payload)
    except ValidationFailed as refused:
        assert refused.errors


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["source", "event_id", "asset", "kind", "observed_at", "value", "x"]),
        st.one_of(st.text(max_size=20), st.floats(), st.integers(), st.none()),
    )
)
def test_any_object_is_an_event_or_a_field_error(document: dict) -> None:
    try:
        parse_message(json.dumps(document).encode())
    except ValidationFailed as refused:
        assert all(e.loc and e.message for e in refused.errors)
