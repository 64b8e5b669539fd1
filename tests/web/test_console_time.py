"""The console writes dates in its own language's style with a 24-hour clock: en-GB for
English, zh-CN for Chinese, whatever the browser's own locale (render.js run in Node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from tests.web.test_console_escaping import RENDER

HARNESS = """
const render = await import(%s);
const at = ["2026-12-07T15:04:05Z", "2026-12-07T03:04:05Z"];
process.stdout.write(JSON.stringify({
  en: at.map((iso) => render.formatTime(iso, "en")),
  zh: at.map((iso) => render.formatTime(iso, "zh-CN")),
  unknown: render.formatTime(at[0], "fr"),
  bad: render.formatTime("not a time", "en"),
}));
"""


def test_format_time_uses_the_console_language_and_a_24_hour_clock() -> None:
    node = shutil.which("node")
    assert node, "Node.js runs the console's renderer in this test"
    done = subprocess.run(
        [node, "--input-type=module", "-e", HARNESS % json.dumps(RENDER.as_uri())],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "TZ": "UTC", "LANG": "en_US.UTF-8"},
    )
    out = json.loads(done.stdout)
    assert out["en"] == ["07/12/2026, 15:04:05", "07/12/2026, 03:04:05"]
    assert out["zh"] == ["2026/12/07 15:04:05", "2026/12/07 03:04:05"]
    assert out["unknown"] == out["en"][0]  # a language the console lacks reads as English
    assert out["bad"] == "not a time"
