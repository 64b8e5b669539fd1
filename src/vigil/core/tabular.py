"""The one tabular reader: CSV, JSONL and XLSX files as numbered rows of named cells.

Pure (no database). It detects the text encoding (UTF-8 with or without BOM, GB18030 as the
superset of GB2312/GBK, else charset-normalizer's guess), reads CRLF and LF alike, and turns
undecodable or malformed input into a `TabularError` that names the file, line and column,
never a traceback. Row-level problems (a row of the wrong width, a JSONL line that is not an
object) come out as `RowProblem`s in the row stream, so the rows around them still load."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes

from vigil.core.errors import BadRequest, FieldError

SAMPLE_BYTES = 256 * 1024
FORMATS = ("csv", "jsonl", "xlsx")
csv.field_size_limit(1 << 20)

# Detected Chinese legacy encodings are read as their superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "ascii": "utf-8"}


class TabularError(BadRequest):
    """The file cannot be read on from here: where (file, line, column) and why."""

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        line: int | None = None,
        column: int | None = None,
        field: str = "file",
        kind: str = "format",
    ) -> None:
        self.source, self.line, self.column, self.message = source, line, column, message
        self.kind = kind  # "encoding" (bytes that do not decode), "syntax" or "format"
        parts = [source or "the file"]
        if line is not None:
            parts.append(f"line {line}")
        if column is not None:
            parts.append(f"column {column}")
        super().__init__(f"{', '.join(parts)}: {message}", [FieldError(field, message)])

    def __str__(self) -> str:
        return self.detail


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A data row that could not be read; the rows after it still are."""

    number: int  # data row, from 1 after the header
    line: int  # the file's line where it starts
    column: int | None
    message: str


@dataclass(frozen=True, slots=True)
class TableRow:
    number: int  # data row, from 1 after the header
    line: int
    values: dict[str, Any]


# ---------------------------------------------------------------- encodings


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3  # only a character cut at the end of the sample


def _mostly_gb2312(sample: bytes) -> bool:
    """Whether most of the sample's Chinese falls in GB2312, as simplified-Chinese text
    does. Latin-1 text also decodes as GB18030 ("é" and the next letter make one rare
    character), but into characters outside it."""
    text = sample.decode("gb18030", errors="ignore")
    wide = "".join(ch for ch in text if ch > "\x7f")
    if not wide:
        return True
    outside = wide.encode("gb2312", errors="replace").count(b"?") - wide.count("?")
    return outside * 2 <= len(wide)


def _mostly(sample: bytes, encoding: str) -> bool:
    """Whether the sample's non-ASCII text decodes but for at most one character in 10
    (GBK read as UTF-8 fails about four times in five): the file is then read in this
    encoding, and its bad bytes are named where they are."""
    text = sample.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good > 0 and bad * 10 <= good


def detect_encoding(sample: bytes, *, source: str = "") -> str:
    """UTF-8 (with or without BOM) if it decodes; then GB18030 (the superset of GB2312 and
    GBK, common in filings here) if it decodes; then either of them if all but a few of its
    characters decode; then charset-normalizer's best guess."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if _decodes(sample, "utf-8"):
        return "utf-8"
    if _decodes(sample, "gb18030") and _mostly_gb2312(sample):
        return "gb18030"
    if _mostly(sample, "utf-8"):  # a few bad bytes in a file that is plainly UTF-8
        return "utf-8"
    if _mostly(sample, "gb18030") and _mostly_gb2312(sample):  # or plainly GB18030
        return "gb18030"
    best = from_bytes(sample).best()
    if best is None:
        raise TabularError(
            "cannot detect the file's encoding; name it (e.g. gb18030)",
            source=source,
            field="encoding",
            kind="encoding",
        )
    name = best.encoding.lower().replace("-", "_")
    return _SUPERSETS.get(name, name)


def checked_encoding(encoding: str, *, source: str = "") -> str:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise TabularError(
            f"unknown encoding {encoding!r}", source=source, field="encoding", kind="encoding"
        ) from exc
    return encoding


def choose_encoding(binary: IO[bytes], encoding: str | None, *, source: str = "") -> str:
    """The named encoding (checked) or the detected one; the stream is left where it was."""
    if encoding:
        return checked_encoding(encoding, source=source)
    start = binary.tell()
    sample = binary.read(SAMPLE_BYTES)
    binary.seek(start)
    return detect_encoding(sample, source=source)


def decoded_lines(
    lines: Iterable[bytes], encoding: str, *, source: str = "", first_line: int = 1
) -> Iterator[str]:
    """Byte lines (as a binary file iterates: cut after each b"\\n") as text lines, their
    line ends kept: LF, CRLF, or a bare CR, as `open(newline="")` reads them. The decoder
    is incremental, so an encoding whose characters hold the byte 0x0A (UTF-16) still reads
    right. A byte that does not decode raises a `TabularError` at its line and column. A
    UTF-8 BOM is dropped only by `utf-8-sig`."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    number = first_line - 1
    carry = ""
    for raw in lines:
        number += 1
        try:
            text = decoder.decode(raw)
        except UnicodeDecodeError as exc:
            column = len(raw[: exc.start].decode(encoding, errors="replace")) + 1
            raise TabularError(
                f"is not valid {encoding} text ({exc.reason})",
                source=source,
                line=number,
                column=column,
                kind="encoding",
            ) from None
        if carry:
            text, carry = carry + text, ""
        end = len(text) - 1
        if end < 0:
            continue
        if text[end] != "\n":  # a line cut inside a character (UTF-16), or the last line
            carry = text
            continue
        if text.find("\n", 0, end) < 0 and text.find("\r", 0, end - 1) < 0:
            yield text  # the usual line: one LF or CRLF, at its end
        else:  # bare CRs, or several lines at once
            yield from io.StringIO(text, newline="")
    try:
        tail = carry + decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise TabularError(
            f"ends inside a {encoding} character ({exc.reason})",
            source=source,
            line=max(number, 1),
            kind="encoding",
        ) from None
    if tail:
        yield from io.StringIO(tail, newline="")


# ---------------------------------------------------------------- CSV rules


def clean_header(cells: list[str]) -> list[str]:
    return [c.strip().lstrip("\ufeff") for c in cells]


def csv_reader(lines: Iterable[str]) -> Any:
    """The one set of CSV rules: strict quoting; CRLF and LF alike."""
    return csv.reader(lines, strict=True)


def read_csv_header(reader: Any, *, source: str = "") -> list[str]:
    """The header row, cleaned (spaces, a stray BOM); [] for an empty file."""
    try:
        return clean_header(next(reader))
    except StopIteration:
        return []
    except csv.Error as exc:
        raise TabularError(
            f"malformed CSV header: {exc}", source=source, line=1, kind="syntax"
        ) from None


def numbered_cells(
    reader: Any, width: int, rows_before: int = 0, lines_before: int = 0, *, source: str = ""
) -> Iterator[tuple[int, list[str]] | RowProblem]:
    """A CSV reader's records as (number, cells), or a `RowProblem` for a row of the wrong
    width; blank lines are skipped. Malformed quoting raises a `TabularError` (the reader
    cannot resync). `rows_before` and `lines_before`: what came before the reader's text."""
    number = rows_before
    try:
        for cells in reader:
            if not any(cells):  # a blank line
                continue
            number += 1
            if len(cells) != width:
                yield RowProblem(
                    number,
                    lines_before + reader.line_num,
                    None,
                    f"has {len(cells)} fields, the header has {width}",
                )
                continue
            yield number, cells
    except csv.Error as exc:
        raise TabularError(
            f"malformed CSV: {exc}",
            source=source,
            line=lines_before + reader.line_num,
            kind="syntax",
        ) from None


# ---------------------------------------------------------------- whole tables


def file_format(name: str, declared: str | None = None, *, default: str | None = None) -> str:
    """csv, jsonl or xlsx, from a declared format or media type, else the file's suffix
    (`default`, if given, for a suffix that names none)."""
    fmt = (declared or Path(name).suffix.lstrip(".")).lower()
    if fmt in ("csv", "text/csv", "tsv"):
        return "csv"
    if fmt in ("jsonl", "ndjson", "application/x-ndjson", "application/jsonl"):
        return "jsonl"
    if fmt in ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
        return "xlsx"
    if default is not None and not declared:
        return default
    raise TabularError(
        f"unsupported file format {fmt!r}; use CSV, JSONL or XLSX", source=name, field="format"
    )


def _csv_rows(lines: Iterable[str], source: str) -> tuple[list[str], Iterator[Any]]:
    reader = csv_reader(lines)
    header = read_csv_header(reader, source=source)

    def rows() -> Iterator[TableRow | RowProblem]:
        if not header:
            return
        for item in numbered_cells(reader, len(header), source=source):
            if isinstance(item, RowProblem):
                yield item
                continue
            number, cells = item
            yield TableRow(number, reader.line_num, dict(zip(header, cells, strict=True)))

    return header, rows()


def _jsonl_rows(lines: Iterable[str], source: str) -> Iterator[TableRow | RowProblem]:
    number = 0
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        number += 1
        try:
            value = json.loads(line)
        except ValueError as exc:
            column = getattr(exc, "colno", None)
            reason = exc.args[0].split(":")[0] if exc.args else "invalid JSON"
            yield RowProblem(number, line_no, column, f"is not valid JSON: {reason}")
            continue
        if not isinstance(value, dict):
            yield RowProblem(number, line_no, 1, "is not a JSON object")
            continue
        yield TableRow(number, line_no, value)


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat() if value.time() != time() else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_table(binary: IO[bytes], source: str) -> tuple[list[str], Iterator[Any]]:
    from openpyxl import load_workbook  # only when a workbook is read
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(binary, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TabularError(f"not a readable XLSX workbook ({exc})", source=source) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        first = next(rows, None)
    except Exception as exc:  # no sheet, or a damaged one
        book.close()
        raise TabularError(f"unreadable sheet ({exc})", source=source, line=1) from None
    header = clean_header([_xlsx_cell(v) for v in first or ()])
    while header and not header[-1]:
        header.pop()

    def table() -> Iterator[TableRow | RowProblem]:
        number, line = 0, 1
        try:
            for line, values in enumerate(rows, start=2):
                cells = [_xlsx_cell(v) for v in values]
                if not any(cells):
                    continue
                number += 1
                extra = [i for i, c in enumerate(cells[len(header) :], len(header)) if c]
                if extra:
                    column = get_column_letter(extra[0] + 1)
                    yield RowProblem(number, line, extra[0] + 1, f"cell {column} has no header")
                    continue
                cells += [""] * (len(header) - len(cells))
                yield TableRow(number, line, dict(zip(header, cells, strict=False)))
        except Exception as exc:  # a damaged sheet inside a readable workbook
            raise TabularError(f"unreadable sheet ({exc})", source=source, line=line + 1) from None
        finally:
            book.close()

    return header, table()


@dataclass
class Table:
    """A file's header (CSV/XLSX; [] for JSONL) and its rows, read lazily."""

    source: str
    format: str
    encoding: str
    header: list[str]
    rows: Iterator[TableRow | RowProblem]

    def __iter__(self) -> Iterator[TableRow | RowProblem]:
        return self.rows


def read_table(
    binary: IO[bytes],
    fmt: str = "csv",
    *,
    encoding: str | None = None,
    source: str = "",
) -> Table:
    """Read a CSV, JSONL or XLSX byte stream. The header is read (and checked) at once,
    the rows as they are iterated; a `TabularError` stops the reading where it happens."""
    if fmt == "xlsx":
        header, rows = _xlsx_table(binary, source)
        return Table(source, fmt, "", header, rows)
    chosen = choose_encoding(binary, encoding, source=source)
    lines = decoded_lines(binary, chosen, source=source)
    if fmt == "jsonl":
        return Table(source, fmt, chosen, [], _jsonl_rows(lines, source))
    if fmt != "csv":
        raise TabularError(f"unsupported format {fmt!r}", source=source, field="format")
    header, csv_rows = _csv_rows(lines, source)
    return Table(source, fmt, chosen, header, csv_rows)


def read_text_table(lines: Iterable[str], fmt: str = "csv", *, source: str = "") -> Table:
    """The same rules over text already decoded (an open text file, a string's lines)."""
    if fmt == "jsonl":
        return Table(source, fmt, "", [], _jsonl_rows(lines, source))
    header, rows = _csv_rows(lines, source)
    return Table(source, fmt, "", header, rows)


def _closing(rows: Iterator[TableRow | RowProblem], handle: IO[bytes]) -> Iterator[Any]:
    try:
        yield from rows
    finally:
        handle.close()


def read_path(path: Path, *, encoding: str | None = None, fmt: str | None = None) -> Table:
    """Read a file by path (format from its suffix unless given, CSV for any other suffix);
    the file stays open
    until its rows are read to the end, in constant memory."""
    chosen_fmt = fmt or file_format(path.name, default="csv")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise TabularError(f"cannot read the file ({exc.strerror})", source=str(path)) from None
    try:
        table = read_table(handle, chosen_fmt, encoding=encoding, source=str(path))
    except BaseException:
        handle.close()
        raise
    table.rows = _closing(table.rows, handle)
    return table
