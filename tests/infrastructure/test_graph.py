"""The dependency-graph cascade: against networkx's descendants where every dependency is
required, and the redundancy rule by hand."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.infrastructure.graph import REDUNDANT, REQUIRES, DependencyGraph


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(1, 30),
    data=st.data(),
)
def test_required_dependencies_fail_like_descendants(size: int, data: st.DataObject) -> None:
    pairs = data.draw(
        st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=80)
    )
    edges = [(a, b, REQUIRES) for a, b in pairs if a != b]
    graph = DependencyGraph(size, edges, population=list(range(size)))
    reference: nx.DiGraph[int] = nx.DiGraph()
    reference.add_nodes_from(range(size))
    reference.add_edges_from((a, b) for a, b, _ in edges)
    origin = data.draw(st.integers(0, size - 1))
    cascade = graph.cascade(origin)
    expected = {origin} | nx.descendants(reference, origin)
    assert set(cascade.failed) == expected
    assert cascade.failed[0] == origin
    assert cascade.population_affected == sum(expected)


def test_a_redundant_feed_fails_only_with_all_its_suppliers() -> None:
    # substation 0 and 1 both feed pump 2 (redundant); pump 2 feeds district 3 (required)
    edges = [(0, 2, REDUNDANT), (1, 2, REDUNDANT), (2, 3, REQUIRES)]
    graph = DependencyGraph(4, edges, population=[0, 0, 0, 5000])
    assert graph.cascade(0).failed == (0,)
    assert graph.cascade(0).population_affected == 0
    both = graph.failed_mask([0, 1])
    assert both.tolist() == [True, True, True, True]
    assert graph.cascade(2).failed == (2, 3)
    assert graph.cascade(2).population_affected == 5000


def test_cycles_terminate_and_bad_edges_are_refused() -> None:
    graph = DependencyGraph(3, [(0, 1, REQUIRES), (1, 2, REQUIRES), (2, 0, REQUIRES)])
    assert set(graph.cascade(1).failed) == {0, 1, 2}
    with pytest.raises(ValueError, match="outside"):
        DependencyGraph(2, [(0, 5, REQUIRES)])
    with pytest.raises(ValueError, match="kind"):
        DependencyGraph(2, [(0, 1, "maybe")])


def _fixpoint(size: int, edges: list[tuple[int, int, str]], origin: int) -> set[int]:
    """The rule stated plainly: repeat until nothing changes."""
    failed = {origin}
    changed = True
    while changed:
        changed = False
        for node in range(size):
            if node in failed:
                continue
            required = {a for a, b, k in edges if b == node and k == REQUIRES}
            redundant = {a for a, b, k in edges if b == node and k == REDUNDANT} - required
            if required & failed or (redundant and redundant <= failed):
                failed.add(node)
                changed = True
    return failed


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 12), data=st.data())
def test_mixed_dependencies_follow_the_stated_rule(size: int, data: st.DataObject) -> None:
    edges = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, size - 1),
                st.integers(0, size - 1),
                st.sampled_from([REQUIRES, REDUNDANT]),
            ),
            max_size=30,
        )
    )
    edges = [e for e in edges if e[0] != e[1]]
    origin = data.draw(st.integers(0, size - 1))
    assert set(DependencyGraph(size, edges).cascade(origin).failed) == _fixpoint(
        size, edges, origin
    )
