// The public tip form: served as a file, so the page needs no inline script (CSP).
document.getElementById("tip").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const anonymous = f.get("anonymous") === "on";
  const body = {text: f.get("text"), category: f.get("category"), anonymous,
                contact: anonymous ? null : (f.get("contact") || null)};
  const r = await fetch("/v1/tips", {method: "POST", headers: {"Content-Type": "application/json"},
                                     body: JSON.stringify(body)});
  const j = await r.json();
  document.getElementById("result").textContent = r.ok
    ? "Your receipt code: " + j.receipt + " (keep it safe)" : "Error: " + j.detail;
});
