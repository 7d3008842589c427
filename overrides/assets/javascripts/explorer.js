/* Catalogue explorer: faceted filtering of the "All resources" page, in the reader's browser.
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
 * - explorer-data/words-N.js: the keyword text ("title words|other words") of data.wordsChunk
 *   entries, all injected at the first use of the keyword box.
 * - explorer-data/order-0.js: each entry's rank by title, for sorting by title.
 * Each part calls window.spmExplorerChunk(kind, number, payload). Everything from the catalogue
 * reaches the page through textContent and setAttribute, never as HTML.
 *
 * Within a facet, options are alternatives (OR); facets, keywords and years narrow (AND). Each
 * option's count is how many entries the results would hold with that option also ticked.
 */
(function () {
  "use strict";

  /* Material opens its own search box for a `q` in the address and later deletes it. This
   * script runs before Material's (it is not deferred), so it takes the address's filters and
   * hides `q` from Material; the filters are written back once the explorer has started. */
  var initialQuery = location.search;
  if (new URLSearchParams(initialQuery).has("q")) {
    try {
      history.replaceState(history.state, "", location.pathname + location.hash);
    } catch (error) {
      /* file:// in some browsers: Material will then show the keywords in its search box too */
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  /* The option indexes of one entry in one facet (spmlib.site.explorer.encode_values). */
  function decode(text) {
    var values = new Array(text.length);
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      values[i] = c < 92 ? c - 48 : c - 49;
    }
    return values;
  }

  /* Injects the on-demand parts as <script> tags (no fetch: it would be refused on file://). */
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

  function start() {
    var root = document.querySelector("[data-explorer]");
    var data = window.spmExplorerData;
    if (!root || !data) return;

    var FACETS = ["type", "dimension", "standard", "language", "topic", "country"];
    var CASE = { standard: "upper", country: "upper", language: "lower", type: "lower", topic: "lower", dimension: "lower" };

    var form = root.querySelector("form");
    var list = root.querySelector("[data-results]");
    var status = root.querySelector('[role="status"]');
    var panel = root.querySelector("[data-panel]");
    var toggle = root.querySelector("[data-toggle]");
    var activeCount = root.querySelector("[data-active]");
    var showButton = root.querySelector("[data-show]");
    var showForms = JSON.parse(root.getAttribute("data-show-forms"));
    var empty = root.querySelector("[data-empty]");
    var loading = root.querySelector("[data-loading]");
    var more = root.querySelector("[data-more]");
    var pages = root.querySelector("[data-pages]");
    var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 50;
    var countForms = JSON.parse(root.getAttribute("data-count-forms"));
    var plurals = new Intl.PluralRules(data.lang);
    var n = data.count;
    var years = data.years;

    // The on-demand parts sit in a folder next to explorer-data.js, wherever the page is.
    var dataScript = document.querySelector('script[src$="explorer-data.js"]');
    var base = new URL(data.dir + "/", dataScript ? dataScript.src : location.href).href;
    var loader = new Loader(base);
    var cards = new Array(n); // [id, title, titleLang, summary, summaryLang] once its chunk is in
    var words = new Array(n); // "title words|other words" once its chunk is in
    var wordChunks = Math.ceil(n / data.wordsChunk);
    var wordsIn = 0;
    var order = null; // rank by title, once order-0.js is in
    var pendingFocus = null;

    // The cards of the first page, already in the HTML: entry i is the i-th, newest first.
    var pageCards = Array.prototype.slice.call(list.children);
    if (pages) pages.hidden = true; // the explorer shows the whole list; no need for its pages

    // Per facet: code -> option index, the checkboxes and their count elements by option index,
    // and each entry's option indexes (the column).
    var facets = FACETS.map(function (name, k) {
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
        byCode: byCode,
        labels: data.facets[name].map(function (pair) { return pair[1]; }),
        boxes: boxes,
        counts: counts,
        details: form.querySelector('[data-facet="' + name + '"]'),
        selected: new Uint8Array(codes.length),
        active: false,
        column: data.values[k].split(",").map(decode),
      };
    });
    var columns = facets.map(function (f) { return f.column; });

    var shown = pageSize;
    var results = [];

    /* Keep in step with spmlib/model/words.py fold() and workers/search-fold.js (tests compare them). */
    var LIGATURES = { "\u0153": "oe", "\u00e6": "ae", "\u00df": "ss" };
    function fold(text) {
      return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u0153\u00e6\u00df]/g, function (c) {
        return LIGATURES[c];
      });
    }

    function terms(query) {
      return fold(query).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; });
    }

    function yearOf(input) {
      var value = parseInt(input.value, 10);
      return isNaN(value) ? null : value;
    }

    function readForm() {
      facets.forEach(function (f) {
        f.selected.fill(0);
        f.active = false;
        f.boxes.forEach(function (box, i) {
          if (box && box.checked) { f.selected[i] = 1; f.active = true; }
        });
      });
      return {
        terms: terms(form.elements.q.value),
        from: yearOf(form.elements.from),
        to: yearOf(form.elements.to),
        undated: form.elements.undated.checked,
        sort: form.elements.sort.value,
      };
    }

    /* The keyword text of every entry, asked for at the first use of the keyword box; the
     * results are worked out again as each part comes in. */
    function loadWords() {
      for (var c = 0; c < wordChunks; c++) {
        if (loader.requested("words", c)) continue;
        loader.load("words", c, (function (first) {
          return function (payload) {
            for (var i = 0; i < payload.length; i++) words[first + i] = payload[i];
            wordsIn++;
            if (terms(form.elements.q.value).length) update(true);
          };
        })(c * data.wordsChunk));
      }
    }

    function loadOrder() {
      if (loader.requested("order", 0)) return;
      loader.load("order", 0, function (payload) {
        order = payload;
        if (form.elements.sort.value === "title") update(true);
      });
    }

    /* One pass over the entries: the matches, and every option's count. */
    function filter(state) {
      var tallies = facets.map(function (f) { return new Uint32Array(f.codes.length); });
      var matches = [];
      var nf = facets.length;
      var values, v, k;
      for (var i = 0; i < n; i++) {
        if (state.from !== null || state.to !== null) {
          var year = years[i];
          if (!year ? !state.undated : (state.from !== null && year < state.from) || (state.to !== null && year > state.to)) continue;
        }
        if (state.terms.length) {
          var text = words[i];
          if (text === undefined) continue; // its keyword text is still on its way
          var ok = true;
          for (var t = 0; t < state.terms.length; t++) {
            if (text.indexOf(state.terms[t]) === -1) { ok = false; break; }
          }
          if (!ok) continue;
        }
        var failed = -1;
        var failures = 0;
        for (k = 0; k < nf && failures < 2; k++) {
          var f = facets[k];
          if (!f.active) continue;
          values = columns[k][i];
          var hit = false;
          for (v = 0; v < values.length; v++) {
            if (f.selected[values[v]]) { hit = true; break; }
          }
          if (!hit) { failures++; failed = k; }
        }
        if (failures === 0) {
          matches.push(i);
          for (k = 0; k < nf; k++) {
            values = columns[k][i];
            for (v = 0; v < values.length; v++) tallies[k][values[v]]++;
          }
        } else if (failures === 1) {
          values = columns[failed][i];
          for (v = 0; v < values.length; v++) tallies[failed][values[v]]++;
        }
      }
      if (state.sort === "title" && order) matches.sort(function (a, b) { return order[a] - order[b]; });
      if (state.sort === "year") matches.sort(byYear);
      else if (state.terms.length) matches = titleMatchesFirst(matches, state.terms);
      return { matches: matches, tallies: tallies };
    }

    /* With keywords, the resources whose title holds them all come first, newest first within each part. */
    var titleWords = [];
    function titleMatchesFirst(matches, terms) {
      var first = [];
      var rest = [];
      matches.forEach(function (i) {
        var title = titleWords[i];
        if (title === undefined) title = titleWords[i] = words[i].slice(0, words[i].indexOf("|"));
        var all = terms.every(function (term) { return title.indexOf(term) !== -1; });
        (all ? first : rest).push(i);
      });
      return first.concat(rest);
    }

    /* Newest publication first, undated last; entries are numbered newest-added first. */
    var yearOrder = null;
    function byYear(a, b) {
      if (!yearOrder) {
        var ranked = years.map(function (_, i) { return i; });
        ranked.sort(function (x, y) { return (years[y] || -1) - (years[x] || -1) || (x - y); });
        yearOrder = new Uint32Array(n);
        ranked.forEach(function (entry, rank) { yearOrder[entry] = rank; });
      }
      return yearOrder[a] - yearOrder[b];
    }

    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    }

    /* The markup of the card macro in overrides/spm/_macros.html: keep the two in step. */
    function card(i) {
      var c = cards[i];
      var li = element("li", "spm-card");
      li.setAttribute("data-id", c[0]);
      var link = element("a", "spm-card__title", c[1]);
      link.setAttribute("href", data.href.replace("{id}", encodeURIComponent(c[0])));
      if (c[2]) link.setAttribute("lang", c[2]);
      li.appendChild(link);
      if (c[3]) {
        var summary = element("span", "spm-card__summary", c[3]);
        if (c[4]) summary.setAttribute("lang", c[4]);
        li.appendChild(summary);
      }
      var meta = element("span", "spm-card__meta");
      meta.appendChild(element("span", "spm-card__type", facets[0].labels[columns[0][i][0]]));
      var langs = element("span", "spm-card__langs");
      columns[3][i].forEach(function (v, position) {
        if (position) langs.appendChild(document.createTextNode(" "));
        var abbr = element("abbr", "", facets[3].codes[v].toUpperCase());
        abbr.setAttribute("title", facets[3].labels[v]);
        langs.appendChild(abbr);
      });
      meta.appendChild(langs);
      if (years[i]) meta.appendChild(element("span", "spm-card__year", String(years[i])));
      var covers = columns[2][i].map(function (v) { return facets[2].codes[v]; }).join(" · ");
      if (!covers && columns[1][i].length === facets[1].codes.length) {
        covers = data.allDimensions;
      } else if (!covers) {
        covers = columns[1][i].map(function (v) { return data.dimensionLabel.replace("{n}", facets[1].codes[v]); }).join(" · ");
      }
      if (covers) meta.appendChild(element("span", "spm-card__standards", covers));
      li.appendChild(meta);
      return li;
    }

    /* Asks once for a chunk of cards; the list is drawn again when it comes in. */
    function loadCards(chunk) {
      if (loader.requested("cards", chunk)) return;
      loader.load("cards", chunk, function (payload) {
        storeCards(chunk, payload);
        renderList();
      });
    }

    function storeCards(chunk, payload) {
      var first = chunk * data.chunk;
      for (var i = 0; i < payload.length; i++) cards[first + i] = payload[i];
    }

    /* The shown results, from the first page's own cards or from the parts already in; the
     * parts still missing are asked for, and the list is drawn again as each comes in. */
    function renderList() {
      var fragment = document.createDocumentFragment();
      var end = Math.min(results.length, shown);
      var complete = true;
      var wanted = {};
      for (var r = 0; r < end; r++) {
        var i = results[r];
        if (pageCards[i]) {
          if (complete) fragment.appendChild(pageCards[i]);
        } else if (cards[i]) {
          if (complete) fragment.appendChild(card(i));
        } else {
          complete = false;
          wanted[Math.floor(i / data.chunk)] = true;
        }
      }
      list.replaceChildren(fragment);
      Object.keys(wanted).forEach(function (chunk) { loadCards(Number(chunk)); });
      var waiting = !complete || waitingForText();
      // tests and assistive technology wait for aria-busy="false" before reading the results
      list.setAttribute("aria-busy", waiting ? "true" : "false");
      loading.hidden = !waiting;
      more.parentNode.hidden = results.length <= shown;
      empty.hidden = results.length > 0 || waiting;
      if (pendingFocus !== null && list.children[pendingFocus]) {
        list.children[pendingFocus].querySelector("a").focus();
        pendingFocus = null;
      }
    }

    /* Keywords before their text is in, or a sort by title before the order is: the results are not final. */
    function waitingForText() {
      return (terms(form.elements.q.value).length > 0 && wordsIn < wordChunks) || (form.elements.sort.value === "title" && !order);
    }

    function renderCount(count) {
      if (waitingForText()) {
        // not "0 resources" while the keyword text is on its way
        status.textContent = loading.textContent;
        return;
      }
      var forms = countForms;
      var template = forms[plurals.select(count)] || forms.other;
      var parts = template.split("{n}");
      var number = element("span", "", String(count));
      number.setAttribute("data-count", String(count));
      var nodes = [document.createTextNode(parts[0]), number];
      if (parts.length > 1) nodes.push(document.createTextNode(parts.slice(1).join(String(count))));
      status.replaceChildren.apply(status, nodes);
      var shows = showForms[plurals.select(count)] || showForms.other;
      showButton.textContent = shows.split("{n}").join(String(count));
    }

    function renderFacets(tallies, state) {
      var active = (state.from !== null || state.to !== null) ? 1 : 0;
      facets.forEach(function (f, k) {
        var ticked = 0;
        f.counts.forEach(function (node, i) {
          if (!node) return;
          var count = tallies[k][i];
          if (node.textContent !== String(count)) node.textContent = String(count);
          f.boxes[i].parentNode.classList.toggle("is-empty", count === 0 && !f.selected[i]);
          ticked += f.selected[i];
        });
        if (f.details) f.details.querySelector("[data-selected]").textContent = ticked ? "(" + ticked + ")" : "";
        active += ticked;
      });
      activeCount.textContent = active ? "(" + active + ")" : "";
    }

    function writeUrl(state) {
      var params = [];
      var q = form.elements.q.value.trim();
      if (q) params.push("q=" + encodeURIComponent(q));
      facets.forEach(function (f) {
        var codes = f.codes.filter(function (_, i) { return f.selected[i]; });
        if (codes.length) params.push(f.name + "=" + codes.map(encodeURIComponent).join(","));
      });
      if (state.from !== null) params.push("from=" + state.from);
      if (state.to !== null) params.push("to=" + state.to);
      if (!state.undated) params.push("undated=0");
      if (state.sort !== "newest") params.push("sort=" + encodeURIComponent(state.sort));
      var query = params.length ? "?" + params.join("&") : "";
      if (query !== location.search) {
        try {
          history.replaceState(history.state, "", location.pathname + query + location.hash);
        } catch (error) {
          /* some browsers refuse history changes on file:// pages; the filters still work */
        }
      }
    }

    function readUrl(search) {
      var params = new URLSearchParams(search);
      form.elements.q.value = params.get("q") || "";
      facets.forEach(function (f) {
        var wanted = {};
        params.getAll(f.name).forEach(function (value) {
          value.split(",").forEach(function (code) {
            code = code.trim();
            code = CASE[f.name] === "upper" ? code.toUpperCase() : code.toLowerCase();
            if (code) wanted[code] = true;
          });
        });
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
        form.elements[name].value = isNaN(value) ? "" : String(value);
      });
      var sort = params.get("sort");
      form.elements.sort.value = sort === "title" || sort === "year" ? sort : "newest";
      form.elements.undated.checked = params.get("undated") !== "0";
    }

    function update(keepShown) {
      var state = readForm();
      if (state.terms.length) loadWords();
      if (state.sort === "title") loadOrder();
      var outcome = filter(state);
      results = outcome.matches;
      if (!keepShown) shown = pageSize;
      renderList();
      renderCount(results.length);
      renderFacets(outcome.tallies, state);
      writeUrl(state);
    }

    /* The current results as the CSV download wants them (explorer-export.js), once their cards are in. */
    function exportRows(then) {
      var chunks = {};
      results.forEach(function (i) { if (!cards[i]) chunks[Math.floor(i / data.chunk)] = true; });
      var missing = Object.keys(chunks);
      var left = missing.length;
      function done() {
        then(results.map(function (i) {
          var c = cards[i];
          var codes = facets.map(function (f, k) {
            return columns[k][i].map(function (v) { return f.codes[v]; });
          });
          return [c[0], c[1], c[2] || data.lang].concat(codes, [years[i] || ""]);
        }));
      }
      if (!left) return done();
      missing.forEach(function (chunk) {
        loadCards(Number(chunk)); // so that the list is drawn again too, if it waits for this chunk
        loader.load("cards", Number(chunk), function (payload) {
          storeCards(Number(chunk), payload);
          if (--left === 0) done();
        });
      });
    }

    form.addEventListener("input", function () { update(false); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      // after the browser has cleared the fields
      setTimeout(function () { update(false); }, 0);
    });
    // the keyword text starts coming as soon as the reader is about to type
    form.elements.q.addEventListener("focus", loadWords);
    more.addEventListener("click", function () {
      pendingFocus = Math.min(results.length, shown);
      shown += pageSize;
      renderList();
    });
    window.addEventListener("popstate", function () { readUrl(location.search); update(false); });

    /* On a phone the filters are a drawer over the results; on a wide screen (CSS) they stay beside them. */
    function openPanel(open) {
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
    toggle.addEventListener("click", function () { openPanel(!panel.classList.contains("is-open")); });
    panel.querySelectorAll("[data-close]").forEach(function (button) {
      button.addEventListener("click", function () {
        openPanel(false);
        if (button.hasAttribute("data-show")) status.scrollIntoView({ block: "nearest" });
      });
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.classList.contains("is-open")) openPanel(false);
    });

    readUrl(initialQuery);
    update(false);
    // exportRows(then): the current results with their codes (read by explorer-export.js)
    window.spmExplorer = {
      update: update,
      fold: fold,
      exportRows: exportRows,
    };
  }
})();
