"""The large-neighbourhood search: one move re-solves the freed units' routes to the optimum
that brute force over every route pair finds (feasibility judged by the independent checker),
it never loses coverage or a met group, and it repairs a group that no visit meets."""

from __future__ import annotations

import itertools
import time
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from vigil.patrol import checker, coverage, lns, synthetic
from vigil.patrol import plan as fmt

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=timezone(timedelta(hours=8)))


def _tiny(seed: int, n_places: int = 5, n_bands: int = 3) -> coverage.Problem:
    """Two bike teams on one 90-minute shift among a handful of places 1-12 minutes apart."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 5, size=(n_places, 2))
    travel = np.round(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) * 2.5, 3)
    places = [
        fmt.Place(id=f"P{i}", name=f"Place {i}", kind="other", lat=31.2 + xy[i, 1] / 100,
                  lon=121.4 + xy[i, 0] / 100, need=int(rng.integers(1, 3)))
        for i in range(n_places)
    ]  # fmt: skip
    bands = [
        fmt.Band(index=b, start=T0 + timedelta(minutes=30 * b),
                 end=T0 + timedelta(minutes=30 * (b + 1)))
        for b in range(n_bands)
    ]  # fmt: skip
    shift = fmt.Shift(start=T0, end=T0 + timedelta(minutes=30 * n_bands))
    units = [
        fmt.Unit(code=f"U{u}", type="bike", shifts=[shift], base=f"P{int(rng.integers(n_places))}",
                 speed_kmh=15.0, capacity=int(rng.integers(1, 3)))
        for u in range(2)
    ]  # fmt: skip
    demand = np.round(rng.uniform(0, 10, size=(n_places, n_bands)), 3)
    return coverage.Problem(
        week="2026-W50",
        places=places,
        bands=bands,
        units=units,
        travel_minutes=travel,
        reference_speed_kmh=30.0,
        demand=demand,
        rules=fmt.Rules(cover_minutes=2.0),
    )


def _feasible_routes(problem: coverage.Problem, u: int) -> list[tuple[int, ...]]:
    """Every one-visit-per-band route of unit u that the checker accepts on its own."""
    n_places, n_bands = problem.demand.shape
    out = []
    for route in itertools.product(range(n_places), repeat=n_bands):
        visits = [(u, p, b) for b, p in enumerate(route)]
        plan = coverage.to_plan(
            problem, visits, coverage.covered_demand(problem, visits), None, None
        )
        if checker.check(plan).ok:
            out.append(route)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_a_move_finds_the_brute_force_optimum_of_two_units(seed: int) -> None:
    problem = _tiny(seed)
    routes = [_feasible_routes(problem, u) for u in range(2)]
    assert all(routes), "each unit can at least stay at its base"
    best = max(
        coverage.covered_demand(
            problem, [(0, p, b) for b, p in enumerate(r0)] + [(1, p, b) for b, p in enumerate(r1)]
        )
        for r0 in routes[0]
        for r1 in routes[1]
    )
    finder = lns.Search(problem)
    start = {u: {b: p for b, p in enumerate(routes[u][0])} for u in range(2)}
    start_visits = lns._flatten(start)
    before = coverage.covered_demand(problem, start_visits)
    found = finder.move(
        start, [0, 1], np.arange(problem.demand.shape[0]), set(range(3)), set(), time_limit=30
    )
    if found is None:
        assert before == pytest.approx(best, abs=1e-6)
        return
    new_routes, gain, repaired = found
    visits = lns._flatten({**start, **new_routes})
    after = coverage.covered_demand(problem, visits)
    assert after == pytest.approx(best, abs=1e-6)
    assert gain == pytest.approx(after - before, abs=1e-6) and repaired == 0
    assert checker.check(coverage.to_plan(problem, visits, after, None, None)).ok


@pytest.fixture(scope="module")
def city() -> tuple[coverage.Problem, list[tuple[int, int, int]]]:
    problem = synthetic.city(80, 16, 48, seed=5, district_size=15)
    solution = coverage.solve(problem, time_limit=60, relative_gap=0.01, workers=1)
    return problem, [v for r in solution.districts for v in r.visits]


def test_search_never_loses_coverage_or_a_met_group(city) -> None:
    problem, visits = city
    before = coverage.covered_demand(problem, visits)
    start_plan = coverage.to_plan(problem, visits, before, None, None)
    assert checker.check(start_plan).ok
    improved, stats = lns.search(problem, visits, deadline=time.perf_counter() + 8)
    after = coverage.covered_demand(problem, improved)
    assert stats.moves > 0
    assert after >= before - 1e-9
    assert after == pytest.approx(before + stats.gain, abs=1e-6)
    assert sorted((u, b) for u, _, b in improved) == sorted((u, b) for u, _, b in visits)
    report = checker.check(coverage.to_plan(problem, improved, after, None, None))
    assert report.ok, report.violations[:3]


def test_parallel_search_by_clusters_passes_the_checker(city) -> None:
    problem, visits = city
    before = coverage.covered_demand(problem, visits)
    improved, stats = lns.search_parallel(problem, visits, seconds=8, workers=2)
    after = coverage.covered_demand(problem, improved)
    assert after >= before - 1e-9 and stats.moves > 0
    report = checker.check(coverage.to_plan(problem, improved, after, None, None))
    assert report.ok, report.violations[:3]


def test_a_group_no_visit_meets_is_repaired(city) -> None:
    """Take away every visit to one hot cell while it is hot (the checker then fails): the
    search puts a visit back in each 2-hour stretch, ahead of any coverage."""
    problem, visits = city
    hot = next(p for p, place in enumerate(problem.places) if place.hot)
    groups = coverage._hot_windows(problem, problem.places[hot])
    hot_bands = {b for g in groups for b in g}
    index = coverage._place_index(problem)
    broken = [
        (u, index[problem.units[u].base] if p == hot and b in hot_bands else p, b)
        for u, p, b in visits
    ]
    plan = coverage.to_plan(problem, broken, coverage.covered_demand(problem, broken), None, None)
    assert "revisit" in checker.check(plan).kinds()
    finder = lns.Search(problem)
    route = lns._routes(broken)
    repaired = 0
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        scope = next(set(c) for c in finder.clusters if hot_bands & set(c))
        on_duty = [u for u in range(len(problem.units)) if finder.run_in(u, scope)]
        order = np.argsort(
            problem.travel_minutes[hot, [index[problem.units[u].base] for u in on_duty]]
        )
        freed = [on_duty[int(k)] for k in order[:3]]
        region = np.argsort(problem.travel_minutes[hot])[:30]
        found = finder.move(route, freed, region, scope, set(), time_limit=10)
        if found is None:
            break
        new_routes, _, newly = found
        for u, by_band in new_routes.items():
            route[u].update(by_band)
        repaired += newly
        fixed = lns._flatten(route)
        plan = coverage.to_plan(problem, fixed, coverage.covered_demand(problem, fixed), None, None)
        if "revisit" not in checker.check(plan).kinds():
            break
    assert repaired > 0
    assert checker.check(plan).ok, checker.check(plan).violations[:3]
