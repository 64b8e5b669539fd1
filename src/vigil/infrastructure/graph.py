"""Cascades through the dependency graph: which assets fail, and how many people lose
service, when one asset goes down. Pure (numpy and scipy.sparse only).

An edge runs from a supplier to its dependant. A dependency is either `requires` (the
dependant fails as soon as that supplier fails: a pump without power) or `redundant` (the
dependant fails only when every one of its redundant suppliers has failed: a district fed by
two mains). The failed set grows level by level as sparse matrix–vector products until it
stops changing, so a cascade costs O(edges × depth) in compiled code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

REQUIRES = "requires"
REDUNDANT = "redundant"
DEPENDENCY_KINDS = (REQUIRES, REDUNDANT)


@dataclass(frozen=True)
class Cascade:
    """One outage's consequence: the assets that fail with it (the origin first) and the
    people who lose service, summed over the failed assets' `population_served`."""

    origin: int
    failed: tuple[int, ...]
    population_affected: int


class DependencyGraph:
    """Assets numbered 0..n-1 and their dependencies, held as two CSR matrices (dependant ×
    supplier) for the level-by-level growth of a cascade."""

    def __init__(
        self,
        size: int,
        edges: Iterable[tuple[int, int, str]],
        population: Sequence[int] | None = None,
    ) -> None:
        self.size = size
        required: list[tuple[int, int]] = []
        redundant: list[tuple[int, int]] = []
        for supplier, dependant, kind in edges:
            if not (0 <= supplier < size and 0 <= dependant < size):
                raise ValueError(f"edge {supplier}->{dependant} outside 0..{size - 1}")
            if kind not in DEPENDENCY_KINDS:
                raise ValueError(f"dependency kind {kind!r}: use {' or '.join(DEPENDENCY_KINDS)}")
            (required if kind == REQUIRES else redundant).append((supplier, dependant))
        self._required = _incoming(size, required)
        self._redundant = _incoming(size, redundant)
        self._redundant_count = np.diff(self._redundant.indptr).astype(np.int64)
        self.population = np.asarray(
            population if population is not None else np.zeros(size), dtype=np.int64
        )
        if self.population.shape != (size,):
            raise ValueError("one population figure per asset")

    def failed_mask(self, origins: Sequence[int]) -> np.ndarray:
        """Which assets are down once the outage of `origins` has spread to a fixed point."""
        failed = np.zeros(self.size, dtype=bool)
        failed[list(origins)] = True
        has_redundant = self._redundant_count > 0
        while True:
            as_float = failed.astype(np.float64)
            lost_required = self._required @ as_float > 0
            lost_redundant = has_redundant & (self._redundant @ as_float >= self._redundant_count)
            grown = failed | lost_required | lost_redundant
            if np.array_equal(grown, failed):
                return failed
            failed = grown

    def cascade(self, origin: int) -> Cascade:
        mask = self.failed_mask([origin])
        others = np.flatnonzero(mask)
        failed = (origin, *(int(i) for i in others if i != origin))
        return Cascade(origin, failed, int(self.population[mask].sum()))


def _incoming(size: int, pairs: list[tuple[int, int]]) -> sparse.csr_matrix:
    """dependant × supplier, 1 where the dependant draws on the supplier."""
    if not pairs:
        return sparse.csr_matrix((size, size), dtype=np.float64)
    array = np.asarray(pairs, dtype=np.int64)
    data = np.ones(len(array), dtype=np.float64)
    matrix = sparse.csr_matrix((data, (array[:, 1], array[:, 0])), shape=(size, size))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0  # a repeated edge counts once
    return matrix
