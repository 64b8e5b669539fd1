"""The hash-chained audit log (Directive (EU) 2016/680, Art. 25).

Each entry's `hash` is SHA-256 over the canonical JSON (sorted keys, no insignificant
whitespace) of all its other fields, `prev_hash` included. Appends lock the one-row head,
so the chain stays linear under concurrent writers on SQLite and PostgreSQL alike. The
entry is added to the caller's session and commits with the data change it records."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigil.core.clock import as_utc, utcnow
from vigil.core.db import insert_rows
from vigil.governance.access import AccessContext
from vigil.governance.models import AuditCheckpoint, AuditEntry, AuditHead

GENESIS_HASH = "0" * 64


class Action(StrEnum):
    COLLECT = "collect"
    ALTER = "alter"
    CONSULT = "consult"
    DISCLOSE = "disclose"
    COMBINE = "combine"
    ERASE = "erase"


HASHED_FIELDS = (
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


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_document(entry: AuditEntry) -> dict[str, Any]:
    doc: dict[str, Any] = {name: getattr(entry, name) for name in HASHED_FIELDS}
    doc["at"] = as_utc(entry.at).isoformat()
    doc["detail"] = entry.detail or {}
    return doc


def entry_hash(document: dict[str, Any]) -> str:
    payload = {k: document[k] for k in HASHED_FIELDS}
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def lock_head(session: Session) -> None:
    """Take the chain's lock now. A transaction that will write audit entries after taking
    other row locks should call this first, so that every writer queues in one order."""
    _locked_head(session)


def _locked_head(session: Session) -> AuditHead:
    head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS_HASH)
        session.add(head)
        session.flush()
    return head


def record(
    session: Session,
    ctx: AccessContext,
    action: Action,
    object_type: str,
    object_id: str | int,
    *,
    outcome: str = "ok",
    recipient: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction."""
    head = _locked_head(session)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=as_utc(at or utcnow()),
        actor=ctx.principal,
        organisation=ctx.organisation_name,
        action=action.value,
        object_type=object_type,
        object_id=str(object_id),
        purpose=ctx.purpose.value if ctx.purpose else "",
        legal_basis=ctx.legal_basis or "",
        recipient=recipient,
        outcome=outcome,
        detail=detail or {},
        prev_hash=head.hash,
        hash="",
    )
    entry.hash = entry_hash(entry_document(entry))
    session.add(entry)
    head.seq = entry.seq
    head.hash = entry.hash
    return entry


@dataclass(frozen=True, slots=True)
class EntryIn:
    """One entry for `record_many`."""

    action: Action
    object_type: str
    object_id: str | int
    outcome: str = "ok"
    recipient: str | None = None
    detail: dict[str, Any] | None = None


def record_many(
    session: Session, ctx: AccessContext, entries: Sequence[EntryIn], *, at: datetime | None = None
) -> int:
    """Append several entries in the caller's transaction: the head is read once, the
    entries chained in memory and inserted in one executemany. (Interim: the chain style.)"""
    if not entries:
        return 0
    head = _locked_head(session)
    when = as_utc(at or utcnow())
    purpose = ctx.purpose.value if ctx.purpose else ""
    seq, prev = head.seq, head.hash
    rows = []
    for item in entries:
        seq += 1
        doc = {
            "seq": seq,
            "at": when.isoformat(),
            "actor": ctx.principal,
            "organisation": ctx.organisation_name,
            "action": item.action.value,
            "object_type": item.object_type,
            "object_id": str(item.object_id),
            "purpose": purpose,
            "legal_basis": ctx.legal_basis or "",
            "recipient": item.recipient,
            "outcome": item.outcome,
            "detail": item.detail or {},
            "prev_hash": prev,
        }
        prev = entry_hash(doc)
        rows.append({**doc, "at": when, "hash": prev})
    insert_rows(session, AuditEntry, rows)
    head.seq, head.hash = seq, prev
    return len(rows)


def _sign(secret_key: str, seq: int, head_hash: str, at: datetime) -> str:
    message = f"{seq}:{head_hash}:{as_utc(at).isoformat()}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def write_checkpoint(session: Session, secret_key: str) -> AuditCheckpoint:
    head = _locked_head(session)
    at = utcnow()
    checkpoint = AuditCheckpoint(
        seq=head.seq,
        head_hash=head.hash,
        at=at,
        signature=_sign(secret_key, head.seq, head.hash, at),
    )
    session.add(checkpoint)
    return checkpoint


class Problem(StrEnum):
    EDITED = "edited"
    MISSING = "missing"
    REORDERED = "reordered"
    TRUNCATED = "tail truncated past checkpoint"
    BAD_CHECKPOINT = "checkpoint signature invalid"


@dataclass(frozen=True)
class VerifyReport:
    count: int
    head: str
    first_bad_seq: int | None = None
    problem: Problem | None = None
    message: str = ""

    @property
    def intact(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.intact:
            return f"{self.count} entries, chain intact, head {self.head}"
        return f"audit chain broken at seq {self.first_bad_seq}: {self.problem}. {self.message}"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head_hash: str
    at: datetime
    signature: str


def _moved_from(doc: dict[str, Any], window: int = 1000) -> int | None:
    """If the entry's hash is valid under another sequence number, it was moved there."""
    seq = int(doc["seq"])
    for candidate in range(max(1, seq - window), seq + window + 1):
        if candidate != seq and entry_hash({**doc, "seq": candidate}) == doc["hash"]:
            return candidate
    return None


def verify_documents(
    documents: Iterable[dict[str, Any]],
    checkpoints: Iterable[Checkpoint] = (),
    secret_key: str | None = None,
    head_seq: int | None = None,
) -> VerifyReport:
    """Verify entry documents ordered by seq. Pure: an exported log verifies the same way
    the database does."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    checkpoints = list(checkpoints)
    wanted = {cp.seq for cp in checkpoints}
    hash_at_seq: dict[int, str] = {}
    for doc in documents:
        seq = int(doc["seq"])
        if entry_hash(doc) != doc["hash"]:
            origin = _moved_from(doc)
            if origin is not None:
                return VerifyReport(
                    count,
                    prev_hash,
                    seq,
                    Problem.REORDERED,
                    f"this entry was written as seq {origin}",
                )
            return VerifyReport(
                count, prev_hash, seq, Problem.EDITED, "its content does not match its hash"
            )
        if seq > expected_seq:
            return VerifyReport(
                count,
                prev_hash,
                expected_seq,
                Problem.MISSING,
                f"entries {expected_seq}..{seq - 1} are gone",
            )
        if seq < expected_seq or doc["prev_hash"] != prev_hash:
            return VerifyReport(
                count,
                prev_hash,
                seq,
                Problem.REORDERED,
                "prev_hash does not link to the entry before it",
            )
        if seq in wanted:
            hash_at_seq[seq] = doc["hash"]
        prev_hash = doc["hash"]
        expected_seq = seq + 1
        count += 1
    if head_seq is not None and head_seq > count:
        return VerifyReport(
            count,
            prev_hash,
            count + 1,
            Problem.TRUNCATED,
            f"the chain head says {head_seq} entries, only {count} remain",
        )
    for cp in checkpoints:
        if secret_key is not None and not hmac.compare_digest(
            cp.signature, _sign(secret_key, cp.seq, cp.head_hash, cp.at)
        ):
            return VerifyReport(
                count,
                prev_hash,
                cp.seq,
                Problem.BAD_CHECKPOINT,
                "a checkpoint was forged or altered",
            )
        if cp.seq > count:
            return VerifyReport(
                count,
                prev_hash,
                count + 1,
                Problem.TRUNCATED,
                f"checkpoint of {as_utc(cp.at).isoformat()} saw {cp.seq} entries, "
                f"only {count} remain",
            )
        if cp.seq > 0 and hash_at_seq.get(cp.seq) != cp.head_hash:
            return VerifyReport(
                count, prev_hash, cp.seq, Problem.EDITED, "entry differs from the checkpointed head"
            )
    return VerifyReport(count, prev_hash)


def iter_documents(session: Session, batch: int = 5000) -> Iterator[dict[str, Any]]:
    result = session.execute(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    )
    for entry in result.scalars():
        doc = entry_document(entry)
        doc["hash"] = entry.hash
        yield doc


def load_checkpoints(session: Session) -> list[Checkpoint]:
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)).all()
    return [Checkpoint(r.seq, r.head_hash, r.at, r.signature) for r in rows]


def verify(session: Session, secret_key: str) -> VerifyReport:
    head = session.get(AuditHead, 1)
    return verify_documents(
        iter_documents(session),
        load_checkpoints(session),
        secret_key,
        head_seq=head.seq if head else None,
    )


def export_jsonl(session: Session, out: IO[str]) -> int:
    count = 0
    for doc in iter_documents(session):
        out.write(canonical_json(doc) + "\n")
        count += 1
    for cp in load_checkpoints(session):
        out.write(
            canonical_json(
                {
                    "checkpoint": {
                        "seq": cp.seq,
                        "head_hash": cp.head_hash,
                        "at": as_utc(cp.at).isoformat(),
                        "signature": cp.signature,
                    }
                }
            )
            + "\n"
        )
    return count


def entry_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
