"""Demo step: the city's key places with opening hours and crowd counts (imported as CSV), the
units of the units step, and a week's patrol plan: proposed by the analyst, checked by the
independent checker, approved by the supervisor and published to its units. Writes the plan
(JSON), one unit's PDF and its iCalendar file to demo-output/patrol/."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import select

from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.demo.incidents import DEMO_PLACES
from vigil.governance import service as governance
from vigil.governance.access import AccessContext
from vigil.governance.models import User
from vigil.patrol import exports, service
from vigil.patrol.schemas import OpeningHoursIn, PlaceIn, PlanIn
from vigil.patrol.synthetic import HOURLY
from vigil.units.roads import cached_road_graph

DEMO_OUTPUT = Path("demo-output/patrol")
# place kind -> opening hours (every day) and crowd at its peak
HOURS = {
    "station": ("05:30", "23:00"),
    "mall": ("10:00", "22:00"),
    "market": ("06:00", "18:00"),
    "venue": ("12:00", "23:00"),
    "school": ("07:30", "17:00"),
}
PEAK = {"station": 2000, "mall": 1200, "market": 800, "venue": 1500, "school": 600}


def _staff(runtime: Runtime, username: str) -> AccessContext:
    with runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return governance.context_for_user(session, user)


def _crowd_csv(place_ids: list[tuple[int, str]]) -> bytes:
    """People counts per half hour (as a video counter would give): busiest at the rushes."""
    rng = np.random.default_rng(20)
    lines = ["place,weekday,band,count"]
    for pid, kind in place_ids:
        opens, closes = (int(h[:2]) * 2 + int(h[3:]) // 30 for h in HOURS[kind])
        for weekday in range(7):
            for band in range(48):
                if not opens <= band < closes:
                    continue
                rush = max(
                    np.exp(-(((band - opens - 2) / 3) ** 2)), np.exp(-(((band - 36) / 3) ** 2))
                )
                count = PEAK[kind] * (0.2 + 0.8 * rush) * rng.uniform(0.8, 1.2)
                lines.append(f"{pid},{weekday},{band},{count:.0f}")
    return ("\n".join(lines) + "\n").encode()


def _week() -> str:
    year, week, _ = date.today().isocalendar()
    return f"{year}-W{week:02d}"


def run(runtime: Runtime, city: DemoCity, *, out_dir: Path = DEMO_OUTPUT) -> list[str]:
    analyst = _staff(runtime, "analyst")
    supervisor = _staff(runtime, "supervisor")
    with runtime.unit_of_work() as session:
        stored = []
        for demo_place in DEMO_PLACES:
            kind = str(demo_place.place_type) if str(demo_place.place_type) in HOURS else "venue"
            opens, closes = HOURS[kind]
            place = service.create_place(
                session,
                analyst,
                PlaceIn(
                    name=demo_place.name,
                    kind=kind,
                    capacity=PEAK[kind],
                    latitude=demo_place.lat,
                    longitude=demo_place.lon,
                    is_key=True,
                    opening_hours=[
                        OpeningHoursIn(weekday=d, opens=opens, closes=closes) for d in range(7)
                    ],
                ),
            )
            stored.append((place.id, kind))
    with runtime.unit_of_work() as session:
        rows, _ = service.import_crowd(
            session, analyst, io.BytesIO(_crowd_csv(stored)), source="crowd-counts.csv"
        )
    lines = [f"{len(stored)} key places with opening hours; {rows} crowd counts imported (CSV)"]
    graph = cached_road_graph(runtime.settings.road_graph)
    week = _week()
    with runtime.unit_of_work() as session:
        plan = service.propose_plan(
            session,
            analyst,
            PlanIn(week=week, time_limit_s=15, hour_of_week=list(np.tile(HOURLY, 7)), guards=2),
            graph,
        )
        plan_id = plan.id
        lines.append(
            f"  analyst proposed plan {plan_id} for {week}: {plan.visits} visits, coverage "
            f"{plan.objective:.0f}, gap {'n/a' if plan.gap is None else f'{100 * plan.gap:.2f} %'}"
        )
    with runtime.unit_of_work() as session:
        report = service.check_plan(session, analyst, plan_id)
        lines.append(
            f"  independent checker: {'PASS' if report.ok else 'FAIL'} "
            f"({len(report.violations)} violations, objective {report.objective:.0f})"
        )
    with runtime.unit_of_work() as session:
        if report.ok:
            service.approve_plan(session, supervisor, plan_id)
            published = service.publish_plan(session, supervisor, plan_id)
            lines.append(f"  supervisor approved and published it ({published.status})")
    with runtime.unit_of_work() as session:
        document = service.document(service.get_plan(session, analyst, plan_id))
        assigned = len(service.plan_units(session, plan_id))
    lines.append(f"  {assigned} units hold an assignment from the published plan")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "plan.json").write_text(document.model_dump_json(exclude_none=True))
    busiest: dict[str, set[str]] = {}
    for visit in document.assignments:
        busiest.setdefault(visit.unit, set()).add(visit.place)
    unit = max(sorted(busiest), key=lambda code: len(busiest[code]))
    (out_dir / f"{unit}.pdf").write_bytes(exports.to_pdf(document, [unit]))
    (out_dir / f"{unit}.ics").write_bytes(exports.to_ical(document)[unit])
    lines.append(f"  {out_dir}/plan.json, {unit}.pdf and {unit}.ics written")
    return lines
