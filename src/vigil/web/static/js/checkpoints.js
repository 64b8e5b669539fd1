// The auditor's checkpoints: the log's verification, its signed checkpoints with the
// witnesses that cosigned each, and the whole log exported as JSONL (a download).
import { language, t } from "./i18n.js";
import { api, apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";

let root = null;
const q = (sel) => root.querySelector(sel);

async function exportLog() {
  q("#export-state").textContent = t("checkpoints.exporting");
  try {
    const response = await api("/v1/audit/export");
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "")?.[1] || "vigil-audit.jsonl";
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    q("#export-state").textContent = t("checkpoints.exported", { name });
  } catch (error) { q("#export-state").textContent = error.message; }
}

function rowsHtml(checkpoints) {
  return checkpoints.map((c) => `<tr><td>${esc(c.size)}</td><td>${formatTime(c.at, language())}</td>
    <td><code title="${esc(c.root_hash)}">${esc(c.root_hash.slice(0, 16))}…</code></td>
    <td>${c.witnesses.length ? c.witnesses.map((w) => `<span class="badge dispatched">${esc(w)}</span>`).join(" ")
      : `<span class="badge new">${esc(t("checkpoints.unwitnessed"))}</span>`}</td>
    <td><details><summary>${esc(t("checkpoints.note"))}</summary><pre>${esc(c.note)}</pre></details></td></tr>`).join("");
}

export async function show(element) {
  root = element;
  root.innerHTML = `<h2>${esc(t("checkpoints.title"))}</h2>
    <article id="verify-result" aria-live="polite"></article>
    <p><button id="audit-export" class="secondary">${esc(t("checkpoints.export"))}</button> <small id="export-state" role="status"></small></p>
    <p><small>${esc(t("checkpoints.help"))}</small></p>
    <table class="striped"><thead><tr><th>${esc(t("checkpoints.size"))}</th><th>${esc(t("checkpoints.at"))}</th>
      <th>${esc(t("checkpoints.root"))}</th><th>${esc(t("checkpoints.witnesses"))}</th><th>${esc(t("checkpoints.note"))}</th></tr></thead>
      <tbody id="checkpoint-rows"></tbody></table>
    <p id="checkpoints-count"></p>`;
  q("#audit-export").addEventListener("click", exportLog);
  const [verify, checkpoints] = await Promise.all([apiJson("/v1/audit/verify"), apiJson("/v1/audit/checkpoints")]);
  q("#verify-result").className = verify.intact ? "verify-ok" : "verify-bad";
  q("#verify-result").innerHTML = `<strong>${esc(verify.intact ? t("audit.intact", { count: verify.count }) : t("audit.broken", { seq: verify.first_bad_seq ?? "?" }))}</strong>
    <br><small>${esc(verify.summary)}</small>`;
  q("#checkpoint-rows").innerHTML = rowsHtml(checkpoints);
  q("#checkpoints-count").textContent = t("checkpoints.count", { count: checkpoints.length, witnessed: checkpoints.filter((c) => c.witnesses.length).length });
}
