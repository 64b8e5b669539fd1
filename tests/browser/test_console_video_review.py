"""The cameras screen's review queue, live counts and zone editor in a real browser: an
operator reviews an event with its blurred snapshot by keyboard, sees a zone's count change
while the screen is open, draws a zone and a line on the camera's still frame and saves them
with a rule; the worker's configuration then holds them in the frame's pixels. English and
Chinese, axe-clean, nothing leaving 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import pytest

from tests.browser.conftest import LiveServer, Outside
from tests.browser.test_console import axe_violations
from tests.browser.test_console_response import CITY, sign_in_to
from tests.video.sources import add_square_camera, post_events
from vigil.video.worker.privacy import PrivacyMask, write_snapshot
from vigil.video.worker.synth import render

SHOTS = Path("/tmp/shots-videoconsole")
MASK = [[0.0, 0.0], [0.25, 0.0], [0.25, 0.3], [0.0, 0.3]]


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def store(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A snapshot store with one blurred street frame, and the events that name it."""
    root = tmp_path_factory.mktemp("snapshots")
    live_server.world.runtime.settings.video_snapshot_dir = root
    clip = render("street", frames=40, seed=5, width=640, height=360)
    people = [b.box for b in clip.truth[30] if b.label == "person"]
    # as the worker writes it: the mask blacked out, then people blurred
    mask = PrivacyMask([[(x * 640, y * 360) for x, y in MASK]], (360, 640))
    write_snapshot(root, "sq-1/ev-1.jpg", mask.apply(clip.frames[30]), people)
    assert cv2.imread(str(root / "sq-1/ev-1.jpg")).shape == (360, 640, 3)
    world = live_server.world
    add_square_camera(world, CITY, privacy_masks=[MASK])
    events = [
        _event("ev-1", "intrusion", "2026-12-06T01:00:00+08:00", snapshot="sq-1/ev-1.jpg"),
        _event("ev-2", "loitering", "2026-12-06T00:30:00+08:00"),
        _event("c-1", "zone_count", "2026-12-06T00:00:00+08:00", value=9),
        _event("c-2", "zone_count", "2026-12-06T00:15:00+08:00", value=12),
    ]
    post_events(world, events)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _event(source_id: str, kind: str, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "source": "console-test", "source_event_id": source_id, "camera": "sq-1", "kind": kind,
        "zone": "fountain", "label": "person", "started_at": at, **extra,
    }  # fmt: skip


def test_review_an_event_by_keyboard_with_its_blurred_snapshot(
    live_server: LiveServer, store: Path, page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "officer", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    review = page.evaluate("window.vigilVideo.review")
    assert review["queue"] == 2 and review["open"] == 2  # zone counts are not in the queue
    codes = page.locator("#review-rows tr").evaluate_all("rs => rs.map(r => r.dataset.event)")
    assert codes == ["1", "2"]  # newest first
    page.click("#review-rows [data-review='1']")
    page.wait_for_selector("#review-snapshot")
    size = page.eval_on_selector("#review-snapshot", "i => [i.naturalWidth, i.naturalHeight]")
    assert size == [640, 360]  # the stored (blurred) image itself
    assert page.evaluate("document.activeElement.id") == "review-panel"
    shot(page, "review-snapshot-en")
    page.fill("#review-note", "a person climbed the fence")
    page.focus("#review-panel")
    page.keyboard.press("c")  # confirm by keyboard
    page.wait_for_selector("#review-panel[data-event='2']")  # on to the next open event
    assert "no snapshot" in page.inner_text("#review-panel").lower()
    shot(page, "review-en")
    page.keyboard.press("f")
    page.wait_for_function("() => window.vigilVideo.review.queue === 0")
    verdicts = live_server.world.client.get(
        "/v1/video/review", headers=live_server.world.auth("officer")
    ).json()
    by_id = {e["id"]: e for e in verdicts}
    assert by_id[1]["review_state"] == "confirmed"
    assert by_id[1]["review_note"] == "a person climbed the fence"
    assert by_id[2]["review_state"] == "false_alarm" and by_id[2]["reviewed_by"]
    page.select_option("#review-filters [name=state]", "")
    page.wait_for_function("() => window.vigilVideo.review.queue === 2")
    assert "confirmed" in page.inner_text("#review-rows")
    assert axe_violations(page) == []
    assert outside.urls == []


def test_a_live_count_changes_on_the_screen(
    live_server: LiveServer, store: Path, page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "analyst", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    row = "#count-rows tr[data-series='sq-1|fountain|person'] .count-latest"
    assert page.inner_text(row) == "12"
    assert page.locator("#count-rows canvas").count() == 1
    world = live_server.world
    later = [_event("c-3", "zone_count", "2026-12-06T00:30:00+08:00", value=17)]
    post_events(world, later)
    page.wait_for_function(
        f"() => document.querySelector(\"{row}\").textContent === '17'", timeout=20_000
    )
    label = page.get_attribute("#count-rows canvas", "aria-label")
    assert label is not None and label.endswith("9, 12, 17")
    shot(page, "counts-en")
    assert outside.urls == []


def _click_frame(page: Any, fx: float, fy: float) -> None:
    box = page.locator("#editor-svg").bounding_box()
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def test_draw_a_zone_and_a_line_on_the_still_frame_and_save_them(
    live_server: LiveServer, store: Path, page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "supervisor", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.click("#camera-rows tr[data-code=sq-1] [data-camera]")
    page.click("#camera-detail [data-edit]")
    page.wait_for_selector("#rule-editor[data-camera=sq-1] #editor-svg")
    editor = page.evaluate("window.vigilVideo.editor")
    assert editor["still"] == "snapshot" and editor["frame"] == [640, 360]
    assert editor["reshaped"] is False
    # the camera's mask, in the frame's pixels, shown and not a zone
    assert page.get_attribute("#editor-svg polygon.mask", "points") == (
        "0.0,0.0 160.0,0.0 160.0,108.0 0.0,108.0"
    )
    page.fill("#shape-name", "fountain")
    page.click("#draw-zone")
    for fx, fy in ((0.5, 0.5), (0.75, 0.5), (0.75, 0.75)):
        _click_frame(page, fx, fy)
    page.fill("#point-x", "320")  # a corner typed in, for the keyboard
    page.fill("#point-y", "270")
    page.click("#add-point")
    page.click("#finish-shape")
    page.fill("#shape-name", "gate")
    page.click("#draw-line")
    _click_frame(page, 0.1, 0.9)
    _click_frame(page, 0.4, 0.9)
    editor = page.evaluate("window.vigilVideo.editor")
    assert (editor["zones"], editor["lines"]) == (1, 1)
    page.click("#add-rule")
    page.fill("#rule-rows [data-rule='0'] [name=name]", "night intrusion")
    page.fill("#rule-rows [data-rule='0'] [name=start]", "22:00")
    page.fill("#rule-rows [data-rule='0'] [name=end]", "06:00")
    page.uncheck("#rule-rows [data-rule='0'] [name=day][value='6']")
    page.check("#rule-rows [data-rule='0'] [name=label][value=vehicle]")
    page.fill("#rule-rows [data-rule='0'] [name=threshold]", "1.5")  # intrusion: inside for 1.5 s
    page.click("#save-config")
    page.wait_for_function("() => window.vigilVideo.editor.saved === 1")
    shot(page, "editor-en")
    stored = live_server.world.client.get(
        "/v1/video/cameras/1/analytics", headers=live_server.world.auth("analyst")
    ).json()
    assert stored["stored"] and (stored["frame_width"], stored["frame_height"]) == (640, 360)
    (zone,) = stored["config"]["zones"]
    assert zone["name"] == "fountain" and len(zone["polygon"]) == 4
    xs = [x for x, _ in zone["polygon"]]
    ys = [y for _, y in zone["polygon"]]
    assert xs[0] == pytest.approx(320, abs=3) and xs[1] == pytest.approx(480, abs=3)
    assert ys[0] == pytest.approx(180, abs=3) and ys[2] == pytest.approx(270, abs=3)
    assert zone["polygon"][3] == [320, 270]
    (line,) = stored["config"]["lines"]
    assert line["a"][1] == pytest.approx(324, abs=3) and line["b"][0] == pytest.approx(256, abs=3)
    (rule,) = stored["config"]["rules"]
    assert rule["name"] == "night intrusion" and rule["kind"] == "intrusion"
    assert rule["zone"] == "fountain" and rule["schedule"]["days"] == [0, 1, 2, 3, 4, 5]
    assert rule["labels"] == ["person", "vehicle"] and rule["confirm_s"] == 1.5
    assert rule["schedule"]["start"] == "22:00:00" and rule["schedule"]["end"] == "06:00:00"

    # a rule that names no zone: the server's field errors, nothing stored
    page.click("#add-rule")
    page.fill("#rule-rows [data-rule='1'] [name=name]", "night intrusion")
    page.click("#save-config")
    page.wait_for_selector("#config-errors li")
    assert "unique" in page.inner_text("#config-errors")
    assert page.evaluate("window.vigilVideo.editor.saved") == 1
    assert axe_violations(page) == []
    assert outside.urls == []


@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)
def test_review_counts_and_editor_in_chinese(
    live_server: LiveServer, store: Path, page: Any, outside: Outside
) -> None:
    sign_in_to(page, live_server, "supervisor", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    assert "待复核事件" in page.inner_text("#video-review")
    assert "各区域实时计数" in page.inner_text("#video-counts")
    page.select_option("#review-filters [name=state]", "")
    page.wait_for_selector("#review-rows [data-review='1']")
    page.click("#review-rows [data-review='1']")
    page.wait_for_selector("#review-snapshot")
    assert "人像" in page.inner_text("#review-panel")
    page.click("#camera-rows tr[data-code=sq-1] [data-camera]")
    page.click("#camera-detail [data-edit]")
    page.wait_for_selector("#rule-editor[data-camera=sq-1] #editor-svg")
    assert "区域" in page.inner_text("#rule-editor")
    shot(page, "zh-video-review")
    assert axe_violations(page) == []
    assert outside.urls == []


def test_the_editor_warns_when_the_picture_changed_shape_since_the_rules_were_drawn(
    live_server: LiveServer, store: Path, page: Any, outside: Outside
) -> None:
    """Rules stored on a 16:9 frame, then a 4:3 snapshot: the editor says the snapshot is
    stretched and asks for the shapes to be checked."""
    world = live_server.world
    config = world.client.get("/v1/video/cameras/1/analytics", headers=world.auth("analyst"))
    saved = world.client.put(
        "/v1/video/cameras/1/analytics",
        json={"frame_width": 640, "frame_height": 360, "config": config.json()["config"]},
        headers=world.auth("supervisor"),
    )
    assert saved.status_code == 200, saved.text
    clip = render("street", frames=31, seed=6, width=480, height=360)
    write_snapshot(store, "sq-1/ev-43.jpg", clip.frames[30], [])
    post_events(world, [_event("ev-43", "intrusion", "2026-12-06T02:00:00+08:00",
                               snapshot="sq-1/ev-43.jpg")])  # fmt: skip
    sign_in_to(page, live_server, "supervisor", "video")
    page.wait_for_selector("#screen-video[data-cameras]")
    page.click("#camera-rows tr[data-code=sq-1] [data-camera]")
    page.click("#camera-detail [data-edit]")
    page.wait_for_selector("#rule-editor[data-camera=sq-1] #editor-svg")
    assert page.evaluate("window.vigilVideo.editor.reshaped") is True
    warning = page.inner_text("#editor-reshaped")
    assert "640 × 360" in warning and "480 × 360" in warning
    shot(page, "editor-reshaped-en")
    assert axe_violations(page) == []
    assert outside.urls == []
