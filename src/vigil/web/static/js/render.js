// Pure rendering helpers. Everything shown came from somebody (a guest's name a business
// filed, an entry an analyst typed): it goes into the page as text, never as markup.
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

export function explainHtml(explanation) {
  return Object.entries(explanation || {})
    .map(([feature, e]) => {
      const width = Math.round(60 * Math.min(1, Number(e && e.score) || 0));
      return `<li><strong>${esc(feature)}</strong> <span class="bar" style="width:${width}px"></span>`
        + ` ${Number(e && e.score || 0).toFixed(2)} <small>${esc(e && e.detail)}</small></li>`;
    })
    .join("");
}

export function basesHtml(alert) {
  const hits = alert.hits && alert.hits.length
    ? alert.hits : [{ entry_id: alert.watchlist_entry_id, legal_basis: alert.legal_basis }];
  return hits.map((h) => `${h.entry_id ? esc(h.entry_id) + " · " : ""}${esc(h.legal_basis)}`
    + `${h.score !== undefined ? " (" + Number(h.score).toFixed(2) + ")" : ""}`).join("<br>");
}

// One locale per console language, and a 24-hour clock in both (en-GB style for English).
const LOCALES = { en: "en-GB", "zh-CN": "zh-CN" };
export const localeOf = (lang) => LOCALES[lang] || LOCALES.en;
const DATE_TIME = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };

export function formatTime(iso, lang) {
  if (!iso) return "";
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? esc(iso) : when.toLocaleString(localeOf(lang), DATE_TIME);
}

// A row's button: its visible word, and for a screen reader the row it acts on, so the
// buttons of a table do not all share one name ("Show Square north forecourt").
export function rowButtonText(word, what) {
  return `${esc(word)}<span class="visually-hidden"> ${esc(what)}</span>`;
}

// One queue row: the labels come from `t`, the values from the server (escaped).
export function alertRowHtml(alert, t, lang = "en") {
  const status = t(`status.${alert.status}`);
  return `<td>${esc(alert.id)}</td><td>${formatTime(alert.created_at, lang)}</td>`
    + `<td>${esc(t(`kind.${alert.kind}`))}</td><td>${Number(alert.score).toFixed(2)}</td>`
    + `<td>${esc(alert.summary)}<br><small>${basesHtml(alert)}</small></td>`
    + `<td><span class="badge ${esc(alert.status)}">${esc(status)}</span>`
    + `${alert.resolution ? " · " + esc(t(`resolution.${alert.resolution}`)) : ""}</td>`
    + `<td><button class="outline small" data-open="${esc(alert.id)}">${rowButtonText(t("alerts.open"), alert.id)}</button></td>`;
}
