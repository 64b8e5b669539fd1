// The supervisor's reward approvals: rewards proposed for tips (amount, proposer, tip
// number; never the tip's text or tipster), approved or refused by someone who did not
// propose them.
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime, rowButtonText } from "./render.js";

async function load(box) {
  const rewards = await apiJson("/v1/rewards?status=proposed");
  box.querySelector("#reward-rows").innerHTML = rewards.length ? `<table><thead><tr><th>#</th><th>${esc(t("rewards.tip"))}</th>
    <th>${esc(t("rewards.amount"))}</th><th>${esc(t("approvals.proposer"))}</th><th>${esc(t("rewards.proposed_at"))}</th>
    <th>${esc(t("approvals.decision"))}</th></tr></thead><tbody>` + rewards.map((r) => `<tr><td>${esc(r.id)}</td><td>${esc(r.tip_id)}</td>
    <td>${esc((r.amount_cents / 100).toFixed(2))} ${esc(r.currency)}</td><td>${esc(r.proposed_by)}</td><td>${formatTime(r.created_at, language())}</td>
    <td><button class="small" data-reward="${esc(r.id)}" data-approve="1">${rowButtonText(t("approvals.approve"), `#${r.id}`)}</button>
    <button class="small secondary" data-reward="${esc(r.id)}" data-approve="">${rowButtonText(t("approvals.refuse"), `#${r.id}`)}</button></td></tr>`).join("")
    + "</tbody></table>" : `<p>${esc(t("rewards.none"))}</p>`;
}

export async function showRewards(box) {
  box.innerHTML = `<h3>${esc(t("rewards.title"))}</h3><div id="reward-rows"></div><p id="rewards-error" class="error" role="alert"></p>`;
  box.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-reward]");
    if (!button) return;
    try {
      await apiJson(`/v1/rewards/${button.dataset.reward}/approval`, { method: "POST", json: { approve: Boolean(button.dataset.approve) } });
      await load(box);
    } catch (error) { box.querySelector("#rewards-error").textContent = error.message; }
  });
  try { await load(box); } catch (error) { box.querySelector("#rewards-error").textContent = error.message; }
}
