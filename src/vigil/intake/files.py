"""The file loader (CSV, JSONL or XLSX), shared by `vigil intake load` and the upload
endpoint. Constant memory: rows are read, validated and stored in chunks, each chunk in
one transaction (`service.file_prepared`: the same storing, counting and audit as every
channel). Bad rows go to a per-row error report; none is silently dropped. Loading the same
file again stores nothing new (per-row idempotency key).

Reading is `readers` (pure, through the one tabular reader), preparing is `prepare` (pure,
in worker processes); this module holds what touches the database: the process pool,
submission ids reserved in file order, and the error report."""

from __future__ import annotations

import codecs
import csv
import gc
import io
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from vigil.core import tabular
from vigil.core.runtime import Runtime
from vigil.governance.access import AccessContext
from vigil.governance.models import Organisation
from vigil.intake import service, storage
from vigil.intake.chunks import ByteChunk, ChunkCutter, body_codec, splittable
from vigil.intake.prepare import ChunkPreparer, Validated
from vigil.intake.readers import (
    CsvRows,
    ReadAborted,
    Row,
    file_format,
    jsonl_lines,
    read_header,
    xlsx_rows,
)
from vigil.intake.validation import RowError, RowValidator

__all__ = ["CHUNK_ROWS", "ErrorReportFile", "LoadReport", "file_format", "load_stream"]

CHUNK_ROWS = 5000

KEPT_ERRORS = 10_000


@dataclass
class LoadReport:
    """What a load did. Every row error goes to `error_sink` (when given) as it is found;
    the report itself keeps the first `KEPT_ERRORS`, so a huge file of bad rows still
    loads in constant memory (`errors_total` counts them all)."""

    rows: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    encoding: str = ""
    errors: list[RowError] = field(default_factory=list)
    errors_total: int = 0
    aborted: str | None = None  # why reading stopped early, if it did
    error_sink: Callable[[RowError], None] | None = field(default=None, repr=False)

    def add_errors(self, errors: list[RowError]) -> None:
        self.errors_total += len(errors)
        if self.error_sink is not None:
            for error in errors:
                self.error_sink(error)
        room = KEPT_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    def as_dict(self, max_errors: int = 1000) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "encoding": self.encoding,
            "aborted": self.aborted,
            "errors_total": self.errors_total,
            "errors": [
                {"row": e.row, "field": e.field, "message": e.message}
                for e in self.errors[:max_errors]
            ],
        }


@dataclass
class ChunkOutcome:
    """What storing one chunk did; small, so a worker sends it back cheaply."""

    stored: int
    duplicates: int
    rejected: int
    errors: list[RowError]


@dataclass
class ChunkStore:
    """Stores validated chunks, each in its own transaction with its batch count and audit
    entry. On PostgreSQL it runs in the worker that validated the chunk, with submission
    ids the loading process reserved in file order; elsewhere in the loading process."""

    runtime: Runtime
    ctx: AccessContext
    organisation_id: int
    sector: str

    def __call__(
        self, validated: Validated, read_errors: list[RowError], ids: list[int] | None = None
    ) -> ChunkOutcome:
        prepared, bad = validated
        bad = sorted(read_errors + bad, key=lambda e: e.row)
        rejected = len({e.row for e in bad})
        with self.runtime.unit_of_work() as session:
            org = session.get(Organisation, self.organisation_id)
            assert org is not None
            filing = service.file_prepared(
                session,
                self.ctx,
                org,
                self.sector,
                "file",
                prepared,
                bad,
                want_ids=False,
                reserved_ids=ids,
            )
        return ChunkOutcome(filing.stored, filing.duplicates, rejected, bad)


@dataclass
class _WorkerState:
    preparer: ChunkPreparer
    store: ChunkStore | None  # set: the worker stores what it validates


_WORKER: _WorkerState | None = None


def _init_worker(state: _WorkerState) -> None:
    """The inherited heap is frozen, so the cycle collector never walks it (walking it
    writes to every page, which a forked child then copies), and it runs once per chunk
    instead of every few hundred allocations. A storing worker drops the parent's pooled
    connections without closing them and opens its own."""
    global _WORKER
    _WORKER = state
    if state.store is not None:
        state.store.runtime.engine.dispose(close=False)
    gc.freeze()
    gc.disable()


Worked = tuple[ChunkOutcome | Validated, int | None]


def _work_in_worker(
    chunk: list[tuple[int, Any]] | ByteChunk, read_errors: list[RowError], ids: list[int] | None
) -> Worked:
    assert _WORKER is not None, "_init_worker was not called"
    gc.collect()  # what the last chunk left in cycles; few objects are alive just now
    return work_on(_WORKER.preparer, _WORKER.store, chunk, read_errors, ids)


def work_on(
    preparer: ChunkPreparer,
    store: ChunkStore | None,
    chunk: list[tuple[int, Any]] | ByteChunk,
    read_errors: list[RowError],
    ids: list[int] | None = None,
) -> Worked:
    """Validated rows (for the caller to store) or, given `store`, what storing them did;
    and for a `ByteChunk`, the rows it held (its row numbers start from 1)."""
    rows = None
    if isinstance(chunk, ByteChunk):
        validated, rows = preparer.prepare_bytes(chunk)
    else:
        validated = preparer(chunk)
    return (validated if store is None else store(validated, read_errors, ids)), rows


def _worker_context() -> multiprocessing.context.BaseContext:
    """`fork` where there is one: workers start at once with the modules already loaded
    (they only validate, and touch no inherited connection). `spawn` would re-import the
    caller's main script in every worker, which can take seconds."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def pool_size() -> int:
    """Worker processes for validation: the cores this process may use, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return min(cores, 8)


class IdReserver:
    """PostgreSQL: submission ids from the sequence, increasing, chunk by chunk, on a
    connection of its own (nextval is not transactional)."""

    def __init__(self, runtime: Runtime) -> None:
        self._connection = runtime.engine.raw_connection()
        driver = self._connection.driver_connection
        assert driver is not None
        driver.autocommit = True
        self._driver = driver
        with driver.cursor() as cur:
            self._sequence = storage.submission_sequence(cur)

    def __call__(self, n: int) -> list[int]:
        with self._driver.cursor() as cur:
            return storage.reserve_ids(cur, n, self._sequence)

    def close(self) -> None:
        self._driver.autocommit = False  # back to the pool as it came: transactional
        self._connection.close()


def load_stream(
    runtime: Runtime,
    ctx: AccessContext,
    sector: str,
    binary: IO[bytes],
    fmt: str,
    *,
    encoding: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    error_sink: Callable[[RowError], None] | None = None,
) -> LoadReport:
    """Load one file. `progress(rows_done, bytes_read)` is called after each chunk.

    With a pool of `workers` processes (default: one per core; 0 or 1 does it all here),
    this process only cuts the file into chunks of whole records (`chunks.ChunkCutter`),
    and the workers decode, parse, validate, protect and, on PostgreSQL, COPY-encode and
    store them: there each chunk gets its submission ids here, in file order, and two
    chunks are stored at once by two backends. A chunk the cutter cannot vouch for (a
    malformed line, a bad byte) and everything after it is read here row by row instead,
    as without a pool. Each chunk is one transaction with its batch count and audit
    entry."""
    with runtime.unit_of_work() as session:
        org = service.filing_organisation(session, ctx, sector)
        session.expunge(org)
        catalogue = service.filing_catalogue(session, sector)
    validator = RowValidator(
        sector,
        org.id,
        runtime.vault,
        timezone=runtime.settings.intake_timezone,
        precursors=catalogue,
    )
    name = getattr(binary, "name", None)
    source = Path(name).name if isinstance(name, str) else ""
    chosen = "" if fmt == "xlsx" else tabular.choose_encoding(binary, encoding, source=source)
    lines: Iterable[str] = (
        () if fmt == "xlsx" else tabular.decoded_lines(binary, chosen, source=source)
    )
    report = LoadReport(encoding=chosen, error_sink=error_sink)
    encode = storage.storage_for_dialect(runtime.engine.dialect.name).encodes_chunks
    preparer = ChunkPreparer(validator, None, encode)
    store = ChunkStore(runtime, ctx, org.id, sector)
    processes = pool_size() if workers is None else workers
    context = _worker_context()
    # Storing in the workers needs ids reserved in file order (PostgreSQL) and a forked
    # child (the runtime is inherited, not pickled).
    workers_store = encode and context.get_start_method() == "fork"
    pool: ProcessPoolExecutor | None = None
    reserve: IdReserver | None = None
    in_flight: deque[tuple[Future[Worked], list[RowError]]] = deque()

    def finish(worked: Worked, read_errors: list[RowError]) -> None:
        outcome, rows = worked
        if not isinstance(outcome, ChunkOutcome):
            outcome = store(outcome, read_errors)
        errors = outcome.errors
        if rows is not None:  # a byte chunk: numbered from 1, and counted only now
            errors = [RowError(e.row + report.rows, e.field, e.message) for e in errors]
            report.rows += rows
        report.stored += outcome.stored
        report.duplicates += outcome.duplicates
        report.rejected += outcome.rejected
        report.add_errors(errors)
        if progress is not None:
            progress(report.rows, binary.tell() if binary.seekable() else 0)

    def drain() -> None:
        while in_flight:
            future, read_errors = in_flight.popleft()
            finish(future.result(), read_errors)

    def submit(chunk: list[tuple[int, Any]] | ByteChunk, errors: list[RowError]) -> None:
        """Hand a chunk to the pool (started on the first call)."""
        nonlocal pool, reserve
        if pool is None:
            state = _WorkerState(preparer, store if workers_store else None)
            pool = ProcessPoolExecutor(
                processes, mp_context=context, initializer=_init_worker, initargs=(state,)
            )
            if workers_store:
                reserve = IdReserver(runtime)
        size = chunk.line_breaks if isinstance(chunk, ByteChunk) else len(chunk)
        ids = reserve(size) if reserve is not None else None
        in_flight.append((pool.submit(_work_in_worker, chunk, errors, ids), errors))
        while len(in_flight) > processes or (in_flight and in_flight[0][0].done()):
            future, read_errors = in_flight.popleft()
            finish(future.result(), read_errors)

    pending: list[tuple[int, Any]] = []
    pending_errors: list[RowError] = []

    def flush(more_to_come: bool) -> None:
        chunk, errors = list(pending), list(pending_errors)
        pending.clear()
        pending_errors.clear()
        report.rows += len(chunk) + len(errors)
        if pool is None and not (more_to_come and processes > 1):
            drain()
            finish(work_on(preparer, None, chunk, errors), errors)
        else:
            submit(chunk, errors)

    def cut_bytes(offset: int) -> ChunkCutter:
        """Hand the file's chunks to the pool from `offset` on, as bytes, until the end of
        the file or a chunk to read row by row; the cutter tells where that was."""
        size = binary.seek(0, io.SEEK_END)
        cutter = ChunkCutter(binary, chosen, fmt == "csv", offset, chunk_rows, size=size)
        chunk = next(cutter, None)
        if chunk is None:
            return cutter
        ahead = next(cutter, None)
        if ahead is None and not cutter.failed:  # the whole file in one chunk: do it here
            finish(work_on(preparer, None, chunk, []), [])
            return cutter
        submit(chunk, [])
        while ahead is not None:
            submit(ahead, [])
            ahead = next(cutter, None)
        drain()
        return cutter

    try:
        rows: Iterable[Row]
        lines_before = 0  # CSV lines cut into byte chunks, the header's included
        first_line = 1  # the file's line where the text read row by row starts
        if processes > 1 and fmt != "xlsx" and splittable(chosen):
            start = len(codecs.BOM_UTF8) if chosen == "utf-8-sig" else 0
            if fmt == "csv":
                head = read_header(binary, chosen, sector)
                if head is not None:
                    preparer.header, start, lines_before = head
            if fmt != "csv" or preparer.header is not None:
                cutter = cut_bytes(start)
                lines_before += cutter.lines
                first_line = lines_before + 1
                binary.seek(cutter.offset)
                lines = tabular.decoded_lines(
                    binary, body_codec(chosen), source=source, first_line=first_line
                )
        try:
            rows = jsonl_lines(lines, report.rows)
            if fmt == "csv":  # reads the header: a wrong encoding may show already here
                rows = CsvRows(lines, sector, preparer.header, report.rows, lines_before, source)
                preparer.header = rows.header
            elif fmt == "xlsx":
                preparer.header, rows = xlsx_rows(binary, sector, source)
            for item in rows:
                if type(item) is tuple:
                    pending.append(item)
                else:
                    pending_errors.append(item)  # type: ignore[arg-type]
                if len(pending) + len(pending_errors) >= chunk_rows:
                    flush(more_to_come=True)
        except ReadAborted as exc:  # its row error is in pending_errors
            report.aborted = _why_stopped(exc.error)
        except tabular.TabularError as exc:  # bad bytes in a header or a JSONL line
            if exc.kind != "encoding":
                raise
            drain()
            read = report.rows + len(pending) + len(pending_errors)
            report.aborted = _why_stopped(exc)
            report.add_errors([RowError(read + 1, "row", report.aborted)])
            report.rejected += 1
        if pending or pending_errors:
            flush(more_to_come=False)
        drain()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if reserve is not None:
            reserve.close()
    return report


def _why_stopped(error: tabular.TabularError) -> str:
    hint = "; pass the right --encoding" if error.kind == "encoding" else ""
    return f"{error}{hint}"


class ErrorReportFile:
    """The per-row error report (CSV: row, field, message), written as errors are found;
    the file is created at the first error, so a clean load leaves none."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self._writer: Any = None

    def __call__(self, error: RowError) -> None:
        if self._writer is None:
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["row", "field", "message"])
        self._writer.writerow([error.row, error.field, error.message])

    @property
    def written(self) -> bool:
        return self._writer is not None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    def __enter__(self) -> ErrorReportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
