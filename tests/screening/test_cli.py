"""CLI contracts for `vigil screen persons` and `vigil screen parcels`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from vigil.screening.cli import app

runner = CliRunner()


def test_persons_contract(tmp_path: Path) -> None:
    (tmp_path / "wl.csv").write_text(
        "entry_id,name,aliases,birth_date,id_number,legal_basis,expires\n"
        "W1,张晓明,Chang Hsiao-ming,1985-03-12,11010519491231002X,WARRANT-1,2099-01-01\n"
        "W2,李娜,,1990-01-01,,,2099-01-01\n"
        "W3,王伟,,1970-05-05,,CO-9,2001-01-01\n",
        encoding="utf-8",
    )
    (tmp_path / "r.csv").write_text(
        "record_id,name,birth_date,id_number\n"
        "R1,Xiaoming Zhang,1985,\n"
        "R2,王伟,1970-05-05,\n"
        "R3,李娜,1990-01-01,\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    result = runner.invoke(
        app,
        [
            "persons",
            "--watchlist",
            str(tmp_path / "wl.csv"),
            "--records",
            str(tmp_path / "r.csv"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 rejected" in " ".join(result.output.split())
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["record_id"], r["entry_id"]) for r in rows] == [("R1", "W1")]
    assert "name_match" in json.loads(rows[0]["explanation"])


def test_parcels_contract_and_missing_columns(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(
        "parcel_id,declared_contents,sender_verified\nP1,衣服,true\nP2,手枪,true\nP3,书,false\n",
        encoding="utf-8",
    )
    out = tmp_path / "d.csv"
    cat = Path(__file__).parents[2] / "src/vigil/screening/data/banned_items.csv"
    args = [
        "parcels",
        "--catalogue",
        str(cat),
        "--parcels",
        str(tmp_path / "p.csv"),
        "--out",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {r["parcel_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert [rows[p]["decision"] for p in ("P1", "P2", "P3")] == ["cleared", "refuse", "inspect"]
    (tmp_path / "bad.csv").write_text("id,text\n1,x\n", encoding="utf-8")
    args[4] = str(tmp_path / "bad.csv")
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "missing columns" in " ".join(result.output.split())


WATCHLIST = (
    "entry_id,name,aliases,birth_date,id_number,legal_basis,expires\r\n"
    "W1,张晓明,Chang Hsiao-ming,1985-03-12,11010519491231002X,WARRANT-1,2099-01-01\r\n"
    "W2,王伟,,1970-05-05,,CO-9,2099-01-01\r\n"
)
RECORDS = "record_id,name,birth_date,id_number\r\nR1,张晓明,1985-03-12,\r\nR2,王伟,1970-05-05,\r\n"


def _screen(tmp_path: Path, watchlist: Path, records: Path) -> tuple[int, str, list[str]]:
    out = tmp_path / "hits.csv"
    args = ["persons", "--watchlist", str(watchlist), "--records", str(records)]
    result = runner.invoke(app, [*args, "--out", str(out)])
    hits = []
    if out.exists():
        hits = sorted(r["record_id"] + r["entry_id"] for r in csv.DictReader(out.open()))
    return result.exit_code, " ".join(result.output.split()), hits


def test_persons_with_a_gbk_watchlist_and_bom_records(tmp_path: Path) -> None:
    """GBK with CRLF (as Excel on a zh-CN desktop saves), and UTF-8 with a BOM."""
    watchlist = tmp_path / "wl.csv"
    watchlist.write_bytes(WATCHLIST.encode("gbk"))
    records = tmp_path / "r.csv"
    records.write_bytes(RECORDS.encode("utf-8-sig"))
    code, output, hits = _screen(tmp_path, watchlist, records)
    assert code == 0, output
    assert "2 entries listed, 0 rejected" in output
    assert hits == ["R1W1", "R2W2"]


def test_persons_names_the_line_of_bytes_it_cannot_read(tmp_path: Path) -> None:
    watchlist = tmp_path / "wl.csv"
    data = WATCHLIST.encode("utf-8").replace("王伟".encode(), b"\xff\xfe")
    watchlist.write_bytes(data + "W3,李娜,,1990-01-01,,CO-1,2099-01-01\r\n".encode() * 20)
    records = tmp_path / "r.csv"
    records.write_bytes(RECORDS.encode("utf-8"))
    code, output, _ = _screen(tmp_path, watchlist, records)
    assert code == 2
    assert "wl.csv, line 3, column 4: is not valid utf-8" in output
    assert "Traceback" not in output


def test_parcels_with_a_gb18030_crlf_catalogue_and_gbk_parcels(tmp_path: Path) -> None:
    shipped = Path(__file__).parents[2] / "src/vigil/screening/data/banned_items.csv"
    catalogue = tmp_path / "cat.csv"
    text = shipped.read_text(encoding="utf-8")
    catalogue.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    parcels = tmp_path / "p.csv"
    parcels.write_bytes(
        "parcel_id,declared_contents,sender_verified\r\nP1,衣服,是\r\nP2,手枪,是\r\n".encode("gbk")
    )
    out = tmp_path / "d.csv"
    args = ["parcels", "--catalogue", str(catalogue), "--parcels", str(parcels), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {r["parcel_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert [rows[p]["decision"] for p in ("P1", "P2")] == ["cleared", "refuse"]


def test_a_catalogue_listing_an_item_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    shipped = Path(__file__).parents[2] / "src/vigil/screening/data/banned_items.csv"
    lines = shipped.read_text(encoding="utf-8").splitlines(keepends=True)
    catalogue = tmp_path / "cat.csv"
    catalogue.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    parcels = tmp_path / "p.csv"
    parcels.write_text("parcel_id,declared_contents,sender_verified\nP1,衣服,是\n", "utf-8")
    out = tmp_path / "d.csv"
    args = ["parcels", "--catalogue", str(catalogue), "--parcels", str(parcels), "--out", str(out)]
    result = runner.invoke(app, args)
    item_id = lines[1].split(",")[0]
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())  # the console wraps long lines
    assert f"catalogue line {len(lines) + 1}: item_id '{item_id}' is already on line 2" in said
    assert not out.exists()


def test_the_shipped_catalogue_lists_each_item_once() -> None:
    shipped = Path(__file__).parents[2] / "src/vigil/screening/data/banned_items.csv"
    ids = [row["item_id"] for row in csv.DictReader(shipped.open(encoding="utf-8"))]
    assert len(ids) == len(set(ids)) > 50


def test_a_legacy_resident_number_is_normalised_to_its_18_character_form() -> None:
    from vigil.screening.cli import normalise_id

    assert normalise_id("110105491231002") == "11010519491231002X"
    assert normalise_id("110105 19491231 002x") == "11010519491231002X"
    assert normalise_id("110105194912310021") == ""  # wrong check character
