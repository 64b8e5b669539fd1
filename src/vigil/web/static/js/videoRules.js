// The built-in worker's zones, lines and rules for one camera, drawn on a still frame: the
// camera's latest snapshot (people blurred) or, without one, the schematic frame. Points are
// pixels of that frame, as the worker takes them (`vigil video watch --camera`). The camera's
// privacy masks are shown hatched; they are never analysed and cannot be drawn as zones.
// Drawing: click on the frame to add points (or type x, y and "Add point"); a zone closes with
// "Finish", a line with its second point.
import { language, t } from "./i18n.js";
import { api, apiJson } from "./session.js";
import { esc, formatTime } from "./render.js";
import { fieldErrors, label } from "./opsmap.js";

// Times are typed as 24-hour HH:MM in every language (a time input would follow the
// browser's own 12-hour clock whatever the console's language).
const HHMM = "([01][0-9]|2[0-3]):[0-5][0-9]";
const KINDS = ["intrusion", "loitering", "line_crossing", "crowd_density", "crowd_surge", "abandoned_object"];
const DAYS = [0, 1, 2, 3, 4, 5, 6];
const LABELS = ["person", "vehicle", "object"];
// the one threshold each kind takes, and its default (the worker's)
const THRESHOLDS = {
  loitering: ["dwell_s", 30], crowd_density: ["density_per_m2", 2], crowd_surge: ["surge_per_m2", 0.5],
  abandoned_object: ["static_s", 10], intrusion: ["confirm_s", 0.5],
};
let root = null;
let camera = null;
let doc = null; // the server's answer: frame, config, masks
let config = null; // the worker configuration being edited
let frame = { w: 1280, h: 720 };
let mode = null; // "zone" | "line" | null
let draft = [];
let stillUrl = null;
const q = (sel) => root.querySelector(sel);

export const editorState = { camera: null, zones: 0, lines: 0, rules: 0, saved: 0, still: null, frame: null }; // for tests

const pts = (points) => points.map(([x, y]) => `${(+x).toFixed(1)},${(+y).toFixed(1)}`).join(" ");
const r1 = (v) => Math.round(v * 10) / 10;

export async function openEditor(element, cam) {
  root = element;
  camera = cam;
  mode = null;
  draft = [];
  doc = await apiJson(`/v1/video/cameras/${cam.id}/analytics`);
  config = structuredClone(doc.config);
  frame = { w: doc.frame_width, h: doc.frame_height };
  if (stillUrl) { URL.revokeObjectURL(stillUrl); stillUrl = null; }
  let still = null;
  if (doc.still_event_id) {
    try {
      stillUrl = URL.createObjectURL(await (await api(`/v1/video/events/${doc.still_event_id}/snapshot`)).blob());
      still = await new Promise((resolve) => {
        const img = new Image();
        img.onload = () => resolve(img);
        img.onerror = () => resolve(null);
        img.src = stillUrl;
      });
    } catch { still = null; }
  }
  // a first drawing takes the snapshot's own size; a stored one keeps the frame it was drawn on
  if (still && !doc.stored) {
    frame = { w: still.naturalWidth, h: still.naturalHeight };
    doc.privacy_masks = camera.privacy_masks.map((m) => m.map(([x, y]) => [r1(x * frame.w), r1(y * frame.h)]));
  }
  // a camera whose picture changed shape since: its snapshot is stretched onto the stored frame
  const reshaped = Boolean(still && doc.stored
    && Math.abs(still.naturalWidth / still.naturalHeight - frame.w / frame.h) > 0.01);
  editorState.camera = cam.code;
  editorState.still = still ? "snapshot" : "schematic";
  editorState.frame = [frame.w, frame.h];
  editorState.reshaped = reshaped;
  root.hidden = false;
  root.dataset.camera = cam.code;
  root.innerHTML = `<h3 tabindex="-1">${esc(t("video.editor_title", { camera: cam.code }))}</h3>
  <p><small>${esc(t(still ? "video.editor_on_snapshot" : "video.editor_on_schematic", { w: frame.w, h: frame.h }))}</small></p>
  ${reshaped ? `<p id="editor-reshaped" class="warning" role="alert">${esc(t("video.editor_reshaped", { w: frame.w, h: frame.h, sw: still.naturalWidth, sh: still.naturalHeight }))}</p>` : ""}
  <div class="editor">
    <div class="stage" style="aspect-ratio:${frame.w}/${frame.h}">
      ${still ? `<img src="${stillUrl}" alt="${esc(t("video.editor_still_alt", { camera: cam.code }))}">` : ""}
      <svg id="editor-svg" viewBox="0 0 ${frame.w} ${frame.h}" preserveAspectRatio="none" role="img" aria-label="${esc(t("video.editor_svg"))}">
        <defs><pattern id="hatch" width="12" height="12" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="12" height="12" fill="#222" opacity=".75"/><line x1="0" y1="0" x2="0" y2="12" stroke="#fff" stroke-width="3" opacity=".5"/></pattern></defs>
        ${still ? "" : `<rect x="0" y="0" width="${frame.w}" height="${frame.h}" fill="#e3f2fd"/>`}
        <g id="editor-shapes"></g></svg>
    </div>
    <div class="tools">
      <fieldset><legend>${esc(t("video.editor_draw"))}</legend>
        <label>${esc(t("video.editor_name"))}<input id="shape-name" maxlength="80" autocomplete="off"></label>
        <div role="group"><button type="button" id="draw-zone" class="outline small">${esc(t("video.editor_new_zone"))}</button>
        <button type="button" id="draw-line" class="outline small">${esc(t("video.editor_new_line"))}</button></div>
        <div class="grid"><label>x<input id="point-x" type="number" min="0" max="${frame.w}" step="1"></label>
        <label>y<input id="point-y" type="number" min="0" max="${frame.h}" step="1"></label></div>
        <div role="group"><button type="button" id="add-point" class="outline small">${esc(t("video.editor_add_point"))}</button>
        <button type="button" id="finish-shape" class="small">${esc(t("video.editor_finish"))}</button>
        <button type="button" id="cancel-shape" class="secondary outline small">${esc(t("video.editor_cancel"))}</button></div>
        <p id="draw-status" role="status" aria-live="polite"></p>
      </fieldset>
      <ul id="shape-list"></ul>
    </div>
  </div>
  <h4 id="rules-title">${esc(t("video.rules_caption"))}</h4>
  <div id="rule-rows" aria-labelledby="rules-title" role="group"></div>
  <div role="group"><button type="button" id="add-rule" class="outline">${esc(t("video.rule_add"))}</button>
  <button type="button" id="save-config">${esc(t("video.editor_save"))}</button>
  <button type="button" id="close-editor" class="secondary outline">${esc(t("video.editor_close"))}</button></div>
  <div id="config-errors" role="alert"></div>
  <p id="config-status" role="status" aria-live="polite">${doc.updated_at ? esc(t("video.editor_saved_by", { who: doc.updated_by || "", when: formatTime(doc.updated_at, language()) })) : ""}</p>`;
  q("#editor-svg").addEventListener("click", onFrameClick);
  q("#draw-zone").addEventListener("click", () => startDrawing("zone"));
  q("#draw-line").addEventListener("click", () => startDrawing("line"));
  q("#add-point").addEventListener("click", () => {
    const x = Number(q("#point-x").value); const y = Number(q("#point-y").value);
    if (q("#point-x").value !== "" && q("#point-y").value !== "") addPoint(x, y);
  });
  q("#finish-shape").addEventListener("click", finishShape);
  q("#cancel-shape").addEventListener("click", () => { mode = null; draft = []; redraw(); status(""); });
  q("#add-rule").addEventListener("click", addRule);
  q("#save-config").addEventListener("click", save);
  q("#close-editor").addEventListener("click", () => { root.hidden = true; });
  q("#shape-list").addEventListener("click", removeShape);
  q("#rule-rows").addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove-rule]");
    if (!button) return;
    collectRules();
    config.rules.splice(Number(button.dataset.removeRule), 1);
    drawRules();
  });
  q("#rule-rows").addEventListener("change", (event) => {
    if (event.target.name === "kind") { collectRules(); drawRules(); }
  });
  redraw();
  drawRules();
  root.querySelector("h3").focus();
}

function status(text) { q("#draw-status").textContent = text; }

function startDrawing(kind) {
  const name = q("#shape-name").value.trim();
  if (!name) { status(t("video.editor_need_name")); q("#shape-name").focus(); return; }
  const taken = [...config.zones, ...config.lines].some((s) => s.name === name);
  if (taken) { status(t("video.editor_name_taken", { name })); return; }
  mode = kind;
  draft = [];
  status(t(kind === "zone" ? "video.editor_drawing_zone" : "video.editor_drawing_line", { name }));
  redraw();
}

function onFrameClick(event) {
  if (!mode) return;
  const box = event.currentTarget.getBoundingClientRect();
  addPoint(((event.clientX - box.left) / box.width) * frame.w, ((event.clientY - box.top) / box.height) * frame.h);
}

function addPoint(x, y) {
  if (!mode) { status(t("video.editor_pick_tool")); return; }
  draft.push([r1(Math.min(frame.w, Math.max(0, x))), r1(Math.min(frame.h, Math.max(0, y)))]);
  if (mode === "line" && draft.length === 2) { finishShape(); return; }
  status(t("video.editor_points", { count: draft.length }));
  redraw();
}

function finishShape() {
  if (!mode) return;
  const name = q("#shape-name").value.trim();
  if (mode === "zone") {
    if (draft.length < 3) { status(t("video.editor_need_three")); return; }
    config.zones.push({ name, polygon: draft });
  } else {
    if (draft.length < 2) { status(t("video.editor_need_two")); return; }
    config.lines.push({ name, a: draft[0], b: draft[1] });
  }
  status(t(mode === "zone" ? "video.editor_zone_added" : "video.editor_line_added", { name }));
  mode = null;
  draft = [];
  q("#shape-name").value = "";
  redraw();
  collectRules();
  drawRules();
}

function removeShape(event) {
  const button = event.target.closest("[data-remove-shape]");
  if (!button) return;
  const [kind, index] = button.dataset.removeShape.split(":");
  (kind === "zone" ? config.zones : config.lines).splice(Number(index), 1);
  redraw();
  collectRules();
  drawRules();
}

function redraw() {
  const masks = doc.privacy_masks.map((m) => `<polygon class="mask" points="${pts(m)}" fill="url(#hatch)" stroke="#000" vector-effect="non-scaling-stroke"><title>${esc(t("video.editor_mask"))}</title></polygon>`).join("");
  const zones = config.zones.map((z) => `<g class="zone"><polygon points="${pts(z.polygon)}" fill="rgba(21,101,192,.25)" stroke="#1565c0" stroke-width="2" vector-effect="non-scaling-stroke"/>
    <text x="${z.polygon[0][0]}" y="${z.polygon[0][1]}" font-size="${frame.h / 24}" fill="#0d47a1" stroke="#fff" stroke-width="${frame.h / 300}" paint-order="stroke">${esc(z.name)}</text></g>`).join("");
  const lines = config.lines.map((l) => `<g class="line"><line x1="${l.a[0]}" y1="${l.a[1]}" x2="${l.b[0]}" y2="${l.b[1]}" stroke="#c62828" stroke-width="3" vector-effect="non-scaling-stroke"/>
    <circle cx="${l.a[0]}" cy="${l.a[1]}" r="${frame.h / 100}" fill="#c62828"/>
    <text x="${l.b[0]}" y="${l.b[1]}" font-size="${frame.h / 24}" fill="#b71c1c" stroke="#fff" stroke-width="${frame.h / 300}" paint-order="stroke">${esc(l.name)}</text></g>`).join("");
  const sketch = draft.length ? `<polyline class="draft" points="${pts(draft)}" fill="none" stroke="#f9a825" stroke-width="2" stroke-dasharray="6 4" vector-effect="non-scaling-stroke"/>${draft.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="${frame.h / 120}" fill="#f9a825"/>`).join("")}` : "";
  q("#editor-shapes").innerHTML = masks + zones + lines + sketch;
  q("#editor-svg").classList.toggle("drawing", Boolean(mode));
  q("#shape-list").innerHTML = [
    ...config.zones.map((z, n) => `<li>${esc(t("video.editor_zone", { name: z.name, count: z.polygon.length }))} <button type="button" class="small outline secondary" data-remove-shape="zone:${n}">${esc(t("video.remove"))}</button></li>`),
    ...config.lines.map((l, n) => `<li>${esc(t("video.editor_line", { name: l.name }))} <button type="button" class="small outline secondary" data-remove-shape="line:${n}">${esc(t("video.remove"))}</button></li>`),
    ...doc.privacy_masks.map((_, n) => `<li class="muted">${esc(t("video.editor_mask_item", { n: n + 1 }))}</li>`),
  ].join("");
  editorState.zones = config.zones.length;
  editorState.lines = config.lines.length;
}

function targets(kind) {
  return (kind === "line_crossing" ? config.lines : config.zones).map((s) => s.name);
}

function drawRules() {
  const timeValue = (v) => String(v || "").slice(0, 5);
  q("#rule-rows").innerHTML = config.rules.map((r, n) => {
    const names = targets(r.kind);
    const days = r.schedule?.days ?? DAYS;
    const id = (field) => `rule-${n}-${field}`;
    return `<fieldset class="rule" data-rule="${n}" data-kind="${esc(r.kind)}"><legend>${esc(t("video.rule_number", { n: n + 1 }))}</legend>
      <div class="rule-fields">
      <label for="${id("name")}">${esc(t("video.rule_name"))}<input id="${id("name")}" name="name" value="${esc(r.name)}" maxlength="80"></label>
      <label for="${id("kind")}">${esc(t("video.kind"))}<select id="${id("kind")}" name="kind">${KINDS.map((k) => `<option value="${k}"${k === r.kind ? " selected" : ""}>${esc(label(`video.kind_${k}`, k))}</option>`).join("")}</select></label>
      <label for="${id("zone")}">${esc(t("video.rule_target"))}<select id="${id("zone")}" name="zone">${names.map((z) => `<option${z === r.zone ? " selected" : ""}>${esc(z)}</option>`).join("")}${names.includes(r.zone) ? "" : `<option value="" selected>—</option>`}</select></label>
      <label for="${id("start")}">${esc(t("video.rule_from"))}<input id="${id("start")}" name="start" class="hhmm" inputmode="numeric" pattern="${HHMM}" maxlength="5" placeholder="HH:MM" title="${esc(t("video.rule_time_format"))}" required value="${esc(timeValue(r.schedule?.start ?? "00:00"))}"></label>
      <label for="${id("end")}">${esc(t("video.rule_to"))}<input id="${id("end")}" name="end" class="hhmm" inputmode="numeric" pattern="${HHMM}" maxlength="5" placeholder="HH:MM" title="${esc(t("video.rule_time_format"))}" required value="${esc(timeValue(r.schedule?.end ?? "23:59"))}"></label>
      ${THRESHOLDS[r.kind] ? `<label for="${id("threshold")}">${esc(t(`video.threshold_${THRESHOLDS[r.kind][0]}`))}<input id="${id("threshold")}" name="threshold" type="number" min="0" step="any" value="${esc(r[THRESHOLDS[r.kind][0]] ?? THRESHOLDS[r.kind][1])}"></label>` : ""}
      </div>
      <div class="rule-days" role="group" aria-label="${esc(t("video.rule_labels"))}"><span>${esc(t("video.rule_labels"))}</span>
      ${LABELS.map((l) => `<label class="day"><input type="checkbox" name="label" value="${l}"${(r.labels ?? ["person"]).includes(l) ? " checked" : ""}>${esc(t(`video.label_short_${l}`))}</label>`).join("")}</div>
      <div class="rule-days" role="group" aria-label="${esc(t("video.rule_days"))}"><span>${esc(t("video.rule_days"))}</span>
      ${DAYS.map((d) => `<label class="day"><input type="checkbox" name="day" value="${d}"${days.includes(d) ? " checked" : ""}>${esc(t(`video.day_${d}`))}</label>`).join("")}</div>
      <div class="rule-actions"><button type="button" class="small outline secondary" data-remove-rule="${n}">${esc(t("video.rule_remove", { n: n + 1 }))}</button></div></fieldset>`;
  }).join("") || `<p>${esc(t("video.rules_none"))}</p>`;
  editorState.rules = config.rules.length;
}

// the table's values back into config.rules (each rule keeps the fields the table leaves out)
function collectRules() {
  for (const row of q("#rule-rows").querySelectorAll("[data-rule]")) {
    const rule = config.rules[Number(row.dataset.rule)];
    const value = (name) => row.querySelector(`[name=${name}]`).value;
    rule.name = value("name").trim();
    rule.kind = value("kind");
    rule.zone = value("zone") || null;
    const schedule = { ...(rule.schedule || {}) };
    const start = value("start"); const end = value("end");
    if (start && start !== String(schedule.start || "00:00").slice(0, 5)) schedule.start = start;
    if (end && end !== String(schedule.end || "23:59").slice(0, 5)) schedule.end = end;
    schedule.days = [...row.querySelectorAll("[name=day]:checked")].map((c) => Number(c.value));
    rule.schedule = schedule;
    rule.labels = [...row.querySelectorAll("[name=label]:checked")].map((c) => c.value);
    const threshold = row.querySelector("[name=threshold]");
    const field = THRESHOLDS[row.dataset.kind]?.[0];
    if (threshold && field && threshold.value !== "") rule[field] = Number(threshold.value);
  }
}

function addRule() {
  collectRules();
  const kind = config.zones.length ? "intrusion" : "line_crossing";
  config.rules.push({ name: t("video.rule_default_name", { n: config.rules.length + 1 }), kind, zone: targets(kind)[0] ?? null, labels: ["person"] });
  drawRules();
  q(`#rule-rows [data-rule="${config.rules.length - 1}"] [name=name]`).focus();
}

async function save() {
  collectRules();
  q("#config-errors").innerHTML = "";
  q("#config-status").textContent = "";
  const badTime = q("#rule-rows input.hhmm:invalid");
  if (badTime) { // nothing is sent until every time reads HH:MM
    q("#config-errors").innerHTML = `<p>${esc(t("video.editor_not_saved"))}</p><ul><li><code>${esc(badTime.id)}</code> ${esc(t("video.rule_time_format"))}</li></ul>`;
    badTime.focus();
    return;
  }
  try {
    doc = await apiJson(`/v1/video/cameras/${camera.id}/analytics`, {
      method: "PUT", json: { frame_width: frame.w, frame_height: frame.h, config },
    });
    config = structuredClone(doc.config);
    editorState.saved += 1;
    redraw();
    drawRules();
    q("#config-status").textContent = t("video.editor_saved", { zones: config.zones.length, lines: config.lines.length, rules: config.rules.length });
  } catch (error) {
    const errors = fieldErrors(error);
    q("#config-errors").innerHTML = `<p>${esc(t("video.editor_not_saved"))}</p><ul>${Object.entries(errors).map(([field, message]) => `<li><code>${esc(field)}</code> ${esc(message)}</li>`).join("")}</ul>`;
  }
}
