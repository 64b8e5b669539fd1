// The purpose and legal-basis prompt: the user picks one of the bases offered (the ones
// the screen knows this user may cite); nothing is typed freely.
import { t } from "./i18n.js";
import { esc } from "./render.js";

export function askBasis(choices) {
  const dialog = document.getElementById("basis-dialog");
  const form = document.getElementById("basis-form");
  const box = document.getElementById("basis-options");
  box.innerHTML = `<legend>${esc(t("basis.legend"))}</legend>` + choices.map((c, i) =>
    `<label><input type="radio" name="basis" value="${i}" ${i === 0 ? "checked" : ""}>`
    + ` ${esc(t(`purpose.${c.purpose}`))} · <code>${esc(c.legal_basis)}</code>`
    + ` <small>${esc(t(c.hint, c))}</small></label>`).join("");
  return new Promise((resolve) => {
    const finish = (value) => { dialog.close(); form.onsubmit = null; resolve(value); };
    form.onsubmit = (event) => {
      event.preventDefault();
      finish(choices[Number(form.basis.value)]);
    };
    document.getElementById("basis-cancel").onclick = () => finish(null);
    dialog.oncancel = () => finish(null);
    dialog.showModal();
  });
}

export const STATUTE = { purpose: "screening", legal_basis: "statute:real-name-registration", hint: "basis.hint_statute" };
export const alertBasis = (id) => ({ purpose: "investigation", legal_basis: `alert:${id}`, hint: "basis.hint_alert" });
