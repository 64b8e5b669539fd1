"""Watchlists (propose, approve, withdraw, import), the banned-items catalogue, and parcel
checks. None of these routes is open to businesses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from pydantic import ValidationError

from vigil.core.clock import utcnow
from vigil.core.errors import FieldError, ValidationFailed, VigilError
from vigil.core.tabular import RowProblem, file_format, read_table
from vigil.governance.access import Permission, require
from vigil.http.deps import ContextDep, PurposefulDep, RuntimeDep
from vigil.screening import service
from vigil.screening.schemas import (
    BannedItemAdded,
    BannedItemIn,
    DecisionIn,
    EntryState,
    ParcelDecisionOut,
    ParcelScreenIn,
    WatchlistEntryIn,
    WatchlistImportOut,
    WatchlistOut,
)

router = APIRouter(prefix="/v1/screening", tags=["screening"])
MAX_IMPORT_ROWS = 100_000


@router.post("/watchlist", response_model=EntryState, status_code=201)
def propose_entry(body: WatchlistEntryIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        row = service.propose_entry(session, ctx, runtime.vault, body)
        return {"entry_id": row.entry_id, "status": row.status}


@router.post("/watchlist/import", response_model=WatchlistImportOut, status_code=201)
def import_entries(
    file: Annotated[
        UploadFile, File(description="CSV with the WatchlistEntryIn fields as columns")
    ],
    runtime: RuntimeDep,
    ctx: ContextDep,
) -> dict[str, Any]:
    """Each good row becomes a pending entry (approval still needed); bad rows are reported.
    CSV, JSONL or XLSX by the file's name (CSV otherwise): UTF-8 with or without BOM,
    GBK/GB18030 or UTF-16, any line ends."""
    require(ctx, Permission.EDIT_WATCHLIST)
    name = file.filename or "upload.csv"
    table = read_table(file.file, file_format(name, default="csv"), source=name)
    proposed: list[str] = []
    errors: list[dict[str, Any]] = []
    with runtime.unit_of_work() as session:
        for item in table:
            number = item.number
            if number > MAX_IMPORT_ROWS:
                raise ValidationFailed(
                    "too many rows", [FieldError("file", f"at most {MAX_IMPORT_ROWS} rows")]
                )
            if isinstance(item, RowProblem):
                errors.append({"row": number, "field": "row", "message": item.message})
                continue
            row: dict[str, Any] = {
                k: v for k, v in item.values.items() if k and v not in (None, "")
            }
            if isinstance(row.get("aliases"), str):
                row["aliases"] = [a.strip() for a in str(row["aliases"]).split("|") if a.strip()]
            try:
                data = WatchlistEntryIn.model_validate(row)
                with session.begin_nested():
                    proposed.append(
                        service.propose_entry(session, ctx, runtime.vault, data).entry_id
                    )
            except ValidationError as exc:
                errors += [
                    {
                        "row": number,
                        "field": ".".join(map(str, e["loc"])) or "row",
                        "message": e["msg"],
                    }
                    for e in exc.errors()
                ]
            except VigilError as exc:
                errors += [
                    {"row": number, "field": e.loc, "message": e.message} for e in exc.errors
                ] or [{"row": number, "field": "row", "message": exc.detail}]
    return {"proposed": proposed, "errors": errors}


@router.post("/watchlist/{entry_id}/decision", response_model=EntryState)
def decide_entry(
    entry_id: str, body: DecisionIn, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        row = service.decide_entry(session, ctx, entry_id, body.approve)
        return {"entry_id": row.entry_id, "status": row.status}


@router.delete("/watchlist/{entry_id}", response_model=EntryState)
def withdraw_entry(entry_id: str, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        row = service.withdraw_entry(session, ctx, entry_id)
        return {"entry_id": row.entry_id, "status": row.status}


@router.get("/watchlist", response_model=WatchlistOut)
def list_entries(
    runtime: RuntimeDep, ctx: PurposefulDep, status: str | None = None
) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        rows = service.list_entries(session, ctx, status)
        return {
            "version": service.watchlist_version(session),
            "entries": [service.entry_summary(r) for r in rows],
        }


@router.post("/banned-items", response_model=BannedItemAdded, status_code=201)
def add_banned_item(body: BannedItemIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    """Takes effect at once: the next parcel screened in any process sees it."""
    with runtime.unit_of_work() as session:
        row = service.add_banned_item(session, ctx, body)
        version = row.version
    service.refreshed_state(runtime)
    return {"item_id": body.item_id, "catalogue_version": version}


@router.post("/parcels/check", response_model=ParcelDecisionOut)
def check_parcel(body: ParcelScreenIn, runtime: RuntimeDep, ctx: ContextDep) -> dict[str, Any]:
    """Staff check a declaration by hand (couriers never see screening results)."""
    require(ctx, Permission.WORK_ALERTS)
    decision = service.refreshed_state(runtime).screen_parcel(
        body.declared_contents, body.sender_verified, utcnow().date()
    )
    return {
        "decision": decision.decision,
        "category": decision.category,
        "reasons": list(decision.reasons),
        "catalogue_version": decision.catalogue_version,
    }
