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
