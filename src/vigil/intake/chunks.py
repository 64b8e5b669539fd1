"""Splitting a CSV or JSONL file into chunks of whole records without decoding it row by row.

The loading process of a file load only cuts the bytes at record boundaries and checks each
chunk in C (it decodes, and a CSV chunk parses, in strict mode); the worker processes split,
number and validate the records. A chunk that fails the check is not cut this way: the
caller reads the rest of the file record by record, as before, so a malformed line ends the
load at the same row either way, and a bad byte stops it with only whole rows before it read.

A CSV record ends at a line break outside quotes. In strict mode a quoted field holds an even
number of quote characters, so a line break after an even number of them is a boundary,
unless an unquoted field holds a stray quote; the check parse catches that case (the chunk
would end inside a quoted field, which strict mode refuses)."""

from __future__ import annotations

import codecs
import csv
import io
from collections import deque
from dataclasses import dataclass
from typing import IO

# Codecs in which the bytes of '\n', '\r' and '"' never occur inside a multibyte character.
SPLITTABLE = frozenset(
    {"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "big5", "ascii", "iso8859-1", "cp1252"}
)
_BOUNDARY_TRIES = 64
_MAX_WIDEN = 64  # blocks read in search of one record's end before reading row by row


def splittable(encoding: str) -> bool:
    return codecs.lookup(encoding).name in SPLITTABLE


def body_codec(encoding: str) -> str:
    """The codec for the bytes after the start of the file (a BOM is only at the start)."""
    return "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding


@dataclass(frozen=True)
class ByteChunk:
    """Whole records, still encoded. `line_breaks` (LF, CR or CRLF, and one more for a last
    line without one) bounds the records it holds: ids are reserved by it. The worker
    numbers rows from 1 and the loader adds the rows before."""

    data: bytes
    encoding: str
    line_breaks: int


def record_end(data: bytes, quoted: bool) -> int:
    """The offset just past the last line break in `data` that can end a record (for CSV,
    one after an even number of quote characters), or -1."""
    end = data.rfind(b"\n")
    if not quoted or b'"' not in data:
        return -1 if end < 0 else end + 1
    for _ in range(_BOUNDARY_TRIES):
        if end < 0:
            return -1
        if data.count(b'"', 0, end) % 2 == 0:
            return end + 1
        end = data.rfind(b"\n", 0, end)
    return -1


def line_count(data: bytes) -> int:
    """Line breaks (LF, CR or CRLF), as a CSV reader's `line_num` counts them."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def checks_out(data: bytes, encoding: str, csv_records: bool) -> bool:
    """Decodes, and (CSV) parses in strict mode to the end of a record: what the worker
    will do with it cannot stop on a malformed line or a bad byte. Without a quote
    character, the only way strict mode can fail is a field over the size limit, so a chunk
    with none and no line that long is not parsed here (the worker parses it anyway)."""
    try:
        text = data.decode(encoding)
        if csv_records and (b'"' in data or _may_hold_an_oversized_field(text)):
            deque(csv.reader(io.StringIO(text, newline=""), strict=True), maxlen=0)
    except (UnicodeDecodeError, csv.Error):
        return False
    return True


def _may_hold_an_oversized_field(text: str) -> bool:
    """Only CR and LF end an unquoted field (`splitlines` would also cut at form feeds and
    the like, which a field may hold)."""
    limit = csv.field_size_limit()
    return len(text) > limit and max(map(len, text.replace("\r", "\n").split("\n"))) > limit


def decoded_lines(chunk: ByteChunk) -> IO[str]:
    """The chunk as text whose lines end as a file opened with newline="" would end them."""
    return io.StringIO(chunk.data.decode(chunk.encoding), newline="")


class ChunkCutter:
    """Reads a binary stream from `offset` block by block and cuts it into `ByteChunk`s of
    about `rows` records each (the block size follows the line lengths seen so far). It stops
    at the end of the file, or with `failed` set at a chunk that fails `checks_out` (or a
    record with no end in sight); `offset` is then the first byte it did not hand out."""

    def __init__(
        self,
        binary: IO[bytes],
        encoding: str,
        csv_records: bool,
        offset: int,
        rows: int,
        *,
        block: int | None = None,
        min_block: int = 4096,
        size: int | None = None,
    ) -> None:
        self.binary = binary
        self.encoding = body_codec(encoding)
        self.csv_records = csv_records
        self.offset = offset
        self.rows = max(1, rows)
        self.min_block = min_block
        self.block = block or max(min_block, 32 * self.rows)  # then it follows the lines
        self.size = size  # of the whole file, when known: the last chunks come smaller
        self.failed = False
        self.lines = 0  # in the chunks handed out, as a CSV reader counts them
        self._buffer = b""
        self._eof = False
        self._widen = 1  # how many blocks to read while no record end is in sight
        binary.seek(offset)

    def __iter__(self) -> ChunkCutter:
        return self

    def __next__(self) -> ByteChunk:
        while not self.failed:
            data = self._buffer
            want = self.block * self._widen
            if not self._eof and len(data) < want:
                more = self.binary.read(want - len(data))
                self._eof = not more
                self._buffer = data + more
                continue
            if not data:
                break
            end = -1
            left = -1 if self.size is None else self.size - self.offset
            if 0 < left < 2 * self.block and len(data) > 2 * self.min_block:
                # near the end, halve the chunks so that the workers finish together
                limit = max(self.min_block, left // 2, self.block // 8)
                end = record_end(data[:limit], self.csv_records)
            if end < 0:
                end = len(data) if self._eof else record_end(data, self.csv_records)
            if end < 0:
                self._widen *= 2  # read on for the record's end, but not forever
                self.failed = self._widen > _MAX_WIDEN
                continue
            piece = data[:end]
            if not checks_out(piece, self.encoding, self.csv_records):
                self.failed = True
                break
            lines = line_count(piece)
            if not self._eof:  # aim the next block at `rows` records
                self.block = max(self.min_block, len(piece) * self.rows // max(1, lines))
            self._widen = 1
            self._buffer = data[end:]
            self.offset += end
            self.lines += lines
            return ByteChunk(piece, self.encoding, lines + 1)
        raise StopIteration
