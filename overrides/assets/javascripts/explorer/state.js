/* Catalogue explorer, its state: the one object every other part reads and changes, made from
 * the page and the data, and the data's parts that come on demand.
 *
 * Data comes in parts (spmlib/site/explorer.py), scripts rather than JSON so that the page also
 * works when opened from file://:
 * - explorer-data.js (window.spmExplorerData), loaded with the page: the facet index. Entries
 *   are numbered newest first; data.values holds one string per facet, each entry's option
 *   indexes as characters ("0" is option 0, see decode()), entries separated by commas;
 *   data.years their years (0: undated). Filtering and counts need nothing else.
 * - explorer-data/cards-N.js: id, title, title language, summary line and its language of
 *   data.chunk entries, injected when one of them is to be shown. The first page's cards are
 *   in the HTML already (the no-JavaScript list), and are reused as they are.
 * - explorer-data/words-N.js: the keyword text of data.wordsChunk entries, and
 *   explorer-data/keys-0.js, the words of the keys they share (type, organisation, standards...)
 *   and the language's stop words, all injected at the first use of the keyword box. An
 *   entry's text is its words in the fields of ../rank.js's `doc`, which filters.js ranks with:
 *   "title|title variants|id|key numbers|other words" (spmlib.site.explorer.keyword_texts).
 * - explorer-data/order-0.js: each entry's rank by title, for sorting by title.
 * Each part calls window.spmExplorerChunk(kind, number, payload). Everything from the catalogue
 * reaches the page through textContent and setAttribute, never as HTML.
 */
(function () {
  "use strict";

  var ns = (window.spmExplorer = window.spmExplorer || {});

  /** The option indexes of one entry in one facet (spmlib.site.explorer.encode_values). */
  function decode(text) {
    var values = new Array(text.length);
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      values[i] = c < 92 ? c - 48 : c - 49;
    }
    return values;
  }

  /** Injects the on-demand parts as <script> tags (no fetch: it would be refused on file://). */
  function Loader(base) {
    var parts = {};
    window.spmExplorerChunk = function (kind, number, payload) {
      var part = parts[kind + "-" + number];
      if (!part) return;
      part.payload = payload;
      part.done = true;
      part.waiting.splice(0).forEach(function (then) { then(payload); });
    };
    this.load = function (kind, number, then) {
      var key = kind + "-" + number;
      var part = parts[key];
      if (!part) {
        part = parts[key] = { done: false, waiting: [] };
        var script = document.createElement("script");
        script.src = base + key + ".js";
        script.async = true;
        // a part that did not come (a dropped connection) is asked for again at the reader's next action
        script.onerror = function () {
          delete parts[key];
          script.remove();
        };
        document.head.appendChild(script);
      }
      if (part.done) then(part.payload);
      else part.waiting.push(then);
    };
    this.requested = function (kind, number) { return parts[kind + "-" + number] !== undefined; };
  }

  /** One facet: code -> option index, its checkboxes and count elements by option index, and
   * each entry's option indexes (the column). */
  function facet(form, data, name, k) {
    var codes = data.facets[name].map(function (pair) { return pair[0]; });
    var byCode = {};
    codes.forEach(function (code, i) { byCode[code] = i; });
    var boxes = [];
    var counts = [];
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      var i = byCode[box.value];
      if (i === undefined) return;
      boxes[i] = box;
      counts[i] = box.parentNode.querySelector("[data-facet-count]");
    });
    return {
      name: name,
      codes: codes,
      labels: data.facets[name].map(function (pair) { return pair[1]; }),
      boxes: boxes,
      counts: counts,
      details: form.querySelector('[data-facet="' + name + '"]'),
      selected: new Uint8Array(codes.length),
      active: false,
      column: data.values[k].split(",").map(decode),
    };
  }

  /** Per entry, 1 if the facet `language` gives it `lang`: the sorts put those first among equals (filters.js). */
  function mine(language, lang) {
    var index = language.codes.indexOf(lang);
    var flags = new Uint8Array(language.column.length);
    language.column.forEach(function (values, i) { flags[i] = values.indexOf(index) >= 0 ? 1 : 0; });
    return flags;
  }

  /** The page's elements the explorer reads and changes. */
  function elements(root) {
    var pick = function (selector) { return root.querySelector(selector); };
    return {
      form: pick("form"),
      list: pick("[data-results]"),
      status: pick('[role="status"]'),
      panel: pick("[data-panel]"),
      toggle: pick("[data-toggle]"),
      activeCount: pick("[data-active]"),
      showButton: pick("[data-show]"),
      empty: pick("[data-empty]"),
      someWords: pick("[data-some-words]"),
      loading: pick("[data-loading]"),
      more: pick("[data-more]"),
      pages: pick("[data-pages]"),
      chips: pick("[data-chips]"),
      heading: document.querySelector("[data-explorer-heading]"),
      mine: pick("[data-mine]"),
      mineCount: pick("[data-mine-count]"),
    };
  }

  /** The explorer's state, from the page's [data-explorer] element and explorer-data.js. */
  function create(root, data) {
    var dom = elements(root);
    var n = data.count;
    // The on-demand parts sit in a folder next to explorer-data.js, wherever the page is.
    var dataScript = document.querySelector('script[src$="explorer-data.js"]');
    var base = new URL(data.dir + "/", dataScript ? dataScript.src : location.href).href;
    // in the order of data.values (spmlib.site.explorer.FACETS); render.js reads the first four by position
    var facets = data.facetNames.map(function (name, k) { return facet(dom.form, data, name, k); });
    var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 50;
    var language = facets[data.facetNames.indexOf("language")];
    return {
      data: data,
      dom: dom,
      n: n,
      years: data.years,
      facets: facets,
      columns: facets.map(function (f) { return f.column; }),
      language: language, // the facet the "Only in <language>" switch (dom.mine) ticks for the page's language
      mine: mine(language, data.lang), // per entry, 1 if it has a document in the page's language
      countForms: JSON.parse(root.getAttribute("data-count-forms")),
      showForms: JSON.parse(root.getAttribute("data-show-forms")),
      plurals: new Intl.PluralRules(data.lang),
      pageSize: pageSize,
      parts: new Loader(base),
      cards: new Array(n), // [id, title, titleLang, summary, summaryLang] once its chunk is in
      texts: new Array(n), // keyword text, from its chunk until the keys are in too
      docs: new Array(n), // rank.js's document, from the keyword text and the keys
      keys: null, // each key's words, once keys-0.js is in
      stops: null, // the language's stop words (lunr's, as listed), from keys-0.js
      wordParts: Math.ceil(n / data.wordsChunk) + 1, // the words chunks and keys-0.js
      wordsIn: 0,
      order: null, // rank by title, once order-0.js is in
      found: { wordsIn: -1 }, // each keyword's entries, kept while the reader types (filters.js)
      scored: { key: null }, // the last query's scores
      yearOrder: null, // each entry's rank by year, worked out at the first sort by year
      // the cards of the first page, already in the HTML: entry i is the i-th, newest first
      pageCards: Array.prototype.slice.call(dom.list.children),
      results: [],
      shown: pageSize,
      pendingFocus: null, // the result to focus once drawn, after "Show more"
      chipLabels: JSON.parse(dom.chips.getAttribute("data-chip-labels")),
      chipActions: [], // what each chip's button does: unticks its filter (render.js's chips)
      allTitle: dom.heading ? dom.heading.textContent : "",
      pageTitle: document.title,
    };
  }

  /** Brings in a chunk of cards; `then` runs once they are stored. */
  function loadCards(state, chunk, then) {
    state.parts.load("cards", chunk, function (payload) {
      var first = chunk * state.data.chunk;
      for (var i = 0; i < payload.length; i++) state.cards[first + i] = payload[i];
      then();
    });
  }

  /** Asks once for the keyword text of every entry and for the keys; `then` runs as each part is stored. */
  function loadWords(state, then) {
    if (!state.parts.requested("keys", 0)) {
      state.parts.load("keys", 0, function (payload) {
        state.keys = payload.keys.map(function (text) { return split(text); });
        state.stops = Object.create(null); // no "constructor" from Object's prototype
        payload.stop.split(" ").forEach(function (word) { if (word) state.stops[word] = true; });
        stored(state, then);
      });
    }
    for (var c = 0; c < state.wordParts - 1; c++) {
      if (state.parts.requested("words", c)) continue;
      state.parts.load("words", c, storeWords(state, c * state.data.wordsChunk, then));
    }
  }

  function storeWords(state, first, then) {
    return function (payload) {
      for (var i = 0; i < payload.length; i++) state.texts[first + i] = payload[i];
      stored(state, then);
    };
  }

  function stored(state, then) {
    state.wordsIn++;
    makeDocs(state);
    then();
  }

  function split(text) {
    return text ? text.split(" ") : [];
  }

  /** rank.js's documents of the entries whose keyword text is in, once the keys are. */
  function makeDocs(state) {
    if (!state.keys) return;
    var rank = ns.rank;
    for (var i = 0; i < state.n; i++) {
      var text = state.texts[i];
      if (text === undefined) continue;
      var fields = text.split("|");
      var keys = split(fields[3]).map(function (n) { return state.keys[+n]; });
      // The title's variants and the other words only go into rank.js's joined fields: given
      // joined already, as one item (splitting the other words of 10,000 entries takes seconds)
      state.docs[i] = rank.doc(split(fields[0]), [fields[1]], split(fields[2]), keys, [fields[4]]);
      state.texts[i] = undefined;
    }
  }

  /** Asks once for the entries' ranks by title; `then` runs once they are in. */
  function loadOrder(state, then) {
    if (state.parts.requested("order", 0)) return;
    state.parts.load("order", 0, function (payload) {
      state.order = payload;
      then();
    });
  }

  ns.state = { create: create, loadCards: loadCards, loadWords: loadWords, loadOrder: loadOrder };
})();
