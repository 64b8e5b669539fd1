"""The operator console: static files served by the API itself (assets vendored, offline)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=RedirectResponse)
def root() -> RedirectResponse:
    return RedirectResponse("/console")


@router.get("/console", response_class=FileResponse)
def console() -> FileResponse:
    return FileResponse(STATIC_DIR / "console.html")


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
