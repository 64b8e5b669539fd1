"""`vigil patrol ...`: plan a week of patrols, check a plan file, export it. Places and times
only. Heavy modules are imported inside the commands so the root CLI starts quickly."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console

if TYPE_CHECKING:
    from pydantic import ValidationError

app = typer.Typer(help="Patrol planning for places and times.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)
output = Console()


def first_problem(error: ValidationError) -> str:
    """A validation error in one line: where the first problem is, what it is, and how many
    there are (pydantic's own text spans a paragraph per problem)."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the file"
    more = error.error_count() - 1
    return f"{where}: {first['msg']}" + (f" (and {more} more problems)" if more else "")


@app.command("plan")
def plan_week(
    week: Annotated[str, typer.Option("--week", help="ISO week, e.g. 2026-W50")],
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="plan JSON to write")],
    city: Annotated[
        Path | None, typer.Option("--city", exists=True, dir_okay=False, help="city JSON")
    ] = None,
    places: Annotated[int, typer.Option("--places", min=2, help="synthetic city size")] = 60,
    units: Annotated[int, typer.Option("--units", min=1, help="synthetic city's units")] = 15,
    guards: Annotated[
        int, typer.Option("--guards", min=0, help="guards per band for key places")
    ] = 2,
    time_limit: Annotated[float, typer.Option("--time-limit", min=1)] = 60.0,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Solve the coverage MILP for the week and draw randomised schedules for key places."""
    import re

    from pydantic import ValidationError

    from vigil.patrol import coverage, randomised, synthetic
    from vigil.patrol import plan as fmt
    from vigil.patrol.city import City, problem_for_week

    if not re.fullmatch(r"\d{4}-W\d\d", week):
        raise typer.BadParameter("week must look like 2026-W50", param_hint="--week")
    try:
        synthetic.week_start(week)
    except ValueError:
        raise typer.BadParameter(
            f"{week} is not a week of that year", param_hint="--week"
        ) from None
    if city is not None:
        try:
            problem = problem_for_week(
                City.model_validate_json(city.read_bytes()), week, city.parent
            )
        except ValidationError as bad:
            console.print(f"[red]error:[/] {city}: {first_problem(bad)}")
            raise typer.Exit(2) from None
        except ValueError as bad:
            console.print(f"[red]error:[/] {city}: {bad}")
            raise typer.Exit(2) from None
    else:
        problem = synthetic.city(places, units, 7 * 48, seed=seed, week=week)
    solution = coverage.solve(
        problem,
        time_limit=time_limit,
        relative_gap=0.01,
        reroute_seconds=min(30.0, time_limit / 2),
        construction="stations",
        stations_seconds=time_limit / 2,
    )
    chosen = randomised.randomise(problem, guards, seed=seed)
    plan = solution.plan.model_copy(update={"randomised": chosen})
    fmt.dump(plan, out)
    output.print(
        f"{out}: {len(plan.assignments)} visits, coverage {solution.objective:.1f}, "
        f"gap {'n/a' if solution.gap is None else f'{100 * solution.gap:.2f} %'}, "
        f"{solution.seconds:.1f} s"
    )


@app.command("check")
def check_plan(
    plan_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="plan JSON")],
) -> None:
    """Recompute every rule and the objective from the plan file; exit 1 on any violation."""
    from pydantic import ValidationError

    from vigil.patrol.checker import check_file

    try:
        report = check_file(plan_file)
    except ValidationError as bad:
        console.print(f"[red]error:[/] {plan_file} is not a plan: {first_problem(bad)}")
        raise typer.Exit(2) from None
    for violation in report.violations[:50]:
        output.print(f"{violation.kind}: {violation.message}")
    verdict = "PASS" if report.ok else f"FAIL ({len(report.violations)} violations)"
    output.print(f"{verdict}: {report.visits} visits, objective {report.objective:.3f}")
    if not report.ok:
        raise typer.Exit(1)


@app.command("export")
def export_plan(
    plan_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="plan JSON")],
    format_: Annotated[Literal["ical", "csv", "pdf"], typer.Option("--format")] = "csv",
    out: Annotated[
        Path | None, typer.Option("--out", help="file (csv, pdf) or folder (ical)")
    ] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", help="only these units (pdf)")] = None,
) -> None:
    """CSV of visits, one .ics per unit, or a PDF with a page per unit and shift."""
    from vigil.patrol import exports
    from vigil.patrol import plan as fmt

    plan = fmt.load(plan_file)
    stem = plan_file.with_suffix("")
    if format_ == "csv":
        target = out or stem.with_suffix(".csv")
        target.write_text(exports.to_csv(plan), encoding="utf-8")
    elif format_ == "pdf":
        target = out or stem.with_suffix(".pdf")
        target.write_bytes(exports.to_pdf(plan, unit or None))
    else:
        target = out or stem.parent / f"{stem.name}-ical"
        target.mkdir(parents=True, exist_ok=True)
        for code, data in exports.to_ical(plan).items():
            (target / f"{code}.ics").write_bytes(data)
    output.print(f"wrote {target}")


@app.command("shifts")
def apply_shifts(
    at: Annotated[
        str | None, typer.Option("--at", help="ISO time with a zone (default: now)")
    ] = None,
) -> None:
    """Units on published plans go on patrol as their shifts start and back to available as
    they end (audited); run it every few minutes, e.g. from cron."""
    from datetime import datetime

    from vigil.core.runtime import Runtime
    from vigil.governance.access import system_context
    from vigil.patrol import service

    moment = None
    if at is not None:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            console.print(f"[red]error:[/] --at {at!r} is not an ISO time")
            raise typer.Exit(2) from None
        if moment.tzinfo is None:
            console.print("[red]error:[/] --at needs a zone, e.g. 2026-12-07T08:00+08:00")
            raise typer.Exit(2)
    runtime = Runtime.create()
    with runtime.unit_of_work() as session:
        changes = service.apply_shifts(session, system_context(), moment)
    output.print(
        f"on patrol: {', '.join(changes.started) or '-'}; back to available: "
        f"{', '.join(changes.ended) or '-'}"
    )
