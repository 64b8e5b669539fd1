"""Small things a person notices, in a real browser: at 760 px the header's links wrap and
wide tables scroll inside their own region, a Tab stop only while they scroll; each row's
button says which row it acts on; dates follow the console's language with a 24-hour clock;
the header names the person and their role; the rule editor's times are 24-hour HH:MM in
English and Chinese, and its "Remove rule" button is no wider than its words."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations
from tests.browser.test_console_response import sign_in_to
from tests.browser.test_console_video import make_cameras_and_events

# what sticks out past the right edge of its container (header links, tables)
OVERFLOW = """() => {
  const out = [];
  const right = (el) => el.getBoundingClientRect().right;
  const header = document.querySelector('header');
  const edge = right(header) - parseFloat(getComputedStyle(header).paddingRight) + 1;
  for (const li of document.querySelectorAll('header nav li'))
    if (right(li) > edge) out.push('header: ' + li.textContent.trim());
  const main = document.querySelector('main');
  const mainEdge = right(main) - parseFloat(getComputedStyle(main).paddingRight) + 1;
  for (const t of main.querySelectorAll('table'))
    if (t.offsetParent && right(t.parentElement) > mainEdge)
      out.push('table: ' + (t.caption?.textContent || t.id));
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) out.push('page');
  return out;
}"""


# every visible table region is a Tab stop exactly when its table is wider than it
TAB_STOPS_FOLLOW_SCROLLING = """() => [...document.querySelectorAll('.table-scroll')]
  .filter((r) => r.offsetParent)
  .every((r) => (r.getAttribute('tabindex') === '0') === (r.scrollWidth > r.clientWidth))"""


WIDE_TABLE = """() => {
  const table = document.createElement('table');
  table.id = 'wide-table';
  table.innerHTML = '<caption>wide</caption><tr><td style="white-space: nowrap"></td></tr>';
  table.querySelector('td').textContent = 'x'.repeat(500);
  document.querySelector('main').append(table);
}"""


def open_cameras(page: Any, server: LiveServer, who: str = "analyst") -> None:
    make_cameras_and_events(server)
    sign_in_to(page, server, who, "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.wait_for_selector("#event-rows tr")


@pytest.mark.parametrize("page", ["en-GB", "zh-CN"], indirect=True)
def test_at_760_px_the_header_wraps_and_wide_tables_scroll_in_their_own_region(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    open_cameras(page, live_server)
    lang = page.evaluate("document.documentElement.lang")
    for width in (1280, 760):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(OVERFLOW) == [], width
        screenshot(page, f"polish-cameras-{lang}-{width}")
        page.wait_for_function(TAB_STOPS_FOLLOW_SCROLLING)
    # the cameras table sits in a region named after its caption, and scrolls there
    region = page.locator(".table-scroll:has(#camera-rows)")
    assert region.get_attribute("role") == "region"
    assert region.evaluate("r => getComputedStyle(r).overflowX") == "auto"
    # a region is a Tab stop only while it scrolls: a table drawn wide gets one, and loses
    # it when its rows narrow
    page.evaluate(WIDE_TABLE)
    wide = page.locator(".table-scroll:has(#wide-table)")
    wide.and_(page.locator("[tabindex='0']")).wait_for()
    page.evaluate("() => { document.querySelector('#wide-table td').textContent = 'x'; }")
    page.wait_for_function(TAB_STOPS_FOLLOW_SCROLLING)
    assert wide.get_attribute("tabindex") is None
    assert axe_violations(page) == []
    assert outside.urls == []


def test_each_row_button_names_its_row_and_the_header_names_the_person(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    open_cameras(page, live_server)
    for name in ("Square north forecourt", "Station east gate"):
        assert page.get_by_role("button", name=f"Show {name}", exact=True).count() == 1
    assert page.get_by_role("button", name="Show", exact=True).count() == 0
    # no table on the screen holds two buttons with one accessible name
    names = page.evaluate(
        "() => [...document.querySelectorAll('main table')].map(t =>"
        " [...t.querySelectorAll('button')]"
        ".map(b => b.getAttribute('aria-label') || b.textContent.trim()))"
    )
    assert all(len(set(buttons)) == len(buttons) for buttons in names), names
    who = page.inner_text("#who")
    assert "user:" not in who and who.startswith("analyst · analyst · ")
    assert page.inner_text("#who strong") == "analyst"
    assert outside.urls == []


@pytest.mark.parametrize(
    ("page", "shape"),
    [
        ("en-GB", r"^\d{2}/\d{2}/\d{4}, \d{2}:\d{2}:\d{2}$"),
        ("zh-CN", r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}$"),
    ],
    indirect=["page"],
)
def test_dates_follow_the_console_language_on_a_24_hour_clock(
    live_server: LiveServer, page: Any, shape: str
) -> None:
    open_cameras(page, live_server)
    times = page.locator("#event-rows tr td:first-child").all_inner_texts()
    assert times and all(re.match(shape, t) for t in times), times
    assert not any(re.search("AM|PM|上午|下午", t) for t in times), times


@pytest.mark.parametrize("page", ["en-GB", "zh-CN"], indirect=True)
def test_rule_times_are_24_hour_and_remove_rule_is_a_small_button(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    world = live_server.world
    open_cameras(page, live_server, "supervisor")  # zones and rules are a configuring role's
    lang = page.evaluate("document.documentElement.lang")
    page.click("#camera-rows tr[data-code=gate-2] [data-camera]")
    page.click("#camera-detail [data-edit]")
    page.wait_for_selector("#rule-editor[data-camera=gate-2] #add-rule")
    page.fill("#shape-name", f"kerb-{lang}")
    page.click("#draw-line")
    for x, y in (("100", "300"), ("500", "300")):
        page.fill("#point-x", x)
        page.fill("#point-y", y)
        page.click("#add-point")
    page.click("#add-rule")
    n = page.locator("#rule-rows fieldset.rule").count() - 1  # the new rule, the last one
    rule = f"#rule-rows [data-rule='{n}']"
    start = page.locator(f"{rule} [name=start]")
    assert start.get_attribute("type") in (None, "text")  # not the browser's 12-hour picker
    assert (start.input_value(), page.input_value(f"{rule} [name=end]")) == ("00:00", "23:59")
    for width in (1280, 760):
        page.set_viewport_size({"width": width, "height": 900})
        button = page.locator(f"{rule} [data-remove-rule]").bounding_box()
        fieldset = page.locator(rule).bounding_box()
        assert button["width"] < 0.4 * fieldset["width"], (width, button, fieldset)
        screenshot(page, f"polish-editor-{lang}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    # a 12-hour time is refused in the page, and nothing is sent
    start.fill("7:30 PM")
    page.click("#save-config")
    page.wait_for_selector("#config-errors li")
    assert "HH:MM" in page.inner_text("#config-errors")
    assert page.evaluate("window.vigilVideo.editor.saved") == 0
    start.fill("19:30")
    page.click("#save-config")
    page.wait_for_function("() => window.vigilVideo.editor.saved === 1")
    cameras = world.client.get("/v1/video/cameras", headers=world.auth("analyst")).json()
    camera = next(c for c in cameras if c["code"] == "gate-2")
    stored = world.client.get(
        f"/v1/video/cameras/{camera['id']}/analytics", headers=world.auth("analyst")
    ).json()
    assert stored["config"]["rules"][n]["schedule"]["start"] == "19:30:00"
    assert page.locator(f"{rule} [name=start]").input_value() == "19:30"
    assert axe_violations(page) == []
    assert outside.urls == []
