"""The incident API on both back-ends: JSON and CSV import with per-row errors, idempotency,
hot spots that agree with the pure module, profile/stats/surges, PNG charts, and roles."""

from __future__ import annotations

import io
from typing import Any

import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.figure import Figure
from sqlalchemy import select

from tests.analytics.storage.conftest import csv_text, json_row
from tests.world import World, build_world
from vigil.analytics.frame import incidents_to_frame
from vigil.analytics.hotspot_cells import hotspot_table
from vigil.analytics.loader import load_incident_rows
from vigil.analytics.models import IncidentRecord
from vigil.core.runtime import Runtime
from vigil.governance.models import AuditEntry

pytestmark = pytest.mark.storage


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _stored_ids(runtime: Runtime) -> set[str]:
    with runtime.unit_of_work() as session:
        return set(session.scalars(select(IncidentRecord.incident_id)))


def _post(world: World, rows: list[dict[str, Any]], who: str = "analyst") -> Any:
    return world.client.post("/v1/incidents", json=rows, headers=world.auth(who))


def test_mixed_rows_store_the_good_ones_and_report_the_bad_per_row(
    world: World, generated_rows: list[dict[str, str]], bad_rows: list[dict[str, Any]]
) -> None:
    good = [json_row(r) for r in generated_rows[:12]]
    response = _post(world, [*good[:5], *bad_rows, *good[5:]])
    assert response.status_code == 207, response.text
    body = response.json()
    assert (body["received"], body["stored"], body["duplicates"], body["rejected"]) == (
        15,
        12,
        0,
        3,
    )
    fields = {(e["row"], e["field"]) for e in body["errors"]}
    assert {(6, "lat"), (6, "lon"), (7, "time"), (8, "type")} <= fields
    assert {e["row"] for e in body["errors"]} == {6, 7, 8}
    assert _stored_ids(world.runtime) == {r["incident_id"] for r in good}

    again = _post(world, [*good, *bad_rows])  # re-sent: duplicates, the bad rows still bad
    assert again.status_code == 207
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 12)
    only_good = _post(world, good)
    assert only_good.status_code == 200
    assert only_good.json() | {"errors": []} == {
        "received": 12,
        "stored": 0,
        "duplicates": 12,
        "rejected": 0,
        "error_count": 0,
        "errors": [],
        "errors_truncated": False,
    }
    assert len(_stored_ids(world.runtime)) == 12


def test_all_bad_rows_give_422_problem_nothing_stored_but_audited(
    world: World, bad_rows: list[dict[str, Any]]
) -> None:
    response = _post(world, bad_rows)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422 and body["stored"] == 0 and body["rejected"] == 3
    assert {e["field"] for e in body["errors"]} >= {"lat", "time", "type"}
    assert _stored_ids(world.runtime) == set()
    with world.runtime.unit_of_work() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.object_type == "incident"))
    assert entry is not None and entry.detail["rejected"] == 3


def test_more_than_ten_thousand_json_incidents_is_413(world: World) -> None:
    response = _post(world, [{}] * 10_001)
    assert response.status_code == 413
    assert _stored_ids(world.runtime) == set()


def test_csv_upload(world: World, generated_rows: list[dict[str, str]]) -> None:
    rows: list[dict[str, Any]] = [*generated_rows[:30], {**generated_rows[30], "type": "ufo"}]
    headers = world.auth("officer")
    files = {"file": ("incidents.csv", csv_text(rows).encode(), "text/csv")}
    response = world.client.post("/v1/incidents/import", files=files, headers=headers)
    assert response.status_code == 207, response.text
    body = response.json()
    assert (body["stored"], body["rejected"]) == (30, 1)
    assert body["errors"] == [{"row": 31, "field": "type", "message": body["errors"][0]["message"]}]
    assert "unknown incident type" in body["errors"][0]["message"]
    assert len(_stored_ids(world.runtime)) == 30

    bom = b"\xef\xbb\xbf" + csv_text(generated_rows[:30]).encode()
    again = world.client.post(
        "/v1/incidents/import", files={"file": ("again.csv", bom, "text/csv")}, headers=headers
    )
    assert again.status_code == 200 and again.json()["duplicates"] == 30

    no_location = csv_text(rows, ["incident_id", "type", "time"]).encode()
    refused = world.client.post(
        "/v1/incidents/import", files={"file": ("x.csv", no_location, "text/csv")}, headers=headers
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"lat", "lon"}

    latin1 = csv_text(generated_rows[40:45]).encode() + "x,théft,1,1\n".encode("latin-1")
    undecodable = world.client.post(
        "/v1/incidents/import",
        files={"file": ("l.csv", latin1, "text/csv")},
        params={"encoding": "utf-8"},
        headers=headers,
    )
    # the good rows before the undecodable line are stored; the line is named
    assert undecodable.status_code == 207, undecodable.json()
    (problem,) = undecodable.json()["errors"]
    assert problem["row"] == 6 and "line 7" in problem["message"] and "utf-8" in problem["message"]
    detected = world.client.post(
        "/v1/incidents/import", files={"file": ("l.csv", latin1, "text/csv")}, headers=headers
    )
    assert detected.status_code == 207 and detected.json()["duplicates"] == 5
    picture = world.client.post(
        "/v1/incidents/import", files={"file": ("p.png", b"\x89PNG", "image/png")}, headers=headers
    )
    assert picture.status_code == 415
    assert len(_stored_ids(world.runtime)) == 35  # the 5 readable rows, none of the refused


def test_hotspots_agree_with_the_pure_module(
    world: World, generated_rows: list[dict[str, str]]
) -> None:
    assert _post(world, [json_row(r) for r in generated_rows]).status_code == 200
    response = world.client.get(
        "/v1/analytics/hotspots",
        params={"resolution": 9, "permutations": 49, "seed": 3},
        headers=world.auth("analyst"),
    )
    assert response.status_code == 200, response.text
    cells = response.json()["cells"]
    frame = incidents_to_frame(load_incident_rows(generated_rows).incidents)
    pure = hotspot_table(
        frame["lat"].to_numpy(), frame["lon"].to_numpy(), resolution=9, permutations=49, seed=3
    ).table
    assert [c["h3"] for c in cells] == pure["h3"].tolist()
    assert [c["count"] for c in cells] == pure["count"].tolist()
    np.testing.assert_allclose([c["gi_z"] for c in cells], pure["gi_z"], rtol=1e-12)
    np.testing.assert_allclose([c["p"] for c in cells], pure["p"], rtol=1e-12)
    assert [c["class"] for c in cells] == pure["class"].tolist()
    assert sum(c["count"] for c in cells) == len(generated_rows)

    coarser = world.client.get(
        "/v1/analytics/hotspots",
        params={"resolution": 7, "permutations": 0, "type": "theft"},
        headers=world.auth("analyst"),
    ).json()
    assert sum(c["count"] for c in coarser["cells"]) == sum(
        r["type"] == "theft" for r in generated_rows
    )
    assert all(c["p"] is None for c in coarser["cells"])


def test_profile_stats_and_surges(world: World, generated_rows: list[dict[str, str]]) -> None:
    assert _post(world, [json_row(r) for r in generated_rows]).status_code == 200
    headers = world.auth("supervisor")
    profile = world.client.get("/v1/analytics/profile", headers=headers).json()
    assert len(profile["bins"]) == 168 and np.array(profile["table"]).shape == (7, 24)
    assert sum(profile["bins"]) == pytest.approx(len(generated_rows), abs=0.01)
    assert profile["peak_hours"][0]["weight"] == pytest.approx(max(profile["bins"]), abs=1e-3)
    thefts = world.client.get("/v1/analytics/profile", params={"type": "theft"}, headers=headers)
    expected = sum(r["type"] == "theft" for r in generated_rows)
    assert sum(thefts.json()["bins"]) == pytest.approx(expected, abs=0.01)

    stats = world.client.get("/v1/analytics/stats", params={"period": "W"}, headers=headers)
    assert stats.status_code == 200
    body = stats.json()
    assert sum(row["count"] for row in body["counts"]) == len(generated_rows)
    everything = next(row for row in body["casualties"] if row["type"] == "all")
    assert everything["incidents"] == len(generated_rows)

    surges = world.client.get("/v1/analytics/surges", params={"all_periods": True}, headers=headers)
    assert surges.status_code == 200
    for alert in surges.json()["alerts"]:
        assert alert["observed"] > alert["upper_limit"] and "surge" in alert["message"]

    unknown = world.client.get("/v1/analytics/profile", params={"type": "ufo"}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "type"


def _content(png: bytes) -> tuple[float, int]:
    pixels = mpimg.imread(io.BytesIO(png), format="png")[..., :3]
    colours = np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    return float(pixels.var()), len(colours)


def test_charts_are_png_with_real_content(
    world: World, generated_rows: list[dict[str, str]]
) -> None:
    headers = world.auth("officer")
    empty = world.client.get("/v1/analytics/charts/heatmap.png", headers=headers)
    assert empty.status_code == 404
    assert _post(world, [json_row(r) for r in generated_rows]).status_code == 200
    blank = io.BytesIO()
    Figure(figsize=(4, 3)).savefig(blank, format="png")
    blank_variance, blank_colours = _content(blank.getvalue())
    for name in ("heatmap", "trend", "hotspots"):
        response = world.client.get(
            f"/v1/analytics/charts/{name}.png", params={"permutations": 19}, headers=headers
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/png"
        assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
        variance, colours = _content(response.content)
        assert variance > blank_variance + 1e-3 and colours > blank_colours + 20, name
    assert world.client.get("/v1/analytics/charts/pie.png", headers=headers).status_code == 422


@pytest.mark.parametrize("who", ["hotel_key", "clerk", "auditor", "admin"])
def test_roles_without_analytics_are_refused_and_audited(
    world: World, generated_rows: list[dict[str, str]], who: str
) -> None:
    rows = [json_row(r) for r in generated_rows[:3]]
    assert _post(world, rows, who).status_code == 403
    csv_file = {"file": ("i.csv", csv_text(generated_rows[:3]).encode(), "text/csv")}
    upload = world.client.post("/v1/incidents/import", files=csv_file, headers=world.auth(who))
    assert upload.status_code == 403
    for path in (
        "/v1/analytics/hotspots",
        "/v1/analytics/profile",
        "/v1/analytics/stats",
        "/v1/analytics/surges",
        "/v1/analytics/charts/heatmap.png",
    ):
        assert world.client.get(path, headers=world.auth(who)).status_code == 403, path
    assert _stored_ids(world.runtime) == set()
    with world.runtime.unit_of_work() as session:
        refused = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")).all()
    assert len(refused) == 7


def test_agencies_see_only_their_own_incidents(
    world: World, generated_rows: list[dict[str, str]]
) -> None:
    assert _post(world, [json_row(r) for r in generated_rows[:50]]).status_code == 200
    other = world.client.get("/v1/analytics/profile", headers=world.auth("analyst_b")).json()
    assert other["incidents"] == 0 and sum(other["bins"]) == 0
    assert (
        _post(world, [json_row(r) for r in generated_rows[:5]], "analyst_b").json()["stored"] == 5
    )  # the same incident ids, another agency
