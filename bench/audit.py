"""Audit log on PostgreSQL: append throughput with 1 and 4 concurrent writers, the sequencer's
integration rate, and the time to prove and verify inclusion and consistency in a log of
10,000,000 entries.

    python bench/audit.py [--seconds 10] [--entries 10000000] [--proofs 300]

Each writer is its own process with its own connection, and repeats one cycle: 5 request-sized
transactions of 3 entries each through `audit.record` (the ORM path the API's handlers take),
then one pipeline-sized transaction of 200 entries through `audit.record_many` (one executemany
INSERT); 215 entries in 6 commits. The baseline, measured in the same run, is a raw psycopg COPY
of the same rows into the same table from one connection (no ORM, one transaction).

The big log is built in a throwaway database without the ORM: the entries by one INSERT … SELECT
per million (PostgreSQL computes each canonical JSON and its RFC 9162 leaf hash), the level-0
tiles by one aggregate, the upper tiles in Python; a sample of leaves is recomputed by the
sequencer's own code to show the SQL matches it. Proofs are then timed the way a client gets
them: one transaction per proof (`audit.inclusion_proof`: checkpoint, tiles, hashing), and the
client's check of it (`tlog.check_inclusion_document`: Ed25519 signature and RFC 9162 path).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.conftest import _sqlalchemy_url, fresh_database, make_settings, postgres_admin_url

from vigil.core.clock import utcnow
from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.core.settings import generate_keys
from vigil.governance import audit, tlog
from vigil.governance.access import AccessContext, Purpose, Role
from vigil.governance.models import AuditCheckpoint, AuditEntry

SMALL_TXNS, SMALL_SIZE, BATCH_SIZE = 5, 3, 200
CYCLE = SMALL_TXNS * SMALL_SIZE + BATCH_SIZE


def _ctx() -> AccessContext:
    return AccessContext(
        "user:officer-17",
        17,
        3,
        "Harbour District Police",
        Role.OFFICER,
        Purpose.INVESTIGATION,
        "case:2026-0419",
    )


def _runtime(url: str, keys: dict[str, str], tmp: Path) -> Runtime:
    settings = make_settings(url, keys, tmp).model_copy(update={"log_level": "WARNING"})
    return Runtime.create(settings)


def _writer(
    url: str,
    keys: dict[str, str],
    tmp: str,
    seconds: float,
    start: float,
    out: mp.Queue[tuple[int, int, float]],
) -> None:
    runtime = _runtime(url, keys, Path(tmp))
    ctx = _ctx()
    small = batched = 0
    while time.time() < start:
        time.sleep(0.001)
    began = time.perf_counter()
    n = 0
    while time.perf_counter() - began < seconds:
        for _ in range(SMALL_TXNS):
            with runtime.unit_of_work() as session:
                for k in range(SMALL_SIZE):
                    audit.record(
                        session,
                        ctx,
                        audit.Action.CONSULT,
                        "person",
                        n * 10 + k,
                        detail={
                            "endpoint": "GET /v1/persons/{id}",
                            "fields": ["name", "documents"],
                        },
                    )
            small += SMALL_SIZE
        with runtime.unit_of_work() as session:
            audit.record_many(
                session,
                ctx,
                [
                    audit.EntryIn(
                        audit.Action.COLLECT,
                        "intake_submission",
                        n * 1000 + i,
                        detail={"sector": "hotel", "position": i % 3},
                    )
                    for i in range(BATCH_SIZE)
                ],
            )
        batched += BATCH_SIZE
        n += 1
    out.put((small, batched, time.perf_counter() - began))
    runtime.engine.dispose()


class LockWaits:
    """Samples pg_stat_activity every 20 ms: how often a backend of this database waited on
    a lock (a heavyweight lock: a row, a table or an advisory lock)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.samples = self.waits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self._stop.wait(0.02):
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*)"
                    " FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state = 'active' AND pid <> pg_backend_pid()"
                ).fetchone()
                assert row is not None
                self.waits += int(row[0])
                self.samples += 1

    def __enter__(self) -> LockWaits:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def writers(
    url: str, keys: dict[str, str], tmp: Path, count: int, seconds: float
) -> tuple[float, int]:
    ctx = mp.get_context("fork")
    out: mp.Queue[tuple[int, int, float]] = ctx.Queue()
    start = time.time() + 1.0
    procs = [
        ctx.Process(target=_writer, args=(url, keys, str(tmp), seconds, start, out))
        for _ in range(count)
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    entries = sum(s + b for s, b, _ in results)
    elapsed = max(t for _, _, t in results)
    return entries / elapsed, entries


def copy_baseline(dsn: str, rows: int) -> float:
    ctx = _ctx()
    buffer = io.StringIO()
    for i in range(rows):
        buffer.write(
            f"2026-12-06 12:00:00+00\t{ctx.principal}\t{ctx.organisation_name}\tcollect\t"
            f"intake_submission\t{i}\tinvestigation\t{ctx.legal_basis}\t\\N\tok\t"
            f'{{"sector": "hotel", "position": {i % 3}}}\n'
        )
    data = buffer.getvalue()
    with psycopg.connect(dsn) as conn:
        began = time.perf_counter()
        with conn.cursor().copy(
            "COPY audit_log (at, actor, organisation, action, object_type, object_id, purpose,"
            " legal_basis, recipient, outcome, detail) FROM STDIN"
        ) as copy:
            copy.write(data)
        conn.commit()
        elapsed = time.perf_counter() - began
        conn.execute(
            "DELETE FROM audit_log WHERE seq IS NULL AND at = '2026-12-06 12:00:00+00'"
            " AND object_type = 'intake_submission' AND actor = %s",
            (ctx.principal,),
        )
        conn.commit()
    return rows / elapsed


# --- The 10,000,000-entry log --------------------------------------------------------------

LEAF_SQL = """
INSERT INTO audit_log (id, seq, at, actor, organisation, action, object_type, object_id,
    purpose, legal_basis, recipient, outcome, detail, hash)
SELECT g, g, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second',
    'user:officer', 'Harbour District Police', 'consult', 'person', g::text,
    'investigation', 'case:1', NULL, 'ok', jsonb_build_object('n', g),
    encode(sha256('\\x00'::bytea || convert_to(
        '{"action":"consult","actor":"user:officer","at":"'
        || to_char((timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second')
                   AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || '+00:00","detail":{"n":' || g || '},"legal_basis":"case:1","object_id":"' || g
        || '","object_type":"person","organisation":"Harbour District Police","outcome":"ok",'
        || '"purpose":"investigation","recipient"\\:null,"seq":' || g || '}', 'UTF8')), 'hex')
FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) AS g
"""


def build_big_log(runtime: Runtime, entries: int) -> None:
    step = 1_000_000
    began = time.perf_counter()
    with runtime.engine.begin() as conn:
        for lo in range(1, entries + 1, step):
            conn.execute(text(LEAF_SQL), {"lo": lo, "hi": min(entries, lo + step - 1)})
            print(
                f"  entries {min(entries, lo + step - 1):>11,}"
                f" ({time.perf_counter() - began:.0f} s)",
                flush=True,
            )
        conn.execute(
            text(
                "INSERT INTO audit_tile (level, idx, hashes) SELECT 0, (seq - 1) / 256,"
                " string_agg(decode(hash, 'hex'), ''::bytea ORDER BY seq)"
                " FROM audit_log WHERE seq IS NOT NULL GROUP BY (seq - 1) / 256"
            )
        )
        print(f"  level-0 tiles ({time.perf_counter() - began:.0f} s)", flush=True)
        level, below = (
            0,
            conn.execute(
                text("SELECT hashes FROM audit_tile WHERE level = 0 ORDER BY idx")
            ).scalars(),
        )
        while True:
            parents = [
                tlog.root_of(bytes(t)[i : i + 32] for i in range(0, 8192, 32))
                for t in below
                if len(t) == 8192
            ]
            if not parents:
                break
            level += 1
            data = b"".join(parents)
            rows = [
                {"level": level, "idx": i // 8192, "hashes": data[i : i + 8192]}
                for i in range(0, len(data), 8192)
            ]
            conn.execute(
                text("INSERT INTO audit_tile (level, idx, hashes) VALUES (:level, :idx, :hashes)"),
                rows,
            )
            below = [r["hashes"] for r in rows]
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), :n)"), {"n": entries}
        )
    with runtime.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE audit_log")
        conn.exec_driver_sql("VACUUM ANALYZE audit_tile")
    print(
        f"  upper tiles to level {level}, vacuum ({time.perf_counter() - began:.0f} s)", flush=True
    )


def check_big_log(runtime: Runtime, entries: int) -> None:
    """The SQL-built leaves are what the sequencer would have made, and the tiles agree."""
    rng = random.Random(7)
    with runtime.unit_of_work() as session:
        sample = sorted({1, entries, *(rng.randint(1, entries) for _ in range(200))})
        rows = session.execute(
            select(*audit._COLUMNS).where(AuditEntry.seq.in_(sample)).order_by(AuditEntry.seq)
        ).all()
        for row in rows:
            doc = audit._document(row)
            assert tlog.entry_leaf(doc).hex() == doc["hash"], doc["seq"]
        prefix = 100_000
        leaves = [
            bytes.fromhex(h)
            for h in session.scalars(
                select(AuditEntry.hash).where(AuditEntry.seq <= prefix).order_by(AuditEntry.seq)
            )
        ]
        assert tlog.root_of(leaves) == audit.root_at(session, prefix)


def sign_checkpoints(runtime: Runtime, sizes: list[int]) -> None:
    with runtime.unit_of_work() as session:
        signer = audit.log_signer(runtime.settings)
        for size in sizes:
            root = audit.root_at(session, size)
            body = tlog.Checkpoint(signer.name, size, root).body()
            session.add(
                AuditCheckpoint(
                    size=size, root_hash=root.hex(), at=utcnow(), note=tlog.sign_note(body, signer)
                )
            )


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return f"median {statistics.median(samples) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"


def time_proofs(runtime: Runtime, entries: int, count: int) -> None:
    log = audit.log_verifier(runtime.settings)
    rng = random.Random(11)
    prove, check = [], []
    for _ in range(count):
        seq = rng.randint(1, entries)
        began = time.perf_counter()
        with runtime.unit_of_work() as session:
            proof = audit.inclusion_proof(session, seq)
        prove.append(time.perf_counter() - began)
        with runtime.unit_of_work() as session:
            row = session.execute(select(*audit._COLUMNS).where(AuditEntry.seq == seq)).one()
        entry = audit._document(row)
        began = time.perf_counter()
        ok = tlog.check_inclusion_document(proof, entry, log)
        check.append(time.perf_counter() - began)
        assert ok and proof["tree_size"] == entries
    print(f"inclusion proof in a log of {entries:,}: {len(proof['hashes'])} hashes")
    print(f"  prove (one transaction: checkpoint, tiles, hashing): {_ms(prove)}")
    print(f"  verify (signed checkpoint + RFC 9162 path):          {_ms(check)}")
    cons, ccheck = [], []
    olds = [entries * 3 // 4 + 4321, entries - 1000]
    for _ in range(count // 10 or 1):
        for old in olds:
            began = time.perf_counter()
            with runtime.unit_of_work() as session:
                proof = audit.consistency_proof(session, old)
            cons.append(time.perf_counter() - began)
            began = time.perf_counter()
            ok = tlog.check_consistency_document(proof, log)
            ccheck.append(time.perf_counter() - began)
            assert ok
    print(f"consistency proof from {olds[0]:,} and {olds[1]:,} to {entries:,}:")
    print(f"  prove:  {_ms(cons)}")
    print(f"  verify: {_ms(ccheck)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--proofs", type=int, default=300)
    args = parser.parse_args()
    keys = generate_keys()
    tmp = Path(tempfile.mkdtemp())
    admin = postgres_admin_url()

    with fresh_database(admin, "vigil_bench_audit") as dsn:
        url = _sqlalchemy_url(dsn)
        upgrade(url)
        runtime = _runtime(url, keys, tmp)
        baseline = copy_baseline(dsn, 100_000)
        print(
            f"baseline: raw COPY of 100,000 entry rows, one connection: {baseline:,.0f} entries/s"
        )
        print(
            f"writers: each {SMALL_TXNS} transactions of {SMALL_SIZE} entries (audit.record) + 1 of"
            f" {BATCH_SIZE} (audit.record_many) per cycle, {args.seconds:.0f} s"
        )
        rates = {}
        for count in (1, 4):
            with LockWaits(dsn) as waits:
                rate, total = writers(url, keys, tmp, count, args.seconds)
            rates[count] = rate
            print(
                f"  {count} writer{'s' if count > 1 else ''}: {rate:,.0f} entries/s"
                f" ({total:,} entries, {rate / baseline:.2f}x the COPY baseline);"
                f" a backend waited on a lock in {waits.waits} of {waits.samples} samples"
            )
        print(f"  4 writers / 1 writer: {rates[4] / rates[1]:.2f}x")
        with runtime.unit_of_work() as session:
            backlog = audit.pending_count(session)
        began = time.perf_counter()
        done = audit.integrate_pending(runtime)
        elapsed = time.perf_counter() - began
        print(
            f"sequencer: {done:,} entries integrated and checkpointed in {elapsed:.1f} s"
            f" = {done / elapsed:,.0f} entries/s (backlog {backlog:,})"
        )
        with runtime.unit_of_work() as session:
            report = audit.verify(session, runtime.settings)
        print(f"  verify: {report.summary()}")
        runtime.engine.dispose()

    with fresh_database(admin, "vigil_bench_audit_big") as dsn:
        url = _sqlalchemy_url(dsn)
        upgrade(url)
        runtime = _runtime(url, keys, tmp)
        print(f"building a log of {args.entries:,} entries")
        build_big_log(runtime, args.entries)
        check_big_log(runtime, args.entries)
        sign_checkpoints(runtime, [args.entries * 3 // 4 + 4321, args.entries - 1000, args.entries])
        time_proofs(runtime, args.entries, args.proofs)
        runtime.engine.dispose()


if __name__ == "__main__":
    main()
