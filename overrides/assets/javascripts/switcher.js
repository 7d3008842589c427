/* The language switcher keeps what the reader chose on the page: the explorer's filters live in
 * the address (?standard=4A&type=tool), and switching language must not drop them. Filter codes
 * are the same in every language, so the same query string means the same results.
 * Runs on every page; reads the address at click time because the explorer rewrites it.
 * (The no-js/js class swap the explorer's layout needs is a one-line script in the head, main.html.)
 */
(function () {
  "use strict";

  function carry(event) {
    var link = event.target && event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (!link || !location.search) return;
    var href = link.getAttribute("href").split("#")[0].split("?")[0];
    link.setAttribute("href", href + location.search + location.hash);
  }

  document.addEventListener("click", carry, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter") carry(event);
  }, true);
})();
