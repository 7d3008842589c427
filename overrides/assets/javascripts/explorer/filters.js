/* Catalogue explorer, the filtering: from the form to a query, and from a query to the results
 * and every option's count, in one pass over the entries.
 *
 * Within a facet, options are alternatives (OR); facets, keywords and years narrow (AND). Each
 * option's count is how many entries the results would hold with that option also ticked.
 * Keywords find and rank entries as the header search does (issue 24), with the same
 * ../rank.js: the language's stop words are dropped, an entry must have every other word (a
 * word it equals or, from the third letter typed, begins: "des" does not find "desempeño"),
 * and the default order, "relevance", puts the best match first.
 */
(function () {
  "use strict";

  var ns = (window.spmExplorer = window.spmExplorer || {});

  var WORD = /[^\p{L}\p{N}]+/u;

  /** The folded words of the keyword box, as the keyword text of the data is folded (../fold.js),
   * without the language's stop words once they are in (`stops`, lunr's list as listed: a word
   * is one when listed as typed or once folded, as in the header search's worker); all of them
   * if they are all stop words. */
  function terms(text, stops) {
    var typed = text.toLowerCase().split(WORD).filter(function (t) { return t.length > 0; });
    var all = [];
    var kept = [];
    typed.forEach(function (word) {
      var folded = ns.fold(word);
      if (all.indexOf(folded) >= 0) return;
      all.push(folded);
      if (!stops || !(stops[word] || stops[folded])) kept.push(folded);
    });
    return kept.length ? kept : all;
  }

  function yearOf(input) {
    var value = parseInt(input.value, 10);
    return isNaN(value) ? null : value;
  }

  /** The form as a query; also marks each facet's ticked options in the state (f.selected). */
  function read(state) {
    var elements = state.dom.form.elements;
    state.facets.forEach(function (f) {
      f.selected.fill(0);
      f.active = false;
      f.boxes.forEach(function (box, i) {
        if (box && box.checked) { f.selected[i] = 1; f.active = true; }
      });
    });
    return {
      terms: terms(elements.q.value, state.stops),
      from: yearOf(elements.from),
      to: yearOf(elements.to),
      undated: elements.undated.checked,
      sort: elements.sort.value,
    };
  }

  /** Whether entry i is outside the years asked for. */
  function outOfYears(state, query, i) {
    if (query.from === null && query.to === null) return false;
    var year = state.years[i];
    if (!year) return !query.undated;
    return (query.from !== null && year < query.from) || (query.to !== null && year > query.to);
  }

  /* Keywords, fast enough for every keystroke at 10,000 entries (benchmarks/explorer.py): each
   * word's entries are worked out once (rank.js's `has`) and kept while the reader types on; a
   * word typed further ("prot", "prote") is looked for among the entries of the word it extends
   * only, since from the third letter a word that finds "prote" finds "prot" too. Its weight
   * (rank.js's idf over every entry) comes from the same pass; the scores of a query are kept
   * for the next change of facets or years. */
  var KEPT_WORDS = 64;

  /** The entries that have `term`: { has: a flag per entry, list: their numbers, weight: its idf }. */
  function found(state, term) {
    var kept = state.found;
    if (kept.wordsIn !== state.wordsIn || kept.count >= KEPT_WORDS) {
      kept = state.found = { wordsIn: state.wordsIn, count: 0, terms: Object.create(null) };
    }
    if (kept.terms[term]) return kept.terms[term];
    var from = null;
    for (var k = term.length - 1; k >= ns.rank.PREFIX_FROM && !from; k--) {
      if (kept.terms[term.slice(0, k)]) from = kept.terms[term.slice(0, k)].list;
    }
    var docs = state.docs;
    var has = new Uint8Array(state.n);
    var list = [];
    var present = new Array(state.n); // the entries that have it: rank.idf counts the holes as entries without it
    var count = from ? from.length : state.n;
    for (var j = 0; j < count; j++) {
      var i = from ? from[j] : j;
      if (docs[i] !== undefined && ns.rank.has(docs[i], term)) {
        has[i] = 1;
        list.push(i);
        present[i] = docs[i];
      }
    }
    kept.count++;
    return (kept.terms[term] = { has: has, list: list, weight: ns.rank.idf(present, [term])[term] });
  }

  /** Each term's entries, for `run`; none without keywords. */
  function entriesOf(state, query) {
    return query.terms.map(function (term) { return found(state, term); });
  }

  /** Whether entry i has every term; false while its keyword text is on its way. */
  function hasTerms(entries, i) {
    for (var t = 0; t < entries.length; t++) {
      if (!entries[t].has[i]) return false;
    }
    return true;
  }

  /** Whether entry i has at least one term (the fallback when none has them all). */
  function hasSomeTerm(entries, i) {
    for (var t = 0; t < entries.length; t++) {
      if (entries[t].has[i]) return true;
    }
    return false;
  }

  /** The matches and every option's count; when no entry has every keyword, the entries with
   * some of them, most words first (rank.js's score), and `someWords` says so, as the header
   * search does (its label, taxonomy/ui.yaml search_some_words, shown above the results). */
  function run(state, query) {
    var entries = entriesOf(state, query);
    var outcome = pass(state, query, entries, hasTerms);
    outcome.someWords = false;
    if (!outcome.matches.length && entries.length > 1 && !waiting(state)) {
      var some = pass(state, query, entries, hasSomeTerm);
      if (some.matches.length) {
        outcome = some;
        outcome.someWords = true;
      }
    }
    outcome.matches = sorted(state, query, outcome.matches, entries);
    return outcome;
  }

  /** One pass over the entries: those `keep` lets through with the facets and years, and every option's count. */
  function pass(state, query, entries, keep) {
    var facets = state.facets;
    var columns = state.columns;
    var tallies = facets.map(function (f) { return new Uint32Array(f.codes.length); });
    var matches = [];
    var nf = facets.length;
    var values, v, k;
    for (var i = 0; i < state.n; i++) {
      if (outOfYears(state, query, i)) continue;
      if (entries.length && !keep(entries, i)) continue;
      // the facets entry i fails; past two it counts for no option
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
        // it would match with one more option of the facet it fails
        values = columns[failed][i];
        for (v = 0; v < values.length; v++) tallies[failed][values[v]]++;
      }
    }
    return { matches: matches, tallies: tallies };
  }

  function sorted(state, query, matches, entries) {
    if (query.sort === "title" && state.order) {
      var order = state.order;
      return matches.sort(function (a, b) { return order[a] - order[b]; });
    }
    if (query.sort === "year") {
      var rank = yearOrder(state);
      return matches.sort(function (a, b) { return rank[a] - rank[b]; });
    }
    var ranked = query.terms.length && query.sort !== "newest" ? byRelevance(state, matches, query.terms, entries) : matches;
    return query.sort === "language" ? ownFirst(state, ranked) : ranked;
  }

  /** "French first": the entries with a document in the page's language (state.mine), then the
   * others, each in the order of relevance (newest first without keywords). A sort of its own
   * rather than a tie-breaker of "relevance": that order stays the header search's (issue 24),
   * and "Only in French" is the way to see nothing else. */
  function ownFirst(state, ranked) {
    var mine = state.mine;
    return ranked.filter(function (i) { return mine[i]; }).concat(ranked.filter(function (i) { return !mine[i]; }));
  }

  /** Best match first, by rank.js's score with each word's idf over every entry, as the header
   * search ranks (issue 24); among equals the newer publication, then the newest added. */
  function byRelevance(state, matches, terms, entries) {
    var key = terms.join(" ") + "|" + state.wordsIn;
    if (state.scored.key !== key) state.scored = { key: key, scores: new Float64Array(state.n), done: new Uint8Array(state.n) };
    var scores = state.scored.scores;
    var done = state.scored.done;
    var weights = {};
    terms.forEach(function (term, t) { weights[term] = entries[t].weight; });
    matches.forEach(function (i) {
      if (done[i]) return;
      scores[i] = ns.rank.score(state.docs[i], terms, weights);
      done[i] = 1;
    });
    // among equals, the newer publication first (Green Index 3.0 before 2.0, whichever was added
    // last), then the newest added
    var years = state.years;
    return matches.sort(function (a, b) { return scores[b] - scores[a] || (years[b] || 0) - (years[a] || 0) || a - b; });
  }

  /** Each entry's rank by publication year, newest first, undated last; within a year those in the
   * page's language first (as byRelevance), then newest added (entries are numbered so). */
  function yearOrder(state) {
    if (state.yearOrder) return state.yearOrder;
    var years = state.years;
    var ranked = years.map(function (_, i) { return i; });
    var mine = state.mine;
    ranked.sort(function (x, y) { return (years[y] || -1) - (years[x] || -1) || mine[y] - mine[x] || x - y; });
    var rank = new Uint32Array(state.n);
    ranked.forEach(function (entry, r) { rank[entry] = r; });
    return (state.yearOrder = rank);
  }

  /** Keywords before their text is in, or a sort by title before the order is: the results are not final. */
  function waiting(state) {
    var elements = state.dom.form.elements;
    return (terms(elements.q.value).length > 0 && state.wordsIn < state.wordParts) || (elements.sort.value === "title" && !state.order);
  }

  ns.filters = { terms: terms, read: read, run: run, waiting: waiting };
})();
