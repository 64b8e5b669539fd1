"""File loads (CLI and upload endpoint) on SQLite and PostgreSQL: per-row error report,
idempotent reloads, encodings (GBK without --encoding), malformed CSV."""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.intake.conftest import BUSINESS_OF
from tests.intake.samples import sample
from tests.world import World
from vigil.cli import app
from vigil.intake import outbox
from vigil.intake.models import OutboxEvent, Submission

pytestmark = pytest.mark.storage
HEADER = [
    "guest.name",
    "guest.doc_type",
    "guest.id_number",
    "guest.nationality",
    "check_in",
    "check_out",
    "room",
    "companions",
]


def hotel_rows(n: int, start: int = 0) -> list[list[str]]:
    rows = []
    for i in range(start, start + n):
        r = sample("hotel", i)
        g = r["guest"]
        rows.append(
            [
                f"张伟{i}",
                g["doc_type"],
                g["id_number"],
                "CHN",
                r["check_in"],
                r["check_out"],
                str(1000 + i),
                json.dumps(r["companions"], ensure_ascii=False),
            ]
        )
    return rows


def write_csv(
    path: Path, rows: list[list[str]], encoding: str = "utf-8", header: list[str] = HEADER
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def env(world: World) -> dict[str, str]:
    s = world.runtime.settings
    return {
        "VIGIL_DATABASE_URL": s.database_url,
        "VIGIL_SECRET_KEY": s.secret_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_ID_ENCRYPTION_KEY": s.id_encryption_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_ID_HASH_KEY": s.id_hash_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_AUDIT_ENTRY_KEY": s.audit_entry_key.get_secret_value(),  # type: ignore[union-attr]
    }


def stored(world: World) -> int:
    with world.runtime.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Submission)) or 0)


def load(world: World, path: Path, *extra: str) -> tuple[int, str]:
    from vigil.core.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(
        app,
        ["intake", "load", str(path), "--sector", "hotel", "--org", "Hotel X", *extra],
        env=env(world),
    )
    return result.exit_code, result.output


def test_load_reports_bad_rows_and_reload_adds_nothing(world: World, tmp_path: Path) -> None:
    rows = hotel_rows(50)
    rows[10][2] = "110105194912310021"  # wrong check character
    rows[20][4] = "2026-02-30T10:00:00"  # impossible date
    rows[30][5] = "2026-01-01T00:00:00+00:00"  # check-out before check-in
    rows[40] = rows[40][:5]  # missing cells
    path = write_csv(tmp_path / "stays.csv", rows)
    code, output = load(world, path)
    assert code == 1, output
    assert stored(world) == 46
    with (tmp_path / "stays.csv.errors.csv").open() as handle:
        report = list(csv.DictReader(handle))
    assert [(r["row"], r["field"], r["message"]) for r in report] == [
        ("11", "guest.id_number", "check character should be X"),
        (
            "21",
            "check_in",
            "Input should be a valid datetime or date, day value is outside expected range",
        ),
        ("31", "check_out", "must be after check_in"),
        ("41", "row", "has 5 fields, the header has 8"),
    ]
    code, output = load(world, path)
    assert stored(world) == 46 and "0 stored, 46 already stored" in output.replace("\n", " ")


def test_gbk_file_detected_without_encoding(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", hotel_rows(30), encoding="gbk")
    code, output = load(world, path)
    assert code == 0, output
    assert "gb18030" in output
    with world.runtime.unit_of_work() as session:
        names = {s.record["persons"][0]["name"] for s in session.scalars(select(Submission))}
    assert "张伟7" in names  # not mojibake


def test_wrong_explicit_encoding_is_a_clear_error(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", hotel_rows(5), encoding="gbk")
    code, output = load(world, path, "--encoding", "utf-8")
    assert code == 3
    assert "is not valid utf-8" in output and "--encoding" in output
    assert stored(world) == 0


def test_malformed_csv(world: World, tmp_path: Path) -> None:
    missing = write_csv(tmp_path / "missing.csv", [r[:2] for r in hotel_rows(3)], header=HEADER[:2])
    code, output = load(world, missing)
    assert code == 2 and "lacks required column(s): check_in, room" in output.replace("\n", " ")
    rows = hotel_rows(5)
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows[:3]])
    broken = text.getvalue() + '"unbalanced,quote' + ",x" * 7 + "\n"
    path = tmp_path / "broken.csv"
    path.write_text(broken)
    code, output = load(world, path)
    assert code == 3 and "malformed CSV" in output
    assert stored(world) == 3


def test_jsonl_and_upload_endpoint(world: World, tmp_path: Path) -> None:
    lines = [json.dumps(sample("hotel", i), ensure_ascii=False) for i in range(10)] + ["{oops"]
    body = ("\n".join(lines) + "\n").encode("gb18030")
    headers = {
        "X-API-Key": world.api_keys[BUSINESS_OF["hotel"]],
        "Content-Type": "application/x-ndjson",
    }
    r = world.client.post("/v1/intake/hotel/upload", content=body, headers=headers)
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["stored"], report["rejected"]) == (10, 1)
    assert report["errors"][0]["row"] == 11
    again = world.client.post("/v1/intake/hotel/upload", content=body, headers=headers).json()
    assert (again["stored"], again["duplicates"]) == (0, 10)
    wrong = world.client.post(
        "/v1/intake/hotel/upload",
        content=body,
        headers={**headers, "Content-Type": "application/pdf"},
    )
    assert wrong.status_code == 415


def test_pooled_chunked_load_keeps_order_errors_and_idempotency(
    world: World, tmp_path: Path
) -> None:
    """Several chunks validated in worker processes and stored (COPY on PostgreSQL) in
    file order: errors keep their row numbers, a row repeated in the file is stored once,
    the outbox gets one event per stored row, and a reload stores nothing."""
    from vigil.governance.access import AccessContext, Role
    from vigil.intake import files

    rows = hotel_rows(260)
    rows[5][2] = "110105194912310021"  # wrong check character, chunk 1
    rows[130][2] = "999999194912310021"  # bad check char too, chunk 3
    rows[200] = list(rows[199])  # the same record twice in one chunk
    path = write_csv(tmp_path / "many.csv", rows)
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)

    def run() -> files.LoadReport:
        with path.open("rb") as handle:
            return files.load_stream(
                world.runtime, ctx, "hotel", handle, "csv", chunk_rows=60, workers=2
            )

    report = run()
    assert (report.rows, report.stored, report.duplicates, report.rejected) == (260, 257, 1, 2)
    assert [(e.row, e.field) for e in report.errors] == [
        (6, "guest.id_number"),
        (131, "guest.id_number"),
    ]
    with world.runtime.unit_of_work() as session:
        events = list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))
        subs = list(session.scalars(select(Submission).order_by(Submission.id)))
    assert [e.submission_id for e in events] == [s.id for s in subs]
    assert [s.record["persons"][0]["name"] for s in subs[:3]] == ["张伟0", "张伟1", "张伟2"]
    first = events[0].payload
    # a hotel stay has no objects or parcel: the event names its submission and sector only
    assert first == {"submission_id": subs[0].id, "sector": "hotel"}
    with world.runtime.unit_of_work() as session:  # the claim reads the persons with the event
        (claimed,) = outbox.claim_ids(session, [events[0].id])
    assert claimed.record == subs[0].record and claimed.record["persons"]
    again = run()
    assert (again.stored, again.duplicates, again.rejected) == (0, 258, 2)
    assert stored(world) == 257


def test_two_workers_storing_the_same_rows_at_once_store_them_once(
    world: World, tmp_path: Path
) -> None:
    """Two chunks of one file that hold the same rows are stored at the same time by two
    workers (on PostgreSQL, each COPYs in its own transaction; one waits on the other's
    keys, then skips them): each row is stored once, with one outbox event."""
    from vigil.governance.access import AccessContext, Role
    from vigil.intake import files

    rows = hotel_rows(60)
    path = write_csv(tmp_path / "twice.csv", rows + rows + hotel_rows(60, start=60))
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)
    with path.open("rb") as handle:
        report = files.load_stream(
            world.runtime, ctx, "hotel", handle, "csv", chunk_rows=60, workers=2
        )
    assert (report.rows, report.stored, report.duplicates, report.rejected) == (180, 120, 60, 0)
    assert stored(world) == 120
    with world.runtime.unit_of_work() as session:
        events = list(session.scalars(select(OutboxEvent.submission_id)))
        names = list(session.scalars(select(Submission.record).order_by(Submission.id)))
    assert len(events) == len(set(events)) == 120
    assert [r["persons"][0]["name"] for r in names[-2:]] == ["张伟118", "张伟119"]


def test_overlapping_concurrent_loads_store_each_row_once(world: World, tmp_path: Path) -> None:
    """Two loads at once, of files that share half their rows: every row is stored once, each
    with one outbox event, and the two reports account for every row (stored + duplicate)."""
    import threading

    from vigil.governance.access import AccessContext, Role
    from vigil.intake import files

    rows = hotel_rows(400)
    first = write_csv(tmp_path / "a.csv", rows[:300])
    second = write_csv(tmp_path / "b.csv", rows[100:])
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)
    reports: list[files.LoadReport] = []
    failures: list[BaseException] = []

    def load(path: Path) -> None:
        try:
            with path.open("rb") as handle:
                reports.append(
                    files.load_stream(
                        world.runtime, ctx, "hotel", handle, "csv", chunk_rows=60, workers=0
                    )
                )
        except BaseException as exc:  # surfaced below
            failures.append(exc)

    threads = [threading.Thread(target=load, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    assert sum(r.stored for r in reports) == 400 == stored(world)
    assert sum(r.duplicates for r in reports) == 200
    with world.runtime.unit_of_work() as session:
        events = list(session.scalars(select(OutboxEvent.submission_id)))
    assert len(events) == len(set(events)) == 400


def test_pipeline_run_once_drains_the_outbox_in_small_batches(world: World, tmp_path: Path) -> None:
    from vigil.core.settings import get_settings

    code, output = load(world, write_csv(tmp_path / "few.csv", hotel_rows(12)))
    assert code == 0, output
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["pipeline", "run", "--once", "--batch", "5"], env=env(world))
    assert result.exit_code == 0, result.output
    assert "\n12 events, 24 person links" in result.output  # guest + companion, after the bar
    with world.runtime.unit_of_work() as session:
        assert outbox.pending_count(session) == 0
    get_settings.cache_clear()
    bad = CliRunner().invoke(app, ["pipeline", "run", "--once", "--batch", "0"], env=env(world))
    assert bad.exit_code == 2


def test_a_pooled_load_reads_past_a_stray_quote_and_a_quoted_line_break(
    world: World, tmp_path: Path
) -> None:
    """The loading process cuts files into byte chunks only where a strict parse vouches for
    the cut; from a line it cannot vouch for (here a stray quote in an unquoted field before
    a line break inside quotes) it reads row by row, with the same row numbers and line
    numbers as a load that never cut at all (SQLite stores in this process, PostgreSQL in
    the workers)."""
    from vigil.governance.access import AccessContext, Role
    from vigil.intake import files

    rows = hotel_rows(300)
    rows[149][6] = 'A"1'  # a stray quote, which a CSV writer would never leave unquoted
    rows[150][6] = "80\n1"  # a line break inside a quoted field (free text: names refuse it)
    rows[249][2] = "110105194912310021"  # wrong check character
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows[:149])
    buffer.write(",".join(writer_cell(c) for c in rows[149]) + "\r\n")
    writer.writerows(rows[150:])
    tail = '"unbalanced,quote' + ",x" * 7 + "\n"
    path = tmp_path / "quotes.csv"
    path.write_text(buffer.getvalue() + tail, encoding="utf-8", newline="")
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)
    with path.open("rb") as handle:
        report = files.load_stream(
            world.runtime, ctx, "hotel", handle, "csv", chunk_rows=40, workers=2
        )
    assert (report.rows, report.stored, report.rejected) == (301, 299, 2)
    assert [(e.row, e.field) for e in report.errors] == [(250, "guest.id_number"), (301, "row")]
    assert report.aborted is not None and "line 303:" in report.aborted  # 1 + 300 + 1 + 1
    with world.runtime.unit_of_work() as session:
        subs = list(session.scalars(select(Submission).order_by(Submission.id)))
    names = [s.record["persons"][0]["name"] for s in subs]
    assert names[148:151] == [rows[148][0], rows[149][0], rows[150][0]]
    assert subs[149].record["details"]["room"] == 'A"1'
    assert subs[150].record["details"]["room"] == "80\n1"
    assert len(names) == len(set(names)) == 299


def writer_cell(value: str) -> str:
    """A cell as a careless writer leaves it: quoted only if it holds a comma or quote-start."""
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if "," in value or value[:1] == '"' else value


def test_a_file_load_runs_in_constant_memory(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight times the rows (a third of them bad) take no more memory in the loading process:
    chunks are cut, stored and let go, and row errors go to the report file as they come,
    with only the first few kept in memory."""
    import tracemalloc

    from vigil.governance.access import AccessContext, Role
    from vigil.intake import files

    monkeypatch.setattr(files, "KEPT_ERRORS", 50)
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)

    def peak(n: int, start: int) -> tuple[int, files.LoadReport, Path]:
        rows = hotel_rows(n, start)
        for row in rows[::3]:
            row[2] = row[2][:-1] + ("0" if row[2][-1] != "0" else "1")  # wrong check char
        path = write_csv(tmp_path / f"rows{n}.csv", rows)
        errors = tmp_path / f"rows{n}.errors.csv"
        tracemalloc.start()
        with path.open("rb") as handle, files.ErrorReportFile(errors) as sink:
            report = files.load_stream(
                world.runtime,
                ctx,
                "hotel",
                handle,
                "csv",
                chunk_rows=300,
                workers=2,
                error_sink=sink,
            )
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, report, errors

    small, small_report, _ = peak(1_500, 0)
    large, report, errors = peak(12_000, 10_000)
    assert (report.rows, report.rejected, report.errors_total) == (12_000, 4_000, 4_000)
    assert report.stored == 8_000 and len(report.errors) == 50
    with errors.open() as handle:
        assert sum(1 for _ in handle) == 1 + 4_000
    assert small_report.stored == 1_000
    assert large < 1.5 * small, (small, large)


def test_a_pooled_jsonl_load_with_a_bom_numbers_rows_across_chunks(
    world: World, tmp_path: Path
) -> None:
    """JSONL cut into byte chunks: the BOM is dropped, a bad line is reported with its row
    number in the file, blank lines are not rows, and CRLF line ends are one line each."""
    from vigil.governance.access import AccessContext, Role
    from vigil.intake import files, readers
    from vigil.intake.validation import RowError

    lines = [json.dumps(sample("hotel", 20_000 + i), ensure_ascii=False) for i in range(300)]
    lines[170] = "{oops"
    lines.insert(100, "")  # a blank line: not a row
    path = tmp_path / "stays.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)
    with path.open("rb") as handle:
        report = files.load_stream(
            world.runtime, ctx, "hotel", handle, "jsonl", chunk_rows=40, workers=2
        )
    assert report.encoding == "utf-8-sig"
    assert (report.rows, report.stored, report.rejected) == (300, 299, 1)
    assert [(e.row, e.field) for e in report.errors] == [(171, "row")]  # the 171st row
    with path.open(encoding="utf-8-sig", newline="") as text:
        bad = [i.row for i in readers.iter_jsonl(text) if isinstance(i, RowError)]
    assert bad == [171]  # as read row by row
    assert stored(world) == 299


@pytest.mark.parametrize(
    ("encoding", "newline", "workers"),
    [
        ("gbk", "\r\n", "1"),
        ("gbk", "\r\n", "2"),
        ("utf-8-sig", "\r\n", "2"),
        ("utf-8-sig", "\n", "1"),
    ],
)
def test_gbk_bom_and_crlf_files_load_alike(
    world: World, tmp_path: Path, encoding: str, newline: str, workers: str
) -> None:
    """Through the one reader, row by row and cut into chunks by worker processes."""
    from vigil.governance.access import AccessContext, Role
    from vigil.intake import files

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerows([HEADER, *hotel_rows(120)])
    path = tmp_path / "stays.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)
    with path.open("rb") as handle:
        report = files.load_stream(
            world.runtime, ctx, "hotel", handle, "csv", chunk_rows=25, workers=int(workers)
        )
    assert report.encoding == ("gb18030" if encoding == "gbk" else encoding)
    assert (report.rows, report.stored, report.rejected) == (120, 120, 0), report.errors
    with world.runtime.unit_of_work() as session:
        subs = list(session.scalars(select(Submission).order_by(Submission.id)))
    assert [s.record["persons"][0]["name"] for s in subs] == [f"张伟{i}" for i in range(120)]
    assert [s.record["details"]["room"] for s in subs][:2] == ["1000", "1001"]  # no CR left


def test_bad_bytes_in_a_file_are_named_by_line_and_column(world: World, tmp_path: Path) -> None:
    rows = hotel_rows(60)
    data = io.StringIO()
    csv.writer(data).writerows([HEADER, *rows])
    path = tmp_path / "stays.csv"
    path.write_bytes(data.getvalue().encode().replace("张伟41,".encode(), b"\xff\xfe41,"))
    code, output = load(world, path)
    output = " ".join(output.split())
    assert code == 3, output
    assert "stays.csv, line 43, column 1: is not valid utf-8" in output
    assert "--encoding" in output and "Traceback" not in output
    assert stored(world) == 41


def test_xlsx_upload(world: World) -> None:
    from openpyxl import Workbook

    from vigil.intake.api import XLSX_MEDIA_TYPE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    rows = hotel_rows(12)
    rows[5][2] = "110105194912310021"  # wrong check character
    for row in rows:
        sheet.append(row)
    body = io.BytesIO()
    book.save(body)
    headers = {"X-API-Key": world.api_keys[BUSINESS_OF["hotel"]], "Content-Type": XLSX_MEDIA_TYPE}
    r = world.client.post("/v1/intake/hotel/upload", content=body.getvalue(), headers=headers)
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["rows"], report["stored"], report["rejected"]) == (12, 11, 1)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(6, "guest.id_number")]
