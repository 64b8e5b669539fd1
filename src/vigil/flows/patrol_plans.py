"""Patrol plans over HTTP, with hot cells from analytics: proposing a plan can take the
agency's incident hot spots (Getis-Ord Gi*) as places to revisit every 2 hours while hot.
Patrol and analytics know nothing of each other; this flow reads one and feeds the other, in
the caller's unit of work (the incident read is audited as one consult)."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter
from sqlalchemy.orm import Session

from vigil.analytics import reports
from vigil.analytics import service as analytics
from vigil.analytics.stats import hour_of_week
from vigil.governance.access import AccessContext
from vigil.http.deps import ContextDep, RuntimeDep, UnitOfWork
from vigil.patrol import build
from vigil.patrol import service as patrol
from vigil.patrol.api import plan_out
from vigil.patrol.schemas import HotSpotsIn, PlanIn, PlanOut
from vigil.units.roads import cached_road_graph

router = APIRouter(prefix="/v1/patrol", tags=["patrol"])
CLASS_RANK = {"hot_90": 1, "hot_95": 2, "hot_99": 3}
HOT_SHARE = 0.25  # without hot_hours, the top quarter of the hour-of-week profile is hot


def hot_spots(session: Session, ctx: AccessContext, spec: HotSpotsIn) -> build.HotSpots:
    """The strongest hot cells of at least `spec.min_class`, and when they are hot."""
    frame = analytics.load_frame(session, ctx, analysis="patrol_hot_spots")
    report = reports.hotspot_report(
        frame, resolution=spec.resolution, permutations=spec.permutations, seed=1
    )
    floor = CLASS_RANK[spec.min_class]
    hot = [c for c in report["cells"] if CLASS_RANK.get(c["class"], 0) >= floor]
    hot.sort(key=lambda c: (-(c["gi_z"] or 0.0), c["h3"]))
    cells = [c["h3"] for c in hot[: spec.max_cells]]
    if spec.hot_hours is not None:
        hours = sorted(set(spec.hot_hours))
    elif frame.empty:
        hours = []
    else:
        profile = hour_of_week(frame)
        cut = float(np.quantile(profile, 1.0 - HOT_SHARE))
        hours = [int(h) for h in np.flatnonzero(profile >= cut)]
    return build.HotSpots(cells=cells, hours=hours)


@router.post("/plans", status_code=201, response_model=PlanOut)
def propose_plan(
    body: PlanIn, session: UnitOfWork, ctx: ContextDep, runtime: RuntimeDep
) -> PlanOut:
    """Solve a week's coverage plan from the stored places, crowd counts and patrol units,
    with travel times on the road graph; stored as a draft. With `hot_spots`, the agency's
    incident hot cells are added as places revisited every 2 hours while hot."""
    graph = cached_road_graph(runtime.settings.road_graph)
    hot = hot_spots(session, ctx, body.hot_spots) if body.hot_spots is not None else None
    return plan_out(session, patrol.propose_plan(session, ctx, body, graph, hot))
