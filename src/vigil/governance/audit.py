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
import hashlib
import hmac
import json
import secrets
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
from vigil.core.runtime import AUDIT_ENTRY_KEY
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
CHECKPOINT_LOCK = 0x7669_6769_6C5F_6370  # "vigil_cp": checkpoint writers take turns
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


SEALED_FIELDS = tuple(name for name in tlog.ENTRY_FIELDS if name != "seq")
NONCE_HEX = 32  # a seal is the nonce (16 bytes) and the HMAC-SHA256 tag, in hex: 96 characters


def _seal_tag(key: bytes, doc: dict[str, Any], nonce: str) -> str:
    payload = {name: doc[name] for name in SEALED_FIELDS}
    payload["nonce"] = nonce
    return hmac.new(key, canonical_json(payload).encode(), hashlib.sha256).hexdigest()


def seal(key: bytes, doc: dict[str, Any]) -> str:
    """The entry's seal: a fresh nonce and the HMAC of its fields (all but `seq`, which the
    sequencer gives later) under the entry key, which lives in the settings, not in the
    database. The nonce makes every seal unique, so a copied entry shows as a replay."""
    nonce = secrets.token_hex(NONCE_HEX // 2)
    return nonce + _seal_tag(key, doc, nonce)


def seal_holds(key: bytes, doc: dict[str, Any], value: str | None) -> bool:
    if not value or len(value) != NONCE_HEX + 64:
        return False
    nonce, tag = value[:NONCE_HEX], value[NONCE_HEX:]
    return hmac.compare_digest(tag, _seal_tag(key, doc, nonce))


def _entry_key(session: Session) -> bytes | None:
    key = session.info.get(AUDIT_ENTRY_KEY)
    return bytes(key) if key is not None else None


def _row(
    ctx: AccessContext, entry: EntryIn, at: datetime, key: bytes | None = None
) -> dict[str, Any]:
    row = {
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
        # as the database gives it back (a tuple comes back a list), so the seal still holds
        "detail": json.loads(canonical_json(entry.detail or {})),
    }
    if key is not None:
        row["mac"] = seal(key, {**row, "at": as_utc(at).isoformat()})
    return row


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
        _entry_key(session),
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
    key = _entry_key(session)
    rows = [_row(ctx, e, when, key) for e in entries]
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(LOG), rows)
        return len(entries)
    if len(entries) >= COPY_MIN_ROWS:
        insert_rows(session, AuditEntry, rows)
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
            "details": [canonical_json(r["detail"]) for r in rows],
            "macs": [r.get("mac") for r in rows],
        },
    )
    return len(entries)


_INSERT_ARRAYS = text(
    "INSERT INTO audit_log (at, actor, organisation, action, object_type, object_id, purpose,"
    " legal_basis, recipient, outcome, detail, mac)"
    " SELECT :at, :actor, :organisation, a, t, i, :purpose, :legal_basis, r, o, CAST(d AS jsonb),"
    " m FROM unnest(CAST(:actions AS varchar[]), CAST(:object_types AS varchar[]),"
    " CAST(:object_ids AS varchar[]), CAST(:recipients AS varchar[]),"
    " CAST(:outcomes AS varchar[]), CAST(:details AS text[]), CAST(:macs AS varchar[]))"
    " AS u(a, t, i, r, o, d, m)"
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


def _document(row: Any, with_mac: bool = False) -> dict[str, Any]:
    doc = {name: getattr(row, name) for name in tlog.ENTRY_FIELDS}
    doc["at"] = as_utc(row.at).isoformat()
    doc["detail"] = row.detail or {}
    if row.prev_hash is not None:
        doc["prev_hash"] = row.prev_hash
    doc["hash"] = row.hash
    if with_mac:
        doc["mac"] = row.mac
    return doc


def iter_documents(
    session: Session, batch: int = 5000, *, with_mac: bool = False
) -> Iterator[dict[str, Any]]:
    """The sequenced entries in seq order, with their stored hash (and seal, if asked)."""
    table = LOG
    columns = [*_COLUMNS, table.c.mac] if with_mac else _COLUMNS
    last = 0
    while True:
        rows = session.execute(
            select(*columns).where(table.c.seq > last).order_by(table.c.seq).limit(batch)
        ).all()
        for row in rows:
            yield _document(row, with_mac)
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
    """Sign the tree as it stands (sequenced entries only) and store the checkpoint. When the
    latest checkpoint already states this tree, it is returned and nothing is written: its
    note would be the same bytes (a checkpoint carries no time), and a second row would be
    listed twice while the witnesses' cosignatures sit on the first. Writers take turns (on
    SQLite the unit of work's write lock, on PostgreSQL a transaction advisory lock), so two
    at once cannot both find the head unsigned."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHECKPOINT_LOCK})
    size = tree_size(session)
    root = root_at(session, size)
    latest = session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.size.desc(), AuditCheckpoint.id).limit(1)
    ).first()
    if latest is not None and (latest.size, latest.root_hash) == (size, root.hex()):
        return latest
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
    witnessed outside the database. With the entry key (`settings.audit_entry_key`), every
    entry's seal is checked too, so an entry forged or edited after the last checkpoint is
    named as well; of several problems, the one at the earliest entry is reported."""
    found: list[VerifyReport] = []
    if settings is not None and settings.audit_checkpoint_file:
        outside = verify_witnessed(session, settings)
        if not outside.intact:
            found.append(outside)
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
    if not report.intact:
        found.append(report)
    if settings is not None and settings.audit_entry_key is not None:
        sealed = verify_seals(session, base64.b64decode(secret(settings.audit_entry_key)))
        if not sealed.intact:
            found.append(sealed)
    if found:  # the earliest entry; on a tie the file's answer, then the tree's, then seals'
        return min(found, key=lambda r: r.first_bad_seq or 0)
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


def verify_seals(session: Session, key: bytes) -> VerifyReport:
    """Every sequenced entry's seal under the entry key: the first entry with none, with one
    that does not match its content, or with a copy of another entry's seal, is named."""
    seen: set[str] = set()
    count = 0
    for doc in iter_documents(session, with_mac=True):
        seq = int(doc["seq"])
        mac = doc["mac"]
        if not mac:
            return _seal_broken(
                count,
                seq,
                tlog.Problem.UNSEALED,
                "it carries no seal (entries from before seals: run `vigil audit seal` once)",
            )
        if not seal_holds(key, doc, mac):
            return _seal_broken(
                count, seq, tlog.Problem.BAD_SEAL, "its seal does not match its content"
            )
        nonce = mac[:NONCE_HEX]
        if nonce in seen:
            return _seal_broken(
                count, seq, tlog.Problem.BAD_SEAL, "its seal is a copy of an earlier entry's"
            )
        seen.add(nonce)
        count += 1
    return VerifyReport(count, "")


def _seal_broken(count: int, seq: int, problem: tlog.Problem, why: str) -> VerifyReport:
    return VerifyReport(count, "", first_bad_seq=seq, problem=problem, message=why)


def seal_unsealed(session: Session, settings: Settings, *, batch: int = 5000) -> int:
    """Seal the sequenced entries that have no seal (those written before seals existed),
    once the log verifies without seals, so no edit is blessed; returns how many. Conflict
    if the log does not verify."""
    plain = settings.model_copy(update={"audit_entry_key": None})
    report = verify(session, plain)
    if not report.intact:
        raise Conflict(f"the log does not verify, nothing sealed: {report.summary()}")
    key = base64.b64decode(secret(settings.audit_entry_key))
    done, last = 0, 0
    while True:
        rows = session.execute(
            select(LOG.c.id, *_COLUMNS, LOG.c.mac)
            .where(LOG.c.seq > last, LOG.c.mac.is_(None))
            .order_by(LOG.c.seq)
            .limit(batch)
        ).all()
        if not rows:
            return done
        session.execute(
            update(LOG).where(LOG.c.id == bindparam("row_id")).values(mac=bindparam("new_mac")),
            [{"row_id": row.id, "new_mac": seal(key, _document(row))} for row in rows],
        )
        done += len(rows)
        last = rows[-1].seq


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
