"""Entries are sealed as they are written (an HMAC under a key in the settings, never in the
database), so that whoever can write the database alone cannot forge or edit an entry even
after the last checkpoint, where no witnessed leaf covers it yet. Each attack below leaves the
database agreeing with itself (hashes and tree recomputed, stale checkpoints deleted); the
check with the entry key names the first entry that differs."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from tests.governance.storage.test_audit import _append, _checkpoint
from tests.governance.storage.test_audit_witnessed import _cover_tracks, _verify
from vigil.cli import app as cli_app
from vigil.core.clock import utcnow
from vigil.core.db import COPY_MIN_ROWS
from vigil.core.errors import Conflict
from vigil.core.runtime import Runtime
from vigil.core.settings import KEY_NAMES
from vigil.governance import audit
from vigil.governance.access import system_context
from vigil.governance.audit import Action, EntryIn, Problem
from vigil.governance.models import AuditEntry

pytestmark = pytest.mark.storage


@pytest.fixture
def mirrored(runtime: Runtime, tmp_path: Path) -> Runtime:
    runtime.settings.audit_checkpoint_file = str(tmp_path / "checkpoints.jsonl")
    return runtime


def _witnessed_then_more(runtime: Runtime) -> None:
    """Six entries witnessed by a checkpoint, then four after it that no checkpoint covers."""
    _append(runtime, 6)
    _checkpoint(runtime)
    _append(runtime, 4)


def _forged(seq: int, mac: str | None) -> AuditEntry:
    return AuditEntry(
        seq=seq,
        at=utcnow(),
        actor="user:nobody",
        organisation="X",
        action="consult",
        object_type="person",
        object_id="1",
        purpose="investigation",
        legal_basis="case:1",
        recipient=None,
        outcome="ok",
        detail={},
        hash="",
        mac=mac,
    )


def test_every_entry_written_is_sealed_and_verifies(mirrored: Runtime) -> None:
    _witnessed_then_more(mirrored)
    with mirrored.unit_of_work() as session:
        macs = session.scalars(select(AuditEntry.mac)).all()
    assert len(macs) == 10 and all(m and len(m) == 96 for m in macs)
    assert len(set(macs)) == 10
    report = _verify(mirrored)
    assert report.intact and report.count == 10, report.summary()


@pytest.mark.parametrize("seal", [None, "forged"])
def test_a_forged_entry_appended_after_the_last_checkpoint_is_named(
    mirrored: Runtime, seal: str | None
) -> None:
    _witnessed_then_more(mirrored)
    with mirrored.unit_of_work() as session:
        fake = None if seal is None else secrets.token_hex(48)
        session.add(_forged(11, fake))
        session.flush()
        _cover_tracks(session)
    assert _verify(mirrored, outside=False).intact  # the database agrees with itself
    report = _verify(mirrored)
    expected = Problem.UNSEALED if seal is None else Problem.BAD_SEAL
    assert (report.first_bad_seq, report.problem) == (11, expected), report.summary()


def test_an_entry_edited_after_the_last_checkpoint_is_named(mirrored: Runtime) -> None:
    _witnessed_then_more(mirrored)
    with mirrored.unit_of_work() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 8).values(outcome="refused"))
        _cover_tracks(session)
    assert _verify(mirrored, outside=False).intact
    report = _verify(mirrored)
    assert (report.first_bad_seq, report.problem) == (8, Problem.BAD_SEAL), report.summary()


def test_a_copied_entry_with_its_seal_is_named_as_a_replay(mirrored: Runtime) -> None:
    _witnessed_then_more(mirrored)
    with mirrored.unit_of_work() as session:
        original = session.scalars(select(AuditEntry).where(AuditEntry.seq == 7)).one()
        copy = AuditEntry(
            **{c: getattr(original, c) for c in (*audit.SEALED_FIELDS, "mac")},
            seq=11,
            hash="",
        )
        session.add(copy)
        session.flush()
        _cover_tracks(session)
    assert _verify(mirrored, outside=False).intact
    report = _verify(mirrored)
    assert (report.first_bad_seq, report.problem) == (11, Problem.BAD_SEAL)
    assert "copy" in report.message


def test_the_tail_deleted_with_its_checkpoints_and_the_head_rewritten_is_named(
    mirrored: Runtime,
) -> None:
    _append(mirrored, 6)
    _checkpoint(mirrored)
    _append(mirrored, 3)
    _checkpoint(mirrored)
    with mirrored.unit_of_work() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 7).values(actor="user:x"))
        session.query(AuditEntry).filter(AuditEntry.seq > 7).delete()
        _cover_tracks(session)
    assert _verify(mirrored, outside=False).intact
    report = _verify(mirrored)
    assert report.first_bad_seq == 7, report.summary()


def test_seals_hold_on_every_write_path(runtime: Runtime) -> None:
    """One by one, a small batch (PostgreSQL: one INSERT over arrays) and a large one (COPY)."""
    ctx = system_context()
    with runtime.unit_of_work() as session:
        audit.record(session, ctx, Action.CONSULT, "thing", 1, detail={"t": (1, 2.5, "中")})
        for size in (3, COPY_MIN_ROWS + 1):
            audit.record_many(
                session,
                ctx,
                [EntryIn(Action.COLLECT, "thing", i, detail={"i": i}) for i in range(size)],
            )
    audit.integrate_pending(runtime)
    report = _verify(runtime)
    assert report.intact and report.count == COPY_MIN_ROWS + 5, report.summary()


def test_entries_from_before_seals_are_sealed_once_the_log_verifies(mirrored: Runtime) -> None:
    _append(mirrored, 5)
    _checkpoint(mirrored)
    with mirrored.unit_of_work() as session:  # as after the upgrade that added seals
        session.execute(update(AuditEntry).values(mac=None))
    report = _verify(mirrored)
    assert (report.first_bad_seq, report.problem) == (1, Problem.UNSEALED)
    with mirrored.unit_of_work() as session:
        assert audit.seal_unsealed(session, mirrored.settings, batch=2) == 5
    assert _verify(mirrored).intact


def test_an_edited_log_is_not_sealed(mirrored: Runtime) -> None:
    _append(mirrored, 5)
    _checkpoint(mirrored)
    with mirrored.unit_of_work() as session:
        session.execute(update(AuditEntry).values(mac=None))
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(actor="user:x"))
        _cover_tracks(session)
    with pytest.raises(Conflict), mirrored.unit_of_work() as session:
        audit.seal_unsealed(session, mirrored.settings)
    with mirrored.unit_of_work() as session:
        assert session.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 2)) is None


def test_cli_verify_names_a_forgery_after_the_checkpoint(
    mirrored: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vigil.core.settings import get_settings

    _witnessed_then_more(mirrored)
    with mirrored.unit_of_work() as session:
        session.add(_forged(11, None))
        session.flush()
        _cover_tracks(session)
    s = mirrored.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    monkeypatch.setenv("VIGIL_AUDIT_CHECKPOINT_FILE", str(s.audit_checkpoint_file))
    for name in KEY_NAMES:
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "broken at seq 11" in result.output and "no seal" in result.output
