"""`vigil screening reestimate`: the person matcher's weights re-estimated from the decisions
officers stored on alerts. A flow: it reads the alerts domain and feeds the screening one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

# The database layer and the matcher are imported inside the command, so that `vigil --help`
# does not load them.

console = Console(stderr=True, soft_wrap=True)


app = typer.Typer(
    help="The person matcher's weights: re-estimate them from officers' decisions.",
    no_args_is_help=True,
)


@app.command("reestimate")
def reestimate(
    as_user: Annotated[str, typer.Option("--as", help="the Vigil user the command acts as")],
    threshold: Annotated[float, typer.Option(help="the alert threshold")] = 0.80,
    strength: Annotated[
        float, typer.Option(help="how many confirmed hits the current weights count as")
    ] = 20.0,
) -> None:
    """Re-estimate the birth-date levels' m-probabilities from the decisions officers stored
    on resolved person alerts ("confirmed": a true hit; "not the person": a false positive,
    or the other hits of a true one), and print how the operating point moves among the
    decided hits. Reads no personal data; the read is audited.

    Example: vigil screening reestimate --as duty.officer
    """
    from vigil.alerts import service as alerts
    from vigil.core.errors import NotFound
    from vigil.core.runtime import Runtime
    from vigil.governance import service as governance
    from vigil.screening.scoring import DEFAULT_WEIGHTS, WEAK_EVIDENCE_PENALTY
    from vigil.screening.weights import (
        LabelledHit,
        labelled_operating_point,
        reestimate_from_labels,
    )

    runtime = Runtime.create()
    with runtime.unit_of_work() as session:
        try:
            ctx = governance.active_user_context(session, as_user)
        except NotFound as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        decided = alerts.decided_hits(session, ctx)
    labels = [LabelledHit.from_explanation(d.explanation, d.score, d.confirmed) for d in decided]
    out = Console()
    if not labels:
        out.print("no decided person alerts yet: nothing to re-estimate from")
        raise typer.Exit(1)
    after, counts = reestimate_from_labels(labels, DEFAULT_WEIGHTS, strength=strength)
    before_point = labelled_operating_point(
        labels, DEFAULT_WEIGHTS, threshold, WEAK_EVIDENCE_PENALTY
    )
    after_point = labelled_operating_point(labels, after, threshold, WEAK_EVIDENCE_PENALTY)
    out.print(f"decided hits: {len(labels)} ({sum(x.is_match for x in labels)} confirmed)")
    out.print("birth-date level: confirmed hits, m relative to an exact date before → after")
    old = DEFAULT_WEIGHTS.date_m_table()
    for level, m in after.date_m:
        out.print(f"  {level:18} {counts[level]:6}   {old[level]:.4f} → {m:.4f}")
    out.print(f"before: {before_point.describe()}")
    out.print(f"after:  {after_point.describe()}")
    out.print(
        "(only hits that alerted were decided: this shows the move among them, not recall on "
        "matches that never alerted)"
    )
