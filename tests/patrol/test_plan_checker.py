"""The coverage MILP's plans pass the independent checker; seeded violations fail it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from vigil.patrol import checker, coverage, synthetic
from vigil.patrol import plan as fmt


@pytest.fixture(scope="module")
def solved() -> coverage.Solution:
    problem = synthetic.city(60, 15, 48, seed=4, district_size=25)
    return coverage.solve(problem, time_limit=60, relative_gap=0.01, workers=1)


def _with(plan: fmt.Plan, assignments: list[fmt.Assignment]) -> fmt.Plan:
    return plan.model_copy(update={"assignments": assignments})


def _unit_visits(plan: fmt.Plan, code: str) -> list[int]:
    return sorted(
        (i for i, a in enumerate(plan.assignments) if a.unit == code),
        key=lambda i: plan.assignments[i].start,
    )


def test_the_solver_plan_passes_and_round_trips(solved: coverage.Solution, tmp_path: Path) -> None:
    plan = solved.plan
    assert plan.assignments and solved.gap <= 0.01
    assert all(r.shortfall == 0 for r in solved.districts)
    report = checker.check(plan)
    assert report.ok, report.violations
    assert report.objective == pytest.approx(solved.objective, rel=1e-9)
    assert report.objective >= solved.milp_objective - 1e-6
    path = tmp_path / "plan.json"
    fmt.dump(plan, path)
    again = checker.check_file(path)
    assert again.ok and again.objective == pytest.approx(report.objective, rel=1e-9)
    # every hot cell is visited while hot, every key place near its opening
    hot = [p for p in plan.places if p.hot]
    assert hot and all(any(a.place == p.id for a in plan.assignments) for p in hot)


def test_overlapping_visits_fail(solved: coverage.Solution) -> None:
    plan = solved.plan
    first, second = _unit_visits(plan, plan.units[0].code)[:2]
    moved = list(plan.assignments)
    start = moved[first].start + timedelta(minutes=5)
    moved[second] = moved[second].model_copy(
        update={"start": start, "end": start + timedelta(minutes=12)}
    )
    assert "overlap" in checker.check(_with(plan, moved)).kinds()


def test_impossible_travel_fails(solved: coverage.Solution) -> None:
    plan = solved.plan
    foot = min(plan.units, key=lambda u: u.speed_kmh)
    first, second = _unit_visits(plan, foot.code)[4:6]
    moved = list(plan.assignments)
    row = plan.travel.place_ids.index(moved[first].place)
    farthest = plan.travel.place_ids[int(np.argmax(plan.travel.minutes[row]))]
    moved[second] = moved[second].model_copy(update={"place": farthest})
    assert "travel" in checker.check(_with(plan, moved)).kinds()


def test_a_short_dwell_fails(solved: coverage.Solution) -> None:
    plan = solved.plan
    moved = list(plan.assignments)
    moved[3] = moved[3].model_copy(update={"end": moved[3].start + timedelta(minutes=6)})
    assert checker.check(_with(plan, moved)).kinds() >= {"dwell"}


def test_a_hot_cell_left_unvisited_fails(solved: coverage.Solution) -> None:
    plan = solved.plan
    place = next(p for p in plan.places if p.hot)
    window = place.hot[0]
    kept = [
        a
        for a in plan.assignments
        if not (a.place == place.id and window.start <= a.start < window.start + timedelta(hours=3))
    ]
    assert len(kept) < len(plan.assignments)
    assert "revisit" in checker.check(_with(plan, kept)).kinds()


def test_a_visit_past_the_shift_fails(solved: coverage.Solution) -> None:
    plan = solved.plan
    unit = plan.units[1]
    last = _unit_visits(plan, unit.code)[-1]
    moved = list(plan.assignments)
    start = unit.shifts[0].end - timedelta(minutes=4)
    moved[last] = moved[last].model_copy(
        update={"start": start, "end": start + timedelta(minutes=12)}
    )
    assert "shift" in checker.check(_with(plan, moved)).kinds()


def test_a_wrong_objective_and_a_missed_rush_fail(solved: coverage.Solution) -> None:
    plan = solved.plan
    inflated = plan.model_copy(update={"objective": plan.objective * 1.01})
    assert checker.check(inflated).kinds() == {"objective"}
    key = next(p for p in plan.places if p.key)
    kept = [a for a in plan.assignments if a.place != key.id]
    assert "rush" in checker.check(_with(plan, kept)).kinds()


def test_a_travel_matrix_by_reference_is_checked(solved: coverage.Solution, tmp_path: Path) -> None:
    plan = solved.plan
    assert plan.travel.minutes is not None
    matrix = tmp_path / "travel.csv"
    matrix.write_text("\n".join(",".join(repr(v) for v in row) for row in plan.travel.minutes))
    travel = plan.travel.model_copy(
        update={"minutes": None, "path": "travel.csv", "sha256": fmt.file_sha256(matrix)}
    )
    by_reference = plan.model_copy(update={"travel": travel})
    fmt.dump(by_reference, tmp_path / "plan.json")
    assert checker.check_file(tmp_path / "plan.json").ok
    matrix.write_text(matrix.read_text().replace(",", ",1", 1))
    assert checker.check_file(tmp_path / "plan.json").kinds() == {"travel_matrix"}
