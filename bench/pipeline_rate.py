"""End-to-end pipeline throughput on PostgreSQL: hotel stays loaded from a file, then drained
(resolved against the registry, screened against the watchlists, alerts raised) by 1 and by
2 worker processes. The baseline, in the same run: the intake file-load rate of the same rows.

    python bench/pipeline_rate.py [--stays 100000] [--listed 1000000] [--persons 1000000]

Realistic guests: Faker zh_CN names, valid resident IDs from every county in python-stdnum's
table, each guest staying about twice (1 to 3 times), 5 % showing no resident ID (another
document whose number differs at each stay, so only name and birth date can link them).
Half the guests with a resident ID are already in the registry, among `--persons` persons
stored there beforehand (COPY); `--listed` persons are on the watchlist, 100 of them guests.

Workers are forked after the parent has built the watchlist index and the person index
from the database (timed apart, as a worker's start-up), so they share those pages until
they write; each then follows the change logs. Prints registrations/s for each worker count,
SQL statements per event (every statement any worker sent, counted by a
`before_cursor_execute` listener), and each worker's peak RSS (VmHWM, shared pages included)
and private memory at the end. `--profile` then drains once more in this process under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import multiprocessing
import pstats
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from faker import Faker
from faker.providers.person.zh_CN import Provider as ZhNames
from tests.conftest import _sqlalchemy_url, fresh_database, make_settings, postgres_admin_url
from tests.intake.samples import cn_id, region_codes

from vigil import pipeline
from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.core.settings import generate_keys
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Role, system_context
from vigil.intake import files
from vigil.registry.online import person_index_for
from vigil.registry.service import primary_name_key
from vigil.screening import service as screening

HEADER = [
    "guest.name",
    "guest.doc_type",
    "guest.id_number",
    "guest.birth_date",
    "guest.nationality",
    "check_in",
    "check_out",
    "room",
    "stay_ref",
]
SURNAMES = list(ZhNames.last_names)
GIVEN = list(ZhNames.first_names)
NOW = datetime.now(UTC)


@dataclass
class Guest:
    name: str
    birth: date
    id_number: str  # "" when the guest shows no resident ID


class Identities:
    """Unique valid resident IDs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.regions = region_codes()
        self.issued: set[str] = set()

    def new(self, birth: date) -> str:
        while True:
            number = cn_id(
                self.rng.randrange(1000), f"{birth:%Y%m%d}", self.rng.choice(self.regions)
            )
            if number not in self.issued:
                self.issued.add(number)
                return number


def _birth(rng: random.Random) -> date:
    return date(1945, 1, 1) + timedelta(days=rng.randrange(60 * 365))


def _synthetic_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def make_guests(count: int, ids: Identities, rng: random.Random) -> list[Guest]:
    fake = Faker("zh_CN")
    fake.seed_instance(17)
    guests = []
    for _ in range(count):
        birth = _birth(rng)
        number = "" if rng.random() < 0.05 else ids.new(birth)
        guests.append(Guest(fake.name(), birth, number))
    return guests


def write_stays(path: Path, guests: list[Guest], stays: int, rng: random.Random) -> None:
    visits = [g for g in guests for _ in range(rng.choice((1, 2, 2, 3)))]
    while len(visits) < stays:
        visits.append(rng.choice(guests))
    visits = visits[:stays]
    rng.shuffle(visits)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i, guest in enumerate(visits):
            check_in = NOW - timedelta(days=30) + timedelta(seconds=20 * i)
            if guest.id_number:
                document = ["cn_resident_id", guest.id_number, ""]
            else:
                document = ["other", f"T{rng.randrange(10**9):09d}", guest.birth.isoformat()]
            writer.writerow(
                [
                    guest.name,
                    *document,
                    "CHN",
                    check_in.isoformat(),
                    (check_in + timedelta(hours=20)).isoformat(),
                    str(100 + i % 900),
                    f"B-{i}",
                ]
            )


def _copy(conn: psycopg.Connection[Any], table: str, columns: str, rows: Any) -> None:
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed_registry(
    runtime: Runtime, dsn: str, count: int, guests: list[Guest], ids: Identities, rng: random.Random
) -> None:
    """`count` persons with a resident ID each: half the guests who have one, then others."""
    known = [g for g in guests if g.id_number][: len(guests) // 2]
    people = [(g.name, g.birth, g.id_number) for g in known]
    while len(people) < count:
        birth = _birth(rng)
        people.append((_synthetic_name(rng), birth, ids.new(birth)))
    stamp = NOW - timedelta(days=60)
    with psycopg.connect(dsn) as conn:
        _copy(
            conn,
            "person",
            "id, name, name_key, birth_date, sex, nationality, pseudonymised, created_at, "
            "last_seen_at",
            (
                (i, name, primary_name_key(name), birth, None, "CHN", False, stamp, stamp)
                for i, (name, birth, _) in enumerate(people, 1)
            ),
        )
        _copy(
            conn,
            "person_document",
            "id, person_id, doc_type, issuing_country, id_hash, id_ciphertext",
            (
                (i, i, "cn_resident_id", None, runtime.vault.hash(number), "bench-not-encrypted")
                for i, (_, _, number) in enumerate(people, 1)
            ),
        )
        for table in ("person", "person_document"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


def seed_watchlist(
    runtime: Runtime,
    dsn: str,
    count: int,
    guests: list[Guest],
    ids: Identities,
    agency: int,
    rng: random.Random,
) -> None:
    """`count` active person entries with a court order each; 100 of them are guests."""
    listed_guests = [g for g in guests if g.id_number][-100:]
    entries = [(g.name, g.birth, g.id_number) for g in listed_guests]
    while len(entries) < count:
        birth = _birth(rng)
        entries.append((_synthetic_name(rng), birth, ids.new(birth) if rng.random() < 0.9 else ""))
    expires = NOW + timedelta(days=365)
    with psycopg.connect(dsn) as conn:
        _copy(
            conn,
            "watchlist_entry",
            "id, entry_id, kind, status, name, aliases, birth_date, id_hash, id_ciphertext, "
            "serial, imei, vin, plate, description, basis_reference, basis_authority, "
            "expires_at, organisation_id, proposed_by, proposed_at, decided_by, decided_at",
            (
                (
                    i,
                    f"E{i:07d}",
                    "person",
                    "active",
                    name,
                    "[]",
                    birth.isoformat(),
                    runtime.vault.hash(number) if number else "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    f"(2026)Court-{i}",
                    "Example Intermediate Court",
                    expires,
                    agency,
                    "bench-analyst",
                    NOW,
                    "bench-supervisor",
                    NOW,
                )
                for i, (name, birth, number) in enumerate(entries, 1)
            ),
        )
        _copy(
            conn,
            "watchlist_change",
            "version, entry_id, change, by, at",
            (
                (i, f"E{i:07d}", "approve", "bench-supervisor", NOW)
                for i in range(1, len(entries) + 1)
            ),
        )
        for table, column in (("watchlist_entry", "id"), ("watchlist_change", "version")):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"(SELECT max({column}) FROM {table}))"
            )


def load_file(runtime: Runtime, path: Path, org_id: int, org_name: str) -> tuple[int, float]:
    ctx = AccessContext(f"bench:{org_id}", 0, org_id, org_name, Role.BUSINESS)
    started = time.perf_counter()
    with path.open("rb") as handle:
        report = files.load_stream(runtime, ctx, "hotel", handle, "csv")
    elapsed = time.perf_counter() - started
    assert report.stored == report.rows, report.as_dict(5)
    return report.rows, elapsed


def _memory() -> tuple[float, float]:
    """(peak RSS, private memory now) in MiB, from /proc."""
    peak = private = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            private += int(line.split()[1]) / 1024
    return peak, private


def _worker(runtime: Runtime, batch: int, start: Any, results: Any) -> None:
    runtime.engine.dispose(close=False)  # the parent's connections are not ours
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(runtime.engine, "before_cursor_execute", count)
    start.wait()
    began = time.perf_counter()
    report = pipeline.drain(runtime, batch=batch)
    ended = time.perf_counter()
    peak, private = _memory()
    results.put(
        (
            report.events,
            report.failed,
            len(report.alerts),
            statements[0],
            began,
            ended,
            peak,
            private,
        )
    )


def run_workers(runtime: Runtime, workers: int, batch: int) -> dict[str, Any]:
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    runtime.engine.dispose()
    processes = [
        context.Process(target=_worker, args=(runtime, batch, start, results))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    time.sleep(0.5)
    start.set()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    with runtime.engine.connect() as conn:
        persons = conn.execute(text("SELECT count(*) FROM person")).scalar_one()
        links = conn.execute(text("SELECT count(*) FROM registration_link")).scalar_one()
    events = sum(o[0] for o in outcomes)
    elapsed = max(o[5] for o in outcomes) - min(o[4] for o in outcomes)
    return {
        "events": events,
        "failed": sum(o[1] for o in outcomes),
        "alerts": sum(o[2] for o in outcomes),
        "statements": sum(o[3] for o in outcomes),
        "seconds": elapsed,
        "rate": events / elapsed,
        "memory": [(o[6], o[7]) for o in outcomes],
        "persons": persons,
        "links": links,
    }


def reset(dsn: str, marks: dict[str, int]) -> None:
    """Undo a drain: the database as it was after the load, outbox pending again."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        # no per-row foreign-key checks (person.merged_into has no index to check them with)
        conn.execute("SET session_replication_role = replica")
        conn.execute("TRUNCATE registration_link, review_item")
        conn.execute("DELETE FROM alert")
        conn.execute("DELETE FROM legal_basis WHERE kind = 'alert'")
        for table in ("person_document", "person", "person_change"):
            conn.execute(f"DELETE FROM {table} WHERE id > %s", (marks[table],))
        for table in (
            "person_document",
            "person",
            "person_change",
            "registration_link",
            "review_item",
            "alert",
            "legal_basis",
        ):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest(%s, 1))",
                (marks.get(table, 0) or 1,),
            )
        conn.execute(
            "UPDATE intake_outbox SET status = 'pending', attempts = 0, error = NULL, "
            "processed_at = NULL"
        )
        conn.execute("VACUUM ANALYZE")


def marks_of(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        return {
            table: int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])  # type: ignore[index]
            for table in ("person_document", "person", "person_change", "legal_basis")
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stays", type=int, default=100_000)
    parser.add_argument("--listed", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="then profile one drain")
    args = parser.parse_args()
    rng = random.Random(5)
    tmp = Path(tempfile.mkdtemp())
    with fresh_database(postgres_admin_url(), "vigil_bench_pipeline") as dsn:
        url = _sqlalchemy_url(dsn)
        upgrade(url)
        settings = make_settings(url, generate_keys(), tmp)
        settings = settings.model_copy(update={"log_level": "WARNING"})
        runtime = Runtime.create(settings)
        with runtime.unit_of_work() as session:
            ctx = system_context()
            agency = governance.create_organisation(session, ctx, "Bench Police", "agency")
            hotel = governance.create_organisation(session, ctx, "Bench Hotel", "business", "hotel")
            screening.seed_catalogue(session, ctx)
            agency_id, hotel_id, hotel_name = agency.id, hotel.id, hotel.name
        ids = Identities(rng)
        t = time.perf_counter()
        guests = make_guests(args.stays // 2, ids, rng)
        path = tmp / "stays.csv"
        write_stays(path, guests, args.stays, rng)
        print(
            f"generated {args.stays:,} stays of {len(guests):,} guests "
            f"in {time.perf_counter() - t:.1f} s"
        )
        t = time.perf_counter()
        seed_registry(runtime, dsn, args.persons, guests, ids, rng)
        seed_watchlist(runtime, dsn, args.listed, guests, ids, agency_id, rng)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        print(
            f"stored {args.persons:,} persons and {args.listed:,} listed persons (COPY) "
            f"in {time.perf_counter() - t:.1f} s"
        )
        rows, seconds = load_file(runtime, path, hotel_id, hotel_name)
        load_rate = rows / seconds
        print(f"baseline: intake file load of the same {rows:,} rows: {load_rate:,.0f} rows/s")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        marks = marks_of(dsn)
        t = time.perf_counter()
        screening.refreshed_state(runtime)
        t_watch = time.perf_counter() - t
        t = time.perf_counter()
        with runtime.unit_of_work() as session:
            person_index_for(runtime).catch_up(session)
        t_person = time.perf_counter() - t
        print(
            f"worker start-up (once, before forking): watchlist index {t_watch:.1f} s, "
            f"person index {t_person:.1f} s ({len(person_index_for(runtime).blocks):,} persons)"
        )
        gc.collect()
        gc.freeze()
        for n, workers in enumerate(int(w) for w in args.workers.split(",")):
            if n:
                reset(dsn, marks)
            result = run_workers(runtime, workers, args.batch)
            memory = ", ".join(
                f"{peak:,.0f} MiB peak / {private:,.0f} MiB private"
                for peak, private in result["memory"]
            )
            print(
                f"{workers} worker(s): {result['events']:,} registrations "
                f"in {result['seconds']:.1f} s = {result['rate']:,.0f} registrations/s "
                f"({result['rate'] / load_rate:.2f}x the file load); "
                f"{result['failed']} failed, {result['alerts']} alerts, {result['links']:,} links, "
                f"{result['persons']:,} persons in the registry; "
                f"{result['statements'] / max(result['events'], 1):.3f} statements per event; "
                f"memory per worker: {memory}"
            )
        if args.profile:
            reset(dsn, marks)
            profiler = cProfile.Profile()
            t = time.perf_counter()
            profiler.enable()
            report = pipeline.drain(runtime, batch=args.batch)
            profiler.disable()
            elapsed = time.perf_counter() - t
            print(
                f"profiled: {report.events:,} events in {elapsed:.1f} s "
                f"({report.events / elapsed:,.0f}/s)"
            )
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats("vigil", 40)
            print(out.getvalue())
        runtime.engine.dispose()


if __name__ == "__main__":
    main()
