"""Cutting a file into byte chunks gives the same rows, row numbers and errors as reading it
row by row, whatever the quoting, line breaks, blank lines, bad bytes or malformed lines."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.core import tabular
from vigil.intake import chunks, prepare, readers
from vigil.intake.validation import RowError, RowValidator

HEADER = ["a", "b", "c"]


def row_by_row(
    data: bytes, encoding: str, offset: int, rows_before: int, lines_before: int = 0
) -> list[object]:
    """What the sequential path reads from `offset` on: items, then how it stopped."""
    lines = tabular.decoded_lines(
        io.BytesIO(data[offset:]), chunks.body_codec(encoding), first_line=lines_before + 1
    )
    out: list[object] = []
    try:
        for item in readers.numbered_cells(tabular.csv_reader(lines), 3, rows_before, lines_before):
            out.append(item)
    except readers.ReadAborted as exc:
        out.pop()  # the stopping line's own error
        out.append("bad bytes" if exc.error.kind == "encoding" else "abort")
    return out


def by_chunks(
    data: bytes, encoding: str, rows: int, cuts: list[int] | None = None, sized: bool = False
) -> list[object]:
    preparer = prepare.ChunkPreparer(RowValidator("hotel", 1, None), HEADER, encode=False)  # type: ignore[arg-type]
    cutter = chunks.ChunkCutter(
        io.BytesIO(data),
        encoding,
        True,
        0,
        rows,
        block=8,
        min_block=8,
        size=len(data) if sized else None,
    )
    out: list[object] = []
    done = 0
    for chunk in cutter:
        assert chunk.line_breaks >= chunk.data.count(b"\n")
        cells, errors = preparer.split(chunk)
        items: list[object] = [*cells, *errors]
        items.sort(key=lambda i: i.row if isinstance(i, RowError) else i[0])  # type: ignore[union-attr,index]
        for item in items:
            if isinstance(item, RowError):
                out.append(RowError(item.row + done, item.field, item.message))
            else:
                out.append((item[0] + done, item[1]))  # type: ignore[index]
        done += len(cells) + len(errors)
        if cuts is not None:
            cuts.append(len(chunk.data))
        assert len(cells) + len(errors) <= chunk.line_breaks
    return out + row_by_row(data, encoding, cutter.offset, done, cutter.lines)


_TEXT = st.text(alphabet=st.sampled_from(list('ab,"\n\r张 ')), max_size=300)


@settings(max_examples=400, deadline=None)
@given(body=_TEXT, rows=st.integers(1, 6), sized=st.booleans())
def test_chunks_read_like_rows(body: str, rows: int, sized: bool) -> None:
    data = body.encode("utf-8")
    assert by_chunks(data, "utf-8", rows, sized=sized) == row_by_row(data, "utf-8", 0, 0)


@settings(max_examples=200, deadline=None)
@given(body=_TEXT, rows=st.integers(1, 6), cut=st.integers(0, 300))
def test_a_bad_byte_stops_the_load_and_nothing_after_it_is_read(
    body: str, rows: int, cut: int
) -> None:
    """Only rows wholly before a bad byte are read, then the load stops."""
    data = body.encode("gb18030")
    cut = min(cut, len(data))
    fast = by_chunks(data[:cut] + b"\xff" + data[cut:], "gb18030", rows)
    clean = [i for i in row_by_row(data[:cut], "gb18030", 0, 0) if not isinstance(i, str)]
    assert fast[-1] in ("bad bytes", "abort")
    assert fast[:-1] == clean[: len(fast) - 1]


def test_stray_quote_before_a_quoted_line_break_is_not_cut_inside_the_field() -> None:
    # parity says "outside quotes" at the line break inside "x\ny"; the check parse refuses
    data = b'1,a"b,c\n2,"x\ny",z\n3,d,e\n' * 40
    cuts: list[int] = []
    read = by_chunks(data, "utf-8", 2, cuts)
    assert read == row_by_row(data, "utf-8", 0, 0)
    assert len([i for i in read if isinstance(i, tuple)]) == 120
    assert cuts == []  # the first cut, inside "x\ny", failed its check: read row by row


def test_a_clean_file_is_cut_into_chunks_of_about_the_asked_rows() -> None:
    data = b"".join(b'%d,"x, y",z\n' % i for i in range(1000))
    cuts: list[int] = []
    read = by_chunks(data, "utf-8", 50, cuts)
    assert read == row_by_row(data, "utf-8", 0, 0) and len(read) == 1000
    assert sum(cuts) == len(data) and 10 <= len(cuts) <= 40


def test_record_end_skips_line_breaks_inside_quotes() -> None:
    assert chunks.record_end(b'a,"x\ny"\nb,c\n', quoted=True) == 12
    assert chunks.record_end(b'a,"x\ny"\nb,"c\n', quoted=True) == 8
    assert chunks.record_end(b'a,"x\ny', quoted=True) == -1
    assert chunks.record_end(b"a,b", quoted=False) == -1


def test_ids_are_reserved_by_records_not_bytes_of_line_ends() -> None:
    """A chunk reserves one submission id per line (CRLF is one line, as a CSV writer ends
    them), plus one: not two per CRLF row."""
    data = b"".join(b'%d,"x, y",z\r\n' % i for i in range(1000))
    cutter = chunks.ChunkCutter(io.BytesIO(data), "utf-8", True, 0, 100, block=64, min_block=64)
    pieces = list(cutter)
    assert len(pieces) > 5 and b"".join(p.data for p in pieces) == data
    assert sum(p.line_breaks for p in pieces) == 1000 + len(pieces)
    assert cutter.lines == 1000


def test_with_the_size_known_the_last_chunks_come_smaller() -> None:
    data = b"".join(b"%d,x,y\n" % i for i in range(20_000))
    cutter = chunks.ChunkCutter(io.BytesIO(data), "utf-8", True, 0, 2_000, size=len(data))
    sizes = [len(p.data) for p in cutter]
    assert sum(sizes) == len(data)
    assert sizes[-1] < sizes[0] // 3 and sizes[-2] < sizes[0]


def test_an_unbalanced_quote_does_not_make_the_cutter_read_the_whole_file() -> None:
    head = b"1,a,b\n2,c,d\n"
    data = head + b'3,"unbalanced,x\n' + b"4,e,f\n" * 20_000
    stream = io.BytesIO(data)
    cutter = chunks.ChunkCutter(stream, "utf-8", True, 0, 2, block=12, min_block=12)
    assert [p.data for p in cutter] == [head]
    assert cutter.failed and cutter.offset == len(head)
    assert stream.tell() < 12 * 200  # gave up after a bounded read-ahead, not at the end


def _strict_parse(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except (UnicodeDecodeError, csv.Error):
        return False
    return True


@settings(max_examples=500, deadline=None)
@given(body=st.text(alphabet=st.sampled_from(list("ab,\n\r\t\x00\x0c '张\\")), max_size=200))
def test_a_chunk_without_quotes_checks_out_exactly_when_it_parses(body: str) -> None:
    data = body.encode("utf-8")
    assert chunks.checks_out(data, "utf-8", True) == _strict_parse(data)


def test_a_quote_free_field_over_the_size_limit_still_fails_the_check() -> None:
    limit = csv.field_size_limit()
    oversized = ("a," + "x" * (limit + 1) + "\n").encode()
    assert not _strict_parse(oversized)
    assert not chunks.checks_out(oversized, "utf-8", True)
    with_form_feeds = ("a," + "x\x0c" * (limit // 2 + 1) + "\n").encode()  # not line ends
    assert not _strict_parse(with_form_feeds)
    assert not chunks.checks_out(with_form_feeds, "utf-8", True)
    field = "y" * (limit // 4)
    for fields in (3, 5):  # lines shorter and longer than the limit; no field is
        long_lines = (",".join([field] * fields) + "\n").encode() * 2
        assert len(long_lines) > limit and chunks.checks_out(long_lines, "utf-8", True)
    assert chunks.checks_out(b"a,b\n\xff\n", "utf-8", True) is False  # a bad byte
