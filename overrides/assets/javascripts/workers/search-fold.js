/* Material's search worker, made to forgive accents, cedillas and tildes.
 *
 * lazy-search.js starts this script instead of Material's worker, with that worker's file name
 * in `?material=`. It loads Material's worker unchanged, then:
 * - adds one function at the end of lunr's indexing and search pipelines that folds each word
 *   with ../fold.js (the explorer's fold, loaded with importScripts alongside Material's
 *   worker; "FinComún" is indexed as "fincomun", as spmlib/model/words.py folds it), keeping its
 *   position, so Material still highlights the page's own, accented words;
 * - folds each query before Material reads it (Material adds a trailing wildcard to every
 *   term, which makes lunr skip the search pipeline).
 * - gives each result's matched words in the page's own spelling, which Material passes to the
 *   page in `h` to highlight there ("FinComún", not the "fincomun" that was typed).
 * Compound and synonym variants are added to the index at build time (spmlib/site/searchtext.py).
 * - gives Material its documents back from the index file's compact shape (`config.spm_docs`,
 *   spmlib/site/searchindex.py): resources by columns, their details as shared keys.
 * - answers each query with the pages that have ALL of its words (issue 24), see `search` below:
 *   the language's stop words are dropped, a word matches as a prefix from its third letter, a
 *   whole-word match in a title counts most, and resource pages come before section and browse
 *   pages. If no page has all the words, the pages with some of them are given; if none has any,
 *   the pages with words one letter away. The result says so: `spm_fallback` ("some", "near")
 *   and `spm_note`, the language's label ("No page has all the words; pages with some of them:",
 *   `config.spm_labels` in the index, from taxonomy/ui.yaml), which lazy-search.js shows.
 * It also runs inside iframe-worker's iframe on file:// pages, where importScripts is
 * asynchronous: messages that arrive before Material's worker has loaded are replayed.
 */
(function () {
  "use strict";
  var QUERY = 2;
  var RESULT = 3; /* Material's SearchMessageType: SETUP, READY, QUERY, RESULT */
  var MARK = /<mark>([\s\S]*?)<\/mark>/g;

  /** ../fold.js's fold, in by the time the first message is handled (see the end). */
  function fold(text) {
    return self.spmExplorer.fold(text);
  }

  function foldToken(token) {
    return token.update(fold);
  }

  function install(lunr) {
    if (!lunr || lunr.spmFold) return;
    lunr.spmFold = foldToken;
    lunr.Pipeline.registerFunction(foldToken, "spmFold");
    lunr.Index.prototype.search = search(lunr);
    var add = lunr.Builder.prototype.add;
    lunr.Builder.prototype.add = function () {
      if (!this.spmFolding) {
        /* After Material has set up the language's pipeline, before the first word is indexed */
        this.spmFolding = true;
        this.pipeline.add(foldToken);
        this.searchPipeline.add(foldToken);
      }
      return add.apply(this, arguments);
    };
  }

  /* The words Material highlighted in a result stand in for the folded words that found it. */
  function spellAsThePage(result) {
    (result.items || []).forEach(function (group) {
      group.forEach(function (doc) {
        var marked = [];
        (String(doc.title || "") + " " + String(doc.text || "")).replace(MARK, function (all, word) {
          marked.push(word);
          return all;
        });
        var terms = {};
        Object.keys(doc.terms || {}).forEach(function (term) {
          var own = doc.terms[term] && marked.filter(function (word) { return fold(word).indexOf(term) === 0; })[0];
          terms[own || term] = doc.terms[term];
        });
        doc.terms = terms;
      });
    });
  }

  /* Searching: Material gives lunr its own query string ("client* protection*", every word with a
   * trailing wildcard, any word enough); `search` rewrites it as clauses, one required clause a
   * word. A wildcard clause skips lunr's search pipeline, so a stop word is dropped here, before
   * lunr sees it (the index was built without them: "des*" would find "design"). */
  var PREFIX_FROM = 3; /* "cl" finds nothing yet; "cli" finds "client", "clients" */
  var EXACT_BOOST = 10; /* a whole word above a word it begins */
  var TITLE_EXACT_BOOST = 30; /* a whole word of the title (or its acronym) above all */
  var OTHER_PAGES = 1e-4; /* a section or browse page below the resources, unless the query names it */
  var START_BOOST = 3; /* a title that begins with the query: "Normes universelles pour..." */
  var KEY_BOOST = 1; /* each of a resource's standards, topics, organisations the query names */
  var NAME_BOOST = 20; /* a resource whose title or id the query covers: "SPI4" is cerise-spi4 first */
  var STANDARD_CODE = /^\d{1,2}[a-z]?$/; /* "4a", "7": a dimension or a standard */
  var state = { lang: "en", stops: {}, fallback: null, labels: {}, docs: [], names: null, keys: {} };
  var RESOURCE = /(^|\/)resources\/([^/#]+)\/$/;

  /* A resource's names, as words: its title's and its id's ("cerise-spi4": cerise, spi4). Made at
   * the first query: at SETUP, Material has not loaded the language's stop words yet. */
  function resourceNames() {
    if (state.names) return state.names;
    state.names = {};
    state.docs.splice(0).forEach(function (doc) {
      var id = RESOURCE.exec(doc.location || "");
      if (!id) return;
      var title = String(doc.title || "").replace(/<[^>]*>/g, " ");
      state.names[doc.location] = [nameWords(title), nameWords(id[2])];
    });
    return state.names;
  }

  function nameWords(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(function (word) { return word && !isStopWord(self.lunr, word); });
  }

  function finds(q, word) {
    return word === q || (q.length >= PREFIX_FROM && word.indexOf(q) === 0);
  }

  /* The share of a name's words that the query's words find (whole, or begun from the third letter). */
  function coverage(name, query) {
    if (!name.length) return 0;
    var found = name.filter(function (word) {
      return query.some(function (q) { return finds(q, word); });
    });
    return found.length / name.length;
  }

  /* Whether the name begins with the query's words, in their order. */
  function begins(name, query) {
    return query.length <= name.length && query.every(function (q, i) { return finds(q, name[i]); });
  }

  /* How many of a resource's keys (its standards, topics, organisation...) the query names: each
   * key counts the share of the query's words it has. */
  function keysNamed(keys, query) {
    var total = 0;
    keys = keys || [];
    /* A standard's code ("4a") names its words too ("prevention of over indebtedness"): the
     * resource's other keys made of them (the topic "over-indebtedness") count as named. */
    var named = {};
    keys.forEach(function (key) {
      if (STANDARD_CODE.test(key[0]) && query.indexOf(key[0]) >= 0) key.forEach(function (word) { named[word] = true; });
    });
    keys.forEach(function (key) {
      var found = query.filter(function (q) { return key.some(function (word) { return finds(q, word); }); });
      total += found.length / query.length;
      if (!found.length && key.every(function (word) { return named[word]; })) total += 1;
    });
    return total;
  }

  /* The share of the query's words a result has (the fallback's order: most words first). */
  function wordsFound(result, query) {
    var terms = Object.keys(result.matchData.metadata);
    return query.filter(function (q) { return terms.some(function (term) { return finds(q, term); }); }).length / query.length;
  }

  function isStopWord(lunr, word) {
    if (state.stops[word]) return true;
    var ns = state.lang === "en" ? lunr : lunr[state.lang];
    var filter = ns && ns.stopWordFilter;
    return !!filter && filter(word) === undefined;
  }

  /* The words of Material's query string, without the wildcards Material added. */
  function queryWords(lunr, index, text) {
    var parsed = new lunr.Query(index.fields);
    new lunr.QueryParser(text, parsed).parse();
    var words = [];
    parsed.clauses.forEach(function (clause) {
      if (clause.presence === lunr.Query.presence.PROHIBITED) return;
      var word = String(clause.term).replace(/\*/g, "");
      if (word && words.indexOf(word) < 0) words.push(word);
    });
    var kept = words.filter(function (word) { return !isStopWord(lunr, word); });
    return kept.length ? kept : words;
  }

  function clauses(lunr, query, words, presence) {
    var titles = query.allFields.filter(function (field) { return /^title/.test(field); });
    words.forEach(function (word) {
      if (word.length >= PREFIX_FROM) {
        query.term(word, { presence: presence, wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false });
        query.term(word, { boost: EXACT_BOOST, usePipeline: false });
      } else {
        query.term(word, { presence: presence, boost: EXACT_BOOST, usePipeline: false });
      }
      query.term(word, { fields: titles, boost: TITLE_EXACT_BOOST, usePipeline: false });
    });
  }

  /* Words one edit away ("gendre" for "gender"), for a query whose words find nothing as typed:
   * from the fourth letter only, as one edit of a shorter word is most of the word. */
  var NEAR_FROM = 4;
  function nearClauses(lunr, query, words) {
    words.forEach(function (word) {
      query.term(word, { editDistance: 1, usePipeline: false });
    });
  }

  /* The pages with all the words; else with some of them ("some"); else with words one letter
   * away ("near"). state.fallback says which, for the label (see postMessage below). */
  function retrieve(lunr, index, typed) {
    state.fallback = null;
    var results = index.query(function (query) { clauses(lunr, query, typed, lunr.Query.presence.REQUIRED); });
    if (!results.length && typed.length > 1) {
      results = index.query(function (query) { clauses(lunr, query, typed, lunr.Query.presence.OPTIONAL); });
      if (results.length) state.fallback = "some";
    }
    var near = typed.filter(function (word) { return word.length >= NEAR_FROM; });
    if (!results.length && near.length) {
      /* (a query without clauses would find every page) */
      results = index.query(function (query) { nearClauses(lunr, query, near); });
      if (results.length) state.fallback = "near";
    }
    return results;
  }

  function search(lunr) {
    return function (text) {
      var index = this;
      var typed = queryWords(lunr, index, text);
      state.fallback = null;
      if (!typed.length) return [];
      var results = retrieve(lunr, index, typed);
      var namesAPage = typed.some(function (word) { return STANDARD_CODE.test(word); });
      results.forEach(function (result) {
        var names = resourceNames()[result.ref];
        if (names) {
          var covered = Math.max(coverage(names[0], typed), coverage(names[1], typed));
          result.score *= (1 + NAME_BOOST * covered * covered) * (1 + KEY_BOOST * keysNamed(state.keys[result.ref], typed));
          if (begins(names[0], typed)) result.score *= START_BOOST;
        } else if (!namesAPage) {
          result.score *= OTHER_PAGES;
        }
        if (state.fallback === "some") result.score *= Math.pow(10, 3 * wordsFound(result, typed));
      });
      results.sort(function (a, b) { return b.score - a.score; });
      return results;
    };
  }

  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data) {
      try {
        spellAsThePage(message.data);
        if (state.fallback) {
          message.data.spm_fallback = state.fallback;
          message.data.spm_note = state.labels[state.fallback] || "";
        }
      } catch (error) {
        /* the result as Material made it */
      }
    }
    return post.apply(self, arguments);
  };

  /* The index file stores resources by columns (spmlib/site/searchindex.py, which material_docs()
   * mirrors): give Material its documents back, each key's words added to `text_alt`. */
  var SETUP = 0;
  function expandDocs(data) {
    var columns = data && data.config && data.config.spm_docs;
    if (!columns || !Array.isArray(data.docs)) return;
    delete data.config.spm_docs;
    var words = columns.words || [];
    var docs = data.docs.slice();
    columns.location.forEach(function (location, i) {
      var doc = { location: location, title: columns.title[i], text: columns.text[i] };
      var seen = {};
      var titleAlt = columns.title_alt[i];
      titleAlt.split(" ").forEach(function (word) { seen[word] = true; });
      var parts = [columns.text_alt[i]];
      var keys = [];
      columns.keys[i].split(" ").forEach(function (n) {
        if (n) {
          parts.push(words[+n]);
          keys.push(words[+n].split(" "));
        }
      });
      state.keys[location] = keys;
      var textAlt = [];
      parts.join(" ").split(" ").forEach(function (word) {
        if (word && !seen[word]) {
          seen[word] = true;
          textAlt.push(word);
        }
      });
      if (titleAlt) doc.title_alt = titleAlt;
      if (textAlt.length) doc.text_alt = textAlt.join(" ");
      docs.push(doc);
    });
    data.docs = docs;
  }

  /* Stop words as typed, before folding: "été" is in the French list, "ete" is not. */
  function noteStopWords(text) {
    state.stops = {};
    if (!self.lunr) return;
    text.toLowerCase().split(/[\s\-'’"*+]+/).forEach(function (word) {
      if (word && isStopWord(self.lunr, word)) state.stops[fold(word)] = true;
    });
  }

  var waiting = [];
  var loaded = false;
  addEventListener("message", function (event) {
    var message = event.data;
    if (!loaded) {
      /* iframe-worker: Material's worker is still loading; it would miss this message */
      event.stopImmediatePropagation();
      waiting.push(message);
      return;
    }
    install(self.lunr);
    if (message && message.type === SETUP) {
      var lang = message.data && message.data.config && message.data.config.lang;
      if (lang && lang.length === 1) state.lang = lang[0];
      /* the labels the page shows above fallback results (taxonomy/ui.yaml search_some_words...) */
      state.labels = message.data.config.spm_labels || {};
      delete message.data.config.spm_labels;
      expandDocs(message.data);
      state.docs = (message.data.docs || []).slice();
      state.names = null;
    }
    if (message && message.type === QUERY && typeof message.data === "string") {
      noteStopWords(message.data);
      message.data = fold(message.data);
    }
  });

  var own = typeof document !== "undefined" && document.currentScript ? document.currentScript.src : self.location.href;
  var name = /[?&]material=([\w.-]+)/.exec(own);
  /* One call, so that iframe-worker's asynchronous importScripts loads the two in this order too */
  var loading = importScripts(new URL("../fold.js", own).href, new URL(name ? name[1] : "search.js", own).href);

  /* Without Material's lunr (a later Material), search still works, only without folding. */
  function replay() {
    loaded = true;
    install(self.lunr);
    waiting.splice(0).forEach(function (message) {
      dispatchEvent(new MessageEvent("message", { data: message }));
    });
  }
  if (loading && typeof loading.then === "function") loading.then(replay);
  else replay();
})();
