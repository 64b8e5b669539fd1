// The session: the token lives in sessionStorage (a reload keeps it, closing the tab ends
// it). A 401 opens a re-login dialog over the page and retries the call; after 30 minutes
// without input the session locks the same way.
import { has, language, t } from "./i18n.js";

const TOKEN = "vigil.token";
const USER = "vigil.user";
const IDLE_MS_DEFAULT = 30 * 60 * 1000;
let lastInput = Date.now();
let relogin = null; // the pending re-login, shared by every call that met a 401

export const session = {
  get token() { return sessionStorage.getItem(TOKEN); },
  get user() { return sessionStorage.getItem(USER); },
  store(token, user) { sessionStorage.setItem(TOKEN, token); sessionStorage.setItem(USER, user); },
  clear() { sessionStorage.removeItem(TOKEN); sessionStorage.removeItem(USER); },
};

// The server's own words are English: in another language the console says first, in that
// language, what kind of refusal it is.
function problemMessage(status, problem) {
  const detail = problem.detail || problem.title || String(status);
  const key = `problem.${status}`;
  return language() !== "en" && has(key) ? `${t(key)}：${detail}` : detail;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problemMessage(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

export async function signIn(username, password, otp = "") {
  const fields = { username, password };
  if (otp) fields.otp = otp; // a second factor, for the accounts that have one
  const response = await fetch("/v1/auth/token", {
    method: "POST", body: new URLSearchParams(fields),
  });
  if (!response.ok) return false;
  session.store((await response.json()).access_token, username);
  return true;
}

// Sign in from a form: its button shows it is busy (checking a password takes a second or
// two), and a server out of reach is said so. Returns "ok", "refused" or "unreachable".
export async function signInFrom(form) {
  const button = form.querySelector("button[type=submit]");
  button.setAttribute("aria-busy", "true");
  button.disabled = true;
  try {
    return (await signIn(form.username.value, form.password.value, form.otp.value)) ? "ok" : "refused";
  } catch (error) {
    return "unreachable";
  } finally {
    button.removeAttribute("aria-busy");
    button.disabled = false;
  }
}

function askToSignInAgain(reason) {
  if (relogin) return relogin;
  const dialog = document.getElementById("relogin-dialog");
  const form = document.getElementById("relogin-form");
  form.username.value = session.user || "";
  form.password.value = "";
  form.otp.value = "";
  document.getElementById("relogin-reason").textContent = reason;
  document.getElementById("relogin-error").textContent = "";
  relogin = new Promise((resolve) => {
    form.onsubmit = async (event) => {
      event.preventDefault();
      const outcome = await signInFrom(form);
      if (outcome === "ok") {
        dialog.close();
        relogin = null;
        lastInput = Date.now();
        resolve();
      } else {
        document.getElementById("relogin-error").textContent = t(outcome === "refused" ? "login.failed" : "login.unreachable");
      }
    };
  });
  dialog.addEventListener("cancel", (event) => event.preventDefault()); // no way round it
  if (!dialog.open) dialog.showModal();
  return relogin;
}

// fetch with the token; `basis` = {purpose, legal_basis} adds the personal-data headers.
export async function api(path, { basis, json, ...options } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    if (relogin) await relogin;
    const headers = { Authorization: `Bearer ${session.token}`, ...(options.headers || {}) };
    if (basis) Object.assign(headers, { "X-Purpose": basis.purpose, "X-Legal-Basis": basis.legal_basis });
    const init = { ...options, headers };
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    }
    const response = await fetch(path, init);
    if (response.status === 401 && attempt < 3) {
      await askToSignInAgain(t("relogin.text"));
      continue;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({ detail: response.statusText }));
      throw new ApiError(response.status, problem);
    }
    return response;
  }
}

export async function apiJson(path, options) {
  return (await api(path, options)).json();
}

// Locks after 30 minutes without a key, click or pointer move (a test may shorten it by
// setting sessionStorage "vigil.idle_ms").
export function watchIdle() {
  for (const kind of ["keydown", "pointerdown", "pointermove", "wheel"]) {
    document.addEventListener(kind, () => { if (!relogin) lastInput = Date.now(); }, { passive: true });
  }
  setInterval(() => {
    const idleMs = Number(sessionStorage.getItem("vigil.idle_ms")) || IDLE_MS_DEFAULT;
    if (session.token && !relogin && Date.now() - lastInput > idleMs) {
      sessionStorage.removeItem(TOKEN);
      askToSignInAgain(t("session.locked"));
    }
  }, 1000);
}

export function isSignedIn() { return Boolean(session.token); }
