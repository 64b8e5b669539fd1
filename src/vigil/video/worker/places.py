"""Loitering places kept by the feet in a zone: a joint assignment, tier by tier.

A place is where one person is in the zone, and the dwell is the place's, not a tracker id's.
Each frame the open places are given to the feet in the zone by the least total distance (the
Hungarian method, `scipy.optimize.linear_sum_assignment`), not pair by pair from the nearest:
taking the nearest pair first can give a place to the neighbour of its person, whose own place
then goes to nobody. Places are assigned in tiers, the places of people seen a moment ago
first, so that a foot goes to a place lost for a while only when nobody seen a moment ago
claims it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

_FAR = 1e9  # the cost of a pair out of reach: any pair in reach is cheaper than one of these


def assign(distances: np.ndarray, tiers: Sequence[int]) -> dict[int, int]:
    """Foot (column) → place (row). `distances` is places × feet, `np.inf` where the foot is
    out of the place's reach; `tiers` gives each place's tier. Tier by tier, lowest first, the
    tier's places are given to the feet not taken yet: the most pairs in reach, and of those
    the least total distance."""
    out: dict[int, int] = {}
    rows_by_tier: dict[int, list[int]] = {}
    for row, tier in enumerate(tiers):
        rows_by_tier.setdefault(tier, []).append(row)
    for tier in sorted(rows_by_tier):
        rows = rows_by_tier[tier]
        free = [col for col in range(distances.shape[1]) if col not in out]
        if not free:
            break
        cost = distances[np.ix_(rows, free)]
        cost = np.where(np.isfinite(cost), cost, _FAR)
        for r, c in zip(*linear_sum_assignment(cost), strict=True):
            if cost[r, c] < _FAR:
                out[free[c]] = rows[r]
    return out
