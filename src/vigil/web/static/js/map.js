// The analyst's map: the demo city's own streets (vector data, no tiles from the internet)
// and the Gi* hot-spot layer as H3 hexagons, with incident type and date filters.
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc } from "./render.js";
import { addFileBasemap, drawStreets } from "./basemap.js";

const COLOURS = {
  hot_99: "#b2182b", hot_95: "#ef8a62", hot_90: "#f4a582",
  cold_99: "#2166ac", cold_95: "#67a9cf", cold_90: "#92c5de",
};
let root = null;
let map = null;
let hotLayer = null;
let streets = null;
const q = (sel) => root.querySelector(sel);

export const mapState = { features: [] }; // what the hot-spot layer holds, for tests

function layout() {
  root.innerHTML = `
  <h2>${esc(t("map.title"))}</h2>
  <form id="map-filters" class="grid filters">
    <label>${esc(t("map.type"))}<input name="type" maxlength="60" list="incident-types"></label>
    <datalist id="incident-types"></datalist>
    <label>${esc(t("map.since"))}<input name="since" type="date"></label>
    <label>${esc(t("map.until"))}<input name="until" type="date"></label>
    <button type="submit">${esc(t("map.apply"))}</button>
  </form>
  <p id="map-status" role="status" aria-live="polite"></p>
  <div id="map" role="region" aria-label="${esc(t("map.title"))}"></div>
  <div id="map-legend" class="legend">${Object.entries(COLOURS).map(([cls, colour]) =>
    `<span><i style="background:${colour}"></i>${esc(t(`hotspot.${cls}`))}</span>`).join("")}</div>
  <h3>${esc(t("map.profile"))}</h3>
  <figure><canvas id="profile-chart" height="110" role="img" aria-label="${esc(t("map.profile"))}"></canvas>
    <figcaption id="profile-peaks"></figcaption></figure>
  <table><caption>${esc(t("map.hot_cells"))}</caption>
    <thead><tr><th>${esc(t("map.cell"))}</th><th>${esc(t("map.incidents"))}</th><th>Gi* z</th><th>${esc(t("map.class"))}</th></tr></thead>
    <tbody id="hot-cells"></tbody></table>`;
  q("#map-filters").addEventListener("submit", (event) => { event.preventDefault(); loadHotspots(); });
}

function classLabel(cls) {
  return t(`hotspot.${cls}`);
}

async function loadStreets() {
  map.invalidateSize();
  if (await addFileBasemap(map)) return; // the agency's own basemap file replaces the streets
  streets = streets || (await apiJson("/v1/map/streets"));
  drawStreets(map, streets);
}

// Weekday names in the console's language, Monday first (2024-01-01 was a Monday).
function weekdays() {
  return Array.from({ length: 7 }, (_, d) => new Date(Date.UTC(2024, 0, 1 + d)).toLocaleDateString(language(), { weekday: "short", timeZone: "UTC" }));
}

let profileChart = null;
async function loadProfile(params) {
  const profile = await apiJson(`/v1/analytics/profile?${params}`);
  const days = weekdays();
  const labels = profile.bins.map((_, i) => `${days[Math.floor(i / 24)]} ${String(i % 24).padStart(2, "0")}:00`);
  if (profileChart) profileChart.destroy();
  profileChart = new Chart(q("#profile-chart"), {
    type: "bar",
    data: { labels, datasets: [{ label: t("map.profile_series"), data: profile.bins, backgroundColor: "#c0392b" }] },
    options: { animation: false, plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 14 } } } },
  });
  const peaks = profile.peak_hours.map((p) => `${days[profile.days.indexOf(p.day)] ?? esc(p.day)} ${String(p.hour).padStart(2, "0")}:00`);
  q("#profile-peaks").textContent = peaks.length ? t("map.peaks", { peaks: peaks.join(", ") }) : "";
}

async function loadHotspots() {
  const form = new FormData(q("#map-filters"));
  const params = new URLSearchParams({ permutations: "999", resolution: "9" });
  if (form.get("type")) params.set("type", form.get("type"));
  if (form.get("since")) params.set("since", `${form.get("since")}T00:00:00`);
  if (form.get("until")) params.set("until", `${form.get("until")}T00:00:00`);
  q("#map-status").textContent = t("map.loading");
  try {
    const filters = new URLSearchParams(params);
    filters.delete("permutations");
    filters.delete("resolution");
    const [report] = await Promise.all([apiJson(`/v1/analytics/hotspots?${params}`), loadProfile(filters)]);
    const features = report.cells.map((c) => ({
      type: "Feature",
      properties: { h3: c.h3, count: c.count, gi_z: c.gi_z, class: c.class },
      geometry: { type: "Polygon", coordinates: [[...c.boundary, c.boundary[0]]] },
    }));
    mapState.features = features;
    if (hotLayer) hotLayer.remove();
    hotLayer = L.geoJSON({ type: "FeatureCollection", features }, {
      style: (f) => (COLOURS[f.properties.class]
        ? { color: "#333", weight: 1, fillOpacity: 0.8, fillColor: COLOURS[f.properties.class] }
        : { stroke: false, fillOpacity: 0.12, fillColor: "#777" }),
      onEachFeature: (f, layer) => layer.bindTooltip(`${esc(classLabel(f.properties.class))} · ${esc(f.properties.count)}`),
    }).addTo(map);
    const hot = report.cells.filter((c) => COLOURS[c.class]).sort((a, b) => (b.gi_z ?? 0) - (a.gi_z ?? 0));
    q("#hot-cells").innerHTML = hot.map((c) => `<tr><td><code>${esc(c.h3)}</code></td><td>${esc(c.count)}</td><td>${Number(c.gi_z).toFixed(2)}</td><td>${esc(classLabel(c.class))}</td></tr>`).join("");
    q("#map-status").textContent = t("map.summary", { cells: report.cells.length, significant: hot.length, incidents: report.incidents });
    root.dataset.hotspots = String(features.length);
  } catch (error) {
    q("#map-status").textContent = error.message;
  }
}

export async function show(element) {
  root = element;
  if (map) { map.remove(); map = null; }
  layout();
  map = L.map(q("#map"), { preferCanvas: true, attributionControl: false, zoomSnap: 0.25 });
  window.vigilMap = { map, state: mapState };
  await loadStreets();
  await loadHotspots();
}
