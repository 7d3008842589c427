/* Catalogue explorer, the address: its filters in the query string, read at start and on
 * "back", written after every change, so that a filtered list can be shared or bookmarked.
 *
 * The explorer is a handful of classic scripts (this one, ../fold.js, ../rank.js, state.js,
 * filters.js, render.js, main.js, export.js), each registering its part on one namespace,
 * window.spmExplorer. Not ES modules: Chromium refuses module scripts from file:// (origin
 * null, "blocked by CORS policy"), and trainers open the offline bundle from file://
 * (tests/test_explorer_browser.py checks that this is still so). The others are deferred and
 * run in order; main.js starts the explorer once they are all in.
 *
 * This one is not deferred: Material opens its own search box for a `q` in the address and
 * later deletes it. Running before Material's script, it takes the address's filters and hides
 * `q` from Material; main.js writes them back once the explorer has started.
 */
(function () {
  "use strict";

  var ns = (window.spmExplorer = window.spmExplorer || {});

  /* How the codes of a facet are spelled in the data when not in lower case: "standard=4a" is 4A
   * (regions are digits, "419", and the other facets' codes are lower case). */
  var CASE = { standard: "upper", country: "upper" };

  /* The orders of the sort menu (overrides/spm/explorer.html), the default first: left out of the address. */
  var SORTS = ["relevance", "newest", "year", "title", "language"];

  var initial = location.search;
  if (new URLSearchParams(initial).has("q")) {
    try {
      history.replaceState(history.state, "", location.pathname + location.hash);
    } catch (error) {
      /* file:// in some browsers: Material will then show the keywords in its search box too */
    }
  }

  /** The codes asked for in one facet, whether repeated (type=a&type=b) or joined (type=a,b). */
  function wantedCodes(params, name) {
    var wanted = {};
    params.getAll(name).forEach(function (value) {
      value.split(",").forEach(function (code) {
        code = code.trim();
        code = CASE[name] === "upper" ? code.toUpperCase() : code.toLowerCase();
        if (code) wanted[code] = true;
      });
    });
    return wanted;
  }

  /** Sets the form from a query string; a facet with a ticked option is opened to show it. */
  function read(state, search) {
    var params = new URLSearchParams(search);
    var elements = state.dom.form.elements;
    elements.q.value = params.get("q") || "";
    state.facets.forEach(function (f) {
      var wanted = wantedCodes(params, f.name);
      var any = false;
      f.boxes.forEach(function (box, i) {
        if (!box) return;
        box.checked = wanted[f.codes[i]] === true;
        any = any || box.checked;
      });
      if (any && f.details) f.details.open = true;
    });
    ["from", "to"].forEach(function (name) {
      var value = parseInt(params.get(name), 10);
      elements[name].value = isNaN(value) ? "" : String(value);
    });
    var sort = params.get("sort");
    elements.sort.value = SORTS.indexOf(sort) > 0 ? sort : SORTS[0];
    elements.undated.checked = params.get("undated") !== "0";
  }

  /** The query string of the current filters (filters.js's query), defaults left out. */
  function queryString(state, query) {
    var params = [];
    var q = state.dom.form.elements.q.value.trim();
    if (q) params.push("q=" + encodeURIComponent(q));
    state.facets.forEach(function (f) {
      var codes = f.codes.filter(function (_, i) { return f.selected[i]; });
      if (codes.length) params.push(f.name + "=" + codes.map(encodeURIComponent).join(","));
    });
    if (query.from !== null) params.push("from=" + query.from);
    if (query.to !== null) params.push("to=" + query.to);
    if (!query.undated) params.push("undated=0");
    if (query.sort !== SORTS[0]) params.push("sort=" + encodeURIComponent(query.sort));
    return params.length ? "?" + params.join("&") : "";
  }

  /** The fragment for readers without JavaScript of whoever opens the address: the notice of a
   * ticked option whose page the explorer names (#only-standard-4A: explorer.html's notices,
   * one per value with a page of its own, whatever the facet), the one in the address while it
   * stays ticked, else the first; none when no ticked option has a page. A fragment that is not
   * one of those notices (a link to a part of the page) stays as it is. */
  function fragment(state) {
    var current = location.hash.slice(1);
    var target = current ? document.getElementById(current) : null;
    if (current && !(target && target.hasAttribute("data-nojs-notice"))) return location.hash;
    var ids = [];
    state.facets.forEach(function (f) {
      f.codes.forEach(function (code, i) {
        var id = "only-" + f.name + "-" + code;
        var notice = f.selected[i] ? document.getElementById(id) : null;
        if (notice && notice.hasAttribute("data-nojs-notice")) ids.push(id);
      });
    });
    if (ids.indexOf(current) >= 0) return location.hash;
    return ids.length ? "#" + ids[0] : "";
  }

  /** Puts the current filters in the address, without a new history entry per keystroke. */
  function write(state, query) {
    var search = queryString(state, query);
    var hash = fragment(state);
    if (search === location.search && hash === location.hash) return;
    try {
      history.replaceState(history.state, "", location.pathname + search + hash);
    } catch (error) {
      /* some browsers refuse history changes on file:// pages; the filters still work */
    }
  }

  ns.url = { initial: initial, read: read, write: write };
})();
