"""The city-wide stations construction: its MCLP against brute force, the interchange's local
optimum, and whole plans that the independent checker passes with every group met."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from scipy import sparse

from vigil.patrol import checker, coverage, highs, improve, stations, synthetic


def _tiny(seed: int) -> tuple[dict[int, sparse.csr_matrix], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 12
    xy = rng.uniform(0, 4, size=(n, 2))
    near = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) <= 1.3
    need = rng.integers(1, 3, n)
    by_class = {c: sparse.csr_matrix(near & (need[None, :] <= c)) for c in (1, 2)}
    return by_class, rng.uniform(0, 5, n), need


def _value(by_class: dict[int, sparse.csr_matrix], weight: np.ndarray, chosen) -> float:
    covered = np.zeros(len(weight), dtype=bool)
    for c, qs in chosen.items():
        for q in qs:
            covered[by_class[c][q].indices] = True
    return float(weight[covered].sum())


def _brute(by_class, weight, counts) -> float:
    n = len(weight)
    best = 0.0
    for ones in itertools.combinations(range(n), counts[1]):
        for twos in itertools.combinations(range(n), counts[2]):
            best = max(best, _value(by_class, weight, {1: ones, 2: twos}))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_mclp_matches_brute_force_and_beats_greedy(seed: int) -> None:
    by_class, weight, _ = _tiny(seed)
    counts = {1: 1, 2: 2}
    sites = {c: np.ones(len(weight)) for c in counts}
    chosen, value, bound, greedy = stations._mclp(by_class, weight, counts, sites, 5.0)
    assert sorted(len(qs) for qs in chosen.values()) == [1, 2]
    assert value == pytest.approx(_value(by_class, weight, chosen))
    assert value == pytest.approx(_brute(by_class, weight, counts))
    assert bound >= value - 1e-9
    assert value >= greedy - 1e-9


def test_mclp_uses_only_the_sites_allowed() -> None:
    by_class, weight, _ = _tiny(1)
    counts = {1: 1, 2: 2}
    sites = {c: np.zeros(len(weight)) for c in counts}
    sites[1][[0, 1]] = 1.0
    sites[2][[2, 3, 4]] = 1.0
    chosen, _, _, _ = stations._mclp(by_class, weight, counts, sites, 5.0)
    assert set(chosen[1]) <= {0, 1}
    assert set(chosen[2]) <= {2, 3, 4}


@pytest.mark.parametrize("seed", range(4))
def test_interchange_ends_where_no_single_move_covers_more(seed: int) -> None:
    by_class, weight, _ = _tiny(seed + 10)
    counts = {1: 2, 2: 1}
    greedy, greedy_value = stations._greedy(by_class, weight, counts)
    swapped, value = stations._interchange(by_class, weight, greedy, time.perf_counter() + 10)
    assert value == pytest.approx(_value(by_class, weight, swapped))
    assert value >= greedy_value - 1e-9
    for c, qs in swapped.items():
        for i in range(len(qs)):
            for q in range(len(weight)):
                moved = {k: list(v) for k, v in swapped.items()}
                moved[c][i] = q
                assert _value(by_class, weight, moved) <= value + 1e-9


@pytest.fixture(scope="module")
def problem() -> coverage.Problem:
    return synthetic.city(80, 16, 48, seed=5, district_size=15)


def _checked(problem: coverage.Problem, visits) -> checker.Report:
    plan = coverage.to_plan(problem, visits, coverage.covered_demand(problem, visits), None, None)
    return checker.check(plan)


def test_constructed_plan_passes_the_checker_with_every_group_met(problem) -> None:
    visits, stats = stations.construct(problem, seconds=5)
    report = _checked(problem, visits)
    assert report.ok, report.violations[:5]
    assert stats.unmet == 0
    assert stats.repaired > 0  # the synthetic city's hot cells need detours
    assert stats.unplaced == 0
    # one visit per on-shift band of every unit
    wanted = sorted(
        (u, b)
        for u in range(len(problem.units))
        for run in improve._shift_runs(problem, u)
        for b, _, _ in run
    )
    assert sorted((u, b) for u, _, b in visits) == wanted
    assert stats.mclp_bound >= stats.mclp_objective - 1e-6
    assert stats.mclp_objective >= stats.greedy_objective - 1e-6


def test_slow_units_hold_stations_they_can_reach_and_the_plan_passes() -> None:
    """Foot teams (two districts of twenty units) can hold only stations near their base:
    each holds one it can reach within a band's travel, and the plan still passes."""
    city = synthetic.city(80, 40, 48, seed=3, district_size=40)
    foot = [u for u, unit in enumerate(city.units) if unit.type == "foot"]
    assert foot
    visits, stats = stations.construct(city, seconds=5)
    assert stats.unplaced == 0
    report = _checked(city, visits)
    assert report.ok, report.violations[:5]
    index = coverage._place_index(city)
    slack = 30 - city.dwell_minutes
    for u in foot:
        mine = [p for v, p, _ in visits if v == u]
        held = max(set(mine), key=mine.count)  # its station (detours aside)
        assert mine.count(held) > len(mine) // 2
        minutes = city.unit_minutes(city.units[u])
        assert minutes[index[city.units[u].base], held] <= slack + 1e-9


def test_repair_meets_a_hot_cell_no_station_visits(problem) -> None:
    """Every place hot all day: each needs a visit at least every four bands."""
    start, end = problem.bands[0].start, problem.bands[-1].end
    hot = [
        p.model_copy(update={"hot": [coverage.fmt.HotWindow(start=start, end=end)]})
        if i in (3, 40)
        else p.model_copy(update={"hot": []})
        for i, p in enumerate(problem.places)
    ]
    city = coverage.Problem(**{**problem.__dict__, "places": hot})
    visits, _ = stations.construct(city, seconds=5)
    report = _checked(city, visits)
    assert report.ok, report.violations[:5]
    assert "revisit" not in report.kinds()
    at = {(p, b) for _, p, b in visits}
    for place in (3, 40):
        bands = sorted(b for p, b in at if p == place)
        assert bands and bands[0] <= 3 and max(np.diff([*bands, 48])) <= 4


@pytest.mark.parametrize("construction", ["stations", "best"])
def test_solve_with_the_construction_passes_and_never_loses_coverage(
    problem, construction: str
) -> None:
    solution = coverage.solve(
        problem,
        time_limit=30,
        workers=1,
        reroute_seconds=2,
        construction=construction,
        stations_seconds=5,
    )
    assert solution.stations is not None
    report = checker.check(solution.plan)
    assert report.ok, report.violations[:5]
    assert solution.objective >= solution.district_objective - 1e-9
    assert solution.constructed_by in (("stations",) if construction == "stations" else
                                       ("stations", "districts"))  # fmt: skip


def test_unknown_construction_is_refused(problem) -> None:
    with pytest.raises(ValueError, match="construction"):
        coverage.solve(problem, construction="magic")


def test_highs_hands_back_no_vector_without_a_feasible_solution() -> None:
    """An infeasible MILP (an integer x with x = 0.5): HiGHS still fills a vector of zeros,
    which the district MILPs once took for a plan with no visits; the door now empties it."""
    solved = highs.solve(
        [1.0], sparse.csr_matrix([[1.0]]), [0.5], [0.5], [0.0], [1.0],
        integer=[True], maximise=True,
    )  # fmt: skip
    assert len(solved.x) == 0
    feasible = highs.solve(
        [1.0], sparse.csr_matrix([[1.0]]), [0.0], [1.0], [0.0], [1.0],
        integer=[True], maximise=True,
    )  # fmt: skip
    assert feasible.x.tolist() == [1.0]
