// The controls of the page open in the browser that a finger can reach and that are smaller
// than `min` CSS px either way: "<where> > <element> "<its text>" WxH", for
// tests/test_touch_targets.py. A link inside running text is left out (WCAG 2.5.8's inline
// exception: its size is the sentence's); so are controls out of sight (off-canvas drawers,
// closed menus, transparent or untouchable overlays), which the test opens before measuring.
(min) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"]), label[for]';

  function shown(el) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    if (r.right <= 0 || r.left >= document.documentElement.clientWidth) return false;
    if (el.closest("[hidden], [aria-hidden=true], .spm-visually-hidden")) return false;
    if (el.closest("details:not([open])") && !el.matches("details > summary")) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.pointerEvents === "none") return false;
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === "none" || Number(s.opacity) === 0) return false;
    }
    return true;
  }

  // the sentence's own words around a link: its block's text without that of its links and controls
  function inSentence(el) {
    if (!el.matches("a") || !getComputedStyle(el).display.startsWith("inline")) return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    if (!block) return false;
    let letters = 0;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest("a, button, label, .spm-visually-hidden")) continue;
      letters += (n.textContent.match(/[\p{L}\p{N}]/gu) || []).length;
    }
    return letters > 20;
  }

  // what a finger taps: a checkbox or radio through its label; a label only when it works a checkbox
  function target(el) {
    if (el.matches("label[for]")) {
      const control = document.getElementById(el.htmlFor);
      return control && control.matches("input[type=checkbox], input[type=radio]") ? el : null;
    }
    if (el.matches("input[type=checkbox], input[type=radio]")) return el.closest("label") || el;
    return el;
  }

  function described(el) {
    let where = [];
    for (let p = el.parentElement, i = 0; p && i < 2; p = p.parentElement, i++) {
      where.unshift(p.tagName.toLowerCase() + (p.classList.length ? "." + p.classList[0] : ""));
    }
    let name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + [...el.classList].slice(0, 2).map(c => "." + c).join("");
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 30);
    return `${where.join(" > ")} > ${name} "${text}"`;
  }

  const seen = new Set();
  const small = [];
  for (const found of document.querySelectorAll(selector)) {
    const el = target(found);
    if (!el || seen.has(el)) continue;
    seen.add(el);
    if (!shown(el) || inSentence(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < min - 0.5 || r.height < min - 0.5) small.push(`${described(el)} ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return small;
}
