"""Preparing filed rows for storage, in whichever process has them (pure, no database):
parse each CSV row or JSONL line into a record, validate and protect it with the same
`RowValidator` that every channel uses, and, for PostgreSQL, encode it for COPY."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from vigil.core import tabular
from vigil.intake import copyrows
from vigil.intake.chunks import ByteChunk, decoded_lines
from vigil.intake.readers import (
    csv_record,
    header_plan,
    jsonl_lines,
    jsonl_record,
    numbered_cells,
    protected_columns,
)
from vigil.intake.validation import PreparedRow, RowError, RowValidator

Prepared = list[PreparedRow] | copyrows.EncodedRows
Validated = tuple[Prepared, list[RowError]]


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
            return list(jsonl_lines(text)), errors
        reader = tabular.csv_reader(text)
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
        plan = None if header is None else header_plan(tuple(header))
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
