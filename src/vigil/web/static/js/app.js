// The console's shell: language, sign-in, and the screens each role may see.
import { applyTranslations, initLanguage, language, loadLanguage, t } from "./i18n.js";
import { apiJson, isSignedIn, session, signInFrom, watchIdle } from "./session.js";
import { esc } from "./render.js";
import * as alerts from "./alerts.js";
import * as filing from "./filing.js";
import * as map from "./map.js";
import * as approvals from "./approvals.js";
import * as audit from "./audit.js";
import * as partners from "./partners.js";
import * as tips from "./tips.js";
import * as cases from "./cases.js";
import * as checkpoints from "./checkpoints.js";
import { OPS_ROLES, OPS_SCREENS } from "./ops.js";
import { scrollWideTables } from "./tables.js";

const SCREENS = { alerts, filing, map, approvals, audit, partners, cases, tips, checkpoints };
// Each role's own work; a business sees its filing and nothing of the police's.
export const ROLE_SCREENS = {
  officer: ["alerts"],
  analyst: ["map", "cases", "tips"],
  supervisor: ["approvals", "alerts", "partners"],
  auditor: ["audit", "checkpoints"],
  business: ["filing"],
  admin: [], // administration (users, keys, retention) holds no police data: CLI and API
};
Object.assign(SCREENS, OPS_SCREENS);
for (const [role, names] of Object.entries(OPS_ROLES)) ROLE_SCREENS[role].push(...names);
const $ = (id) => document.getElementById(id);
let me = null;
let current = null;

function showScreen(name) {
  if (!me || !(ROLE_SCREENS[me.role] || []).includes(name)) return;
  current = name;
  for (const key of Object.keys(SCREENS)) $(`screen-${key}`).hidden = key !== name;
  document.querySelectorAll("#screen-links a").forEach((a) => {
    a.toggleAttribute("aria-current", a.dataset.screen === name);
  });
  SCREENS[name].show($(`screen-${name}`), me);
}

function renderNav() {
  const names = ROLE_SCREENS[me.role] || [];
  $("screen-links").innerHTML = names.map((n) =>
    `<li><a href="#${n}" data-screen="${n}">${esc(t(`nav.${n}`))}</a></li>`).join("");
  $("screens").hidden = false;
  $("who").innerHTML = `<small><strong>${esc(me.display_name)}</strong> · ${esc(t(`role.${me.role}`))} · ${esc(me.organisation)}</small>`;
  $("logout").hidden = false;
  $("no-screens").hidden = names.length > 0;
  const wanted = location.hash.slice(1);
  if (names.length) showScreen(names.includes(wanted) ? wanted : names[0]);
}

async function enter() {
  me = await apiJson("/v1/me");
  $("login").hidden = true;
  renderNav();
}

window.addEventListener("hashchange", () => showScreen(location.hash.slice(1)));

async function start() {
  await initLanguage();
  $("lang").value = language();
  $("lang").addEventListener("change", async (event) => {
    await loadLanguage(event.target.value);
    if (me) { renderNav(); }
  });
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const outcome = await signInFrom(event.target);
    if (outcome !== "ok") {
      $("login-error").textContent = t(outcome === "refused" ? "login.failed" : "login.unreachable");
      return;
    }
    $("login-error").textContent = "";
    await enter();
  });
  $("logout").addEventListener("click", () => { session.clear(); location.hash = ""; location.reload(); });
  watchIdle();
  scrollWideTables(document.querySelector("main"));
  applyTranslations();
  if (isSignedIn()) await enter();
  document.body.dataset.ready = "true";
}

start();
