// The basemap an agency provides: a raster PMTiles file that Vigil itself serves (the
// browser reads it in HTTP byte ranges; nothing leaves the local network). Without one,
// the screens draw the demo city's own streets.
export const basemapState = { source: null, tileType: null }; // for tests

export async function addFileBasemap(map) {
  let info = { pmtiles: null };
  try {
    const response = await fetch("/v1/map/basemap");
    if (response.ok) info = await response.json();
  } catch { /* no basemap: the streets are drawn instead */ }
  if (!info.pmtiles || !window.pmtiles) return false;
  const source = new window.pmtiles.PMTiles(info.pmtiles);
  const header = await source.getHeader();
  basemapState.source = info.pmtiles;
  basemapState.tileType = header.tileType;
  if (![2, 3, 4, 5].includes(header.tileType)) {
    console.warn("the basemap file holds vector tiles; this console draws raster PMTiles only");
    return false;
  }
  const layer = window.pmtiles.leafletRasterLayer(source, {
    minNativeZoom: header.minZoom,
    maxNativeZoom: header.maxZoom,
    className: "file-basemap",
  });
  // tiles are decoration: no alternative text to read out
  layer.on("tileloadstart", (event) => { event.tile.alt = ""; event.tile.setAttribute("role", "presentation"); });
  layer.addTo(map);
  map.fitBounds([[header.minLat, header.minLon], [header.maxLat, header.maxLon]]);
  if (header.centerZoom > map.getZoom()) map.setView([header.centerLat, header.centerLon], header.centerZoom);
  return true;
}
