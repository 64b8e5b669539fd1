"""The one tabular reader: encodings (GBK/GB18030, BOM, UTF-16), CRLF, XLSX, and a clear
error with file, line and column for input it cannot read; fuzzed with any bytes."""

from __future__ import annotations

import codecs
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.core import tabular
from vigil.core.tabular import RowProblem, TableRow, TabularError

ROWS = [["1", "张三", "北京市东城区"], ["2", "李四", 'a "quoted", cell'], ["3", "O'Brien", ""]]


def csv_bytes(encoding: str, newline: str, bom: bytes = b"") -> bytes:
    lines = ["id,name,address"]
    for row in ROWS:
        lines.append(
            ",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if "," in c else c for c in row)
        )
    return bom + newline.join([*lines, ""]).encode(encoding)


def values(table: tabular.Table) -> list[list[str]]:
    out = []
    for item in table:
        assert isinstance(item, TableRow), item
        out.append(list(item.values.values()))
    return out


@pytest.mark.parametrize(
    ("encoding", "newline", "bom", "detected"),
    [
        ("utf-8", "\n", b"", "utf-8"),
        ("utf-8", "\r\n", codecs.BOM_UTF8, "utf-8-sig"),
        ("gbk", "\r\n", b"", "gb18030"),
        ("gb18030", "\n", b"", "gb18030"),
        ("utf-8", "\r", b"", "utf-8"),  # bare CR, as old Mac files end lines
    ],
)
def test_encodings_and_line_ends_read_alike(
    encoding: str, newline: str, bom: bytes, detected: str
) -> None:
    table = tabular.read_table(io.BytesIO(csv_bytes(encoding, newline, bom)), source="f.csv")
    assert table.encoding == detected
    assert table.header == ["id", "name", "address"]
    assert values(table) == ROWS


def test_utf16_named_by_the_caller_reads_right() -> None:
    data = csv_bytes("utf-16", "\r\n")
    assert values(tabular.read_table(io.BytesIO(data), encoding="utf-16")) == ROWS


def test_rows_numbered_and_line_numbers_follow_quoted_line_breaks() -> None:
    data = b'id,note\n1,"two\nlines"\n\n2,x\n3\n'
    items = list(tabular.read_table(io.BytesIO(data)))
    assert items[0] == TableRow(1, 3, {"id": "1", "note": "two\nlines"})
    assert items[1] == TableRow(2, 5, {"id": "2", "note": "x"})  # a blank line is no row
    assert items[2] == RowProblem(3, 6, None, "has 1 fields, the header has 2")


def test_bad_bytes_name_the_file_line_and_column() -> None:
    data = "id,name\n1,张三\n2,李\udcff四\n".encode("utf-8", "surrogateescape")
    data = data + "3,王五\n".encode() * 40
    table = tabular.read_table(io.BytesIO(data), source="people.csv")
    assert table.encoding == "utf-8"  # all but one character decodes: it is UTF-8
    read: list[object] = []
    with pytest.raises(TabularError) as caught:
        read.extend(table)
    assert len(read) == 1
    error = caught.value
    assert (error.source, error.line, error.column, error.kind) == ("people.csv", 3, 4, "encoding")
    assert str(error).startswith("people.csv, line 3, column 4: is not valid utf-8")
    assert error.errors[0].loc == "file"


def test_malformed_quoting_names_the_line() -> None:
    data = b'id,name\n1,a\n2,"b"c\n3,d\n'
    table = tabular.read_table(io.BytesIO(data), source="q.csv")
    with pytest.raises(TabularError, match=r"q.csv, line 3: malformed CSV"):
        list(table)


def test_jsonl_rows_and_problems() -> None:
    data = b'{"a": 1}\r\n\r\n[1]\n{"b": \n'
    items = list(tabular.read_table(io.BytesIO(data), "jsonl"))
    assert items[0] == TableRow(1, 1, {"a": 1})
    assert items[1] == RowProblem(2, 3, 1, "is not a JSON object")
    assert isinstance(items[2], RowProblem) and items[2].line == 4


def test_xlsx_reads_cells_as_text() -> None:
    from datetime import date, datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "born", "seen"])
    sheet.append([1, "张三", date(1990, 1, 2), datetime(2024, 3, 4, 8, 15)])
    sheet.append([None, None, None, None])
    sheet.append([2.0, "李四", None, None, "stray"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    table = tabular.read_table(buffer, "xlsx", source="w.xlsx")
    assert table.header == ["id", "name", "born", "seen"]
    items = list(table)
    assert items[0] == TableRow(
        1, 2, {"id": "1", "name": "张三", "born": "1990-01-02", "seen": "2024-03-04T08:15:00"}
    )
    assert items[1] == RowProblem(2, 4, 5, "cell E has no header")


def test_not_a_workbook_is_a_clear_error() -> None:
    with pytest.raises(TabularError, match=r"w\.xlsx: not a readable XLSX workbook"):
        tabular.read_table(io.BytesIO(b"PK\x03\x04 nope"), "xlsx", source="w.xlsx")


def test_unknown_encoding_and_format() -> None:
    with pytest.raises(TabularError, match="unknown encoding"):
        tabular.read_table(io.BytesIO(b"a\n"), encoding="no-such-codec")
    with pytest.raises(TabularError, match="unsupported file format"):
        tabular.file_format("x.pdf")
    assert tabular.file_format("x.txt", default="csv") == "csv"


def _read_all(data: bytes, fmt: str, encoding: str | None = None) -> list[object]:
    try:
        return list(tabular.read_table(io.BytesIO(data), fmt, encoding=encoding, source="f"))
    except TabularError as error:
        assert error.source == "f" and str(error).startswith("f")
        return ["error"]


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), fmt=st.sampled_from(["csv", "jsonl", "xlsx"]))
def test_any_bytes_give_rows_or_a_clear_error(data: bytes, fmt: str) -> None:
    for item in _read_all(data, fmt):
        assert isinstance(item, TableRow | RowProblem) or item == "error"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list('ab,"\n\r张{}[]: ')), max_size=200),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    fmt=st.sampled_from(["csv", "jsonl"]),
    cut=st.integers(0, 400),
)
def test_any_text_in_any_encoding_cut_anywhere_never_crashes(
    text: str, encoding: str, fmt: str, cut: int
) -> None:
    data = text.encode(encoding)
    for named in (encoding, None):
        _read_all(data[:cut], fmt, named)
        _read_all(data, fmt, named)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(st.text(max_size=6), min_size=2, max_size=2), max_size=8))
def test_written_csv_reads_back_in_gb18030(rows: list[list[str]]) -> None:
    import csv

    rows = [r for r in rows if any(r)]  # a row of empty cells is a blank line
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["a", "b"])
    writer.writerows(rows)
    data = buffer.getvalue().encode("gb18030")
    items = list(tabular.read_table(io.BytesIO(data), encoding="gb18030"))
    assert [list(i.values.values()) for i in items if isinstance(i, TableRow)] == rows


def test_jsonl_values_keep_their_types() -> None:
    record = {"n": 1, "nested": {"x": [1, 2]}, "name": "张三"}
    data = (json.dumps(record, ensure_ascii=False) + "\n").encode("gb18030")
    (item,) = tabular.read_table(io.BytesIO(data), "jsonl")
    assert isinstance(item, TableRow) and item.values == record
