"""The coverage plan: a MILP that maximises demand-weighted coverage over half-hour bands.

Formulation (a time-expanded network, decomposed by district so that it scales):
- The city's places are split into districts of about `district_size` places (k-means on
  lat/lon); a unit patrols the district of its home base, like a beat. The districts' MILPs are
  independent, so they are solved apart (two at a time on two cores) and the plan's bound and
  gap are the sums over the districts: gap = (sum of bounds - sum of objectives) / sum of bounds.
- z[u,p,b] = 1 when unit u visits place p in band b. During its shift a unit makes exactly one
  visit per band (staying put is a visit to the same place, so a plan always exists); the visit
  starts at the band's start and lasts `dwell_minutes` (within the Koper 10-16 minutes), leaving
  30 - dwell minutes to travel to the next one.
- Travel: z[u,p,b] <= sum of z[u,q,b+1] over the places q the unit can reach in time from p
  (exact, because each band holds one visit). A visit is allowed only where the unit can come
  from its base since the shift began and get back before it ends (travel times obey the
  triangle inequality), so the shift holds too.
- Capacity: a visit covers place p (and the places within `cover_minutes` of it) only if the
  unit's team is at least the place's `need`. y[p,b] <= sum of such visits, y in [0,1].
- Hot cells: while hot, any 4 consecutive bands hold a visit, so visits are at most 2 hours apart.
- Key places: a visit starts within `rush_minutes` (60 by default) either side of each
  opening and closing time.
- Objective: max sum demand[p,b] * y[p,b]; hot-cell and rush rows carry a slack with a penalty
  larger than the district's whole demand, so a district that cannot meet them still gets a
  plan (and the checker then reports the shortfall) while any plan that meets them wins.
Where no shift runs over midnight, each district is also solved day by day; a hot window that
runs over midnight then needs a visit in its last two bands before and first two after.
Coverage that reaches across a district border is counted in the plan's objective (recomputed
from the visits) but not in the district MILP, so the reported objective can only exceed the
MILP's. With `reroute_seconds`, `vigil.patrol.improve` then re-routes units over the whole city
(across district borders, a shift's first visit starting once the unit has come from its base)
and the plan's coverage can only grow; the reported bound and gap stay the district MILPs'.
`solve(construction="stations")` builds the plan city-wide instead (`vigil.patrol.stations`:
an MCLP per shift run, stations assigned to units, detours for hot cells and rushes), with no
district at all; "best" builds both and improves the one that covers more. On the benchmark
city the stations' plan covers more and leaves the district MILPs' time to re-routing.
Pure: numpy, scipy.sparse and HiGHS."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from scipy.cluster.vq import kmeans2

from vigil.patrol import highs
from vigil.patrol import plan as fmt

if TYPE_CHECKING:
    from vigil.patrol import stations as stations_mod

REVISIT_BANDS = 4  # 4 half-hour bands: visits at most 2 hours apart
FINISH_SECONDS = 5.0  # kept from `total_seconds` for the LNS workers' start and the plan file
FRUITLESS_KICKS = 30  # re-routing stops after this many kicks in a row that gain nothing


@dataclass
class Problem:
    week: str
    places: list[fmt.Place]
    bands: list[fmt.Band]
    units: list[fmt.Unit]
    travel_minutes: np.ndarray  # places x places, at reference_speed_kmh
    reference_speed_kmh: float
    demand: np.ndarray  # places x bands
    rules: fmt.Rules = field(default_factory=fmt.Rules)
    dwell_minutes: float = 12.0
    district_size: int = 50

    def unit_minutes(self, unit: fmt.Unit) -> np.ndarray:
        return np.asarray(self.travel_minutes * (self.reference_speed_kmh / unit.speed_kmh))


@dataclass(frozen=True)
class DistrictResult:
    places: list[int]
    units: list[int]
    visits: list[tuple[int, int, int]]  # unit, place, band (global indices)
    objective: float
    bound: float
    status: str
    seconds: float
    shortfall: float  # slack used on hot-cell and rush rows


@dataclass(frozen=True)
class Solution:
    plan: fmt.Plan
    objective: float  # recomputed from the visits
    milp_objective: float
    bound: float
    gap: float | None  # None when a district found no plan in time
    seconds: float
    districts: list[DistrictResult]
    district_objective: float = 0.0  # coverage of the district plans before re-routing
    reroute_passes: int = 0
    rerouted_objective: float = 0.0  # coverage after re-routing, before the LNS
    lns_moves: int = 0
    lns_improving: int = 0
    stations: stations_mod.Stats | None = None  # the city-wide construction, when it ran
    constructed_by: str = "districts"  # the construction improved: "districts" or "stations"
    # (seconds since the solve began, the plan's coverage) each time the coverage grew
    timeline: list[tuple[float, float]] = field(default_factory=list)


def districts(places: Sequence[fmt.Place], size: int, seed: int = 7) -> np.ndarray:
    """District label per place: k-means on (lat, lon) with about `size` places each."""
    k = max(1, math.ceil(len(places) / size))
    if k == 1:
        return np.zeros(len(places), dtype=int)
    points = np.array([[p.lat, p.lon * math.cos(math.radians(p.lat))] for p in places])
    _, labels = kmeans2(points, k, minit="++", seed=seed)
    return np.asarray(labels, dtype=int)


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60.0


def _on_shift(unit: fmt.Unit, start: datetime, dwell: float) -> tuple[int, float, float]:
    """The shift a visit starting at `start` falls in, the minutes since it began and the
    minutes left after the visit; (-1, 0, 0) when off duty."""
    for number, shift in enumerate(unit.shifts):
        since = _minutes(start - shift.start)
        until = _minutes(shift.end - start) - dwell
        if since >= 0 and until >= 0:
            return number, since, until
    return -1, 0.0, 0.0


def _rush_bands(problem: Problem, place: fmt.Place) -> list[list[int]]:
    """For each opening/closing time in the horizon: the bands whose start is within the rush."""
    if not place.key or not place.opening_hours:
        return []
    bands = problem.bands
    first, last = bands[0].start, bands[-1].end
    rush = timedelta(minutes=problem.rules.rush_minutes)
    out: list[list[int]] = []
    day = first.replace(hour=0, minute=0, second=0, microsecond=0)
    while day < last:
        for hours in place.opening_hours:
            if hours.weekday != day.weekday():
                continue
            for clock in (hours.opens, hours.closes):
                hh, mm = (int(x) for x in clock.split(":"))
                moment = day + timedelta(hours=hh, minutes=mm)
                if moment - rush < first or moment + rush > last:
                    continue
                inside = [b.index for b in bands if moment - rush <= b.start < moment + rush]
                if inside:
                    out.append(inside)
        day += timedelta(days=1)
    return out


def _hot_windows(problem: Problem, place: fmt.Place) -> list[list[int]]:
    """Groups of bands of which each must hold a visit to the hot place."""
    out: list[list[int]] = []
    for window in place.hot:
        hot = [b.index for b in problem.bands if window.start <= b.start < window.end]
        if not hot:
            continue
        if len(hot) <= REVISIT_BANDS:
            out.append(hot)
        else:
            out.extend(hot[i : i + REVISIT_BANDS] for i in range(len(hot) - REVISIT_BANDS + 1))
    return out


def _in_block(groups: list[list[int]], block: set[int]) -> list[list[int]]:
    """The groups as seen from one block of days: a group is kept where its first band falls,
    cut to the block (stricter than the whole group, so still sound)."""
    out = []
    for group in groups:
        if group[0] in block:
            out.append([b for b in group if b in block])
    return out


def _edge_groups(problem: Problem, place: fmt.Place, block: list[int]) -> list[list[int]]:
    """A hot window cut by the block's edge needs a visit in its last (first) two bands
    before (after) the cut, so the visits on both sides stay under 2 hours apart."""
    first, last = block[0], block[-1]
    out = []
    for window in place.hot:
        hot = [b.index for b in problem.bands if window.start <= b.start < window.end]
        inside = [b for b in hot if first <= b <= last]
        if not inside:
            continue
        if any(b > last for b in hot):
            out.append(inside[-2:])
        if any(b < first for b in hot):
            out.append(inside[:2])
    return out


def _solve_district(
    problem: Problem,
    place_ids: list[int],
    unit_ids: list[int],
    options: dict[str, bool | int | float | str],
    block: list[int] | None = None,
) -> DistrictResult:
    started = time.perf_counter()
    in_block = set(block) if block is not None else set(range(len(problem.bands)))
    bands = problem.bands
    n_bands = len(bands)
    dwell = problem.dwell_minutes
    local = {p: i for i, p in enumerate(place_ids)}
    index_of = _place_index(problem)
    n_local = len(place_ids)
    band_len = [_minutes(b.end - b.start) for b in bands]
    columns: int = 0
    z_index: dict[tuple[int, int], np.ndarray] = {}  # (unit, band) -> column per local place, -1
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    n_rows = 0

    def new_row(entries_cols: np.ndarray, entries_vals: np.ndarray, lo: float, hi: float) -> None:
        nonlocal n_rows
        rows.extend([n_rows] * len(entries_cols))
        cols.extend(entries_cols.tolist())
        vals.extend(entries_vals.tolist())
        lower.append(lo)
        upper.append(hi)
        n_rows += 1

    sub_travel = problem.travel_minutes[np.ix_(place_ids, place_ids)]
    for u in unit_ids:
        unit = problem.units[u]
        minutes = sub_travel * (problem.reference_speed_kmh / unit.speed_kmh)
        base = local[index_of[unit.base]]
        previous: np.ndarray | None = None
        previous_band, previous_shift = -1, -1
        for b, band in enumerate(bands):
            if b not in in_block:
                continue
            shift_no, since, until = _on_shift(unit, band.start, dwell)
            if shift_no < 0:
                continue
            allowed = (minutes[base, :] <= since + 1e-9) & (minutes[:, base] <= until + 1e-9)
            index = np.full(n_local, -1)
            count = int(allowed.sum())
            index[allowed] = np.arange(columns, columns + count)
            columns += count
            z_index[(u, b)] = index
            # exactly one visit per band of the shift
            new_row(index[allowed], np.ones(count), 1.0, 1.0)
            if previous is not None and previous_band == b - 1 and previous_shift == shift_no:
                slack = band_len[b - 1] - dwell
                reach = minutes <= slack + 1e-9
                for here in np.flatnonzero(previous >= 0):
                    near = reach[here] & allowed
                    far = ~reach[here] & allowed
                    n_near, n_far = int(near.sum()), int(far.sum())
                    if n_far == 0:
                        continue  # every next place is in reach
                    if n_far < n_near:  # z[p,b] + sum of unreachable z[q,b+1] <= 1
                        new_row(np.r_[index[far], previous[here]], np.ones(n_far + 1), -np.inf, 1.0)
                    else:  # z[p,b] <= sum of reachable z[q,b+1]
                        entries = np.r_[index[near], previous[here]]
                        new_row(entries, np.r_[np.ones(n_near), -1.0], 0.0, np.inf)
            previous, previous_band, previous_shift = index, b, shift_no
    n_z = columns
    # coverage y[p,b], only where there is demand
    total_demand = float(problem.demand[place_ids].sum())
    penalty = total_demand + 1.0
    cover = problem.rules.cover_minutes + 1e-9 >= sub_travel.T  # cover[p, q]: q covers p
    cost: list[float] = [0.0] * n_z
    y_cols: list[tuple[int, int, int]] = []
    for li, p in enumerate(place_ids):
        need = problem.places[p].need
        for b in range(n_bands):
            if b not in in_block:
                continue
            value = float(problem.demand[p, b])
            if value <= 0:
                continue
            entries = [
                z_index[(u, b)][cover[li]]
                for u in unit_ids
                if problem.units[u].capacity >= need and (u, b) in z_index
            ]
            visits = np.concatenate(entries) if entries else np.array([], dtype=int)
            visits = visits[visits >= 0]
            if len(visits) == 0:
                continue
            y = int(columns)
            columns += 1
            cost.append(value)
            y_cols.append((y, int(p), b))
            new_row(np.r_[visits, y], np.r_[np.ones(len(visits)), -1.0], 0.0, np.inf)

    def visits_of(li: int, band_list: list[int]) -> np.ndarray:
        found = [
            z_index[(u, b)][li : li + 1] for u in unit_ids for b in band_list if (u, b) in z_index
        ]
        out = np.concatenate(found) if found else np.array([], dtype=int)
        return out[out >= 0]

    slack_cols: list[int] = []
    for li, p in enumerate(place_ids):
        place = problem.places[p]
        groups = _in_block(_hot_windows(problem, place) + _rush_bands(problem, place), in_block)
        if block is not None and len(in_block) < n_bands:
            groups += _edge_groups(problem, place, sorted(in_block))
        for group in groups:
            visits = visits_of(li, group)
            s = int(columns)
            columns += 1
            cost.append(-penalty)
            slack_cols.append(s)
            new_row(np.r_[visits, s], np.ones(len(visits) + 1), 1.0, np.inf)
    n_cols = columns
    if n_rows == 0 or n_cols == 0:
        return DistrictResult(place_ids, unit_ids, [], 0.0, 0.0, "Empty", 0.0, 0.0)
    matrix = sparse.csc_matrix((vals, (rows, cols)), shape=(n_rows, n_cols))
    col_lower = np.zeros(n_cols)
    col_upper = np.ones(n_cols)
    col_upper[slack_cols] = 1.0
    integer = np.zeros(n_cols, dtype=bool)
    integer[:n_z] = True
    solved = highs.solve(
        cost,
        matrix,
        lower,
        upper,
        col_lower,
        col_upper,
        integer=integer,
        maximise=True,
        options=options,
    )
    x = solved.x
    visits_out: list[tuple[int, int, int]] = []
    if len(x) != n_cols:  # no solution in time: every unit stays at its base (always allowed)
        visits_out = [(u, index_of[problem.units[u].base], b) for (u, b) in z_index]
        return DistrictResult(
            place_ids, unit_ids, visits_out, 0.0, math.inf, solved.status,
            time.perf_counter() - started, math.nan,
        )  # fmt: skip
    for (u, b), index in z_index.items():
        chosen = np.flatnonzero((index >= 0) & (x[np.maximum(index, 0)] > 0.5))
        visits_out.extend((u, place_ids[int(li)], b) for li in chosen[:1])
    shortfall = float(sum(x[s] for s in slack_cols))
    objective = float(sum(cost[y] * min(1.0, x[y]) for y, _, _ in y_cols))
    bound = solved.bound + penalty * shortfall if np.isfinite(solved.bound) else math.inf
    return DistrictResult(
        place_ids,
        unit_ids,
        visits_out,
        objective,
        max(bound, objective),
        solved.status,
        time.perf_counter() - started,
        shortfall,
    )


def _place_index(problem: Problem) -> dict[str, int]:
    return {p.id: i for i, p in enumerate(problem.places)}


_WORKER_PROBLEM: Problem | None = None


def _init_worker(problem: Problem) -> None:
    global _WORKER_PROBLEM
    _WORKER_PROBLEM = problem


def _solve_in_worker(
    place_ids: list[int],
    unit_ids: list[int],
    options: dict[str, bool | int | float | str],
    block: list[int],
) -> DistrictResult:
    assert _WORKER_PROBLEM is not None
    return _solve_district(_WORKER_PROBLEM, place_ids, unit_ids, options, block)


def day_blocks(problem: Problem) -> list[list[int]]:
    """Bands split by calendar day where no shift runs over midnight; else one block."""
    by_day: dict[object, list[int]] = {}
    for band in problem.bands:
        by_day.setdefault(band.start.date(), []).append(band.index)
    crosses = any(
        s.start.date() != (s.end - timedelta(microseconds=1)).date()
        for unit in problem.units
        for s in unit.shifts
    )
    if crosses or len(by_day) == 1:
        return [[b.index for b in problem.bands]]
    return list(by_day.values())


def covered_demand(problem: Problem, visits: Sequence[tuple[int, int, int]]) -> float:
    """Demand-weighted coverage of a set of visits (unit, place, band), across districts."""
    covered = np.zeros(problem.demand.shape, dtype=bool)
    near = problem.rules.cover_minutes + 1e-9 >= problem.travel_minutes.T  # near[p, q]
    need = np.array([p.need for p in problem.places])
    for u, q, b in visits:
        reach = near[:, q] & (need <= problem.units[u].capacity)
        covered[reach, b] = True
    return float(problem.demand[covered].sum())


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    relative_gap: float = 0.01,
    workers: int = 2,
    labels: np.ndarray | None = None,
    reroute_seconds: float = 0.0,
    lns_seconds: float = 0.0,
    total_seconds: float | None = None,
    construction: str = "districts",
    stations_seconds: float = 20.0,
) -> Solution:
    """Solve every district to `relative_gap` within `time_limit` seconds in all, then (when
    `reroute_seconds` > 0) re-route units across the whole city for up to that long more, then
    (when `lns_seconds` > 0) run the large-neighbourhood search (`vigil.patrol.lns`) on
    `workers` processes for that long. With `total_seconds`, re-routing and the search share
    what the MILPs left of it in the same proportion, so the whole plan takes no longer.
    `construction`: "districts" (the district MILPs), "stations" (the city-wide construction
    of `vigil.patrol.stations`, within `stations_seconds`) or "best" (both; the plan that
    covers more is improved, the stations' when a district found no plan in time). When the
    stations' plan is improved, the reported bound and gap are its MCLPs' (a bound on plans
    whose units hold one station per shift run, not on every plan)."""
    if construction not in ("districts", "stations", "best"):
        raise ValueError(f"unknown construction {construction!r}")
    started = time.perf_counter()
    built: tuple[list[tuple[int, int, int]], float, stations_mod.Stats] | None = None
    if construction in ("stations", "best"):
        from vigil.patrol import stations as stations_mod

        found, stats = stations_mod.construct(problem, seconds=stations_seconds)
        built = (found, covered_demand(problem, found), stats)
        if construction == "stations":
            return _improve(
                problem, found, started, [], 0.0, stats.mclp_bound, workers=workers,
                reroute_seconds=reroute_seconds, lns_seconds=lns_seconds,
                total_seconds=total_seconds, stations=stats, constructed_by="stations",
            )  # fmt: skip
    if labels is None:
        labels = districts(problem.places, problem.district_size)
    index = {p.id: i for i, p in enumerate(problem.places)}
    jobs: list[tuple[list[int], list[int], list[int]]] = []
    for d in sorted(set(labels.tolist())):
        place_ids = [int(i) for i in np.flatnonzero(labels == d)]
        unit_ids = [u for u, unit in enumerate(problem.units) if labels[index[unit.base]] == d]
        jobs.extend((place_ids, unit_ids, block) for block in day_blocks(problem))
    options: dict[str, bool | int | float | str] = {
        "mip_rel_gap": relative_gap,
        "threads": 1,
        "random_seed": 1,
        "mip_heuristic_effort": 0.5,
    }
    deadline = started + time_limit
    results: list[DistrictResult | None] = [None] * len(jobs)

    def limited(n_left: int) -> dict[str, bool | int | float | str]:
        """A job's time: a fair share of what is left, up to three times that when others
        finish early, never past the deadline."""
        left = max(0.5, deadline - time.perf_counter())
        share = left * max(1, workers) / max(1, n_left)
        return {**options, "time_limit": max(0.5, min(left, 3 * share))}

    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(problem,)) as pool:
            running: dict[Future[DistrictResult], int] = {}
            queue = list(range(len(jobs)))
            while queue or running:
                while queue and len(running) < workers:
                    n = queue.pop(0)
                    place_ids, unit_ids, block = jobs[n]
                    job_options = limited(len(queue) + len(running) + 1)
                    future = pool.submit(_solve_in_worker, place_ids, unit_ids, job_options, block)
                    running[future] = n
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    results[running.pop(future)] = future.result()
    else:
        for n, (place_ids, unit_ids, block) in enumerate(jobs):
            results[n] = _solve_district(
                problem, place_ids, unit_ids, limited(len(jobs) - n), block
            )
    finished = [r for r in results if r is not None]
    seconds = time.perf_counter() - started
    visits = [v for r in finished for v in r.visits]
    milp_objective = sum(r.objective for r in finished)
    bound = sum(r.bound for r in finished)
    if not math.isfinite(bound):
        gap: float | None = None  # some district found no plan in time
    else:
        gap = (bound - milp_objective) / bound if bound > 0 else 0.0
    if built is not None and (gap is None or built[1] > covered_demand(problem, visits)):
        # the stations' plan covers more, or some district found no plan in time (its units
        # would only stay at base, missing its hot cells and rushes)
        return _improve(
            problem, built[0], started, finished, 0.0, built[2].mclp_bound, workers=workers,
            reroute_seconds=reroute_seconds, lns_seconds=lns_seconds,
            total_seconds=total_seconds, stations=built[2], constructed_by="stations",
        )  # fmt: skip
    return _improve(
        problem, visits, started, finished, milp_objective, bound, gap=gap, workers=workers,
        reroute_seconds=reroute_seconds, lns_seconds=lns_seconds, total_seconds=total_seconds,
        stations=None if built is None else built[2], seconds=seconds,
    )  # fmt: skip


def _improve(
    problem: Problem,
    visits: list[tuple[int, int, int]],
    started: float,
    finished: list[DistrictResult],
    milp_objective: float,
    bound: float,
    *,
    gap: float | None = None,
    workers: int,
    reroute_seconds: float,
    lns_seconds: float,
    total_seconds: float | None,
    stations: stations_mod.Stats | None,
    seconds: float | None = None,
    constructed_by: str = "districts",
) -> Solution:
    """Re-routing, then the LNS, on a constructed plan; the Solution."""
    if seconds is None:  # the stations' construction: its MCLPs' bound and gap
        seconds = time.perf_counter() - started
        assert stations is not None
        milp_objective = stations.mclp_objective
        gap = (bound - milp_objective) / bound if 0 < bound < math.inf else None
        gap = 0.0 if bound == 0 else gap
    district_objective = covered_demand(problem, visits)
    timeline = [(time.perf_counter() - started, district_objective)]
    if total_seconds is not None and reroute_seconds + lns_seconds > 0:
        # what is left, less the time to start the search's workers and write the plan
        left = max(0.0, total_seconds - (time.perf_counter() - started) - FINISH_SECONDS)
        scale = min(1.0, left / (reroute_seconds + lns_seconds))
        reroute_seconds, lns_seconds = reroute_seconds * scale, lns_seconds * scale
    passes = 0
    objective = district_objective
    if reroute_seconds > 0:
        from vigil.patrol.improve import reroute

        deadline = time.perf_counter() + reroute_seconds
        improved, passes = reroute(problem, visits, deadline=deadline)
        objective = covered_demand(problem, improved)
        timeline.append((time.perf_counter() - started, objective))
        rng = np.random.default_rng(0)
        index = _place_index(problem)
        bases = np.array([index[unit.base] for unit in problem.units])
        size = max(2, len(problem.units) // 6)
        fruitless = 0
        while time.perf_counter() < deadline and fruitless < FRUITLESS_KICKS:
            # a kick: rebuild the routes of the units based nearest a random one, in random
            # order (keeping the hot-cell and rush groups the plan meets), improve, keep better
            centre = bases[rng.integers(len(bases))]
            nearest = np.argsort(problem.travel_minutes[centre, bases], kind="stable")[:size]
            order = rng.permutation(nearest).tolist()
            tried, more = reroute(problem, improved, deadline=deadline, rebuild=order)
            passes += more
            fruitless += 1
            if covered_demand(problem, tried) > objective + 1e-9:
                improved, objective, fruitless = tried, covered_demand(problem, tried), 0
                timeline.append((time.perf_counter() - started, objective))
        visits = improved
    rerouted = objective
    moves = improving = 0
    if lns_seconds > 0:
        from vigil.patrol import lns

        if workers > 1:
            searched, stats = lns.search_parallel(
                problem, visits, seconds=lns_seconds, workers=workers
            )
        else:
            searched, stats = lns.search(
                problem, visits, deadline=time.perf_counter() + lns_seconds
            )
        found = covered_demand(problem, searched)
        moves, improving = stats.moves, stats.improving
        if found >= objective:  # never worse; the search keeps every met group
            visits, objective = searched, found
            timeline.append((time.perf_counter() - started, objective))
    plan = to_plan(problem, visits, objective, bound, gap)
    return Solution(
        plan, objective, milp_objective, bound, gap, seconds, finished, district_objective,
        passes, rerouted, moves, improving, stations, constructed_by, timeline,
    )  # fmt: skip


def visit_offset(problem: Problem, u: int, p: int, b: int) -> float:
    """Minutes after its band's start that a visit starts: in the band a shift starts with,
    the time to come from the base (0 at the base itself); else 0."""
    unit = problem.units[u]
    start = problem.bands[b].start
    if any(shift.start == start for shift in unit.shifts):
        base = _place_index(problem)[unit.base]
        return float(problem.travel_minutes[base, p] * problem.reference_speed_kmh / unit.speed_kmh)
    return 0.0


def to_plan(
    problem: Problem,
    visits: Sequence[tuple[int, int, int]],
    objective: float,
    bound: float | None,
    gap: float | None,
    randomised: fmt.Randomised | None = None,
) -> fmt.Plan:
    dwell = timedelta(minutes=problem.dwell_minutes)
    assignments = []
    for u, p, b in sorted(visits, key=lambda v: (v[0], v[2])):
        start: datetime = problem.bands[b].start + timedelta(minutes=visit_offset(problem, u, p, b))
        assignments.append(
            fmt.Assignment(
                unit=problem.units[u].code,
                place=problem.places[p].id,
                start=start,
                end=start + dwell,
            )
        )
    demand = [
        fmt.Demand(
            place=problem.places[p].id, band=int(b), value=round(float(problem.demand[p, b]), 9)
        )
        for p, b in zip(*np.nonzero(problem.demand), strict=True)
    ]
    return fmt.Plan(
        week=problem.week,
        places=problem.places,
        bands=problem.bands,
        units=problem.units,
        travel=fmt.Travel(
            reference_speed_kmh=problem.reference_speed_kmh,
            place_ids=[p.id for p in problem.places],
            minutes=[[round(float(v), 6) for v in row] for row in problem.travel_minutes],
        ),
        demand=demand,
        rules=problem.rules,
        assignments=assignments,
        objective=objective,
        bound=bound if bound is not None and math.isfinite(bound) else None,
        gap=gap,
        randomised=randomised,
    )
