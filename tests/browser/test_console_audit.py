"""The auditor's checkpoints screen in a real browser: the log verifies, its signed
checkpoints are listed with the witness that cosigned one of them, and the whole log
downloads as JSONL whose entries and checkpoints are the log's own (the export is itself
audited). Both languages, axe-clean, nothing beyond 127.0.0.1."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import audit_entries, axe_violations, sign_in
from vigil.governance import audit, tlog
from vigil.governance.access import system_context

WITNESS = "oversight.example/w1"


def test_auditor_sees_checkpoints_with_a_witness_and_downloads_the_log(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    world = live_server.world
    runtime = world.runtime
    audit.integrate_pending(runtime, checkpoint=False)
    first = world.client.post("/v1/audit/checkpoint", headers=world.auth("auditor"))
    assert first.status_code == 201, first.text
    witness = tlog.Signer.from_seed(
        WITNESS, base64.b64decode(tlog.new_seed()), tlog.SIG_COSIGNATURE_V1
    )
    with runtime.unit_of_work() as session:
        audit.witness_latest(
            session,
            audit.log_verifier(runtime.settings),
            witness,
            audit.WitnessState(0, tlog.EMPTY_ROOT),
        )
    with runtime.unit_of_work() as session:  # the log grows before the next checkpoint
        audit.record(session, system_context(), audit.Action.CONSULT, "tip", "list")
    audit.integrate_pending(runtime, checkpoint=False)
    second = world.client.post("/v1/audit/checkpoint", headers=world.auth("auditor"))
    assert second.status_code == 201, second.text
    assert second.json()["seq"] > first.json()["seq"]
    # the API refuses the export and the list to anyone but an auditor
    for path in ("/v1/audit/export", "/v1/audit/checkpoints"):
        assert world.client.get(path, headers=world.auth("analyst")).status_code == 403

    sign_in(page, live_server, "auditor")
    page.click("#screen-links a[data-screen=checkpoints]")
    page.wait_for_selector("#checkpoint-rows tr")
    assert "intact" in page.inner_text("#verify-result")
    rows = page.locator("#checkpoint-rows tr").all_inner_texts()
    assert len(rows) >= 2
    assert rows[0].startswith(str(second.json()["seq"]))  # newest first
    witnessed = [r for r in rows if WITNESS in r]
    assert len(witnessed) == 1 and witnessed[0].startswith(str(first.json()["seq"]))
    assert "not yet cosigned" in rows[0]
    assert axe_violations(page) == []
    screenshot(page, "audit_checkpoints_en")

    with page.expect_download() as info:
        page.click("#audit-export")
    download = info.value
    assert download.suggested_filename.startswith("vigil-audit-")
    assert download.suggested_filename.endswith(".jsonl")
    text = Path(download.path()).read_text(encoding="utf-8")
    lines = [json.loads(x) for x in text.splitlines()]
    assert lines[0]["log"]["vkey"] == audit.log_verifier(runtime.settings).vkey()
    notes = [x["checkpoint"]["note"] for x in lines if "checkpoint" in x]
    assert any(f"— {WITNESS} " in note for note in notes)
    exported = [x for x in lines if "seq" in x]
    assert [x["seq"] for x in exported] == list(range(1, len(exported) + 1))
    page.wait_for_function(
        "() => document.getElementById('export-state').textContent.startsWith('Downloaded')"
    )
    audit.integrate_pending(runtime, checkpoint=False)
    assert any(
        e["object_type"] == "audit_log" and e["actor"] == "user:auditor"
        for e in audit_entries(live_server)
    )

    page.select_option("#lang", "zh-CN")
    page.wait_for_selector("#screen-checkpoints h2:text('检查点与导出')")
    page.wait_for_selector("#checkpoint-rows tr")
    assert "尚未联署" in page.inner_text("#checkpoint-rows")
    assert axe_violations(page) == []
    screenshot(page, "audit_checkpoints_zh")
    assert outside.urls == []
