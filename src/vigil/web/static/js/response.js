// The dispatcher: the agency's incidents, an incident's detail with its timeline (append
// only: entries are added, never edited), the unit board by status, and recommending and
// assigning units. The unit registry has no stream, so the board refreshes every 10 s
// while the screen is open.
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime, localeOf, rowButtonText } from "./render.js";
import { cityMap, fieldErrors, label } from "./opsmap.js";

const STATUSES = ["new", "acknowledged", "dispatched", "on_scene", "resolved", "closed"];
const UNIT_STATUSES = ["available", "on_patrol", "dispatched", "en_route", "on_scene", "out_of_service", "off_duty"];
// What an incident may do next, from its status (the server decides; these are the offers).
const NEXT = {
  new: ["acknowledge", "dispatch", "resolve"],
  acknowledged: ["dispatch", "resolve"],
  dispatched: ["arrive", "resolve"],
  on_scene: ["resolve"],
  resolved: ["close"],
  closed: [],
};
const REFRESH_MS = 10_000;
const UNIT_COLOURS = { available: "#2e7d32", on_patrol: "#1565c0", dispatched: "#ef6c00", en_route: "#ef6c00", on_scene: "#6a1b9a", out_of_service: "#757575", off_duty: "#9e9e9e" };
let root = null;
let map = null;
let incidentLayer = null;
let unitLayer = null;
let openId = null;
let timer = null;
const q = (sel) => root.querySelector(sel);

function layout() {
  root.innerHTML = `
  <h2>${esc(t("response.title"))}</h2>
  <form id="incident-filters" class="grid filters">
    <label>${esc(t("response.status"))}<select name="status">
      <option value="">${esc(t("response.open_ones"))}</option>
      ${STATUSES.map((s) => `<option value="${s}">${esc(t(`response.status_${s}`))}</option>`).join("")}
    </select></label>
    <button type="submit">${esc(t("response.apply"))}</button>
  </form>
  <table class="striped">
    <caption>${esc(t("response.incidents"))}</caption>
    <thead><tr><th>#</th><th>${esc(t("response.priority"))}</th><th>${esc(t("response.type"))}</th>
      <th>${esc(t("response.status"))}</th><th>${esc(t("response.where"))}</th><th>${esc(t("response.opened"))}</th>
      <th><span class="visually-hidden">${esc(t("response.open"))}</span></th></tr></thead>
    <tbody id="incident-rows"></tbody>
  </table>
  <article id="incident-detail" hidden></article>
  <div id="response-map" class="opsmap small-map" role="region" aria-label="${esc(t("response.map"))}"></div>
  <div class="legend"><span><i style="background:#b71c1c"></i>${esc(t("response.incidents"))}</span>${Object.entries(UNIT_COLOURS).map(([s, c]) =>
    `<span><i style="background:${c};border-radius:50%"></i>${esc(label(`units.status_${s}`, s))}</span>`).join("")}</div>
  <h3>${esc(t("units.board"))} <small id="units-updated" aria-live="polite"></small></h3>
  <div id="unit-board" class="board"></div>
  <p id="response-error" class="error" role="alert"></p>`;
  q("#incident-filters").addEventListener("submit", (event) => { event.preventDefault(); loadIncidents(); });
  q("#incident-rows").addEventListener("click", (event) => {
    const button = event.target.closest("[data-incident]");
    if (button) openIncident(Number(button.dataset.incident));
  });
}

function showError(error) { q("#response-error").textContent = error ? error.message : ""; }

async function loadIncidents() {
  const status = new FormData(q("#incident-filters")).get("status");
  let list = await apiJson(`/v1/response/incidents${status ? `?status=${encodeURIComponent(status)}` : ""}`);
  if (!status) list = list.filter((i) => i.status !== "closed");
  q("#incident-rows").innerHTML = list.length ? list.map((i) => `<tr id="incident-${esc(i.id)}">
    <td>${esc(i.id)}</td><td><span class="badge p${esc(i.priority)}">P${esc(i.priority)}</span></td>
    <td>${esc(label(`response.type_${i.type}`, i.type))}</td>
    <td><span class="badge ${esc(i.status)}">${esc(label(`response.status_${i.status}`, i.status))}</span>
      ${i.escalations ? `<span class="badge escalated">${esc(t("response.escalated"))}</span>` : ""}</td>
    <td>${esc(i.address || `${i.latitude.toFixed(4)}, ${i.longitude.toFixed(4)}`)}</td>
    <td>${formatTime(i.created_at, language())}</td>
    <td><button class="outline small" data-incident="${esc(i.id)}">${rowButtonText(t("response.open"), i.address || `#${i.id}`)}</button></td></tr>`).join("")
    : `<tr><td colspan="7">${esc(t("response.none"))}</td></tr>`;
  root.dataset.incidents = String(list.length);
  if (incidentLayer) incidentLayer.remove();
  incidentLayer = L.layerGroup(list.map((i) => L.circleMarker([i.latitude, i.longitude], { radius: 9, color: "#fff", weight: 2, fillColor: "#b71c1c", fillOpacity: 1 })
    .bindTooltip(`#${esc(i.id)} · ${esc(label(`response.type_${i.type}`, i.type))} · P${esc(i.priority)}`).on("click", () => openIncident(i.id)))).addTo(map);
}

function timelineHtml(entries) {
  return entries.map((e) => {
    const d = e.detail || {};
    const parts = [];
    if (d.from && d.to) parts.push(`${label(`response.status_${d.from}`, d.from)} → ${label(`response.status_${d.to}`, d.to)}`);
    if (d.unit_code) parts.push(d.unit_code);
    if (Array.isArray(d.units)) parts.push(d.units.map((u) => u.code || u.unit_code || u).join(", "));
    if (d.note) parts.push(`“${d.note}”`);
    if (d.reason) parts.push(label(`response.reason_${d.reason}`, d.reason));
    return `<li data-kind="${esc(e.kind)}"><time>${formatTime(e.at, language())}</time> · <strong>${esc(label(`response.tl_${e.kind}`, e.kind))}</strong>`
      + ` · <small>${esc(e.actor)}</small>${parts.length ? `<br>${esc(parts.join(" · "))}` : ""}</li>`;
  }).join("");
}

function detailHtml(i) {
  const actions = NEXT[i.status] || [];
  return `<header><h3>${esc(t("response.incident", { id: i.id }))} · ${esc(label(`response.type_${i.type}`, i.type))}
      <span class="badge ${esc(i.status)}">${esc(label(`response.status_${i.status}`, i.status))}</span></h3></header>
    <dl class="facts">
      <dt>${esc(t("response.priority"))}</dt><dd>P${esc(i.priority)}</dd>
      <dt>${esc(t("response.capability"))}</dt><dd>${esc(label(`units.cap_${i.capability}`, i.capability))}</dd>
      <dt>${esc(t("response.where"))}</dt><dd>${esc(i.address)} <small>(${i.latitude.toFixed(5)}, ${i.longitude.toFixed(5)})</small></dd>
      <dt>${esc(t("response.summary"))}</dt><dd>${esc(i.summary) || "—"}</dd>
      <dt>${esc(t("response.source"))}</dt><dd>${esc(label(`response.source_${i.source}`, i.source))}</dd>
      <dt>${esc(t("response.assigned"))}</dt><dd id="assigned-units">${i.units.length ? i.units.map((u) => `<span class="badge">${esc(u.unit_code)}</span>`).join(" ") : "—"}</dd>
    </dl>
    <div class="actions" role="group" aria-label="${esc(t("response.actions"))}">
      ${actions.map((a) => `<button class="small" data-action="${a}">${esc(t(`response.do_${a}`))}</button>`).join(" ")}
      ${["resolved", "closed"].includes(i.status) ? "" : `<button class="small secondary" id="recommend">${esc(t("units.recommend"))}</button>`}
    </div>
    <div id="recommendations"></div>
    <form id="note-form" class="inline-form">
      <input name="note" maxlength="4000" required aria-label="${esc(t("response.note"))}" placeholder="${esc(t("response.note"))}">
      <button type="submit" class="small">${esc(t("response.add_note"))}</button>
    </form>
    <h4>${esc(t("response.timeline"))}</h4>
    <ol id="incident-timeline" class="timeline">${timelineHtml(i.timeline)}</ol>`;
}

async function openIncident(id) {
  showError(null);
  openId = id;
  const incident = await apiJson(`/v1/response/incidents/${id}`);
  const box = q("#incident-detail");
  box.innerHTML = detailHtml(incident);
  box.hidden = false;
  box.dataset.incident = String(id);
  box.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", () => act(() =>
    apiJson(`/v1/response/incidents/${id}/transitions`, { method: "POST", json: { action: b.dataset.action } }))));
  const recommend = box.querySelector("#recommend");
  if (recommend) recommend.addEventListener("click", () => recommendUnits(id));
  box.querySelector("#note-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const note = event.target.note.value;
    act(() => apiJson(`/v1/response/incidents/${id}/notes`, { method: "POST", json: { note } }));
  });
}

async function act(call) {
  try {
    await call();
    await Promise.all([openIncident(openId), loadIncidents(), loadUnits()]);
  } catch (error) {
    const problems = fieldErrors(error);
    showError({ message: Object.entries(problems).map(([f, m]) => (f && f !== "body" ? `${f}: ${m}` : m)).join(" · ") });
  }
}

async function recommendUnits(id) {
  try {
    const picks = await apiJson(`/v1/response/incidents/${id}/recommendation?k=3`, { method: "POST" });
    const box = q("#recommendations");
    box.innerHTML = picks.length ? `<table><caption>${esc(t("units.recommended"))}</caption>
      <thead><tr><th>${esc(t("units.unit"))}</th><th>${esc(t("units.travel"))}</th><th><span class="visually-hidden">${esc(t("units.assign"))}</span></th></tr></thead><tbody>`
      + picks.map((p) => `<tr><td>${esc(p.unit_code)}</td><td>${esc(t("units.minutes", { minutes: (p.travel_seconds / 60).toFixed(1) }))}</td>
        <td><button class="small" data-assign="${esc(p.unit_id)}">${esc(t("units.assign_code", { code: p.unit_code }))}</button></td></tr>`).join("")
      + "</tbody></table>" : `<p>${esc(t("units.none_available"))}</p>`;
    box.querySelectorAll("[data-assign]").forEach((b) => b.addEventListener("click", () => act(() =>
      apiJson(`/v1/response/incidents/${id}/units`, { method: "POST", json: { unit_id: Number(b.dataset.assign) } }))));
    // the recommendation went on the timeline
    const incident = await apiJson(`/v1/response/incidents/${id}`);
    q("#incident-timeline").innerHTML = timelineHtml(incident.timeline);
  } catch (error) { showError(error); }
}

async function loadUnits() {
  const units = await apiJson("/v1/units");
  const by = Object.fromEntries(UNIT_STATUSES.map((s) => [s, []]));
  for (const u of units) (by[u.status] || (by[u.status] = [])).push(u);
  q("#unit-board").innerHTML = Object.entries(by).map(([status, list]) => `<section class="column" data-status="${esc(status)}">
    <h4>${esc(label(`units.status_${status}`, status))} <span class="count">${list.length}</span></h4>
    <ul>${list.map((u) => `<li data-unit="${esc(u.code)}"><strong>${esc(u.code)}</strong> <small>${esc(label(`units.mode_${u.mode}`, u.mode))}
      · ${esc(u.capabilities.map((c) => label(`units.cap_${c}`, c)).join(", "))}</small></li>`).join("")}</ul></section>`).join("");
  q("#units-updated").textContent = t("units.updated", { time: new Date().toLocaleTimeString(localeOf(language()), { hourCycle: "h23" }) });
  root.dataset.units = String(units.length);
  if (unitLayer) unitLayer.remove();
  unitLayer = L.layerGroup(units.map((u) => [u, u.latitude ?? u.home_lat, u.longitude ?? u.home_lon]).map(([u, lat, lon]) =>
    L.circleMarker([lat, lon], { radius: 5, color: "#222", weight: 1, fillColor: UNIT_COLOURS[u.status] || "#757575", fillOpacity: 0.95 })
      .bindTooltip(`${esc(u.code)} · ${esc(label(`units.status_${u.status}`, u.status))}`))).addTo(map);
}

export async function show(element) {
  root = element;
  openId = null;
  if (map) { map.remove(); map = null; }
  incidentLayer = null;
  unitLayer = null;
  layout();
  map = await cityMap(q("#response-map"));
  if (timer) clearInterval(timer);
  timer = setInterval(() => {
    if (root.hidden || !document.body.contains(root)) { clearInterval(timer); timer = null; return; }
    loadUnits().catch(() => {});
  }, REFRESH_MS);
  try {
    await Promise.all([loadIncidents(), loadUnits()]);
  } catch (error) { showError(error); }
}
