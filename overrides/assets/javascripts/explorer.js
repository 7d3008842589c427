/* Catalogue explorer: faceted filtering of the "All resources" page, in the reader's browser.
 *
 * Data comes from explorer-data.js (window.spmExplorerData), a script rather than JSON so that
 * the page also works when opened from file://. Entries are lists:
 *   [id, title, titleLang, types, dimensions, standards, languages, topics, countries, year, words,
 *    summary, summaryLang]
 * where the six facet lists hold indexes into data.facets[facet]. Everything from the catalogue
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

  function start() {
    var root = document.querySelector("[data-explorer]");
    var data = window.spmExplorerData;
    if (!root || !data) return;

    var FACETS = ["type", "dimension", "standard", "language", "topic", "country"];
    var FIRST_FACET = 3;
    var YEAR = 9;
    var WORDS = 10;
    var SUMMARY = 11;
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
    var more = root.querySelector("[data-more]");
    var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 50;
    var countForms = JSON.parse(root.getAttribute("data-count-forms"));
    var plurals = new Intl.PluralRules(data.lang);
    var collator = new Intl.Collator(data.lang, { sensitivity: "base", numeric: true });
    var entries = data.entries;

    // Per facet: code -> option index, the checkboxes and their count elements by option index.
    var facets = FACETS.map(function (name) {
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
      };
    });

    var shown = pageSize;
    var results = [];
    var titleOrder = null;
    var yearOrder = null;

    /* Keep in step with spmlib/searchtext.py fold() and workers/search-fold.js (tests compare them). */
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

    /* One pass over the entries: the matches, and every option's count. */
    function filter(state) {
      var tallies = facets.map(function (f) { return new Uint32Array(f.codes.length); });
      var matches = [];
      var n = entries.length;
      var nf = facets.length;
      for (var i = 0; i < n; i++) {
        var e = entries[i];
        if (state.from !== null || state.to !== null) {
          var year = e[YEAR];
          if (!year ? !state.undated : (state.from !== null && year < state.from) || (state.to !== null && year > state.to)) continue;
        }
        if (state.terms.length) {
          var text = e[WORDS];
          var ok = true;
          for (var t = 0; t < state.terms.length; t++) {
            if (text.indexOf(state.terms[t]) === -1) { ok = false; break; }
          }
          if (!ok) continue;
        }
        var failed = -1;
        var failures = 0;
        for (var k = 0; k < nf && failures < 2; k++) {
          var f = facets[k];
          if (!f.active) continue;
          var values = e[FIRST_FACET + k];
          var hit = false;
          for (var v = 0; v < values.length; v++) {
            if (f.selected[values[v]]) { hit = true; break; }
          }
          if (!hit) { failures++; failed = k; }
        }
        if (failures === 0) {
          matches.push(i);
          for (k = 0; k < nf; k++) {
            values = e[FIRST_FACET + k];
            for (v = 0; v < values.length; v++) tallies[k][values[v]]++;
          }
        } else if (failures === 1) {
          values = e[FIRST_FACET + failed];
          for (v = 0; v < values.length; v++) tallies[failed][values[v]]++;
        }
      }
      if (state.sort === "title") matches.sort(byTitle);
      if (state.sort === "year") matches.sort(byYear);
      else if (state.terms.length) matches = titleMatchesFirst(matches, state.terms);
      return { matches: matches, tallies: tallies };
    }

    /* With keywords, the resources whose title holds them all come first, newest first within each part. */
    var foldedTitles = [];
    function titleMatchesFirst(matches, terms) {
      var first = [];
      var rest = [];
      matches.forEach(function (i) {
        var title = foldedTitles[i];
        if (title === undefined) title = foldedTitles[i] = fold(entries[i][1]);
        var all = terms.every(function (term) { return title.indexOf(term) !== -1; });
        (all ? first : rest).push(i);
      });
      return first.concat(rest);
    }

    function byTitle(a, b) {
      if (!titleOrder) {
        var order = entries.map(function (_, i) { return i; });
        order.sort(function (x, y) { return collator.compare(entries[x][1], entries[y][1]) || (x - y); });
        titleOrder = new Uint32Array(entries.length);
        order.forEach(function (entry, rank) { titleOrder[entry] = rank; });
      }
      return titleOrder[a] - titleOrder[b];
    }

    /* Newest publication first, undated last; entries are shipped newest-added first. */
    function byYear(a, b) {
      if (!yearOrder) {
        var order = entries.map(function (_, i) { return i; });
        order.sort(function (x, y) { return (entries[y][YEAR] || -1) - (entries[x][YEAR] || -1) || (x - y); });
        yearOrder = new Uint32Array(entries.length);
        order.forEach(function (entry, rank) { yearOrder[entry] = rank; });
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
    function card(e) {
      var li = element("li", "spm-card");
      li.setAttribute("data-id", e[0]);
      var link = element("a", "spm-card__title", e[1]);
      link.setAttribute("href", data.href.replace("{id}", encodeURIComponent(e[0])));
      if (e[2]) link.setAttribute("lang", e[2]);
      li.appendChild(link);
      if (e[SUMMARY]) {
        var summary = element("span", "spm-card__summary", e[SUMMARY]);
        if (e[SUMMARY + 1]) summary.setAttribute("lang", e[SUMMARY + 1]);
        li.appendChild(summary);
      }
      var meta = element("span", "spm-card__meta");
      var type = facets[0];
      meta.appendChild(element("span", "spm-card__type", type.labels[e[FIRST_FACET][0]]));
      var langs = element("span", "spm-card__langs");
      e[FIRST_FACET + 3].forEach(function (i, position) {
        if (position) langs.appendChild(document.createTextNode(" "));
        var abbr = element("abbr", "", facets[3].codes[i].toUpperCase());
        abbr.setAttribute("title", facets[3].labels[i]);
        langs.appendChild(abbr);
      });
      meta.appendChild(langs);
      if (e[YEAR]) meta.appendChild(element("span", "spm-card__year", String(e[YEAR])));
      var covers = e[FIRST_FACET + 2].map(function (i) { return facets[2].codes[i]; }).join(" · ");
      if (!covers && e[FIRST_FACET + 1].length === facets[1].codes.length) {
        covers = data.allDimensions;
      } else if (!covers) {
        covers = e[FIRST_FACET + 1].map(function (i) { return data.dimensionLabel.replace("{n}", facets[1].codes[i]); }).join(" · ");
      }
      if (covers) meta.appendChild(element("span", "spm-card__standards", covers));
      li.appendChild(meta);
      return li;
    }

    function renderList() {
      var fragment = document.createDocumentFragment();
      var end = Math.min(results.length, shown);
      for (var i = 0; i < end; i++) fragment.appendChild(card(entries[results[i]]));
      list.replaceChildren(fragment);
      more.parentNode.hidden = results.length <= shown;
      empty.hidden = results.length > 0;
    }

    function renderCount(n) {
      var forms = countForms;
      var template = forms[plurals.select(n)] || forms.other;
      var parts = template.split("{n}");
      var number = element("span", "", String(n));
      number.setAttribute("data-count", String(n));
      var nodes = [document.createTextNode(parts[0]), number];
      if (parts.length > 1) nodes.push(document.createTextNode(parts.slice(1).join(String(n))));
      status.replaceChildren.apply(status, nodes);
      var shows = showForms[plurals.select(n)] || showForms.other;
      showButton.textContent = shows.split("{n}").join(String(n));
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
      var outcome = filter(state);
      results = outcome.matches;
      if (!keepShown) shown = pageSize;
      renderList();
      renderCount(results.length);
      renderFacets(outcome.tallies, state);
      writeUrl(state);
    }

    form.addEventListener("input", function () { update(false); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      // after the browser has cleared the fields
      setTimeout(function () { update(false); }, 0);
    });
    more.addEventListener("click", function () {
      var first = Math.min(results.length, shown);
      shown += pageSize;
      renderList();
      var next = list.children[first];
      if (next) next.querySelector("a").focus();
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
    // results(): the ids of the current results, in their order (read by explorer-export.js)
    window.spmExplorer = {
      update: update,
      fold: fold,
      results: function () { return results.map(function (i) { return entries[i][0]; }); },
    };
  }
})();
