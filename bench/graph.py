"""2-hop neighbourhood on a generated entity graph of 1,000,000 edges (acceptance 4).

Global graph: scipy.sparse CSR (vigil.intel.graph.CsrGraph). Baseline in the same run:
NetworkX dict-of-dicts on the same edges (`--no-networkx` to skip it). Prints build time,
memory, and the median and p95 of 2-hop queries over many entities."""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np

from vigil.intel.cases.graph import CsrGraph


def edges(n_edges: int, n_nodes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Power-law-ish degrees (a few hubs, many leaves), as entity graphs have."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_nodes + 1) ** 0.6
    weights /= weights.sum()
    src = rng.choice(n_nodes, size=n_edges, p=weights)
    dst = rng.integers(0, n_nodes, size=n_edges)
    keep = src != dst
    return src[keep] * 7 + 11, dst[keep] * 7 + 11  # sparse, non-contiguous entity ids


def timed(fn, nodes):  # type: ignore[no-untyped-def]
    out, sizes = [], []
    for node in nodes:
        t = time.perf_counter()
        sizes.append(len(fn(int(node))))
        out.append((time.perf_counter() - t) * 1000)
    return out, sizes


def report(name: str, ms: list[float], sizes: list[int]) -> None:
    p95 = float(np.percentile(ms, 95))
    print(
        f"{name}: 2-hop median {statistics.median(ms):.3f} ms, p95 {p95:.3f} ms, "
        f"max {max(ms):.3f} ms over {len(ms)} entities "
        f"(median size {int(statistics.median(sizes))}, max {max(sizes)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--nodes", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-networkx", action="store_true")
    args = parser.parse_args()
    src, dst = edges(args.edges, args.nodes, args.seed)
    tracemalloc.start()
    t = time.perf_counter()
    graph = CsrGraph.from_edges(src, dst)
    build = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"graph: {graph.node_count:,} entities, {graph.edge_count:,} distinct edges "
        f"({len(src):,} generated)"
    )
    print(
        f"CSR build {build:.2f} s, resident {graph.nbytes() / 2**20:.1f} MiB, "
        f"build peak {peak / 2**20:.1f} MiB"
    )
    rng = np.random.default_rng(args.seed + 1)
    sample = rng.choice(graph.node_ids, size=args.queries, replace=False)
    hubs = graph.node_ids[np.argsort(np.diff(graph.indptr))[-20:]]
    ms, sizes = timed(lambda n: graph.k_hop(n, 2), sample)
    report("CSR random entities", ms, sizes)
    hms, hsizes = timed(lambda n: graph.k_hop(n, 2), hubs)
    report("CSR top-20 hubs", hms, hsizes)
    csr_median = statistics.median(ms)
    if not args.no_networkx:
        import networkx as nx

        tracemalloc.start()
        t = time.perf_counter()
        g = nx.Graph()
        g.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
        nbuild = time.perf_counter() - t
        _, npeak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"NetworkX build {nbuild:.2f} s, peak {npeak / 2**20:.1f} MiB")
        nms, nsizes = timed(
            lambda n: nx.single_source_shortest_path_length(g, n, cutoff=2), sample[:200]
        )
        report("NetworkX random entities", nms, nsizes)
        print(
            f"ratio NetworkX/CSR median 2-hop: {statistics.median(nms) / csr_median:.2f}x; "
            f"build {nbuild / build:.1f}x; memory {npeak / max(peak, 1):.1f}x"
        )
    verdict = "PASS" if float(np.percentile(ms, 95)) <= 200 and max(hms) <= 200 else "FAIL"
    print(f"target 2-hop <= 200 ms: {verdict}")


if __name__ == "__main__":
    main()
