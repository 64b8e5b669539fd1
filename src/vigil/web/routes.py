"""The operator console: static files served by the API itself (assets vendored, offline)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from vigil.core.errors import NotFound
from vigil.http.deps import ContextDep, RuntimeDep
from vigil.http.security import content_security_policy

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"
router = APIRouter(include_in_schema=False)
map_router = APIRouter(prefix="/v1/map", tags=["map"])


class StreetsOut(BaseModel):
    """A GeoJSON FeatureCollection of the road graph's streets, one feature per road class."""

    type: str
    bbox: list[float]
    features: list[dict[str, Any]]


@map_router.get("/streets", response_model=StreetsOut)
def streets(runtime: RuntimeDep, _ctx: ContextDep) -> dict[str, Any]:
    """The streets of the configured road graph (the demo city's by default): the console's
    basemap, drawn from vector data with no tiles from the internet."""
    from vigil.web.streets import streets_geojson

    return streets_geojson(runtime.settings.road_graph)


BASEMAP_PATH = "/v1/map/basemap.pmtiles"


class BasemapOut(BaseModel):
    """Where the console's basemap comes from: a PMTiles file Vigil serves, or (null) the
    streets of the road graph. Always 200: "no basemap" is an answer, not an error."""

    pmtiles: str | None
    reason: Literal["not_configured", "file_missing"] | None = None


@map_router.get("/basemap", response_model=BasemapOut, tags=["public"])
def basemap(runtime: RuntimeDep) -> BasemapOut:
    """The basemap file's address, or `pmtiles: null` with the reason (none configured, or
    the configured file is missing) when the maps draw the road graph's streets instead."""
    configured = runtime.settings.basemap_pmtiles
    if not configured:
        return BasemapOut(pmtiles=None, reason="not_configured")
    if not Path(configured).is_file():
        log.warning("basemap file missing", extra={"path": configured})
        return BasemapOut(pmtiles=None, reason="file_missing")
    return BasemapOut(pmtiles=BASEMAP_PATH)


@map_router.get(
    "/basemap.pmtiles",
    response_class=FileResponse,
    tags=["public"],
    responses={206: {"description": "the byte range asked for (HTTP Range)"}},
)
def basemap_file(runtime: RuntimeDep) -> FileResponse:
    """The agency's PMTiles basemap, read by the browser in byte ranges (a street map holds no
    personal data; the public tip page uses it too)."""
    configured = runtime.settings.basemap_pmtiles
    if not configured or not Path(configured).is_file():
        raise NotFound("no basemap file is configured (VIGIL_BASEMAP_PMTILES)")
    return FileResponse(configured, media_type="application/vnd.pmtiles")


@map_router.get("/public-streets", response_model=StreetsOut, tags=["public"])
def public_streets(runtime: RuntimeDep) -> dict[str, Any]:
    """The same streets for the public tip page's location picker: a street map holds no
    personal data, and the tipster signs in to nothing."""
    from vigil.web.streets import streets_geojson

    return streets_geojson(runtime.settings.road_graph)


@router.get("/", response_class=RedirectResponse)
def root() -> RedirectResponse:
    return RedirectResponse("/console")


@router.get("/console", response_class=FileResponse)
def console() -> FileResponse:
    return FileResponse(STATIC_DIR / "console.html")


@router.get("/tip", response_class=FileResponse)
def tip_page() -> FileResponse:
    """The public tip page: no sign-in, a blurred location, a receipt code and its status."""
    return FileResponse(STATIC_DIR / "tip.html")


VENDOR = "/static/vendor"


def _with_own_scripts(page: HTMLResponse) -> HTMLResponse:
    """The docs pages' inline scripts, allowed by their hashes and nothing else inline."""
    page.headers["Content-Security-Policy"] = content_security_policy(bytes(page.body).decode())
    return page


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui() -> HTMLResponse:
    """Swagger UI from the vendored assets: /docs works with no internet."""
    return _with_own_scripts(
        get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Vigil API",
            swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"persistAuthorization": False, "tryItOutEnabled": True},
        )
    )


@router.get("/redoc", response_class=HTMLResponse)
def redoc() -> HTMLResponse:
    return _with_own_scripts(
        get_redoc_html(
            openapi_url="/openapi.json",
            title="Vigil API",
            redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )
    )


router.include_router(map_router)


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
