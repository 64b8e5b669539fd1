// A Leaflet map of the agency's basemap file or else the city's own streets (no tiles
// from the internet), shared by the operations screens.
import { apiJson } from "./session.js";
import { t } from "./i18n.js";
import { addFileBasemap, drawStreets } from "./basemap.js";

let streets = null;

export async function cityMap(element) {
  const map = L.map(element, { preferCanvas: true, attributionControl: false, zoomSnap: 0.25 });
  if (await addFileBasemap(map)) return map; // the agency's basemap file, else the streets
  streets = streets || (await apiJson("/v1/map/streets"));
  drawStreets(map, streets, { muted: true });
  return map;
}

// A label from the catalogue, or the server's own word when the catalogue has none.
export function label(key, fallback) {
  const text = t(key);
  return text === key ? String(fallback ?? "") : text;
}

// A problem's field errors as {field: message}; the whole message under "" otherwise.
export function fieldErrors(error) {
  const found = {};
  for (const e of (error.problem && error.problem.errors) || []) {
    found[e.field] = found[e.field] ? `${found[e.field]}; ${e.message}` : e.message;
  }
  if (!Object.keys(found).length) found[""] = error.message;
  return found;
}
