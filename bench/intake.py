"""Intake throughput: file load (full validation, AES-GCM per ID, bulk insert with outbox and
audit) on SQLite and PostgreSQL, against a raw psycopg COPY of the same prepared rows in the
same run; then API records/s at batch sizes 1 and 500 with concurrent clients.

    python bench/intake.py [--rows 20000] [--api-seconds 5] [--clients 4] [--repeat 3]

This machine's speed drifts from minute to minute (a raw COPY of the same rows ran anywhere
from about 46k to 96k rows/s within two hours), so the PostgreSQL load and the raw COPY alternate
`--repeat` times, each in a fresh database, and the medians are printed with the range.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.conftest import _sqlalchemy_url, fresh_database, make_settings, postgres_admin_url
from tests.intake.samples import cn_id, region_codes, sample

from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.core.settings import generate_keys
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Role, system_context
from vigil.intake import files, readers
from vigil.intake.validation import RowValidator

HEADER = [
    "guest.name",
    "guest.doc_type",
    "guest.id_number",
    "guest.nationality",
    "check_in",
    "check_out",
    "room",
    "stay_ref",
]


def make_csv(path: Path, rows: int) -> None:
    """Rows as varied as a real register's: guests from every county in python-stdnum's
    table, born on any day of 65 years (ID validation caches per region code)."""
    regions = region_codes()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            r = sample("hotel", i)
            g = r["guest"]
            born = date(1945, 1, 1) + timedelta(days=(i * 7919) % (65 * 365))
            g["id_number"] = cn_id(i, f"{born:%Y%m%d}", regions[(i * 104729) % len(regions)])
            writer.writerow(
                [
                    f"张伟{i}",
                    g["doc_type"],
                    g["id_number"],
                    "CHN",
                    r["check_in"],
                    r["check_out"],
                    str(1000 + i % 500),
                    f"F-{i}",
                ]
            )


CHEMICAL_HEADER = [
    "seller_licence",
    "buyer_kind",
    "buyer.name",
    "buyer.doc_type",
    "buyer.id_number",
    "buyer.nationality",
    "substance_cas",
    "concentration_pct",
    "quantity",
    "unit",
    "stated_use",
    "payment",
    "sold_at",
    "sale_ref",
]
# (CAS, % w/w, quantity, unit, stated use): lawful sales to private persons
CHEMICAL_SALES = (
    ("7722-84-1", "12", "5", "L", "cleaning"),
    ("67-64-1", "99", "1", "L", "cleaning"),
    ("7757-79-1", "98", "2", "kg", "agriculture"),
    ("7664-93-9", "10", "1", "L", "cleaning"),
    ("10124-37-5", "100", "5", "kg", "agriculture"),
    ("7429-90-5", "100", "0.2", "kg", "laboratory"),
)


def make_chemical_csv(path: Path, rows: int) -> None:
    """Precursor sales with buyers as varied as the hotel guests above."""
    regions = region_codes()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CHEMICAL_HEADER)
        for i in range(rows):
            r = sample("chemical", i)
            born = date(1945, 1, 1) + timedelta(days=(i * 7919) % (65 * 365))
            number = cn_id(i, f"{born:%Y%m%d}", regions[(i * 104729) % len(regions)])
            cas, pct, quantity, unit, use = CHEMICAL_SALES[i % len(CHEMICAL_SALES)]
            writer.writerow(
                [
                    r["seller_licence"],
                    "private",
                    f"张伟{i}",
                    "cn_resident_id",
                    number,
                    "CHN",
                    cas,
                    pct,
                    quantity,
                    unit,
                    use,
                    "cash" if i % 3 == 0 else "traceable",
                    r["sold_at"],
                    f"S-{i}",
                ]
            )


BUSINESS = {"hotel": ("Bench Hotel", "hotel"), "chemical": ("Bench Chemicals", "chemical")}


def business(runtime: Runtime, sector: str = "hotel") -> AccessContext:
    with runtime.unit_of_work() as session:
        name, business_sector = BUSINESS[sector]
        org = governance.create_organisation(
            session, system_context(), name, "business", business_sector
        )
        return AccessContext(f"bench:{org.id}", 0, org.id, org.name, Role.BUSINESS)


class BackendCpu:
    """CPU seconds of this database's PostgreSQL backends (local server, read from /proc),
    sampled every 100 ms while it runs, so backends that workers open and close mid-load
    count too (each loses at most its last 100 ms)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _pids(self, conn: Any) -> list[int]:
        sql = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        return [int(p) for p in conn.exec_driver_sql(sql).scalars()]

    def _observe(self, conn: Any) -> None:
        for pid in self._pids(conn):
            cpu = _proc_cpu(Path(f"/proc/{pid}/stat"))
            if cpu == cpu:  # not NaN
                self.first.setdefault(pid, cpu)
                self.last[pid] = cpu
        conn.rollback()

    def _sample(self) -> None:
        with self.runtime.engine.connect() as conn:
            while not self._stop.wait(0.1):
                self._observe(conn)
            self._observe(conn)

    def __enter__(self) -> BackendCpu:
        if self.runtime.engine.dialect.name == "postgresql":
            with self.runtime.engine.connect() as conn:
                self._observe(conn)  # the backends already there, before the load starts
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()

    def seconds(self) -> float | None:
        if not self.last:
            return None
        return sum(v - self.first.get(pid, v) for pid, v in self.last.items())


def file_load(
    runtime: Runtime, path: Path, chunk_rows: int = files.CHUNK_ROWS, sector: str = "hotel"
) -> tuple[float, str]:
    """Records/s, and where the CPU went (this process, the worker pool, PostgreSQL)."""
    ctx = business(runtime, sector)
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with BackendCpu(runtime) as backends, path.open("rb") as handle:
        report = files.load_stream(runtime, ctx, sector, handle, "csv", chunk_rows=chunk_rows)
    elapsed = time.perf_counter() - started
    assert report.stored == report.rows, report.as_dict(5)
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)

    def cpu(a: resource.struct_rusage, b: resource.struct_rusage) -> float:
        return (a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime) / report.rows * 1e6

    parts = f"this process {cpu(self_after, self_before):.0f}, "
    parts += f"workers {cpu(children_after, children_before):.0f}"
    pg = backends.seconds()
    if pg is not None:
        parts += f", PostgreSQL backends {pg / report.rows * 1e6:.0f}"
    return report.rows / elapsed, f"CPU µs per record: {parts}"


def raw_copy(runtime: Runtime, path: Path, dsn: str) -> tuple[float, str]:
    """COPY the same rows, already prepared (validated, hashed, encrypted), into a table
    shaped like intake_submission: the storage floor."""
    validator = RowValidator("hotel", 1, runtime.vault)
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        raw = [readers.unflatten(dict(zip(HEADER, row, strict=True))) for row in reader]
    prepared, _ = validator.validate_many(enumerate(raw, 1))
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TABLE bench_copy (LIKE intake_submission INCLUDING DEFAULTS)")
        conn.execute("ALTER TABLE bench_copy ADD PRIMARY KEY (id), ADD UNIQUE (row_key)")
        conn.execute(
            "CREATE SEQUENCE bench_copy_seq; "
            "ALTER TABLE bench_copy ALTER id SET DEFAULT nextval('bench_copy_seq')"
        )
        conn.commit()
        backend = Path(f"/proc/{conn.info.backend_pid}/stat")
        pg_before = _proc_cpu(backend)
        self_before = time.process_time()
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY bench_copy (organisation_id, sector, channel, row_key, event_kind, ref, "
                "event_time, filed_at, id_hash, record) FROM STDIN"
            ) as copy,
        ):
            for r in prepared:
                copy.write_row(
                    (
                        1,
                        "hotel",
                        "file",
                        r.row_key,
                        r.event_kind,
                        r.ref,
                        r.event_time,
                        r.event_time,
                        r.id_hash,
                        json.dumps(r.record),
                    )
                )
        conn.commit()
        elapsed = time.perf_counter() - started
        client = (time.process_time() - self_before) / len(prepared) * 1e6
        pg = (_proc_cpu(backend) - pg_before) / len(prepared) * 1e6
    return len(prepared) / elapsed, f"CPU µs per record: client {client:.0f}, PostgreSQL {pg:.0f}"


def _proc_cpu(stat: Path) -> float:
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")  # not a local server
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def api_rate(
    runtime: Runtime, env: dict[str, str], batch: int, clients: int, seconds: float, offset: int
) -> float:
    with runtime.unit_of_work() as session:
        org = governance.find_organisation(session, "Bench Hotel")
        key = governance.create_api_key(session, system_context(), org.id).secret
    port = 18000 + secrets.randbelow(2000)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "vigil.api.main:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            "2",
        ],
        # intake alone: the outbox worker runs elsewhere (`vigil pipeline run`) in this bench
        env={**env, "VIGIL_PIPELINE_IN_PROCESS": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(base + "/healthz", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    done = [0] * clients
    failures: list[str] = []
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        n = offset + index * 200_000
        with httpx.Client(base_url=base, timeout=60, headers={"X-API-Key": key}) as http:
            while time.perf_counter() < stop:
                body = [sample("hotel", n + i) for i in range(batch)]
                n += batch
                try:
                    r = http.post("/v1/intake/hotel", json=body if batch > 1 else body[0])
                except httpx.HTTPError as exc:
                    failures.append(f"{type(exc).__name__}: {exc}")
                    return
                if r.status_code != 202:
                    failures.append(f"{r.status_code} {r.text[:300]}")
                    return
                done[index] += batch

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    server.terminate()
    server.wait()
    if failures:
        print(f"API batch {batch}: {len(failures)} client(s) stopped on an error: {failures[0]}")
    return sum(done) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--api-seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--chunk-rows", type=int, default=files.CHUNK_ROWS)
    parser.add_argument(
        "--repeat", type=int, default=3, help="PostgreSQL loads and raw COPYs, alternated"
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    keys = generate_keys()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "stays.csv"
        make_csv(data, args.rows)
        sales = tmp / "sales.csv"
        make_chemical_csv(sales, args.rows)
        sqlite_url = f"sqlite:///{tmp / 'bench.db'}"
        upgrade(sqlite_url)
        sqlite_rt = Runtime.create(make_settings(sqlite_url, keys, tmp))
        sqlite_rate, sqlite_cpu = file_load(sqlite_rt, data, args.chunk_rows)
        # the chemical-sales sector, loaded in the same run, after the hotel file
        sqlite_chem, _ = file_load(sqlite_rt, sales, args.chunk_rows, "chemical")
        chem_runs: list[tuple[float, float]] = []
        admin = postgres_admin_url()
        pg_runs: list[tuple[float, str, float, str]] = []
        for run in range(args.repeat):  # each load in a fresh database; the API uses the last
            with fresh_database(admin, "vigil_bench") as pg_dsn:
                pg_url = _sqlalchemy_url(pg_dsn)
                upgrade(pg_url)
                pg_rt = Runtime.create(make_settings(pg_url, keys, tmp))
                pg_runs.append(
                    (*file_load(pg_rt, data, args.chunk_rows), *raw_copy(pg_rt, data, pg_dsn))
                )
                chem_runs.append(
                    (file_load(pg_rt, sales, args.chunk_rows, "chemical")[0], pg_runs[-1][0])
                )
                if run == args.repeat - 1:
                    env = {
                        **os.environ,
                        "VIGIL_DATABASE_URL": pg_url,
                        "VIGIL_LOG_LEVEL": "WARNING",
                        "VIGIL_KEY_FILE": str(tmp / "k.json"),
                        **{f"VIGIL_{k.upper()}": v for k, v in keys.items()},
                    }
                    api1 = api_rate(pg_rt, env, 1, args.clients, args.api_seconds, 1_000_000)
                    api500 = api_rate(pg_rt, env, 500, args.clients, args.api_seconds, 2_000_000)
                pg_rt.engine.dispose()
    load_after = os.getloadavg()
    print(
        f"cores: {os.cpu_count()}  rows: {args.rows}  load average (1/5/15 min) before: "
        + "/".join(f"{x:.2f}" for x in load_before)
        + "  after: "
        + "/".join(f"{x:.2f}" for x in load_after)
    )
    print(f"file load, SQLite, full validation:      {sqlite_rate:10,.0f} records/s")
    print(f"    {sqlite_cpu}")
    for i, (pg_rate, pg_cpu, copy_rate, copy_cpu) in enumerate(pg_runs, 1):
        print(f"run {i} of {len(pg_runs)} on PostgreSQL (a fresh database each):")
        print(f"  file load, full validation:            {pg_rate:10,.0f} records/s")
        print(f"    {pg_cpu}")
        print(f"  raw COPY of the prepared rows:         {copy_rate:10,.0f} records/s")
        print(f"    {copy_cpu}")
        print(f"  file load / raw COPY:                  {pg_rate / copy_rate:10.1%}")
    loads = [r[0] for r in pg_runs]
    ratios = [r[0] / r[2] for r in pg_runs]
    print(
        f"file load, PostgreSQL, full validation:  {statistics.median(loads):10,.0f} records/s"
        f" (median of {len(pg_runs)}; {min(loads):,.0f} to {max(loads):,.0f})"
    )
    print(
        f"PostgreSQL file load / raw COPY:         {statistics.median(ratios):10.1%}"
        f" (median of {len(pg_runs)}; {min(ratios):.1%} to {max(ratios):.1%})"
    )
    print(f"chemical sales file load, SQLite:        {sqlite_chem:10,.0f} records/s")
    print(f"  chemical / hotel, SQLite:              {sqlite_chem / sqlite_rate:10.1%}")
    chem_ratios = [chem / hotel for chem, hotel in chem_runs]
    print(
        f"chemical sales file load, PostgreSQL:    "
        f"{statistics.median(c for c, _ in chem_runs):10,.0f} records/s"
    )
    print(
        f"  chemical / hotel, PostgreSQL:          {statistics.median(chem_ratios):10.1%}"
        f" (median of {len(chem_runs)}; {min(chem_ratios):.1%} to {max(chem_ratios):.1%})"
    )
    print(f"API (PG, {args.clients} clients), batch 1:        {api1:10,.0f} records/s")
    print(f"API (PG, {args.clients} clients), batch 500:      {api500:10,.0f} records/s")


if __name__ == "__main__":
    main()
