"""Pure readers of filed files (no database): a CSV or JSONL file's rows as numbered
records for the validator, or field-level row errors. Decoding (encoding detection, BOM,
CRLF) and the CSV rules come from the one tabular reader, `vigil.core.tabular`; this module
adds intake's own shape of a row (dotted columns such as `guest.name` make nested records)
and the required columns of each sector."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import IO, Any

from vigil.core import tabular
from vigil.core.errors import FieldError
from vigil.core.protected import is_protected_name
from vigil.core.tabular import RowProblem, TabularError
from vigil.core.text import ascii_digits
from vigil.intake.chunks import line_count, record_end
from vigil.intake.sectors import SECTORS
from vigil.intake.validation import RowError

SAMPLE_BYTES = tabular.SAMPLE_BYTES
FileFormatError = TabularError  # the file cannot be read (on): nothing further is loaded
detect_encoding = tabular.detect_encoding
Row = tuple[int, Any] | RowError


class ReadAborted(Exception):
    """Reading stopped at a line that cannot be read on (its `RowError` was yielded)."""

    def __init__(self, error: TabularError) -> None:
        super().__init__(str(error))
        self.error = error


def file_format(name: str, declared: str | None = None) -> str:
    """csv, jsonl or xlsx, from a declared format or media type, else the file's suffix."""
    return tabular.file_format(name, declared)


class ColumnConflict(ValueError):
    """Two columns claim the same place (e.g. `guest` and `guest.name`)."""


MAX_INDEX = 100


def _slot(node: Any, part: str, make: Any, key: str) -> Any:
    """Return node[part], creating it with `make()` if absent."""
    if isinstance(node, list):
        if not ascii_digits(part) or int(part) > MAX_INDEX:
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
            node = _slot(node, part, list if ascii_digits(nxt) else dict, key)
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


def check_header(header: list[str], sector: str, source: str = "") -> None:
    present = {h.split(".")[0] for h in header}
    missing = sorted(required_columns(sector) - present)
    if missing:
        error = TabularError(
            f"the header lacks required column(s): {', '.join(missing)}", source=source, line=1
        )
        error.errors = [FieldError(m, "column is missing from the header") for m in missing]
        raise error


def numbered_cells(
    reader: Any, width: int, rows_before: int = 0, lines_before: int = 0, source: str = ""
) -> Iterator[Row]:
    """The one reader's CSV rows (`tabular.numbered_cells`) as (number, cells) or a
    `RowError`. A line that cannot be read on (malformed quoting, bytes that do not
    decode) yields its `RowError`, then raises `ReadAborted`."""
    number = rows_before
    try:
        for item in tabular.numbered_cells(reader, width, rows_before, lines_before, source=source):
            if type(item) is tuple:
                number = item[0]
                yield item
            else:
                assert isinstance(item, RowProblem)
                number = item.number
                yield RowError(item.number, "row", item.message)
    except TabularError as exc:
        yield RowError(number + 1, "row", str(exc))
        raise ReadAborted(exc) from None


class CsvRows:
    """A CSV file's header (checked at once) and its rows as (number, cells) or a
    `RowError`; a line that cannot be read on ends the file (`ReadAborted`) after its
    error is yielded."""

    def __init__(
        self,
        lines: Iterable[str],
        sector: str,
        header: list[str] | None = None,
        rows_before: int = 0,
        lines_before: int = 0,
        source: str = "",
    ) -> None:
        """`lines`: text lines (an open text file, or `tabular.decoded_lines`); `header`:
        read already (the lines start after it); `rows_before` and `lines_before`: what the
        file held before the lines, so numbering goes on."""
        self.reader = tabular.csv_reader(lines)
        self.rows_before, self.lines_before, self.source = rows_before, lines_before, source
        if header is not None:
            self.header = header
            return
        self.header = tabular.read_csv_header(self.reader, source=source)
        if self.header:
            check_header(self.header, sector, source)

    def __iter__(self) -> Iterator[Row]:
        if not self.header:
            return
        yield from numbered_cells(
            self.reader, len(self.header), self.rows_before, self.lines_before, self.source
        )


HeaderPlan = tuple[list[tuple[int, str, str | None]], list[int]]


@lru_cache(maxsize=64)
def header_plan(header: tuple[str, ...]) -> HeaderPlan:
    """Columns `a` or `a.b` (no list position) take a fast path; the rest go through
    `unflatten`. Returns ([(index, top, sub or None)], [indexes of the other columns])."""
    simple: list[tuple[int, str, str | None]] = []
    other: list[int] = []
    for i, key in enumerate(header):
        parts = key.split(".")
        if len(parts) <= 2 and not any(ascii_digits(p) or not p for p in parts):
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
    header's `header_plan`, when the caller has it for many rows."""
    simple, other = plan or header_plan(tuple(header))
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


def iter_csv(lines: Iterable[str], sector: str, source: str = "") -> Iterator[Row]:
    rows = CsvRows(lines, sector, source=source)
    for item in rows:
        yield item if isinstance(item, RowError) else csv_record(rows.header, *item)


def jsonl_lines(lines: Iterable[str], rows_before: int = 0) -> Iterator[tuple[int, str]]:
    number = rows_before
    for line in lines:
        if line.strip():
            number += 1
            yield number, line


def iter_jsonl(lines: Iterable[str]) -> Iterator[Row]:
    for item in jsonl_lines(lines):
        yield jsonl_record(*item)


def xlsx_rows(binary: IO[bytes], sector: str, source: str = "") -> tuple[list[str], Iterator[Row]]:
    """A workbook's first sheet, read by the one reader, as CSV-shaped rows: its header
    (checked) and (number, cells) or a `RowError`."""
    table = tabular.read_table(binary, "xlsx", source=source)
    header = table.header
    if header:
        check_header(header, sector, source)

    def rows() -> Iterator[Row]:
        for item in table:
            if isinstance(item, RowProblem):
                yield RowError(item.number, "row", item.message)
            else:
                yield item.number, [item.values.get(h, "") for h in header]

    return header, rows()


def read_header(binary: IO[bytes], encoding: str, sector: str) -> tuple[list[str], int, int] | None:
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
    header = CsvRows(text, sector).header  # raises TabularError on a bad header
    return (header, end, line_count(data[:end])) if header else None
