"""Benchmark: the patrol coverage plan on a city of 1,000 places x 48 half-hour bands x 200 units.

Two constructions (`--construction`, default stations):
- districts: every district's MILP with HiGHS to a 1 % relative gap on two worker processes
  (one thread each); the gap printed for them is the district MILPs' (units kept in their
  district), not a bound on every plan;
- stations: the city-wide construction (vigil.patrol.stations): a type-aware MCLP per shift
  run (greedy, vertex substitution, HiGHS, then a large-neighbourhood search on the MCLP),
  stations assigned to units, one-band detours for hot cells and rushes;
- best: both, the one that covers more is improved (the district MILPs cost time).
Then the plan is re-routed over the whole city (vigil.patrol.improve) and improved by the
large-neighbourhood search on two workers (vigil.patrol.lns), all within `--total` seconds;
the independent checker runs on the plan, and the coverage is compared with a baseline on the
same instance in the same run: the greedy maximal covering location problem (MCLP, Church &
ReVelle 1974) per band, which places as many units as are on duty anywhere in the city and
ignores team size, travel, shifts, dwell, hot-cell revisits and rushes.
--bounds adds an LP upper bound on any plan's coverage, the whole-city gap, and the time at
which the plan first came within 1 % of that bound.
Usage: python bench/patrol.py [--places 1000] [--units 200] [--bands 48] [--seed 1]
       [--construction stations|districts|best] [--stations-seconds 15] [--limit 60]
       [--reroute 25] [--lns 25] [--total 60] [--dwell 12] [--rush 60] [--bounds]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from vigil.patrol import checker, coverage, synthetic


def on_duty(problem: coverage.Problem) -> np.ndarray:
    counts = np.zeros(len(problem.bands), dtype=int)
    for unit in problem.units:
        for b, band in enumerate(problem.bands):
            if any(s.start <= band.start < s.end for s in unit.shifts):
                counts[b] += 1
    return counts


def greedy_mclp(near: sparse.csr_matrix, demand: np.ndarray, sites: np.ndarray) -> float:
    """near[q, p] = site q covers place p. Per band, add the site with the largest new demand."""
    total = 0.0
    for b in range(demand.shape[1]):
        left = demand[:, b].copy()
        for _ in range(int(sites[b])):
            gain = near @ left
            q = int(np.argmax(gain))
            if gain[q] <= 0:
                break
            total += float(gain[q])
            left[near[q].indices] = 0.0
    return total


def lp_bound(problem: coverage.Problem, *, start_at_base: bool) -> float:
    """An upper bound on the coverage of any plan: per band, the LP relaxation of the MCLP with
    the units on duty (ignoring travel between bands, team size, hot cells and rushes). With
    `start_at_base`, the units whose shift starts in the band are at their base (a bound only
    for plans whose visits all start at band starts, as the district MILP's do)."""
    n = len(problem.places)
    near = sparse.csr_matrix(
        (problem.travel_minutes <= problem.rules.cover_minutes + 1e-9).astype(float)
    )  # near[q, p]: a unit at q covers p
    covers = near.T.tocsr()
    index = {p.id: i for i, p in enumerate(problem.places)}
    total = 0.0
    for b, band in enumerate(problem.bands):
        on = [u for u in problem.units if any(s.start <= band.start < s.end for s in u.shifts)]
        fixed = [u for u in on if any(s.start == band.start for s in u.shifts)]
        demand = problem.demand[:, b]
        covered = np.zeros(n, dtype=bool)
        free = len(on)
        if start_at_base:
            for unit in fixed:
                covered[near[index[unit.base]].indices] = True
            free -= len(fixed)
        rest = np.flatnonzero(~covered & (demand > 0))
        m = len(rest)
        # variables: x[q] (units at q, 0..1), y[p] (p covered, 0..1); y[p] <= sum x[q] near p
        a_cover = sparse.hstack([-covers[rest], sparse.identity(m)])
        a_units = sparse.csr_matrix(np.r_[np.ones(n), np.zeros(m)][None, :])
        answer = linprog(
            np.r_[np.zeros(n), -demand[rest]],
            A_ub=sparse.vstack([a_cover, a_units]).tocsr(),
            b_ub=np.r_[np.zeros(m), free],
            bounds=(0, 1),
            method="highs",
        )
        total += float(demand[covered].sum()) - float(answer.fun)
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--bands", type=int, default=48)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--district-size", type=int, default=25)
    parser.add_argument("--reroute", type=float, default=25.0, help="seconds of re-routing")
    parser.add_argument("--lns", type=float, default=25.0, help="seconds of LNS (2 workers)")
    parser.add_argument(
        "--total",
        type=float,
        default=60.0,
        help="seconds for the whole plan (re-routing and "
        "LNS shrink in proportion when the MILPs take longer)",
    )
    parser.add_argument("--bounds", action="store_true", help="LP upper bound (about 20 s)")
    parser.add_argument("--seed", type=int, default=1, help="the synthetic city's seed")
    parser.add_argument(
        "--construction",
        choices=["districts", "stations", "best"],
        default="stations",
        help="district MILPs, the city-wide stations construction, or both (the better one "
        "is improved)",
    )
    parser.add_argument(
        "--stations-seconds", type=float, default=15.0, help="the stations' MCLPs' time"
    )
    parser.add_argument("--dwell", type=float, default=12.0, help="minutes per visit (10-16)")
    parser.add_argument(
        "--rush", type=float, default=None, help="half-width of a key place's rush, minutes"
    )
    args = parser.parse_args()

    problem = synthetic.city(
        args.places, args.units, args.bands, seed=args.seed, district_size=args.district_size
    )
    problem.dwell_minutes = args.dwell
    if args.rush is not None:
        problem.rules = problem.rules.model_copy(update={"rush_minutes": args.rush})
    total_demand = float(problem.demand.sum())
    print(
        f"city: {args.places} places x {args.bands} bands x {args.units} units; "
        f"{sum(1 for p in problem.places if p.hot)} hot cells, "
        f"{sum(1 for p in problem.places if p.key)} key places; total demand {total_demand:.1f}; "
        f"dwell {args.dwell:g} min, rush +-{problem.rules.rush_minutes:g} min"
    )
    started = time.perf_counter()
    solution = coverage.solve(
        problem,
        time_limit=args.limit,
        relative_gap=0.01,
        workers=2,
        reroute_seconds=args.reroute,
        lns_seconds=args.lns,
        total_seconds=args.total,
        construction=args.construction,
        stations_seconds=args.stations_seconds,
    )
    total_s = time.perf_counter() - started
    worst = max((r.seconds for r in solution.districts), default=0.0)
    built = solution.stations
    if built is not None:
        print(
            f"stations (city-wide MCLP per shift run, {built.groups} runs): MCLPs "
            f"{built.mclp_objective:.1f} (their bound {built.mclp_bound:.1f}; type-aware greedy "
            f"{built.greedy_objective:.1f}); {built.unplaced} units routed without a station, "
            f"{built.repaired} detours for hot cells and rushes, {built.unmet} groups unmet; "
            f"{built.seconds:.1f} s"
        )
    if solution.districts:
        print(
            f"district MILPs ({len(solution.districts)} districts, 2 workers): slowest district "
            f"{worst:.1f} s; statuses "
            f"{sorted({r.status for r in solution.districts})}; unmet hot/rush rows "
            f"{sum(r.shortfall for r in solution.districts):g}"
        )
    print(
        f"plan from the {solution.constructed_by} construction: coverage "
        f"{solution.objective:.1f} ({100 * solution.objective / total_demand:.2f} % of demand); "
        f"{solution.district_objective:.1f} as constructed in {solution.seconds:.1f} s (its "
        f"model: {solution.milp_objective:.1f}, bound {solution.bound:.1f}, gap "
        f"{'n/a' if solution.gap is None else f'{100 * solution.gap:.3f} %'}), "
        f"{solution.rerouted_objective:.1f} after {solution.reroute_passes} re-routing passes, "
        f"LNS {solution.lns_improving} of {solution.lns_moves} moves improving; whole plan "
        f"{total_s:.1f} s"
    )
    started = time.perf_counter()
    report = checker.check(solution.plan)
    print(
        f"checker: {'PASS' if report.ok else 'FAIL'} on {report.visits} visits, objective "
        f"{report.objective:.1f} ({time.perf_counter() - started:.2f} s) {report.violations[:3]}"
    )

    sites = on_duty(problem)
    near = sparse.csr_matrix(problem.travel_minutes <= problem.rules.cover_minutes + 1e-9)
    started = time.perf_counter()
    greedy = greedy_mclp(near, problem.demand, sites)
    greedy_s = time.perf_counter() - started
    print(
        f"baseline greedy MCLP per band: coverage {greedy:.1f} "
        f"({100 * greedy / total_demand:.2f} %) in {greedy_s:.1f} s"
    )
    print(f"coverage ratio plan / greedy MCLP = {solution.objective / greedy:.4f}")
    print(f"time ratio plan / greedy MCLP = {total_s / max(greedy_s, 1e-9):.0f} (same run)")
    if args.bounds:
        bound = lp_bound(problem, start_at_base=False)
        print(
            f"LP upper bound on any plan (per band, units anywhere; ignores travel, team size, "
            f"hot cells and rushes): {bound:.1f}; plan at {100 * solution.objective / bound:.2f} "
            f"% of it (whole-city gap <= {100 * (1 - solution.objective / bound):.2f} %), "
            f"greedy at {100 * greedy / bound:.2f} %"
        )
        within = [t for t, value in solution.timeline if value >= 0.99 * bound]
        print(
            f"time to a plan within 1 % of the LP bound: "
            f"{f'{within[0]:.1f} s' if within else 'not reached'}; final gap "
            f"{100 * (1 - solution.objective / bound):.2f} %"
        )


if __name__ == "__main__":
    main()
