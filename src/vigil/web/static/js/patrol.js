// A week's patrol plan on the city map: its places (key places larger), each unit's route
// through its visits of the chosen day, the visits listed by time, the independent
// checker's verdict, and approval by a supervisor who did not propose it (the server
// enforces the two-person rule and refuses a plan the checker fails).
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime, localeOf } from "./render.js";
import { cityMap, label } from "./opsmap.js";

const COLOURS = ["#1b5e20", "#0d47a1", "#b71c1c", "#4a148c", "#e65100", "#006064", "#3e2723", "#880e4f"];
let root = null;
let me = null;
let map = null;
let overlay = null;
let plan = null;     // the plan as listed (status, proposer)
let doc = null;      // the plan file
const q = (sel) => root.querySelector(sel);

export const patrolState = { places: 0, routes: {}, day: null }; // what the map holds, for tests

function layout() {
  root.innerHTML = `
  <h2>${esc(t("patrol.title"))}</h2>
  <form id="patrol-pick" class="grid filters">
    <label>${esc(t("patrol.plan"))}<select name="plan" id="patrol-plan"></select></label>
    <label>${esc(t("patrol.day"))}<select name="day" id="patrol-day"></select></label>
    <label>${esc(t("patrol.unit"))}<select name="unit" id="patrol-unit"></select></label>
  </form>
  <article id="patrol-summary"></article>
  <div class="actions" id="patrol-actions"></div>
  <p id="patrol-error" class="error" role="alert"></p>
  <div id="patrol-check" aria-live="polite"></div>
  <div id="patrol-map" class="opsmap" role="region" aria-label="${esc(t("patrol.map"))}"></div>
  <div id="patrol-legend" class="legend"></div>
  <div class="scroll" tabindex="0" role="region" aria-labelledby="visits-caption"><table class="striped"><caption id="visits-caption">${esc(t("patrol.visits"))}</caption>
    <thead><tr><th>${esc(t("patrol.time"))}</th><th>${esc(t("patrol.unit"))}</th><th>${esc(t("patrol.place"))}</th></tr></thead>
    <tbody id="visit-rows"></tbody></table></div>`;
  q("#patrol-plan").addEventListener("change", () => openPlan(Number(q("#patrol-plan").value)));
  q("#patrol-day").addEventListener("change", () => drawDay(q("#patrol-day").value));
  q("#patrol-unit").addEventListener("change", () => drawDay(q("#patrol-day").value));
}

function placeName(id) { const p = doc.places.find((x) => x.id === id); return p ? p.name : id; }
// Times as the plan states them, in the city's own time (the ISO text carries its offset).
const hhmm = (iso) => String(iso).slice(11, 16);

function summaryHtml(p) {
  return `<dl class="facts">
    <dt>${esc(t("patrol.week"))}</dt><dd>${esc(p.week)}</dd>
    <dt>${esc(t("patrol.status"))}</dt><dd><span class="badge plan-${esc(p.status)}">${esc(label(`patrol.status_${p.status}`, p.status))}</span></dd>
    <dt>${esc(t("patrol.proposed_by"))}</dt><dd>${esc(p.proposed_by)} · ${formatTime(p.created_at, language())}</dd>
    <dt>${esc(t("patrol.approved_by"))}</dt><dd>${p.approved_by ? `${esc(p.approved_by)} · ${formatTime(p.approved_at, language())}` : "—"}</dd>
    <dt>${esc(t("patrol.coverage"))}</dt><dd>${esc(Number(p.objective).toLocaleString(language(), { maximumFractionDigits: 2 }))}${p.gap !== null ? ` <small>(${esc(t("patrol.gap", { gap: (100 * p.gap).toFixed(1) }))})</small>` : ""}</dd>
    <dt>${esc(t("patrol.size"))}</dt><dd>${esc(t("patrol.size_value", { visits: p.visits, places: p.places, units: p.units }))}</dd></dl>`;
}

function actionsHtml(p) {
  const buttons = [`<button class="small secondary" id="patrol-run-check">${esc(t("patrol.check"))}</button>`];
  if (me.role === "supervisor" && p.status === "draft") {
    const own = p.proposed_by === me.principal;
    buttons.push(`<button class="small" id="patrol-approve" ${own ? "disabled" : ""}>${esc(t("patrol.approve"))}</button>`);
    if (own) buttons.push(`<small>${esc(t("patrol.own_plan"))}</small>`);
  }
  if (me.role === "supervisor" && p.status === "approved") {
    buttons.push(`<button class="small" id="patrol-publish">${esc(t("patrol.publish"))}</button>`);
  }
  return buttons.join(" ");
}

async function runCheck() {
  const report = await apiJson(`/v1/patrol/plans/${plan.id}/check`, { method: "POST" });
  q("#patrol-check").innerHTML = report.ok
    ? `<p class="ok" id="check-verdict" data-ok="true">${esc(t("patrol.check_ok", { visits: report.visits, objective: Number(report.objective).toLocaleString(language(), { maximumFractionDigits: 2 }) }))}</p>`
    : `<p class="error" id="check-verdict" data-ok="false">${esc(t("patrol.check_failed", { count: report.violations.length }))}</p>
       <ul>${report.violations.map((v) => `<li><code>${esc(v.kind)}</code> ${esc(v.message)}</li>`).join("")}</ul>`;
}

async function decide(path) {
  q("#patrol-error").textContent = "";
  try {
    await apiJson(`/v1/patrol/plans/${plan.id}/${path}`, { method: "POST" });
    await loadPlans(plan.id);
  } catch (error) { q("#patrol-error").textContent = error.message; }
}

async function openPlan(id) {
  q("#patrol-error").textContent = "";
  q("#patrol-check").innerHTML = "";
  plan = await apiJson(`/v1/patrol/plans/${id}`);
  doc = await apiJson(`/v1/patrol/plans/${id}/export?format=json`);
  q("#patrol-summary").innerHTML = summaryHtml(plan);
  q("#patrol-actions").innerHTML = actionsHtml(plan);
  q("#patrol-run-check").addEventListener("click", () => runCheck().catch((e) => { q("#patrol-error").textContent = e.message; }));
  const approve = q("#patrol-approve");
  if (approve) approve.addEventListener("click", () => decide("approve"));
  const publish = q("#patrol-publish");
  if (publish) publish.addEventListener("click", () => decide("publish"));
  const days = [...new Set(doc.assignments.map((a) => a.start.slice(0, 10)))].sort();
  q("#patrol-day").innerHTML = days.map((d) => `<option value="${esc(d)}">${esc(new Date(`${d}T12:00:00`).toLocaleDateString(localeOf(language()), { weekday: "long", month: "short", day: "numeric" }))}</option>`).join("");
  // with many units the routes tangle: start on one unit, "all" a choice away
  const withVisits = doc.units.filter((u) => doc.assignments.some((a) => a.unit === u.code));
  const first = withVisits.length > 4 ? withVisits[0].code : "";
  q("#patrol-unit").innerHTML = `<option value="">${esc(t("patrol.all_units"))}</option>`
    + withVisits.map((u) => `<option value="${esc(u.code)}" ${u.code === first ? "selected" : ""}>${esc(u.code)}</option>`).join("");
  root.dataset.plan = String(id);
  root.dataset.status = plan.status;
  drawDay(days[0] || null);
}

function drawDay(day) {
  if (overlay) overlay.remove();
  overlay = L.layerGroup().addTo(map);
  const at = Object.fromEntries(doc.places.map((p) => [p.id, [p.lat, p.lon]]));
  for (const p of doc.places) {
    L.circleMarker(at[p.id], { radius: p.key ? 7 : 4, color: "#333", weight: 1, fillColor: p.key ? "#fdd835" : "#9e9e9e", fillOpacity: 0.95 })
      .bindTooltip(`${esc(p.name)} · ${esc(label(`patrol.kind_${p.kind}`, p.kind))}`).addTo(overlay);
  }
  const only = q("#patrol-unit").value;
  const visits = doc.assignments.filter((a) => day && a.start.startsWith(day) && (!only || a.unit === only))
    .sort((a, b) => a.start.localeCompare(b.start));
  const routes = {};
  doc.units.forEach((u, i) => {
    const mine = visits.filter((v) => v.unit === u.code);
    if (!mine.length) return;
    const path = [at[u.base], ...mine.map((v) => at[v.place])].filter(Boolean);
    L.polyline(path, { color: COLOURS[i % COLOURS.length], weight: 3, opacity: 0.85 }).bindTooltip(esc(u.code)).addTo(overlay);
    routes[u.code] = mine.map((v) => v.place);
  });
  q("#patrol-legend").innerHTML = doc.units.map((u, i) => [u, i]).filter(([u]) => routes[u.code]).map(([u, i]) => `<span><i style="background:${COLOURS[i % COLOURS.length]}"></i>${esc(u.code)} <small>${esc(label(`units.mode_${u.type}`, u.type))} · ${esc(t("patrol.visits_n", { count: (routes[u.code] || []).length }))}</small></span>`).join("")
    + `<span><i style="background:#fdd835"></i>${esc(t("patrol.key_place"))}</span><span><i style="background:#9e9e9e"></i>${esc(t("patrol.other_place"))}</span>`
    + `<small>${esc(t("patrol.lines"))}</small>`;
  q("#visit-rows").innerHTML = visits.map((v) => `<tr><td>${esc(hhmm(v.start))}–${esc(hhmm(v.end))}</td><td>${esc(v.unit)}</td><td>${esc(placeName(v.place))}</td></tr>`).join("")
    || `<tr><td colspan="3">${esc(t("patrol.no_visits"))}</td></tr>`;
  const points = doc.places.map((p) => at[p.id]);
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 16 });
  Object.assign(patrolState, { places: doc.places.length, routes, day });
}

async function loadPlans(selected) {
  const plans = await apiJson("/v1/patrol/plans");
  q("#patrol-plan").innerHTML = plans.map((p) => `<option value="${esc(p.id)}" ${p.id === selected ? "selected" : ""}>#${esc(p.id)} · ${esc(p.week)} · ${esc(label(`patrol.status_${p.status}`, p.status))} · ${esc(p.proposed_by)}</option>`).join("");
  if (!plans.length) { q("#patrol-summary").textContent = t("patrol.none"); return; }
  await openPlan(selected || plans[0].id);
}

export async function show(element, who) {
  root = element;
  me = who;
  if (map) { map.remove(); map = null; }
  layout();
  map = await cityMap(q("#patrol-map"));
  window.vigilPatrol = { map, state: patrolState };
  try { await loadPlans(null); } catch (error) { q("#patrol-error").textContent = error.message; }
}
