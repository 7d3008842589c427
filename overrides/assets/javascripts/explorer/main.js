/* Catalogue explorer, the start: faceted filtering of the "All resources" page, in the reader's
 * browser. Makes the state (state.js) from the page and explorer-data.js, sets the form from the
 * address (url.js), and works the results out again (filters.js, render.js) at every change.
 *
 * Deferred like the parts before it, so they are all in when this runs; the last of them.
 */
(function () {
  "use strict";

  var ns = (window.spmExplorer = window.spmExplorer || {});

  /** The results and the counts again, after a change of filters or a part of the data coming in. */
  function update(state, keepShown) {
    var query = ns.filters.read(state);
    if (query.terms.length) ns.state.loadWords(state, function () { wordsCameIn(state); });
    if (query.sort === "title") ns.state.loadOrder(state, function () { orderCameIn(state); });
    var outcome = ns.filters.run(state, query);
    state.results = outcome.matches;
    state.someWords = outcome.someWords;
    if (!keepShown) state.shown = state.pageSize;
    ns.render.list(state);
    ns.render.count(state);
    ns.render.facets(state, outcome.tallies, query);
    ns.render.chips(state, query);
    ns.url.write(state, query);
  }

  /* The results are worked out again as each part of the keyword text comes in. */
  function wordsCameIn(state) {
    if (ns.filters.terms(state.dom.form.elements.q.value).length) update(state, true);
  }

  function orderCameIn(state) {
    if (state.dom.form.elements.sort.value === "title") update(state, true);
  }

  /** The current results as the CSV download wants them (export.js), once their cards are in. */
  function exportRows(state, then) {
    var chunks = {};
    state.results.forEach(function (i) { if (!state.cards[i]) chunks[Math.floor(i / state.data.chunk)] = true; });
    var missing = Object.keys(chunks).map(Number);
    var left = missing.length;
    if (!left) return then(rows(state));
    missing.forEach(function (chunk) {
      // the list is drawn again too, if it waits for this chunk
      if (!state.parts.requested("cards", chunk)) ns.state.loadCards(state, chunk, function () { ns.render.list(state); });
      ns.state.loadCards(state, chunk, function () {
        if (--left === 0) then(rows(state));
      });
    });
  }

  /** [id, title, title language, type codes, dimension codes, ..., country codes, year] per result. */
  function rows(state) {
    return state.results.map(function (i) {
      var c = state.cards[i];
      var codes = state.facets.map(function (f, k) {
        return state.columns[k][i].map(function (v) { return f.codes[v]; });
      });
      return [c[0], c[1], c[2] || state.data.lang].concat(codes, [state.years[i] || ""]);
    });
  }

  function listen(state) {
    var dom = state.dom;
    var form = dom.form;
    form.addEventListener("input", function () { update(state, false); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      // after the browser has cleared the fields
      setTimeout(function () { update(state, false); }, 0);
    });
    // the keyword text starts coming as soon as the reader is about to type
    form.elements.q.addEventListener("focus", function () {
      ns.state.loadWords(state, function () { wordsCameIn(state); });
    });
    // "Only in <language>" ticks the language facet's option before the form's listener reads it
    if (dom.mine) {
      dom.mine.addEventListener("input", function () {
        var box = state.language.boxes[state.language.codes.indexOf(dom.mine.getAttribute("data-mine"))];
        if (box) box.checked = dom.mine.checked;
      });
    }
    dom.more.addEventListener("click", function () {
      state.pendingFocus = Math.min(state.results.length, state.shown);
      state.shown += state.pageSize;
      ns.render.list(state);
    });
    window.addEventListener("popstate", function () {
      ns.url.read(state, location.search);
      update(state, false);
    });
    listenToDrawer(state);
    listenToChips(state);
  }

  /** A chip removes its filter; the focus goes to the chip now in its place, or to the heading
   * once none is left, so that a keyboard or screen reader user is not sent back to the top. */
  function listenToChips(state) {
    var dom = state.dom;
    dom.chips.addEventListener("click", function (event) {
      var button = event.target.closest("[data-chip]");
      if (!button) return;
      var index = Number(button.getAttribute("data-chip"));
      state.chipActions[index]();
      update(state, false);
      var left = dom.chips.querySelectorAll("[data-chip]");
      var next = left[Math.min(index, left.length - 1)] || dom.heading;
      if (!next) return;
      if (next === dom.heading) next.setAttribute("tabindex", "-1");
      next.focus();
    });
  }

  function listenToDrawer(state) {
    var dom = state.dom;
    dom.toggle.addEventListener("click", function () { ns.render.drawer(state, !dom.panel.classList.contains("is-open")); });
    dom.panel.querySelectorAll("[data-close]").forEach(function (button) {
      button.addEventListener("click", function () {
        ns.render.drawer(state, false);
        if (button.hasAttribute("data-show")) dom.status.scrollIntoView({ block: "nearest" });
      });
    });
    dom.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && dom.panel.classList.contains("is-open")) ns.render.drawer(state, false);
    });
  }

  function start() {
    var root = document.querySelector("[data-explorer]");
    var data = window.spmExplorerData;
    if (!root || !data) return;
    var state = ns.state.create(root, data);
    if (state.dom.pages) state.dom.pages.hidden = true; // the explorer shows the whole list; no need for its pages
    listen(state);
    ns.url.read(state, ns.url.initial);
    update(state, false);
    // for export.js and tests: the state stays inside, these take it along
    ns.update = function (keepShown) { update(state, keepShown); };
    ns.exportRows = function (then) { exportRows(state, then); };
  }

  /* After the page's first frame, in a task of its own: the list as it came is already right,
   * so a phone shows it at once, and the explorer's start is not added to the parser's long task. */
  function soon() {
    if (document.hidden) return setTimeout(start, 0);
    requestAnimationFrame(function () { setTimeout(start, 0); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", soon);
  } else {
    soon();
  }
})();
