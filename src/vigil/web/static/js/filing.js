// A business's own screen: file a record, upload a CSV/XLSX file (errors shown against
// the spreadsheet's line numbers), its own submissions and its compliance record.
import { t } from "./i18n.js";
import { api, apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";
import { language } from "./i18n.js";

const SECTORS = ["hotel", "secondhand", "motor", "venue", "parcel"];
const DOC_TYPES = ["cn_resident_id", "passport"];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const COMPLIANCE_FIELDS = ["organisation", "filings", "on_time", "late", "missing", "rows_accepted", "rows_duplicate", "rows_rejected", "rejected_rate"];
let root = null;
let me = null;
const q = (sel) => root.querySelector(sel);

function hotelFields() {
  return `
  <div class="grid">
    <label>${esc(t("filing.guest_name"))}<input name="guest.name" required maxlength="200"></label>
    <label>${esc(t("filing.doc_type"))}<select name="guest.doc_type">${DOC_TYPES.map((d) => `<option value="${d}">${esc(t(`doc.${d}`))}</option>`).join("")}</select></label>
    <label>${esc(t("filing.id_number"))}<input name="guest.id_number" required maxlength="40"></label>
  </div>
  <div class="grid">
    <label>${esc(t("filing.nationality"))}<input name="guest.nationality" maxlength="3" value="CHN"></label>
    <label>${esc(t("filing.check_in"))}<input name="check_in" type="datetime-local" required></label>
    <label>${esc(t("filing.room"))}<input name="room" required maxlength="20"></label>
  </div>`;
}

function recordFrom(form) {
  const sector = form.sector.value;
  if (sector !== "hotel") return JSON.parse(form.record.value || "{}");
  const data = new FormData(form);
  const guest = { name: data.get("guest.name"), doc_type: data.get("guest.doc_type"), id_number: data.get("guest.id_number") };
  if (data.get("guest.nationality")) guest.nationality = data.get("guest.nationality");
  const checkIn = data.get("check_in");
  return { guest, check_in: checkIn ? new Date(checkIn).toISOString() : "", room: data.get("room") };
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
    q("#sector-fields").innerHTML = form.sector.value === "hotel" ? hotelFields()
      : `<label>${esc(t("filing.record_json"))}<textarea name="record" rows="8" required></textarea></label>`;
  };
  form.sector.addEventListener("change", fields);
  fields();
  form.addEventListener("submit", fileOne);
  q("#upload-form").addEventListener("submit", upload);
}

function errorList(errors, lineOf) {
  return `<table class="errors"><thead><tr><th>${esc(t("filing.line"))}</th><th>${esc(t("filing.field"))}</th><th>${esc(t("filing.message"))}</th></tr></thead><tbody>`
    + errors.map((e) => `<tr><td>${esc(lineOf(e))}</td><td>${esc(e.field ?? e.loc ?? "")}</td><td>${esc(e.message ?? e.msg ?? "")}</td></tr>`).join("")
    + "</tbody></table>";
}

async function fileOne(event) {
  event.preventDefault();
  const box = q("#filing-result");
  try {
    const record = recordFrom(event.target);
    const done = await apiJson(`/v1/intake/${event.target.sector.value}`, { method: "POST", json: record });
    box.innerHTML = `<p class="ok">${esc(t("filing.accepted", { ids: done.submission_ids.join(", ") }))}</p>`;
    loadLists();
  } catch (error) {
    const fieldErrors = (error.problem && error.problem.errors) || [];
    box.innerHTML = `<p class="error">${esc(error.message)}</p>` + (fieldErrors.length ? errorList(fieldErrors, () => "—") : "");
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
      + (report.errors.length ? errorList(report.errors, (e) => e.row + 1) : "");
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
      .map((k) => `<tr><th scope="row">${esc(t(`compliance.${k}`))}</th><td>${esc(record[k] ?? "—")}</td></tr>`).join("")}</table>`;
  } catch (error) {
    q("#compliance").innerHTML = `<p class="error">${esc(error.message)}</p>`;
  }
}

export async function show(element, who) {
  root = element;
  me = who;
  layout();
  await loadLists();
}
