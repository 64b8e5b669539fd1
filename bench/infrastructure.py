"""Cascade analysis through the dependency graph: 10,000 assets, 30,000 dependencies.

Prints the time for one outage (the goal: at most 1 s), the time for every single outage,
and the ratio against a baseline run here: networkx's `descendants` on the same graph (with
every dependency required, where both must find the same failed set, which is checked)."""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from vigil.infrastructure.graph import REDUNDANT, REQUIRES, DependencyGraph

ASSETS = 10_000
DEPENDENCIES = 30_000
TIERS = (50, 250, 1_200, 3_500, 5_000)  # infeeds → substations → pumps → mains → districts
SAMPLE = 500


def layered_edges(seed: int = 7) -> list[tuple[int, int]]:
    """Each asset below the first tier draws on assets of the tier above; extra edges are
    spread at random until there are DEPENDENCIES of them."""
    rng = random.Random(seed)
    starts = [sum(TIERS[:t]) for t in range(len(TIERS))]
    edges: set[tuple[int, int]] = set()
    for tier in range(1, len(TIERS)):
        upper = range(starts[tier - 1], starts[tier - 1] + TIERS[tier - 1])
        for node in range(starts[tier], starts[tier] + TIERS[tier]):
            edges.add((rng.choice(upper), node))
    while len(edges) < DEPENDENCIES:
        tier = rng.randrange(1, len(TIERS))
        node = rng.randrange(starts[tier], starts[tier] + TIERS[tier])
        edges.add((rng.randrange(starts[tier - 1], starts[tier - 1] + TIERS[tier - 1]), node))
    return sorted(edges)


def main() -> None:
    assert sum(TIERS) == ASSETS
    pairs = layered_edges()
    population = [1_000 if n >= ASSETS - TIERS[-1] else 0 for n in range(ASSETS)]
    required = DependencyGraph(ASSETS, [(a, b, REQUIRES) for a, b in pairs], population)
    rng = random.Random(11)
    mixed = DependencyGraph(
        ASSETS,
        [(a, b, REDUNDANT if rng.random() < 0.5 else REQUIRES) for a, b in pairs],
        population,
    )
    reference: nx.DiGraph[int] = nx.DiGraph()
    reference.add_nodes_from(range(ASSETS))
    reference.add_edges_from(pairs)
    print(f"{ASSETS} assets, {len(pairs)} dependencies, tiers {TIERS}")

    sample = random.Random(3).sample(range(ASSETS), SAMPLE)
    worst = 0  # an infeed: the largest cascade
    started = time.perf_counter()
    biggest = required.cascade(worst)
    single = time.perf_counter() - started
    print(
        f"single outage (infeed 0): {len(biggest.failed)} assets fail, "
        f"{biggest.population_affected} people; {single * 1000:.1f} ms (goal <= 1000 ms)"
    )

    ours, base = [], []
    for origin in sample:
        t0 = time.perf_counter()
        failed = set(required.cascade(origin).failed)
        t1 = time.perf_counter()
        expected = nx.descendants(reference, origin) | {origin}
        t2 = time.perf_counter()
        assert failed == expected, origin
        ours.append(t1 - t0)
        base.append(t2 - t1)
    print(
        f"{SAMPLE} sampled outages, same failed sets as networkx: "
        f"ours median {statistics.median(ours) * 1e6:.0f} µs, max {max(ours) * 1000:.2f} ms; "
        f"networkx descendants median {statistics.median(base) * 1e6:.0f} µs, "
        f"max {max(base) * 1000:.2f} ms; ratio (networkx / ours, total) "
        f"{sum(base) / sum(ours):.2f}"
    )

    for label, graph in (("all required", required), ("half redundant", mixed)):
        started = time.perf_counter()
        total_failed = 0
        for origin in range(ASSETS):
            total_failed += len(graph.failed_set([origin]))
        elapsed = time.perf_counter() - started
        print(
            f"all {ASSETS} single outages ({label}): {elapsed:.2f} s, "
            f"{elapsed / ASSETS * 1000:.3f} ms each, "
            f"mean cascade {total_failed / ASSETS:.1f} assets"
        )


if __name__ == "__main__":
    main()
