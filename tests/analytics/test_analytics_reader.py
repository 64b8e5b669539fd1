"""Incident files go through the one tabular reader: `vigil analytics hotspots` reads GBK,
a UTF-8 BOM and CRLF line ends, and names the line and column of bytes it cannot read."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.analytics.cli import app
from vigil.analytics.loader import load_incidents_file

HEADER = "incident_id,type,lat,lon,time,source"


def incident_lines(n: int) -> list[str]:
    return [
        f"东城{i},theft,31.23{i % 10},121.47{i % 7},2024-03-04T08:{i % 60:02d},东城派出所"
        for i in range(n)
    ]


def write(path: Path, lines: list[str], encoding: str, newline: str) -> Path:
    path.write_bytes(newline.join([HEADER, *lines, ""]).encode(encoding))
    return path


def hotspots(path: Path, out: Path) -> tuple[int, str]:
    args = ["hotspots", "--incidents", str(path), "--permutations", "9", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize(
    ("encoding", "newline"), [("gbk", "\r\n"), ("gb18030", "\n"), ("utf-8-sig", "\r\n")]
)
def test_hotspots_reads_gbk_bom_and_crlf(tmp_path: Path, encoding: str, newline: str) -> None:
    path = write(tmp_path / "i.csv", incident_lines(30), encoding, newline)
    if encoding.startswith("gb"):
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")  # what the old reader choked on
    code, output = hotspots(path, tmp_path / "cells.csv")
    assert code == 0, output
    assert "30 incidents loaded, 0 problems" in output
    with (tmp_path / "cells.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) >= 1
    loaded = load_incidents_file(path)
    assert [i.incident_id for i in loaded.incidents][:2] == ["东城0", "东城1"]
    assert loaded.incidents[0].source == "东城派出所"


def test_bytes_that_do_not_decode_are_named_by_line_and_column(tmp_path: Path) -> None:
    lines = incident_lines(30)
    data = "\r\n".join([HEADER, *lines, ""]).encode("utf-8")
    bad = data.replace("东城12,".encode(), b"\xff\xfe12,")
    path = tmp_path / "bad.csv"
    path.write_bytes(bad)
    result = load_incidents_file(path)
    assert len(result.incidents) == 12  # the rows before the bad line still load
    assert [(e.row, e.field) for e in result.errors] == [(13, "row")]
    assert "line 14, column 1" in result.errors[0].message
    assert "utf-8" in result.errors[0].message
    code, output = hotspots(path, tmp_path / "cells.csv")
    assert code == 0 and "row 13" in output and "line 14, column 1" in output
    assert "Traceback" not in output


def test_an_unreadable_incident_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "i.xlsx"
    path.write_bytes(b"not a workbook")
    code, output = hotspots(path, tmp_path / "cells.csv")
    assert code == 2 and "not a readable XLSX workbook" in output
    assert "Traceback" not in output


def test_incidents_from_a_workbook(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for line in incident_lines(5):
        sheet.append(line.split(","))
    path = tmp_path / "i.xlsx"
    book.save(path)
    result = load_incidents_file(path)
    assert len(result.incidents) == 5 and not result.errors
