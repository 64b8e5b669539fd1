"use strict";
// The operator console: a thin client over the documented API. The token lives only in
// this tab's memory; every personal-data call carries the purpose and legal basis chosen.
let token = null;
let stream = null;

const $ = (id) => document.getElementById(id);
// Everything shown came from somebody: a guest's name a business filed, an entry an analyst
// typed. It goes into the page as text, never as markup.
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

function basisHeaders() {
  return { "X-Purpose": $("purpose").value, "X-Legal-Basis": $("legal-basis").value };
}

async function api(path, options = {}, withBasis = false) {
  const headers = { Authorization: `Bearer ${token}`, ...(withBasis ? basisHeaders() : {}), ...(options.headers || {}) };
  const response = await fetch(path, { ...options, headers });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ detail: response.statusText }));
    throw new Error(problem.detail || problem.title);
  }
  return response;
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const response = await fetch("/v1/auth/token", { method: "POST", body: new URLSearchParams(form) });
  if (!response.ok) { $("login-error").textContent = "Wrong username or password."; return; }
  token = (await response.json()).access_token;
  const me = await (await api("/v1/me")).json();
  $("who").innerHTML = `<li><small>${esc(me.principal)} · ${esc(me.role)} · ${esc(me.organisation)}</small></li>`;
  $("login").hidden = true;
  $("app").hidden = false;
  showTab(me.role === "auditor" ? "audit" : "alerts");
});

function showTab(name) {
  for (const tab of ["alerts", "analytics", "audit"]) {
    $(`tab-${tab}`).hidden = tab !== name;
    document.querySelector(`[data-tab=${tab}]`).classList.toggle("secondary", tab !== name);
  }
  if (name === "alerts") loadAlerts();
  if (name === "analytics") loadAnalytics();
  if (name === "audit") loadAudit();
}
document.querySelectorAll("[data-tab]").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));

function explain(explanation) {
  return Object.entries(explanation || {})
    .map(([feature, e]) => `${esc(feature)} <span class="bar" style="width:${Math.round(40 * Math.min(1, Number(e.score) || 0))}px"></span> ${esc(e.detail)}`)
    .join("<br>");
}

function bases(alert) {
  const hits = alert.hits && alert.hits.length ? alert.hits : [{ entry_id: alert.watchlist_entry_id, legal_basis: alert.legal_basis }];
  return hits.map((h) => `${h.entry_id ? esc(h.entry_id) + " · " : ""}basis: ${esc(h.legal_basis)}${h.score !== undefined ? " (" + Number(h.score).toFixed(2) + ")" : ""}`).join("<br>");
}

function alertRow(alert) {
  const row = document.createElement("tr");
  row.id = `alert-${alert.id}`;
  row.className = alert.status;
  const next = { new: "acknowledge", acknowledged: "dispatch", dispatched: "resolve" }[alert.status];
  row.innerHTML = `<td>${esc(alert.id)}</td><td>${esc(alert.kind)}</td><td>${Number(alert.score).toFixed(2)}</td>
    <td>${esc(alert.summary)}<br><small>${bases(alert)}</small></td>
    <td class="why">${explain(alert.explanation)}</td><td>${esc(alert.status)}${alert.resolution ? " · " + esc(alert.resolution) : ""}</td>
    <td>${next ? `<button class="outline" data-act="${next}">${next}</button>` : ""}</td>`;
  const button = row.querySelector("button");
  if (button) button.addEventListener("click", () => act(alert, next));
  return row;
}

function upsert(alert) {
  const existing = $(`alert-${alert.id}`);
  const row = alertRow(alert);
  if (existing) existing.replaceWith(row); else $("alerts").prepend(row);
}

async function loadAlerts() {
  try {
    const alerts = await (await api("/v1/alerts?limit=200", {}, true)).json();
    $("alerts").innerHTML = "";
    alerts.forEach(upsert);
  } catch (error) { $("stream-state").textContent = `(${error.message})`; }
}

async function act(alert, action) {
  const body = { action };
  if (action === "resolve") {
    body.resolution = prompt("Resolution: true_hit, false_positive or duplicate", "true_hit");
    if (!body.resolution) return;
    const entries = (alert.hits || []).map((h) => h.entry_id);
    if (body.resolution === "true_hit" && entries.length > 1) {
      body.entry_id = prompt(`Which entry is the true hit? ${entries.join(", ")}`, entries[0]);
      if (!body.entry_id) return;
    }
  }
  const response = await api(`/v1/alerts/${alert.id}/transitions`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  upsert(await response.json());
}

$("connect").addEventListener("click", () => {
  if (stream) stream.close();
  const query = new URLSearchParams({ access_token: token, purpose: $("purpose").value, legal_basis: $("legal-basis").value });
  stream = new EventSource(`/v1/alerts/stream?${query}`);
  stream.addEventListener("open", () => { $("stream-state").textContent = "(live)"; });
  stream.addEventListener("error", () => { $("stream-state").textContent = "(reconnecting…)"; });
  stream.addEventListener("alert", (event) => upsert(JSON.parse(event.data)));
});

let profileChart = null;
async function loadAnalytics() {
  const profile = await (await api("/v1/analytics/profile")).json();
  const labels = profile.bins.map((_, i) => `${profile.days[Math.floor(i / 24)]} ${String(i % 24).padStart(2, "0")}h`);
  if (profileChart) profileChart.destroy();
  profileChart = new Chart($("profile"), {
    type: "bar",
    data: { labels, datasets: [{ label: "incidents per hour of week", data: profile.bins, backgroundColor: "#e07a5f" }] },
    options: { plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 14 } } } },
  });
  $("peaks").textContent = "Peaks: " + profile.peak_hours.map((p) => `${p.day} ${p.hour}:00`).join(", ");
  const map = await api("/v1/analytics/charts/hotspots.png?permutations=999");
  $("hotspot-map").src = URL.createObjectURL(await map.blob());
  const hot = await (await api("/v1/analytics/hotspots?permutations=999")).json();
  const cells = (hot.cells || []).filter((c) => String(c.class).startsWith("hot")).slice(0, 15);
  $("hotspots").innerHTML = cells.map((c) => `<tr><td>${esc(c.h3)}</td><td>${esc(c.count)}</td><td>${Number(c.gi_z).toFixed(2)}</td><td>${Number(c.p_fdr).toFixed(3)}</td><td>${esc(c.class)}</td></tr>`).join("");
}

async function loadAudit() {
  try {
    const verify = await (await api("/v1/audit/verify")).json();
    $("verify").textContent = verify.summary;
    $("oversight").textContent = JSON.stringify(await (await api("/v1/oversight")).json(), null, 2);
  } catch (error) { $("verify").textContent = error.message; }
}
