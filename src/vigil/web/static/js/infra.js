// Critical infrastructure on the city map: assets by kind (a layer each, switchable), filled
// by their risk rank (threat × vulnerability × consequence, each factor with its source), and
// a cascade what-if: pick an asset and see what fails with it through the dependency graph
// and the network simulations, highlighted on the map. Assets only, never persons.
import { t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, rowButtonText } from "./render.js";
import { cityMap, label } from "./opsmap.js";

const TABLE_ROWS = 15; // the highest risks; every asset is on the map
const KINDS = ["water", "power", "gas", "telecom", "transport_hub"];
const KIND_COLOURS = { water: "#1565c0", power: "#6a1b9a", gas: "#795548", telecom: "#00695c", transport_hub: "#37474f" };
const RISK = [["high", "#b2182b"], ["medium", "#ef8a62"], ["low", "#fddbc7"], ["unranked", "#ffffff"]];
let root = null;
let map = null;
let layers = {};
let cascadeLayer = null;
let assets = [];
let riskOf = new Map();
const q = (sel) => root.querySelector(sel);

export const infraState = { assets: 0, failed: [], shown: [] }; // what the map holds, for tests

function noteShown() { infraState.shown = Object.keys(layers).filter((k) => map.hasLayer(layers[k])); }

function layout() {
  root.innerHTML = `
  <h2>${esc(t("infra.title"))}</h2>
  <fieldset id="infra-kinds" class="legend"><legend>${esc(t("infra.kinds"))}</legend>
    ${KINDS.map((k) => `<label class="inline-check"><input type="checkbox" name="kind" value="${k}" checked>
      <i style="border-color:${KIND_COLOURS[k]}"></i>${esc(t(`infra.kind_${k}`))} <span class="count" data-count="${k}"></span></label>`).join("")}
  </fieldset>
  <div class="legend">${RISK.map(([r, c]) => `<span><i style="background:${c}"></i>${esc(t(`infra.risk_${r}`))}</span>`).join("")}
    <span><i class="failed-key"></i>${esc(t("infra.failed_key"))}</span></div>
  <p id="infra-status" role="status" aria-live="polite"></p>
  <div id="infra-map" class="opsmap" role="region" aria-label="${esc(t("infra.map"))}"></div>
  <article id="cascade" hidden></article>
  <table class="striped"><caption>${esc(t("infra.ranked"))}</caption>
    <thead><tr><th>${esc(t("infra.asset"))}</th><th>${esc(t("infra.kind"))}</th><th>${esc(t("infra.operator"))}</th>
    <th>${esc(t("infra.risk"))}</th><th>${esc(t("infra.factors"))}</th><th><span class="visually-hidden">${esc(t("infra.what_if"))}</span></th></tr></thead>
    <tbody id="asset-rows"></tbody></table>`;
  q("#infra-kinds").addEventListener("change", (event) => {
    const layer = layers[event.target.value];
    if (!layer) return;
    if (event.target.checked) layer.addTo(map); else layer.remove();
    noteShown();
  });
  q("#asset-rows").addEventListener("click", (event) => {
    const button = event.target.closest("[data-cascade]");
    if (button) whatIf(Number(button.dataset.cascade));
  });
}

function riskClass(asset) {
  const ranked = riskOf.get(asset.id);
  if (!ranked) return "unranked";
  return ranked.tier;
}

function point(asset) {
  if (asset.latitude !== null && asset.longitude !== null) return [asset.latitude, asset.longitude];
  return null;
}

function drawAssets() {
  for (const layer of Object.values(layers)) layer.remove();
  layers = {};
  for (const kind of KINDS) {
    const group = L.layerGroup();
    for (const a of assets.filter((x) => x.kind === kind)) {
      const fill = Object.fromEntries(RISK)[riskClass(a)];
      const tip = `${esc(a.name)} · ${esc(t(`infra.kind_${a.kind}`))} · ${esc(t(`infra.risk_${riskClass(a)}`))}`;
      const at = point(a);
      if (at) {
        L.circleMarker(at, { radius: a.criticality >= 4 ? 7 : 5, color: KIND_COLOURS[kind], weight: 2, fillColor: fill, fillOpacity: 0.9 })
          .bindTooltip(tip).on("click", () => whatIf(a.id)).addTo(group);
      } else if (a.geometry) {
        L.geoJSON(a.geometry, { style: { color: KIND_COLOURS[kind], weight: 2, opacity: 0.7 } }).bindTooltip(tip).addTo(group);
      }
    }
    layers[kind] = group;
    if (q(`#infra-kinds input[value=${kind}]`).checked) group.addTo(map);
    q(`[data-count=${kind}]`).textContent = `(${assets.filter((x) => x.kind === kind).length})`;
  }
  infraState.assets = assets.length;
  noteShown();
  const points = assets.map(point).filter(Boolean);
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.08), { maxZoom: 16 });
}

// A factor's value, and where it came from on demand (the sources are long sentences).
function factor(name, f) {
  return `<details class="factor"><summary>${esc(t(`infra.${name}`))} ${Number(f.value).toFixed(2)}</summary><small>${esc(f.source)}</small></details>`;
}

function drawTable(ranked) {
  const byId = new Map(assets.map((a) => [a.id, a]));
  const rows = ranked.map((r) => [byId.get(r.asset_id), r]).filter(([a]) => a);
  q("#asset-rows").innerHTML = rows.map(([a, r]) => `<tr data-asset="${esc(a.external_id)}">
    <td>${esc(a.name)}<br><small><code>${esc(a.external_id)}</code></small></td><td>${esc(t(`infra.kind_${a.kind}`))} <small>${esc(a.subtype)}</small></td>
    <td>${esc(a.operator)}</td><td><span class="badge risk-${esc(r.tier)}">${Number(r.risk).toFixed(3)}</span></td>
    <td>${factor("threat", r.threat)}${factor("vulnerability", r.vulnerability)}${factor("consequence", r.consequence)}</td>
    <td><button class="small outline" data-cascade="${esc(a.id)}">${rowButtonText(t("infra.what_if"), a.name)}</button></td></tr>`).join("");
}

async function whatIf(id) {
  const box = q("#cascade");
  box.hidden = false;
  box.innerHTML = `<p>${esc(t("infra.simulating"))}</p>`;
  try {
    const result = await apiJson(`/v1/infrastructure/assets/${id}/cascade`);
    const origin = assets.find((a) => a.id === id);
    const failedIds = new Set(result.failed.map((f) => f.id));
    if (cascadeLayer) cascadeLayer.remove();
    cascadeLayer = L.layerGroup();
    for (const a of assets.filter((x) => failedIds.has(x.id) || x.id === id)) {
      const at = point(a);
      if (at) L.circleMarker(at, { radius: a.id === id ? 13 : 10, color: "#d50000", weight: 3, fill: false, interactive: false }).addTo(cascadeLayer);
      else if (a.geometry) L.geoJSON(a.geometry, { style: { color: "#d50000", weight: 5 }, interactive: false }).addTo(cascadeLayer);
    }
    cascadeLayer.addTo(map);
    infraState.failed = result.failed.map((f) => f.external_id);
    const sims = (result.simulations || []).map((s) => `<li><strong>${esc(label(`infra.model_${s.model}`, s.model))}</strong> · ${esc(s.network)}<br><small>${esc(simSummary(s))}</small></li>`).join("");
    box.innerHTML = `<h3>${esc(t("infra.if_fails", { name: origin ? origin.name : id }))}</h3>
      <p id="cascade-summary">${esc(t("infra.cascade_summary", { failed: result.failed.length, people: result.population_affected.toLocaleString() }))}</p>
      ${result.failed.length ? `<ul id="cascade-failed">${result.failed.map((f) => `<li data-failed="${esc(f.external_id)}">${esc(f.name)} <small>${esc(t(`infra.kind_${f.kind}`))} · ${esc(f.subtype)} · ${esc(t("infra.serves", { people: f.population_served.toLocaleString() }))}</small></li>`).join("")}</ul>` : ""}
      ${sims ? `<h4>${esc(t("infra.simulations"))}</h4><ul>${sims}</ul>` : ""}`;
    root.dataset.cascade = String(id);
  } catch (error) {
    box.innerHTML = `<p class="error">${esc(error.message)}</p>`;
  }
}

// A simulation's headline figures, labelled; lists are shown by their length.
const SIM_FIGURES = ["links_closed", "junctions_below", "lines_out", "unsupplied_buses", "overloaded_lines", "load_lost_mw", "population_affected", "converged"];
function simSummary(s) {
  return SIM_FIGURES.filter((k) => k in s).map((k) => {
    const v = s[k];
    const shown = Array.isArray(v) ? v.length : typeof v === "boolean" ? t(v ? "infra.yes" : "infra.no") : typeof v === "number" ? Number(v.toFixed(2)).toLocaleString() : v;
    return `${t(`infra.sim_${k}`)}: ${shown}`;
  }).join(" · ");
}

export async function show(element) {
  root = element;
  if (map) { map.remove(); map = null; }
  layout();
  map = cityMap(q("#infra-map"));
  map = await map;
  window.vigilInfra = { map, state: infraState };
  q("#infra-status").textContent = t("infra.loading");
  try {
    const [list, ranked] = await Promise.all([
      apiJson("/v1/infrastructure/assets"),
      apiJson("/v1/infrastructure/risk?limit=500"),
    ]);
    assets = list;
    // tiers by rank: the top fifth high, the next two fifths medium, the rest low
    riskOf = new Map(ranked.map((r, i) => [r.asset_id, { ...r, tier: i < ranked.length / 5 ? "high" : i < (3 * ranked.length) / 5 ? "medium" : "low" }]));
    drawAssets();
    drawTable(ranked.map((r) => riskOf.get(r.asset_id)).slice(0, TABLE_ROWS));
    q("#infra-status").textContent = t("infra.summary", { assets: assets.length, ranked: ranked.length });
    root.dataset.assets = String(assets.length);
  } catch (error) {
    q("#infra-status").textContent = error.message;
  }
}
