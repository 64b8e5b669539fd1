// Cameras on the city map with what each one sees (a sector from its heading, field of
// view and range) and its privacy masks (drawn on the camera's frame, where they apply),
// the review queue of events with their blurred snapshots, live counts per zone, the editor
// of each camera's zones, lines and rules, and the recent video events. Video analytics
// count, detect and flag zones; nothing here identifies a person, and no stream is shown.
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime, rowButtonText } from "./render.js";
import { cityMap, label } from "./opsmap.js";
import { layoutReview, loadQueue, reviewState } from "./videoReview.js";
import { countsState, layoutCounts, loadCounts, pollCounts } from "./videoCounts.js";
import { editorState, openEditor } from "./videoRules.js";

const STATUS_COLOURS = { active: "#00695c", maintenance: "#ef6c00", inactive: "#757575" };
const RECENT = 100;
// What an event's value measures, by kind; other kinds count (people, vehicles, crossings).
const VALUE_UNITS = {
  loitering: "video.value_seconds", abandoned_object: "video.value_seconds",
  crowd_density: "video.value_density", crowd_surge: "video.value_surge",
};
let root = null;
let map = null;
let cameras = [];
let mayConfigure = false; // who may change cameras and their rules (the server checks again)
const CONFIGURE = "video.configure";
const q = (sel) => root.querySelector(sel);

export const videoState = { cameras: 0, sectors: 0, events: 0 }; // what the screen holds, for tests

function layout() {
  root.innerHTML = `
  <h2>${esc(t("video.title"))}</h2>
  <p class="basis-line">${esc(t("video.no_identification"))}</p>
  <div class="legend">${Object.entries(STATUS_COLOURS).map(([s, c]) => `<span><i style="background:${c}"></i>${esc(t(`video.status_${s}`))}</span>`).join("")}</div>
  <p id="video-status" role="status" aria-live="polite"></p>
  <div id="video-map" class="opsmap" role="region" aria-label="${esc(t("video.map"))}"></div>
  <article id="camera-detail" hidden></article>
  <table class="striped"><caption>${esc(t("video.cameras"))}</caption>
    <thead><tr><th>${esc(t("video.camera"))}</th><th>${esc(t("video.owner"))}</th><th>${esc(t("video.view"))}</th>
    <th>${esc(t("video.masks"))}</th><th>${esc(t("video.status"))}</th><th><span class="visually-hidden">${esc(t("video.show"))}</span></th></tr></thead>
    <tbody id="camera-rows"></tbody></table>
  <article id="rule-editor" hidden></article>
  <section id="video-review" aria-labelledby="review-title"></section>
  <section id="video-counts"></section>
  <div class="scroll" tabindex="0" role="region" aria-labelledby="events-caption"><table class="striped"><caption id="events-caption">${esc(t("video.events"))}</caption>
    <thead><tr><th>${esc(t("video.time"))}</th><th>${esc(t("video.camera"))}</th><th>${esc(t("video.kind"))}</th>
    <th>${esc(t("video.zone"))}</th><th>${esc(t("video.object"))}</th><th>${esc(t("video.value"))}</th><th>${esc(t("video.source"))}</th></tr></thead>
    <tbody id="event-rows"></tbody></table></div>`;
  q("#camera-rows").addEventListener("click", (event) => {
    const button = event.target.closest("[data-camera]");
    if (button) showCamera(Number(button.dataset.camera));
  });
  q("#camera-detail").addEventListener("click", (event) => {
    const button = event.target.closest("[data-edit]");
    const camera = button && cameras.find((c) => c.id === Number(button.dataset.edit));
    if (camera) {
      openEditor(q("#rule-editor"), camera)
        .then(() => q("#rule-editor").scrollIntoView({ block: "start" }))
        .catch((error) => { q("#video-status").textContent = error.message; });
    }
  });
}

// The sector a camera sees: from its position, `range_m` out, across `fov_deg` around its heading.
export function sector(camera, steps = 24) {
  const { latitude: lat, longitude: lon, heading_deg: heading, fov_deg: fov, range_m: range } = camera;
  const north = range / 111_320;
  const east = range / (111_320 * Math.cos((lat * Math.PI) / 180));
  const points = fov >= 360 ? [] : [[lat, lon]];
  for (let i = 0; i <= steps; i += 1) {
    const bearing = ((heading - fov / 2 + (fov * i) / steps) * Math.PI) / 180;
    points.push([lat + north * Math.cos(bearing), lon + east * Math.sin(bearing)]);
  }
  return points;
}

// "no masked regions", "1 masked region", "2 masked regions"
function masksText(camera) {
  const count = camera.privacy_masks.length;
  return t(count === 0 ? "video.masks_none" : count === 1 ? "video.masks_one" : "video.masks_many", { count });
}

// The camera's frame with its masks (image coordinates 0..1, origin top left).
function frameSvg(camera) {
  const masks = camera.privacy_masks.map((m) => `<polygon points="${m.map(([x, y]) => `${(160 * x).toFixed(1)},${(90 * y).toFixed(1)}`).join(" ")}" fill="#222"/>`).join("");
  return `<svg class="frame" viewBox="0 0 160 90" width="320" height="180" role="img" aria-label="${esc(t("video.frame", { masks: masksText(camera) }))}">
    <rect x="0" y="0" width="160" height="90" fill="#e3f2fd" stroke="#555"/>${masks}</svg>`;
}

function showCamera(id) {
  const c = cameras.find((x) => x.id === id);
  if (!c) return;
  const box = q("#camera-detail");
  box.hidden = false;
  box.dataset.camera = c.code;
  box.innerHTML = `<h3 tabindex="-1">${esc(c.name)} <small><code>${esc(c.code)}</code></small></h3>
    <div class="grid"><dl class="facts">
      <dt>${esc(t("video.owner"))}</dt><dd>${esc(c.owner_name)} <small>(${esc(t(`video.owner_${c.owner_kind}`))})</small></dd>
      ${c.agreement_reference ? `<dt>${esc(t("video.agreement"))}</dt><dd>${esc(c.agreement_reference)}</dd>` : ""}
      <dt>${esc(t("video.basis"))}</dt><dd>${esc(c.legal_basis)}</dd>
      <dt>${esc(t("video.view"))}</dt><dd>${esc(t("video.view_value", { heading: c.heading_deg, fov: c.fov_deg, range: c.range_m, height: c.height_m }))}</dd>
      <dt>${esc(t("video.area"))}</dt><dd>${esc(label(`video.area_${c.area_class}`, c.area_class))}</dd>
      <dt>${esc(t("video.masks"))}</dt><dd>${esc(c.privacy_masks.length ? t("video.masks_value", { masks: masksText(c) }) : masksText(c))}</dd>
    </dl><figure>${frameSvg(c)}<figcaption>${esc(t("video.frame_caption"))}</figcaption></figure></div>
    ${mayConfigure ? `<button class="outline" data-edit="${esc(c.id)}">${esc(t("video.edit_rules"))}</button>`
      : `<p class="hint"><small>${esc(t("video.configure_only"))}</small></p>`}`;
  map.setView([c.latitude, c.longitude], Math.max(map.getZoom(), 16));
  // the detail opens above the list: bring it (and the map above it) into view, focus its title
  q("#video-map").scrollIntoView({ block: "start" });
  box.querySelector("h3").focus({ preventScroll: true });
}

function drawCameras() {
  let sectors = 0;
  for (const c of cameras) {
    const colour = STATUS_COLOURS[c.status] || "#757575";
    L.polygon(sector(c), { color: colour, weight: 1, fillColor: colour, fillOpacity: 0.25 })
      .bindTooltip(`${esc(c.code)} · ${esc(c.name)}`).on("click", () => showCamera(c.id)).addTo(map);
    sectors += 1;
    L.circleMarker([c.latitude, c.longitude], { radius: 4, color: "#111", weight: 1, fillColor: colour, fillOpacity: 1 }).addTo(map);
  }
  if (cameras.length) map.fitBounds(L.latLngBounds(cameras.flatMap((c) => sector(c, 4))).pad(0.1), { maxZoom: 17 });
  videoState.cameras = cameras.length;
  videoState.sectors = sectors;
  q("#camera-rows").innerHTML = cameras.map((c) => `<tr data-code="${esc(c.code)}"><td>${esc(c.name)}<br><small><code>${esc(c.code)}</code></small></td>
    <td>${esc(c.owner_name)}</td><td>${esc(t("video.view_short", { fov: c.fov_deg, range: c.range_m }))}</td><td>${c.privacy_masks.length}</td>
    <td>${esc(t(`video.status_${c.status}`))}</td><td><button class="small outline" data-camera="${esc(c.id)}">${rowButtonText(t("video.show"), c.name)}</button></td></tr>`).join("");
}

function eventValue(e) {
  if (e.value === null) return "—";
  const number = Number(e.value).toLocaleString(language(), { maximumFractionDigits: 2 });
  return VALUE_UNITS[e.kind] ? t(VALUE_UNITS[e.kind], { value: number }) : number;
}

async function loadEvents() {
  // newest first: the first page holds the most recent events
  const recent = await apiJson(`/v1/video/events?order=newest&limit=${RECENT}`);
  const code = Object.fromEntries(cameras.map((c) => [c.id, c.code]));
  q("#event-rows").innerHTML = recent.map((e) => `<tr data-event="${esc(e.id)}"><td>${formatTime(e.started_at, language())}</td>
    <td class="nowrap">${esc(code[e.camera_id] || e.camera_id)}</td><td class="nowrap">${esc(label(`video.kind_${e.kind}`, e.kind))}</td><td>${esc(e.zone || "—")}</td>
    <td>${e.label ? esc(label(`video.label_${e.label}`, e.label)) : "—"}${e.direction ? ` · ${esc(label(`video.direction_${e.direction}`, e.direction))}` : ""}</td>
    <td class="nowrap">${esc(eventValue(e))}</td><td><small>${esc(e.source)}</small></td></tr>`).join("")
    || `<tr><td colspan="7">${esc(t("video.no_events"))}</td></tr>`;
  videoState.events = recent.length;
}

export async function show(element, me) {
  root = element;
  mayConfigure = Boolean(me?.permissions?.includes(CONFIGURE));
  if (map) { map.remove(); map = null; }
  layout();
  map = await cityMap(q("#video-map"));
  window.vigilVideo = { map, state: videoState, review: reviewState, counts: countsState, editor: editorState };
  window.vigilSector = sector;
  try {
    cameras = await apiJson("/v1/video/cameras");
    drawCameras();
    layoutReview(q("#video-review"), cameras);
    layoutCounts(q("#video-counts"));
    await Promise.all([loadEvents(), loadQueue(), loadCounts()]);
    pollCounts(root, [loadQueue]);
    q("#video-status").textContent = t("video.summary", { cameras: cameras.length, events: videoState.events });
    root.dataset.cameras = String(cameras.length);
  } catch (error) { q("#video-status").textContent = error.message; }
}
