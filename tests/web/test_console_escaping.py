"""The operator console shows what businesses and analysts wrote as text, never as markup: a
guest name filed as HTML must not run in an officer's browser (the console's renderer, run
in Node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import vigil

RENDER = Path(vigil.__file__).parent / "web" / "static" / "js" / "render.js"
HOSTILE = '<img src=x onerror="alert(1)">'

HARNESS = """
const render = await import(%s);
const t = (key) => key;
process.stdout.write(JSON.stringify({
  row: render.alertRowHtml(%s, t),
  why: render.explainHtml(%s),
}));
"""


def test_alert_rows_escape_names_entries_and_bases() -> None:
    node = shutil.which("node")
    assert node, "Node.js runs the console's renderer in this test"
    alert = {
        "id": 7,
        "kind": "person",
        "score": 0.97,
        "status": "new",
        "resolution": None,
        "summary": f"hotel registration 3 matches person {HOSTILE}",
        "legal_basis": HOSTILE,
        "watchlist_entry_id": HOSTILE,
        "created_at": HOSTILE,
        "explanation": {HOSTILE: {"score": 0.65, "detail": f"same name ({HOSTILE} ~ 张伟)"}},
        "hits": [{"entry_id": HOSTILE, "score": 0.97, "legal_basis": HOSTILE, "explanation": {}}],
    }
    script = HARNESS % (
        json.dumps(RENDER.as_uri()),
        json.dumps(alert),
        json.dumps(alert["explanation"]),
    )
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    out = json.loads(done.stdout)
    row, why = out["row"], out["why"]
    assert "<img" not in row and "onerror=&quot;" in row
    assert row.count("&lt;img") == 4  # summary, the hit's entry and basis, the time
    assert "<button" in row  # the console's own markup stays markup
    assert "<img" not in why and why.count("&lt;img") == 2 and "张伟" in why
