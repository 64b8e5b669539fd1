"""Link analysis: the pure CSR graph against NetworkX, and the grading parser."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

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
