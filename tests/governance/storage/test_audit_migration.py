"""Migration 0016 on both back-ends: the old hash chain's entries keep their seq, become the
first leaves of the Merkle tree and verify; new entries follow them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import make_settings
from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.governance import audit, tlog
from vigil.governance.access import system_context
from vigil.governance.audit import Action

pytestmark = pytest.mark.storage

OLD_FIELDS = (
    "seq",
    "at",
    "actor",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "legal_basis",
    "recipient",
    "outcome",
    "detail",
    "prev_hash",
)


def _old_chain(n: int) -> list[dict[str, object]]:
    """Entries exactly as the hash chain of 0001..0015 wrote them."""
    rows, prev = [], "0" * 64
    for seq in range(1, n + 1):
        doc: dict[str, object] = {
            "seq": seq,
            "at": f"2026-11-{1 + seq % 28:02d}T08:00:0{seq % 10}.123456+00:00",
            "actor": "user:officer",
            "organisation": "Agency",
            "action": "consult",
            "object_type": "person",
            "object_id": str(seq),
            "purpose": "investigation",
            "legal_basis": "case:7",
            "recipient": None,
            "outcome": "ok",
            "detail": {"n": seq, "名": "张伟"},
            "prev_hash": prev,
        }
        canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        doc["hash"] = prev = hashlib.sha256(canonical.encode()).hexdigest()
        rows.append(doc)
    return rows


def test_old_chain_becomes_the_first_leaves(
    empty_database: str, tmp_path: Path, test_keys: dict[str, str]
) -> None:
    url = empty_database
    upgrade(url, "0015_registry_name_birth_index")
    chain = _old_chain(300)
    engine = create_engine(url)
    with engine.begin() as conn:
        columns = ", ".join((*OLD_FIELDS, "hash"))
        values = ", ".join(f":{c}" for c in (*OLD_FIELDS, "hash"))
        conn.execute(
            text(f"INSERT INTO audit_log ({columns}) VALUES ({values})"),
            [{**row, "detail": json.dumps(row["detail"])} for row in chain],
        )
        conn.execute(
            text("UPDATE audit_head SET seq = :seq, hash = :hash"),
            {"seq": 300, "hash": chain[-1]["hash"]},
        )
        conn.execute(
            text(
                "INSERT INTO audit_checkpoint (seq, head_hash, at, signature)"
                " VALUES (300, :hash, :at, :sig)"
            ),
            {"hash": chain[-1]["hash"], "at": "2026-11-30 08:00:00+00", "sig": "0" * 64},
        )
    engine.dispose()
    upgrade(url)

    runtime = Runtime.create(make_settings(url, test_keys, tmp_path))
    try:
        with runtime.unit_of_work() as session:
            # the old entries predate seals: named until `vigil audit seal` seals them
            report = audit.verify(session, runtime.settings)
            assert (report.first_bad_seq, report.problem) == (1, audit.Problem.UNSEALED)
            assert audit.seal_unsealed(session, runtime.settings) == 300
        with runtime.unit_of_work() as session:
            report = audit.verify(session, runtime.settings)
            assert report.intact and report.count == 300 and report.checkpoints == 0
            docs = list(audit.iter_documents(session))
        assert [d["seq"] for d in docs] == list(range(1, 301))
        assert [d["prev_hash"] for d in docs] == [r["prev_hash"] for r in chain]
        # Each leaf commits to exactly the bytes the chain hashed.
        old_hashes = [hashlib.sha256(tlog.entry_bytes(d)).hexdigest() for d in docs]
        assert old_hashes == [r["hash"] for r in chain]

        with runtime.unit_of_work() as session:
            audit.record(session, system_context(), Action.ALTER, "thing", 1)
        assert audit.integrate_pending(runtime) == 1
        with runtime.unit_of_work() as session:
            report = audit.verify(session, runtime.settings)
            assert report.intact and report.count == 301 and report.checkpoints == 1
            proof = audit.inclusion_proof(session, 17)
            entry = next(d for d in audit.iter_documents(session) if d["seq"] == 17)
        assert tlog.check_inclusion_document(proof, entry, audit.log_verifier(runtime.settings))
    finally:
        runtime.engine.dispose()
