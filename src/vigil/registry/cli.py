"""`vigil resolve`: batch entity resolution of a CSV of person records."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="Resolve which records describe the same person.")
console = Console(stderr=True)


@app.command("resolve")
def resolve(
    input: Path = typer.Option(..., "--input", help="CSV with a record_id column"),
    out: Path = typer.Option(..., "--out", help="CSV to write record_id, cluster_id, confidence"),
    review: Path | None = typer.Option(None, "--review", help="CSV for the clerical review list"),
) -> None:
    """Cluster records (name, birth_date, sex, id_number, address, phone; any may be empty)."""
    import pandas as pd

    from vigil.registry.linkage import resolve_records

    try:
        records = pd.read_csv(input, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        console.print(f"[red]error:[/red] cannot read {input}: {exc}")
        raise typer.Exit(code=2) from exc
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
