"""`vigil resolve` CLI: output shape and clear errors."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from vigil.demo.people import as_dict, generate_people, linkage_records
from vigil.registry.cli import app

runner = CliRunner()


def test_resolve_writes_clusters(tmp_path: Path) -> None:
    records = pd.DataFrame([as_dict(r) for r in linkage_records(generate_people(60, seed=9))])
    records["note"] = "passes through"
    source, out = tmp_path / "records.csv", tmp_path / "clusters.csv"
    records.drop(columns=["person_id", "corruption"]).to_csv(source, index=False)
    result = runner.invoke(app, ["--input", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    clusters = pd.read_csv(out, dtype=str)
    assert list(clusters.columns) == ["record_id", "cluster_id", "confidence"]
    assert set(clusters["record_id"]) == set(records["record_id"])


def test_missing_record_id_column_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text("name,birth_date\n张伟,1980-01-01\n", encoding="utf-8")
    result = runner.invoke(app, ["--input", str(source), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "record_id" in result.output
    assert "Traceback" not in result.output


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--input", str(tmp_path / "nope.csv"), "--out", "o.csv"])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_gbk_file_with_crlf_is_read_by_the_one_reader(tmp_path: Path) -> None:
    source, out = tmp_path / "records.csv", tmp_path / "clusters.csv"
    lines = [
        "record_id,name,birth_date",
        "A,张伟,1990-01-01",
        "B,張偉,1990-01-01",
        "C,李娜,1985-02-02",
    ]
    text = "\r\n".join(lines) + "\r\n"
    source.write_bytes(text.encode("gbk"))
    result = runner.invoke(app, ["--input", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    clusters = pd.read_csv(out, dtype=str).set_index("record_id")["cluster_id"]
    assert clusters["A"] == clusters["B"] != clusters["C"]


def test_records_with_no_pair_to_compare_resolve_without_a_warning(tmp_path: Path) -> None:
    source, out = tmp_path / "records.csv", tmp_path / "clusters.csv"
    source.write_text("record_id,name,birth_date\nA,张伟,1990-01-01\nB,Ann Lee,1971-06-30\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the empty EM divided 0 by 0
        result = runner.invoke(app, ["--input", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out, dtype=str)["cluster_id"].nunique() == 2


def test_an_output_folder_that_does_not_exist_is_named_before_any_work(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text("record_id,name\nA,张伟\n", encoding="utf-8")
    out = tmp_path / "missing" / "clusters.csv"
    result = runner.invoke(app, ["--input", str(source), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output == f"error: cannot write {out}: its folder does not exist\n"
