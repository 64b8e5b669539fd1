// The basemap an agency provides: a raster PMTiles file that Vigil itself serves (the
// browser reads it in HTTP byte ranges; nothing leaves the local network). Without one,
// the screens draw the demo city's own streets. /v1/map/basemap always answers 200: with
// `pmtiles: null` and a reason when there is no file, so no failed request is logged.
export const basemapState = { source: null, tileType: null, reason: null }; // for tests

export async function addFileBasemap(map) {
  let info = { pmtiles: null, reason: "unreachable" };
  try {
    const response = await fetch("/v1/map/basemap");
    if (response.ok) info = await response.json();
  } catch { /* no answer: the streets are drawn instead */ }
  basemapState.reason = info.reason ?? null;
  if (!info.pmtiles || !window.pmtiles) return false;
  const source = new window.pmtiles.PMTiles(info.pmtiles);
  let header;
  try {
    header = await source.getHeader();
  } catch (error) { // an unreadable file: the streets, and a word for whoever looks
    console.warn("the basemap file could not be read; drawing the streets", error);
    basemapState.reason = "unreadable";
    return false;
  }
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

// The road graph's own streets, drawn the same way on every map (the default basemap).
export function drawStreets(map, streets, { muted = false } = {}) {
  const [west, south, east, north] = streets.bbox;
  map.invalidateSize();
  map.fitBounds([[south, west], [north, east]], { padding: [4, 4] });
  const colour = muted
    ? { expressway: "#d08c2f", arterial: "#9a9a9a", street: "#cfcfcf" }
    : { expressway: "#d08c2f", arterial: "#7a7a7a", street: "#b9b9b9" };
  const weight = muted
    ? { expressway: 2.5, arterial: 1.5, street: 0.8 }
    : { expressway: 3, arterial: 2, street: 1 };
  L.geoJSON(streets, {
    interactive: false,
    style: (f) => ({ color: colour[f.properties.class], weight: weight[f.properties.class] }),
  }).addTo(map);
}
