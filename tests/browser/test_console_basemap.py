"""An offline basemap the agency provides: a raster PMTiles file (built here with the
`pmtiles` writer) named by VIGIL_BASEMAP_PMTILES is served by Vigil itself with HTTP range
requests, and the analyst's map and the public tip page draw its tiles instead of the demo
city's generated streets; with no file set they draw the streets. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations, sign_in
from vigil.web.streets import streets_geojson

COLOUR = (51, 102, 204)  # every tile of the test basemap is this colour


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def build_pmtiles(path: Path, bbox: list[float], zooms: range) -> int:
    west, south, east, north = bbox
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), COLOUR).save(buffer, format="PNG")
    png = buffer.getvalue()
    tiles = []
    for z in zooms:
        x0, y0 = tile_xy(west, north, z)
        x1, y1 = tile_xy(east, south, z)
        tiles += [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    with path.open("wb") as handle:
        writer = Writer(handle)
        for z, x, y in sorted(tiles, key=lambda t: zxy_to_tileid(*t)):
            writer.write_tile(zxy_to_tileid(z, x, y), png)
        e7 = 10_000_000
        writer.finalize(
            {
                "tile_type": TileType.PNG,
                "tile_compression": Compression.NONE,
                "min_lon_e7": int(west * e7),
                "min_lat_e7": int(south * e7),
                "max_lon_e7": int(east * e7),
                "max_lat_e7": int(north * e7),
                "center_zoom": zooms.stop - 1,
                "center_lon_e7": int((west + east) / 2 * e7),
                "center_lat_e7": int((south + north) / 2 * e7),
            },
            {"name": "test basemap", "attribution": "synthetic"},
        )
    return len(tiles)


PIXEL = """() => {
  const img = [...document.querySelectorAll('.file-basemap img')].find(i => i.naturalWidth);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 8;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0, 8, 8);
  return Array.from(g.getImageData(4, 4, 1, 1).data.slice(0, 3));
}"""
LOADED = "() => [...document.querySelectorAll('.file-basemap img')].some(i => i.naturalWidth)"


def test_a_pmtiles_basemap_is_served_in_ranges_and_drawn_offline(
    live_server: LiveServer, page: Any, outside: Outside, tmp_path: Path
) -> None:
    world = live_server.world
    settings = world.runtime.settings
    assert world.client.get("/v1/map/basemap").json() == {
        "pmtiles": None,
        "reason": "not_configured",
    }
    assert world.client.get("/v1/map/basemap.pmtiles").status_code == 404
    ranges: list[tuple[str | None, int]] = []
    page.on(
        "response",
        lambda r: (
            ranges.append((r.request.headers.get("range"), r.status))
            if "basemap.pmtiles" in r.url
            else None
        ),
    )
    # no file: the demo city's streets, and the file is never asked for
    sign_in(page, live_server, "analyst")
    page.wait_for_selector("#screen-map[data-hotspots]", timeout=30_000)
    assert page.locator("#map .file-basemap").count() == 0
    assert ranges == []

    path = tmp_path / "city.pmtiles"
    count = build_pmtiles(path, streets_geojson(settings.road_graph)["bbox"], range(9, 13))
    assert count >= 4
    settings.basemap_pmtiles = str(path)
    try:
        head = world.client.get("/v1/map/basemap.pmtiles", headers={"Range": "bytes=0-126"})
        assert head.status_code == 206 and head.content[:7] == b"PMTiles"
        assert len(head.content) == 127
        page.reload()
        page.wait_for_selector("#screen-map[data-hotspots]", timeout=30_000)
        page.wait_for_function(LOADED)
        assert page.evaluate(PIXEL) == list(COLOUR)
        # the generated streets are not drawn over the agency's own map
        assert page.locator("#map .file-basemap img").count() >= 1
        assert ranges and all(r and r.startswith("bytes=") and s == 206 for r, s in ranges)
        assert axe_violations(page) == []
        screenshot(page, "basemap_pmtiles_map")
        # so do the operations screens' maps
        ranges.clear()
        page.click("#screen-links a[data-screen=infra]")
        page.wait_for_function(
            "() => [...document.querySelectorAll('#infra-map .file-basemap img')]"
            ".some(i => i.naturalWidth)"
        )
        assert ranges and all(s == 206 for _, s in ranges)
        # the public tip page uses the same file
        ranges.clear()
        page.goto(f"{live_server.url}/tip")
        page.wait_for_selector("#tip-map[data-ready=true]")
        page.wait_for_function(LOADED)
        assert page.evaluate(PIXEL) == list(COLOUR)
        assert ranges and all(s == 206 for _, s in ranges)
        screenshot(page, "basemap_pmtiles_tip")
    finally:
        settings.basemap_pmtiles = ""
    assert outside.urls == []


def test_a_configured_basemap_file_that_is_missing_draws_the_streets_without_an_error(
    live_server: LiveServer, page: Any, outside: Outside, tmp_path: Path
) -> None:
    """`/v1/map/basemap` answers 200 with `pmtiles: null` and the reason: the page asks for
    no missing file and logs no failed request, and the map draws the streets."""
    world = live_server.world
    settings = world.runtime.settings
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    settings.basemap_pmtiles = str(tmp_path / "gone.pmtiles")
    try:
        answer = world.client.get("/v1/map/basemap")
        assert answer.status_code == 200
        assert answer.json() == {"pmtiles": None, "reason": "file_missing"}
        sign_in(page, live_server, "analyst")
        page.wait_for_selector("#screen-map[data-hotspots]", timeout=30_000)
        assert page.locator("#map .file-basemap").count() == 0
        features = page.evaluate("() => window.vigilMap.state.features.length")
        drawn = page.evaluate(
            "() => { let n = 0; window.vigilMap.map.eachLayer(() => n++); return n; }"
        )
        assert drawn > features  # the streets are drawn under the hot spots
    finally:
        settings.basemap_pmtiles = ""
    assert failed == []
    assert outside.urls == []
