// Console strings from JSON catalogues (en, zh-CN). The language comes from the browser
// (navigator.language, which follows Accept-Language) unless the user picked one.
export const LANGUAGES = ["en", "zh-CN"];
const STORE = "vigil.lang";
let catalogue = {};
let current = "en";

export function chooseLanguage(saved, browser) {
  if (LANGUAGES.includes(saved)) return saved;
  return String(browser || "").toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function language() { return current; }

// t(KEY, {name: value}) fills {name}; a missing key shows itself, so tests catch it.
export function t(key, vars = {}) {
  const text = catalogue[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

// Whether the catalogue has KEY (for labels that fall back to a name of their own).
export function has(key) { return Object.hasOwn(catalogue, key); }

export function applyTranslations(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  root.querySelectorAll("[data-i18n-aria-label]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel)); });
  document.documentElement.lang = current;
  document.title = t(document.body.dataset.titleKey || "app.title");
}

export async function loadLanguage(lang) {
  const response = await fetch(`/static/i18n/${lang}.json`);
  catalogue = await response.json();
  current = lang;
  localStorage.setItem(STORE, lang);
  applyTranslations();
}

export async function initLanguage() {
  await loadLanguage(chooseLanguage(localStorage.getItem(STORE), navigator.language));
}
