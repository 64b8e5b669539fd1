"""The audit log on both back-ends: an intact log verifies; an edited, deleted, moved or forged
entry is named; a tail cut behind a checkpoint is detected; a forged checkpoint is caught; the
CLI exits non-zero; proofs from the database verify on their own; the witness refuses a
rewritten history."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from typer.testing import CliRunner

from vigil.cli import app as cli_app
from vigil.core.clock import utcnow
from vigil.core.errors import ValidationFailed
from vigil.core.runtime import Runtime
from vigil.core.settings import KEY_NAMES
from vigil.governance import audit, tlog
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.governance.audit import Action, EntryIn, Problem
from vigil.governance.models import AuditCheckpoint, AuditEntry, AuditTile, Organisation

pytestmark = pytest.mark.storage


def _append(runtime: Runtime, n: int, *, sequence: bool = True) -> None:
    ctx = system_context()
    with runtime.unit_of_work() as session:
        for i in range(n):
            audit.record(session, ctx, Action.CONSULT, "thing", i, detail={"i": i, "note": "测试"})
    if sequence:
        audit.integrate_pending(runtime, checkpoint=False)


def _checkpoint(runtime: Runtime) -> None:
    with runtime.unit_of_work() as session:
        audit.write_checkpoint(session, runtime.settings)


def _verify(runtime: Runtime) -> audit.VerifyReport:
    with runtime.unit_of_work() as session:
        return audit.verify(session, runtime.settings)


def _cli(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    from vigil.core.settings import get_settings

    s = runtime.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    for name in KEY_NAMES:
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, ["audit", *args])
    return result.exit_code, result.output


def test_intact_log_verifies(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    _append(runtime, 25)
    _checkpoint(runtime)
    report = _verify(runtime)
    assert report.intact and report.count == 25 and report.checkpoints == 1
    code, output = _cli(runtime, monkeypatch, "verify")
    assert code == 0
    assert output.strip() == f"25 entries, log intact, root {report.head}"


def test_verify_counts_what_awaits_the_sequencer_and_the_cli_sequences_it(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _append(runtime, 4)
    _append(runtime, 3, sequence=False)
    report = _verify(runtime)
    assert (report.intact, report.count, report.pending) == (True, 4, 3)
    assert "3 awaiting the sequencer" in report.summary()
    code, output = _cli(runtime, monkeypatch, "verify")
    assert code == 0 and output.startswith("7 entries, log intact")


@pytest.mark.parametrize("column", ["actor", "object_id", "outcome", "legal_basis", "hash"])
def test_edited_row_is_named(
    runtime: Runtime, column: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _append(runtime, 10)
    with runtime.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 6).values({column: "tampered"}))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (6, Problem.EDITED)
    code, output = _cli(runtime, monkeypatch, "verify")
    assert code != 0 and "seq 6" in output and "edited" in output


def test_edited_detail_is_named(runtime: Runtime) -> None:
    _append(runtime, 5)
    with runtime.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(detail={"i": 99}))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (2, Problem.EDITED)


def test_entry_rewritten_with_a_matching_hash_is_named_by_the_tree(runtime: Runtime) -> None:
    _append(runtime, 10)
    with runtime.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.seq == 7)).one()
        entry.outcome = "refused"
        entry.hash = tlog.entry_leaf(audit.entry_document(entry)).hex()
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (7, Problem.EDITED)
    assert "tree" in report.message


def test_entry_and_tree_rewritten_together_are_caught_by_the_checkpoints(
    runtime: Runtime,
) -> None:
    """Someone rewrites an entry, its hash and every tile, but cannot sign: the checkpoints
    bracket the entry."""
    _append(runtime, 5)
    _checkpoint(runtime)
    _append(runtime, 5)
    _checkpoint(runtime)
    with runtime.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.seq == 7)).one()
        entry.outcome = "refused"
        entry.hash = tlog.entry_leaf(audit.entry_document(entry)).hex()
        leaves = [
            bytes.fromhex(h)
            for h in session.scalars(select(AuditEntry.hash).order_by(AuditEntry.seq))
        ]
        session.execute(delete(AuditTile))
        tiles = tlog.integrate_tiles(0, leaves, lambda lv, ix: b"")
        for (level, idx), data in tiles.items():
            session.add(AuditTile(level=level, idx=idx, hashes=data))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (6, Problem.EDITED)
    assert "6..10" in report.message


@pytest.mark.parametrize("victim", [1, 4, 9])
def test_deleted_row_is_named(
    runtime: Runtime, victim: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _append(runtime, 10)
    with runtime.engine.begin() as conn:
        conn.execute(delete(AuditEntry).where(AuditEntry.seq == victim))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (victim, Problem.MISSING)
    code, output = _cli(runtime, monkeypatch, "verify")
    assert code != 0 and f"seq {victim}" in output


def test_swapped_rows_are_named(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    _append(runtime, 10)
    columns = [c.name for c in AuditEntry.__table__.columns if c.name not in ("id", "seq")]
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
    assert "written as seq 5" in report.message
    code, output = _cli(runtime, monkeypatch, "verify")
    assert code != 0 and "seq 4" in output and "reordered" in output


def test_forged_entry_is_named(runtime: Runtime) -> None:
    """An entry slipped in behind the sequencer, with a correct hash, is not in the tree."""
    _append(runtime, 6)
    with runtime.unit_of_work() as session:
        forged = AuditEntry(
            seq=7,
            at=utcnow(),
            actor="user:nobody",
            organisation="X",
            action="consult",
            object_type="thing",
            object_id="1",
            purpose="",
            legal_basis="",
            recipient=None,
            outcome="ok",
            detail={},
        )
        forged.hash = tlog.entry_leaf(audit.entry_document(forged)).hex()
        session.add(forged)
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (7, Problem.EDITED)


def test_truncated_tail_behind_checkpoint_is_detected(runtime: Runtime) -> None:
    _append(runtime, 10)
    _checkpoint(runtime)
    _append(runtime, 2)
    # A careful attacker removes the tail and the tree's tiles along with it.
    with runtime.unit_of_work() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq > 7))
        leaves = [
            bytes.fromhex(h)
            for h in session.scalars(select(AuditEntry.hash).order_by(AuditEntry.seq))
        ]
        session.execute(delete(AuditTile))
        for (level, idx), data in tlog.integrate_tiles(0, leaves, lambda lv, ix: b"").items():
            session.add(AuditTile(level=level, idx=idx, hashes=data))
    report = _verify(runtime)
    assert report.problem == Problem.TRUNCATED
    assert report.first_bad_seq == 8


def test_truncated_tail_with_the_tree_left_is_detected(runtime: Runtime) -> None:
    _append(runtime, 10)
    with runtime.engine.begin() as conn:
        conn.execute(delete(AuditEntry).where(AuditEntry.seq > 8))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (9, Problem.TRUNCATED)


@pytest.mark.parametrize(
    "forgery",
    [
        "UPDATE audit_checkpoint SET size = 2",
        "UPDATE audit_checkpoint SET note = REPLACE(note, '\n3\n', '\n2\n')",
        "UPDATE audit_checkpoint SET root_hash = '" + "0" * 64 + "'",
    ],
)
def test_forged_checkpoint_is_detected(runtime: Runtime, forgery: str) -> None:
    _append(runtime, 3)
    _checkpoint(runtime)
    with runtime.engine.begin() as conn:
        conn.execute(text(forgery))
    assert _verify(runtime).problem == Problem.BAD_CHECKPOINT


def test_checkpoint_signed_by_another_key_is_detected(runtime: Runtime) -> None:
    _append(runtime, 3)
    stranger = tlog.Signer.from_seed(runtime.settings.audit_log_origin, bytes(32))
    with runtime.unit_of_work() as session:
        root = audit.root_at(session, 3)
        note = tlog.sign_note(tlog.Checkpoint(stranger.name, 3, root).body(), stranger)
        session.add(AuditCheckpoint(size=3, root_hash=root.hex(), at=utcnow(), note=note))
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (3, Problem.BAD_CHECKPOINT)


def test_entry_and_change_commit_together_or_not_at_all(runtime: Runtime) -> None:
    ctx = system_context()
    with pytest.raises(ValidationFailed), runtime.unit_of_work() as session:
        governance.create_organisation(session, ctx, "Real Agency", "agency")
        session.flush()  # the entry reaches the database, then the transaction rolls back
        governance.create_organisation(session, ctx, "Bad", "business", None)  # fails
    with runtime.unit_of_work() as session:
        assert (
            session.scalar(select(Organisation).where(Organisation.name == "Real Agency")) is None
        )
        assert audit.entry_count(session) == 0
    with runtime.unit_of_work() as session:
        governance.create_organisation(session, ctx, "Real Agency", "agency")
    assert audit.integrate_pending(runtime) == 1
    with runtime.unit_of_work() as session:
        assert audit.entry_count(session) == 1
        assert [d["object_type"] for d in audit.iter_documents(session)] == ["organisation"]
    assert _verify(runtime).intact


def test_record_many_appends_in_one_statement(runtime: Runtime) -> None:
    ctx = system_context()
    entries = [EntryIn(Action.COLLECT, "submission", i, detail={"n": i}) for i in range(50)] + [
        EntryIn(Action.CONSULT, "person", "p-1", outcome="refused", recipient="Agency B")
    ]
    statements: list[str] = []
    with runtime.unit_of_work() as session:
        from sqlalchemy import event

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(runtime.engine, "before_cursor_execute", count)
        try:
            assert audit.record_many(session, ctx, entries) == 51
            session.flush()
        finally:
            event.remove(runtime.engine, "before_cursor_execute", count)
    # one INSERT, or on PostgreSQL one COPY at this size
    assert sum(("INSERT INTO audit_log" in s) or ("COPY audit_log" in s) for s in statements) == 1
    audit.integrate_pending(runtime)
    with runtime.unit_of_work() as session:
        docs = list(audit.iter_documents(session))
    assert len(docs) == 51 and docs[-1]["recipient"] == "Agency B"
    assert docs[-1]["outcome"] == "refused" and docs[7]["detail"] == {"n": 7}
    assert _verify(runtime).intact


def test_concurrent_writers_give_one_log(runtime: Runtime) -> None:
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(10):
                _append(runtime, 2, sequence=False)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert audit.integrate_pending(runtime) == 80
    report = _verify(runtime)
    assert report.intact and report.count == 80


def test_export_verifies_standalone(runtime: Runtime, tmp_path: Path) -> None:
    _append(runtime, 7)
    _checkpoint(runtime)
    out = tmp_path / "audit.jsonl"
    with runtime.unit_of_work() as session, out.open("w") as handle:
        assert audit.export_jsonl(session, handle, runtime.settings) == 7
    lines = out.read_text().splitlines()
    log = tlog.Verifier.from_vkey(json.loads(lines[0])["log"]["vkey"])
    assert log == audit.log_verifier(runtime.settings)
    assert tlog.verify_export(lines, log).intact
    docs = [json.loads(line) for line in lines]
    docs[5]["outcome"] = "refused"  # the log line, one checkpoint, then entries 1..7
    report = tlog.verify_export([json.dumps(d) for d in docs], log)
    assert (report.first_bad_seq, report.problem) == (4, Problem.EDITED)


def _readme_script(tmp_path: Path) -> Path:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    script = re.search(r"```python\n(import json\n.*?)```", readme, re.S)
    assert script is not None
    path = tmp_path / "verify.py"
    path.write_text(script.group(1))
    return path


def test_readme_verifier_checks_an_export_and_proofs(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _readme_script(tmp_path)
    _append(runtime, 6)
    _checkpoint(runtime)
    _append(runtime, 5)
    vkey = audit.log_verifier(runtime.settings).vkey()
    code, output = _cli(runtime, monkeypatch, "prove", "--seq", "4")
    assert code == 0, output
    (tmp_path / "inclusion.json").write_text(output)
    code, output = _cli(runtime, monkeypatch, "consistency", "--from", "6")
    assert code == 0, output
    (tmp_path / "consistency.json").write_text(output)
    export = tmp_path / "audit.jsonl"
    code, output = _cli(runtime, monkeypatch, "export", "--out", str(export))
    assert code == 0, output

    def run(*args: Path | str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(script), vkey, *map(str, args)]
        return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)

    ok = run(export, tmp_path / "inclusion.json", tmp_path / "consistency.json")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("11 entries, log intact")
    assert "entry 4 is in the tree of 11" in ok.stdout
    assert "the tree of 11 extends the one of 6" in ok.stdout

    proof = json.loads((tmp_path / "inclusion.json").read_text())
    proof["hashes"][1] = proof["hashes"][0]
    (tmp_path / "bad.json").write_text(json.dumps(proof))
    assert "does not verify" in run(export, tmp_path / "bad.json").stderr

    lines = export.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace('"thing"', '"other"')
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = run(export)
    assert bad.returncode != 0 and "seq 3: edited" in bad.stderr


def test_proofs_from_the_database_verify(runtime: Runtime) -> None:
    for _ in range(3):
        _append(runtime, 97)
        _checkpoint(runtime)
    log = audit.log_verifier(runtime.settings)
    with runtime.unit_of_work() as session:
        entries = {d["seq"]: d for d in audit.iter_documents(session)}
        for seq in (1, 2, 97, 150, 256, 257, 291):
            proof = audit.inclusion_proof(session, seq)
            assert proof["tree_size"] == 291 and proof["leaf_index"] == seq - 1
            assert tlog.check_inclusion_document(proof, entries[seq], log)
            assert not tlog.check_inclusion_document(proof, entries[seq % 291 + 1], log)
        older = audit.inclusion_proof(session, 5, tree=97)
        assert tlog.check_inclusion_document(older, entries[5], log)
        for old in (0, 97, 194):
            proof = audit.consistency_proof(session, old)
            assert tlog.check_consistency_document(proof, log)
        proof = audit.consistency_proof(session, 97, 194)
        assert proof["new_size"] == 194 and tlog.check_consistency_document(proof, log)


def test_witness_cosigns_growth_and_refuses_a_rewritten_history(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key = tmp_path / "witness.json"
    code, output = _cli(
        runtime, monkeypatch, "witness-key", "--key", str(key), "--name", "oversight.test/w1"
    )
    assert code == 0, output
    witness = tlog.Verifier.from_vkey(output.strip())
    _append(runtime, 5)
    _checkpoint(runtime)
    code, output = _cli(runtime, monkeypatch, "witness", "--key", str(key))
    assert code == 0 and "size 5" in output, output
    _append(runtime, 4)
    _checkpoint(runtime)
    code, output = _cli(runtime, monkeypatch, "witness", "--key", str(key))
    assert code == 0 and "size 9" in output, output
    with runtime.unit_of_work() as session:
        checkpoints = audit.load_checkpoints(session)
    assert [len(c.cosignatures) for c in checkpoints] == [1, 1]
    assert tlog.verify_cosignature(checkpoints[-1].full_note, witness) > 0

    # An insider with the log's own key rewrites entry 3 and re-signs a bigger tree.
    with runtime.unit_of_work() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq >= 3))
        session.execute(delete(AuditTile))
        leaves = [
            bytes.fromhex(h)
            for h in session.scalars(select(AuditEntry.hash).order_by(AuditEntry.seq))
        ]
        for (level, idx), data in tlog.integrate_tiles(0, leaves, lambda lv, ix: b"").items():
            session.add(AuditTile(level=level, idx=idx, hashes=data))
    _append(runtime, 10)
    _checkpoint(runtime)
    code, output = _cli(runtime, monkeypatch, "witness", "--key", str(key))
    assert code == 1 and "rewritten" in output
    assert json.loads(key.read_text())["size"] == 9


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite has one writer by design
def test_writers_do_not_wait_on_each_other(runtime: Runtime) -> None:
    """Session A holds an open transaction with an appended entry; session B appends and
    commits meanwhile. The sequencer numbers what it sees committed, in that order. (On
    SQLite, tests/pipeline/storage/test_parallel_workers.py shows writers queue and lose
    nothing.)"""
    ctx = system_context()
    session_a = runtime.sessions()
    try:
        audit.record(session_a, ctx, Action.CONSULT, "thing", "A")
        session_a.flush()
        done = threading.Event()

        def writer_b() -> None:
            with runtime.unit_of_work() as session_b:
                session_b.connection().exec_driver_sql("SET LOCAL lock_timeout = '5s'")
                audit.record(session_b, ctx, Action.CONSULT, "thing", "B")
                audit.record_many(session_b, ctx, [EntryIn(Action.CONSULT, "thing", "B2")])
            done.set()

        thread = threading.Thread(target=writer_b)
        thread.start()
        thread.join(timeout=30)
        assert done.is_set(), "B waited for A"
        assert audit.integrate_pending(runtime) == 2
        session_a.commit()
    finally:
        session_a.close()
    assert audit.integrate_pending(runtime) == 1
    with runtime.unit_of_work() as session:
        order = [d["object_id"] for d in audit.iter_documents(session)]
    assert order == ["B", "B2", "A"]
    assert _verify(runtime).intact


def test_one_sequencer_at_a_time(runtime: Runtime) -> None:
    _append(runtime, 5, sequence=False)
    if runtime.engine.dialect.name == "postgresql":
        holder = runtime.sessions()
        try:
            assert audit.integrate_pending(holder) == 5  # holds the lock until it commits
            _append(runtime, 3, sequence=False)
            assert audit.integrate_pending(runtime) == 0  # the other sequencer stands aside
            holder.commit()
        finally:
            holder.close()
        assert audit.integrate_pending(runtime) == 3
    errors: list[BaseException] = []
    stop = threading.Event()

    def sequencer() -> None:
        try:
            while not stop.wait(0.002):
                audit.integrate_pending(runtime, limit=7)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    def writer() -> None:
        try:
            for _ in range(15):
                _append(runtime, 3, sequence=False)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    sequencers = [threading.Thread(target=sequencer) for _ in range(3)]
    writers = [threading.Thread(target=writer) for _ in range(2)]
    for thread in sequencers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in sequencers:
        thread.join()
    assert not errors
    audit.integrate_pending(runtime)
    with runtime.unit_of_work() as session:
        seqs = list(session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)))
        assert session.scalar(select(func.count()).where(AuditEntry.seq.is_(None))) == 0
    total = 5 + (3 if runtime.engine.dialect.name == "postgresql" else 0) + 90
    assert seqs == list(range(1, total + 1))
    assert _verify(runtime).intact


def test_sequence_command_and_checkpoint_note(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _append(runtime, 4, sequence=False)
    code, output = _cli(runtime, monkeypatch, "sequence")
    assert code == 0 and "sequenced 4 entries; the tree holds 4" in output
    code, output = _cli(runtime, monkeypatch, "checkpoint")
    assert code == 0
    note = output[output.index(runtime.settings.audit_log_origin) :]
    checkpoint = tlog.open_checkpoint(note, audit.log_verifier(runtime.settings))
    assert checkpoint.size == 4
    code, output = _cli(runtime, monkeypatch, "key")
    assert output.strip() == audit.log_verifier(runtime.settings).vkey()


def test_old_key_file_gains_the_log_key(tmp_path: Path) -> None:
    from vigil.core.settings import Settings

    old = {"secret_key": "s" * 20, "id_encryption_key": "e" * 44, "id_hash_key": "h" * 20}
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(old))
    settings = Settings(key_file=path).with_generated_keys()
    stored = json.loads(path.read_text())
    assert {k: stored[k] for k in old} == old
    assert settings.audit_log_key is not None
    assert stored["audit_log_key"] == settings.audit_log_key.get_secret_value()
    audit.log_signer(settings)  # a usable Ed25519 key


def test_insert_without_the_orm_is_sequenced_too(runtime: Runtime) -> None:
    """Anything that inserts rows the way record_many does is picked up; a row written
    without the entry key carries no seal, and verify names it."""
    with runtime.engine.begin() as conn:
        conn.execute(
            insert(AuditEntry),
            [
                {
                    "at": utcnow(),
                    "actor": "system",
                    "organisation": "",
                    "action": "collect",
                    "object_type": "x",
                    "object_id": "1",
                    "purpose": "",
                    "legal_basis": "",
                    "outcome": "ok",
                    "detail": {},
                }
            ],
        )
    assert audit.integrate_pending(runtime) == 1
    report = _verify(runtime)
    assert (report.first_bad_seq, report.problem) == (1, Problem.UNSEALED)


def test_the_server_sequences_and_checkpoints_in_the_background(runtime: Runtime) -> None:
    import time

    from fastapi.testclient import TestClient

    from vigil.api.app import create_app

    app = create_app(runtime, checkpoint_interval_s=0.3, pipeline_in_process=False)
    with TestClient(app):
        _append(runtime, 3, sequence=False)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with runtime.unit_of_work() as session:
                checkpoints = audit.load_checkpoints(session)
                if audit.pending_count(session) == 0 and checkpoints and checkpoints[-1].size == 3:
                    break
            time.sleep(0.1)
    report = _verify(runtime)
    assert report.intact and report.count == 3 and report.checkpoints >= 1


def test_a_checkpoint_at_an_unmoved_head_is_the_one_already_signed(runtime: Runtime) -> None:
    """Asked twice at the same head, the log signs one checkpoint: the second call returns
    the first (whose note is the same bytes), the witness's cosignature stays on it, and the
    list shows it once. A grown log gets a new one, which the witness cosigns in turn."""
    from tests.world import build_world

    w = build_world(runtime)
    auditor = w.auth("auditor")
    witness = tlog.Signer.from_seed("oversight.test/w1", bytes(range(32)), tlog.SIG_COSIGNATURE_V1)
    log = audit.log_verifier(runtime.settings)
    audit.integrate_pending(runtime, checkpoint=False)
    first = w.client.post("/v1/audit/checkpoint", headers=auditor)
    assert first.status_code == 201, first.text
    with runtime.unit_of_work() as session:
        state, cosigned = audit.witness_latest(session, log, witness, audit.WitnessState())
    again = w.client.post("/v1/audit/checkpoint", headers=auditor)
    assert again.status_code == 201 and again.json() == first.json()
    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1
        same_state, same = audit.witness_latest(session, log, witness, state)
    assert (same.id, same_state) == (cosigned.id, state)
    listed = w.client.get("/v1/audit/checkpoints", headers=auditor).json()
    assert [(c["size"], c["witnesses"]) for c in listed] == [(state.size, ["oversight.test/w1"])]
    _append(runtime, 2)
    grown = w.client.post("/v1/audit/checkpoint", headers=auditor).json()
    assert grown["seq"] == state.size + 2
    with runtime.unit_of_work() as session:
        audit.witness_latest(session, log, witness, state)
    listed = w.client.get("/v1/audit/checkpoints", headers=auditor).json()
    sizes = [(c["size"], c["witnesses"]) for c in listed]
    assert sizes == [(state.size + 2, ["oversight.test/w1"]), (state.size, ["oversight.test/w1"])]
    assert _verify(runtime).problem is None


def test_two_checkpoint_writers_at_once_sign_one_checkpoint(runtime: Runtime) -> None:
    """A second writer that asks while the first has not committed waits for it, then finds
    the head signed, instead of writing a second row for the same tree."""
    import time

    _append(runtime, 3)
    second: list[AuditCheckpoint] = []

    def write_second() -> None:
        with runtime.unit_of_work() as session:
            cp = audit.write_checkpoint(session, runtime.settings)
            second.append(cp)
            session.expunge(cp)

    with runtime.unit_of_work() as session:
        session.execute(delete(AuditCheckpoint))
    with runtime.unit_of_work() as first_session:
        first = audit.write_checkpoint(first_session, runtime.settings)
        first_id = first.id
        thread = threading.Thread(target=write_second)
        thread.start()
        deadline = time.monotonic() + 10  # until the second writer waits, or has written
        while thread.is_alive() and time.monotonic() < deadline and not _a_writer_waits(runtime):
            time.sleep(0.05)
    thread.join(timeout=30)
    assert not thread.is_alive()
    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1
    assert [cp.id for cp in second] == [first_id]


def _a_writer_waits(runtime: Runtime) -> bool:
    """Whether some transaction waits on a lock. On SQLite the first writer's BEGIN IMMEDIATE
    holds the one write lock, so the second waits by construction."""
    if runtime.engine.dialect.name != "postgresql":
        return True
    with runtime.engine.connect() as connection:
        return bool(connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")))
