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
 * - finds resource pages in a word index of their words made at setup, not with lunr, whose
 *   trailing wildcard took most of a second a key over 10,000 of them (see `wordIndex`);
 * - answers each query with the pages that have ALL of its words (issue 24), see `search` below:
 *   the language's stop words are dropped, a word matches as a prefix from its third letter, a
 *   whole-word match in a title counts most, and resource pages come before section and browse
 *   pages. If no page has all the words, the pages with some of them are given; if none has any,
 *   the pages with words one letter away; of thousands of pages, the best MAX_RESULTS. The
 *   result says so: `spm_fallback` ("some", "near", "best")
 *   and `spm_note`, the language's label ("No page has all the words; pages with some of them:",
 *   `config.spm_labels` in the index, from taxonomy/ui.yaml), which lazy-search.js shows.
 * It also runs inside iframe-worker's iframe on file:// pages, where importScripts is
 * asynchronous: messages that arrive before Material's worker has loaded are replayed.
 */
(function () {
  "use strict";
  var READY = 1;
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
    lunr.Builder.prototype.add = function (doc) {
      if (!this.spmFolding) {
        /* After Material has set up the language's pipeline, before the first word is indexed */
        this.spmFolding = true;
        this.pipeline.add(foldToken);
        this.searchPipeline.add(foldToken);
        state.builder = this; /* its tokenizer and pipeline make a resource's positions (`positions`) */
      }
      /* a resource page is found by its words (`findResources`), not by lunr */
      if (doc && RESOURCE.test(doc.location || "")) return undefined;
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
        var ranked = state.ranked && state.ranked.resources[doc.location];
        Object.keys(doc.terms || {}).forEach(function (term) {
          /* Material's "Missing:" line: not the stop words the search left out ("des", "d"), nor
           * a word found in a form of its own ("responsables" as "responsable", or in the details) */
          if (isStopWord(self.lunr, term)) return;
          var found = doc.terms[term] || (!!ranked && rank().has(ranked, term));
          var own = found && marked.filter(function (word) { return fold(word).indexOf(term) === 0; })[0];
          terms[own || term] = found;
        });
        doc.terms = terms;
      });
    });
  }

  /* Searching: Material gives lunr its own query string ("client* protection*", every word with a
   * trailing wildcard, any word enough); `search` reads its words, without the language's stop
   * words (a wildcard clause skips lunr's search pipeline: "des*" would find "design"), and asks
   * for pages with all of them.
   * Resource pages are found without lunr (issue 24: a keystroke under 50 ms at 10,000 entries;
   * lunr's trailing wildcard over thousands of pages took most of a second): their words are
   * listed once, at setup, in a sorted vocabulary with the resources that have each word
   * (`wordIndex`), so the resources a query word finds are a binary search away, and
   * ../rank.js, which the explorer's keyword box shares, orders them. lunr keeps the other
   * pages (home, standards, lists and sections), a few hundred. */
  var PREFIX_FROM = 3; /* "cl" finds nothing yet; "cli" finds "client", "clients" */
  var MAX_RESULTS = 100; /* results given to Material: the best ones, the rest named in a label */
  var OTHER_PAGES = 1e-6; /* a section or browse page below the resources, unless the query names it */
  var MAX_WORDS = 30; /* query words a resource is matched with: one bit each */
  var TITLE_AS_TYPED = 1; /* see asTyped */
  var state = { lang: "en", stops: {}, fallback: null, labels: {}, docs: [], ranked: null, keys: {}, ownAlt: {}, separator: /[\s\-]+/ };
  /* a resource page: resources/ID/ on a site, resources/ID.html in a file:// bundle (not the
   * explorer, resources/index.html) */
  var RESOURCE = /(^|\/)resources\/(?!index\.html$)([^/#]+?)(\/|\.html)$/;

  function rank() {
    return self.spmExplorer.rank;
  }

  /* Each page's words for ranking, made once the index is set up (see READY below; at SETUP,
   * Material has not loaded the language's stop words yet): rank.js's document for a resource,
   * with the word index of them all, and the title's words for other pages and sections. */
  function rankedDocs() {
    if (state.ranked) return state.ranked;
    var ranked = { resources: {}, list: [], docs: [], byLocation: {}, titleTokens: [], titles: {}, words: null, tokens: {} };
    state.docs.splice(0).forEach(function (doc) {
      var id = RESOURCE.exec(doc.location || "");
      var title = nameWords(plain(doc.title));
      if (!id) {
        ranked.titles[doc.location] = title;
        return;
      }
      var d = rank().doc(
        title,
        words(doc.title_alt),
        nameWords(id[2]),
        (state.keys[doc.location] || []).map(withoutStopWords),
        withoutStopWords(words(fold(plain(doc.text)) + " " + (state.ownAlt[doc.location] || "")))
      );
      ranked.resources[doc.location] = d;
      ranked.list.push(d);
      ranked.docs.push(doc);
      ranked.titleTokens.push(" " + fold(plain(doc.title) + " " + (doc.title_alt || "")).split(state.separator).join(" ") + " ");
      ranked.byLocation[doc.location] = doc;
    });
    ranked.words = wordIndex(ranked.list);
    state.keys = {};
    state.ownAlt = {};
    return (state.ranked = ranked);
  }

  /* The resources' words, sorted, each with the numbers of the resources that have it in each
   * of rank.js's fields (title, name, keys, text; words between spaces): rank.js's `has`, and
   * where, for every resource at once. A resource is listed once a word in its text, and in
   * its title, id and keys as often as they have the word (rank.js counts the title's words
   * that a query finds, and the keys it names). */
  var FIELDS = ["title", "name", "keys", "text"];
  var KEYS = 2;
  var TEXT = 3;
  function wordIndex(list) {
    var byWord = new Map();
    list.forEach(function (d, i) {
      FIELDS.forEach(function (name, field) {
        d.fields[name].split(" ").forEach(function (word) {
          if (!word) return;
          var docs = byWord.get(word);
          if (!docs) byWord.set(word, (docs = [[], [], [], []]));
          var here = docs[field];
          if (field !== TEXT || here[here.length - 1] !== i) here.push(i);
        });
      });
    });
    var vocabulary = Array.from(byWord.keys()).sort();
    var n = list.length;
    var counts = function (what) { return Int32Array.from(list, function (d) { return Math.max(d[what].length, 1); }); };
    return {
      vocabulary: vocabulary,
      docs: vocabulary.map(function (word) { return byWord.get(word); }),
      titleLength: counts("title"),
      nameLength: counts("name"),
      keyCount: counts("keys"),
      marked: null, /* the query words marked below, and their idf (`weights`) */
      weights: {},
      /* one query's, per resource: the query words it has (bit j for word j) and, for `bound`,
       * rank.js's base score and how many query words (or words found) are where */
      bits: new Int32Array(n),
      base: new Float64Array(n),
      titleHits: new Int32Array(n), /* words of the title (with its variants) found, once a query word */
      nameHits: new Int32Array(n),
      keyHits: new Int32Array(n), /* keys with a word found, once a query word */
      inName: new Int32Array(n), /* query words in the title or the id */
      inKeys: new Int32Array(n), /* query words in the keys */
      level: FIELDS.map(function () { return new Float32Array(n); }), /* one query word's best match in each field */
    };
  }

  /* The first place in the sorted list where `word` is or would be. */
  function lowerBound(list, word) {
    var low = 0;
    var high = list.length;
    while (low < high) {
      var middle = (low + high) >>> 1;
      if (list[middle] < word) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /* The places in the vocabulary of the words query word q finds (rank.js `finds`: a form of
   * it, or a word a form begins from the third letter), and whether each is a whole form. */
  function foundWords(vocabulary, q) {
    var places = [];
    var forms = rank().forms(q);
    forms.forEach(function (form) {
      var i = lowerBound(vocabulary, form);
      if (form.length < PREFIX_FROM) {
        if (vocabulary[i] === form) places.push(i);
        return;
      }
      for (; i < vocabulary.length && vocabulary[i].lastIndexOf(form, 0) === 0; i++) places.push(i);
    });
    return { places: places, whole: function (place) { return forms.indexOf(vocabulary[place]) >= 0; } };
  }

  /* Marks the resources that have query word q (bit j), adds q's idf times rank.js's weight of
   * its best place (its WEIGHT, PREFIX_SHARE and BOTH_SHARE) to their base score, and counts
   * what `bound` needs. Returns how many resources have q (its df). */
  function markWord(index, found, j, total) {
    var c = rank().CONSTANTS;
    var WEIGHT = [c.WEIGHT.title, c.WEIGHT.name, c.WEIGHT.keys, c.WEIGHT.text];
    var level = index.level;
    var touched = [];
    found.places.forEach(function (place) {
      var value = found.whole(place) ? 1 : c.PREFIX_SHARE; /* a whole word, or a word q begins */
      index.docs[place].forEach(function (docs, field) {
        var here = level[field];
        var hits = field === 0 ? index.titleHits : field === 1 ? index.nameHits : field === KEYS ? index.keyHits : null;
        for (var k = 0; k < docs.length; k++) {
          var i = docs[k];
          if (!level[0][i] && !level[1][i] && !level[2][i] && !level[3][i]) touched.push(i);
          if (here[i] < value) here[i] = value;
          if (hits) hits[i]++;
        }
      });
    });
    var idf = Math.log(1 + total / (1 + touched.length));
    var bit = 1 << j;
    touched.forEach(function (i) {
      var title = WEIGHT[0] * level[0][i];
      var name = WEIGHT[1] * level[1][i];
      var best = Math.max(title, name) + c.BOTH_SHARE * Math.min(title, name);
      best = Math.max(best, WEIGHT[2] * level[2][i], WEIGHT[3] * level[3][i]);
      index.base[i] += idf * best;
      index.bits[i] |= bit;
      if (title || name) index.inName[i]++;
      if (level[2][i]) index.inKeys[i]++;
      level[0][i] = level[1][i] = level[2][i] = level[3][i] = 0;
    });
    return touched.length;
  }

  /* At least rank.js's score of resource i (plus asTyped's), from the counts of `markWord`: its
   * base score, and each boost as large as those counts allow (the title or id covered, the
   * keys named, the title begun, the words in a row). Resources are scored in the order of this
   * bound, until the bound of the next cannot reach the results already made (`findResources`). */
  function bound(index, i, words, hasCode, typedMost, c) {
    var found = bitCount(index.bits[i]);
    var specific = hasCode || index.inKeys[i] === words ? 1 : 0;
    var cover = Math.min(1, Math.max(index.titleHits[i] / index.titleLength[i], index.nameHits[i] / index.nameLength[i], specific));
    var named = index.keyHits[i] / words + (hasCode ? index.keyCount[i] : 0);
    var most = index.base[i] * (1 + c.NAME_BOOST * cover * cover) * (1 + c.KEY_BOOST * named);
    if (index.inName[i] === words) most *= c.START_BOOST;
    if (found === words && words > 1) most *= c.PHRASE_BOOST;
    if (found < words) most *= Math.pow(10, 3 * (found / words - 1));
    return most * (1 + 1e-9) + typedMost;
  }

  /* A little for each query word that the title has as typed ("clients", not "client"): what
   * lunr's score added to rank.js's when lunr found resources (its title fields' boost, 1,000,
   * times the 1e-3 it was counted by, for the clause of the whole word in the title), which
   * decided between resources that rank.js scores alike, most of all among pages with some of
   * the words. As lunr had the title's words: split where Material splits them, punctuation
   * kept ("leave," is not "leave"), with the title's variants (`title_alt`). */
  function asTyped(i, query, weights) {
    var title = state.ranked.titleTokens[i];
    var sum = 0;
    for (var j = 0; j < query.length; j++) if (title.indexOf(" " + query[j] + " ") >= 0) sum += weights[query[j]];
    return sum ? (TITLE_AS_TYPED * sum) / Math.sqrt(query.length) : 0;
  }

  /* The resources with all the query's words (`all`), or with any; as results lunr's way
   * ({ref, score}), scored by rank.js (its idf the share of resources with each word). A short
   * word such as "cli" finds most of 10,000 resources, and scoring them all took most of a
   * keystroke: they are scored in the order of `bound`, until no other can reach the best
   * MAX_RESULTS (at most MAX_SCORED of them: past that, the best of those scored). */
  var MAX_SCORED = 600;
  function findResources(query, all) {
    var ranked = state.ranked;
    var index = ranked.words;
    var total = ranked.list.length;
    query = query.slice(0, MAX_WORDS);
    var key = query.join(" ");
    if (index.marked !== key) {
      /* marked once for all the words, and again for some of them (`retrieve`) */
      index.marked = key;
      [index.bits, index.base, index.titleHits, index.nameHits, index.keyHits, index.inName, index.inKeys].forEach(function (a) {
        a.fill(0);
      });
      index.weights = {};
      query.forEach(function (q, j) {
        var df = markWord(index, foundWords(index.vocabulary, q), j, total);
        index.weights[q] = Math.log(1 + total / (1 + df));
      });
    }
    var weights = index.weights;
    var typedMost = 0;
    query.forEach(function (q) {
      typedMost += (TITLE_AS_TYPED * weights[q]) / Math.sqrt(query.length);
    });
    var hasCode = query.some(rank().isStandardCode);
    var want = (1 << query.length) - 1;
    var chosen = [];
    for (var i = 0; i < total; i++) {
      var has = index.bits[i];
      if (all ? has === want : has !== 0) chosen.push(i);
    }
    state.resources = chosen.length;
    var c = rank().CONSTANTS;
    var most = new Float64Array(chosen.length);
    for (var m = 0; m < chosen.length; m++) most[m] = bound(index, chosen[m], query.length, hasCode, typedMost, c);
    var order = byBound(most);
    var results = [];
    var scores = [];
    var floor = -Infinity; /* the MAX_RESULTS-th best score so far */
    for (var k = 0; k < order.length && k < MAX_SCORED; k++) {
      /* one that can at best tie with the MAX_RESULTS-th (the bound's margin aside) is not
       * needed: ties at the cut go to those scored first, and many entries alike (a title in
       * several editions) tied with it one after the other */
      if (most[order[k]] <= floor * (1 + 1e-9)) break;
      var at = chosen[order[k]];
      var score = rank().score(ranked.list[at], query, weights) + asTyped(at, query, weights);
      results.push({ ref: ranked.docs[at].location, score: score, matchData: null });
      scores.push(score);
      if (scores.length >= MAX_RESULTS && (scores.length === MAX_RESULTS || scores.length % 20 === 0)) {
        floor = Float64Array.from(scores).sort()[scores.length - MAX_RESULTS];
      }
    }
    return results;
  }

  /* The places in `most` from the largest bound down, as far as the MAX_SCORED-th (ties
   * included): the others are never scored, and sorting thousands of bounds with a comparison
   * function took a third of a keystroke; the numeric sort of a typed array is the engine's own. */
  function byBound(most) {
    var cut = -Infinity;
    if (most.length > MAX_SCORED) cut = Float64Array.from(most).sort()[most.length - MAX_SCORED];
    var kept = [];
    for (var k = 0; k < most.length; k++) if (most[k] >= cut) kept.push(k);
    return kept.sort(function (a, b) { return most[b] - most[a] || a - b; });
  }

  function bitCount(bits) {
    var count = 0;
    for (; bits; bits &= bits - 1) count++;
    return count;
  }

  /* A field's words: letters and digits of any script, as the explorer splits them (filters.js). */
  function words(text) {
    return String(text || "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /* The text of a title or teaser as the index holds it: tags out, the entities the index
   * escapes back to their characters ("R&amp;D" is "R&D", not the word "amp"). */
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };
  function plain(markup) {
    return String(markup || "").replace(/<[^>]*>/g, " ").replace(/&(amp|lt|gt|quot|#39|#x27);/g, function (all, name) {
      return ENTITIES[name];
    });
  }

  function nameWords(text) {
    return withoutStopWords(words(fold(text)));
  }

  /* Stop words are out of the query, so out of the words it is matched with: "audit social" is a
   * phrase of "un outil gratuit d'audit social". */
  function withoutStopWords(list) {
    return list.filter(function (word) { return !isListedStopWord(self.lunr, word); });
  }

  /* A query word is a stop word as typed ("été", noted in state.stops) or as lunr lists it; a
   * page's words only as lunr lists them, whatever the first query was. */
  function isStopWord(lunr, word) {
    return !!state.stops[word] || isListedStopWord(lunr, word);
  }

  function isListedStopWord(lunr, word) {
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
      var forms = rank().forms(word);
      var stem = forms[forms.length - 1]; /* "clients": "client*" finds "client" too */
      if (word.length >= PREFIX_FROM) {
        query.term(stem, { presence: presence, wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false });
        query.term(word, { boost: 10, usePipeline: false }); /* a whole word above a word it begins */
      } else {
        query.term(word, { presence: presence, boost: 10, usePipeline: false });
      }
      query.term(word, { fields: titles, boost: 30, usePipeline: false }); /* in the title above all */
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

  /* The words of the resources one edit from q (lunr's editDistance 1: a letter added, left
   * out, changed, or two swapped). */
  function nearWords(vocabulary, q) {
    return vocabulary.filter(function (word) { return oneEditApart(q, word); });
  }

  function oneEditApart(a, b) {
    var la = a.length;
    var lb = b.length;
    if (Math.abs(la - lb) > 1 || a === b) return false;
    var i = 0;
    while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (la === lb) {
      /* changed, or swapped with the next letter */
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.slice(i + 2) === b.slice(i + 2);
    }
    return la < lb ? a.slice(i) === b.slice(i + 1) : a.slice(i + 1) === b.slice(i);
  }

  /* The pages with all the words; else with some of them ("some"); else with words one letter
   * away ("near"). Resources from the word index, other pages from lunr; state.fallback says
   * which, for the label (see postMessage below), and `query` the words ranked by. */
  function retrieve(lunr, index, typed) {
    state.fallback = null;
    var vocabulary = state.ranked.words.vocabulary;
    var answer = { query: typed, pages: [], resources: [] };
    var find = function (query, presence, fallback) {
      var all = presence === lunr.Query.presence.REQUIRED;
      answer.query = query;
      answer.pages = index.query(function (q) { clauses(lunr, q, query, presence); });
      answer.resources = findResources(query, all);
      if (answer.pages.length || answer.resources.length) state.fallback = fallback;
      return answer.pages.length + answer.resources.length;
    };
    if (find(typed, lunr.Query.presence.REQUIRED, null)) return answer;
    if (typed.length > 1 && find(typed, lunr.Query.presence.OPTIONAL, "some")) return answer;
    var near = typed.filter(function (word) { return word.length >= NEAR_FROM; });
    if (!near.length) return answer;
    /* (a query without clauses would find every page) */
    answer.pages = index.query(function (query) { nearClauses(lunr, query, near); });
    var close = [];
    near.forEach(function (q) {
      nearWords(vocabulary, q).forEach(function (word) {
        if (close.indexOf(word) < 0) close.push(word);
      });
    });
    answer.query = close.length ? close : near;
    state.resources = 0;
    answer.resources = close.length ? findResources(close, false) : [];
    if (answer.pages.length || answer.resources.length) state.fallback = "near";
    return answer;
  }

  /* Whether a page other than a resource is what the query names: a standard's or a
   * dimension's code ("4a"), or a title that holds every word ("surendettement", "4A.
   * Prévention du surendettement"). */
  function namesPage(title, typed) {
    if (!title || !title.length) return false;
    return typed.every(function (q) { return title.some(function (word) { return rank().finds(q, word); }); });
  }

  function search(lunr) {
    return function (text) {
      var index = this;
      var typed = queryWords(lunr, index, text);
      state.fallback = null;
      if (!typed.length) return [];
      var ranked = rankedDocs();
      var answer = retrieve(lunr, index, typed);
      answer.pages.forEach(function (result) {
        if (!namesPage(ranked.titles[result.ref], answer.query)) result.score *= OTHER_PAGES;
        else result.score += 1e3;
      });
      var results = answer.resources.concat(answer.pages);
      results.sort(function (a, b) { return b.score - a.score; });
      results = best(results, answer.pages.length + state.resources);
      results.forEach(function (result, k) {
        if (!result.matchData) result.matchData = { metadata: matched(result.ref, answer.query, k < MARKED) };
      });
      return results;
    };
  }

  /* What Material reads of a resource's match, as lunr would have given it: each word of the
   * title and text that a query word finds, with its positions there (Material highlights
   * them), and each query word found only elsewhere (keys, the rest of the summary), without
   * positions (Material counts it found rather than "missing"). The positions only for the
   * first MARKED results: reading a resource's words for them was a fifth of a keystroke at
   * 10,000 entries, for results further down than readers scroll (those show unhighlighted). */
  var MARKED = 20; /* Material shows ten results, then ten more at each scroll to the end */
  function matched(location, query, marked) {
    var metadata = {};
    (marked ? positions(location) : []).forEach(function (token) {
      if (!query.some(function (q) { return rank().finds(q, token.term); })) return;
      var term = metadata[token.term] || (metadata[token.term] = {});
      (term[token.field] || (term[token.field] = { position: [] })).position.push(token.position);
    });
    var d = state.ranked.resources[location];
    var terms = Object.keys(metadata);
    query.forEach(function (q) {
      var seen = terms.some(function (term) { return term.lastIndexOf(q, 0) === 0; });
      if (!seen && d && rank().has(d, q)) metadata[q] = { text_alt: { position: [] } };
    });
    return metadata;
  }

  /* The words of a resource's title and text with their positions, as lunr's builder would have
   * indexed them (Material's extractor and tokenizer, folded), made the first time the resource
   * is among the results: Material highlights results from them. */
  var SHOWN = ["title", "text"];
  function positions(location) {
    var ranked = state.ranked;
    var made = ranked.tokens[location];
    if (made) return made;
    var builder = state.builder;
    var doc = ranked.byLocation[location];
    made = ranked.tokens[location] = [];
    if (!builder || !doc) return made;
    SHOWN.forEach(function (field) {
      var spec = builder._fields[field];
      if (!spec) return;
      var value = spec.extractor ? spec.extractor(doc) : doc[field];
      /* folded as the pipeline would (its stop word filter left out: no query word finds one) */
      builder.tokenizer(value, { fields: [field] }).forEach(function (token) {
        made.push({ field: field, term: fold(token.toString()), position: token.metadata.position });
      });
    });
    return made;
  }

  /* Two queries of its own at READY, handed to Material's worker as the page would send them,
   * their answers kept from the page: the browser compiles the code of a keystroke (lunr's
   * query, the word index, rank.js's score, the highlighting, Material's own) while the reader
   * is still reaching for the keyboard, not at the first keys typed, which took several times
   * as long as the next ones (128 ms at 10,000 entries). The words are the two that most
   * resources have, the first begun ("cli"), then both: the longest paths a key can take. */
  var warming = 0;
  function warm(ranked) {
    var index = ranked.words;
    var top = [-1, -1];
    var size = function (place) { return place < 0 ? -1 : index.docs[place][TEXT].length; };
    for (var place = 0; place < index.vocabulary.length; place++) {
      if (index.vocabulary[place].length < PREFIX_FROM || isListedStopWord(self.lunr, index.vocabulary[place])) continue;
      if (size(place) > size(top[0])) top = [place, top[0]];
      else if (size(place) > size(top[1])) top[1] = place;
    }
    if (top[1] < 0) return;
    var first = index.vocabulary[top[0]];
    [first.slice(0, PREFIX_FROM), first + " " + index.vocabulary[top[1]]].forEach(function (text) {
      warming++;
      dispatchEvent(new MessageEvent("message", { data: { type: QUERY, data: text } }));
    });
    /* Material answers within this task (its handler awaits nothing slower than a microtask);
     * should an answer never come, the reader's first one is not taken for it */
    setTimeout(function () { if (warming) warmed(); }, 0);
  }

  function warmed() {
    warming = 0;
    if (state.ranked) state.ranked.words.marked = null;
    state.fallback = null;
    state.resources = 0;
  }

  /* Material lays out and highlights every result it gets, which takes seconds when a short
   * word finds thousands of pages: it gets the best MAX_RESULTS, and the label says so. */
  function best(results, total) {
    state.total = total;
    if (results.length > MAX_RESULTS) results.length = MAX_RESULTS;
    /* by the count of pages found, not of those scored: `findResources` stops scoring once no
     * other can reach the best MAX_RESULTS, and may have scored no more than those */
    if (total > MAX_RESULTS && !state.fallback) state.fallback = "best";
    return results;
  }

  /* The page shows a result's title and text, never its variants (`title_alt`, `text_alt`, a
   * resource's keys and the rest of its summary): not copied to the page at every key. */
  function withoutHiddenFields(result) {
    (result.items || []).forEach(function (group) {
      group.forEach(function (doc) {
        delete doc.title_alt;
        delete doc.text_alt;
      });
    });
  }

  /* The fallback's label in the page's language; "best" with its numbers as the language writes them. */
  function label(kind) {
    var text = state.labels[kind] || "";
    if (kind !== "best") return text;
    var number = typeof Intl === "object" ? new Intl.NumberFormat(state.lang) : null;
    var write = function (n) { return number ? number.format(n) : String(n); };
    return text.replace("{shown}", write(MAX_RESULTS)).replace("{total}", write(state.total));
  }

  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === READY) {
      /* rank.js's documents and their word index, made once Material has set up lunr (and
       * loaded the language's stop words), before the page may ask: not at the first key */
      try {
        rankedDocs();
      } catch (error) {
        state.ranked = null; /* made again at the first query */
      }
      if (state.ranked) {
        try {
          warm(state.ranked);
        } catch (error) {
          /* the timer of `warm` settles it, or nothing was asked */
        }
      }
    }
    if (warming && message && message.type === RESULT) {
      if (--warming === 0) warmed();
      return undefined;
    }
    if (message && message.type === RESULT && message.data) {
      try {
        spellAsThePage(message.data);
        withoutHiddenFields(message.data);
        if (state.fallback) {
          message.data.spm_fallback = state.fallback;
          message.data.spm_note = label(state.fallback);
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
      state.ownAlt[location] = columns.text_alt[i]; /* for ranking: its words without its keys' */
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
      state.separator = new RegExp(message.data.config.separator || "[\\s\\-]+");
      /* the labels the page shows above fallback results (taxonomy/ui.yaml search_some_words...) */
      state.labels = message.data.config.spm_labels || {};
      delete message.data.config.spm_labels;
      expandDocs(message.data);
      state.docs = (message.data.docs || []).slice();
      state.ranked = null;
    }
    if (message && message.type === QUERY && typeof message.data === "string") {
      noteStopWords(message.data);
      message.data = fold(message.data);
    }
  });

  var own = typeof document !== "undefined" && document.currentScript ? document.currentScript.src : self.location.href;
  var name = /[?&]material=([\w.-]+)/.exec(own);
  /* One call, so that iframe-worker's asynchronous importScripts loads the two in this order too */
  var loading = importScripts(new URL("../fold.js", own).href, new URL("../rank.js", own).href, new URL(name ? name[1] : "search.js", own).href);

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
