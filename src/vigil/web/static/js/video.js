// placeholder
import { esc } from "./render.js";
import { t } from "./i18n.js";
export async function show(element) { element.innerHTML = `<h2>${esc(t("nav.video"))}</h2>`; }
