// The auditor's screen: the chain's verification and the log, filtered by actor, purpose,
// action and outcome, paged on by sequence number.
import { t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";
import { language } from "./i18n.js";

let root = null;
let entries = [];

function render() {
  const f = new FormData(root.querySelector("#audit-filters"));
  const keep = entries.filter((e) => ["actor", "purpose", "action", "outcome"].every((k) =>
    !f.get(k) || String(e[k] ?? "").toLowerCase().includes(String(f.get(k)).toLowerCase())));
  root.querySelector("#audit-rows").innerHTML = keep.map((e) => `<tr class="${esc(e.outcome)}"><td>${esc(e.seq)}</td>
    <td>${formatTime(e.at, language())}</td><td>${esc(e.actor)}</td><td>${esc(e.action)}</td><td>${esc(e.object_type)} ${esc(e.object_id ?? "")}</td>
    <td>${esc(e.purpose ?? "")}</td><td>${esc(e.legal_basis ?? "")}</td><td>${esc(e.outcome)}</td></tr>`).join("");
  root.querySelector("#audit-count").textContent = t("audit.shown", { shown: keep.length, loaded: entries.length });
}

async function more() {
  const after = entries.length ? entries[entries.length - 1].seq : 0;
  const page = await apiJson(`/v1/audit?after_seq=${after}&limit=500`);
  entries = entries.concat(page);
  render();
}

export async function show(element) {
  root = element;
  entries = [];
  root.innerHTML = `<h2>${esc(t("audit.title"))}</h2>
  <p id="verify" role="status"></p>
  <form id="audit-filters" class="grid filters">
    ${["actor", "purpose", "action", "outcome"].map((k) => `<label>${esc(t(`audit.${k}`))}<input name="${k}"></label>`).join("")}
  </form>
  <p id="audit-count"></p>
  <table class="striped"><thead><tr><th>#</th><th>${esc(t("audit.at"))}</th><th>${esc(t("audit.actor"))}</th><th>${esc(t("audit.action"))}</th>
    <th>${esc(t("audit.object"))}</th><th>${esc(t("audit.purpose"))}</th><th>${esc(t("audit.basis"))}</th><th>${esc(t("audit.outcome"))}</th></tr></thead>
    <tbody id="audit-rows"></tbody></table>
  <button id="audit-more" class="outline">${esc(t("audit.more"))}</button>`;
  root.querySelector("#audit-filters").addEventListener("input", render);
  root.querySelector("#audit-more").addEventListener("click", more);
  const verify = await apiJson("/v1/audit/verify");
  root.querySelector("#verify").textContent = verify.intact ? t("audit.intact", { count: verify.count }) : t("audit.broken", { seq: verify.first_bad_seq ?? "?" });
  await more();
}
