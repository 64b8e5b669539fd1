"""Exports parse back (iCalendar, PDF text with Chinese names); the CLI plans, checks, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from typer.testing import CliRunner

from vigil.cli import app
from vigil.patrol import coverage, exports, randomised, synthetic
from vigil.patrol import plan as fmt


@pytest.fixture(scope="module")
def plan() -> fmt.Plan:
    problem = synthetic.city(30, 6, 48, seed=5, district_size=25)
    solution = coverage.solve(problem, time_limit=60, workers=1)
    return solution.plan.model_copy(update={"randomised": randomised.randomise(problem, 1)})


def test_ical_per_unit_parses_back(plan: fmt.Plan) -> None:
    calendars = exports.to_ical(plan)
    assert set(calendars) == {a.unit for a in plan.assignments}
    code, data = next(iter(calendars.items()))
    events = Calendar.from_ical(data).walk("VEVENT")
    mine = sorted((a for a in plan.assignments if a.unit == code), key=lambda a: a.start)
    assert len(events) == len(mine)
    assert events[0].decoded("dtstart") == mine[0].start
    assert events[0].decoded("dtend") == mine[0].end
    names = {p.id: p.name for p in plan.places}
    assert str(events[0]["location"]) == names[mine[0].place]


def test_pdf_renders_chinese_place_names(plan: fmt.Plan) -> None:
    key = next(p for p in plan.places if p.key)
    visiting = next(a.unit for a in plan.assignments if a.place == key.id)
    data = exports.to_pdf(plan, [visiting])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert visiting in text
    assert key.name in text  # e.g. 人民广场站 12


def test_csv_lists_every_visit(plan: fmt.Plan) -> None:
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(plan))))
    assert len(rows) == len(plan.assignments)
    assert set(rows[0]) == {"unit", "place", "place_name", "kind", "lat", "lon", "start", "end"}


def test_randomised_schedules_follow_the_coverage(plan: fmt.Plan) -> None:
    chosen = plan.randomised
    assert chosen is not None and chosen.schedules
    assert all(len(s.places) <= chosen.resources for s in chosen.schedules)
    for band in {c.band for c in chosen.coverage}:
        total = sum(c.probability for c in chosen.coverage if c.band == band)
        assert total <= chosen.resources + 1e-6


def test_cli_plans_checks_and_exports(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "plan.json"
    args = ["patrol", "plan", "--week", "2026-W50", "--out", str(out), "--places", "26"]
    result = runner.invoke(app, [*args, "--units", "6", "--time-limit", "60"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["format"] == "vigil.patrol.plan"
    checked = runner.invoke(app, ["patrol", "check", str(out)])
    assert checked.exit_code == 0 and "PASS" in checked.output
    for kind in ("csv", "ical", "pdf"):
        exported = runner.invoke(app, ["patrol", "export", str(out), "--format", kind])
        assert exported.exit_code == 0, exported.output
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert list((tmp_path / "plan-ical").glob("*.ics"))
    broken = json.loads(out.read_text())
    broken["objective"] += 1.0
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    failed = runner.invoke(app, ["patrol", "check", str(tmp_path / "broken.json")])
    assert failed.exit_code == 1 and "objective" in failed.output


@pytest.mark.parametrize("week", ["2026-W99", "2026-W00", "2025-W53"])
def test_cli_refuses_a_week_the_year_does_not_have(tmp_path: Path, week: str) -> None:
    """2025 has 52 ISO weeks (2026 has 53): a week past the last, or week 0, is a usage
    error, not a traceback from the calendar."""
    args = ["patrol", "plan", "--week", week, "--out", str(tmp_path / "plan.json")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"{week} is not a week of that year" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "plan.json").exists()


def test_cli_names_the_first_problem_of_a_file_that_is_not_a_plan(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "vigil.patrol.plan"', encoding="utf-8")  # cut short
    result = CliRunner().invoke(app, ["patrol", "check", str(bad)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {bad} is not a plan: ")
    assert result.output.count("\n") == 1  # one line, however long
    assert "errors.pydantic.dev" not in result.output
