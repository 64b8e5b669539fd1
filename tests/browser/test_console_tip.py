"""Acceptance 8 and the tipster's journey (acceptance 1's last role) on the public tip page,
in a real browser with no sign-in: a whitespace-only tip is refused with a clear message; a
tip marked on the demo city's streets leaves the browser as the centre of a ~2 km square
(never the point clicked) and is stored as the H3 cell around that; the receipt code then
shows the tip's status in both languages, before and after an analyst takes it up."""

from __future__ import annotations

import json
import math
from typing import Any

import h3
from sqlalchemy import text

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations

GRID = 0.02  # the page's square, as js/tip.js documents it


def coarse(value: float) -> float:
    return round((math.floor(value / GRID) + 0.5) * GRID, 6)


def open_tip_page(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.url}/tip")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#tip-map[data-ready=true]")


def stored_tips(server: LiveServer) -> list[Any]:
    with server.world.runtime.engine.connect() as conn:
        return list(
            conn.execute(
                text("SELECT id, text, category, h3_cell, latitude, longitude FROM intel_tip")
            )
        )


def test_tipster_sends_a_blurred_tip_and_follows_it_by_receipt_code(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    world, client = live_server.world, live_server.world.client
    before = len(stored_tips(live_server))
    posted: list[str] = []
    page.on(
        "request",
        lambda r: posted.append(r.post_data or "") if r.url.endswith("/v1/tips") else None,
    )
    open_tip_page(page, live_server)
    # the demo city's streets are drawn as the picker's basemap (no tiles from outside)
    assert page.locator("#tip-map path.leaflet-interactive, #tip-map svg path").count() >= 3
    assert axe_violations(page) == []

    # a tip of spaces is refused on the page, with a message that says why; nothing is sent
    page.fill("#tip-form textarea[name=text]", "     \n   ")
    page.click("#tip-form button[type=submit]")
    message = page.locator("#tip-text-error").inner_text()
    assert "at least 5 characters besides spaces" in message
    assert posted == [] and len(stored_tips(live_server)) == before

    # mark a place on the map: the page shows the square that will be sent
    box = page.locator("#tip-map").bounding_box()
    page.locator("#tip-map").click(position={"x": box["width"] / 2 + 37, "y": 180 - 23})
    picked = page.evaluate("() => window.tipState.picked")
    assert picked is not None
    assert "blurred square" in page.locator("#tip-place").inner_text()
    page.fill("#tip-form textarea[name=text]", "Stolen scooters are stored behind the noodle shop")
    page.select_option("#tip-category", "theft")
    assert page.locator("#tip-text-error").inner_text() == ""  # typing cleared it
    screenshot(page, "tip_form_en")
    page.click("#tip-form button[type=submit]")
    page.wait_for_selector("#tip-receipt:not([hidden])")
    receipt = page.locator("#tip-receipt-code").inner_text()
    assert len(receipt) >= 32
    screenshot(page, "tip_receipt_en")

    # what left the browser: the square's centre, not the point clicked
    [body] = [json.loads(p) for p in posted]
    sent = (body["latitude"], body["longitude"])
    assert sent == (coarse(picked["latitude"]), coarse(picked["longitude"]))
    assert sent != (picked["latitude"], picked["longitude"])
    assert body["category"] == "theft" and body["anonymous"] is True and body["contact"] is None
    # what the server kept: only the H3 cell around the sent point and that cell's centre
    [tip] = [t for t in stored_tips(live_server) if t.text.startswith("Stolen scooters")]
    cell = h3.latlng_to_cell(*sent, 7)
    assert tip.h3_cell == cell and tip.category == "theft"
    assert (round(tip.latitude, 6), round(tip.longitude, 6)) == tuple(
        round(x, 6) for x in h3.cell_to_latlng(cell)
    )
    assert str(picked["latitude"])[:9] not in " ".join(map(str, tip))

    # the receipt code shows its status
    page.fill("#tip-status-form input[name=receipt]", "not-a-receipt")
    page.click("#tip-status-form button[type=submit]")
    page.wait_for_function("() => document.getElementById('tip-status-error').textContent")
    assert "No tip has this receipt code" in page.locator("#tip-status-error").inner_text()
    page.fill("#tip-status-form input[name=receipt]", receipt)
    page.click("#tip-status-form button[type=submit]")
    page.wait_for_selector("#tip-status:not([hidden])")
    assert page.locator("#tip-status-value").inner_text() == "Received, waiting to be read"
    page.fill("#tip-add-form textarea[name=text]", "The van's plate is 沪B 99999")
    page.click("#tip-add-form button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('tip-status-additions').textContent === '1'"
    )

    # an analyst takes it up under an approved case; the tipster sees it, in Chinese too
    case = client.post("/v1/cases", json={"title": "scooters"}, headers=world.auth("analyst"))
    assert case.status_code == 201, case.text
    approval = client.post(
        f"/v1/cases/{case.json()['id']}/approval", headers=world.auth("supervisor")
    )
    assert approval.status_code == 200, approval.text
    triage = client.post(
        f"/v1/tips/{tip.id}/triage",
        json={"grading": "F3", "tlp": "AMBER"},
        headers=world.auth("analyst", "investigation", case.json()["legal_basis"]),
    )
    assert triage.status_code == 201, triage.text
    page.select_option("#lang", "zh-CN")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    page.click("#tip-status-form button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('tip-status-value').textContent === '已由民警阅读并立为线索'"
    )
    assert page.locator("h1").inner_text() == "提供线索"
    assert axe_violations(page) == []
    screenshot(page, "tip_status_zh")
    assert outside.urls == []


def test_tip_page_in_chinese_refuses_a_blank_tip_and_shows_a_server_refusal(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    page.context.set_extra_http_headers({"Accept-Language": "zh-CN"})
    open_tip_page(page, live_server)
    page.select_option("#lang", "zh-CN")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    options = page.locator("#tip-category option").all_inner_texts()
    assert options == ["盗窃", "毒品", "诈骗", "暴力", "交通", "治安秩序", "可疑情况", "其他"]
    page.fill("#tip-form textarea[name=text]", "　　　　　　")  # ideographic spaces
    page.click("#tip-form button[type=submit]")
    assert "除空格外至少需要 5 个字符" in page.locator("#tip-text-error").inner_text()
    # the server refuses on its own too (a control character), and the page says which field
    page.fill("#tip-form textarea[name=text]", "有人在夜里搬运可疑箱子\u0007")
    page.click("#tip-form button[type=submit]")
    page.wait_for_function("() => document.getElementById('tip-error').textContent !== ''")
    error = page.locator("#tip-error").inner_text()
    assert error == "线索内容: 含有控制字符，请删除后重试。"
    assert page.locator("#tip-receipt").is_hidden()
    assert axe_violations(page) == []
    screenshot(page, "tip_refused_zh")
    assert outside.urls == []
