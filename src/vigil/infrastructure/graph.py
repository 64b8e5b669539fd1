"""Cascades through the dependency graph: which assets fail, and how many people lose
service, when one asset goes down. Pure (numpy and scipy.sparse for the adjacency).

An edge runs from a supplier to its dependant. A dependency is either `requires` (the
dependant fails as soon as that supplier fails: a pump without power) or `redundant` (the
dependant fails only when every one of its redundant suppliers has failed: a district fed by
two mains). A cascade is a breadth-first walk over the suppliers' CSR rows that counts, per
dependant, the redundant suppliers lost so far: it touches only the edges leaving failed
assets, so a small cascade costs microseconds whatever the size of the graph."""

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
    """Assets numbered 0..n-1 and their dependencies, held as CSR rows (supplier →
    dependants, each edge flagged redundant or not) turned into plain lists for the walk."""

    def __init__(
        self,
        size: int,
        edges: Iterable[tuple[int, int, str]],
        population: Sequence[int] | None = None,
    ) -> None:
        self.size = size
        # (supplier, dependant) → redundant; a pair given twice is redundant only if both say so
        pairs: dict[tuple[int, int], bool] = {}
        for supplier, dependant, kind in edges:
            if not (0 <= supplier < size and 0 <= dependant < size):
                raise ValueError(f"edge {supplier}->{dependant} outside 0..{size - 1}")
            if kind not in DEPENDENCY_KINDS:
                raise ValueError(f"dependency kind {kind!r}: use {' or '.join(DEPENDENCY_KINDS)}")
            key = (supplier, dependant)
            pairs[key] = pairs.get(key, True) and kind == REDUNDANT
        keys = np.asarray(list(pairs), dtype=np.int64).reshape(-1, 2)
        matrix = sparse.csr_matrix(
            (np.asarray([2 if r else 1 for r in pairs.values()], dtype=np.int8), keys.T),
            shape=(size, size),
            dtype=np.int8,
        )
        flags = matrix.data
        self._rows = [
            list(zip(matrix.indices[a:b].tolist(), (flags[a:b] == 2).tolist(), strict=True))
            for a, b in zip(matrix.indptr[:-1].tolist(), matrix.indptr[1:].tolist(), strict=True)
        ]
        counts = np.zeros(size, dtype=np.int64)
        np.add.at(counts, matrix.indices[flags == 2], 1)
        self._redundant_count = counts.tolist()
        self.population = np.asarray(
            population if population is not None else np.zeros(size), dtype=np.int64
        )
        if self.population.shape != (size,):
            raise ValueError("one population figure per asset")
        self._people = self.population.tolist()

    def failed_set(self, origins: Iterable[int]) -> list[int]:
        """The assets down once the outage of `origins` has spread, in the order they fail."""
        failed = list(dict.fromkeys(origins))
        down = set(failed)
        lost_redundant: dict[int, int] = {}
        rows, needed = self._rows, self._redundant_count
        position = 0
        while position < len(failed):
            for dependant, is_redundant in rows[failed[position]]:
                if dependant in down:
                    continue
                if is_redundant:
                    lost = lost_redundant.get(dependant, 0) + 1
                    lost_redundant[dependant] = lost
                    if lost < needed[dependant]:
                        continue
                down.add(dependant)
                failed.append(dependant)
            position += 1
        return failed

    def failed_mask(self, origins: Sequence[int]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.failed_set(origins)] = True
        return mask

    def cascade(self, origin: int) -> Cascade:
        failed = self.failed_set([origin])
        people = self._people
        return Cascade(origin, tuple(failed), sum(people[i] for i in failed))
