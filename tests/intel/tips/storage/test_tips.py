"""Acceptance 3: anonymous tips leave no identity, IP or user agent; receipts; rewards."""

from __future__ import annotations

import h3
import pytest
from sqlalchemy import text

from tests.intel.helpers import build_intel_world, intel_tables

pytestmark = pytest.mark.storage

UA = "Mozilla/5.0 (Tipster-Secret-Agent 9.9)"


def test_anonymous_tip_leaves_no_identity_ip_or_user_agent(runtime, capfd) -> None:
    w = build_intel_world(runtime)
    headers = {"User-Agent": UA, "X-Forwarded-For": "203.0.113.77", "X-Real-IP": "203.0.113.77"}
    r = w.client.post(
        "/v1/tips",
        json={
            "text": "Stolen scooters stored behind the noodle shop",
            "latitude": 31.230416,
            "longitude": 121.473701,
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    receipt = r.json()["receipt"]
    assert len(receipt) >= 32
    forbidden = ["Tipster-Secret-Agent", "203.0.113.77", "testclient", receipt]
    tables = intel_tables(runtime)
    assert "intel_tip" in tables
    with runtime.engine.connect() as conn:
        cols = {t: list(conn.execute(text(f"SELECT * FROM {t}")).keys()) for t in tables}
        assert not any(c == "ip" or "agent" in c or "user" in c for c in cols["intel_tip"])
        for table in [*tables, "audit_log"]:
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                for value in row:
                    assert not any(f in str(value) for f in forbidden), (table, value)
        tip = conn.execute(
            text("SELECT contact, anonymous, latitude, longitude FROM intel_tip")
        ).one()
    assert tip[0] is None and bool(tip[1]) is True
    cell = h3.latlng_to_cell(31.230416, 121.473701, 7)
    assert (round(tip[2], 6), round(tip[3], 6)) == tuple(
        round(x, 6) for x in h3.cell_to_latlng(cell)
    )
    assert (tip[2], tip[3]) != (31.230416, 121.473701)
    logs = capfd.readouterr()
    assert not any(f in logs.out + logs.err for f in forbidden[:3])


def test_anonymous_tip_refuses_contact_details(runtime) -> None:
    w = build_intel_world(runtime)
    r = w.client.post("/v1/tips", json={"text": "something odd", "contact": "me@example.org"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "contact"


def test_receipt_checks_status_adds_information_and_rewards_need_a_supervisor(runtime) -> None:
    w = build_intel_world(runtime)
    receipt = w.client.post(
        "/v1/tips", json={"text": "a van unloads at 3am on Wuning Road"}
    ).json()["receipt"]
    assert w.client.post("/v1/tips/status", json={"receipt": "wrong"}).status_code == 404
    assert (
        w.client.post("/v1/tips/status", json={"receipt": receipt}).json()["status"] == "received"
    )
    r = w.client.post("/v1/tips/additions", json={"receipt": receipt, "text": "plate 沪B 99999"})
    assert r.status_code == 201
    tips = w.client.get("/v1/tips", headers=w.h("analyst")).json()
    assert tips[0]["additions"] == ["plate 沪B 99999"]
    tip_id = tips[0]["id"]
    r = w.client.post(
        f"/v1/tips/{tip_id}/triage", json={"grading": "F3", "tlp": "AMBER"}, headers=w.h("analyst")
    )
    assert r.status_code == 201
    clue = w.client.get(f"/v1/clues/{r.json()['clue_id']}", headers=w.h("analyst")).json()
    assert clue["source_type"] == "public_tip" and "沪B 99999" in clue["text"]
    assert w.client.post("/v1/tips/status", json={"receipt": receipt}).json()["status"] == "triaged"

    reward = w.client.post(
        "/v1/rewards",
        json={"tip_id": tip_id, "amount_cents": 50000},
        headers=w.world.auth("analyst"),
    ).json()["id"]
    pay = {"receipt": receipt}
    assert (
        w.client.post(
            f"/v1/rewards/{reward}/payout", json=pay, headers=w.world.auth("analyst")
        ).status_code
        == 409
    )
    assert (
        w.client.post(
            f"/v1/rewards/{reward}/approval",
            json={"approve": True},
            headers=w.world.auth("analyst"),
        ).status_code
        == 403
    )
    assert (
        w.client.post(
            f"/v1/rewards/{reward}/approval",
            json={"approve": True},
            headers=w.world.auth("supervisor"),
        ).json()["status"]
        == "approved"
    )
    assert (
        w.client.post(
            f"/v1/rewards/{reward}/payout",
            json={"receipt": "not-it"},
            headers=w.world.auth("analyst"),
        ).status_code
        == 403
    )
    assert (
        w.client.post(
            f"/v1/rewards/{reward}/payout", json=pay, headers=w.world.auth("analyst")
        ).json()["status"]
        == "paid"
    )
    status = w.client.post("/v1/tips/status", json={"receipt": receipt}).json()
    assert status["rewards"] == [{"amount_cents": 50000, "currency": "CNY", "status": "paid"}]


def test_tip_form_page(runtime) -> None:
    w = build_intel_world(runtime)
    r = w.client.get("/v1/tips/form")
    assert r.status_code == 200 and "receipt code" in r.text
    assert str(r.url).endswith("/tip")
    # the page's basemap needs no sign-in, the console's does
    assert w.client.get("/v1/map/public-streets").status_code == 200


@pytest.mark.parametrize("blank", ["     ", " \n\t \n  ", "　　　　　", "  ab  "])
def test_a_blank_tip_is_refused_and_nothing_is_stored(runtime, blank: str) -> None:
    w = build_intel_world(runtime)
    r = w.client.post("/v1/tips", json={"text": blank})
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert errors[0]["field"] == "text" and "besides spaces" in errors[0]["message"]
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM intel_tip")).scalar() == 0


def test_tip_categories_are_a_fixed_list(runtime) -> None:
    w = build_intel_world(runtime)
    r = w.client.post("/v1/tips", json={"text": "a van at 3am", "category": "my own words"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"
    r = w.client.post("/v1/tips", json={"text": "  a van at 3am  ", "category": "theft"})
    assert r.status_code == 201
    tip = w.client.get("/v1/tips", headers=w.h("analyst")).json()[0]
    assert (tip["category"], tip["text"]) == ("theft", "a van at 3am")


def test_volunteers_register_and_are_assigned_by_availability(runtime) -> None:
    w = build_intel_world(runtime)
    a = w.world.org_ids["A"]
    v = w.client.post(
        "/v1/volunteers",
        params={"agency_id": a},
        json={
            "name": "李娜",
            "contact": "+86 139 0000 0000",
            "skills": ["First aid"],
            "availability": ["sat"],
        },
    ).json()["id"]
    found = w.client.get("/v1/volunteers", params={"skill": "first aid"}, headers=w.h("analyst"))
    assert [x["id"] for x in found.json()] == [v]
    ok = {"event": "Lantern festival", "day": "sat", "skill": "first aid"}
    assert (
        w.client.post(
            f"/v1/volunteers/{v}/assignments", json=ok, headers=w.world.auth("officer")
        ).status_code
        == 201
    )
    assert (
        w.client.post(
            f"/v1/volunteers/{v}/assignments", json=ok, headers=w.world.auth("officer")
        ).status_code
        == 409
    )
    assert (
        w.client.post(
            f"/v1/volunteers/{v}/assignments",
            json={**ok, "day": "mon"},
            headers=w.world.auth("officer"),
        ).status_code
        == 409
    )
