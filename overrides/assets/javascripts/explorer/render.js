/* Catalogue explorer, what the reader sees: the result cards, the count, each option's count,
 * and the filter drawer. Everything from the catalogue goes in through textContent and
 * setAttribute, never as HTML.
 */
(function () {
  "use strict";

  var ns = (window.spmExplorer = window.spmExplorer || {});

  /* Facets by their position in state.facets (state.js's FACETS). */
  var TYPE = 0;
  var DIMENSION = 1;
  var STANDARD = 2;
  var LANGUAGE = 3;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** "4A · 4B", or the dimensions an entry covers when it names no standard. */
  function covers(state, i) {
    var facets = state.facets;
    var columns = state.columns;
    var text = columns[STANDARD][i].map(function (v) { return facets[STANDARD].codes[v]; }).join(" · ");
    if (text) return text;
    if (columns[DIMENSION][i].length === facets[DIMENSION].codes.length) return state.data.allDimensions;
    return columns[DIMENSION][i].map(function (v) {
      return state.data.dimensionLabel.replace("{n}", facets[DIMENSION].codes[v]);
    }).join(" · ");
  }

  function languages(state, i) {
    var facet = state.facets[LANGUAGE];
    var langs = element("span", "spm-card__langs");
    // the page's language first, as the card macro does (View.own_first)
    var own = facet.codes.indexOf(state.data.lang);
    var values = state.columns[LANGUAGE][i].slice().sort(function (a, b) { return (b === own) - (a === own); });
    values.forEach(function (v, position) {
      if (position) langs.appendChild(document.createTextNode(" "));
      var abbr = element("abbr", "", facet.codes[v].toUpperCase());
      abbr.setAttribute("title", facet.labels[v]);
      langs.appendChild(abbr);
    });
    return langs;
  }

  /** The markup of the card macro in overrides/spm/_macros.html: keep the two in step. */
  function card(state, i) {
    var c = state.cards[i];
    var li = element("li", "spm-card");
    li.setAttribute("data-id", c[0]);
    var link = element("a", "spm-card__title", c[1]);
    link.setAttribute("href", state.data.href.replace("{id}", encodeURIComponent(c[0])));
    if (c[2]) link.setAttribute("lang", c[2]);
    li.appendChild(link);
    if (c[3]) {
      var summary = element("span", "spm-card__summary", c[3]);
      if (c[4]) summary.setAttribute("lang", c[4]);
      li.appendChild(summary);
    }
    var meta = element("span", "spm-card__meta");
    meta.appendChild(element("span", "spm-card__type", state.facets[TYPE].labels[state.columns[TYPE][i][0]]));
    meta.appendChild(languages(state, i));
    if (state.years[i]) meta.appendChild(element("span", "spm-card__year", String(state.years[i])));
    var standards = covers(state, i);
    if (standards) meta.appendChild(element("span", "spm-card__standards", standards));
    li.appendChild(meta);
    return li;
  }

  /** Asks once for a chunk of cards the list waits for; the list is drawn again when it comes in. */
  function wantCards(state, chunk) {
    if (state.parts.requested("cards", chunk)) return;
    ns.state.loadCards(state, chunk, function () { list(state); });
  }

  /** The shown results, from the first page's own cards or from the parts already in; the
   * parts still missing are asked for, and the list is drawn again as each comes in. */
  function list(state) {
    var dom = state.dom;
    var fragment = document.createDocumentFragment();
    var end = Math.min(state.results.length, state.shown);
    var complete = true;
    var wanted = {};
    for (var r = 0; r < end; r++) {
      var i = state.results[r];
      if (state.pageCards[i]) {
        if (complete) fragment.appendChild(state.pageCards[i]);
      } else if (state.cards[i]) {
        if (complete) fragment.appendChild(card(state, i));
      } else {
        complete = false;
        wanted[Math.floor(i / state.data.chunk)] = true;
      }
    }
    dom.list.replaceChildren(fragment);
    Object.keys(wanted).forEach(function (chunk) { wantCards(state, Number(chunk)); });
    var waiting = !complete || ns.filters.waiting(state);
    // tests and assistive technology wait for aria-busy="false" before reading the results
    dom.list.setAttribute("aria-busy", waiting ? "true" : "false");
    dom.loading.hidden = !waiting;
    dom.more.parentNode.hidden = state.results.length <= state.shown;
    dom.empty.hidden = state.results.length > 0 || waiting;
    if (dom.someWords) dom.someWords.hidden = !state.someWords || waiting;
    if (state.pendingFocus !== null && dom.list.children[state.pendingFocus]) {
      dom.list.children[state.pendingFocus].querySelector("a").focus();
      state.pendingFocus = null;
    }
  }

  /** "12 resources" in the status line, and on the drawer's "Show 12 results" button. */
  function count(state) {
    var dom = state.dom;
    if (ns.filters.waiting(state)) {
      // not "0 resources" while the keyword text is on its way
      dom.status.textContent = dom.loading.textContent;
      return;
    }
    var total = state.results.length;
    var form = state.plurals.select(total);
    var parts = (state.countForms[form] || state.countForms.other).split("{n}");
    var number = element("span", "", String(total));
    number.setAttribute("data-count", String(total));
    var nodes = [document.createTextNode(parts[0]), number];
    if (parts.length > 1) nodes.push(document.createTextNode(parts.slice(1).join(String(total))));
    dom.status.replaceChildren.apply(dom.status, nodes);
    var shows = state.showForms[form] || state.showForms.other;
    dom.showButton.textContent = shows.split("{n}").join(String(total));
  }

  /** Each option's count, options that would give nothing dimmed, and how many filters are on. */
  function facets(state, tallies, query) {
    var active = query.from !== null || query.to !== null ? 1 : 0;
    state.facets.forEach(function (f, k) {
      var ticked = 0;
      f.counts.forEach(function (node, i) {
        if (!node) return;
        var tally = String(tallies[k][i]);
        if (node.textContent !== tally) node.textContent = tally;
        f.boxes[i].parentNode.classList.toggle("is-empty", tallies[k][i] === 0 && !f.selected[i]);
        ticked += f.selected[i];
      });
      if (f.details) f.details.querySelector("[data-selected]").textContent = ticked ? "(" + ticked + ")" : "";
      active += ticked;
    });
    state.dom.activeCount.textContent = active ? "(" + active + ")" : "";
    mine(state, tallies);
  }

  /** "Only in <language> (12)": ticked when the language facet's option is, with its count. */
  function mine(state, tallies) {
    var dom = state.dom;
    if (!dom.mine) return;
    var f = state.language;
    var i = f.codes.indexOf(dom.mine.getAttribute("data-mine"));
    dom.mine.checked = i >= 0 && f.selected[i] === 1;
    var text = "(" + (i >= 0 ? tallies[state.facets.indexOf(f)][i] : 0) + ")";
    if (dom.mineCount.textContent !== text) dom.mineCount.textContent = text;
  }

  /** On a phone the filters are a drawer over the results; on a wide screen (CSS) they stay beside them. */
  function drawer(state, open) {
    var panel = state.dom.panel;
    var toggle = state.dom.toggle;
    panel.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.documentElement.classList.toggle("spm-drawer-open", open);
    if (open) {
      var first = panel.querySelector("select, input, summary");
      if (first) first.focus();
    } else if (document.activeElement && panel.contains(document.activeElement)) {
      toggle.focus();
    }
  }

  ns.render = { list: list, count: count, facets: facets, drawer: drawer };
})();
