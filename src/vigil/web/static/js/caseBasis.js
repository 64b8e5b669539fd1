// The investigation bases a user may cite: the approved, open cases of their own agency
// (GET /v1/cases says which are active). Nothing else is offered, nothing is typed.
import { apiJson } from "./session.js";
import { askBasis } from "./basis.js";

export async function citableCases() {
  const cases = await apiJson("/v1/cases");
  return cases.filter((c) => c.basis_active);
}

export async function askCaseBasis() {
  const cases = await citableCases();
  if (!cases.length) return null;
  return askBasis(cases.map((c) => ({
    purpose: "investigation", legal_basis: c.legal_basis, hint: "basis.hint_case", title: c.title,
  })));
}
