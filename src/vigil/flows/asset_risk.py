"""Asset risk with its threat read from incident analytics: the agency's recorded incidents
near each asset over a window. Spans analytics and infrastructure, so it lives on the flow
floor; infrastructure itself only takes incident points as an argument."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from vigil.analytics.service import IncidentFilters, load_frame
from vigil.core.clock import utcnow
from vigil.governance.access import AccessContext
from vigil.http.deps import ContextDep, UnitOfWork
from vigil.infrastructure import service as infrastructure
from vigil.infrastructure.risk import IncidentPoint
from vigil.infrastructure.schemas import AssetRisk


def incident_points(
    session: Session, ctx: AccessContext, since: datetime | None
) -> list[IncidentPoint]:
    """The agency's located incidents since `since` (local wall-clock time), as points."""
    frame = load_frame(session, ctx, IncidentFilters(since=since), analysis="infrastructure risk")
    located = frame.dropna(subset=["lat", "lon", "end"])
    return [
        IncidentPoint(float(lat), float(lon), end.to_pydatetime())
        for lat, lon, end in zip(located["lat"], located["lon"], located["end"], strict=True)
    ]


def rank_assets(
    session: Session,
    ctx: AccessContext,
    *,
    window_days: int = 90,
    radius_m: float = 500.0,
    limit: int = 50,
    now: datetime | None = None,
) -> list[AssetRisk]:
    since = (now or utcnow()).replace(tzinfo=None) - timedelta(days=window_days)
    points = incident_points(session, ctx, since)
    return infrastructure.risk_ranking(
        session,
        ctx,
        points,
        radius_m=radius_m,
        window_label=f"last {window_days} days of recorded incidents",
        limit=limit,
    )


router = APIRouter(prefix="/v1/infrastructure", tags=["infrastructure"])


@router.get("/risk", response_model=list[AssetRisk])
def get_risk(
    session: UnitOfWork,
    ctx: ContextDep,
    window_days: Annotated[int, Query(ge=1, le=3650)] = 90,
    radius_m: Annotated[float, Query(gt=0, le=50_000)] = 500.0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[AssetRisk]:
    """Assets ranked by threat × vulnerability × consequence, each factor with its source."""
    return rank_assets(session, ctx, window_days=window_days, radius_m=radius_m, limit=limit)
