"""Streaming file loads (CSV or JSONL), shared by `vigil intake load` and the upload
endpoint. Constant memory: rows are read, validated and stored in chunks, each chunk in
one transaction. Bad rows go to a per-row error report; none is silently dropped. Loading
the same file again stores nothing new (per-row idempotency key)."""

from __future__ import annotations

import codecs
import csv
import gc
import io
import itertools
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes

from vigil.core.errors import BadRequest, FieldError
from vigil.core.protected import is_protected_name
from vigil.core.runtime import Runtime
from vigil.governance.access import AccessContext
from vigil.governance.models import Organisation
from vigil.intake import copyrows, service
from vigil.intake.chunks import (
    ByteChunk,
    ChunkCutter,
    body_codec,
    decoded_lines,
    line_count,
    record_end,
    splittable,
)
from vigil.intake.sectors import SECTORS
from vigil.intake.validation import PreparedRow, RowError, RowValidator

SAMPLE_BYTES = 256 * 1024
CHUNK_ROWS = 5000
csv.field_size_limit(1 << 20)

# Detected Chinese legacy encodings are read as their superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "ascii": "utf-8"}


class FileFormatError(BadRequest):
    """The file cannot be read at all (encoding, header); nothing further is loaded."""


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


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3  # only a character cut at the end of the sample


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes; then GB18030 (the superset of GB2312 and
    GBK, common in filings here) if it decodes; then charset-normalizer's best guess."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if _decodes(sample, "utf-8"):
        return "utf-8"
    if _decodes(sample, "gb18030"):
        return "gb18030"
    best = from_bytes(sample).best()
    if best is None:
        raise FileFormatError(
            "cannot detect the file's encoding; pass --encoding (e.g. gb18030)",
            [FieldError("encoding", "could not be detected")],
        )
    name = best.encoding.lower().replace("-", "_")
    return _SUPERSETS.get(name, name)


def open_text(binary: IO[bytes], encoding: str | None) -> tuple[io.TextIOWrapper, str]:
    sample = binary.read(SAMPLE_BYTES)
    binary.seek(0)
    chosen = encoding or detect_encoding(sample)
    try:
        codecs.lookup(chosen)
    except LookupError as exc:
        raise FileFormatError(
            f"unknown encoding {chosen!r}", [FieldError("encoding", "is not known")]
        ) from exc
    text = io.TextIOWrapper(binary, encoding=chosen, errors="strict", newline="")
    return text, chosen


class ColumnConflict(ValueError):
    """Two columns claim the same place (e.g. `guest` and `guest.name`)."""


MAX_INDEX = 100


def _slot(node: Any, part: str, make: Any, key: str) -> Any:
    """Return node[part], creating it with `make()` if absent."""
    if isinstance(node, list):
        if not part.isdigit() or int(part) > MAX_INDEX:
            raise ColumnConflict(f"column {key}: {part!r} is not a list position")
        index = int(part)
        while len(node) <= index:
            node.append(None)
        if node[index] is None:
            node[index] = make()
        return node[index]
    if not isinstance(node, dict):
        raise ColumnConflict(f"column {key} conflicts with another column")
    if part not in node:
        node[part] = make()
    return node[part]


def unflatten(flat: dict[str, str]) -> dict[str, Any]:
    """`guest.name` → {"guest": {"name"}}; `companions.0.name` → a list. Empty cells are
    absent values. A cell holding JSON (a list or object) is parsed."""
    root: dict[str, Any] = {}
    for key, value in flat.items():
        if key is None or value is None or value == "":
            continue
        parts = key.strip().split(".")
        node: Any = root
        for part, nxt in itertools.pairwise(parts):
            node = _slot(node, part, list if nxt.isdigit() else dict, key)
            if not isinstance(node, list | dict):
                raise ColumnConflict(f"column {key} conflicts with another column")
        cell: Any = value
        if value[:1] in "[{":
            try:
                cell = json.loads(value)
            except ValueError:
                cell = value
        leaf = parts[-1]
        existing = _slot(node, leaf, lambda: None, key)
        if existing is not None:
            raise ColumnConflict(f"column {key} conflicts with another column")
        if isinstance(node, list):
            node[int(leaf)] = cell
        else:
            node[leaf] = cell
    return root


def required_columns(sector: str) -> set[str]:
    """Top-level fields with no default: a header must mention each (as `x` or `x.…`)."""
    model = SECTORS[sector]
    return {name for name, info in model.model_fields.items() if info.is_required()}


Row = tuple[int, Any] | RowError
Prepared = list[PreparedRow] | copyrows.EncodedRows
Validated = tuple[Prepared, list[RowError]]


class CsvRows:
    """A CSV file's header (checked at once) and its rows as (number, cells) or a
    `RowError`; a malformed line ends the file (`_Abort`) after its error is yielded."""

    def __init__(
        self,
        text: IO[str],
        sector: str,
        header: list[str] | None = None,
        rows_before: int = 0,
        lines_before: int = 0,
    ) -> None:
        """`header`: read already (the text starts after it); `rows_before` and
        `lines_before`: what the file held before the text, so numbering goes on."""
        self.reader = csv.reader(text, strict=True)
        self.rows_before, self.lines_before = rows_before, lines_before
        if header is not None:
            self.header = header
            return
        try:
            header = next(self.reader)
        except StopIteration:
            header = []
        except csv.Error as exc:
            raise FileFormatError(f"malformed CSV header: {exc}") from exc
        self.header = [h.strip().lstrip("\ufeff") for h in header]
        if not self.header:
            return
        present = {h.split(".")[0] for h in self.header}
        missing = sorted(required_columns(sector) - present)
        if missing:
            raise FileFormatError(
                f"the header lacks required column(s): {', '.join(missing)}",
                [FieldError(m, "column is missing from the header") for m in missing],
            )

    def __iter__(self) -> Iterator[Row]:
        if not self.header:
            return
        yield from numbered_cells(
            self.reader, len(self.header), self.rows_before, self.lines_before
        )


def numbered_cells(
    reader: Any, width: int, rows_before: int = 0, lines_before: int = 0
) -> Iterator[Row]:
    """A CSV reader's records as (number, cells) or a `RowError`; blank lines are skipped.
    A malformed line ends the file (`_Abort`) after its error is yielded. `rows_before` and
    `lines_before`: what the file held before the reader's text."""
    number = rows_before
    try:
        for cells in reader:
            if not any(cells):  # a blank line
                continue
            number += 1
            if len(cells) != width:
                yield RowError(number, "row", f"has {len(cells)} fields, the header has {width}")
                continue
            yield number, cells
    except csv.Error as exc:
        number += 1
        message = f"malformed CSV near line {lines_before + reader.line_num}: {exc}"
        yield RowError(number, "row", message)
        raise _Abort(message) from exc


HeaderPlan = tuple[list[tuple[int, str, str | None]], list[int]]


@lru_cache(maxsize=64)
def _header_plan(header: tuple[str, ...]) -> HeaderPlan:
    """Columns `a` or `a.b` (no list position) take a fast path; the rest go through
    `unflatten`. Returns ([(index, top, sub or None)], [indexes of the other columns])."""
    simple: list[tuple[int, str, str | None]] = []
    other: list[int] = []
    for i, key in enumerate(header):
        parts = key.split(".")
        if len(parts) <= 2 and not any(p.isdigit() or not p for p in parts):
            simple.append((i, parts[0], parts[1] if len(parts) == 2 else None))
        else:
            other.append(i)
    shared = {header[i].split(".")[0] for i in other}  # such tops go the general way too
    other += [i for i, top, _ in simple if top in shared]
    return [c for c in simple if c[1] not in shared], sorted(other)


@lru_cache(maxsize=64)
def protected_columns(header: tuple[str, ...]) -> tuple[str, ...]:
    """The header's columns that name a protected attribute at any level."""
    return tuple(h for h in header if any(is_protected_name(p) for p in h.split(".")))


def _cell(value: str) -> Any:
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def csv_record(
    header: list[str], number: int, cells: list[str], plan: HeaderPlan | None = None
) -> Row:
    """`unflatten` of one CSV row, faster for the usual `a` / `a.b` columns. `plan`: the
    header's `_header_plan`, when the caller has it for many rows."""
    simple, other = plan or _header_plan(tuple(header))
    root: dict[str, Any] = {}
    try:
        for i, top, sub in simple:
            value = cells[i]
            if value == "":
                continue
            if value[0] in "[{":
                value = _cell(value)
            node = root.get(top)
            if sub is None:
                if node is not None:
                    raise ColumnConflict(f"column {header[i]} conflicts with another column")
                root[top] = value
                continue
            if node is None:
                node = root[top] = {}
            elif not isinstance(node, dict) or sub in node:
                raise ColumnConflict(f"column {header[i]} conflicts with another column")
            node[sub] = value
        if other:
            rest = unflatten({header[i]: cells[i] for i in other})
            for key, value in rest.items():
                if key in root:
                    raise ColumnConflict(f"column {key} conflicts with another column")
                root[key] = value
    except ColumnConflict as exc:
        return RowError(number, "row", str(exc))
    return number, root


def jsonl_record(number: int, line: str) -> Row:
    try:
        return number, json.loads(line)
    except ValueError as exc:
        return RowError(number, "row", f"is not valid JSON: {exc.args[0].split(':')[0]}")


def iter_csv(text: IO[str], sector: str) -> Iterator[Row]:
    rows = CsvRows(text, sector)
    for item in rows:
        yield item if isinstance(item, RowError) else csv_record(rows.header, *item)


def _jsonl_lines(text: IO[str], rows_before: int = 0) -> Iterator[tuple[int, str]]:
    number = rows_before
    for line in text:
        if line.strip():
            number += 1
            yield number, line


def iter_jsonl(text: IO[str]) -> Iterator[Row]:
    for item in _jsonl_lines(text):
        yield jsonl_record(*item)


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


_EVERY_ROW = _Everything()


@dataclass
class ChunkPreparer:
    """Turns raw rows (CSV cells or JSONL lines) into stored-ready rows: parsed, validated,
    protected and, for PostgreSQL, encoded for COPY. Runs in the worker processes."""

    validator: RowValidator
    header: list[str] | None  # CSV; None for JSONL lines
    encode: bool

    def split(self, chunk: ByteChunk) -> tuple[list[tuple[int, Any]], list[RowError]]:
        """A checked chunk's records, numbered from 1, and its read errors (a row of the
        wrong width)."""
        rows: list[tuple[int, Any]] = []
        errors: list[RowError] = []
        text = decoded_lines(chunk)
        if self.header is None:
            return list(_jsonl_lines(text)), errors
        reader = csv.reader(text, strict=True)
        for item in numbered_cells(reader, len(self.header)):
            if type(item) is tuple:
                rows.append(item)
            else:
                errors.append(item)  # type: ignore[arg-type]
        return rows, errors

    def prepare_bytes(self, chunk: ByteChunk) -> tuple[Validated, int]:
        """(what `__call__` gives, with the read errors too; how many rows it held)."""
        rows, read_errors = self.split(chunk)
        # no "[" or "{" byte: no cell holds JSON (these codecs all write ASCII as ASCII)
        prepared, errors = self(rows, json_free=b"[" not in chunk.data and b"{" not in chunk.data)
        return (prepared, read_errors + errors), len(rows) + len(read_errors)

    def __call__(self, chunk: list[tuple[int, Any]], json_free: bool = False) -> Validated:
        """`json_free`: the caller knows that no CSV cell of the chunk holds JSON."""
        records: list[tuple[int, Any]] = []
        errors: list[RowError] = []
        screened: set[int] = set()
        header = self.header
        # A CSV row's keys come from the header, or from a cell holding JSON ("[…", "{…"):
        # with a clean header, only such rows need the protected-attribute scan.
        clean_header = header is not None and not protected_columns(tuple(header))
        plan = None if header is None else _header_plan(tuple(header))
        for number, raw in chunk:
            item = (
                jsonl_record(number, raw)
                if header is None
                else csv_record(header, number, raw, plan)
            )
            if isinstance(item, RowError):
                errors.append(item)
                continue
            records.append(item)
            if clean_header and not json_free:
                cells = "".join(raw)
                if "{" not in cells and "[" not in cells:
                    screened.add(number)
        keys_screened: Container[int] = screened
        if clean_header and json_free:
            keys_screened = _EVERY_ROW
        good, bad = self.validator.validate_many(records, keys_screened=keys_screened)
        if self.encode:
            return copyrows.encode(good, self.validator.sector), errors + bad
        return good, errors + bad


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
            result = service.store_rows(
                session,
                self.ctx,
                org,
                self.sector,
                "file",
                prepared,
                rejected=rejected,
                want_ids=False,
                reserved_ids=ids,
            )
        return ChunkOutcome(result.stored, result.duplicates, rejected, bad)


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


class _Abort(Exception):
    pass


def file_format(name: str, declared: str | None = None) -> str:
    fmt = (declared or Path(name).suffix.lstrip(".")).lower()
    if fmt in ("csv", "text/csv"):
        return "csv"
    if fmt in ("jsonl", "ndjson", "application/x-ndjson", "application/jsonl"):
        return "jsonl"
    raise FileFormatError(
        f"unsupported file format {fmt!r}; use CSV or JSONL",
        [FieldError("format", "must be csv or jsonl")],
    )


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
            self._sequence = service.submission_sequence(cur)

    def __call__(self, n: int) -> list[int]:
        with self._driver.cursor() as cur:
            return service.reserve_ids(cur, n, self._sequence)

    def close(self) -> None:
        self._driver.autocommit = False  # back to the pool as it came: transactional
        self._connection.close()


def _read_header(
    binary: IO[bytes], encoding: str, sector: str
) -> tuple[list[str], int, int] | None:
    """A CSV header read straight from the bytes, the offset after it and the lines it
    took; None where the bytes cannot be cut that way (the caller then reads the file as
    text from the start)."""
    data = binary.read(SAMPLE_BYTES)
    binary.seek(0)
    end = 0
    while True:
        line = data.find(b"\n", end)
        if line < 0:
            return None
        end = line + 1
        if record_end(data[:end], quoted=True) == end:
            break
    try:
        text = io.StringIO(data[:end].decode(encoding), newline="")
    except UnicodeDecodeError:
        return None
    header = CsvRows(text, sector).header  # raises FileFormatError on a bad header
    return (header, end, line_count(data[:end])) if header else None


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
    validator = RowValidator(
        sector, org.id, runtime.vault, timezone=runtime.settings.intake_timezone
    )
    text, chosen = open_text(binary, encoding)
    report = LoadReport(encoding=chosen, error_sink=error_sink)
    encode = runtime.engine.dialect.name == "postgresql"
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
        if processes > 1 and splittable(chosen):
            start = len(codecs.BOM_UTF8) if chosen == "utf-8-sig" else 0
            if fmt == "csv":
                head = _read_header(binary, chosen, sector)
                if head is not None:
                    preparer.header, start, lines_before = head
            if fmt != "csv" or preparer.header is not None:
                cutter = cut_bytes(start)
                lines_before += cutter.lines
                text.detach()  # (closing the old wrapper would close the file)
                binary.seek(cutter.offset)
                text = io.TextIOWrapper(
                    binary, encoding=body_codec(chosen), errors="strict", newline=""
                )
        try:
            rows = _jsonl_lines(text, report.rows)
            if fmt == "csv":  # reads the header: a wrong encoding may show already here
                rows = CsvRows(text, sector, preparer.header, report.rows, lines_before)
                preparer.header = rows.header
            for item in rows:
                if type(item) is tuple:
                    pending.append(item)
                else:
                    pending_errors.append(item)  # type: ignore[arg-type]
                if len(pending) + len(pending_errors) >= chunk_rows:
                    flush(more_to_come=True)
        except _Abort as exc:
            report.aborted = str(exc)
        except UnicodeDecodeError as exc:
            drain()
            read = report.rows + len(pending) + len(pending_errors)
            report.aborted = (
                f"the file is not valid {chosen} after row {read} ({exc.reason}); "
                "pass the right --encoding"
            )
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
