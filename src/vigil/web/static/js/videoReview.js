// The video event review queue, modelled on Frigate's review flow: open events first, newest
// first, each with its snapshot (people blurred: the only kind the worker stores), and a
// verdict, confirmed or false alarm, with an optional note. Keyboard: Tab to the buttons, or
// C (confirm), F (false alarm), J / K (next / previous) while the review panel has the focus.
// The queue comes in pages, newest first: "Load more" follows the server's `Link: rel=next`
// cursor. An event keeps its place when it is reviewed and new events head the queue, so the
// pages never repeat or skip one. A refresh (every few seconds, and after a verdict) reads
// again every page loaded, up to where they ended, and keeps the "Load more" after them.
import { language, t } from "./i18n.js";
import { api, apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";
import { fieldErrors, label } from "./opsmap.js";

let root = null;
let cameras = [];
let queue = [];
let current = null;
let snapshotUrl = null;
let nextPage = null; // the URL of the page after those shown, while there may be one
let pending = Promise.resolve(); // loads run one after another, never over each other
const q = (sel) => root.querySelector(sel);
const PAGE = 50;
const MAX_PAGE = 500; // the server's largest page

export const reviewState = { queue: 0, open: 0, current: null, snapshot: false, more: false, pages: 0, refreshes: 0 }; // for tests

const KINDS = ["intrusion", "loitering", "line_crossing", "crowd_density", "crowd_surge", "abandoned_object"];

export function layoutReview(element, knownCameras) {
  root = element;
  cameras = knownCameras;
  queue = [];
  nextPage = null;
  reviewState.pages = 0;
  const options = (items) => items.map(([value, text]) => `<option value="${esc(value)}">${esc(text)}</option>`).join("");
  root.innerHTML = `<h3 id="review-title">${esc(t("video.review_title"))}</h3>
  <form id="review-filters" class="grid">
    <label>${esc(t("video.review_state"))}<select name="state">${options([["open", t("video.review_open")], ["", t("video.review_all")], ["confirmed", t("video.review_confirmed")], ["false_alarm", t("video.review_false_alarm")]])}</select></label>
    <label>${esc(t("video.camera"))}<select name="camera_id">${options([["", t("video.any")], ...cameras.map((c) => [c.id, c.code])])}</select></label>
    <label>${esc(t("video.kind"))}<select name="kind">${options([["", t("video.any")], ...KINDS.map((k) => [k, label(`video.kind_${k}`, k)])])}</select></label>
  </form>
  <div class="grid review">
    <div><div class="scroll" tabindex="0" role="region" aria-labelledby="review-caption"><table class="striped"><caption id="review-caption">${esc(t("video.review_caption"))}</caption>
      <thead><tr><th>${esc(t("video.time"))}</th><th>${esc(t("video.camera"))}</th><th>${esc(t("video.kind"))}</th><th>${esc(t("video.zone"))}</th><th>${esc(t("video.review_state"))}</th><th><span class="visually-hidden">${esc(t("video.review_open_one"))}</span></th></tr></thead>
      <tbody id="review-rows"></tbody></table></div>
      <p class="review-more"><small id="review-count" role="status" aria-live="polite"></small>
        <button type="button" id="review-more" class="outline small" hidden>${esc(t("video.review_more"))}</button></p></div>
    <article id="review-panel" tabindex="-1" aria-labelledby="review-panel-title" hidden></article>
  </div>`;
  q("#review-filters").addEventListener("change", () => loadQueue({ fresh: true }));
  q("#review-more").addEventListener("click", async () => {
    const before = queue.length;
    try { await loadMore(); } catch (error) { q("#review-count").textContent = error.message; return; }
    // the focus goes to the first event the page added (the button may be gone now)
    q(`#review-rows tr:nth-child(${before + 1}) [data-review]`)?.focus();
  });
  q("#review-rows").addEventListener("click", (event) => {
    const button = event.target.closest("[data-review]");
    if (button) openEvent(Number(button.dataset.review), true);
  });
  q("#review-panel").addEventListener("keydown", onKey);
}

function onKey(event) {
  if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key === "c" && current?.review_state === "open") { event.preventDefault(); decide("confirmed"); }
  else if (key === "f" && current?.review_state === "open") { event.preventDefault(); decide("false_alarm"); }
  else if (key === "j" || key === "k") { event.preventDefault(); step(key === "j" ? 1 : -1); }
}

function step(by) {
  const at = queue.findIndex((e) => e.id === current?.id);
  const next = queue[at + by];
  if (next) openEvent(next.id, true);
}

function stateText(state) { return t(`video.review_${state}`); }

// The `Link: <url>; rel="next"` of a page, or null on the last one.
export function nextLink(header) {
  const match = /<([^>]+)>\s*;\s*rel="next"/.exec(header || "");
  return match ? match[1] : null;
}

async function fetchPage(url) {
  const response = await api(url);
  return { events: await response.json(), next: nextLink(response.headers.get("Link")) };
}

// One load at a time: a refresh that read the pages while "Load more" added one would
// otherwise put back a list that ends before the page added.
function serial(task) {
  const run = pending.then(task, task);
  pending = run.catch(() => {});
  return run;
}

function queueUrl(extra) {
  const form = new FormData(q("#review-filters"));
  const params = new URLSearchParams(extra);
  for (const key of ["state", "camera_id", "kind"]) if (form.get(key)) params.set(key, form.get(key));
  return `/v1/video/review?${params}`;
}

// Every page from `url` on, following the `Link` cursors.
async function fetchPages(url) {
  let events = [];
  for (let next = url; next;) {
    const page = await fetchPage(next);
    events = events.concat(page.events);
    next = page.next;
  }
  return events;
}

// `fresh` (a new filter, the screen opening) starts over at one page. Otherwise a refresh:
// the pages loaded are read again, in pages of the server's largest, up to where they ended
// (`until`, the cursor of the next page, which stays the next page); with nothing left to
// load, to the end. Events reviewed meanwhile show their verdict (or leave a filter that no
// longer holds them), new ones head the list, and nothing loaded is dropped.
export function loadQueue({ fresh = false } = {}) {
  return serial(async () => {
    if (fresh || reviewState.pages === 0) {
      const page = await fetchPage(queueUrl({ limit: String(PAGE) }));
      queue = page.events;
      nextPage = page.next;
      reviewState.pages = 1;
    } else {
      const until = nextPage && new URL(nextPage, location.origin).searchParams.get("cursor");
      queue = await fetchPages(queueUrl({ limit: String(MAX_PAGE), ...(until ? { until } : {}) }));
      reviewState.refreshes += 1;
    }
    renderQueue();
    return queue;
  });
}

// The next page, after those shown.
export function loadMore() {
  return serial(async () => {
    if (!nextPage) return queue;
    const button = q("#review-more");
    button.setAttribute("aria-busy", "true");
    try {
      const page = await fetchPage(nextPage);
      queue = queue.concat(page.events);
      nextPage = page.next;
      reviewState.pages += 1;
    } finally { button.removeAttribute("aria-busy"); }
    renderQueue();
    return queue;
  });
}

function renderQueue() {
  const code = Object.fromEntries(cameras.map((c) => [c.id, c.code]));
  q("#review-rows").innerHTML = queue.map((e) => `<tr data-event="${esc(e.id)}"${current?.id === e.id ? ' aria-current="true"' : ""}>
    <td>${formatTime(e.started_at, language())}</td><td class="nowrap">${esc(code[e.camera_id] || e.camera_id)}</td>
    <td class="nowrap">${esc(label(`video.kind_${e.kind}`, e.kind))}</td><td>${esc(e.zone || "—")}</td>
    <td><span class="badge ${esc(e.review_state)}">${esc(stateText(e.review_state))}</span></td>
    <td><button class="small outline" data-review="${esc(e.id)}" aria-label="${esc(t("video.review_open_event", { id: e.id }))}">${esc(t("video.review_open_one"))}</button></td></tr>`).join("")
    || `<tr><td colspan="6">${esc(t("video.review_empty"))}</td></tr>`;
  q("#review-more").hidden = !nextPage;
  q("#review-count").textContent = queue.length
    ? t(nextPage ? "video.review_shown" : "video.review_all_shown", { count: queue.length }) : "";
  reviewState.queue = queue.length;
  reviewState.open = queue.filter((e) => e.review_state === "open").length;
  reviewState.more = Boolean(nextPage);
}

async function snapshotOf(event) {
  if (snapshotUrl) { URL.revokeObjectURL(snapshotUrl); snapshotUrl = null; }
  if (!event.snapshot) return null;
  try {
    const response = await api(`/v1/video/events/${event.id}/snapshot`);
    snapshotUrl = URL.createObjectURL(await response.blob());
    return snapshotUrl;
  } catch { return null; }
}

export async function openEvent(id, focus = false) {
  const event = queue.find((e) => e.id === id);
  if (!event) return;
  current = event;
  reviewState.current = id;
  const panel = q("#review-panel");
  panel.hidden = false;
  panel.dataset.event = String(id);
  for (const row of q("#review-rows").querySelectorAll("tr")) {
    if (row.dataset.event === String(id)) row.setAttribute("aria-current", "true"); else row.removeAttribute("aria-current");
  }
  // the list shows the row under review (deep in a long queue after a verdict, or J / K)
  q("#review-rows tr[aria-current]")?.scrollIntoView({ block: "nearest" });
  const camera = cameras.find((c) => c.id === event.camera_id);
  const image = await snapshotOf(event);
  reviewState.snapshot = Boolean(image);
  const open = event.review_state === "open";
  panel.innerHTML = `<h4 id="review-panel-title">${esc(label(`video.kind_${event.kind}`, event.kind))} · <code>${esc(camera?.code || event.camera_id)}</code></h4>
    ${image ? `<figure><img id="review-snapshot" src="${image}" alt="${esc(t("video.snapshot_alt", { kind: label(`video.kind_${event.kind}`, event.kind), camera: camera?.code || "" }))}"><figcaption>${esc(t("video.snapshot_caption"))}</figcaption></figure>`
      : `<p class="no-snapshot">${esc(t("video.no_snapshot"))}</p>`}
    <dl class="facts"><dt>${esc(t("video.time"))}</dt><dd>${formatTime(event.started_at, language())}</dd>
      <dt>${esc(t("video.zone"))}</dt><dd>${esc(event.zone || "—")}</dd>
      <dt>${esc(t("video.object"))}</dt><dd>${event.label ? esc(label(`video.label_${event.label}`, event.label)) : "—"}</dd>
      <dt>${esc(t("video.review_state"))}</dt><dd id="review-verdict">${esc(stateText(event.review_state))}${event.reviewed_by ? ` · ${esc(t("video.reviewed_by", { who: event.reviewed_by, when: formatTime(event.reviewed_at, language()) }))}` : ""}</dd>
      ${event.review_note ? `<dt>${esc(t("video.review_note"))}</dt><dd>${esc(event.review_note)}</dd>` : ""}</dl>
    ${open ? `<label>${esc(t("video.review_note"))}<input id="review-note" maxlength="500" autocomplete="off"></label>
    <div role="group" aria-label="${esc(t("video.review_verdict"))}">
      <button id="review-confirm" aria-keyshortcuts="C">${esc(t("video.review_confirm"))} <kbd>C</kbd></button>
      <button id="review-false" class="secondary" aria-keyshortcuts="F">${esc(t("video.review_mark_false"))} <kbd>F</kbd></button></div>`
      : `<button id="review-reopen" class="outline small">${esc(t("video.review_reopen"))}</button>`}
    <p class="hint"><small>${esc(t("video.review_keys"))}</small></p>
    <p id="review-message" role="status" aria-live="polite"></p>`;
  panel.querySelector("#review-confirm")?.addEventListener("click", () => decide("confirmed"));
  panel.querySelector("#review-false")?.addEventListener("click", () => decide("false_alarm"));
  panel.querySelector("#review-reopen")?.addEventListener("click", () => decide("open"));
  if (focus) panel.focus({ preventScroll: false });
}

async function decide(state) {
  if (!current) return;
  const id = current.id;
  const note = q("#review-note")?.value.trim();
  const at = queue.findIndex((e) => e.id === id);
  const below = new Set(queue.slice(at + 1).map((e) => e.id));
  try {
    await apiJson(`/v1/video/events/${id}/review`, { method: "POST", json: { state, ...(note ? { note } : {}) } });
  } catch (error) {
    q("#review-message").textContent = Object.values(fieldErrors(error)).join("; ");
    return;
  }
  await loadQueue();
  // on to the next open event below it (Frigate's flow), or above it, else this one where
  // the filter still shows it
  const open = (e) => e.review_state === "open" && e.id !== id;
  const next = state !== "open" && (queue.find((e) => open(e) && below.has(e.id)) || queue.find(open));
  const target = next || queue.find((e) => e.id === id);
  const done = t("video.review_done", { id, state: stateText(state) });
  if (target) {
    await openEvent(target.id, true);
  } else {
    current = null;
    reviewState.current = null;
    q("#review-panel").innerHTML = `<p id="review-message" role="status" aria-live="polite"></p>`;
    q("#review-panel").focus();
  }
  q("#review-message").textContent = done;
}
