"""Patrol planning holds places and times only: the plan schema and the crowd CSV reader."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.core.tabular import TabularError
from vigil.patrol import crowd
from vigil.patrol.plan import PERSON_WORDS, plan_schema


def _field_names(schema: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                names.update(value)
            names |= _field_names(value)
    elif isinstance(schema, list):
        for item in schema:
            names |= _field_names(item)
    return names


def test_the_plan_schema_has_no_person_field() -> None:
    names = _field_names(plan_schema())
    assert {"places", "units", "assignments", "travel", "randomised"} <= names
    assert not [n for n in names if any(word in n.lower() for word in PERSON_WORDS)]
    # the only names are of places; units are known by code
    assert "name" in plan_schema()["$defs"]["Place"]["properties"]
    assert "name" not in plan_schema()["$defs"]["Unit"]["properties"]


def _read(text: str) -> list[crowd.CrowdCount]:
    return crowd.read_crowd_csv(io.BytesIO(text.encode("utf-8")), source="counts.csv")


def test_counts_are_read() -> None:
    rows = _read("place,weekday,band,count\r\nP1,0,16,120\r\nP2,6,47,0\r\n")
    assert rows == [crowd.CrowdCount("P1", 0, 16, 120.0), crowd.CrowdCount("P2", 6, 47, 0.0)]


@pytest.mark.parametrize("column", ["name", "Person", "id_number", "ID number", "姓名", "身份证号"])
def test_a_person_column_is_refused_clearly(column: str) -> None:
    with pytest.raises(TabularError) as raised:
        _read(f"place,weekday,band,count,{column}\nP1,0,16,120,x\n")
    assert "could identify a person" in str(raised.value)
    assert raised.value.errors[0].loc == column.lower()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("place,weekday,band\nP1,0,1\n", "count"),
        ("place,weekday,band,count\nP1,7,1,3\n", "weekday"),
        ("place,weekday,band,count\nP1,0,48,3\n", "band"),
        ("place,weekday,band,count\nP1,0,1,-3\n", "count"),
        ("place,weekday,band,count\nP1,0,1,many\n", "count"),
        ("place,weekday,band,count\n,0,1,3\n", "place"),
    ],
)
def test_bad_rows_name_their_field(text: str, field: str) -> None:
    with pytest.raises(TabularError) as raised:
        _read(text)
    assert raised.value.errors[0].loc == field


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_rows_or_a_clear_error(data: bytes) -> None:
    try:
        rows = crowd.read_crowd_csv(io.BytesIO(b"place,weekday,band,count\n" + data))
    except TabularError as error:
        assert error.errors
    else:
        assert all(0 <= r.band < 48 and 0 <= r.weekday <= 6 and r.count >= 0 for r in rows)


def test_weekly_demand_is_profile_times_crowd() -> None:
    import numpy as np

    from vigil.patrol.demand import weekly_demand

    profile = np.zeros(168)
    profile[8] = 4.0  # Monday 08:00-09:00
    rows = _read("place,weekday,band,count\nP1,0,16,100\nP1,0,17,50\nP2,0,16,10\n")
    demand = weekly_demand(["P1", "P2"], profile, rows)
    assert demand.shape == (2, 336)
    assert demand[0, 16] == 200.0 and demand[0, 17] == 100.0 and demand[1, 16] == 20.0
    assert demand.sum() == 320.0
    with pytest.raises(ValueError, match="unknown place"):
        weekly_demand(["P1"], profile, rows)
