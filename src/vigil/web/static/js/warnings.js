// The supervisor's warning editor: a CAP 1.2 public warning drafted from an incident, its
// errors shown against each field, published (signed when the server holds a signing key),
// and the public feed as the public sees it. No person's details go into a warning.
import { language, t } from "./i18n.js";
import { api, apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";
import { fieldErrors, label } from "./opsmap.js";

const STATUS = ["Actual", "Exercise", "System", "Test", "Draft"];
const MSG_TYPES = ["Alert", "Update", "Cancel"];
const URGENCY = ["Immediate", "Expected", "Future", "Past", "Unknown"];
const SEVERITY = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"];
const CERTAINTY = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"];
const RESPONSES = ["Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"];
// CAP element names (as the server's check names them) to the editor's fields.
const CAP_FIELDS = {
  msgType: "msg_type", responseType: "response_type", areaDesc: "area_desc", circle: "radius_km",
  expires: "expires_minutes", headline: "headline", event: "event", description: "description",
  instruction: "instruction", urgency: "urgency", severity: "severity", certainty: "certainty",
  polygon: "polygon", status: "status", language: "language",
};
const FIELDS = ["incident", "status", "msg_type", "event", "headline", "description", "instruction", "urgency",
  "severity", "certainty", "response_type", "area_desc", "radius_km", "polygon", "expires_minutes"];
let root = null;
const q = (sel) => root.querySelector(sel);

function select(name, values, chosen) {
  return `<select name="${name}" id="cap-${name}" aria-describedby="err-${name}">${values.map((v) =>
    `<option value="${v}" ${v === chosen ? "selected" : ""}>${esc(label(`response.cap_${v}`, v))}</option>`).join("")}</select>`;
}

function field(name, control) {
  return `<label for="cap-${name}">${esc(t(`response.cap_field_${name}`))}</label>${control}<small class="field-error" id="err-${name}"></small>`;
}

function layout() {
  root.innerHTML = `
  <h2>${esc(t("response.warnings_title"))}</h2>
  <p>${esc(t("response.warnings_intro"))}</p>
  <form id="cap-form" novalidate>
    ${field("incident", `<select name="incident" id="cap-incident" aria-describedby="err-incident"></select>`)}
    <div class="grid">
      <div>${field("status", select("status", STATUS, "Actual"))}</div>
      <div>${field("msg_type", select("msg_type", MSG_TYPES, "Alert"))}</div>
      <div>${field("expires_minutes", `<input name="expires_minutes" id="cap-expires_minutes" type="number" min="1" value="120" aria-describedby="err-expires_minutes">`)}</div>
    </div>
    ${field("event", `<input name="event" id="cap-event" maxlength="200" aria-describedby="err-event">`)}
    ${field("headline", `<input name="headline" id="cap-headline" maxlength="160" aria-describedby="err-headline">`)}
    ${field("description", `<textarea name="description" id="cap-description" rows="2" aria-describedby="err-description"></textarea>`)}
    ${field("instruction", `<textarea name="instruction" id="cap-instruction" rows="2" aria-describedby="err-instruction"></textarea>`)}
    <div class="grid">
      <div>${field("urgency", select("urgency", URGENCY, "Expected"))}</div>
      <div>${field("severity", select("severity", SEVERITY, "Moderate"))}</div>
      <div>${field("certainty", select("certainty", CERTAINTY, "Likely"))}</div>
    </div>
    <fieldset id="cap-response_type" aria-describedby="err-response_type"><legend>${esc(t("response.cap_field_response_type"))}</legend>
      ${RESPONSES.map((r) => `<label class="inline-check"><input type="checkbox" name="response_type" value="${r}"> ${esc(label(`response.cap_${r}`, r))}</label>`).join(" ")}
    </fieldset><small class="field-error" id="err-response_type"></small>
    <div class="grid">
      <div>${field("area_desc", `<input name="area_desc" id="cap-area_desc" maxlength="300" aria-describedby="err-area_desc">`)}</div>
      <div>${field("radius_km", `<input name="radius_km" id="cap-radius_km" type="number" step="0.1" value="1" aria-describedby="err-radius_km">`)}</div>
    </div>
    ${field("polygon", `<input name="polygon" id="cap-polygon" placeholder="31.23,121.47 31.24,121.47 31.24,121.48 31.23,121.47" aria-describedby="err-polygon">`)}
    <button type="submit">${esc(t("response.cap_publish"))}</button>
    <p id="cap-error" class="error" role="alert"></p>
  </form>
  <article id="cap-result" hidden></article>
  <h3>${esc(t("response.feed"))}</h3>
  <ul id="cap-feed"></ul>`;
  q("#cap-form").addEventListener("submit", (event) => { event.preventDefault(); publish(); });
}

function clearErrors() {
  for (const name of FIELDS) q(`#err-${name}`).textContent = "";
  q("#cap-error").textContent = "";
  root.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

function showErrors(errors) {
  const general = [];
  for (const [where, message] of Object.entries(errors)) {
    const last = where.split(".").filter((p) => !/^\d+$/.test(p)).pop() || "";
    const name = FIELDS.includes(last) ? last : CAP_FIELDS[last];
    if (name) {
      const box = q(`#err-${name}`);
      box.textContent = box.textContent ? `${box.textContent}; ${message}` : message;
      const control = q(`#cap-${name}`);
      if (control) control.setAttribute("aria-invalid", "true");
    } else {
      general.push(where ? `${where}: ${message}` : message);
    }
  }
  q("#cap-error").textContent = general.length ? general.join(" · ") : t("response.cap_fix");
}

function body() {
  const form = new FormData(q("#cap-form"));
  const value = (name) => String(form.get(name) || "").trim();
  const out = {
    status: value("status"), msg_type: value("msg_type"), headline: value("headline"),
    description: value("description"), instruction: value("instruction"), urgency: value("urgency"),
    severity: value("severity"), certainty: value("certainty"), response_type: form.getAll("response_type"),
  };
  if (value("event")) out.event = value("event");
  if (value("area_desc")) out.area_desc = value("area_desc");
  if (value("polygon")) { out.polygon = value("polygon"); out.radius_km = null; } else if (value("radius_km")) out.radius_km = Number(value("radius_km"));
  if (value("expires_minutes")) out.expires_minutes = Number(value("expires_minutes"));
  return out;
}

async function publish() {
  clearErrors();
  const incident = new FormData(q("#cap-form")).get("incident");
  if (!incident) { showErrors({ incident: t("response.cap_pick_incident") }); return; }
  try {
    const warning = await apiJson(`/v1/response/incidents/${encodeURIComponent(incident)}/warnings`, { method: "POST", json: body() });
    const box = q("#cap-result");
    box.hidden = false;
    box.dataset.identifier = warning.identifier;
    box.innerHTML = `<h3>${esc(t("response.cap_published"))}</h3>
      <dl class="facts"><dt>${esc(t("response.cap_identifier"))}</dt><dd><code>${esc(warning.identifier)}</code></dd>
      <dt>${esc(t("response.cap_sent"))}</dt><dd>${formatTime(warning.sent, language())}</dd>
      <dt>${esc(t("response.cap_signed"))}</dt><dd>${esc(t(warning.signed ? "response.cap_signed_yes" : "response.cap_signed_no"))}</dd>
      <dt>${esc(t("response.cap_field_status"))}</dt><dd>${esc(label(`response.cap_${warning.status}`, warning.status))}</dd></dl>
      <details><summary>${esc(t("response.cap_xml"))}</summary><pre tabindex="0">${esc(warning.xml)}</pre></details>`;
    await loadFeed();
  } catch (error) {
    showErrors(fieldErrors(error));
  }
}

async function loadIncidents() {
  const list = (await apiJson("/v1/response/incidents")).filter((i) => i.status !== "closed");
  q("#cap-incident").innerHTML = list.map((i) => `<option value="${esc(i.id)}">#${esc(i.id)} · ${esc(label(`response.type_${i.type}`, i.type))} · ${esc(i.address || i.summary)}</option>`).join("")
    || `<option value="">${esc(t("response.none"))}</option>`;
  if (list.length && !q("#cap-area_desc").value) q("#cap-area_desc").placeholder = list[0].address || "";
}

// The public Atom feed, read as the public reads it (no login needed).
async function loadFeed() {
  const text = await (await api("/v1/response/warnings/feed.atom")).text();
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const entries = [...doc.getElementsByTagName("entry")];
  const pick = (entry, name) => (entry.getElementsByTagName(name)[0] || {}).textContent || "";
  q("#cap-feed").innerHTML = entries.length ? entries.map((e) => {
    const link = e.getElementsByTagName("link")[0];
    const href = link ? link.getAttribute("href") || "" : "";
    // served here as well, whatever public address the feed names
    const identifier = href.split("/").pop().replace(/\.xml$/, "");
    return `<li data-identifier="${esc(identifier)}"><strong>${esc(pick(e, "title"))}</strong> · <time>${formatTime(pick(e, "updated"), language())}</time>
      · <a href="/v1/response/warnings/${encodeURIComponent(identifier)}.xml">${esc(t("response.cap_xml"))}</a><br><small>${esc(pick(e, "summary"))}</small></li>`;
  }).join("") : `<li>${esc(t("response.feed_empty"))}</li>`;
  root.dataset.feed = String(entries.length);
}

export async function show(element) {
  root = element;
  layout();
  try {
    await Promise.all([loadIncidents(), loadFeed()]);
  } catch (error) { q("#cap-error").textContent = error.message; }
}
