"""Checkpoints leave the database: each one is appended, with the leaves it adds, to a file
the database role cannot write, and `verify` checks the database against it. Whoever can
write the database alone rewrites entries, tree and checkpoints so that the database agrees
with itself (the database-only check passes); the check against the file names the first
entry that differs: a truncated tail with the head rewritten, an edited entry with its hash
and the tree recomputed, a forged entry slipped among the witnessed ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tests.governance.storage.test_audit import _append, _checkpoint
from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.governance import audit, tlog, witnessed
from vigil.governance.models import AuditCheckpoint, AuditEntry, AuditTile

pytestmark = pytest.mark.storage


@pytest.fixture
def mirrored(runtime: Runtime, tmp_path: Path) -> Runtime:
    runtime.settings.audit_checkpoint_file = str(tmp_path / "checkpoints.jsonl")
    return runtime


def _verify(runtime: Runtime, *, outside: bool = True) -> audit.VerifyReport:
    settings = runtime.settings
    if not outside:  # neither the file nor the entry key: what the database alone says
        settings = settings.model_copy(
            update={"audit_checkpoint_file": None, "audit_entry_key": None}
        )
    with runtime.unit_of_work() as session:
        return audit.verify(session, settings)


def _cover_tracks(session: Session) -> None:
    """What an attacker with database access does after a change: every hash recomputed,
    the tree rebuilt from them, and the checkpoints that no longer match deleted."""
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        entry.hash = tlog.entry_leaf(audit.entry_document(entry)).hex()
    session.flush()
    leaves = [
        bytes.fromhex(h) for h in session.scalars(select(AuditEntry.hash).order_by(AuditEntry.seq))
    ]
    session.execute(delete(AuditTile))
    for (level, idx), data in tlog.integrate_tiles(0, leaves, lambda lv, ix: b"").items():
        session.add(AuditTile(level=level, idx=idx, hashes=data))
    session.execute(delete(AuditCheckpoint))


def test_every_checkpoint_is_appended_to_the_file_with_its_leaves(mirrored: Runtime) -> None:
    _append(mirrored, 5)
    _checkpoint(mirrored)
    _append(mirrored, 3)
    _checkpoint(mirrored)
    _checkpoint(mirrored)  # the same tree again adds no line
    path = mirrored.settings.audit_checkpoint_file
    assert path is not None
    assert len(Path(path).read_text().splitlines()) == 2
    log = witnessed.read_witnessed(path, audit.log_verifier(mirrored.settings))
    assert log.size == 8
    report = _verify(mirrored)
    assert report.intact and report.count == 8, report.summary()


def test_a_truncated_tail_with_the_head_rewritten_is_named(mirrored: Runtime) -> None:
    _append(mirrored, 10)
    _checkpoint(mirrored)
    _append(mirrored, 2)
    _checkpoint(mirrored)
    with mirrored.unit_of_work() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq > 7))
        _cover_tracks(session)
    assert _verify(mirrored, outside=False).intact  # the database agrees with itself
    report = _verify(mirrored)
    assert (report.first_bad_seq, report.problem) == (8, tlog.Problem.DIFFERS_FROM_WITNESSED)
    assert "12 entries" in report.message


def test_an_edited_entry_with_hashes_and_tree_recomputed_is_named(mirrored: Runtime) -> None:
    _append(mirrored, 10)
    _checkpoint(mirrored)
    with mirrored.unit_of_work() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(outcome="refused"))
        _cover_tracks(session)
    assert _verify(mirrored, outside=False).intact
    report = _verify(mirrored)
    assert (report.first_bad_seq, report.problem) == (4, tlog.Problem.DIFFERS_FROM_WITNESSED)


def test_a_forged_entry_among_the_witnessed_ones_is_named(mirrored: Runtime) -> None:
    _append(mirrored, 6)
    _checkpoint(mirrored)
    with mirrored.unit_of_work() as session:  # entries 3.. move up one; a forgery takes 3
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.seq >= 3).order_by(AuditEntry.seq.desc())
        ):
            entry.seq += 1
            session.flush()
        session.add(
            AuditEntry(
                seq=3,
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
                hash="",
            )
        )
        session.flush()
        _cover_tracks(session)
    assert _verify(mirrored, outside=False).intact
    report = _verify(mirrored)
    assert (report.first_bad_seq, report.problem) == (3, tlog.Problem.DIFFERS_FROM_WITNESSED)


def test_an_edit_after_the_last_checkpoint_is_named_once_it_is_checkpointed(
    mirrored: Runtime,
) -> None:
    """An entry edited between checkpoints: the next checkpoint mirrors the tree as the
    sequencer left it, so the edit shows against the file."""
    _append(mirrored, 4)
    _checkpoint(mirrored)
    _append(mirrored, 4)
    _checkpoint(mirrored)
    with mirrored.unit_of_work() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 7).values(actor="user:x"))
        _cover_tracks(session)
    report = _verify(mirrored)
    assert (report.first_bad_seq, report.problem) == (7, tlog.Problem.DIFFERS_FROM_WITNESSED)


def test_a_file_line_that_does_not_extend_the_previous_is_refused(mirrored: Runtime) -> None:
    _append(mirrored, 3)
    _checkpoint(mirrored)
    path = Path(str(mirrored.settings.audit_checkpoint_file))
    path.write_text(path.read_text().replace('"size":3', '"size":2'))
    report = _verify(mirrored)
    assert report.problem == tlog.Problem.BAD_CHECKPOINT
