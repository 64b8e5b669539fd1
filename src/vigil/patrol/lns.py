"""Large-neighbourhood search over a coverage plan: free a few units' whole shifts near one
another, re-solve that sub-MILP over the whole city with HiGHS, keep the answer when it is
better (Shaw 1998; Pisinger and Ropke 2010).

The district MILPs keep each unit in its district, and re-routing (`vigil.patrol.improve`)
moves one unit at a time, so both stop where a better plan needs several units to move
together (two units swapping beats, a car taking over a foot team's corner while the foot team
walks to a hot cell). Each move here:
- picks a cluster of bands (shifts that overlap form one; clusters share no band, so their
  coverage is independent), a random unit on duty in it, and the `units_per_move` units whose
  usual place in that cluster is nearest to that unit's;
- lets those units visit any of the `region_size` places nearest, plus the places they visit
  now, under the same rules as re-routing: one visit per band of the shift, travel between
  consecutive bands within band length - dwell, a visit only where the unit can come from its
  base since the shift began and get back before it ends, the shift's first visit starting once
  the unit has come from its base (never late at a hot cell);
- counts coverage only where no other unit already covers the place in that band, so the
  sub-MILP's objective is exactly the change in the plan's coverage;
- keeps every hot-cell and rush group that the plan meets within the cluster met (a visit
  that starts late never counts for one), and rewards meeting a group that no visit meets
  anywhere, ahead of any coverage, so the search also repairs plans that miss one;
- starts HiGHS from the current routes, so an answer is never worse, and replaces the routes
  only when it is strictly better.
Clusters are independent, so `search_parallel` gives each worker process its own clusters; a
group that crosses two clusters stays met because each worker keeps what its own cluster
meets. Pure numpy/scipy and HiGHS; the checker is the judge of the result."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from vigil.patrol import coverage, highs
from vigil.patrol.improve import _shift_runs

Visit = tuple[int, int, int]  # unit, place, band
Run = list[tuple[int, float, float]]  # (band, minutes since the shift began, minutes left)
EPS = 1e-9


@dataclass(frozen=True)
class Stats:
    moves: int
    improving: int
    gain: float  # coverage gained
    repaired: int  # groups met that no visit met before


class Search:
    """Precomputed arrays of one problem, shared by every move."""

    def __init__(self, problem: coverage.Problem) -> None:
        self.problem = problem
        index = coverage._place_index(problem)
        self.n_places, self.n_bands = problem.demand.shape
        self.covers = problem.rules.cover_minutes + EPS >= problem.travel_minutes  # [q, p]
        self.need = np.array([p.need for p in problem.places])
        self.hot = np.array([bool(p.hot) for p in problem.places])
        self.band_len = np.array([(b.end - b.start).total_seconds() / 60 for b in problem.bands])
        self.base = [index[u.base] for u in problem.units]
        self.capacity = np.array([u.capacity for u in problem.units])
        self.runs: list[list[Run]] = [_shift_runs(problem, u) for u in range(len(problem.units))]
        self.groups: list[tuple[int, list[int]]] = [
            (p, group)
            for p, place in enumerate(problem.places)
            for group in coverage._hot_windows(problem, place)
            + coverage._rush_bands(problem, place)
        ]
        self._minutes: dict[float, np.ndarray] = {}
        self.clusters = self._clusters()

    def minutes(self, u: int) -> np.ndarray:
        speed = self.problem.units[u].speed_kmh
        if speed not in self._minutes:
            scale = self.problem.reference_speed_kmh / speed
            self._minutes[speed] = self.problem.travel_minutes * scale
        return self._minutes[speed]

    def _clusters(self) -> list[list[int]]:
        """Bands grouped so that no shift run crosses from one group to another."""
        spans = sorted((run[0][0], run[-1][0]) for runs in self.runs for run in runs)
        merged: list[list[int]] = []
        for first, last in spans:
            if merged and first <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return [list(range(first, last + 1)) for first, last in merged]

    def offset(self, u: int, p: int, since: float) -> float:
        """Minutes after the band's start that unit u's visit to p starts."""
        return float(self.minutes(u)[self.base[u], p]) if since <= EPS else 0.0

    def run_in(self, u: int, scope: set[int]) -> Run | None:
        for run in self.runs[u]:
            if run[0][0] in scope:
                return run
        return None

    def met(
        self,
        route: dict[int, dict[int, int]],
        bands: Sequence[int],
        skip: set[int],
        *,
        late: bool = False,
    ) -> set[int]:
        """Indices of the groups met within `bands` by visits (starting on time, or also late
        with `late`) of units not in `skip`."""
        present: set[tuple[int, int]] = set()
        wanted = set(bands)
        for u, by_band in route.items():
            if u in skip:
                continue
            for b, p in by_band.items():
                if b in wanted and (late or self._on_time(u, b, p)):
                    present.add((p, b))
        return {
            n for n, (p, group) in enumerate(self.groups) if any((p, b) in present for b in group)
        }

    def _on_time(self, u: int, b: int, p: int) -> bool:
        run = next((r for r in self.runs[u] if r[0][0] <= b <= r[-1][0]), None)
        if run is None:
            return False
        since = next(s for band, s, _ in run if band == b)
        return self.offset(u, p, since) <= EPS

    def move(
        self,
        route: dict[int, dict[int, int]],
        freed: list[int],
        region: np.ndarray,
        scope: set[int],
        met_elsewhere: set[int],
        time_limit: float,
    ) -> tuple[dict[int, dict[int, int]], float, int] | None:
        """Re-solve the routes of `freed` (their runs in `scope`) over `region`; the new routes,
        the coverage gained and the groups newly met, or None when nothing better was found."""
        problem = self.problem
        dwell = problem.dwell_minutes
        freed_set = set(freed)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        lower: list[float] = []
        upper: list[float] = []

        def new_row(entries: np.ndarray, values: np.ndarray, lo: float, hi: float) -> None:
            rows.append(np.full(len(entries), len(lower)))
            cols.append(entries)
            vals.append(values)
            lower.append(lo)
            upper.append(hi)

        z_unit: list[int] = []
        z_place: list[int] = []
        z_band: list[int] = []
        z_late: list[bool] = []
        start: list[float] = []
        for u in freed:
            run = self.run_in(u, scope)
            assert run is not None
            minutes = self.minutes(u)
            base = self.base[u]
            now = [route[u].get(b, base) for b, _, _ in run]
            cand = np.unique(np.r_[region, now, base])
            sub = minutes[np.ix_(cand, cand)]
            from_base, to_base = minutes[base, cand], minutes[cand, base]
            previous: np.ndarray | None = None
            reach = np.zeros((0, 0), dtype=bool)
            for i, (b, since, until) in enumerate(run):
                slack = self.band_len[b] - dwell
                if since <= EPS:
                    late = from_base
                    allowed = (
                        (late <= slack + EPS)
                        & (to_base <= until - late + EPS)
                        & ~(self.hot[cand] & (late > EPS))
                    )
                    next_reach = sub + late[:, None] <= slack + EPS
                else:
                    late = np.zeros(len(cand))
                    allowed = (from_base <= since + EPS) & (to_base <= until + EPS)
                    next_reach = sub <= slack + EPS
                here = np.full(len(cand), -1)
                count = int(allowed.sum())
                first = len(z_unit)
                here[allowed] = np.arange(first, first + count)
                chosen = cand[allowed]
                z_unit.extend([u] * count)
                z_place.extend(chosen.tolist())
                z_band.extend([b] * count)
                z_late.extend((late[allowed] > EPS).tolist())
                start.extend((chosen == now[i]).astype(float).tolist())
                new_row(here[allowed], np.ones(count), 1.0, 1.0)
                if previous is not None:
                    for k in np.flatnonzero(previous >= 0):
                        near = reach[k] & allowed
                        far = ~reach[k] & allowed
                        n_near, n_far = int(near.sum()), int(far.sum())
                        if n_far == 0:
                            continue
                        if n_far < n_near:  # z[k] + sum of unreachable next <= 1
                            new_row(
                                np.append(here[far], previous[k]), np.ones(n_far + 1), -np.inf, 1
                            )
                        else:  # z[k] <= sum of reachable next
                            values = np.ones(n_near + 1)
                            values[-1] = -1.0
                            new_row(np.append(here[near], previous[k]), values, 0.0, np.inf)
                previous, reach = here, next_reach
        n_z = len(z_unit)
        if n_z == 0:
            return None
        x0 = np.array(start)
        zu, zp, zb = np.array(z_unit), np.array(z_place), np.array(z_band)
        cost: list[float] = [0.0] * n_z
        # coverage where no other unit covers already
        bands = sorted(set(z_band))
        fixed = np.zeros((self.n_places, self.n_bands), dtype=bool)
        for u, by_band in route.items():
            if u in freed_set:
                continue
            for b in bands:
                q = by_band.get(b)
                if q is not None:
                    fixed[:, b] |= self.covers[q] & (self.need <= self.capacity[u])
        y_start: list[float] = []
        y_rows: list[int] = []
        ones = np.ones(n_z)
        for b in bands:
            at = np.flatnonzero(zb == b)
            reach_b = self.covers[zp[at]] & (self.need[None, :] <= self.capacity[zu[at]][:, None])
            reach_b &= ~fixed[None, :, b] & (self.problem.demand[None, :, b] > 0)
            open_places = np.flatnonzero(reach_b.any(axis=0))
            if len(open_places) == 0:
                continue
            by_place = sparse.csc_matrix(reach_b[:, open_places])
            for j, c in enumerate(open_places):
                entries = at[by_place.indices[by_place.indptr[j] : by_place.indptr[j + 1]]]
                y = n_z + len(y_start)
                cost.append(float(self.problem.demand[c, b]))
                y_start.append(min(1.0, float(x0[entries].sum())))
                y_rows.append(len(lower))
                new_row(np.append(entries, y), np.append(ones[: len(entries)], -1.0), 0.0, np.inf)
        # hot-cell and rush groups
        total = float(self.problem.demand[:, bands].sum())
        reward = total + 1.0
        met_fixed = self.met(route, sorted(scope), freed_set)
        met_late = self.met(route, sorted(scope), set(), late=True)
        on_time = ~np.array(z_late)
        s_start: list[float] = []
        s_rows: list[int] = []
        rewarded = 0
        for n, (p, group) in enumerate(self.groups):
            inside = [b for b in group if b in scope]
            if not inside or n in met_fixed:
                continue
            mine = np.flatnonzero((zp == p) & np.isin(zb, inside) & (on_time | (x0 > 0.5)))
            met_now = bool(x0[mine].sum() > 0.5)  # a late visit counts only where it is now
            if met_now:
                new_row(mine, np.ones(len(mine)), 1.0, np.inf)
            elif n not in met_elsewhere and n not in met_late and len(mine):
                s = n_z + len(y_start) + len(s_start)
                s_start.append(0.0)
                s_rows.append(len(lower))
                cost.append(reward)
                rewarded += 1
                new_row(np.r_[mine, s], np.r_[np.ones(len(mine)), -1.0], 0.0, np.inf)
        n_cols = n_z + len(y_start) + len(s_start)
        matrix = sparse.csc_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(lower), n_cols),
        )
        integer = np.zeros(n_cols, dtype=bool)
        integer[:n_z] = True
        x_start = np.r_[x0, y_start, s_start]
        before = float(np.dot(cost, x_start))
        solved = highs.solve(
            cost,
            matrix,
            lower,
            upper,
            np.zeros(n_cols),
            np.ones(n_cols),
            integer=integer,
            maximise=True,
            options={
                "time_limit": max(0.05, time_limit),
                "threads": 1,
                "random_seed": 1,
                "mip_rel_gap": 1e-6,
            },
            start=x_start,
        )
        x = solved.x
        if len(x) != n_cols:
            return None
        z = x[:n_z] > 0.5
        after = float(np.dot(cost[:n_z], z))
        # recompute y and s from the rounded visits, not from HiGHS's continuous values
        activity = matrix[:, :n_z] @ z.astype(float)
        y_end = np.minimum(1.0, activity[np.array(y_rows, dtype=int)])
        s_end = np.minimum(1.0, activity[np.array(s_rows, dtype=int)])
        after = float(np.dot(cost, np.r_[z.astype(float), y_end, s_end]))
        if after <= before + 1e-6:
            return None
        new_routes: dict[int, dict[int, int]] = defaultdict(dict)
        for k in np.flatnonzero(z):
            new_routes[int(zu[k])][int(zb[k])] = int(zp[k])
        for u in freed:
            run = self.run_in(u, scope)
            assert run is not None
            if len(new_routes[u]) != len(run):
                return None  # rounding lost a visit: keep the old routes
        gain = float(np.dot(cost[n_z : n_z + len(y_start)], y_end)) - float(
            np.dot(cost[n_z : n_z + len(y_start)], y_start)
        )
        return dict(new_routes), gain, round(float(s_end.sum()))

    def search(
        self,
        route: dict[int, dict[int, int]],
        clusters: Sequence[int],
        *,
        deadline: float,
        seed: int = 0,
        units_per_move: int = 2,
        region_size: int = 60,
        move_seconds: float = 0.5,
    ) -> tuple[dict[int, dict[int, int]], Stats]:
        """Moves in the given clusters (indices into `self.clusters`), taking turns, until
        `deadline` (perf_counter)."""
        rng = np.random.default_rng(seed)
        route = {u: dict(by_band) for u, by_band in route.items()}
        moves = improving = repaired = 0
        gain = 0.0
        scopes = [set(self.clusters[c]) for c in clusters]
        on_duty = [[u for u in range(len(self.problem.units)) if self.run_in(u, s)] for s in scopes]
        turn = 0
        while time.perf_counter() + 0.2 < deadline and any(on_duty):
            c = turn % len(scopes)
            turn += 1
            scope, units = scopes[c], on_duty[c]
            if not units:
                continue
            usual = np.array([self._usual(route, u, scope) for u in units])
            seed_at = usual[rng.integers(len(units))]
            order = np.argsort(self.problem.travel_minutes[seed_at, usual], kind="stable")
            freed = [units[int(k)] for k in order[:units_per_move]]
            region = np.argsort(self.problem.travel_minutes[seed_at], kind="stable")[:region_size]
            elsewhere = self.met(
                route, [b for b in range(self.n_bands) if b not in scope], set(), late=True
            )
            left = deadline - time.perf_counter()
            found = self.move(route, freed, region, scope, elsewhere, min(move_seconds, left))
            moves += 1
            if found is None:
                continue
            new_routes, more, newly = found
            for u, by_band in new_routes.items():
                route[u].update(by_band)
            improving += 1
            gain += more
            repaired += newly
        return route, Stats(moves, improving, gain, repaired)

    def _usual(self, route: dict[int, dict[int, int]], u: int, scope: set[int]) -> int:
        """The place unit u visits most often within the scope (its base when none)."""
        counts = Counter(p for b, p in route.get(u, {}).items() if b in scope)
        return counts.most_common(1)[0][0] if counts else self.base[u]


def _routes(visits: Sequence[Visit]) -> dict[int, dict[int, int]]:
    route: dict[int, dict[int, int]] = defaultdict(dict)
    for u, p, b in visits:
        route[u][b] = p
    return dict(route)


def _flatten(route: dict[int, dict[int, int]]) -> list[Visit]:
    return [(u, p, b) for u, by_band in sorted(route.items()) for b, p in sorted(by_band.items())]


def search(
    problem: coverage.Problem, visits: Sequence[Visit], *, deadline: float, seed: int = 0
) -> tuple[list[Visit], Stats]:
    """One process over every cluster of bands."""
    finder = Search(problem)
    route, stats = finder.search(
        _routes(visits), range(len(finder.clusters)), deadline=deadline, seed=seed
    )
    return _flatten(route), stats


_WORKER: Search | None = None


def _init(problem: coverage.Problem) -> None:
    global _WORKER
    _WORKER = Search(problem)


def _work(
    visits: list[Visit], clusters: list[int], deadline: float, seed: int
) -> tuple[list[Visit], Stats]:
    assert _WORKER is not None
    route, stats = _WORKER.search(_routes(visits), clusters, deadline=deadline, seed=seed)
    scope = {b for c in clusters for b in _WORKER.clusters[c]}
    return [v for v in _flatten(route) if v[2] in scope], stats


def search_parallel(
    problem: coverage.Problem, visits: Sequence[Visit], *, seconds: float, workers: int = 2
) -> tuple[list[Visit], Stats]:
    """Clusters shared among `workers` processes by load (units on duty x bands), each for
    `seconds`; the visits outside every cluster are kept as they are."""
    finder = Search(problem)
    if workers <= 1 or len(finder.clusters) <= 1:
        return search(problem, visits, deadline=time.perf_counter() + seconds)
    load = [
        sum(1 for u in range(len(problem.units)) if finder.run_in(u, set(c))) * len(c)
        for c in finder.clusters
    ]
    shares: list[list[int]] = [[] for _ in range(workers)]
    totals = [0.0] * workers
    for c in sorted(range(len(load)), key=lambda c: -load[c]):
        w = int(np.argmin(totals))
        shares[w].append(c)
        totals[w] += load[c]
    shares = [s for s in shares if s]
    deadline = time.perf_counter() + seconds - 0.3  # the clock is the same in every process
    with ProcessPoolExecutor(len(shares), initializer=_init, initargs=(problem,)) as pool:
        futures = [
            pool.submit(_work, list(visits), share, deadline, n) for n, share in enumerate(shares)
        ]
        answers = [f.result() for f in futures]
    scope = {b for c in finder.clusters for b in c}
    out = [v for v in visits if v[2] not in scope]
    moves = improving = repaired = 0
    gain = 0.0
    for found, stats in answers:
        out.extend(found)
        moves += stats.moves
        improving += stats.improving
        gain += stats.gain
        repaired += stats.repaired
    out.sort(key=lambda v: (v[0], v[2]))
    return out, Stats(moves, improving, gain, repaired)
