"""The nearest units to an incident by travel time on a road graph. Pure: no I/O.

One search per travel profile runs from the incident's node over the *reversed* graph, so
that it finds every unit's time to the incident at once, and it stops at a time limit
(scipy's Dijkstra with `limit`). The first limit is a guess from the straight-line distance;
when fewer than `k` units are reached within it, the limit grows and the search runs again.
A unit reached within the limit is certified: every unit not reached needs longer, so the
`k` best reached are the `k` best overall."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import dijkstra

from vigil.units.roads import RoadGraph, TravelProfile, haversine_m

GROWTH = 2.0
FIRST_LIMIT_SLACK = 1.6  # roads are longer than the straight line
MIN_FIRST_LIMIT_S = 60.0


@dataclass(frozen=True)
class UnitAt:
    """A unit that could go: where it is, and how it moves."""

    unit_id: int
    lat: float
    lon: float
    profile: TravelProfile


@dataclass(frozen=True)
class Recommendation:
    unit_id: int
    seconds: float  # travel time to the incident by road, snapping included
    straight_m: float  # straight-line distance, for comparison


@dataclass(frozen=True)
class _Group:
    profile: TravelProfile
    members: npt.NDArray[np.int64]  # indexes into the recommender's units
    nodes: npt.NDArray[np.int64]
    offsets_s: npt.NDArray[np.float64]  # from the unit's position to its node


class Recommender:
    """Units snapped to the graph once; `nearest` answers many incidents."""

    def __init__(self, graph: RoadGraph, units: Sequence[UnitAt]) -> None:
        self.graph = graph
        self.units = list(units)
        self.unit_ids = np.array([u.unit_id for u in self.units], dtype=np.int64)
        self.lat = np.array([u.lat for u in self.units], dtype=np.float64)
        self.lon = np.array([u.lon for u in self.units], dtype=np.float64)
        self.speed_ms = np.array([u.profile.speed_kph / 3.6 for u in self.units])
        nodes, snap_m = (
            graph.snap(self.lat, self.lon) if self.units else (np.zeros(0, np.int64), np.zeros(0))
        )
        offsets = snap_m / np.maximum(self.speed_ms, 1e-9) if self.units else np.zeros(0)
        by_profile: dict[TravelProfile, list[int]] = {}
        for index, unit in enumerate(self.units):
            by_profile.setdefault(unit.profile, []).append(index)
        self._groups = [
            _Group(profile, np.array(m), nodes[m], offsets[m]) for profile, m in by_profile.items()
        ]

    def nearest(
        self,
        lat: float,
        lon: float,
        k: int = 3,
        eligible: Collection[int] | npt.NDArray[np.bool_] | None = None,
    ) -> list[Recommendation]:
        """The `k` units with the shortest travel time to (lat, lon), fastest first, among
        `eligible` (unit ids, or a mask over the units; all when None). Units that cannot
        reach the point are left out."""
        if k < 1 or not self.units:
            return []
        mask = self._mask(eligible)
        if not mask.any():
            return []
        straight = haversine_m(self.lat, self.lon, lat, lon)
        node_arr, snap_arr = self.graph.snap(lat, lon)
        node, snap_m = int(node_arr[0]), float(snap_arr[0])
        limit = self._first_limit(straight, mask, k)
        while True:
            times = self._within(node, snap_m, mask, limit)
            reached = np.flatnonzero(np.isfinite(times) & (times <= limit))
            if len(reached) >= k or math.isinf(limit):
                break
            limit = limit * GROWTH if limit < 7 * 86_400 else math.inf
        best = reached[np.lexsort((self.unit_ids[reached], times[reached]))][:k]
        return [
            Recommendation(int(self.unit_ids[i]), float(times[i]), float(straight[i])) for i in best
        ]

    def _mask(self, eligible: Collection[int] | npt.NDArray[np.bool_] | None) -> npt.NDArray:
        if eligible is None:
            return np.ones(len(self.units), dtype=bool)
        if isinstance(eligible, np.ndarray) and eligible.dtype == np.bool_:
            return eligible
        return np.isin(self.unit_ids, np.fromiter(eligible, dtype=np.int64))

    def _first_limit(
        self, straight: npt.NDArray[np.float64], mask: npt.NDArray[np.bool_], k: int
    ) -> float:
        guess = straight[mask] / self.speed_ms[mask]
        kth = np.partition(guess, min(k, len(guess)) - 1)[min(k, len(guess)) - 1]
        return max(float(kth) * FIRST_LIMIT_SLACK, MIN_FIRST_LIMIT_S)

    def _within(
        self, node: int, snap_m: float, mask: npt.NDArray[np.bool_], limit: float
    ) -> npt.NDArray[np.float64]:
        """Each unit's time to the incident where it is at most `limit`, else inf."""
        times = np.full(len(self.units), np.inf)
        for group in self._groups:
            chosen = mask[group.members]
            if not chosen.any():
                continue
            incident_offset = snap_m / (group.profile.speed_kph / 3.6)
            budget = limit - incident_offset
            if budget < 0:
                continue
            dist = dijkstra(
                self.graph.reverse_weights(group.profile),
                directed=True,
                indices=node,
                limit=budget,
            )
            members = group.members[chosen]
            times[members] = dist[group.nodes[chosen]] + group.offsets_s[chosen] + incident_offset
        return times


def nearest_by_straight_line(
    recommender: Recommender,
    lat: float,
    lon: float,
    k: int = 1,
    eligible: npt.NDArray[np.bool_] | None = None,
) -> list[int]:
    """The baseline: the units closest as the crow flies (ids, nearest first)."""
    straight = haversine_m(recommender.lat, recommender.lon, lat, lon)
    if eligible is not None:
        straight = np.where(eligible, straight, np.inf)
    order = np.argsort(straight, kind="stable")[:k]
    return [int(recommender.unit_ids[i]) for i in order if np.isfinite(straight[i])]


def travel_matrix(
    graph: RoadGraph,
    origins: Sequence[tuple[float, float]],
    destinations: Sequence[tuple[float, float]],
    profile: TravelProfile,
) -> npt.NDArray[np.float64]:
    """Seconds from each origin (row) to each destination (column) for one travel profile,
    snapping included; `inf` where no road leads. One search per distinct destination node,
    over the reversed graph (for patrol plans: travel between places)."""
    if not origins or not destinations:
        return np.zeros((len(origins), len(destinations)))
    speed = profile.speed_kph / 3.6
    o_nodes, o_snap = graph.snap([p[0] for p in origins], [p[1] for p in origins])
    d_nodes, d_snap = graph.snap([p[0] for p in destinations], [p[1] for p in destinations])
    targets, which = np.unique(d_nodes, return_inverse=True)
    dist = dijkstra(graph.reverse_weights(profile), directed=True, indices=targets)
    road = np.atleast_2d(dist)[which][:, o_nodes].T  # (origins, destinations)
    return road + o_snap[:, None] / speed + d_snap[None, :] / speed
