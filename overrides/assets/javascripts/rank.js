/* One notion of relevance for the two search boxes: the header search (workers/search-fold.js,
 * which loads this file with importScripts next to fold.js) and the explorer's keyword box
 * (explorer/filters.js, a classic script on the "All resources" page).
 *
 * Both hand it a resource as folded words in four fields (see `doc`): the words of its title as
 * shown, with their compound and synonym variants; the words of its id ("cerise-spi4"); its keys
 * (type, organisation, standards with their names, dimensions, topics, countries: each key a list
 * of words); and the rest of its text. Both drop the language's stop words from the query first.
 * What ranks a resource (issue 24), in order of weight:
 * - the query covers its name: the words of its title, or of its id ("SPI4" is most of
 *   "cerise-spi4"; "ALINUS" of "alinus-spi4-indicators"); and its title begins with the query;
 * - where each word of the query is: title or id, then keys, then the rest of the text, a whole
 *   word above a word it begins; a word that few resources have counts more (its idf);
 * - how many of its keys the query names; a standard's code names its words ("4A" names the
 *   topic "over-indebtedness" of standard 4A "Prevention of over-indebtedness").
 * A word finds a word it equals, or begins from the third letter typed: "cl" finds nothing
 * more than "cl", "cli" finds "client" and "clients".
 * The constants were set against tests/fixtures/search-eval.yaml (`make bench-search`).
 */
(function (scope) {
  "use strict";

  var PREFIX_FROM = 3;
  var WEIGHT = { title: 4, name: 4, keys: 2, text: 1 }; /* where a query word is found */
  var PREFIX_SHARE = 0.5; /* a word the query word begins, against the whole word */
  var NAME_BOOST = 20; /* the query covers the title or the id */
  var START_BOOST = 3; /* the title begins with the query's words, in their order */
  var KEY_BOOST = 1; /* each key the query names */
  var PHRASE_BOOST = 4; /* the query's words in a row, as typed */
  var STANDARD_CODE = /^\d{1,2}[a-z]?$/; /* "4a", "7": a standard or a dimension */

  /** A resource for `score` and `has`: each field a list of folded words, `keys` a list of such lists. */
  function doc(title, titleAlt, name, keys, text) {
    var all = keys.reduce(function (words, key) { return words.concat(key); }, []);
    return {
      title: title,
      name: name,
      keys: keys,
      fields: {
        title: " " + title.concat(titleAlt).join(" ") + " ",
        name: " " + name.join(" ") + " ",
        keys: " " + all.join(" ") + " ",
        text: " " + text.join(" ") + " ",
      },
    };
  }

  /** The forms a query word is looked for in: itself, and without a plural's final s from the
   * fourth letter ("responsables" finds "responsable", "clients" finds "client"), as the four
   * languages make most plurals. */
  function forms(q) {
    return q.length >= 4 && /[^s]s$/.test(q) ? [q, q.slice(0, -1)] : [q];
  }

  /** Whether query word `q` finds `word`: the same word (or singular), or its beginning from the third letter. */
  function finds(q, word) {
    return forms(q).some(function (f) { return word === f || (f.length >= PREFIX_FROM && word.indexOf(f) === 0); });
  }

  /** 1 if the field (" w1 w2 ") holds q as a word, PREFIX_SHARE if a word begins with q, else 0. */
  function inField(field, q) {
    var f = forms(q);
    for (var i = 0; i < f.length; i++) if (field.indexOf(" " + f[i] + " ") >= 0) return 1;
    for (i = 0; i < f.length; i++) if (f[i].length >= PREFIX_FROM && field.indexOf(" " + f[i]) >= 0) return PREFIX_SHARE;
    return 0;
  }

  /* The query's words one after the other, each whole or begun ("audit social" in "un outil
   * gratuit d'audit social"), for the phrase bonus; one query's pattern kept. */
  var phrase = { key: null, pattern: null };
  function phrasePattern(query) {
    var key = query.join(" ");
    if (phrase.key !== key) {
      phrase.key = key;
      phrase.pattern = query.length < 2 ? null : new RegExp(" " + query.map(function (q) {
        return "(?:" + forms(q).map(escape).join("|") + ")" + (q.length >= PREFIX_FROM ? "[a-z0-9]*" : "");
      }).join(" ") + " ");
    }
    return phrase.pattern;
  }

  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** Whether a field has the query's words in a row (two words or more). */
  function hasPhrase(d, query) {
    var pattern = phrasePattern(query);
    if (!pattern) return false;
    var f = d.fields;
    return pattern.test(f.title) || pattern.test(f.text); /* not keys: every resource on a topic has its name */
  }

  /** Whether any field of the resource finds q. */
  function has(d, q) {
    var f = d.fields;
    return inField(f.title, q) > 0 || inField(f.name, q) > 0 || inField(f.keys, q) > 0 || inField(f.text, q) > 0;
  }

  /** The weight of the best place q is found in, 0 if nowhere. */
  function placeWeight(d, q) {
    var best = 0;
    for (var field in WEIGHT) best = Math.max(best, WEIGHT[field] * inField(d.fields[field], q));
    return best;
  }

  /** The share of a name's words that the query's words find. */
  function coverage(name, query) {
    if (!name.length) return 0;
    var found = name.filter(function (word) {
      return query.some(function (q) { return finds(q, word); });
    });
    return found.length / name.length;
  }

  /** Whether the name begins with the query's words, in their order. */
  function begins(name, query) {
    return query.length <= name.length && query.every(function (q, i) { return finds(q, name[i]); });
  }

  /** How many keys the query names: each key counts the share of the query's words it has; a key
   * that has none counts fully when a standard code of the query names all its words. */
  function keysNamed(keys, query) {
    var named = {};
    keys.forEach(function (key) {
      if (STANDARD_CODE.test(key[0]) && query.indexOf(key[0]) >= 0) key.forEach(function (word) { named[word] = true; });
    });
    var total = 0;
    keys.forEach(function (key) {
      var found = query.filter(function (q) { return key.some(function (word) { return finds(q, word); }); });
      total += found.length / query.length;
      if (!found.length && key.every(function (word) { return named[word]; })) total += 1;
    });
    return total;
  }

  /** The share of the resource's standards and dimensions (keys that begin with a code) that the
   * query names: by code, or by all its words in the key ("environmental performance management"
   * names dimension 7). A resource on dimension 7 only is more about it than the whole library. */
  function specificity(keys, query) {
    var coded = 0;
    var named = 0;
    keys.forEach(function (key) {
      if (!STANDARD_CODE.test(key[0])) return;
      coded++;
      var all = query.every(function (q) { return key.some(function (word) { return finds(q, word); }); });
      if (all || query.indexOf(key[0]) >= 0) named++;
    });
    return coded ? named / coded : 0;
  }

  /** Each query word's weight by how few of the resources have it: log(1 + n / (1 + df)). */
  function idf(docs, query) {
    var weights = {};
    query.forEach(function (q) {
      var df = 0;
      for (var i = 0; i < docs.length; i++) if (docs[i] && has(docs[i], q)) df++;
      weights[q] = Math.log(1 + docs.length / (1 + df));
    });
    return weights;
  }

  /** How well the resource answers the query (folded words, stop words out); 0 if it has none of them. */
  function score(d, query, weights) {
    var base = 0;
    var found = 0;
    query.forEach(function (q) {
      var w = placeWeight(d, q);
      if (w > 0) found++;
      base += (weights[q] || 1) * w;
    });
    if (!found) return 0;
    /* a resource whose standards and dimensions the query all names is named by it too */
    var covered = Math.max(coverage(d.title, query), coverage(d.name, query), specificity(d.keys, query));
    var s = base * (1 + NAME_BOOST * covered * covered) * (1 + KEY_BOOST * keysNamed(d.keys, query));
    if (begins(d.title, query)) s *= START_BOOST;
    if (found === query.length && hasPhrase(d, query)) s *= PHRASE_BOOST;
    /* with some of the words only (the header search's fallback): most words first */
    return found < query.length ? s * Math.pow(10, 3 * (found / query.length - 1)) : s;
  }

  /** Whether a query word names a standard or a dimension by its code ("4a", "7"). */
  function isStandardCode(q) {
    return STANDARD_CODE.test(q);
  }

  (scope.spmExplorer = scope.spmExplorer || {}).rank = {
    PREFIX_FROM: PREFIX_FROM,
    doc: doc,
    finds: finds,
    has: has,
    idf: idf,
    score: score,
    isStandardCode: isStandardCode,
    forms: forms,
  };
})(self);
