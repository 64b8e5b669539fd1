"""The independent plan checker: reads a plan file and recomputes every rule and the objective.

It shares nothing with the solver but the file format (`vigil.patrol.plan`), and works from
the visits' times, not from bands or districts:
- reference: every visit names a known unit and place;
- dwell: each visit lasts between the Koper bounds (10-16 minutes);
- shift: each visit lies inside one of its unit's shifts, with time to come from the base after
  the shift starts and to get back before it ends;
- overlap: a unit's visits do not overlap;
- travel: between two visits of a unit there is time to travel at the unit's speed;
- revisit: while a place is hot (within the plan's horizon), no two hours pass without a
  visit starting, counting from when it turns hot and up to when it cools;
- rush: a key place gets a visit starting within the rush of each opening and closing time
  that lies inside the plan's horizon;
- objective: demand-weighted coverage recomputed from the visits equals the plan's.
A place counts as covered in a band when a visit starts in that band at a place within the
cover radius, by a team at least as large as the place needs."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

from vigil.patrol.plan import Plan, file_sha256, load

EPSILON_MINUTES = 1e-6
KINDS = (
    "reference",
    "dwell",
    "shift",
    "overlap",
    "travel",
    "revisit",
    "rush",
    "objective",
    "travel_matrix",
)


@dataclass(frozen=True)
class Violation:
    kind: str
    message: str


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    objective: float = 0.0
    visits: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations

    def kinds(self) -> set[str]:
        return {v.kind for v in self.violations}


def _minutes(a: datetime, b: datetime) -> float:
    """Minutes from a to b."""
    return (b - a).total_seconds() / 60.0


def _matrix(plan: Plan, folder: Path | None, report: Report) -> list[list[float]]:
    travel = plan.travel
    if travel.minutes is not None:
        return travel.minutes
    assert travel.path is not None
    path = (folder or Path(".")) / travel.path
    if not path.exists() or file_sha256(path) != travel.sha256:
        report.violations.append(Violation("travel_matrix", f"{travel.path} missing or changed"))
        return []
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [[float(x) for x in row] for row in rows]


def check(plan: Plan, *, folder: Path | None = None, tolerance: float = 1e-6) -> Report:
    report = Report(visits=len(plan.assignments))
    bad = report.violations
    matrix = _matrix(plan, folder, report)
    if not matrix:
        return report
    position = {pid: i for i, pid in enumerate(plan.travel.place_ids)}
    places = {p.id: p for p in plan.places}
    units = {u.code: u for u in plan.units}
    reference = plan.travel.reference_speed_kmh
    rules = plan.rules

    def travel(unit_code: str, a: str, b: str) -> float:
        return matrix[position[a]][position[b]] * reference / units[unit_code].speed_kmh

    by_unit: dict[str, list] = defaultdict(list)
    by_place: dict[str, list[datetime]] = defaultdict(list)
    for n, visit in enumerate(plan.assignments):
        if visit.unit not in units or visit.place not in places or visit.place not in position:
            bad.append(Violation("reference", f"visit {n}: unknown unit or place"))
            continue
        by_unit[visit.unit].append(visit)
        by_place[visit.place].append(visit.start)
        dwell = _minutes(visit.start, visit.end)
        if not (
            rules.dwell_min_minutes - EPSILON_MINUTES
            <= dwell
            <= rules.dwell_max_minutes + EPSILON_MINUTES
        ):
            bad.append(
                Violation("dwell", f"{visit.unit} at {visit.place} {visit.start}: {dwell:g} min")
            )
    if any(v.kind == "reference" for v in bad):
        return report

    for code, visits in by_unit.items():
        unit = units[code]
        visits.sort(key=lambda v: v.start)
        for visit in visits:
            shift = next(
                (s for s in unit.shifts if s.start <= visit.start and visit.end <= s.end), None
            )
            if shift is None:
                bad.append(Violation("shift", f"{code} at {visit.place} {visit.start}: off shift"))
                continue
            if _minutes(shift.start, visit.start) + EPSILON_MINUTES < travel(
                code, unit.base, visit.place
            ):
                bad.append(
                    Violation("shift", f"{code}: cannot reach {visit.place} from base in time")
                )
            if _minutes(visit.end, shift.end) + EPSILON_MINUTES < travel(
                code, visit.place, unit.base
            ):
                bad.append(
                    Violation("shift", f"{code}: cannot get back to base from {visit.place}")
                )
        for before, after in pairwise(visits):
            gap = _minutes(before.end, after.start)
            if gap < -EPSILON_MINUTES:
                bad.append(
                    Violation("overlap", f"{code}: {before.start} and {after.start} overlap")
                )
            elif gap + EPSILON_MINUTES < travel(code, before.place, after.place):
                bad.append(
                    Violation(
                        "travel",
                        f"{code}: {before.place} to {after.place} needs "
                        f"{travel(code, before.place, after.place):.1f} min, has {gap:.1f}",
                    )
                )

    horizon = (
        (min(b.start for b in plan.bands), max(b.end for b in plan.bands)) if plan.bands else None
    )
    for place in plan.places:
        starts = sorted(by_place.get(place.id, []))
        for window in place.hot:
            if horizon is None:
                break
            hot_from, hot_to = max(window.start, horizon[0]), min(window.end, horizon[1])
            if hot_to <= hot_from:
                continue
            inside = [s for s in starts if hot_from <= s < hot_to]
            marks = [hot_from, *inside, hot_to]
            longest = max(_minutes(a, b) for a, b in pairwise(marks))
            if longest > rules.revisit_minutes + EPSILON_MINUTES:
                bad.append(
                    Violation(
                        "revisit", f"{place.id} hot from {window.start}: {longest:g} min unvisited"
                    )
                )
    _check_rush(plan, by_place, bad)
    report.objective = _objective(plan, matrix, position, units)
    scale = max(1.0, abs(report.objective))
    if abs(report.objective - plan.objective) > tolerance * scale:
        bad.append(
            Violation(
                "objective", f"recomputed {report.objective:.6f}, plan says {plan.objective:.6f}"
            )
        )
    return report


def _check_rush(plan: Plan, by_place: dict[str, list[datetime]], bad: list[Violation]) -> None:
    if not plan.bands:
        return
    first = min(b.start for b in plan.bands)
    last = max(b.end for b in plan.bands)
    rush = timedelta(minutes=plan.rules.rush_minutes)
    for place in plan.places:
        if not place.key:
            continue
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
                    if not any(
                        moment - rush <= s < moment + rush for s in by_place.get(place.id, [])
                    ):
                        bad.append(Violation("rush", f"{place.id}: no visit around {moment}"))
            day += timedelta(days=1)


def _objective(
    plan: Plan, matrix: list[list[float]], position: dict[str, int], units: dict
) -> float:
    need = {p.id: p.need for p in plan.places}
    bands = sorted(plan.bands, key=lambda b: b.start)
    near: dict[str, list[str]] = {}
    radius = plan.rules.cover_minutes + 1e-9
    ids = plan.travel.place_ids
    covered: set[tuple[str, int]] = set()
    for visit in plan.assignments:
        band = next((b.index for b in bands if b.start <= visit.start < b.end), None)
        if band is None:
            continue
        if visit.place not in near:
            row = position[visit.place]
            near[visit.place] = [ids[j] for j in range(len(ids)) if matrix[row][j] <= radius]
        team = units[visit.unit].capacity
        covered.update((p, band) for p in near[visit.place] if need.get(p, math.inf) <= team)
    return float(sum(d.value for d in plan.demand if (d.place, d.band) in covered))


def check_file(path: Path) -> Report:
    return check(load(path), folder=path.parent)
