// Partners: the agency's sharing agreements both ways, the TAXII collections each one
// opens, and the last pull and push per partner collection with its report.
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";

function collectionsHtml(list) {
  if (!list.length) return `<span>${esc(t("partners.noCollections"))}</span>`;
  return `<ul>${list.map((c) => `<li>${esc(c.title)}<br><small><code>${esc(c.id)}</code></small></li>`).join("")}</ul>`;
}

function reportText(sync) {
  const r = sync.report || {};
  if (sync.direction === "pull") {
    return t("partners.pulled", { objects: r.objects ?? 0, imported: r.imported ?? 0, merged: r.merged ?? 0, skipped: r.skipped ?? 0 });
  }
  const withheld = Object.values(r.withheld || {}).reduce((a, b) => a + b, 0);
  return t("partners.pushed", { pushed: r.pushed ?? 0, accepted: (r.status || {}).success_count ?? 0, withheld });
}

function agreementsHtml(agreements) {
  if (!agreements.length) return `<p>${esc(t("partners.noAgreements"))}</p>`;
  return `<table id="partner-agreements"><caption>${esc(t("partners.agreements"))}</caption><thead><tr>
    <th scope="col">${esc(t("partners.agreement"))}</th><th scope="col">${esc(t("partners.partner"))}</th>
    <th scope="col">${esc(t("partners.direction"))}</th><th scope="col">${esc(t("partners.tlp"))}</th>
    <th scope="col">${esc(t("partners.expires"))}</th><th scope="col">${esc(t("partners.inForce"))}</th>
    <th scope="col">${esc(t("partners.opens"))}</th></tr></thead><tbody>`
    + agreements.map((a) => `<tr><td>agreement:${esc(String(a.id))}</td><td>${esc(a.partner)}</td>
      <td>${esc(t(`partners.${a.direction}`))}</td><td>TLP:${esc(a.max_tlp)}</td>
      <td>${a.expires_at ? formatTime(a.expires_at, language()) : esc(t("partners.never"))}</td>
      <td>${esc(t(a.in_force ? "partners.yes" : "partners.no"))}</td>
      <td>${collectionsHtml(a.collections)}</td></tr>`).join("")
    + "</tbody></table>";
}

function syncsHtml(syncs) {
  if (!syncs.length) return `<p>${esc(t("partners.noSyncs"))}</p>`;
  return `<table id="partner-syncs"><caption>${esc(t("partners.syncs"))}</caption><thead><tr>
    <th scope="col">${esc(t("partners.kind"))}</th><th scope="col">${esc(t("partners.collection"))}</th>
    <th scope="col">${esc(t("partners.when"))}</th><th scope="col">${esc(t("partners.by"))}</th>
    <th scope="col">${esc(t("partners.report"))}</th></tr></thead><tbody>`
    + syncs.map((s) => `<tr><td>${esc(t(`partners.${s.direction}`))}</td>
      <td>${esc(s.server)}<br><small><code>${esc(s.collection)}</code></small></td>
      <td>${formatTime(s.last_at, language())}</td><td>${esc(s.last_by)}</td><td>${esc(reportText(s))}</td></tr>`).join("")
    + "</tbody></table>";
}

export async function show(element) {
  element.innerHTML = `<h2>${esc(t("partners.title"))}</h2><div id="partners-body"></div>
    <p id="partners-error" class="error" role="alert"></p>`;
  try {
    const data = await apiJson("/v1/taxii/partners");
    element.querySelector("#partners-body").innerHTML = agreementsHtml(data.agreements)
      + `<h3>${esc(t("partners.own"))}</h3>${collectionsHtml(data.collections)}`
      + `<h3>${esc(t("partners.syncs"))}</h3>${syncsHtml(data.syncs)}`;
    element.dataset.loaded = "true";
  } catch (error) {
    element.querySelector("#partners-error").textContent = error.message;
  }
}
