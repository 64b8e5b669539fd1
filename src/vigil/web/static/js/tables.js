// Wide tables scroll sideways inside their own region, so a narrow window (760 px) never
// stretches the page: every table a screen draws is wrapped as it appears. A region that
// scrolls is focusable (keyboard users scroll it), one that does not is no Tab stop; it is
// named after the table's caption.
const WRAPPED = "table-scroll";
let captions = 0;

function focusableIfItScrolls(region) {
  if (region.scrollWidth > region.clientWidth) region.tabIndex = 0;
  else region.removeAttribute("tabindex");
}

// a region's width changes with the window, its table's with its rows
const resized = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    const region = target.classList.contains(WRAPPED) ? target : target.parentElement;
    if (region && region.classList.contains(WRAPPED)) focusableIfItScrolls(region);
  }
});

function wrap(table) {
  const parent = table.parentElement;
  if (!parent || parent.classList.contains(WRAPPED) || parent.classList.contains("scroll")) return;
  const region = document.createElement("div");
  region.className = WRAPPED;
  const caption = table.caption;
  if (caption) {
    if (!caption.id) { captions += 1; caption.id = `table-caption-${captions}`; }
    region.setAttribute("role", "region");
    region.setAttribute("aria-labelledby", caption.id);
  }
  parent.insertBefore(region, table);
  region.appendChild(table);
  focusableIfItScrolls(region);
  resized.observe(region);
  resized.observe(table);
}

export function scrollWideTables(root) {
  root.querySelectorAll("table").forEach(wrap);
  new MutationObserver(() => root.querySelectorAll("table").forEach(wrap))
    .observe(root, { childList: true, subtree: true });
}
