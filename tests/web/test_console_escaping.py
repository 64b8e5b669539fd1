"""The operator console shows what businesses and analysts wrote as text, never as markup: a
guest name filed as HTML must not run in an officer's browser (run in Node with a stub DOM)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import vigil

CONSOLE = Path(vigil.__file__).parent / "web" / "static" / "console.js"
HOSTILE = '<img src=x onerror="alert(1)">'

HARNESS = """
const element = () => ({
  addEventListener() {}, value: "", innerHTML: "", querySelector: () => null,
});
globalThis.document = {
  getElementById: element, querySelectorAll: () => [], createElement: element,
};
%s
const alert = %s;
process.stdout.write(JSON.stringify({ row: alertRow(alert).innerHTML }));
"""


def test_alert_rows_escape_names_entries_and_bases() -> None:
    node = shutil.which("node")
    assert node, "Node.js runs the console's script in this test"
    alert = {
        "id": 7,
        "kind": "person",
        "score": 0.97,
        "status": "new",
        "resolution": None,
        "summary": f"hotel registration 3 matches person {HOSTILE}",
        "legal_basis": HOSTILE,
        "watchlist_entry_id": HOSTILE,
        "explanation": {HOSTILE: {"score": 0.65, "detail": f"same name ({HOSTILE} ~ 张伟)"}},
        "hits": [{"entry_id": HOSTILE, "score": 0.97, "legal_basis": HOSTILE, "explanation": {}}],
    }
    script = HARNESS % (CONSOLE.read_text(encoding="utf-8"), json.dumps(alert))
    done = subprocess.run(
        [node, "-e", script], capture_output=True, text=True, timeout=60, check=True
    )
    row = json.loads(done.stdout)["row"]
    assert "<img" not in row and "onerror=&quot;" in row
    assert row.count("&lt;img") == 5  # summary, the hit's entry and basis, feature, detail
    assert "张伟" in row and "<button" in row  # the console's own markup stays markup
