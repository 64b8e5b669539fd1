"""`vigil screen …`: screen files of persons or parcels with the pure matchers."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

# The readers and matchers are imported inside each command, so that `vigil --help` does not
# load them (the name readers and the parcel vocabulary are slow to import).

app = typer.Typer(
    help="Screen records against lawful watchlists and parcels against the catalogue."
)
console = Console(stderr=True, soft_wrap=True)

WATCHLIST_COLUMNS = (
    "entry_id",
    "name",
    "aliases",
    "birth_date",
    "id_number",
    "legal_basis",
    "expires",
)
RECORD_COLUMNS = ("record_id", "name", "birth_date", "id_number")
PARCEL_COLUMNS = ("parcel_id", "declared_contents", "sender_verified")


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """The file's rows through the one tabular reader (CSV/JSONL/XLSX, UTF-8 with or
    without BOM, GBK/GB18030, CRLF). A row that cannot be read is named and skipped; a file
    that cannot be read on stops the command with its line and column."""
    from vigil.core.tabular import RowProblem, TabularError, read_path

    if not path.exists():
        raise typer.BadParameter(f"{path} does not exist")
    try:
        table = read_path(path)
        missing = [c for c in required if c not in table.header]
        if missing:
            console.print(f"[red]{path}: missing columns: {', '.join(missing)}[/red]")
            raise typer.Exit(2)
        for item in table:
            if isinstance(item, RowProblem):
                console.print(f"[yellow]{path}:{item.line}: skipped, {item.message}[/yellow]")
                continue
            yield {key: str(value) for key, value in item.values.items()}
    except TabularError as error:
        console.print(f"[red]error: {error}[/red]")
        raise typer.Exit(2) from None


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return max(0, sum(1 for _ in handle) - 1)


def normalise_id(raw: str) -> str:
    """Upper-case, no separators; '' unless a CN 18-character id with a valid check character
    (a typo must not look like a different person), or another non-empty document number. A
    legacy 15-digit resident number becomes its 18-character form, as intake files it."""
    from vigil.core.ids import cn_id_check_char, legacy_cn_id_upgraded
    from vigil.core.text import ascii_digits

    value = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if len(value) == 18 and ascii_digits(value[:17]):
        return value if cn_id_check_char(value[:17]) == value[17] else ""
    return legacy_cn_id_upgraded(value) or value


def _id_hasher(key: bytes) -> Callable[[str], str]:
    def digest(raw: str) -> str:
        value = normalise_id(raw)
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest() if value else ""

    return digest


def _parse_expiry(raw: str) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        value = datetime.combine(value.date(), time.max, UTC) if len(raw) <= 10 else value
        value = value.replace(tzinfo=UTC)
    return value


@app.command("persons")
def screen_persons(
    watchlist: Annotated[Path, typer.Option(help="CSV: " + ", ".join(WATCHLIST_COLUMNS))],
    records: Annotated[Path, typer.Option(help="CSV: " + ", ".join(RECORD_COLUMNS))],
    out: Annotated[Path, typer.Option(help="hits CSV: record_id, entry_id, score, explanation")],
    threshold: float = 0.8,
) -> None:
    """Screen person records against a watchlist of lawful entries."""
    from rich.progress import Progress

    from vigil.core.clock import utcnow
    from vigil.screening.entries import LegalBasis, PersonEntry, UnlawfulEntry, person_record
    from vigil.screening.index import WatchlistIndex

    now = utcnow()
    digest = _id_hasher(secrets.token_bytes(32))  # a fresh key for this run only
    index = WatchlistIndex()
    rejected = 0
    with Progress(console=console) as progress:
        task = progress.add_task("indexing watchlist", total=_count_lines(watchlist))
        for row in _rows(watchlist, WATCHLIST_COLUMNS):
            progress.advance(task)
            try:
                entry = PersonEntry(
                    entry_id=(row["entry_id"] or "").strip(),
                    name=(row["name"] or "").strip(),
                    legal_basis=LegalBasis(
                        (row["legal_basis"] or "").strip(),
                        "as filed",
                        _parse_expiry(row["expires"]),
                    ),
                    aliases=tuple(
                        a.strip() for a in (row["aliases"] or "").split("|") if a.strip()
                    ),
                    birth_date=(row["birth_date"] or "").strip(),
                    id_hash=digest(row["id_number"]),
                )
                index.add(entry, now)
            except (UnlawfulEntry, ValueError) as error:
                rejected += 1
                console.print(f"[yellow]rejected {row.get('entry_id') or '?'}: {error}[/yellow]")
        hits = 0
        task = progress.add_task("screening records", total=_count_lines(records))
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(("record_id", "entry_id", "score", "explanation"))
            for row in _rows(records, RECORD_COLUMNS):
                progress.advance(task)
                record = person_record(
                    row["record_id"],
                    row["name"] or "",
                    row["birth_date"] or "",
                    row["id_number"] or "",
                    digest,
                )
                for match in index.screen(record, now, threshold):
                    hits += 1
                    explanation = json.dumps(match.explanation, ensure_ascii=False)
                    writer.writerow(
                        (match.record_id, match.entry_id, f"{match.score:.4f}", explanation)
                    )
    console.print(
        f"{len(index)} entries listed, {rejected} rejected (no legal basis or expired); "
        f"{hits} hits written to {out}"
    )


@app.command("parcels")
def screen_parcels(
    catalogue: Annotated[Path, typer.Option(help="banned-items CSV")],
    parcels: Annotated[Path, typer.Option(help="CSV: " + ", ".join(PARCEL_COLUMNS))],
    out: Annotated[Path, typer.Option(help="decisions CSV: parcel_id, decision, category, reason")],
) -> None:
    """Screen parcels' declared contents against the banned-items catalogue."""
    from rich.progress import Progress

    from vigil.core.settings import get_settings
    from vigil.screening.parcel_model import shipped_model, with_second_opinion
    from vigil.screening.parcels import load_catalogue, screen_parcel

    model = shipped_model() if get_settings().parcel_model == "on" else None
    try:
        banned = load_catalogue(catalogue)
    except (OSError, ValueError) as error:
        console.print(f"[red]{catalogue}: {error}[/red]")
        raise typer.Exit(2) from error
    counts: dict[str, int] = {}
    with Progress(console=console) as progress:
        task = progress.add_task("screening parcels", total=_count_lines(parcels))
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(("parcel_id", "decision", "category", "reason"))
            for row in _rows(parcels, PARCEL_COLUMNS):
                progress.advance(task)
                verified = (row["sender_verified"] or "").strip().lower() in (
                    "1",
                    "true",
                    "yes",
                    "y",
                    "是",
                )
                declared = row["declared_contents"] or ""
                decision = screen_parcel(banned, declared, verified)
                if model is not None:  # VIGIL_PARCEL_MODEL: may add an inspect, nothing else
                    decision = with_second_opinion(decision, declared, model)
                counts[decision.decision] = counts.get(decision.decision, 0) + 1
                writer.writerow(
                    (row["parcel_id"], decision.decision, decision.category, decision.reason)
                )
    console.print(f"catalogue v{banned.version}: {counts} written to {out}")
