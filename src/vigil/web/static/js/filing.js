// A business's own screen: file a record, upload a CSV/XLSX file (errors shown against
// the spreadsheet's line numbers), its own submissions and its compliance record.
import { t } from "./i18n.js";
import { api, apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";
import { language } from "./i18n.js";

const ALL_SECTORS = ["hotel", "secondhand", "motor", "venue", "parcel", "chemical"];
// Which kind of business files each sector (a courier files parcels, a precursor seller
// its chemical sales).
const BUSINESS_SECTOR = { hotel: "hotel", secondhand: "secondhand", motor: "motor", venue: "venue", parcel: "courier", chemical: "chemical" };
let SECTORS = ALL_SECTORS;
// The refusal rate is a share of the rows filed: shown as a percentage, in the console's language.
function complianceValue(field, value) {
  if (value === null || value === undefined) return "—";
  if (field !== "rejected_rate") return value;
  return new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 1 }).format(value);
}
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const COMPLIANCE_FIELDS = ["organisation", "filings", "on_time", "late", "missing", "rows_accepted", "rows_duplicate", "rows_rejected", "rejected_rate"];
let root = null;
let me = null;
// A seller files under its own licence each time: the last one it filed with fills the field.
const licenceKey = () => `vigil.seller_licence.${me.organisation_id}`;
const q = (sel) => root.querySelector(sel);

// Each sector's form: [path, input, required, label key]; a dotted path nests (guest.name).
const PERSON = (role) => [
  [`${role}.name`, "text", true, "field.person_name"],
  [`${role}.doc_type`, "doc", true, "field.doc_type"],
  [`${role}.id_number`, "text", true, "field.id_number"],
  [`${role}.nationality`, "country", false, "field.nationality"],
  // as the register holds it: a full date, a year and month, or a year (the server checks it)
  [`${role}.birth_date`, "birth", false, "field.birth_date"],
];
const FORMS = {
  hotel: [...PERSON("guest"), ["check_in", "datetime", true, "field.check_in"], ["check_out", "datetime", false, "field.check_out"],
    ["room", "text", true, "field.room"], ["stay_ref", "text", false, "field.stay_ref"]],
  secondhand: [...PERSON("seller"), ["item.category", "item_category", true, "field.item_category"],
    ["item.description", "text", true, "field.item_description"], ["item.brand", "text", false, "field.brand"],
    ["item.model", "text", false, "field.model"], ["item.serial_number", "text", false, "field.serial_number"],
    ["item.imei", "text", false, "field.imei"], ["price", "number", true, "field.price"],
    ["transacted_at", "datetime", true, "field.transacted_at"]],
  motor: [...PERSON("customer"), ["plate", "text", true, "field.plate"], ["vin", "text", true, "field.vin"],
    ["work_type", "work_type", true, "field.work_type"], ["description", "text", false, "field.work_description"],
    ["performed_at", "datetime", true, "field.performed_at"]],
  venue: [...PERSON("visitor"), ["venue", "text", true, "field.venue"], ["entered_at", "datetime", true, "field.entered_at"],
    ["exited_at", "datetime", false, "field.exited_at"], ["terminal_id", "text", false, "field.terminal_id"]],
  parcel: [...PERSON("sender"), ["sender_verified", "bool", false, "field.sender_verified"],
    ["sender_address", "text", true, "field.sender_address"], ["recipient_name", "text", false, "field.recipient_name"],
    ["recipient_address", "text", true, "field.recipient_address"], ["declared_contents", "text", true, "field.declared_contents"],
    ["weight_kg", "number", true, "field.weight_kg"], ["pieces", "integer", true, "field.pieces"],
    ["courier", "text", true, "field.courier"], ["waybill", "text", true, "field.waybill"],
    ["accepted_at", "datetime", true, "field.accepted_at"]],
  // a sale of an explosive precursor: a business buyer also gives its name and licence
  chemical: [["seller_licence", "text", true, "field.seller_licence"], ["buyer_kind", "buyer_kind", true, "field.buyer_kind"],
    ["buyer_business", "text", false, "field.buyer_business"], ["buyer_licence", "text", false, "field.buyer_licence"],
    ...PERSON("buyer"), ["substance_cas", "text", true, "field.substance_cas"],
    ["substance_name", "text", false, "field.substance_name"], ["concentration_pct", "number", true, "field.concentration_pct"],
    ["quantity", "number", true, "field.quantity"], ["unit", "measure", true, "field.unit"],
    ["stated_use", "stated_use", true, "field.stated_use"], ["stated_use_detail", "text", false, "field.stated_use_detail"],
    ["payment", "payment", true, "field.payment"], ["sold_at", "datetime", true, "field.sold_at"],
    ["sale_ref", "text", false, "field.sale_ref"]],
};
const CHOICES = {
  doc: ["cn_resident_id", "passport", "other"].map((v) => [v, `doc.${v}`]),
  item_category: ["phone", "computer", "camera", "jewellery", "watch", "bicycle", "ebike", "vehicle_part", "other"].map((v) => [v, `item.${v}`]),
  work_type: ["engine_swap", "body_or_frame", "colour_change", "lighting", "other"].map((v) => [v, `work.${v}`]),
  buyer_kind: ["private", "business"].map((v) => [v, `buyer_kind.${v}`]),
  measure: ["kg", "g", "t", "L", "mL"].map((v) => [v, `measure.${v}`]),
  stated_use: ["hair_cosmetics", "cleaning", "laboratory", "pool_water", "agriculture", "industry", "other"].map((v) => [v, `use.${v}`]),
  payment: ["traceable", "cash"].map((v) => [v, `payment.${v}`]),
};

function inputHtml([path, kind, required, label]) {
  const req = required ? " required" : "";
  const name = `name="${esc(path)}"`;
  if (CHOICES[kind]) {
    return `<label>${esc(t(label))}<select ${name}${req}>${CHOICES[kind].map(([v, key]) => `<option value="${v}">${esc(t(key))}</option>`).join("")}</select></label>`;
  }
  if (kind === "bool") return `<label><input type="checkbox" ${name}> ${esc(t(label))}</label>`;
  const type = { datetime: "datetime-local", number: "number", integer: "number" }[kind] || "text";
  const extra = kind === "number" ? ' step="any" min="0"' : kind === "integer" ? ' step="1" min="1"' : kind === "country" ? ' maxlength="3" value="CHN"'
    : kind === "birth" ? ' maxlength="10" pattern="[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?" placeholder="YYYY-MM-DD"' : ' maxlength="500"';
  return `<label>${esc(t(label))}<input type="${type}" ${name}${extra}${req}></label>`;
}

function sectorFields(sector) {
  const fields = FORMS[sector];
  let html = "";
  for (let i = 0; i < fields.length; i += 3) html += `<div class="grid">${fields.slice(i, i + 3).map(inputHtml).join("")}</div>`;
  return html;
}

function recordFrom(form) {
  const record = {};
  for (const [path, kind] of FORMS[form.sector.value]) {
    const input = form.elements[path];
    let value = kind === "bool" ? input.checked : input.value.trim();
    if (value === "") continue;
    if (kind === "datetime") value = new Date(value).toISOString();
    if (kind === "number") value = Number(value);
    if (kind === "integer") value = parseInt(value, 10);
    const keys = path.split(".");
    let target = record;
    for (const key of keys.slice(0, -1)) target = target[key] = target[key] || {};
    target[keys[keys.length - 1]] = value;
  }
  return record;
}

function layout() {
  root.innerHTML = `
  <h2>${esc(t("filing.title"))}</h2>
  <article>
    <form id="filing-form">
      <h3>${esc(t("filing.one_record"))}</h3>
      <label>${esc(t("filing.sector"))}<select name="sector">${SECTORS.map((s) => `<option value="${s}">${esc(t(`sector.${s}`))}</option>`).join("")}</select></label>
      <div id="sector-fields"></div>
      <button type="submit">${esc(t("filing.submit"))}</button>
      <div id="filing-result" role="status"></div>
    </form>
  </article>
  <article>
    <form id="upload-form">
      <h3>${esc(t("filing.upload"))}</h3>
      <div class="grid">
        <label>${esc(t("filing.sector"))}<select name="sector">${SECTORS.map((s) => `<option value="${s}">${esc(t(`sector.${s}`))}</option>`).join("")}</select></label>
        <label>${esc(t("filing.file"))}<input type="file" name="file" accept=".csv,.xlsx,text/csv,${XLSX}" required></label>
      </div>
      <button type="submit">${esc(t("filing.send_file"))}</button>
    </form>
    <div id="upload-result" role="status"></div>
  </article>
  <article><h3>${esc(t("filing.submissions"))}</h3><div id="submissions"></div></article>
  <article><h3>${esc(t("filing.compliance"))}</h3><div id="compliance"></div></article>`;
  const form = q("#filing-form");
  const fields = () => {
    q("#sector-fields").innerHTML = sectorFields(form.sector.value);
    const licence = form.elements.seller_licence;
    if (licence) licence.value = localStorage.getItem(licenceKey()) || "";
  };
  form.sector.addEventListener("change", fields);
  fields();
  form.addEventListener("submit", fileOne);
  q("#upload-form").addEventListener("submit", upload);
}

// A field the form has is shown by its label, with the server's name for it after.
function fieldName(sector, name) {
  const field = (FORMS[sector] || []).find(([path]) => path === name);
  return field ? `${t(field[3])} (${name})` : name;
}

// A file's errors name the spreadsheet line; a form's need no line column.
function errorList(errors, sector, lineOf = null) {
  const line = (e) => (lineOf ? `<td>${esc(lineOf(e))}</td>` : "");
  return `<table class="errors"><thead><tr>${lineOf ? `<th>${esc(t("filing.line"))}</th>` : ""}<th>${esc(t("filing.field"))}</th><th>${esc(t("filing.message"))}</th></tr></thead><tbody>`
    + errors.map((e) => `<tr>${line(e)}<td>${esc(fieldName(sector, e.field ?? e.loc ?? ""))}</td><td>${esc(e.message ?? e.msg ?? "")}</td></tr>`).join("")
    + "</tbody></table>";
}

async function fileOne(event) {
  event.preventDefault();
  const box = q("#filing-result");
  try {
    const record = recordFrom(event.target);
    const done = await apiJson(`/v1/intake/${event.target.sector.value}`, { method: "POST", json: record });
    if (record.seller_licence) localStorage.setItem(licenceKey(), record.seller_licence);
    box.innerHTML = `<p class="ok">${esc(t("filing.accepted", { ids: done.submission_ids.join(", ") }))}</p>`;
    loadLists();
  } catch (error) {
    const fieldErrors = (error.problem && error.problem.errors) || [];
    box.innerHTML = `<p class="error">${esc(error.message)}</p>` + (fieldErrors.length ? errorList(fieldErrors, event.target.sector.value) : "");
  }
}

async function upload(event) {
  event.preventDefault();
  const form = event.target;
  const file = form.file.files[0];
  const box = q("#upload-result");
  const type = file.name.toLowerCase().endsWith(".xlsx") ? XLSX : "text/csv";
  try {
    const report = await apiJson(`/v1/intake/${form.sector.value}/upload`, { method: "POST", body: file, headers: { "Content-Type": type } });
    // Row n of the report is the n-th data row; the header is line 1 of the spreadsheet.
    box.innerHTML = `<p>${esc(t("filing.report", { rows: report.rows, stored: report.stored, rejected: report.rejected, duplicates: report.duplicates }))}</p>`
      + (report.errors.length ? errorList(report.errors, form.sector.value, (e) => e.row + 1) : "");
    loadLists();
  } catch (error) {
    box.innerHTML = `<p class="error">${esc(error.message)}</p>`;
  }
}

async function loadLists() {
  const page = await apiJson("/v1/intake/submissions?limit=100");
  const items = page.items.slice(-20).reverse();
  q("#submissions").innerHTML = items.length ? `<table><thead><tr><th>#</th><th>${esc(t("filing.sector"))}</th><th>${esc(t("filing.event"))}</th><th>${esc(t("filing.event_time"))}</th><th>${esc(t("filing.received"))}</th></tr></thead><tbody>`
    + items.map((s) => `<tr><td>${esc(s.id)}</td><td>${esc(t(`sector.${s.sector}`))}</td><td>${esc(t(`event.${s.event_kind}`))}</td><td>${formatTime(s.event_time, language())}</td><td>${formatTime(s.filed_at, language())}</td></tr>`).join("")
    + "</tbody></table>" : `<p>${esc(t("filing.none"))}</p>`;
  try {
    const record = await apiJson(`/v1/intake/compliance/${me.organisation_id}`);
    q("#compliance").innerHTML = `<table>${COMPLIANCE_FIELDS
      .map((k) => `<tr><th scope="row">${esc(t(`compliance.${k}`))}</th><td>${esc(complianceValue(k, record[k]))}</td></tr>`).join("")}</table>`;
  } catch (error) {
    q("#compliance").innerHTML = `<p class="error">${esc(error.message)}</p>`;
  }
}

export async function show(element, who) {
  root = element;
  me = who;
  // only the sectors this business may file (the API refuses the others)
  const own = await apiJson(`/v1/intake/compliance/${me.organisation_id}`).catch(() => null);
  const mine = ALL_SECTORS.filter((sector) => own && BUSINESS_SECTOR[sector] === own.sector);
  SECTORS = mine.length ? mine : ALL_SECTORS;
  layout();
  await loadLists();
}
