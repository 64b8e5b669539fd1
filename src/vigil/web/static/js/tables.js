// Wide tables scroll sideways inside their own region, so a narrow window (760 px) never
// stretches the page: every table a screen draws is wrapped as it appears. The region is
// focusable (keyboard users scroll it) and named after the table's caption.
const WRAPPED = "table-scroll";
let captions = 0;

function wrap(table) {
  const parent = table.parentElement;
  if (!parent || parent.classList.contains(WRAPPED) || parent.classList.contains("scroll")) return;
  const region = document.createElement("div");
  region.className = WRAPPED;
  region.tabIndex = 0;
  const caption = table.caption;
  if (caption) {
    if (!caption.id) { captions += 1; caption.id = `table-caption-${captions}`; }
    region.setAttribute("role", "region");
    region.setAttribute("aria-labelledby", caption.id);
  }
  parent.insertBefore(region, table);
  region.appendChild(table);
}

export function scrollWideTables(root) {
  root.querySelectorAll("table").forEach(wrap);
  new MutationObserver(() => root.querySelectorAll("table").forEach(wrap))
    .observe(root, { childList: true, subtree: true });
}
