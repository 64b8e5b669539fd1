// The officer's alert queue: newest first, live over SSE, filters, search and paging by
// cursor, with an alert's detail, acknowledge, dispatch to a chosen unit and resolve.
import { has, language, t } from "./i18n.js";
import { api, apiJson, session } from "./session.js";
import { alertRowHtml, basesHtml, esc, explainHtml, formatTime } from "./render.js";
import { askBasis, alertBasis, STATUTE } from "./basis.js";

const PAGE = 50;
// The sectors whose alerts stand on a filed registration. Camera, sensor and oversight alerts
// carry their own event's id in submission_id: no registration is read for them.
const REGISTRATION_SECTORS = new Set(["hotel", "secondhand", "motor", "venue", "parcel", "chemical"]);
const fieldLabel = (key) => (has(`field.${key}`) ? t(`field.${key}`) : key);
const CITY = { lat: 31.2304, lon: 121.4737 };
let root = null;
let basis = null;           // the basis chosen for the queue
let stream = null;
let cursors = [null];       // before_id of each page visited; page 1 has none
let page = 0;
let total = 0;
let unseen = 0;

const q = (sel) => root.querySelector(sel);

function layout() {
  root.innerHTML = `
  <h2>${esc(t("alerts.title"))} <small id="live-state" class="live" aria-live="polite"></small></h2>
  <p class="basis-line">${esc(t("alerts.basis_in_use"))} <code id="queue-basis"></code></p>
  <form id="alert-filters" class="grid filters">
    <label>${esc(t("alerts.kind"))}<select name="kind">
      <option value="">${esc(t("common.all"))}</option>
      ${["person", "property", "vehicle", "parcel", "chemical", "infrastructure", "video", "review"].map((k) => `<option value="${k}">${esc(t(`kind.${k}`))}</option>`).join("")}
    </select></label>
    <label>${esc(t("alerts.status"))}<select name="status">
      <option value="">${esc(t("common.all"))}</option>
      ${["new", "acknowledged", "dispatched", "resolved"].map((s) => `<option value="${s}">${esc(t(`status.${s}`))}</option>`).join("")}
    </select></label>
    <label>${esc(t("alerts.since"))}<input type="datetime-local" name="since"></label>
    <label>${esc(t("alerts.until"))}<input type="datetime-local" name="until"></label>
    <label>${esc(t("alerts.search"))}<input type="search" name="q" maxlength="100"></label>
    <button type="submit">${esc(t("alerts.apply"))}</button>
  </form>
  <article id="alert-detail" hidden></article>
  <button id="unseen" class="outline" hidden></button>
  <table class="striped">
    <caption class="visually-hidden">${esc(t("alerts.title"))}</caption>
    <thead><tr><th>#</th><th>${esc(t("alerts.time"))}</th><th>${esc(t("alerts.kind"))}</th>
      <th>${esc(t("alerts.score"))}</th><th>${esc(t("alerts.summary"))}</th>
      <th>${esc(t("alerts.status"))}</th><th><span class="visually-hidden">${esc(t("alerts.open"))}</span></th></tr></thead>
    <tbody id="alert-rows"></tbody>
  </table>
  <nav class="pager" aria-label="${esc(t("alerts.pages"))}">
    <button id="page-first" class="outline">${esc(t("alerts.first"))}</button>
    <button id="page-prev" class="outline">${esc(t("alerts.previous"))}</button>
    <span id="page-of" aria-live="polite"></span>
    <button id="page-next" class="outline">${esc(t("alerts.next"))}</button>
  </nav>
`;
  q("#alert-filters").addEventListener("submit", (event) => { event.preventDefault(); reload(); });
  q("#page-first").addEventListener("click", () => goTo(0));
  q("#page-prev").addEventListener("click", () => goTo(page - 1));
  q("#page-next").addEventListener("click", () => goTo(page + 1));
  q("#unseen").addEventListener("click", () => goTo(0));
  q("#alert-rows").addEventListener("click", (event) => {
    const button = event.target.closest("[data-open]");
    if (button) openAlert(Number(button.dataset.open));
  });
}

function filters() {
  const form = new FormData(q("#alert-filters"));
  const params = new URLSearchParams();
  for (const [key, value] of form) {
    if (!value) continue;
    params.set(key, key === "since" || key === "until" ? new Date(value).toISOString() : value);
  }
  return params;
}

function matchesFilters(alert) {
  const f = filters();
  if (f.get("kind") && alert.kind !== f.get("kind")) return false;
  if (f.get("status") && alert.status !== f.get("status")) return false;
  if (f.get("q") && !`${alert.summary} ${alert.watchlist_entry_id || ""}`.toLowerCase().includes(f.get("q").toLowerCase())) return false;
  if (f.get("until")) return false; // a live alert is newer than any upper bound chosen
  return true;
}

function rowFor(alert) {
  const row = document.createElement("tr");
  row.id = `alert-${alert.id}`;
  row.className = alert.status;
  row.innerHTML = alertRowHtml(alert, t, language());
  return row;
}

function pages() { return Math.max(1, Math.ceil(total / PAGE)); }

function showPager() {
  q("#page-of").textContent = t("alerts.page_of", { page: page + 1, pages: pages(), total });
  q("#page-first").disabled = page === 0;
  q("#page-prev").disabled = page === 0;
  q("#page-next").disabled = page + 1 >= pages();
  const button = q("#unseen");
  button.hidden = unseen === 0;
  button.textContent = t("alerts.unseen", { count: unseen });
}

async function goTo(index) {
  if (index < 0 || index >= pages() || index > cursors.length - 1) return;
  const params = filters();
  params.set("order", "newest");
  params.set("limit", String(PAGE));
  if (cursors[index] !== null) params.set("before_id", String(cursors[index]));
  const list = await apiJson(`/v1/alerts?${params}`, { basis });
  page = index;
  if (page === 0) unseen = 0;
  if (list.length) cursors[index + 1] = list[list.length - 1].id;
  const body = q("#alert-rows");
  body.replaceChildren(...list.map(rowFor));
  showPager();
}

async function reload() {
  const counted = await apiJson(`/v1/alerts/count?${filters()}`);
  total = counted.total;
  cursors = [null];
  await goTo(0);
}

function onLive(alert) {
  const existing = root.querySelector(`#alert-${alert.id}`);
  if (existing) { existing.replaceWith(rowFor(alert)); return; }
  if (!matchesFilters(alert)) return;
  total += 1;
  if (page === 0) {
    const row = rowFor(alert);
    row.classList.add("fresh");
    const body = q("#alert-rows");
    body.prepend(row);
    while (body.rows.length > PAGE) body.lastElementChild.remove();
    cursors = [null, Number(body.lastElementChild.id.slice(6))];
  } else {
    unseen += 1;
  }
  showPager();
}

function openStream() {
  if (stream) stream.close();
  const query = new URLSearchParams({ access_token: session.token, purpose: basis.purpose, legal_basis: basis.legal_basis });
  stream = new EventSource(`/v1/alerts/stream?${query}`);
  const state = q("#live-state");
  stream.addEventListener("open", () => { state.textContent = t("alerts.live"); state.dataset.state = "open"; });
  stream.addEventListener("error", () => {
    state.textContent = t("alerts.reconnecting");
    state.dataset.state = "error";
    // A refused stream (an expired token) closes for good: sign in again if need be
    // (the call below asks), then reopen it with the current token.
    if (stream.readyState === EventSource.CLOSED) {
      setTimeout(async () => { await api("/v1/me").catch(() => null); if (root.isConnected) openStream(); }, 3000);
    }
  });
  stream.addEventListener("alert", (event) => onLive(JSON.parse(event.data)));
}

export async function show(element) {
  root = element;
  layout();
  basis = basis || (await askBasis([STATUTE]));
  if (!basis) { root.querySelector("#live-state").textContent = t("basis.refused"); return; }
  q("#queue-basis").textContent = `${t(`purpose.${basis.purpose}`)} · ${basis.legal_basis}`;
  await reload();
  openStream();
}

// --- one alert -----------------------------------------------------------------------
// The filed registration behind the alert (business, times, room, the persons named), read
// under the basis chosen for the alert: the intake API audits it as a consult.
function registrationHtml(alert, filed) {
  const lang = language();
  const registered = REGISTRATION_SECTORS.has(alert.sector);
  const rows = [
    [t("alert.created"), formatTime(alert.created_at, lang)],
    [t("alert.sector"), esc(t(`sector.${alert.sector}`))],
    [t(registered ? "alert.submission" : "alert.source_record"), esc(alert.submission_id)],
  ];
  if (filed) {
    rows.push([t("alert.business"), esc(filed.organisation)]);
    rows.push([t("alert.event"), `${esc(t(`event.${filed.event_kind}`))} · ${formatTime(filed.event_time, lang)}`]);
    for (const [key, value] of Object.entries(filed.details || {})) {
      if (value === null || typeof value === "object" || key === "event") continue;
      const isTime = /^\d{4}-\d\d-\d\dT/.test(String(value));
      rows.push([fieldLabel(key), isTime ? formatTime(value, lang) : esc(value)]);
    }
  }
  rows.push([t("alert.assignee"), esc(alert.assignee || "—")]);
  const persons = filed ? (filed.persons || []).map((p) => `<li><strong>${esc(p.name)}</strong>`
    + ` · ${esc(t(`doc.${p.doc_type}`))}${p.nationality ? " · " + esc(p.nationality) : ""}`
    + `${p.birth_date ? " · " + esc(p.birth_date) : ""}${p.role ? ` <small>(${esc(p.role)})</small>` : ""}</li>`).join("") : "";
  return `<table>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join("")}</table>`
    + (filed ? `<h4>${esc(t("alert.persons"))}</h4><ul class="persons">${persons}</ul>`
      : `<p><small>${esc(t(registered ? "alert.no_registration" : "alert.not_a_registration"))}</small></p>`);
}

function detailHtml(alert, filed) {
  const registration = registrationHtml(alert, filed);
  const open = alert.status !== "resolved";
  return `
  <header><h3>${esc(t("alert.title", { id: alert.id }))} · <span class="badge ${esc(alert.status)}">${esc(t(`status.${alert.status}`))}</span></h3>
    <p>${esc(alert.summary)}</p></header>
  <div class="grid">
    <div><h4>${esc(t(REGISTRATION_SECTORS.has(alert.sector) ? "alert.registration" : "alert.source"))}</h4>${registration}</div>
    <div><h4>${esc(t("alert.why"))}</h4><ul class="why">${explainHtml(alert.explanation)}</ul>
      <h4>${esc(t("alert.legal_basis"))}</h4><p>${basesHtml(alert)}</p></div>
  </div>
  ${open ? `
  <div class="actions">
    ${alert.status === "new" ? `<button id="do-ack">${esc(t("alert.acknowledge"))}</button>` : ""}
    <details ${alert.status !== "new" ? "open" : ""}><summary>${esc(t("alert.dispatch"))}</summary>
      <form id="nearest-form" class="grid">
        <label>${esc(t("alert.lat"))}<input name="lat" type="number" step="any" min="-90" max="90" value="${CITY.lat}" required></label>
        <label>${esc(t("alert.lon"))}<input name="lon" type="number" step="any" min="-180" max="180" value="${CITY.lon}" required></label>
        <button type="submit" class="outline">${esc(t("alert.find_units"))}</button>
      </form>
      <form id="dispatch-form" hidden><fieldset id="unit-choices"><legend>${esc(t("alert.choose_unit"))}</legend></fieldset>
        <button type="submit">${esc(t("alert.send_unit"))}</button></form>
      <p id="dispatch-result" role="status"></p>
    </details>
    <details><summary>${esc(t("alert.resolve"))}</summary>
      <form id="resolve-form">
        <fieldset><legend>${esc(t("alert.resolution"))}</legend>
        ${["true_hit", "false_positive", "duplicate"].map((r, i) => `<label><input type="radio" name="resolution" value="${r}" ${i === 0 ? "checked" : ""}> ${esc(t(`resolution.${r}`))}</label>`).join("")}
        </fieldset>
        ${(alert.hits || []).length > 1 ? `<label>${esc(t("alert.which_entry"))}<select name="entry_id">${alert.hits.map((h) => `<option value="${esc(h.entry_id)}">${esc(h.entry_id)}</option>`).join("")}</select></label>` : ""}
        <label>${esc(t("alert.note"))}<input name="note" maxlength="4000"></label>
        <button type="submit">${esc(t("alert.resolve"))}</button>
      </form>
    </details>
  </div>` : `<p>${esc(t("alert.resolved_as", { resolution: t(`resolution.${alert.resolution}`) }))}</p>`}
  <p id="detail-error" class="error" role="alert"></p>`;
}

async function openAlert(id) {
  const chosen = await askBasis([alertBasis(id), STATUTE]);
  if (!chosen) return;
  const alert = await apiJson(`/v1/alerts/${id}`, { basis: chosen });
  let filed = null;
  if (REGISTRATION_SECTORS.has(alert.sector)) {
    try {
      filed = await apiJson(`/v1/intake/submissions/${alert.submission_id}`, { basis: chosen });
    } catch (error) { filed = null; }
  }
  renderDetail(alert, chosen, filed);
}

function renderDetail(alert, chosen, filed) {
  const box = q("#alert-detail");
  box.hidden = false;
  box.innerHTML = detailHtml(alert, filed);
  box.scrollIntoView({ block: "start" });
  const fail = (error) => { box.querySelector("#detail-error").textContent = error.message; };
  const refresh = async (updated) => {
    onLive(updated);
    renderDetail(await apiJson(`/v1/alerts/${alert.id}`, { basis: chosen }), chosen, filed);
  };
  box.querySelector("#do-ack")?.addEventListener("click", async () => {
    try { await refresh(await apiJson(`/v1/alerts/${alert.id}/transitions`, { method: "POST", json: { action: "acknowledge" } })); } catch (e) { fail(e); }
  });
  box.querySelector("#nearest-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      const picks = await apiJson(`/v1/alerts/${alert.id}/units?${new URLSearchParams({ lat: form.lat.value, lon: form.lon.value, k: "5" })}`);
      const choices = box.querySelector("#unit-choices");
      choices.innerHTML = `<legend>${esc(t("alert.choose_unit"))}</legend>` + (picks.length ? picks.map((p, i) =>
        `<label><input type="radio" name="unit" value="${esc(p.unit.id)}" ${i === 0 ? "checked" : ""}> ${esc(p.unit.code)}`
        + ` · ${esc(t(`mode.${p.unit.mode}`))} · ${esc(t("alert.minutes", { minutes: (p.travel_seconds / 60).toFixed(1) }))}`
        + ` · <span class="unit-status">${esc(t(`unit_status.${p.unit.status}`))}</span></label>`).join("") : `<p>${esc(t("alert.no_units"))}</p>`);
      box.querySelector("#dispatch-form").hidden = picks.length === 0;
    } catch (e) { fail(e); }
  });
  box.querySelector("#dispatch-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const done = await apiJson(`/v1/alerts/${alert.id}/dispatch`, { method: "POST", json: { unit_id: Number(event.target.unit.value) } });
      const message = t("alert.dispatched", { unit: done.unit.code, status: t(`unit_status.${done.unit.status}`) });
      await refresh(await apiJson(`/v1/alerts/${alert.id}`, { basis: chosen }));
      q("#alert-detail #dispatch-result").textContent = message;
    } catch (e) { fail(e); }
  });
  box.querySelector("#resolve-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { action: "resolve", resolution: form.get("resolution"), note: form.get("note") || "" };
    if (form.get("entry_id")) body.entry_id = form.get("entry_id");
    try { await refresh(await apiJson(`/v1/alerts/${alert.id}/transitions`, { method: "POST", json: body })); } catch (e) { fail(e); }
  });
}

export function close() { if (stream) stream.close(); stream = null; }
