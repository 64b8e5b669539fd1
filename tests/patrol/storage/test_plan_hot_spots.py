"""A plan proposed over the API takes the agency's incident hot cells from analytics (the demo
city's incidents): the strongest cells of the asked class become places revisited every 2
hours while hot, the checker passes the plan, and the incident read is audited."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import h3
import numpy as np
import pytest
from sqlalchemy import select

from tests.world import build_world
from vigil.analytics import service as analytics
from vigil.demo.analytics_demo import demo_rows
from vigil.flows.patrol_plans import hot_spots
from vigil.governance.models import AuditEntry
from vigil.patrol.schemas import HotSpotsIn

pytestmark = pytest.mark.storage

CHINA = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 12, 7, tzinfo=CHINA)  # 2026-W50
RANK = {"hot_90": 1, "hot_95": 2, "hot_99": 3}
INCIDENTS, PERMUTATIONS = 6000, 999  # enough for cells to pass the FDR


def _incidents(runtime, w) -> None:
    with runtime.unit_of_work() as session:
        ctx = analytics.agency_context(session, str(w.org_ids["A"]))
        analytics.import_incidents(session, ctx, demo_rows(INCIDENTS), source="demo")


def _expected_cells(w, count: int) -> list[str]:
    report = w.client.get(
        f"/v1/analytics/hotspots?permutations={PERMUTATIONS}&seed=1", headers=w.auth("analyst")
    ).json()
    hot = [c for c in report["cells"] if RANK.get(c["class"], 0) >= RANK["hot_90"]]
    hot.sort(key=lambda c: (-c["gi_z"], c["h3"]))
    return [c["h3"] for c in hot[:count]]


def test_api_plan_revisits_the_analytics_hot_cells(runtime) -> None:
    w = build_world(runtime)
    _incidents(runtime, w)
    cells = _expected_cells(w, 3)
    assert len(cells) == 3
    lat, lon = np.mean([h3.cell_to_latlng(c) for c in cells], axis=0)
    place = {"name": "Riverside Mall", "kind": "mall", "capacity": 500, "latitude": 31.2352,
             "longitude": 121.482}  # fmt: skip
    assert w.client.post("/v1/patrol/places", json=place, headers=w.auth("analyst")).is_success
    for code in ("CAR-01", "CAR-02"):
        unit = {"code": code, "mode": "car", "capabilities": ["patrol"], "capacity": 2,
                "shift_start": "14:00", "shift_end": "22:00", "home_lat": float(lat),
                "home_lon": float(lon)}  # fmt: skip
        r = w.client.post("/v1/units", json=unit, headers=w.auth("supervisor"))
        assert r.status_code == 201, r.text
    spots = {
        "max_cells": 3,
        "min_class": "hot_90",
        "permutations": PERMUTATIONS,
        "hot_hours": [18, 19, 20, 21, 22, 23],
    }
    body = {"week": "2026-W50", "time_limit_s": 10, "guards": 0, "hot_spots": spots}
    r = w.client.post("/v1/patrol/plans", json=body, headers=w.auth("analyst"))
    assert r.status_code == 201, r.text
    url = f"/v1/patrol/plans/{r.json()['id']}"
    plan = w.client.get(f"{url}/export?format=json", headers=w.auth("analyst")).json()
    hot = [p for p in plan["places"] if p["kind"] == "hotspot"]
    assert [p["h3_cell"] for p in hot] == cells
    # hot Monday 18:00-24:00, cut to the hours a unit is on duty (the shifts end at 22:00)
    for p in hot:
        windows = [(w_["start"], w_["end"]) for w_ in p["hot"]]
        assert [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in windows] == [
            (MONDAY + timedelta(hours=18), MONDAY + timedelta(hours=22))
        ]
    report = w.client.post(f"{url}/check", headers=w.auth("analyst")).json()
    assert report["ok"] is True, report["violations"][:3]
    visited = {a["place"] for a in plan["assignments"]}
    assert {p["id"] for p in hot} <= visited
    with runtime.unit_of_work() as session:
        reads = session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "incident_analysis",
                AuditEntry.object_id == "patrol_hot_spots",
            )
        ).all()
    assert len(reads) == 1 and reads[0].actor == "user:analyst"


def test_without_hours_the_cells_are_hot_in_the_profile_top_quarter(runtime) -> None:
    w = build_world(runtime)
    _incidents(runtime, w)
    bins = np.array(w.client.get("/v1/analytics/profile", headers=w.auth("analyst")).json()["bins"])
    with runtime.unit_of_work() as session:
        ctx = analytics.agency_context(session, str(w.org_ids["A"]))
        spots = hot_spots(
            session, ctx, HotSpotsIn(max_cells=2, min_class="hot_90", permutations=PERMUTATIONS)
        )
    assert list(spots.cells) == _expected_cells(w, 2)
    hours = set(spots.hours)
    assert len(hours) >= 42 and all(bins[h] >= bins[g] - 1e-3 for h in hours for g in
                                    set(range(168)) - hours)  # fmt: skip
    refused = w.client.post(
        "/v1/patrol/plans",
        json={"week": "2026-W50", "hot_spots": {"hot_hours": [168]}},
        headers=w.auth("analyst"),
    )
    assert refused.status_code == 422 and "hot_hours" in refused.json()["errors"][0]["field"]
