// The supervisor's approvals: watchlist entries proposed by others, each with its
// proposer, legal basis and expiry, approved or refused here.
import { t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime, rowButtonText } from "./render.js";
import { language } from "./i18n.js";
import { askBasis, STATUTE } from "./basis.js";
import { showRewards } from "./rewards.js";

let root = null;
let basis = null;

async function load() {
  const box = root.querySelector("#proposals");
  const list = await apiJson("/v1/screening/watchlist?status=pending", { basis });
  box.innerHTML = list.entries.length ? `<table><thead><tr><th>${esc(t("approvals.entry"))}</th><th>${esc(t("approvals.kind"))}</th>
    <th>${esc(t("approvals.name"))}</th><th>${esc(t("approvals.proposer"))}</th><th>${esc(t("approvals.basis"))}</th>
    <th>${esc(t("approvals.expires"))}</th><th>${esc(t("approvals.decision"))}</th></tr></thead><tbody>`
    + list.entries.map((e) => `<tr><td><code>${esc(e.entry_id)}</code></td><td>${esc(t(`kind.${e.kind}`))}</td>
      <td>${esc(e.name || e.plate || e.serial || e.imei || e.vin || e.description || "")}</td><td>${esc(e.proposed_by)}</td>
      <td>${esc(e.basis_reference)}<br><small>${esc(e.basis_authority)}</small></td><td>${formatTime(e.expires_at, language())}</td>
      <td><button class="small" data-decide="${esc(e.entry_id)}" data-approve="1">${rowButtonText(t("approvals.approve"), e.entry_id)}</button>
      <button class="small secondary" data-decide="${esc(e.entry_id)}" data-approve="">${rowButtonText(t("approvals.refuse"), e.entry_id)}</button></td></tr>`).join("")
    + "</tbody></table>" : `<p>${esc(t("approvals.none"))}</p>`;
}

export async function show(element) {
  root = element;
  root.innerHTML = `<h2>${esc(t("approvals.title"))}</h2><div id="proposals"></div><p id="approvals-error" class="error" role="alert"></p><section id="rewards"></section>`;
  showRewards(root.querySelector("#rewards"));
  root.querySelector("#proposals").addEventListener("click", async (event) => {
    const button = event.target.closest("[data-decide]");
    if (!button) return;
    try {
      await apiJson(`/v1/screening/watchlist/${encodeURIComponent(button.dataset.decide)}/decision`, { method: "POST", json: { approve: Boolean(button.dataset.approve) } });
      await load();
    } catch (error) { root.querySelector("#approvals-error").textContent = error.message; }
  });
  basis = basis || (await askBasis([STATUTE]));
  if (!basis) return;
  try { await load(); } catch (error) { root.querySelector("#approvals-error").textContent = error.message; }
}
