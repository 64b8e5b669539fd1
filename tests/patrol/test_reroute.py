"""Re-routing units over the whole city after the district MILPs: coverage never falls,
units leave their districts where that pays, and the independent checker still passes."""

from __future__ import annotations

import time

import numpy as np
import pytest

from vigil.patrol import checker, coverage, improve, synthetic


@pytest.fixture(scope="module")
def problem() -> coverage.Problem:
    return synthetic.city(80, 16, 48, seed=5, district_size=15)


def test_rerouted_plan_covers_at_least_as_much_and_passes_the_checker(problem) -> None:
    solution = coverage.solve(
        problem, time_limit=60, relative_gap=0.01, workers=1, reroute_seconds=3
    )
    assert solution.objective >= solution.district_objective - 1e-9
    report = checker.check(solution.plan)
    assert report.ok, report.violations[:5]
    assert report.objective == pytest.approx(solution.objective, rel=1e-9)


def test_each_pass_keeps_every_met_hot_and_rush_group(problem) -> None:
    districts = coverage.solve(problem, time_limit=60, relative_gap=0.01, workers=1)
    visits = [
        (u, p, b)
        for r in districts.districts
        for (u, p, b) in r.visits  # the district plans, before any re-routing
    ]
    before = coverage.covered_demand(problem, visits)
    after_visits, passes = improve.reroute(
        problem, visits, deadline=time.perf_counter() + 30, max_passes=1
    )
    assert passes == 1
    assert coverage.covered_demand(problem, after_visits) >= before - 1e-9
    # one visit per on-shift band, as before
    assert sorted((u, b) for u, _, b in after_visits) == sorted((u, b) for u, _, b in visits)
    plan = coverage.to_plan(
        problem, after_visits, coverage.covered_demand(problem, after_visits), None, None
    )
    assert checker.check(plan).ok


def test_a_unit_moves_to_uncovered_demand_across_a_border(problem) -> None:
    """Demand only at the place farthest from every base: some unit leaves to cover it."""
    idx = coverage._place_index(problem)
    bases = [idx[u.base] for u in problem.units]
    focus = int(np.argmax(problem.travel_minutes[:, bases].min(axis=1)))
    demand = np.zeros_like(problem.demand)
    demand[focus, 20:30] = 10.0
    lonely = coverage.Problem(**{**problem.__dict__, "demand": demand})
    visits = [
        (u, idx[lonely.units[u].base], b)
        for u in range(len(lonely.units))
        for run in improve._shift_runs(lonely, u)
        for b, _, _ in run
    ]
    assert coverage.covered_demand(lonely, visits) == 0
    rerouted, _ = improve.reroute(lonely, visits, deadline=time.perf_counter() + 30)
    assert coverage.covered_demand(lonely, rerouted) == pytest.approx(100.0)
