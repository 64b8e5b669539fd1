"""Link analysis (pure CSR vs NetworkX) and the case lifecycle as a legal basis."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.intel.helpers import build_intel_world
from vigil.intel.cases.graph import CsrGraph, analyse, co_mention_edges, to_networkx
from vigil.intel.marking import parse_grading

edges_strategy = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40)).filter(lambda e: e[0] != e[1]),
    min_size=1,
    max_size=120,
)


@settings(max_examples=60, deadline=None)
@given(edges_strategy, st.integers(0, 40), st.integers(1, 3))
def test_csr_k_hop_and_paths_match_networkx(edges, start, k) -> None:
    g = CsrGraph.from_edges([a for a, _ in edges], [b for _, b in edges])
    ref = nx.Graph(edges)
    if start not in ref:
        assert g.k_hop(start, k) == {}
        return
    assert g.k_hop(start, k) == nx.single_source_shortest_path_length(ref, start, cutoff=k)
    for target in list(ref.nodes)[:5]:
        path = g.shortest_path(start, target)
        if nx.has_path(ref, start, target):
            assert path is not None and len(path) - 1 == nx.shortest_path_length(ref, start, target)
            assert all(ref.has_edge(a, b) for a, b in pairwise(path))
        else:
            assert path is None
    assert sorted(map(sorted, g.components())) == sorted(map(sorted, nx.connected_components(ref)))


def test_co_mention_and_per_case_analysis() -> None:
    edges = co_mention_edges([[1, 2, 3], [3, 4], [9]])
    assert edges == [(1, 2), (1, 3), (2, 3), (3, 4)]
    result = analyse(to_networkx(edges, [9]))
    assert result["components"] == [[1, 2, 3, 4], [9]]
    assert result["betweenness_centrality"][0]["entity_id"] == 3


@given(st.text(max_size=4))
def test_grading_parser_accepts_only_a_to_f_and_1_to_6(raw) -> None:
    try:
        r, c = parse_grading(raw)
    except ValueError:
        return
    assert r in "ABCDEF" and 1 <= c <= 6


@pytest.mark.storage
def test_case_lifecycle_registers_and_withdraws_its_legal_basis(runtime) -> None:
    w = build_intel_world(runtime)
    clue = w.clue(
        "analyst",
        "AMBER",
        "lead",
        [{"kind": "phone", "value": "13800138000"}, {"kind": "person", "value": "王芳"}],
    )
    r = w.client.post(
        "/v1/cases",
        json={"title": "from a clue", "opened_from": "clue", "source_ref": str(clue)},
        headers=w.world.auth("analyst"),
    )
    assert r.status_code == 201, r.text
    case, basis = r.json()["id"], r.json()["legal_basis"]
    assert r.json()["basis_active"] is False  # an analyst opened it: a supervisor approves
    h = w.world.auth("analyst", "investigation", basis)
    assert w.client.get(f"/v1/clues/{clue}", headers=h).status_code == 403
    assert w.client.get(f"/v1/cases/{case}", headers=h).status_code == 403
    assert w.client.post(f"/v1/cases/{case}/approval", headers=h).status_code == 403
    approved = w.client.post(f"/v1/cases/{case}/approval", headers=w.world.auth("supervisor"))
    assert approved.status_code == 200, approved.text
    assert w.client.get(f"/v1/clues/{clue}", headers=h).status_code == 200
    assert (
        w.client.post(
            f"/v1/cases/{case}/assignees", json={"username": "officer"}, headers=h
        ).status_code
        == 201
    )
    assert (
        w.client.post(
            f"/v1/cases/{case}/assignees", json={"username": "analyst_b"}, headers=h
        ).status_code
        == 422
    )
    task = w.client.post(
        f"/v1/cases/{case}/tasks",
        json={"title": "call the carrier", "assignee": "officer"},
        headers=h,
    )
    assert (
        w.client.post(f"/v1/cases/{case}/tasks/{task.json()['id']}/done", headers=h).status_code
        == 200
    )
    assert (
        w.client.post(
            f"/v1/cases/{case}/notes", json={"text": "carrier answered"}, headers=h
        ).status_code
        == 201
    )
    view = w.client.get(f"/v1/cases/{case}", headers=h).json()
    assert view["clue_ids"] == [clue] and view["assignees"] == ["officer"]
    assert [e["kind"] for e in view["timeline"]] == [
        "opened",
        "approved",
        "clue_added",
        "assigned",
        "task",
        "task_done",
        "note",
    ]
    other = w.client.post("/v1/cases", json={"title": "second"}, headers=w.world.auth("analyst"))
    w.client.post(f"/v1/cases/{other.json()['id']}/clues/{clue}", headers=h)
    corr = w.client.get(
        "/v1/correlation",
        params={"kind": "phone", "value": "138-0013-8000", "exclude_case": case},
        headers=h,
    ).json()
    assert corr["other_cases"] == 1
    graph = w.client.get(f"/v1/cases/{case}/graph", headers=h).json()
    assert graph["nodes"] == 2 and graph["edges"] == 1
    # B cannot open A's case, and other agencies' cases are not a basis for them.
    assert (
        w.client.get(
            f"/v1/cases/{case}", headers=w.world.auth("analyst_b", "investigation", basis)
        ).status_code
        == 403
    )
    bad = w.client.post(f"/v1/cases/{case}/status", json={"status": "closed"}, headers=h)
    assert bad.status_code == 422
    ok = w.client.post(
        f"/v1/cases/{case}/status",
        json={"status": "closed", "resolution": "suspect charged"},
        headers=h,
    )
    assert ok.json()["status"] == "closed"
    # the withdrawn basis no longer opens anything
    assert w.client.get(f"/v1/clues/{clue}", headers=h).status_code == 403
    assert w.client.get(f"/v1/cases/{case}", headers=h).status_code == 403
