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
  var START_BOOST = 3; /* the title (or the id) begins with the query's words, in their order */
  var BOTH_SHARE = 0.25; /* a word in the title and in the id */
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
   * languages make most plurals. Kept by word: the explorer asks for them 10,000 times a keystroke. */
  var FORMS = Object.create(null);
  function forms(q) {
    var found = FORMS[q];
    /* frozen: a caller that changed the kept list would change every later match */
    if (!found) found = FORMS[q] = Object.freeze(q.length >= 4 && /[^s]s$/.test(q) ? [q, q.slice(0, -1)] : [q]);
    return found;
  }

  /** Whether query word `q` finds `word`: the same word (or singular), or its beginning from the third letter. */
  function finds(q, word) {
    var f = forms(q);
    for (var i = 0; i < f.length; i++) {
      if (word === f[i] || (f[i].length >= PREFIX_FROM && word.lastIndexOf(f[i], 0) === 0)) return true;
    }
    return false;
  }

  /** 1 if the field (" w1 w2 ") holds q as a word, PREFIX_SHARE if a word begins with q, else 0. */
  function inField(field, q) {
    var f = forms(q);
    var found = 0;
    for (var i = 0; i < f.length; i++) {
      var needle = " " + f[i];
      var at = field.indexOf(needle);
      if (at < 0) continue;
      if (field.charCodeAt(at + needle.length) === 32 || field.indexOf(needle + " ", at) >= 0) return 1;
      if (f[i].length >= PREFIX_FROM) found = PREFIX_SHARE;
    }
    return found;
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

  /** The weight of the best place q is found in, 0 if nowhere (a field that cannot do better is
   * not read); a little more when the title and the id both have it. */
  function placeWeight(d, q) {
    var f = d.fields;
    var title = WEIGHT.title * inField(f.title, q);
    var name = WEIGHT.name * inField(f.name, q);
    /* in the title and the id both: the id is the resource's name in short */
    var best = Math.max(title, name) + BOTH_SHARE * Math.min(title, name);
    if (best < WEIGHT.keys) best = Math.max(best, WEIGHT.keys * inField(f.keys, q));
    if (best < WEIGHT.text) best = Math.max(best, WEIGHT.text * inField(f.text, q));
    return best;
  }

  function findsAny(query, word) {
    for (var j = 0; j < query.length; j++) if (finds(query[j], word)) return true;
    return false;
  }

  /** The share of a name's words that the query's words find. */
  function coverage(name, query) {
    if (!name.length) return 0;
    var found = 0;
    for (var i = 0; i < name.length; i++) if (findsAny(query, name[i])) found++;
    return found / name.length;
  }

  /** Whether the name begins with the query's words, in their order. */
  function begins(name, query) {
    if (query.length > name.length) return false;
    for (var i = 0; i < query.length; i++) if (!finds(query[i], name[i])) return false;
    return true;
  }

  /** What the query says of the resource's keys, in one pass:
   * - `named`: how many keys it names: each key counts the share of the query's words it has; a
   *   key that has none counts fully when a standard code of the query names all its words;
   * - `specific`: the share of its standards and dimensions (keys that begin with a code) that the
   *   query names, by code or by all its words in the key ("environmental performance
   *   management" names dimension 7): a resource on dimension 7 only is more about it than the
   *   whole library. */
  function keyFacts(keys, query) {
    var byCode = null;
    var i, j, k, key;
    for (i = 0; i < keys.length; i++) {
      key = keys[i];
      if (query.indexOf(key[0]) >= 0 && STANDARD_CODE.test(key[0])) {
        byCode = byCode || Object.create(null);
        for (j = 0; j < key.length; j++) byCode[key[j]] = true;
      }
    }
    var named = 0;
    var coded = 0;
    var specific = 0;
    for (i = 0; i < keys.length; i++) {
      key = keys[i];
      var found = 0;
      for (j = 0; j < query.length; j++) {
        for (k = 0; k < key.length; k++) {
          if (finds(query[j], key[k])) {
            found++;
            break;
          }
        }
      }
      named += found / query.length;
      if (!found && byCode) {
        var all = true;
        for (k = 0; k < key.length && all; k++) all = byCode[key[k]] === true;
        if (all) named += 1;
      }
      if (key.length && STANDARD_CODE.test(key[0])) {
        coded++;
        if (found === query.length || query.indexOf(key[0]) >= 0) specific++;
      }
    }
    return { named: named, specific: coded ? specific / coded : 0 };
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
    for (var i = 0; i < query.length; i++) {
      var w = placeWeight(d, query[i]);
      if (w > 0) found++;
      base += (weights[query[i]] || 1) * w;
    }
    if (!found) return 0;
    /* a resource whose standards and dimensions the query all names is named by it too */
    var keys = keyFacts(d.keys, query);
    var covered = Math.max(coverage(d.title, query), coverage(d.name, query), keys.specific);
    var s = base * (1 + NAME_BOOST * covered * covered) * (1 + KEY_BOOST * keys.named);
    if (begins(d.title, query) || begins(d.name, query)) s *= START_BOOST;
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
    /* for the header search's bound on `score` (workers/search-fold.js) */
    CONSTANTS: Object.freeze({
      WEIGHT: Object.freeze(WEIGHT),
      PREFIX_SHARE: PREFIX_SHARE,
      BOTH_SHARE: BOTH_SHARE,
      NAME_BOOST: NAME_BOOST,
      START_BOOST: START_BOOST,
      KEY_BOOST: KEY_BOOST,
      PHRASE_BOOST: PHRASE_BOOST,
    }),
    doc: doc,
    finds: finds,
    has: has,
    idf: idf,
    score: score,
    isStandardCode: isStandardCode,
    forms: forms,
  };
})(self);
