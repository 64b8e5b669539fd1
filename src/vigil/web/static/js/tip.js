// The public tip page: no sign-in. The exact point a tipster marks stays in the browser;
// only the centre of the grid square it falls in is sent, and the server keeps only the
// H3 cell (about 5 km²) around that.
import { initLanguage, language, loadLanguage, t } from "./i18n.js";
import { esc, formatTime } from "./render.js";
import { addFileBasemap, drawStreets } from "./basemap.js";

export const CATEGORIES = ["theft", "drugs", "fraud", "violence", "traffic", "public_order", "suspicious", "other"];
export const GRID_DEG = 0.02; // about 2.2 km north-south: the square a point is blurred to
export const MIN_TEXT = 5;

// The centre of the GRID_DEG square holding (lat, lng): all the page ever sends.
export function coarsen(lat, lng, grid = GRID_DEG) {
  const centre = (v) => Number(((Math.floor(v / grid) + 0.5) * grid).toFixed(6));
  return { latitude: centre(lat), longitude: centre(lng) };
}

function squareBounds(coarse, grid = GRID_DEG) {
  const h = grid / 2;
  return [[coarse.latitude - h, coarse.longitude - h], [coarse.latitude + h, coarse.longitude + h]];
}

// what the page holds, for tests: the exact point never appears in a request
export const tipState = { picked: null, sent: null, receipt: null };
window.tipState = tipState;

const $ = (id) => document.getElementById(id);
let map = null;
let marker = null;
let square = null;
let lastStatus = null;

function fillCategories() {
  const select = $("tip-category");
  const chosen = select.value || "other";
  select.innerHTML = CATEGORIES.map((c) => `<option value="${c}">${esc(t(`tip.cat.${c}`))}</option>`).join("");
  select.value = chosen;
}

function describePlace() {
  $("tip-place").textContent = tipState.picked
    ? t("tip.place_set", { lat: tipState.sentPreview.latitude.toFixed(2), lng: tipState.sentPreview.longitude.toFixed(2) })
    : t("tip.place_none");
}

function pick(lat, lng) {
  tipState.picked = { latitude: lat, longitude: lng };
  tipState.sentPreview = coarsen(lat, lng);
  if (marker) marker.remove();
  if (square) square.remove();
  square = L.rectangle(squareBounds(tipState.sentPreview), { color: "#b71c1c", weight: 2, fillOpacity: 0.15 }).addTo(map);
  marker = L.circleMarker([lat, lng], { radius: 4, color: "#222", fillOpacity: 1 }).addTo(map);
  describePlace();
}

function clearPlace() {
  tipState.picked = null;
  tipState.sentPreview = null;
  if (marker) marker.remove();
  if (square) square.remove();
  marker = square = null;
  describePlace();
}

async function drawMap() {
  map = L.map("tip-map", { attributionControl: false, zoomSnap: 0.25 });
  map.setView([31.23, 121.47], 12);
  map.on("click", (event) => pick(event.latlng.lat, event.latlng.lng));
  try {
    if (await addFileBasemap(map)) return; // the agency's basemap file, else the streets
    const response = await fetch("/v1/map/public-streets");
    if (!response.ok) return;
    drawStreets(map, await response.json());
  } finally {
    $("tip-map").dataset.ready = "true";
  }
}

// The server's field messages the page knows, said in the page's language; others as sent.
const KNOWN_ERRORS = [
  ["control character", "tip.err.control"],
  ["besides spaces", "tip.blank"],
  ["anonymous tip takes no contact", "tip.err.anonymous_contact"],
];

function fieldMessage(problem) {
  const errors = problem.errors || [];
  if (errors.length) {
    return errors.map((e) => {
      const known = KNOWN_ERRORS.find(([text]) => String(e.message).includes(text));
      return `${t(`tip.field.${e.field}`)}: ${known ? t(known[1]) : e.message}`;
    }).join("; ");
  }
  return problem.detail || problem.title || t("tip.failed");
}

async function sendTip(event) {
  event.preventDefault();
  const form = event.target;
  $("tip-error").textContent = "";
  $("tip-text-error").textContent = "";
  const text = form.text.value;
  if (text.trim().length < MIN_TEXT) {
    $("tip-text-error").textContent = t("tip.blank");
    form.text.setAttribute("aria-invalid", "true");
    form.text.focus();
    return;
  }
  form.text.removeAttribute("aria-invalid");
  const anonymous = form.anonymous.checked;
  const body = { text, category: form.category.value, anonymous, contact: anonymous ? null : (form.contact.value.trim() || null) };
  if (tipState.picked) {
    Object.assign(body, coarsen(tipState.picked.latitude, tipState.picked.longitude));
  }
  tipState.sent = body.latitude === undefined ? null : { latitude: body.latitude, longitude: body.longitude };
  const response = await fetch("/v1/tips", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    $("tip-error").textContent = fieldMessage(answer);
    return;
  }
  tipState.receipt = answer.receipt;
  $("tip-receipt-code").textContent = answer.receipt;
  $("tip-receipt").hidden = false;
  form.reset();
  form.contact.disabled = true;
  clearPlace();
  $("tip-receipt").scrollIntoView();
}

function showStatus(status) {
  lastStatus = status;
  $("tip-status-value").textContent = t(`tip.state.${status.status}`);
  $("tip-status-received").textContent = formatTime(status.received_at, language());
  $("tip-status-additions").textContent = String(status.additions);
  $("tip-status-rewards").innerHTML = status.rewards.length
    ? status.rewards.map((r) => `${esc((r.amount_cents / 100).toFixed(2))} ${esc(r.currency)} · ${esc(t(`tip.reward.${r.status}`))}`).join("<br>")
    : esc(t("tip.no_rewards"));
  $("tip-status").hidden = false;
}

async function checkStatus(event) {
  if (event) event.preventDefault();
  const receipt = $("tip-status-form").receipt.value.trim();
  $("tip-status-error").textContent = "";
  $("tip-status").hidden = true;
  if (!receipt) { $("tip-status-error").textContent = t("tip.receipt_missing"); return; }
  const response = await fetch("/v1/tips/status", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ receipt }),
  });
  if (response.status === 404) { $("tip-status-error").textContent = t("tip.receipt_unknown"); return; }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) { $("tip-status-error").textContent = fieldMessage(answer); return; }
  showStatus(answer);
}

async function addToTip(event) {
  event.preventDefault();
  const form = event.target;
  const receipt = $("tip-status-form").receipt.value.trim();
  if (!form.text.value.trim()) { $("tip-add-result").textContent = t("tip.add_blank"); return; }
  const response = await fetch("/v1/tips/additions", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ receipt, text: form.text.value }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) { $("tip-add-result").textContent = fieldMessage(answer); return; }
  form.reset();
  $("tip-add-result").textContent = t("tip.added");
  await checkStatus();
}

async function start() {
  await initLanguage();
  $("lang").value = language();
  fillCategories();
  describePlace();
  $("lang").addEventListener("change", async (event) => {
    await loadLanguage(event.target.value);
    fillCategories();
    describePlace();
    $("tip-add-result").textContent = "";
    if (lastStatus && !$("tip-status").hidden) showStatus(lastStatus);
  });
  const form = $("tip-form");
  form.anonymous.addEventListener("change", () => {
    form.contact.disabled = form.anonymous.checked;
    if (form.anonymous.checked) form.contact.value = "";
  });
  form.addEventListener("submit", sendTip);
  form.text.addEventListener("input", () => {
    $("tip-text-error").textContent = "";
    $("tip-error").textContent = "";
    form.text.removeAttribute("aria-invalid");
  });
  $("tip-status-form").addEventListener("submit", checkStatus);
  $("tip-add-form").addEventListener("submit", addToTip);
  $("tip-centre").addEventListener("click", () => { const c = map.getCenter(); pick(c.lat, c.lng); });
  $("tip-clear").addEventListener("click", clearPlace);
  await drawMap();
  document.body.dataset.ready = "true";
}

start();
