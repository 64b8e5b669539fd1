"""`vigil resolve`: batch entity resolution of a CSV of person records."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="Resolve which records describe the same person.")
console = Console(stderr=True, soft_wrap=True)


@app.command("resolve")
def resolve(
    input: Path = typer.Option(..., "--input", help="CSV with a record_id column"),
    out: Path = typer.Option(..., "--out", help="CSV to write record_id, cluster_id, confidence"),
    review: Path | None = typer.Option(None, "--review", help="CSV for the clerical review list"),
) -> None:
    """Cluster records (name, birth_date, sex, id_number, address, phone; any may be empty)."""
    import pandas as pd

    from vigil.core.tabular import RowProblem, TabularError, read_path
    from vigil.registry.linkage import resolve_records

    rows: list[dict[str, str]] = []
    try:
        table = read_path(input)  # CSV, JSONL or XLSX; UTF-8 (BOM or not), GBK/GB18030
        for item in table:
            if isinstance(item, RowProblem):
                console.print(f"[yellow]{input}:{item.line}: skipped, {item.message}[/yellow]")
                continue
            rows.append({k: "" if v is None else str(v) for k, v in item.values.items()})
    except TabularError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from exc
    for target in (out, review):
        if target is not None and not target.absolute().parent.is_dir():
            console.print(f"[red]error:[/red] cannot write {target}: its folder does not exist")
            raise typer.Exit(code=2)
    records = pd.DataFrame(rows, columns=table.header or None, dtype=str)
    if "record_id" not in records.columns:
        console.print(f"[red]error:[/red] {input} has no record_id column")
        raise typer.Exit(code=2)
    with console.status("resolving…") as status:
        resolution = resolve_records(records, progress=lambda step: status.update(step))
    try:
        resolution.clusters.to_csv(out, index=False)
        if review is not None:
            resolution.review.to_csv(review, index=False)
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot write: {exc}")
        raise typer.Exit(code=2) from exc
    clusters = resolution.clusters["cluster_id"].nunique()
    console.print(
        f"{len(records):,} records → {clusters:,} clusters; "
        f"{len(resolution.review):,} pairs for review"
    )
