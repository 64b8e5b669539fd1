"""Clue search takes the words as typed: "%" and "_" are characters, not wildcards."""

from __future__ import annotations

import pytest

from tests.intel.helpers import build_intel_world
from tests.sql import statements_sent
from vigil.core.runtime import Runtime

pytestmark = pytest.mark.storage


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


def test_a_search_page_is_read_as_a_page_and_every_withheld_match_is_audited(
    runtime: Runtime,
) -> None:
    w = build_intel_world(runtime)
    mine = [w.clue("analyst", "GREEN", f"bulk lead {i}") for i in range(12)]
    theirs = [w.clue("analyst_b", "AMBER", f"bulk lead b{i}") for i in range(5)]

    def search() -> tuple[list[int], int]:
        """The ids found, and how many statements the search sent."""
        with statements_sent(runtime.engine) as sent:
            r = w.client.get("/v1/clues", params={"q": "bulk", "limit": 4}, headers=w.h("analyst"))
        assert r.status_code == 200, r.text
        return [c["id"] for c in r.json()], len(sent)

    found, first = search()
    assert found == mine[:4]
    refused = w.audit_rows(actor="user:analyst", outcome="refused", object_id="search")
    assert refused[-1].detail == {"withheld": len(theirs), "clue_ids": sorted(theirs)}
    for i in range(20):  # more matches beyond the page cost the page nothing
        w.clue("analyst", "GREEN", f"bulk lead more {i}")
    assert search() == (mine[:4], first)
