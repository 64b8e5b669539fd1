"""Link analysis, pure. Two shapes:

- `CsrGraph`: the global entity graph as a scipy.sparse CSR adjacency (int32 indices), for
  k-hop neighbourhoods, shortest paths and components at millions of edges;
- NetworkX (`analyse`) for per-case graphs: components, degree and betweenness centrality.

Nodes are entity ids; two entities are linked when a clue the viewer may see mentions both."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph


def co_mention_edges(clue_entities: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
    """Entity pairs mentioned together in a clue (each clue a list of entity ids)."""
    edges: set[tuple[int, int]] = set()
    for ids in clue_entities:
        for a, b in combinations(sorted(set(ids)), 2):
            edges.add((a, b))
    return sorted(edges)


@dataclass
class CsrGraph:
    """An undirected graph over arbitrary integer node ids, stored as CSR."""

    node_ids: npt.NDArray[np.int64]  # position -> node id (sorted)
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]

    @classmethod
    def from_edges(
        cls, sources: npt.ArrayLike, targets: npt.ArrayLike, nodes: npt.ArrayLike | None = None
    ) -> CsrGraph:
        src = np.asarray(sources, dtype=np.int64)
        dst = np.asarray(targets, dtype=np.int64)
        extra = np.asarray(nodes if nodes is not None else [], dtype=np.int64)
        node_ids = np.unique(np.concatenate([src, dst, extra]))
        s = np.searchsorted(node_ids, src).astype(np.int32)
        t = np.searchsorted(node_ids, dst).astype(np.int32)
        n = len(node_ids)
        rows = np.concatenate([s, t])
        cols = np.concatenate([t, s])
        data = np.ones(len(rows), dtype=np.int8)
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n, n))
        matrix.sum_duplicates()
        matrix.setdiag(0)
        matrix.eliminate_zeros()
        return cls(node_ids, matrix.indptr.astype(np.int64), matrix.indices.astype(np.int32))

    @property
    def node_count(self) -> int:
        return len(self.node_ids)

    @property
    def edge_count(self) -> int:
        return len(self.indices) // 2

    def nbytes(self) -> int:
        return self.node_ids.nbytes + self.indptr.nbytes + self.indices.nbytes

    def _position(self, node: int) -> int | None:
        pos = int(np.searchsorted(self.node_ids, node))
        if pos < len(self.node_ids) and self.node_ids[pos] == node:
            return pos
        return None

    def has_node(self, node: int) -> bool:
        return self._position(node) is not None

    def neighbours(self, node: int) -> list[int]:
        pos = self._position(node)
        if pos is None:
            return []
        return self.node_ids[self.indices[self.indptr[pos] : self.indptr[pos + 1]]].tolist()

    def k_hop(self, node: int, k: int = 2) -> dict[int, int]:
        """Every node within k hops, with its distance (the start at 0)."""
        pos = self._position(node)
        if pos is None:
            return {}
        seen = np.zeros(self.node_count, dtype=bool)
        seen[pos] = True
        frontier = np.array([pos], dtype=np.int64)
        found: dict[int, int] = {node: 0}
        for depth in range(1, k + 1):
            if not len(frontier):
                break
            starts, ends = self.indptr[frontier], self.indptr[frontier + 1]
            total = int((ends - starts).sum())
            if total == 0:
                break
            # Gather all neighbours of the frontier without a Python loop over edges.
            offsets = np.repeat(starts - np.cumsum(ends - starts) + (ends - starts), ends - starts)
            gathered = self.indices[np.arange(total) + offsets]
            nxt = np.unique(gathered)
            nxt = nxt[~seen[nxt]]
            seen[nxt] = True
            for node_id in self.node_ids[nxt].tolist():
                found[node_id] = depth
            frontier = nxt.astype(np.int64)
        return found

    def shortest_path(self, source: int, target: int) -> list[int] | None:
        a, b = self._position(source), self._position(target)
        if a is None or b is None:
            return None
        if a == b:
            return [source]
        _, predecessors = csgraph.breadth_first_order(
            self._matrix(), a, directed=False, return_predecessors=True
        )
        if predecessors[b] < 0:
            return None
        path = [b]
        while path[-1] != a:
            path.append(int(predecessors[path[-1]]))
        return [int(self.node_ids[p]) for p in reversed(path)]

    def components(self) -> list[list[int]]:
        count, labels = csgraph.connected_components(self._matrix(), directed=False)
        groups: list[list[int]] = [[] for _ in range(count)]
        for pos, label in enumerate(labels.tolist()):
            groups[label].append(int(self.node_ids[pos]))
        return sorted(groups, key=lambda g: (-len(g), g[0]))

    def degree(self, node: int) -> int:
        pos = self._position(node)
        return 0 if pos is None else int(self.indptr[pos + 1] - self.indptr[pos])

    def _matrix(self) -> sparse.csr_matrix:
        n = self.node_count
        data = np.ones(len(self.indices), dtype=np.int8)
        return sparse.csr_matrix((data, self.indices, self.indptr), shape=(n, n))


def to_networkx(edges: Iterable[tuple[int, int]], nodes: Iterable[int] = ()) -> nx.Graph:
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


def analyse(graph: nx.Graph, top: int = 10) -> dict[str, Any]:
    """Per-case analysis with NetworkX: components and centrality."""
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=len, reverse=True)
    degree = nx.degree_centrality(graph) if graph.number_of_nodes() > 1 else {}
    betweenness = nx.betweenness_centrality(graph) if graph.number_of_nodes() > 2 else {}

    def ranked(scores: dict[int, float]) -> list[dict[str, float]]:
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [{"entity_id": k, "score": round(v, 6)} for k, v in best]

    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "components": components,
        "degree_centrality": ranked(degree),
        "betweenness_centrality": ranked(betweenness),
    }
