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
