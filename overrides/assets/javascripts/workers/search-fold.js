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

  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data) {
      try {
        spellAsThePage(message.data);
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
      columns.keys[i].split(" ").forEach(function (n) { if (n) parts.push(words[+n]); });
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
    if (message && message.type === SETUP) expandDocs(message.data);
    if (message && message.type === QUERY && typeof message.data === "string") message.data = fold(message.data);
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
