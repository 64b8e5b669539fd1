"""The audit chain on both back-ends: intact chains verify; an edited, deleted or swapped row
is named; a tail cut behind a checkpoint is detected; the CLI exits non-zero."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from typer.testing import CliRunner

from vigil.cli import app as cli_app
from vigil.core.errors import ValidationFailed
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.governance.audit import Action, Problem
from vigil.governance.models import AuditEntry, AuditHead, Organisation

pytestmark = pytest.mark.storage


def _append(runtime: Runtime, n: int) -> None:
    ctx = system_context()
    with runtime.unit_of_work() as session:
        for i in range(n):
            audit.record(session, ctx, Action.CONSULT, "thing", i, detail={"i": i, "note": "测试"})


def _verify(runtime: Runtime) -> audit.VerifyReport:
    with runtime.unit_of_work() as session:
        return audit.verify(session, runtime.secret_key)


def _cli_verify(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> tuple[int, str]:
    from vigil.core.settings import get_settings

    s = runtime.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    for name in ("secret_key", "id_encryption_key", "id_hash_key"):
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, ["audit", "verify"])
    return result.exit_code, result.output


def test_intact_chain_verifies(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _append(runtime, 25)
    report = _verify(runtime)
    assert report.intact and report.count == 25
    code, output = _cli_verify(runtime, monkeypatch, tmp_path)
    assert code == 0
    assert output.strip() == f"25 entries, chain intact, head {report.head}"


@pytest.mark.parametrize("column", ["actor", "object_id", "outcome", "legal_basis", "hash"])
def test_edited_row_is_named(
    runtime: Runtime, column: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _append(runtime, 10)
    with runtime.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 6).values({column: "tampered"}))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (6, Problem.EDITED)
    code, output = _cli_verify(runtime, monkeypatch, tmp_path)
    assert code != 0 and "seq 6" in output and "edited" in output


def test_edited_detail_is_named(runtime: Runtime) -> None:
    _append(runtime, 5)
    with runtime.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(detail={"i": 99}))
    assert (_verify(runtime).first_bad_seq, _verify(runtime).problem) == (2, Problem.EDITED)


@pytest.mark.parametrize("victim", [1, 4, 9])
def test_deleted_row_is_named(
    runtime: Runtime, victim: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _append(runtime, 10)
    with runtime.engine.begin() as conn:
        conn.execute(delete(AuditEntry).where(AuditEntry.seq == victim))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (victim, Problem.MISSING)
    code, output = _cli_verify(runtime, monkeypatch, tmp_path)
    assert code != 0 and f"seq {victim}" in output


def test_swapped_rows_are_named(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _append(runtime, 10)
    columns = [c.name for c in AuditEntry.__table__.columns if c.name != "seq"]
    with runtime.unit_of_work() as session:
        rows = {
            e.seq: {c: getattr(e, c) for c in columns}
            for e in session.scalars(select(AuditEntry).where(AuditEntry.seq.in_([4, 5])))
        }
    with runtime.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(rows[5]))
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 5).values(rows[4]))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (4, Problem.REORDERED)
    code, output = _cli_verify(runtime, monkeypatch, tmp_path)
    assert code != 0 and "seq 4" in output and "reordered" in output


def test_truncated_tail_behind_checkpoint_is_detected(runtime: Runtime) -> None:
    _append(runtime, 10)
    with runtime.unit_of_work() as session:
        audit.write_checkpoint(session, runtime.secret_key)
    _append(runtime, 2)
    # A careful attacker removes the tail and rewinds the head row too.
    with runtime.engine.begin() as conn:
        conn.execute(delete(AuditEntry).where(AuditEntry.seq > 7))
        head = conn.execute(select(AuditEntry.hash).where(AuditEntry.seq == 7)).scalar_one()
        conn.execute(update(AuditHead).values(seq=7, hash=head))
    report = _verify(runtime)
    assert report.problem == Problem.TRUNCATED
    assert report.first_bad_seq == 8


def test_forged_checkpoint_is_detected(runtime: Runtime) -> None:
    _append(runtime, 3)
    with runtime.unit_of_work() as session:
        audit.write_checkpoint(session, runtime.secret_key)
    with runtime.engine.begin() as conn:
        conn.execute(text("UPDATE audit_checkpoint SET seq = 2"))
    assert _verify(runtime).problem == Problem.BAD_CHECKPOINT


def test_entry_and_change_commit_together_or_not_at_all(runtime: Runtime) -> None:
    ctx = system_context()
    with pytest.raises(ValidationFailed), runtime.unit_of_work() as session:
        governance.create_organisation(session, ctx, "Real Agency", "agency")
        governance.create_organisation(session, ctx, "Bad", "business", None)  # fails
    with runtime.unit_of_work() as session:
        assert (
            session.scalar(select(Organisation).where(Organisation.name == "Real Agency")) is None
        )
        assert audit.entry_count(session) == 0
    with runtime.unit_of_work() as session:
        governance.create_organisation(session, ctx, "Real Agency", "agency")
    with runtime.unit_of_work() as session:
        assert audit.entry_count(session) == 1


def test_concurrent_writers_keep_one_linear_chain(runtime: Runtime) -> None:
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(10):
                _append(runtime, 2)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = _verify(runtime)
    assert report.intact and report.count == 80


def test_export_verifies_standalone(runtime: Runtime, tmp_path: Path) -> None:
    _append(runtime, 7)
    with runtime.unit_of_work() as session:
        audit.write_checkpoint(session, runtime.secret_key)
    out = tmp_path / "audit.jsonl"
    with runtime.unit_of_work() as session, out.open("w") as handle:
        audit.export_jsonl(session, handle)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    docs = [d for d in lines if "checkpoint" not in d]
    assert audit.verify_documents(docs).intact
    docs[3]["outcome"] = "refused"
    assert audit.verify_documents(docs).first_bad_seq == 4


def test_readme_verifier_script_accepts_an_export_and_rejects_an_edit(
    runtime: Runtime, tmp_path: Path
) -> None:
    import re
    import subprocess
    import sys

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    script = re.search(r"```python\n(import hashlib.*?)```", readme, re.S)
    assert script is not None
    (tmp_path / "verify.py").write_text(script.group(1))
    _append(runtime, 6)
    export = tmp_path / "audit.jsonl"
    with runtime.unit_of_work() as session, export.open("w", encoding="utf-8") as handle:
        audit.export_jsonl(session, handle)
    ok = subprocess.run(
        [sys.executable, str(tmp_path / "verify.py"), str(export)], capture_output=True, text=True
    )
    assert ok.returncode == 0 and ok.stdout.startswith("6 entries, chain intact")
    lines = export.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"thing"', '"other"')
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, str(tmp_path / "verify.py"), str(export)], capture_output=True, text=True
    )
    assert bad.returncode != 0 and "entry 3 edited" in bad.stderr
