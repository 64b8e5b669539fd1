// Cases and clues: the agency's cases, a case's timeline and tasks, its clue board (Admiralty
// grades, TLP 2.0 badges), sharing a clue to another agency (the API enforces the marking and
// the refusal is shown as it says), and the case's link graph drawn with Cytoscape.js.
import { language, t } from "./i18n.js";
import { apiJson } from "./session.js";
import { esc, formatTime, rowButtonText } from "./render.js";
import { askBasis } from "./basis.js";

let root = null;
let opened = null; // {caseId, basis}
export const caseGraph = { nodes: [], edges: [] }; // what the graph holds, for tests
window.caseGraph = caseGraph;
const q = (sel) => root.querySelector(sel);
const KIND_COLOURS = { person: "#1565c0", phone: "#6a1b9a", vehicle: "#2e7d32", place: "#ef6c00", address: "#00838f", event: "#5d4037" };

export const tlpBadge = (tlp) => `<span class="tlp tlp-${esc(String(tlp).replace("+", "-"))}">TLP:${esc(tlp)}</span>`;

function listHtml(cases) {
  if (!cases.length) return `<p>${esc(t("cases.none"))}</p>`;
  return `<table class="striped"><thead><tr><th>#</th><th>${esc(t("cases.case_title"))}</th><th>${esc(t("cases.status"))}</th>
    <th>${esc(t("cases.basis"))}</th><th></th></tr></thead><tbody>` + cases.map((c) => `<tr>
    <td>${esc(c.id)}</td><td>${esc(c.title)}</td><td><span class="badge">${esc(t(`cases.state.${c.status}`))}</span></td>
    <td><code>${esc(c.legal_basis)}</code> ${c.basis_active ? `<small class="ok">${esc(t("cases.approved"))}</small>` : `<small>${esc(t("cases.unapproved"))}</small>`}</td>
    <td>${c.basis_active ? `<button class="small outline" data-case="${esc(c.id)}">${rowButtonText(t("cases.open"), c.title)}</button>` : ""}</td></tr>`).join("")
    + "</tbody></table>";
}

function clueHtml(clue, agencies) {
  const others = agencies.filter((a) => a.kind === "agency" && a.id !== clue.organisation_id);
  return `<article class="clue" data-clue="${esc(clue.id)}">
    <header><strong>${esc(t("cases.clue", { id: clue.id }))}</strong> ${tlpBadge(clue.tlp)}
      <span class="badge grade" title="${esc(t("cases.grading_help"))}">${esc(clue.grading)}</span>
      <small>${esc(t(`cases.source.${clue.source_type}`))} · ${formatTime(clue.created_at, language())}</small></header>
    <p>${esc(clue.text)}</p>
    ${clue.entities.length ? `<p>${clue.entities.map((e) => `<span class="chip">${esc(t(`cases.kind.${e.kind}`))}: ${esc(e.label)}</span>`).join(" ")}</p>` : ""}
    <p><small>${esc(t("cases.handling"))}: ${esc(clue.handling)}</small></p>
    <form class="share grid" data-clue="${esc(clue.id)}">
      <label>${esc(t("cases.share_to"))}<select name="org">${others.map((a) => `<option value="${a.id}">${esc(a.name)}</option>`).join("")}</select></label>
      <button type="submit" class="small secondary">${esc(t("cases.share"))}</button>
    </form>
    <p class="share-result" role="status"></p>
  </article>`;
}

function drawGraph(graph) {
  const nodes = Object.entries(graph.entities).map(([id, e]) => ({ data: { id: `e${id}`, label: e.label, kind: e.kind } }));
  const edges = graph.edge_list.map(([a, b], i) => ({ data: { id: `l${i}`, source: `e${a}`, target: `e${b}` } }));
  caseGraph.nodes = nodes.map((n) => n.data);
  caseGraph.edges = edges.map((e) => e.data);
  q("#case-graph-summary").textContent = t("cases.graph_summary", { nodes: graph.nodes, edges: graph.edges });
  if (!window.cytoscape) return;
  window.cytoscape({
    container: q("#case-graph"),
    elements: [...nodes, ...edges],
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": (n) => KIND_COLOURS[n.data("kind")] || "#555", color: "#222", "text-valign": "bottom", "text-margin-y": 3 } },
      { selector: "edge", style: { width: 1.5, "line-color": "#999" } },
    ],
    layout: { name: "cose", animate: false, randomize: false },
  });
  q("#case-graph").dataset.ready = "true";
}

async function openCase(id) {
  const choice = { purpose: "investigation", legal_basis: `case:${id}`, hint: "basis.hint_case", title: q(`[data-case="${id}"]`)?.closest("tr")?.children[1]?.textContent || "" };
  const basis = opened && opened.caseId === id ? opened.basis : await askBasis([choice]);
  if (!basis) { q("#cases-error").textContent = t("basis.refused"); return; }
  opened = { caseId: id, basis };
  const [detail, agencies, graph] = await Promise.all([
    apiJson(`/v1/cases/${id}`, { basis }),
    apiJson("/v1/organisations"),
    apiJson(`/v1/cases/${id}/graph`, { basis }),
  ]);
  const clues = await Promise.all(detail.clue_ids.map((c) => apiJson(`/v1/clues/${c}`, { basis })));
  q("#case-detail").hidden = false;
  q("#case-detail").innerHTML = `<h3>${esc(detail.title)} <span class="badge">${esc(t(`cases.state.${detail.status}`))}</span></h3>
    <p>${esc(detail.description)}</p>
    <p class="basis-line">${esc(t("alerts.basis_in_use"))} <code>${esc(basis.legal_basis)}</code> · ${esc(t("cases.assignees"))}: ${esc(detail.assignees.join(", ") || "—")}</p>
    <div class="grid case-columns">
      <section><h4>${esc(t("cases.clues"))}</h4><div id="clue-board">${clues.map((c) => clueHtml(c, agencies)).join("") || `<p>${esc(t("cases.no_clues"))}</p>`}</div></section>
      <section><h4>${esc(t("cases.graph"))}</h4><div id="case-graph" role="img" aria-label="${esc(t("cases.graph"))}"></div>
        <p id="case-graph-summary"></p>
        <h4>${esc(t("cases.tasks"))}</h4><ul>${detail.tasks.map((k) => `<li>${k.done ? "✔" : "○"} ${esc(k.title)}</li>`).join("") || `<li>—</li>`}</ul>
        <h4>${esc(t("cases.timeline"))}</h4><ol class="timeline">${detail.timeline.map((e) => `<li><small>${formatTime(e.at, language())} · ${esc(e.actor)}</small> ${esc(t(`cases.event.${e.kind}`))} ${esc(e.text)}</li>`).join("")}</ol></section>
    </div>`;
  drawGraph(graph);
}

async function share(form) {
  const result = form.parentElement.querySelector(".share-result");
  result.className = "share-result";
  try {
    await apiJson(`/v1/clues/${form.dataset.clue}/shares`, { method: "POST", basis: opened.basis, json: { recipient_org_id: Number(form.org.value) } });
    result.classList.add("ok");
    result.textContent = t("cases.shared", { agency: form.org.selectedOptions[0].textContent });
  } catch (error) {
    result.classList.add("error");
    result.textContent = t("cases.share_refused", { reason: error.message });
  }
}

export async function show(element) {
  root = element;
  root.innerHTML = `<h2>${esc(t("cases.title"))}</h2>
    <p id="cases-error" class="error" role="alert"></p>
    <div id="case-list"></div><article id="case-detail" hidden></article>`;
  q("#case-list").addEventListener("click", (event) => {
    const button = event.target.closest("[data-case]");
    if (button) openCase(Number(button.dataset.case)).catch((e) => { q("#cases-error").textContent = e.message; });
  });
  root.addEventListener("submit", (event) => {
    const form = event.target.closest("form.share");
    if (!form) return;
    event.preventDefault();
    share(form);
  });
  try {
    q("#case-list").innerHTML = listHtml(await apiJson("/v1/cases"));
    if (opened) await openCase(opened.caseId);
  } catch (error) { q("#cases-error").textContent = error.message; }
}
