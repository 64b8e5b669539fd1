"""The analyst's cases and tips screens in a real browser: the case list offers only the
approved cases as bases; a case shows its clue board with Admiralty grades and TLP badges,
its timeline and its link graph (Cytoscape.js, read back from the page); a GREEN clue is
shared to another agency and an AMBER one is refused by the API, which the page shows; the
tips screen takes a public tip up as a clue and proposes a reward. Both languages, axe-clean,
nothing beyond 127.0.0.1."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations, choose_basis, sign_in


def open_case(server: LiveServer, title: str, approve: bool = True) -> dict[str, Any]:
    world = server.world
    case = world.client.post("/v1/cases", json={"title": title}, headers=world.auth("analyst"))
    assert case.status_code == 201, case.text
    if approve:
        ok = world.client.post(
            f"/v1/cases/{case.json()['id']}/approval", headers=world.auth("supervisor")
        )
        assert ok.status_code == 200, ok.text
    return dict(case.json())


def add_clue(
    server: LiveServer, case: dict[str, Any], tlp: str, text: str, entities: list[dict[str, str]]
) -> int:
    world = server.world
    headers = world.auth("analyst", "investigation", case["legal_basis"])
    body = {
        "text": text,
        "source_type": "informant",
        "grading": "B2",
        "tlp": tlp,
        "handling": f"handle {tlp} with care",
        "entities": entities,
    }
    clue = world.client.post("/v1/clues", json=body, headers=headers)
    assert clue.status_code == 201, clue.text
    linked = world.client.post(f"/v1/cases/{case['id']}/clues/{clue.json()['id']}", headers=headers)
    assert linked.status_code == 201, linked.text
    return int(clue.json()["id"])


def test_analyst_works_a_case_shares_within_the_marking_and_sees_its_graph(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    case = open_case(live_server, "Scooter thefts on Wuning Road")
    open_case(live_server, "Not yet approved", approve=False)
    van = {"kind": "vehicle", "value": "沪B 99999"}
    phone = {"kind": "phone", "value": "+86 139 0000 1111"}
    green = add_clue(
        live_server, case, "GREEN", "A white van loads scooters at night", [van, phone]
    )
    amber = add_clue(
        live_server,
        case,
        "AMBER",
        "The van's driver calls a pawn dealer",
        [phone, {"kind": "person", "value": "王小明"}],
    )
    # Agency B may receive up to GREEN under an agreement a supervisor signed
    agreement = live_server.world.client.post(
        "/v1/sharing-agreements",
        json={
            "to_org_id": live_server.world.org_ids["B"],
            "purpose": "joint operation",
            "max_tlp": "GREEN",
        },
        headers=live_server.world.auth("supervisor"),
    )
    assert agreement.status_code == 201, agreement.text
    sign_in(page, live_server, "analyst")
    page.click("#screen-links a[data-screen=cases]")
    page.wait_for_selector("#case-list table")
    rows = page.locator("#case-list tbody tr").all_inner_texts()
    assert any("Scooter thefts" in r and "approved" in r for r in rows)
    assert any("Not yet approved" in r and "awaiting" in r for r in rows)
    # only the approved case can be opened, and it is the one basis offered
    assert page.locator("#case-list [data-case]").count() == 1
    page.click(f"#case-list [data-case='{case['id']}']")
    assert page.locator("#basis-dialog input[type=radio]").count() == 1
    choose_basis(page, case["legal_basis"])
    page.wait_for_selector("#case-graph[data-ready=true]")
    board = page.locator("#clue-board article.clue")
    assert board.count() == 2
    badges = page.locator("#clue-board .tlp").all_inner_texts()
    assert sorted(badges) == ["TLP:AMBER", "TLP:GREEN"]
    colours = page.eval_on_selector_all(
        "#clue-board .tlp", "els => els.map(e => [e.textContent, getComputedStyle(e).color])"
    )
    assert dict(colours) == {"TLP:GREEN": "rgb(51, 255, 0)", "TLP:AMBER": "rgb(255, 192, 0)"}
    assert page.locator("#clue-board .grade").all_inner_texts() == ["B2", "B2"]
    # the link graph: the entities as labelled nodes, the shared phone links both clues'
    graph = page.evaluate("() => window.caseGraph")
    labels = {n["label"] for n in graph["nodes"]}
    assert {"沪B 99999", "王小明"} <= labels and len(graph["edges"]) >= 2
    assert page.locator("#case-graph canvas").count() >= 1
    timeline = page.locator("ol.timeline").inner_text()
    assert "clue added" in timeline and "approved" in timeline

    # GREEN goes to Agency B; AMBER, beyond the agreement, is refused by the API, shown as said
    b = str(live_server.world.org_ids["B"])
    for clue_id in (green, amber):
        form = page.locator(f"form.share[data-clue='{clue_id}']")
        form.locator("select").select_option(b)
        form.locator("button").click()
    green_result = page.locator(f"article.clue[data-clue='{green}'] .share-result")
    amber_result = page.locator(f"article.clue[data-clue='{amber}'] .share-result")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.share-result')].every(e => e.textContent)"
    )
    assert green_result.inner_text() == "Shared with Agency B."
    refusal = amber_result.inner_text()
    assert refusal.startswith("Refused: sharing refused") and "error" in (
        amber_result.get_attribute("class") or ""
    )
    assert axe_violations(page) == []
    screenshot(page, "cases_en")

    # in Chinese
    page.select_option("#lang", "zh-CN")
    page.wait_for_selector("#screen-cases h2:text('案件')")
    page.click(f"#case-list [data-case='{case['id']}']")
    page.wait_for_selector("#case-graph[data-ready=true]")
    assert "线索板" in page.inner_text("#case-detail")
    assert axe_violations(page) == []
    screenshot(page, "cases_zh")
    assert outside.urls == []


def test_analyst_takes_up_a_tip_as_a_clue_and_proposes_a_reward(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    world = live_server.world
    case = open_case(live_server, "Tips about the night market")
    sent = world.client.post(
        "/v1/tips",
        json={
            "text": "Someone sells fireworks from a van at the night market",
            "category": "public_order",
            "latitude": 31.2304,
            "longitude": 121.4737,
        },
    )
    assert sent.status_code == 201, sent.text
    receipt = sent.json()["receipt"]
    sign_in(page, live_server, "analyst")
    page.click("#screen-links a[data-screen=tips]")
    dialog = page.locator("#basis-dialog")
    dialog.wait_for(state="visible")
    offered = dialog.locator("label").all_inner_texts()
    # only approved cases are offered, each named
    assert all("case:" in label for label in offered) and len(offered) >= 1
    assert any("Tips about the night market" in label for label in offered)
    choose_basis(page, case["legal_basis"])
    page.wait_for_selector("#tips-rows tr")
    row = page.locator("#tips-rows tr", has_text="fireworks")
    assert "Public order" in row.inner_text() and "Received" in row.inner_text()
    assert "121.4737" not in row.inner_text()  # only the blurred cell's centre is shown
    row.locator("form.triage select[name=grading]").select_option("C3")
    row.locator("form.triage select[name=tlp]").select_option("GREEN")
    row.locator("form.triage button").click()
    page.wait_for_function(
        "() => document.getElementById('tips-message').textContent.includes('is now clue')"
    )
    row = page.locator("#tips-rows tr", has_text="fireworks")
    assert "Read by an officer" in row.inner_text()
    clue_id = int(page.inner_text("#tips-message").rsplit(" ", 1)[1].rstrip("."))
    clue = world.client.get(
        f"/v1/clues/{clue_id}", headers=world.auth("analyst", "investigation", case["legal_basis"])
    ).json()
    assert (clue["grading"], clue["tlp"], clue["source_type"]) == ("C3", "GREEN", "public_tip")
    row.locator("form.reward input").fill("500")
    row.locator("form.reward button").click()
    page.wait_for_function(
        "() => document.getElementById('tips-message').textContent.includes('Reward')"
    )
    assert "a supervisor approves it" in page.inner_text("#tips-message")
    assert axe_violations(page) == []
    screenshot(page, "tips_en")
    page.select_option("#lang", "zh-CN")
    page.wait_for_selector("#screen-tips h2:text('群众线索')")
    page.wait_for_selector("#tips-rows tr")
    assert "治安秩序" in page.inner_text("#tips-rows")
    assert axe_violations(page) == []
    screenshot(page, "tips_zh")

    # the supervisor approves the reward; the analyst who proposed it may not list them
    assert world.client.get("/v1/rewards", headers=world.auth("analyst")).status_code == 403
    page.click("#logout")
    page.wait_for_selector("#login:not([hidden])")
    sign_in(page, live_server, "supervisor")  # still in Chinese, as chosen above
    choose_basis(page, "statute:real-name-registration")
    row = page.locator("#reward-rows tr", has_text="500.00 CNY")
    row.wait_for()
    assert "user:analyst" in row.inner_text()
    assert "fireworks" not in page.inner_text("#rewards")  # no tip text, no tipster
    assert axe_violations(page) == []
    screenshot(page, "rewards_supervisor_zh")
    assert "线索奖励" in page.inner_text("#rewards")
    row.locator("button[data-approve='1']").click()
    page.wait_for_selector("#reward-rows p")
    receipt_status = world.client.post("/v1/tips/status", json={"receipt": receipt}).json()
    assert receipt_status["rewards"] == [
        {"amount_cents": 50000, "currency": "CNY", "status": "approved"}
    ]
    assert outside.urls == []
