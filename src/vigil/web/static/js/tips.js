// Tips triage for analysts: the public's tips (blurred places only), each taken up as a
// graded, TLP-marked clue of the agency, and a reward proposed for a tipster (a supervisor
// approves it). Read under an approved case as the basis.
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime, rowButtonText } from "./render.js";
import { askCaseBasis } from "./caseBasis.js";

const GRADES = ["A", "B", "C", "D", "E", "F"].flatMap((r) => ["1", "2", "3", "4", "5", "6"].map((c) => r + c));
const TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
let root = null;
let basis = null;
const q = (sel) => root.querySelector(sel);

function rowHtml(tip) {
  const place = tip.h3_cell ? `<code>${esc(tip.h3_cell)}</code><br><small>${esc(tip.latitude?.toFixed(3))}, ${esc(tip.longitude?.toFixed(3))}</small>` : "—";
  const taken = tip.clue_id
    ? `<span class="badge dispatched">${esc(t("tips.clue", { id: tip.clue_id }))}</span>`
    : `<form class="triage" data-tip="${tip.id}">
        <label class="inline">${esc(t("tips.grading"))}<select name="grading">${GRADES.map((g) => `<option ${g === "F6" ? "selected" : ""}>${g}</option>`).join("")}</select></label>
        <label class="inline">TLP<select name="tlp">${TLPS.map((x) => `<option ${x === "AMBER" ? "selected" : ""}>${x}</option>`).join("")}</select></label>
        <button class="small" type="submit">${rowButtonText(t("tips.triage"), `#${tip.id}`)}</button></form>`;
  return `<tr data-tip-row="${tip.id}"><td>${esc(tip.id)}</td><td>${formatTime(tip.created_at, language())}</td>
    <td>${esc(t(`tip.cat.${tip.category}`))}</td>
    <td>${esc(tip.text)}${tip.additions.map((a) => `<br><small>+ ${esc(a)}</small>`).join("")}</td>
    <td>${place}</td><td><span class="badge">${esc(t(`tip.state.${tip.status}`))}</span></td>
    <td>${taken}
      <form class="reward" data-tip="${tip.id}"><label class="inline">${esc(t("tips.reward"))}
        <input name="amount" type="number" min="1" step="1" aria-label="${esc(t("tips.reward_amount"))}"></label>
        <button class="small outline" type="submit">${rowButtonText(t("tips.propose"), `#${tip.id}`)}</button></form></td></tr>`;
}

async function load() {
  const status = q("#tips-status").value;
  const tips = await apiJson(`/v1/tips${status ? `?status=${encodeURIComponent(status)}` : ""}`, { basis });
  tips.reverse(); // newest first
  q("#tips-rows").innerHTML = tips.map(rowHtml).join("");
  q("#tips-count").textContent = t("tips.count", { count: tips.length });
}

async function onSubmit(event) {
  const form = event.target.closest("form.triage, form.reward");
  if (!form) return;
  event.preventDefault();
  const id = Number(form.dataset.tip);
  q("#tips-message").textContent = "";
  q("#tips-error").textContent = "";
  try {
    let message = "";
    if (form.classList.contains("triage")) {
      const done = await apiJson(`/v1/tips/${id}/triage`, { method: "POST", basis, json: { grading: form.grading.value, tlp: form.tlp.value } });
      message = t("tips.triaged", { id, clue: done.clue_id });
    } else {
      const yuan = Number(form.amount.value);
      if (!(yuan > 0)) { q("#tips-error").textContent = t("tips.reward_invalid"); return; }
      const reward = await apiJson("/v1/rewards", { method: "POST", json: { tip_id: id, amount_cents: Math.round(yuan * 100) } });
      message = t("tips.reward_proposed", { id, reward: reward.id });
    }
    await load();
    q("#tips-message").textContent = message; // after the table shows the change
  } catch (error) { q("#tips-error").textContent = error.message; }
}

export async function show(element) {
  root = element;
  root.innerHTML = `<h2>${esc(t("tips.title"))}</h2>
  <p class="basis-line">${esc(t("alerts.basis_in_use"))} <code id="tips-basis"></code></p>
  <form class="grid filters" id="tips-filters"><label>${esc(t("tips.status_filter"))}
    <select id="tips-status"><option value="">${esc(t("tips.all"))}</option>
    ${["received", "triaged", "closed"].map((s) => `<option value="${s}">${esc(t(`tip.state.${s}`))}</option>`).join("")}</select></label></form>
  <p id="tips-message" class="ok" role="status"></p><p id="tips-error" class="error" role="alert"></p>
  <p id="tips-count"></p>
  <table class="striped"><thead><tr><th>#</th><th>${esc(t("tip.received"))}</th><th>${esc(t("tip.category"))}</th>
    <th>${esc(t("tips.text"))}</th><th>${esc(t("tips.place"))}</th><th>${esc(t("tip.status"))}</th><th>${esc(t("tips.actions"))}</th></tr></thead>
    <tbody id="tips-rows"></tbody></table>`;
  q("#tips-rows").addEventListener("submit", onSubmit);
  q("#tips-status").addEventListener("change", () => load().catch((e) => { q("#tips-error").textContent = e.message; }));
  basis = basis || (await askCaseBasis());
  if (!basis) { q("#tips-error").textContent = t("tips.no_case"); return; }
  q("#tips-basis").textContent = `${t(`purpose.${basis.purpose}`)} · ${basis.legal_basis}`;
  try { await load(); } catch (error) { q("#tips-error").textContent = error.message; }
}
