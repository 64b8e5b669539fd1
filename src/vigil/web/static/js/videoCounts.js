// Live counts per camera and zone: the latest 15-minute count the analytics worker reported
// (people or vehicles seen in the zone, never who) and a small chart of the counts before it,
// polled while the screen is open, as the response screen polls its units.
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";
import { label } from "./opsmap.js";

const REFRESH_MS = 5000;
let root = null;
let timer = null;
let charts = [];

export const countsState = { series: 0, latest: {}, refreshed: 0 }; // for tests

export function layoutCounts(element) {
  root = element;
  root.innerHTML = `<h3>${esc(t("video.counts_title"))}</h3>
  <p><small>${esc(t("video.counts_hint"))}</small></p>
  <div class="scroll" tabindex="0" role="region" aria-labelledby="counts-caption"><table class="striped"><caption id="counts-caption">${esc(t("video.counts_caption"))}</caption>
    <thead><tr><th>${esc(t("video.camera"))}</th><th>${esc(t("video.zone"))}</th><th>${esc(t("video.object"))}</th>
    <th>${esc(t("video.counts_latest"))}</th><th>${esc(t("video.counts_window"))}</th><th>${esc(t("video.counts_series"))}</th></tr></thead>
    <tbody id="count-rows"></tbody></table></div>`;
}

function numberText(value) {
  return Number(value).toLocaleString(language(), { maximumFractionDigits: 1 });
}

function draw(canvas, series) {
  // eslint-disable-next-line no-undef
  return new Chart(canvas, {
    type: "line",
    data: {
      labels: series.map((p) => formatTime(p.started_at, language())),
      datasets: [{ data: series.map((p) => p.value), borderColor: "#00695c", backgroundColor: "rgba(0,105,92,.15)", fill: true, pointRadius: 1.5, borderWidth: 1.5, tension: 0.2 }],
    },
    options: {
      animation: false, responsive: false, events: [],
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
    },
  });
}

export async function loadCounts() {
  const rows = await apiJson("/v1/video/zone-counts?points=16");
  for (const chart of charts) chart.destroy();
  charts = [];
  const body = root.querySelector("#count-rows");
  body.innerHTML = rows.map((r, n) => `<tr data-series="${esc(`${r.camera}|${r.zone}|${r.label || ""}`)}">
    <td class="nowrap"><code>${esc(r.camera)}</code></td><td>${esc(r.zone || "—")}</td>
    <td>${r.label ? esc(label(`video.label_${r.label}`, r.label)) : "—"}</td>
    <td class="count-latest">${esc(numberText(r.latest))}</td><td><small>${formatTime(r.latest_at, language())}</small></td>
    <td><canvas id="count-chart-${n}" width="160" height="36" role="img" aria-label="${esc(t("video.counts_chart", { zone: r.zone, camera: r.camera, values: r.series.map((p) => numberText(p.value)).join(", ") }))}"></canvas></td></tr>`).join("")
    || `<tr><td colspan="6">${esc(t("video.counts_none"))}</td></tr>`;
  if (typeof Chart !== "undefined") rows.forEach((r, n) => charts.push(draw(body.querySelector(`#count-chart-${n}`), r.series)));
  countsState.series = rows.length;
  countsState.latest = Object.fromEntries(rows.map((r) => [`${r.camera}|${r.zone}|${r.label || ""}`, r.latest]));
  countsState.refreshed += 1;
}

// counts (and whatever else the screen keeps live, such as the review queue) every few seconds
export function pollCounts(screen, others = []) {
  if (timer) clearInterval(timer);
  timer = setInterval(() => {
    if (screen.hidden || !document.body.contains(root)) { clearInterval(timer); timer = null; return; }
    for (const load of [loadCounts, ...others]) load().catch(() => {});
  }, REFRESH_MS);
}
