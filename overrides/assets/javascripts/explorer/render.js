/* Catalogue explorer, what the reader sees: the result cards, the count, each option's count,
 * and the filter drawer. Everything from the catalogue goes in through textContent and
 * setAttribute, never as HTML.
 */
(function () {
  "use strict";

  var ns = (window.spmExplorer = window.spmExplorer || {});

  /* Facets by their position in state.facets (state.js's FACETS). */
  var TYPE = 0;
  var LANGUAGE = 3;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A chip of a card's footer; `full`, when given, is the short text in words, for screen
   * readers and the tooltip (the chip macro of overrides/spm/_macros.html). */
  function chip(className, short, full) {
    if (!full || full === short) return element("span", "spm-chip " + className, short);
    var node = element("span", "spm-chip " + className);
    node.setAttribute("title", full);
    var shown = element("span", "spm-chip__short", short);
    shown.setAttribute("aria-hidden", "true");
    node.appendChild(shown);
    node.appendChild(element("span", "spm-visually-hidden", full));
    return node;
  }

  function languages(state, i) {
    var facet = state.facets[LANGUAGE];
    // the page's language first, as the card macro does (View.own_first)
    var own = facet.codes.indexOf(state.data.lang);
    var values = state.columns[LANGUAGE][i].slice().sort(function (a, b) { return (b === own) - (a === own); });
    if (!values.length) return null;
    var codes = values.map(function (v) { return facet.codes[v].toUpperCase(); });
    var names = values.map(function (v) { return facet.labels[v]; });
    return chip("spm-card__langs", codes.join(" "), names.join(", "));
  }

  /** The markup of the card macro in overrides/spm/_macros.html: keep the two in step. The
   * coverage chip comes worked out in the data (spmlib.site.cards), as the pages have it. */
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
    var chips = [chip("spm-card__type", state.facets[TYPE].labels[state.columns[TYPE][i][0]])];
    chips.push(languages(state, i));
    if (state.years[i]) chips.push(chip("spm-card__year", String(state.years[i])));
    if (c[5]) chips.push(chip("spm-card__standards", c[5], c[6]));
    var meta = element("span", "spm-card__meta");
    chips.forEach(function (node) {
      if (!node) return;
      if (meta.firstChild) meta.appendChild(document.createTextNode(" "));
      meta.appendChild(node);
    });
    li.appendChild(meta);
    return li;
  }

  /** Asks once for a chunk of cards the list waits for; the list is drawn again when it comes in. */
  function wantCards(state, chunk) {
    if (state.parts.requested("cards", chunk)) return;
    ns.state.loadCards(state, chunk, function () { list(state); });
  }

  function sameChildren(parent, nodes) {
    var children = parent.children;
    if (children.length !== nodes.length) return false;
    for (var i = 0; i < nodes.length; i++) if (children[i] !== nodes[i]) return false;
    return true;
  }

  /** The shown results, from the first page's own cards or from the parts already in; the
   * parts still missing are asked for, and the list is drawn again as each comes in. */
  function list(state) {
    var dom = state.dom;
    var nodes = [];
    var end = Math.min(state.results.length, state.shown);
    var complete = true;
    var wanted = {};
    for (var r = 0; r < end; r++) {
      var i = state.results[r];
      if (state.pageCards[i]) {
        if (complete) nodes.push(state.pageCards[i]);
      } else if (state.cards[i]) {
        if (complete) nodes.push(card(state, i));
      } else {
        complete = false;
        wanted[Math.floor(i / state.data.chunk)] = true;
      }
    }
    // the list as the page came is left as it is: moving its cards out and back costs a phone
    // a second layout of the whole list at load, for nothing
    if (!sameChildren(dom.list, nodes)) dom.list.replaceChildren.apply(dom.list, nodes);
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

  /** A label of the chips (taxonomy/ui.yaml, spmlib.site.explorer.CHIP_LABELS) with its placeholders filled in. */
  function chipLabel(state, name, values) {
    var text = state.chipLabels[name];
    Object.keys(values).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  /** The filters on, each with what removes it: every ticked option of every facet (so a facet
   * added to state.js gets its chips), the keywords and the years. */
  function activeFilters(state, query) {
    var elements = state.dom.form.elements;
    var filters = [];
    var words = elements.q.value.trim();
    if (words) filters.push({ text: chipLabel(state, "keywords", { words: words }), remove: function () { elements.q.value = ""; } });
    state.facets.forEach(function (f) {
      f.codes.forEach(function (_, i) {
        if (!f.selected[i]) return;
        filters.push({ text: f.labels[i], remove: function () { f.boxes[i].checked = false; } });
      });
    });
    if (query.from !== null || query.to !== null) {
      var years = query.from === null ? chipLabel(state, "to", { year: query.to })
        : query.to === null ? chipLabel(state, "from", { year: query.from })
        : chipLabel(state, "years", { from: query.from, to: query.to });
      filters.push({ text: years, remove: function () {
        elements.from.value = "";
        elements.to.value = "";
        elements.undated.checked = true;
      } });
    }
    return filters;
  }

  /** A filter's chip: a button that removes it (not the cards' footer chips, `chip` above). */
  function filterChip(text, name, className) {
    var button = element("button", className);
    button.type = "button";
    if (name !== text) button.setAttribute("aria-label", name);
    button.appendChild(element("span", "", text));
    var cross = element("span", "spm-filter-chip__x", "×");
    cross.setAttribute("aria-hidden", "true");
    button.appendChild(cross);
    var li = element("li");
    li.appendChild(button);
    return li;
  }

  /** "Filtered resources" as the heading while filters are on, and in the window's title, with
   * the filters named there (history, bookmarks and the tab say which list it is). */
  function headings(state, labels) {
    var heading = state.dom.heading;
    if (!heading) return;
    var filtered = heading.getAttribute("data-filtered");
    heading.textContent = labels.length ? filtered : state.allTitle;
    var title = state.pageTitle;
    var rest = title.indexOf(state.allTitle) === 0 ? title.slice(state.allTitle.length) : " - " + title;
    var wanted = labels.length ? [filtered].concat(labels).join(" · ") + rest : title;
    if (document.title !== wanted) document.title = wanted;
  }

  /** The filters on as chips after the count, a "clear all" one when two or more are on, and a
   * heading that no longer says "all" while they are. Drawn again only when they change, so
   * that a chip keeps the focus while the reader types. */
  function chips(state, query) {
    var filters = activeFilters(state, query);
    var labels = filters.map(function (f) { return f.text; });
    var all = filters.length > 1 ? filters.concat([{ text: state.chipLabels.clear, clear: true, remove: function () {
      filters.forEach(function (f) { f.remove(); });
    } }]) : filters;
    state.chipActions = all.map(function (f) { return f.remove; });
    headings(state, labels);
    var key = JSON.stringify(labels);
    if (state.chipsKey === key) return;
    state.chipsKey = key;
    var list = state.dom.chips;
    var fragment = document.createDocumentFragment();
    all.forEach(function (f, i) {
      var name = f.clear ? f.text : chipLabel(state, "remove", { filter: f.text });
      var item = filterChip(f.text, name, f.clear ? "spm-filter-chip spm-filter-chip--clear" : "spm-filter-chip");
      item.firstChild.setAttribute("data-chip", String(i));
      fragment.appendChild(item);
    });
    list.replaceChildren(fragment);
    list.hidden = filters.length === 0;
  }

  ns.render = { list: list, count: count, facets: facets, drawer: drawer, chips: chips };
})();
