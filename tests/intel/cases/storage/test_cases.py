"""The case lifecycle as a legal basis."""

from __future__ import annotations

import pytest

from tests.intel.helpers import build_intel_world

pytestmark = pytest.mark.storage


def test_case_lifecycle_registers_and_withdraws_its_legal_basis(runtime) -> None:
    w = build_intel_world(runtime)
    clue = w.clue(
        "analyst",
        "AMBER",
        "lead",
        [{"kind": "phone", "value": "13800138000"}, {"kind": "person", "value": "王芳"}],
    )
    r = w.client.post(
        "/v1/cases",
        json={"title": "from a clue", "opened_from": "clue", "source_ref": str(clue)},
        headers=w.world.auth("analyst"),
    )
    assert r.status_code == 201, r.text
    case, basis = r.json()["id"], r.json()["legal_basis"]
    assert r.json()["basis_active"] is False  # an analyst opened it: a supervisor approves
    h = w.world.auth("analyst", "investigation", basis)
    assert w.client.get(f"/v1/clues/{clue}", headers=h).status_code == 403
    assert w.client.get(f"/v1/cases/{case}", headers=h).status_code == 403
    assert w.client.post(f"/v1/cases/{case}/approval", headers=h).status_code == 403
    approved = w.client.post(f"/v1/cases/{case}/approval", headers=w.world.auth("supervisor"))
    assert approved.status_code == 200, approved.text
    assert w.client.get(f"/v1/clues/{clue}", headers=h).status_code == 200
    assert (
        w.client.post(
            f"/v1/cases/{case}/assignees", json={"username": "officer"}, headers=h
        ).status_code
        == 201
    )
    assert (
        w.client.post(
            f"/v1/cases/{case}/assignees", json={"username": "analyst_b"}, headers=h
        ).status_code
        == 422
    )
    task = w.client.post(
        f"/v1/cases/{case}/tasks",
        json={"title": "call the carrier", "assignee": "officer"},
        headers=h,
    )
    assert (
        w.client.post(f"/v1/cases/{case}/tasks/{task.json()['id']}/done", headers=h).status_code
        == 200
    )
    assert (
        w.client.post(
            f"/v1/cases/{case}/notes", json={"text": "carrier answered"}, headers=h
        ).status_code
        == 201
    )
    view = w.client.get(f"/v1/cases/{case}", headers=h).json()
    assert view["clue_ids"] == [clue] and view["assignees"] == ["officer"]
    assert [e["kind"] for e in view["timeline"]] == [
        "opened",
        "approved",
        "clue_added",
        "assigned",
        "task",
        "task_done",
        "note",
    ]
    other = w.client.post("/v1/cases", json={"title": "second"}, headers=w.world.auth("analyst"))
    w.client.post(f"/v1/cases/{other.json()['id']}/clues/{clue}", headers=h)
    corr = w.client.get(
        "/v1/correlation",
        params={"kind": "phone", "value": "138-0013-8000", "exclude_case": case},
        headers=h,
    ).json()
    assert corr["other_cases"] == 1
    graph = w.client.get(f"/v1/cases/{case}/graph", headers=h).json()
    assert graph["nodes"] == 2 and graph["edges"] == 1
    # B cannot open A's case, and other agencies' cases are not a basis for them.
    assert (
        w.client.get(
            f"/v1/cases/{case}", headers=w.world.auth("analyst_b", "investigation", basis)
        ).status_code
        == 403
    )
    bad = w.client.post(f"/v1/cases/{case}/status", json={"status": "closed"}, headers=h)
    assert bad.status_code == 422
    ok = w.client.post(
        f"/v1/cases/{case}/status",
        json={"status": "closed", "resolution": "suspect charged"},
        headers=h,
    )
    assert ok.json()["status"] == "closed"
    # the withdrawn basis no longer opens anything
    assert w.client.get(f"/v1/clues/{clue}", headers=h).status_code == 403
    assert w.client.get(f"/v1/cases/{case}", headers=h).status_code == 403
