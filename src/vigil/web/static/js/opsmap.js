// A Leaflet map of the demo city's own streets (vector data from this server, no tiles
// from the internet), shared by the operations screens.
import { apiJson } from "./session.js";
import { t } from "./i18n.js";

let streets = null;

export async function cityMap(element) {
  const map = L.map(element, { preferCanvas: true, attributionControl: false, zoomSnap: 0.25 });
  streets = streets || (await apiJson("/v1/map/streets"));
  const [west, south, east, north] = streets.bbox;
  map.invalidateSize();
  map.fitBounds([[south, west], [north, east]], { padding: [4, 4] });
  L.geoJSON(streets, {
    interactive: false,
    style: (f) => ({
      color: { expressway: "#d08c2f", arterial: "#9a9a9a", street: "#cfcfcf" }[f.properties.class],
      weight: { expressway: 2.5, arterial: 1.5, street: 0.8 }[f.properties.class],
    }),
  }).addTo(map);
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
