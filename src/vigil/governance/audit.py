"""The audit log (Directive (EU) 2016/680, Art. 25): a transparency log in the style of
RFC 9162 and Trillian/Tessera. The maths and formats are in `tlog`, which needs no database.

Writing. `record` and `record_many` insert the entry in the caller's transaction with `seq`
NULL and take no lock, so audited writes never wait on each other; an entry whose transaction
rolls back never existed.

Sequencing. `integrate_pending` is the one sequencer. On PostgreSQL it must win the advisory
lock `pg_try_advisory_xact_lock(SEQUENCER_LOCK)` for its transaction, so a second sequencer
returns 0 at once; on SQLite every write transaction already holds the database's one write
lock. It numbers the committed, unsequenced entries after the current tree size in the order
it sees them (their insertion id, among those committed), stores each one's leaf hash, extends
the tiles of the Merkle tree (`audit_tile`), and can sign a checkpoint (C2SP tlog-checkpoint
in a signed note, Ed25519, key `audit_log_key`). `vigil serve` runs it every second and signs
a checkpoint every minute when the tree grew; `vigil audit sequence [--follow]` runs it alone.

Reading. Reads see the sequenced log: `verify`, `export_jsonl`, `inclusion_proof` and
`consistency_proof` cover the entries sequenced so far, and `verify` reports how many await the
sequencer. The `vigil audit` commands run the sequencer once first, so they cover every entry
committed before they started."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, text, tuple_, update
from sqlalchemy.orm import Session

from vigil.core.clock import as_utc, utcnow
from vigil.core.db import COPY_MIN_ROWS, UtcDateTime, insert_rows
from vigil.core.errors import Conflict, NotFound
from vigil.core.settings import Settings, secret
from vigil.governance import tlog, witnessed
from vigil.governance.access import AccessContext
from vigil.governance.models import AuditCheckpoint, AuditCosignature, AuditEntry, AuditTile
from vigil.governance.tlog import Problem, VerifyReport, canonical_json

if TYPE_CHECKING:
    from vigil.core.runtime import Runtime

__all__ = [
    "Action",
    "AuditEntry",
    "Checkpoint",
    "EntryIn",
    "Problem",
    "VerifyReport",
    "canonical_json",
    "consistency_proof",
    "entry_count",
    "entry_document",
    "export_jsonl",
    "inclusion_proof",
    "integrate_pending",
    "load_checkpoints",
    "record",
    "record_many",
    "verify",
    "write_checkpoint",
]

SEQUENCER_LOCK = 0x7669_6769_6C5F_6171  # any fixed bigint: "vigil_aq"
SEQUENCE_BATCH = 20_000
LOG = cast(Table, AuditEntry.__table__)
TILES = cast(Table, AuditTile.__table__)


class Action(StrEnum):
    COLLECT = "collect"
    ALTER = "alter"
    CONSULT = "consult"
    DISCLOSE = "disclose"
    COMBINE = "combine"
    ERASE = "erase"


@dataclass(frozen=True)
class EntryIn:
    action: Action
    object_type: str
    object_id: str | int
    outcome: str = "ok"
    recipient: str | None = None
    detail: dict[str, Any] | None = None


def _row(ctx: AccessContext, entry: EntryIn, at: datetime) -> dict[str, Any]:
    return {
        "at": at,
        "actor": ctx.principal,
        "organisation": ctx.organisation_name,
        "action": entry.action.value,
        "object_type": entry.object_type,
        "object_id": str(entry.object_id),
        "purpose": ctx.purpose.value if ctx.purpose else "",
        "legal_basis": ctx.legal_basis or "",
        "recipient": entry.recipient,
        "outcome": entry.outcome,
        "detail": entry.detail or {},
    }


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
    """Append one entry in the caller's transaction (unsequenced until the sequencer runs)."""
    values = _row(
        ctx,
        EntryIn(action, object_type, object_id, outcome, recipient, detail),
        as_utc(at or utcnow()),
    )
    entry = AuditEntry(**values)
    session.add(entry)
    return entry


def record_many(
    session: Session, ctx: AccessContext, entries: Sequence[EntryIn], *, at: datetime | None = None
) -> int:
    """Append many entries with one statement in the caller's transaction: on PostgreSQL a
    COPY from `COPY_MIN_ROWS` entries (psycopg escapes every element of a text array with a
    regular expression, which a pipeline batch of thousands of entries felt), else one
    INSERT … SELECT over arrays (`unnest`); elsewhere one executemany."""
    if not entries:
        return 0
    when = as_utc(at or utcnow())
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(LOG), [_row(ctx, e, when) for e in entries])
        return len(entries)
    if len(entries) >= COPY_MIN_ROWS:
        insert_rows(session, AuditEntry, [_row(ctx, e, when) for e in entries])
        return len(entries)
    session.execute(
        _INSERT_ARRAYS,
        {
            "at": when,
            "actor": ctx.principal,
            "organisation": ctx.organisation_name,
            "purpose": ctx.purpose.value if ctx.purpose else "",
            "legal_basis": ctx.legal_basis or "",
            "actions": [e.action.value for e in entries],
            "object_types": [e.object_type for e in entries],
            "object_ids": [str(e.object_id) for e in entries],
            "recipients": [e.recipient for e in entries],
            "outcomes": [e.outcome for e in entries],
            "details": [canonical_json(e.detail or {}) for e in entries],
        },
    )
    return len(entries)


_INSERT_ARRAYS = text(
    "INSERT INTO audit_log (at, actor, organisation, action, object_type, object_id, purpose,"
    " legal_basis, recipient, outcome, detail)"
    " SELECT :at, :actor, :organisation, a, t, i, :purpose, :legal_basis, r, o, CAST(d AS jsonb)"
    " FROM unnest(CAST(:actions AS varchar[]), CAST(:object_types AS varchar[]),"
    " CAST(:object_ids AS varchar[]), CAST(:recipients AS varchar[]),"
    " CAST(:outcomes AS varchar[]), CAST(:details AS text[])) AS u(a, t, i, r, o, d)"
).bindparams(bindparam("at", type_=UtcDateTime()))


# --- Documents ------------------------------------------------------------------------------


def entry_document(entry: AuditEntry) -> dict[str, Any]:
    """The entry's fields as they are hashed (`seq` is None while it awaits the sequencer)."""
    doc: dict[str, Any] = {name: getattr(entry, name) for name in tlog.ENTRY_FIELDS}
    doc["at"] = as_utc(entry.at).isoformat()
    doc["detail"] = entry.detail or {}
    if entry.prev_hash is not None:
        doc["prev_hash"] = entry.prev_hash
    return doc


_COLUMNS = [LOG.c[name] for name in (*tlog.ENTRY_FIELDS, "prev_hash", "hash")]


def _document(row: Any) -> dict[str, Any]:
    doc = {name: getattr(row, name) for name in tlog.ENTRY_FIELDS}
    doc["at"] = as_utc(row.at).isoformat()
    doc["detail"] = row.detail or {}
    if row.prev_hash is not None:
        doc["prev_hash"] = row.prev_hash
    doc["hash"] = row.hash
    return doc


def iter_documents(session: Session, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """The sequenced entries in seq order, with their stored hash."""
    table = LOG
    last = 0
    while True:
        rows = session.execute(
            select(*_COLUMNS).where(table.c.seq > last).order_by(table.c.seq).limit(batch)
        ).all()
        for row in rows:
            yield _document(row)
        if len(rows) < batch:
            return
        last = rows[-1].seq


def entry_count(session: Session) -> int:
    """Every entry, sequenced or not."""
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def pending_count(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_(None)))
        or 0
    )


def tree_size(session: Session) -> int:
    return int(session.scalar(select(func.max(AuditEntry.seq))) or 0)


# --- The tree -------------------------------------------------------------------------------


def _tile_getter(session: Session) -> tlog.TileGetter:
    def get(level: int, index: int) -> bytes:
        data = session.scalar(
            select(AuditTile.hashes).where(AuditTile.level == level, AuditTile.idx == index)
        )
        return bytes(data) if data is not None else b""

    return get


def subtree_hasher(
    session: Session, prefetch: Collection[tuple[int, int]] = ()
) -> tlog.SubtreeHash:
    """MTH of leaf ranges from the stored tiles; `prefetch` tiles are read in one query."""
    fetch = _tile_getter(session)
    loaded: dict[tuple[int, int], bytes] = {}
    if prefetch:
        rows = session.execute(
            select(TILES.c.level, TILES.c.idx, TILES.c.hashes).where(
                tuple_(TILES.c.level, TILES.c.idx).in_(sorted(prefetch))
            )
        )
        loaded = {(lv, ix): bytes(data) for lv, ix, data in rows}

    def get(level: int, index: int) -> bytes:
        found = loaded.get((level, index))
        return found if found is not None else fetch(level, index)

    return tlog.tile_subtree_hasher(get)


def root_at(session: Session, size: int) -> bytes:
    return subtree_hasher(session)(0, size)


def _write_tiles(session: Session, tiles: dict[tuple[int, int], bytes]) -> None:
    if not tiles:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    statement = upsert(TILES)
    statement = statement.on_conflict_do_update(
        index_elements=["level", "idx"], set_={"hashes": statement.excluded.hashes}
    )
    session.execute(
        statement, [{"level": lv, "idx": ix, "hashes": data} for (lv, ix), data in tiles.items()]
    )


def _won_sequencer_lock(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True  # SQLite: this transaction already holds the one write lock
    return bool(
        session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": SEQUENCER_LOCK})
    )


def _integrate_batch(session: Session, limit: int) -> int | None:
    """Sequence up to `limit` pending entries in this transaction; None if another sequencer
    holds the lock."""
    if not _won_sequencer_lock(session):
        return None
    table = LOG
    rows = session.execute(
        select(table.c.id, *_COLUMNS).where(table.c.seq.is_(None)).order_by(table.c.id).limit(limit)
    ).all()
    if not rows:
        return 0
    size = tree_size(session)
    ids, seqs, hashes, leaves = [], [], [], []
    fields, width = tlog.ENTRY_FIELDS, len(tlog.ENTRY_FIELDS)
    for offset, row in enumerate(rows):
        # tlog.entry_bytes, unrolled: `at` comes back as an aware UTC datetime
        values = tuple(row)
        doc = dict(zip(fields, values[1 : 1 + width], strict=True))
        doc["seq"] = size + offset + 1
        doc["at"] = values[2].isoformat()
        doc["detail"] = doc["detail"] or {}
        if values[1 + width] is not None:
            doc["prev_hash"] = values[1 + width]
        leaf = tlog.leaf_hash(canonical_json(doc).encode())
        ids.append(values[0])
        seqs.append(doc["seq"])
        hashes.append(leaf.hex())
        leaves.append(leaf)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "UPDATE audit_log AS a SET seq = v.seq, hash = v.hash"
                " FROM unnest(CAST(:ids AS bigint[]), CAST(:seqs AS bigint[]),"
                " CAST(:hashes AS varchar[])) AS v(id, seq, hash) WHERE a.id = v.id"
            ),
            {"ids": ids, "seqs": seqs, "hashes": hashes},
        )
    else:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(seq=bindparam("new_seq"), hash=bindparam("new_hash")),
            [
                {"row_id": i, "new_seq": s, "new_hash": h}
                for i, s, h in zip(ids, seqs, hashes, strict=True)
            ],
        )
    _write_tiles(session, tlog.integrate_tiles(size, leaves, _tile_getter(session)))
    return len(rows)


def integrate_pending(
    target: Session | Runtime,
    settings: Settings | None = None,
    *,
    limit: int = SEQUENCE_BATCH,
    checkpoint: bool = True,
) -> int:
    """Sequence the committed, unsequenced entries; returns how many. Given a session: one
    batch of at most `limit`, in the caller's transaction. Given a runtime: batches in their
    own transactions until none is left. With `checkpoint` (and the settings' key) a signed
    checkpoint follows when the tree grew. Returns 0 if another sequencer holds the lock."""
    if isinstance(target, Session):
        one = _integrate_batch(target, limit) or 0
        if one and checkpoint and settings is not None:
            write_checkpoint(target, settings)
        return one
    settings = settings or target.settings
    total = 0
    while True:
        with target.unit_of_work() as session:
            done = _integrate_batch(session, limit)
            if done is None:
                return total
            total += done
            if done < limit and total and checkpoint:
                write_checkpoint(session, settings)
        if done < limit:
            return total


def run_sequencer(
    runtime: Runtime,
    *,
    interval_s: float = 1.0,
    checkpoint_every_s: float = 60.0,
    stop: threading.Event | None = None,
) -> None:
    """Sequence every `interval_s`, and sign a checkpoint at most every `checkpoint_every_s`
    when the tree grew; until `stop` is set."""
    stop = stop or threading.Event()
    last_checkpoint = time.monotonic()
    while not stop.is_set():
        integrate_pending(runtime, checkpoint=False)
        if time.monotonic() - last_checkpoint >= checkpoint_every_s:
            checkpoint_if_moved(runtime)
            last_checkpoint = time.monotonic()
        stop.wait(interval_s)


# --- Checkpoints ----------------------------------------------------------------------------


def log_signer(settings: Settings) -> tlog.Signer:
    seed = base64.b64decode(secret(settings.audit_log_key))
    return tlog.Signer.from_seed(settings.audit_log_origin, seed)


def log_verifier(settings: Settings) -> tlog.Verifier:
    return log_signer(settings).verifier


@dataclass(frozen=True)
class Checkpoint:
    size: int
    root_hash: str
    at: datetime
    note: str  # the signed note, with the log's signature line
    cosignatures: tuple[str, ...] = field(default=())  # witnesses' signature lines

    @property
    def seq(self) -> int:  # the last entry it covers
        return self.size

    @property
    def full_note(self) -> str:
        """The note with every cosignature line after the log's (C2SP tlog-cosignature)."""
        return self.note + "".join(self.cosignatures)


def write_checkpoint(session: Session, settings: Settings) -> AuditCheckpoint:
    """Sign the tree as it stands (sequenced entries only) and store the checkpoint."""
    size = tree_size(session)
    root = root_at(session, size)
    body = tlog.Checkpoint(settings.audit_log_origin, size, root).body()
    checkpoint = AuditCheckpoint(
        size=size,
        root_hash=root.hex(),
        at=utcnow(),
        note=tlog.sign_note(body, log_signer(settings)),
    )
    session.add(checkpoint)
    session.flush()
    if settings.audit_checkpoint_file:
        _mirror_checkpoint(session, settings.audit_checkpoint_file, checkpoint)
    return checkpoint


def _mirror_checkpoint(session: Session, path: str, checkpoint: AuditCheckpoint) -> None:
    """Append the checkpoint, with the leaves it adds, to the file outside the database."""
    done = witnessed.file_size(path)
    if checkpoint.size <= done:
        return
    leaves = list(islice(_tree_leaves(session), done, checkpoint.size))
    witnessed.append_checkpoint(
        path, checkpoint.size, bytes.fromhex(checkpoint.root_hash), checkpoint.note, leaves
    )


def checkpoint_if_moved(runtime: Runtime) -> AuditCheckpoint | None:
    with runtime.unit_of_work() as session:
        last = session.scalar(select(func.max(AuditCheckpoint.size)))
        if last is None or last != tree_size(session):
            return write_checkpoint(session, runtime.settings)
    return None


def load_checkpoints(session: Session) -> list[Checkpoint]:
    rows = session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.size, AuditCheckpoint.id)
    ).all()
    lines: dict[int, list[str]] = {}
    for cp_id, line in session.execute(
        select(AuditCosignature.checkpoint_id, AuditCosignature.line).order_by(AuditCosignature.id)
    ):
        lines.setdefault(cp_id, []).append(line)
    return [Checkpoint(r.size, r.root_hash, r.at, r.note, tuple(lines.get(r.id, ()))) for r in rows]


def _latest_checkpoint(session: Session, size: int | None = None) -> AuditCheckpoint:
    query = select(AuditCheckpoint).order_by(AuditCheckpoint.size.desc(), AuditCheckpoint.id)
    if size is not None:
        query = query.where(AuditCheckpoint.size == size)
    row = session.scalars(query.limit(1)).first()
    if row is None:
        raise NotFound("no checkpoint" + (f" of size {size}" if size is not None else ""))
    return row


# --- Verification, export, proofs -----------------------------------------------------------


def _tree_leaves(session: Session) -> Iterator[bytes]:
    last = -1
    while True:
        rows = session.execute(
            select(AuditTile.idx, AuditTile.hashes)
            .where(AuditTile.level == 0, AuditTile.idx > last)
            .order_by(AuditTile.idx)
            .limit(64)
        ).all()
        for idx, data in rows:
            data = bytes(data)
            for i in range(0, len(data), tlog.HASH_SIZE):
                yield data[i : i + tlog.HASH_SIZE]
            last = idx
        if len(rows) < 64:
            return


def verify(session: Session, settings: Settings | None) -> VerifyReport:
    """Check every sequenced entry against its hash, the stored tree and the signed checkpoints
    (signatures checked with the settings' log key; None skips that). Names the first bad
    entry. Entries awaiting the sequencer are counted, not covered. With a checkpoint file
    (`settings.audit_checkpoint_file`), the entries are first checked against the leaves
    witnessed outside the database."""
    if settings is not None and settings.audit_checkpoint_file:
        outside = verify_witnessed(session, settings)
        if not outside.intact:
            return outside
    checkpoints = [
        tlog.SignedCheckpoint(c.size, bytes.fromhex(c.root_hash), c.note)
        for c in load_checkpoints(session)
    ]
    report = tlog.verify_entries(
        iter_documents(session),
        checkpoints,
        log_verifier(settings) if settings is not None else None,
        tree_leaves=_tree_leaves(session),
    )
    pending = pending_count(session)
    if pending:
        report = VerifyReport(
            report.count,
            report.head,
            report.first_bad_seq,
            report.problem,
            report.message,
            report.checkpoints,
            pending,
        )
    return report


def verify_witnessed(session: Session, settings: Settings) -> VerifyReport:
    """The database's entries against the checkpoint file kept outside it."""
    path = settings.audit_checkpoint_file
    assert path is not None
    try:
        log = witnessed.read_witnessed(path, log_verifier(settings))
    except (ValueError, tlog.NoteError) as exc:
        return VerifyReport(0, "", 0, tlog.Problem.BAD_CHECKPOINT, f"checkpoint file: {exc}")
    return witnessed.verify_against(iter_documents(session), log)


def export_jsonl(session: Session, out: IO[str], settings: Settings | None = None) -> int:
    """One JSON line naming the log (with its verifier key, given the settings), then the
    checkpoints (each note with its cosignatures), then the sequenced entries in seq order.
    Returns the number of entries."""
    if settings is not None:
        out.write(
            canonical_json(
                {
                    "log": {
                        "origin": settings.audit_log_origin,
                        "vkey": log_verifier(settings).vkey(),
                    }
                }
            )
            + "\n"
        )
    for cp in load_checkpoints(session):
        document = {
            "size": cp.size,
            "root": cp.root_hash,
            "at": as_utc(cp.at).isoformat(),
            "note": cp.full_note,
        }
        out.write(canonical_json({"checkpoint": document}) + "\n")
    count = 0
    for doc in iter_documents(session):
        out.write(canonical_json(doc) + "\n")
        count += 1
    return count


@dataclass(frozen=True)
class _Published:
    size: int
    note: str  # with the cosignature lines


def _published(session: Session, size: int | None = None) -> _Published | None:
    """The latest checkpoint (or the first of this size) and its note with its cosignatures;
    one query on PostgreSQL."""
    cp = AuditCheckpoint.__table__.c
    postgres = session.get_bind().dialect.name == "postgresql"
    lines: Any = (
        select(func.string_agg(AuditCosignature.line, text("'' ORDER BY id")))
        .where(AuditCosignature.checkpoint_id == cp.id)
        .scalar_subquery()
        if postgres
        else cp.id
    )
    query = select(cp.size, cp.note, lines)
    if size is None:
        query = query.order_by(cp.size.desc(), cp.id)
    else:
        query = query.where(cp.size == size).order_by(cp.id)
    row = session.execute(query.limit(1)).first()
    if row is None:
        return None
    if postgres:
        return _Published(row.size, row.note + (row[2] or ""))
    cosignatures = session.scalars(
        select(AuditCosignature.line)
        .where(AuditCosignature.checkpoint_id == row[2])
        .order_by(AuditCosignature.id)
    )
    return _Published(row.size, row.note + "".join(cosignatures))


def _require_published(session: Session, size: int | None = None) -> _Published:
    found = _published(session, size)
    if found is None:
        raise NotFound("no checkpoint" + (f" of size {size}" if size is not None else ""))
    return found


def inclusion_proof(session: Session, seq: int, tree: int | None = None) -> dict[str, Any]:
    """Proof that entry `seq` is in the tree of the latest checkpoint (or of the checkpoint of
    size `tree`): leaf index, tree size, the leaf hash, the path (base64) and the signed
    checkpoint with its cosignatures. Reads the checkpoint and the few tiles in two queries."""
    checkpoint = _require_published(session, tree)
    if not 1 <= seq <= checkpoint.size:
        raise NotFound(f"entry {seq} is not in the checkpointed tree of {checkpoint.size}")
    subtree = subtree_hasher(session, tlog.proof_tiles(checkpoint.size, seq - 1))
    hashes = tlog.inclusion_proof(seq - 1, checkpoint.size, subtree)
    return tlog.proof_document(
        "inclusion",
        hashes,
        checkpoint.note,
        leaf_index=seq - 1,
        tree_size=checkpoint.size,
        leaf_hash=subtree(seq - 1, seq).hex(),
    )


def consistency_proof(
    session: Session, old_size: int, new_size: int | None = None
) -> dict[str, Any]:
    """Proof that the checkpointed tree of `new_size` (default: the latest) extends the one of
    `old_size`, with both signed checkpoints where stored."""
    new = _require_published(session, new_size)
    if not 0 <= old_size <= new.size:
        raise NotFound(f"no tree of {old_size} entries before the checkpoint of {new.size}")
    subtree = subtree_hasher(session, tlog.proof_tiles(new.size, old_size - 1))
    hashes = tlog.consistency_proof(old_size, new.size, subtree)
    old = _published(session, old_size)
    document = tlog.proof_document(
        "consistency", hashes, new.note, old_size=old_size, new_size=new.size
    )
    document["old_checkpoint"] = old.note if old else None
    return document


# --- Witness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WitnessState:
    """What a witness remembers between runs: the last tree it cosigned."""

    size: int = 0
    root: bytes = tlog.EMPTY_ROOT


def witness_latest(
    session: Session,
    log: tlog.Verifier,
    witness: tlog.Signer,
    state: WitnessState,
    *,
    now: datetime | None = None,
) -> tuple[WitnessState, AuditCheckpoint]:
    """Cosign the latest checkpoint, after checking its signature and a consistency proof from
    the last tree this witness cosigned (C2SP tlog-witness). Conflict if either fails."""
    checkpoint = _latest_checkpoint(session)
    try:
        signed = tlog.open_checkpoint(checkpoint.note, log)
    except tlog.NoteError as exc:
        raise Conflict(f"checkpoint {checkpoint.id} does not verify: {exc}") from exc
    if signed.size < state.size:
        raise Conflict(f"the log shrank from {state.size} to {signed.size} entries")
    proof = tlog.consistency_proof(state.size, signed.size, subtree_hasher(session))
    if not tlog.verify_consistency(state.size, signed.size, state.root, signed.root, proof):
        raise Conflict(
            f"the tree of {signed.size} entries does not extend the one of {state.size}"
            " this witness cosigned: history was rewritten"
        )
    when = now or utcnow()
    line = tlog.cosign(checkpoint.note, witness, int(when.timestamp())).line()
    exists = session.scalar(
        select(AuditCosignature.id).where(
            AuditCosignature.checkpoint_id == checkpoint.id,
            AuditCosignature.witness == witness.name,
        )
    )
    if exists is None:
        session.add(
            AuditCosignature(checkpoint_id=checkpoint.id, witness=witness.name, line=line, at=when)
        )
    return WitnessState(signed.size, signed.root), checkpoint
