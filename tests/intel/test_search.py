"""Clue search takes the words as typed: "%" and "_" are characters, not wildcards."""

from __future__ import annotations

from tests.intel.helpers import build_intel_world
from vigil.core.runtime import Runtime


def test_percent_and_underscore_in_a_search_are_literal(runtime: Runtime) -> None:
    w = build_intel_world(runtime)
    full = w.clue("analyst", "GREEN", "shipment 100% cash, courier A_1")
    other = w.clue("analyst", "GREEN", "shipment 1000 units, courier AB1")
    found = {}
    for q in ("100%", "A_1", "shipment", "100% CASH"):
        r = w.client.get("/v1/clues", params={"q": q}, headers=w.h("analyst"))
        assert r.status_code == 200, r.text
        found[q] = {c["id"] for c in r.json()}
    assert found["100%"] == {full} and found["A_1"] == {full}
    assert found["shipment"] == {full, other}
    assert found["100% CASH"] == {full}  # still case-insensitive
