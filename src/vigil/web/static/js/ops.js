// The operations screens (dispatch, public warnings, infrastructure, patrol, video) and the
// roles that may use them: each screen is offered only to the roles whose permissions its
// APIs grant (dispatch needs alert work, warnings and plan approval the supervisor's
// approval, the rest analytics). The shell merges these into its own lists.
import * as response from "./response.js";
import * as warnings from "./warnings.js";
import * as infra from "./infra.js";
import * as patrol from "./patrol.js";
import * as video from "./video.js";

export const OPS_SCREENS = { response, warnings, infra, patrol, video };
export const OPS_ROLES = {
  officer: ["response", "infra", "video"],
  supervisor: ["response", "warnings", "patrol", "infra", "video"],
  analyst: ["infra", "patrol", "video"],
};

// Each screen's section, added to the page once (the shell shows one at a time).
const main = document.querySelector("main");
for (const name of Object.keys(OPS_SCREENS)) {
  if (!document.getElementById(`screen-${name}`)) {
    const section = document.createElement("section");
    section.id = `screen-${name}`;
    section.className = "screen";
    section.hidden = true;
    main.append(section);
  }
}
