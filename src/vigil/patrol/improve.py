"""Whole-city improvement of a coverage plan: re-route one unit at a time, across districts.

The district MILPs cannot see coverage across a district border and keep each unit in its own
district. This pass starts from their plan and repeatedly re-routes a single unit over the whole
city while every other unit stays fixed (block coordinate ascent):
- a unit's gain for visiting place q in band b is the demand it would newly cover there (places
  within `cover_minutes` of q that need no larger team and that no other visit already covers);
- its best route through a shift is a longest path in the time-expanded graph (one visit per band,
  a move between consecutive bands only where travel fits in band length - dwell, a visit only
  where the unit can come from its base since the shift began and get back before it ends), by
  dynamic programming over the bands, among the `candidates` places of largest gain (plus its
  base and its current route, so its route is always among those searched). Unlike the MILP,
  the shift's first visit may start late in its band, once the unit has come from its base
  (`coverage.visit_offset`), which leaves less time to reach the next band's visit; such a
  late visit is never at a hot cell;
- a hot-cell or rush group that only this unit's visits meet keeps that visit (the route is forced
  through it), so every group the plan met stays met;
- the new route replaces the old one only when it covers more, so coverage never falls.
Pure numpy/scipy; the checker is the judge of the result."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from vigil.patrol import coverage

Visit = tuple[int, int, int]  # unit, place, band


def _shift_runs(problem: coverage.Problem, u: int) -> list[list[tuple[int, float, float]]]:
    """Runs of consecutive on-shift bands of unit u: (band, minutes since start, minutes left)."""
    runs: list[list[tuple[int, float, float]]] = []
    last_band, last_shift = -2, -1
    for b, band in enumerate(problem.bands):
        shift_no, since, until = coverage._on_shift(
            problem.units[u], band.start, problem.dwell_minutes
        )
        if shift_no < 0:
            continue
        if b == last_band + 1 and shift_no == last_shift and runs:
            runs[-1].append((b, since, until))
        else:
            runs.append([(b, since, until)])
        last_band, last_shift = b, shift_no
    return runs


def reroute(
    problem: coverage.Problem,
    visits: Sequence[Visit],
    *,
    deadline: float,
    max_passes: int = 50,
    rebuild: bool | Sequence[int] = False,
    candidates: int = 250,
) -> tuple[list[Visit], int]:
    """Improved visits and the number of full passes made before `deadline` (perf_counter).
    With `rebuild` (True: every unit; or the units, in order), the first pass takes those units'
    coverage away and routes them one after another (a greedy construction over routes), still
    keeping each hot-cell and rush group the given visits met; later passes improve them all."""
    n_places, n_bands = problem.demand.shape
    index_of = coverage._place_index(problem)
    band_len = np.array([(b.end - b.start).total_seconds() / 60.0 for b in problem.bands])
    radius = problem.rules.cover_minutes + 1e-9
    near = sparse.csc_matrix(radius >= problem.travel_minutes.T)  # near[p, q]: q covers p
    near_t = near.T.tocsr()  # near_t[q, p]
    need = np.array([p.need for p in problem.places])
    hot_place = np.array([bool(p.hot) for p in problem.places])
    demand = problem.demand

    route: dict[int, dict[int, int]] = defaultdict(dict)  # unit -> band -> place
    for u, p, b in visits:
        route[u][b] = p
    covers = np.zeros((n_places, n_bands), dtype=np.int32)  # visits covering (p, b)
    present = np.zeros((n_places, n_bands), dtype=np.int32)  # visits at (p, b)

    def covered_by(u: int, q: int) -> np.ndarray:
        rows = near.indices[near.indptr[q] : near.indptr[q + 1]]
        return rows[need[rows] <= problem.units[u].capacity]

    def apply(u: int, sign: int) -> None:
        for b, q in route[u].items():
            covers[covered_by(u, q), b] += sign
            present[q, b] += sign

    rebuilding = list(range(len(problem.units))) if rebuild is True else list(rebuild or [])
    kept = set(route) - set(rebuilding)
    for u in kept:
        apply(u, 1)

    groups_at: dict[int, list[list[int]]] = defaultdict(list)
    for p, place in enumerate(problem.places):
        for group in coverage._hot_windows(problem, place) + coverage._rush_bands(problem, place):
            groups_at[p].append(group)

    minutes_cache: dict[float, np.ndarray] = {}

    def unit_minutes(speed: float) -> np.ndarray:
        if speed not in minutes_cache:
            minutes_cache[speed] = problem.travel_minutes * (problem.reference_speed_kmh / speed)
        return minutes_cache[speed]

    passes = 0
    for number in range(max_passes):
        improved = 0.0
        building = bool(rebuilding) and number == 0
        for u in rebuilding if building else range(len(problem.units)):
            if time.perf_counter() > deadline:
                if building:  # the units not yet rebuilt keep their routes
                    return list(visits), passes
                return _flatten(route), passes
            unit = problem.units[u]
            minutes = unit_minutes(unit.speed_kmh)
            base = index_of[unit.base]
            if not building:
                apply(u, -1)
            # visits this unit must keep: the only ones meeting a hot-cell or rush group
            forced: dict[int, int] = {}
            for b, q in route[u].items():
                for group in groups_at.get(q, []):
                    if b in group and not any(present[q, g] for g in group):
                        mine = [g for g in group if route[u].get(g) == q]
                        if not any(g in forced for g in mine):
                            forced[mine[0]] = q
            able = need <= unit.capacity
            for run in _shift_runs(problem, u):
                bands = [b for b, _, _ in run]
                open_demand = demand[:, bands] * (covers[:, bands] == 0) * able[:, None]
                gain_all = np.asarray(near_t @ open_demand)  # gain[q, i]: new demand at q
                old = sum(gain_all[route[u][b], i] for i, b in enumerate(bands) if b in route[u])
                # the candidate places: the best by gain, the base, the current route
                best_gain = gain_all.max(axis=1)
                top = np.argpartition(-best_gain, min(candidates, n_places) - 1)[:candidates]
                keep = [base, *(route[u][b] for b in bands if b in route[u])]
                cand = np.unique(np.r_[top[best_gain[top] > 0], keep])
                sub = minutes[np.ix_(cand, cand)]
                gain = gain_all[cand]
                from_base, to_base = minutes[base, cand], minutes[cand, base]
                values: list[np.ndarray] = []
                reach_into: dict[int, np.ndarray] = {}  # band i -> reach[k, q] from band i - 1
                value = np.empty(0)
                for i, (b, since, until) in enumerate(run):
                    slack = band_len[b] - problem.dwell_minutes
                    if since <= 1e-9:
                        # the shift starts with the band: the first visit starts once the unit
                        # has come from its base (never at a hot cell: it could stretch a revisit)
                        offset = from_base
                        allowed = (
                            (offset <= slack + 1e-9)
                            & (to_base <= until - offset + 1e-9)
                            & ~(hot_place[cand] & (offset > 1e-9))
                        )
                        reach_into[i + 1] = sub + offset[:, None] <= slack + 1e-9
                    else:
                        allowed = (from_base <= since + 1e-9) & (to_base <= until + 1e-9)
                        reach_into.setdefault(i + 1, sub <= slack + 1e-9)
                    if b in forced:
                        allowed &= cand == forced[b]
                    if i == 0:
                        best_before = np.zeros(len(cand))
                    else:
                        best_before = np.where(reach_into[i], value[:, None], -np.inf).max(axis=0)
                    value = np.where(allowed, gain[:, i] + best_before, -np.inf)
                    values.append(value)
                best = float(value.max())
                if not np.isfinite(best) or (best <= old + 1e-9 and not building):
                    continue
                k = int(np.argmax(value))
                new_route = {bands[-1]: int(cand[k])}
                for i in range(len(bands) - 1, 0, -1):
                    before = np.flatnonzero(reach_into[i][:, k])
                    k = int(before[np.argmax(values[i - 1][before])])
                    new_route[bands[i - 1]] = int(cand[k])
                for b in bands:
                    route[u].pop(b, None)
                route[u].update(new_route)
                improved += best - old
            apply(u, 1)
        passes += 1
        if improved <= 1e-9 and not building:
            break
    return _flatten(route), passes


def _flatten(route: dict[int, dict[int, int]]) -> list[Visit]:
    return [(u, p, b) for u, by_band in sorted(route.items()) for b, p in sorted(by_band.items())]
