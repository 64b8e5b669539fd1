"""The patrol demo step after the units step: a week's plan for the demo city's key places,
checked, approved by the supervisor, published, and its files written."""

from __future__ import annotations

import json

import icalendar
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from vigil.demo import patrol_demo, units_demo
from vigil.demo.scenario import seed_city
from vigil.patrol.checker import check
from vigil.patrol.models import PatrolPlan, PatrolPlanUnit
from vigil.patrol.plan import Plan

pytestmark = pytest.mark.storage


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_demo_step_publishes_a_checked_week_and_writes_a_unit_pdf(runtime, tmp_path) -> None:
    city = seed_city(runtime)
    units_demo.run(runtime, city, out_dir=tmp_path / "units")
    lines = patrol_demo.run(runtime, city, out_dir=tmp_path / "patrol")
    assert any("checker: PASS" in line for line in lines), lines
    with runtime.unit_of_work() as session:
        plan = session.scalar(select(PatrolPlan))
        assert plan is not None and plan.status == "published"
        assert plan.approved_by == "user:supervisor" and plan.proposed_by == "user:analyst"
        assigned = session.scalars(select(PatrolPlanUnit)).all()
    document = Plan.model_validate(json.loads((tmp_path / "patrol" / "plan.json").read_text()))
    assert check(document).ok
    assert len(assigned) == len({a.unit for a in document.assignments})
    pdfs = list((tmp_path / "patrol").glob("*.pdf"))
    assert len(pdfs) == 1
    unit = pdfs[0].stem
    text = "".join(page.extract_text() for page in PdfReader(pdfs[0]).pages)
    assert unit in text
    ics = icalendar.Calendar.from_ical((tmp_path / "patrol" / f"{unit}.ics").read_bytes())
    assert len(ics.walk("VEVENT")) == sum(1 for a in document.assignments if a.unit == unit)
