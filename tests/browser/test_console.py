"""The operator console in a real browser, one journey per role on one live server: the
officer's queue over 1,000 alerts (newest first, every page, a live alert, dispatch), the
business clerk who reaches nothing of the police's, the analyst's map read back from the
page, the auditor's log, sessions (reload, 401 re-login), Chinese, axe-core on each page,
and no request beyond 127.0.0.1."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.analytics.storage.conftest import json_row
from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.world import PASSWORD
from vigil.alerts.schemas import AlertIn
from vigil.alerts.service import raise_alerts
from vigil.demo.incidents import generate_incident_arrays, incident_rows
from vigil.governance.access import Purpose, system_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENING = system_context(Purpose.SCREENING, "statute:real-name-registration")


def make_alerts(
    server: LiveServer,
    start: int,
    count: int,
    submission_id: int | None = None,
    sector: str = "hotel",
) -> list[int]:
    world = server.world
    batch = [
        (
            f"console-test:{n}",
            AlertIn(
                kind="person",
                score=0.9,
                explanation={"name": {"score": 0.9, "detail": f"same name (张伟{n} ~ 张伟)"}},
                summary=f"hotel registration {n} matches person WANTED-{n}",
                sector=sector,
                submission_id=submission_id or n,
                watchlist_entry_id=f"WANTED-{n}",
                legal_basis="warrant:W-1",
                organisation_id=world.org_ids["A"],
            ),
        )
        for n in range(start, start + count)
    ]
    with world.runtime.unit_of_work() as session:
        return raise_alerts(session, SCREENING, batch)


def audit_entries(server: LiveServer) -> list[dict[str, Any]]:
    world, entries, after = server.world, [], 0
    while True:
        page = world.client.get(
            f"/v1/audit?limit=1000&after_seq={after}", headers=world.auth("auditor")
        ).json()
        entries += page
        if len(page) < 1000:
            return entries
        after = page[-1]["seq"]


def axe_violations(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    # evaluated by the test harness, not added as an inline <script>: the console's
    # Content-Security-Policy refuses inline scripts, and it should
    page.evaluate(f"() => {{ {AXE.read_text(encoding='utf-8')}\n }}")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(page: Any, server: LiveServer, user: str) -> None:
    page.goto(f"{server.url}/console")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#screen-links a")


def sign_in_new_business(
    page: Any, server: LiveServer, name: str, sector: str, username: str
) -> None:
    """Register a business of one sector with a clerk, and sign the clerk in to the filing
    screen."""
    world = server.world
    org = world.client.post(
        "/v1/organisations",
        json={"name": name, "kind": "business", "sector": sector},
        headers=world.auth("admin"),
    )
    assert org.status_code == 201, org.text
    user = world.client.post(
        "/v1/users",
        json={
            "username": username,
            "password": PASSWORD,
            "role": "business",
            "organisation_id": org.json()["id"],
        },
        headers=world.auth("admin"),
    )
    assert user.status_code == 201, user.text
    sign_in(page, server, username)
    page.wait_for_selector("#submissions p, #submissions table")  # the screen is drawn


def choose_basis(page: Any, value: str) -> None:
    dialog = page.locator("#basis-dialog")
    dialog.wait_for(state="visible")
    labels = dialog.locator("label").all_inner_texts()
    assert any(value in label for label in labels), labels
    dialog.locator("label", has_text=value).locator("input").check()
    dialog.locator("button[type=submit]").click()


def test_officer_queue_pages_1000_alerts_shows_live_ones_and_dispatches(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    ids = make_alerts(live_server, 1, 1000)
    assert len(ids) == 1000
    client, world = live_server.world.client, live_server.world
    unit = client.post(
        "/v1/units",
        json={
            "code": "CAR-01",
            "mode": "car",
            "capabilities": ["patrol"],
            "home_lat": 31.2304,
            "home_lon": 121.4737,
        },
        headers=world.auth("supervisor"),
    )
    assert unit.status_code == 201, unit.text
    sign_in(page, live_server, "officer")
    assert page.locator("#screen-links a").all_inner_texts() == [
        "Alert queue",
        "Dispatch",
        "Infrastructure",
        "Cameras",
    ]
    # only the bases an officer may cite for the queue: the statute, no free text
    dialog = page.locator("#basis-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("input[type=text], textarea").count() == 0
    assert dialog.locator("input[type=radio]").count() == 1
    choose_basis(page, "statute:real-name-registration")
    page.wait_for_selector("#alert-rows tr")
    first = page.locator("#alert-rows tr").first.get_attribute("id")
    assert first == f"alert-{max(ids)}"  # opens on the newest
    assert "Page 1 of 20 · 1000 alerts" in page.inner_text("#page-of")
    screenshot(page, "console-officer-queue")
    assert axe_violations(page) == []
    seen: list[int] = []
    for n in range(20):
        rows = page.locator("#alert-rows tr")
        seen += [int(i.split("-")[1]) for i in rows.evaluate_all("rs => rs.map(r => r.id)")]
        assert f"Page {n + 1} of 20" in page.inner_text("#page-of")
        if n < 19:
            page.click("#page-next")
            page.wait_for_function(
                # a function, not an expression: the console's CSP forbids eval
                f"() => document.querySelector('#page-of').textContent.includes('Page {n + 2} ')"
            )
    assert page.locator("#page-next").is_disabled()
    assert seen == sorted(ids, reverse=True)  # every alert once, newest first
    page.click("#page-first")
    page.wait_for_function(
        "() => document.querySelector('#page-of').textContent.includes('Page 1 ')"
    )
    page.wait_for_selector("#live-state[data-state=open]")
    filed = client.post(
        "/v1/intake/hotel",
        json={
            "guest": {
                "name": "张伟",
                "doc_type": "cn_resident_id",
                "id_number": "11010519491231002X",
                "nationality": "CHN",
            },
            "check_in": "2026-01-10T08:00:00+08:00",
            "room": "1203",
        },
        headers=world.auth("hotel_key"),
    )
    assert filed.status_code == 202, filed.text
    [submission] = filed.json()["submission_ids"]
    [live] = make_alerts(live_server, 5000, 1, submission_id=submission)
    page.wait_for_selector(f"#alert-{live}", timeout=2_000)  # acceptance 3: live within 2 s
    assert page.locator("#alert-rows tr").first.get_attribute("id") == f"alert-{live}"
    assert "1001 alerts" in page.inner_text("#page-of")

    # the alert's detail under the alert itself as legal basis
    page.click(f"#alert-{live} [data-open]")
    dialog.wait_for(state="visible")
    offered = dialog.locator("label").all_inner_texts()
    assert any(f"alert:{live}" in o for o in offered) and len(offered) == 2
    choose_basis(page, f"alert:{live}")
    detail = page.locator("#alert-detail")
    detail.locator("#do-ack").wait_for()
    assert "same name (张伟5000 ~ 张伟)" in detail.inner_text()
    text = detail.inner_text()
    assert "warrant:W-1" in text and "张伟" in text and "1203" in text  # the registration
    detail.locator("#do-ack").click()
    detail.locator("text=acknowledged").first.wait_for()
    detail.locator("#nearest-form button").click()
    detail.locator("#unit-choices input[type=radio]").first.wait_for()
    assert "CAR-01" in detail.locator("#unit-choices").inner_text()
    detail.locator("#dispatch-form button").click()
    page.wait_for_selector("#dispatch-result:has-text('CAR-01')")
    screenshot(page, "console-officer-dispatch")
    detail.locator("summary", has_text="Resolve").click()
    detail.locator("input[value=false_positive]").check()  # "not the person"
    detail.locator("#resolve-form button[type=submit]").click()
    detail.locator("text=Resolved: not the person").wait_for()
    resolved = client.get(
        f"/v1/alerts/{live}", headers=world.auth("officer", "investigation", f"alert:{live}")
    ).json()
    assert (resolved["status"], resolved["resolution"]) == ("resolved", "false_positive")
    status = client.get(f"/v1/units/{unit.json()['id']}", headers=world.auth("officer"))
    assert status.json()["status"] == "dispatched"  # the registry's unit moved
    consults = [
        e
        for e in audit_entries(live_server)
        if e["legal_basis"] == f"alert:{live}"
        and e["action"] == "consult"
        and e["object_type"] == "alert"
    ]
    assert consults and all(e["object_id"] == str(live) for e in consults)
    person_reads = [
        e
        for e in audit_entries(live_server)
        if e["object_type"] == "intake_submission" and e["legal_basis"] == f"alert:{live}"
    ]
    assert len(person_reads) == 1  # reading the person under the alert: one consult entry
    assert person_reads[0]["action"] == "consult"
    # a camera alert carries its video event's id where a registration alert carries the
    # registration's: its detail reads no registration, though one has that very id
    [camera] = make_alerts(live_server, 6000, 1, submission_id=submission, sector="video")
    page.wait_for_selector(f"#alert-{camera}")
    page.click(f"#alert-{camera} [data-open]")
    choose_basis(page, f"alert:{camera}")
    page.wait_for_selector(f"#alert-detail:has-text('Alert {camera}')")
    text = detail.inner_text()
    assert "not a registration" in text and "camera" in text
    assert detail.locator("ul.persons").count() == 0  # nobody's filing is shown
    assert "1203" not in text and "Check-in" not in text and "sector." not in text
    screenshot(page, "console-officer-camera-alert")
    assert not [
        e
        for e in audit_entries(live_server)
        if e["object_type"] == "intake_submission" and e["legal_basis"] == f"alert:{camera}"
    ]
    # a reload keeps the session; the queue comes back
    page.reload()
    page.wait_for_selector("#screen-links a")
    assert outside.urls == []


def test_business_clerk_files_and_reaches_no_police_screen(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    world = live_server.world
    for path in ("/v1/alerts", "/v1/audit", "/v1/analytics/hotspots", "/v1/units"):
        answer = world.client.get(
            path, headers=world.auth("clerk", "screening", "statute:real-name-registration")
        )
        assert answer.status_code == 403, (path, answer.status_code)
    before = len(
        world.client.get("/v1/intake/submissions", headers=world.auth("hotel_key")).json()["items"]
    )
    sign_in(page, live_server, "clerk")
    assert page.locator("#screen-links a").all_inner_texts() == ["Filing"]
    for police in ("alerts", "map", "audit", "approvals"):
        page.goto(f"{live_server.url}/console#{police}")
        page.wait_for_selector("#screen-filing:not([hidden])")
        assert page.locator(f"#screen-{police}").is_hidden()
    page.wait_for_selector("#submissions p, #submissions table")  # the screen is drawn
    form = page.locator("#filing-form")
    form.locator("input[name='guest.name']").fill("李雷")
    form.locator("input[name='guest.id_number']").fill("11010519491231002X")
    form.locator("input[name='guest.birth_date']").fill("1949")  # the register holds the year
    form.locator("input[name=check_in]").fill("2026-01-10T08:00")
    form.locator("input[name=room]").fill("1203")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#filing-result .ok")
    mine = world.client.get("/v1/intake/submissions", headers=world.auth("hotel_key")).json()
    assert mine["items"][-1]["persons"][0]["birth_date"] == "1949"  # kept as filed
    assert form.locator("select[name=sector] option").all_inner_texts() == ["hotel"]
    csv = (
        "guest.name,guest.doc_type,guest.id_number,guest.nationality,check_in,room\n"
        "王芳,cn_resident_id,360426199101010071,CHN,2026-01-10T09:00:00+00:00,201\n"
        "韩梅,cn_resident_id,123,CHN,2026-01-10T09:00:00+00:00,202\n"
    )
    page.set_input_files(
        "#upload-form input[type=file]",
        files=[{"name": "guests.csv", "mimeType": "text/csv", "buffer": csv.encode()}],
    )
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-result table.errors")
    first_error = page.locator("#upload-result table.errors tbody tr").first.inner_text()
    assert first_error.startswith("3") and "id_number" in first_error  # line 3 of the sheet
    # the same sheet as an XLSX workbook: the error still names line 3
    workbook = openpyxl.Workbook()
    for line in csv.splitlines():
        workbook.active.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    page.set_input_files(
        "#upload-form input[type=file]",
        files=[{"name": "guests.xlsx", "mimeType": XLSX, "buffer": buffer.getvalue()}],
    )
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-result:has-text('2 rows: 0 stored')")
    first_error = page.locator("#upload-result table.errors tbody tr").first.inner_text()
    assert first_error.startswith("3") and "id_number" in first_error
    page.wait_for_selector("#submissions table")
    assert page.locator("#submissions tbody tr").count() == before + 2  # the form's and the CSV's
    assert "Hotel X" in page.inner_text("#compliance")
    rate = page.locator("#compliance tr", has_text="Refusal rate").locator("td").inner_text()
    assert re.fullmatch(r"\d+(\.\d)?\s?%", rate), rate  # a share, not 0.3333
    screenshot(page, "console-business-filing")
    assert axe_violations(page) == []
    assert outside.urls == []


def file_motor_repair(form: Any, vin: str) -> None:
    """Fill the motor-repair form for one engine swap on this VIN, and send it."""
    form.locator("input[name='customer.name']").fill("王五")
    form.locator("input[name='customer.id_number']").fill("360426199101010071")
    form.locator("input[name=plate]").fill("粤B·12345")
    form.locator("input[name=vin]").fill(vin)
    form.locator("input[name=performed_at]").fill("2026-01-10T10:00")
    form.locator("button[type=submit]").click()


def test_a_motor_repair_business_files_with_its_own_form(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    sign_in_new_business(page, live_server, "Garage Z", "motor", "garage")
    form = page.locator("#filing-form")
    assert form.locator("select[name=sector] option").all_inner_texts() == ["motor repair"]
    file_motor_repair(form, "1M8GDM9AXKP042788")
    page.wait_for_selector("#filing-result .ok")
    # a refused record names the field, and nothing is stored
    form.locator("input[name=vin]").fill("NOT-A-VIN")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#filing-result table.errors")
    assert "vin" in page.inner_text("#filing-result table.errors")
    assert page.locator("#submissions tbody tr").count() == 1
    screenshot(page, "console-business-motor")
    assert axe_violations(page) == []
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_a_refused_filing_says_in_chinese_what_was_refused_and_which_field(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    """The server's words are English; the console puts the kind of refusal and the field's
    label in the reader's language before them."""
    sign_in_new_business(page, live_server, "Garage Y", "motor", "garage_y")
    form = page.locator("#filing-form")
    file_motor_repair(form, "NOT-A-VIN")
    page.wait_for_selector("#filing-result table.errors")
    assert page.inner_text("#filing-result p.error").startswith("输入无效：")
    assert "车辆识别代号 (vin)" in page.inner_text("#filing-result table.errors")
    screenshot(page, "console-business-refused-zh")
    assert outside.urls == []


def test_a_precursor_seller_files_a_chemical_sale_with_its_own_form(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    """The explosive-precursor sector on the filing screen: a sale to a business (its name
    and licence) is filed; a private buyer at a restricted concentration is refused with the
    field named, and nothing more is stored."""
    sign_in_new_business(page, live_server, "Chem Shop Q", "chemical", "chemshop")
    form = page.locator("#filing-form")
    options = form.locator("select[name=sector] option").all_inner_texts()
    assert options == ["precursor chemical sale"]
    form.locator("input[name=seller_licence]").fill("91110108000000001A")
    form.locator("select[name=buyer_kind]").select_option("business")
    form.locator("input[name=buyer_business]").fill("Riverside Pool Services")
    form.locator("input[name=buyer_licence]").fill("91110108000000002D")
    form.locator("input[name='buyer.name']").fill("赵六")
    form.locator("input[name='buyer.id_number']").fill("360426199101010071")
    form.locator("input[name=substance_cas]").fill("7722-84-1")
    form.locator("input[name=concentration_pct]").fill("35")
    form.locator("input[name=quantity]").fill("20")
    form.locator("select[name=unit]").select_option("L")
    form.locator("select[name=stated_use]").select_option("pool_water")
    form.locator("select[name=payment]").select_option("traceable")
    form.locator("input[name=sold_at]").fill("2026-01-10T11:00")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#filing-result .ok")
    page.wait_for_selector("#submissions table")
    assert "precursor chemical sale" in page.inner_text("#submissions tbody tr")
    # the same strength sold to a private person is refused, naming the field
    form.locator("select[name=buyer_kind]").select_option("private")
    form.locator("input[name=buyer_business]").fill("")
    form.locator("input[name=buyer_licence]").fill("")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#filing-result table.errors")
    assert "concentration_pct" in page.inner_text("#filing-result table.errors")
    assert page.locator("#submissions tbody tr").count() == 1
    screenshot(page, "console-business-chemical")
    page.reload()  # the next sale: the seller's own licence is filled in already
    page.wait_for_selector("#filing-form input[name=seller_licence]")
    licence = page.locator("#filing-form input[name=seller_licence]")
    assert licence.input_value() == "91110108000000001A"
    assert axe_violations(page) == []
    assert outside.urls == []


def test_analyst_map_draws_streets_and_reads_back_hot_spots(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    world = live_server.world
    rows = [json_row(r) for r in incident_rows(generate_incident_arrays(4000, seed=7))]
    stored = world.client.post("/v1/incidents", json=rows, headers=world.auth("analyst"))
    assert stored.status_code in (200, 207), stored.text
    sign_in(page, live_server, "analyst")
    assert page.locator("#screen-links a").all_inner_texts() == [
        "Places and times",
        "Cases",
        "Tips",
        "Infrastructure",
        "Patrol plan",
        "Cameras",
    ]
    page.wait_for_selector("#screen-map[data-hotspots]", timeout=30_000)
    features = page.evaluate("() => window.vigilMap.state.features")
    api = world.client.get(
        "/v1/analytics/hotspots?permutations=999&resolution=9", headers=world.auth("analyst")
    ).json()
    assert {f["properties"]["h3"] for f in features} == {c["h3"] for c in api["cells"]}
    assert all(len(f["geometry"]["coordinates"][0]) == 7 for f in features)  # hexagons, closed
    hot = [f for f in features if f["properties"]["class"].startswith("hot")]
    assert hot and page.locator("#hot-cells tr").count() >= len(hot)
    drawn = page.evaluate(
        "() => { let n = 0; window.vigilMap.map.eachLayer(() => n++); return n; }"
    )
    assert drawn > len(features)  # the streets are drawn too
    bins = page.evaluate("() => Chart.getChart('profile-chart').data.datasets[0].data.length")
    assert bins == 168  # the hour-of-week chart
    # filter by type and dates: the layer is the API's answer for the same filter
    kind = rows[0]["type"]
    page.fill("#map-filters input[name=type]", kind)
    page.fill("#map-filters input[name=since]", "2000-01-01")
    page.click("#map-filters button[type=submit]")
    page.wait_for_function(
        f"() => document.querySelector('#screen-map').dataset.hotspots !== '{len(features)}'",
        timeout=30_000,
    )
    filtered = page.evaluate("() => window.vigilMap.state.features")
    answer = world.client.get(
        f"/v1/analytics/hotspots?permutations=999&resolution=9&type={kind}&since=2000-01-01T00:00:00",
        headers=world.auth("analyst"),
    ).json()
    assert {f["properties"]["h3"] for f in filtered} == {c["h3"] for c in answer["cells"]}
    assert 0 < len(filtered) < len(features)
    screenshot(page, "console-analyst-map")
    assert axe_violations(page) == []
    assert outside.urls == []


def test_auditor_sees_the_log_and_a_401_reopens_sign_in_on_the_same_page(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    page.goto(f"{live_server.url}/console")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("input[name=username]", "auditor")
    page.fill("input[name=password]", PASSWORD)
    # a server out of reach is said so, not left silent
    page.route("**/v1/auth/token", lambda route: route.abort())
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#login-error:has-text('cannot be reached')")
    page.unroute("**/v1/auth/token")
    # while the password is checked the button shows it is busy and takes no second click
    held: list[Any] = []
    page.route("**/v1/auth/token", lambda route: held.append(route))
    page.click("#login-form button[type=submit]")
    busy = page.locator("#login-form button[aria-busy=true]")
    busy.wait_for()
    assert busy.is_disabled()
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    page.unroute("**/v1/auth/token")
    page.wait_for_selector("#screen-links a")
    assert page.locator("#login-form button[aria-busy]").count() == 0
    assert page.locator("#screen-links a").all_inner_texts() == ["Audit", "Checkpoints"]
    page.wait_for_selector("#audit-rows tr")
    assert "intact" in page.inner_text("#verify")
    screenshot(page, "console-auditor")
    assert axe_violations(page) == []
    page.fill("#audit-filters input[name=action]", "login-never")
    assert page.locator("#audit-rows tr").count() == 0
    page.evaluate("() => sessionStorage.setItem('vigil.token', 'expired')")
    page.click("#audit-more")
    page.locator("#relogin-dialog").wait_for(state="visible")
    assert page.locator("#relogin-dialog input[name=username]").input_value() == "auditor"
    page.fill("#relogin-dialog input[name=password]", PASSWORD)
    page.click("#relogin-dialog button[type=submit]")
    page.locator("#relogin-dialog").wait_for(state="hidden")
    assert page.input_value("#audit-filters input[name=action]") == "login-never"  # page kept
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_console_in_chinese_and_the_idle_lock(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    page.goto(f"{live_server.url}/console")
    page.wait_for_selector("body[data-ready=true]")
    assert page.inner_text("#login-form h2") == "登录"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert axe_violations(page) == []
    world = live_server.world
    proposal = {
        "entry_id": "W-CONSOLE-1",
        "kind": "person",
        "name": "张晓明",
        "birth_date": "1949-12-31",
        "id_number": "11010519491231002X",
        "expires_at": "2030-01-01T00:00:00+00:00",
        "basis_reference": "(2026)Court-17",
        "basis_authority": "Riverside Intermediate Court",
    }
    proposed = world.client.post(
        "/v1/screening/watchlist", json=proposal, headers=world.auth("analyst")
    )
    assert proposed.status_code == 201, proposed.text
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#screen-links a")
    assert page.locator("#screen-links a").all_inner_texts()[:3] == ["审批", "预警队列", "合作机构"]
    choose_basis(page, "statute:real-name-registration")
    row = page.locator("#proposals tr", has_text="W-CONSOLE-1")
    row.wait_for()
    text = row.inner_text()
    assert "user:analyst" in text and "(2026)Court-17" in text and "2030" in text
    screenshot(page, "console-supervisor-zh")
    row.locator("button", has_text="批准").click()
    row.wait_for(state="detached")
    entries = world.client.get(
        "/v1/screening/watchlist",
        headers=world.auth("supervisor", "screening", "statute:real-name-registration"),
    ).json()["entries"]
    assert {e["entry_id"]: e["status"] for e in entries}["W-CONSOLE-1"] == "active"
    page.evaluate("() => sessionStorage.setItem('vigil.idle_ms', '1500')")
    page.locator("#relogin-dialog").wait_for(state="visible", timeout=10_000)
    assert "锁定" in page.inner_text("#relogin-reason")
    # the switch goes back to English and is remembered
    page.fill("#relogin-dialog input[name=password]", PASSWORD)
    page.click("#relogin-dialog button[type=submit]")
    page.evaluate("() => sessionStorage.setItem('vigil.idle_ms', '0')")
    page.select_option("#lang", "en")
    page.wait_for_function(
        "() => document.querySelector('#screen-links a').textContent === 'Approvals'"
    )
    page.reload()
    page.wait_for_selector("#screen-links a")
    assert page.inner_text("#screen-links a >> nth=0") == "Approvals"
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_every_screen_in_chinese_offline_without_serious_axe_violations(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    """Each role's screens show their contents in Chinese, with no serious or critical
    accessibility problem, and nothing leaves 127.0.0.1."""
    headings = {
        "alerts": "预警队列",
        "map": "时空分析",
        "approvals": "审批",
        "audit": "审计日志",
        "filing": "信息报送",
        "partners": "合作机构与 TAXII 交换",
    }
    ready = {
        "alerts": "#page-of:not(:empty)",
        "map": "#screen-map[data-hotspots]",
        "approvals": "#proposals p, #proposals table",
        "audit": "#audit-rows tr",
        "filing": "#compliance table",
        "partners": "#screen-partners[data-loaded]",
    }
    roles = {
        "supervisor": ["approvals", "alerts", "partners"],
        "analyst": ["map", "cases", "tips"],  # cases and tips: tests/browser/test_console_cases.py
        "auditor": ["audit", "checkpoints"],
        "clerk": ["filing"],
        "admin": [],
    }
    for user, screens in roles.items():
        if screens:
            sign_in(page, live_server, user)
        else:  # the administrator works through the CLI and API: no police screen
            page.goto(f"{live_server.url}/console")
            page.wait_for_selector("body[data-ready=true]")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("#login-form button[type=submit]")
            page.wait_for_selector("#no-screens:not([hidden])")
            assert page.locator("#screen-links a").count() == 0
            assert "命令行" in page.inner_text("#no-screens")
            break
        nav = {"alerts": "预警队列", "map": "时空分析", "approvals": "审批", "audit": "审计"}
        nav |= {"filing": "信息报送", "cases": "案件", "tips": "群众线索", "checkpoints": "检查点"}
        nav["partners"] = "合作机构"
        # the operations screens that follow have their own tests (test_console_<screen>.py)
        offered = page.locator("#screen-links a").all_inner_texts()
        assert offered[: len(screens)] == [nav[s] for s in screens]
        for n, screen in enumerate(s for s in screens if s in ready):
            if n:  # the first screen opens on sign-in
                page.click(f"#screen-links a[data-screen={screen}]")
            if screen in ("alerts", "approvals"):
                choose_basis(page, "statute:real-name-registration")
            page.wait_for_selector(ready[screen], timeout=30_000)
            assert page.inner_text(f"#screen-{screen} h2").startswith(headings[screen])
            assert axe_violations(page) == [], screen
            screenshot(page, f"console-zh-{screen}")
        page.click("#logout")
        page.wait_for_selector("#login:not([hidden])")
    assert outside.urls == []
