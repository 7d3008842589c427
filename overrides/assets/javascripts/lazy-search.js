/* Load the search index only when the reader opens the search box.
 *
 * Material requests search/search_index.json (hundreds of KB in a large library) on every
 * page load; readers on costly mobile data pay for it even if they never search. This script
 * runs before Material's and holds that one request back until the search field gets focus,
 * which Material gives it however search is opened (click, tap, the f, s and / keys, ?q=).
 * From file:// Material loads search_index.js with a script tag instead, which is not held.
 *
 * It also starts workers/search-fold.js in place of Material's search worker: the same
 * worker, made to ignore accents (see that file). On file:// pages, Worker is by now
 * iframe-worker's shim, which is wrapped the same way. It listens to that worker's answers to
 * add what Material's result panel lacks (see showAnswer).
 */
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json(\?|$)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var waiting = [];
  var released = false;
  var MATERIAL_WORKER = /\/workers\/(search\.[0-9a-f]+\.min\.js)$/;

  var BaseWorker = window.Worker;
  if (BaseWorker) {
    var FoldingWorker = function (url, options) {
      var match = MATERIAL_WORKER.exec(String(url));
      if (!match) return new BaseWorker(url, options);
      var worker = new BaseWorker(String(url).slice(0, -match[1].length) + "search-fold.js?material=" + match[1], options);
      worker.addEventListener("message", showAnswer);
      return worker;
    };
    FoldingWorker.prototype = BaseWorker.prototype;
    window.Worker = FoldingWorker;
  }

  /* What the page adds to each answer of the worker, once Material has shown it (the next task):
   * - when no page has every word of the query, the worker answers with pages having some of
   *   them, or words one letter away, and a label saying so (`spm_note`, taxonomy/ui.yaml): shown
   *   under Material's count, in a live region of partials/search.html, and taken away at the
   *   next answer;
   * - under such results, or none: the typed words in the explorer, with its filters, and the
   *   form to propose a resource (overrides/spm/search-more.html, in a <template>);
   * - the count as a whole number: Material rounds it from 1,000 on ("1.2k");
   * - which fallback it is, on the result panel (`data-spm-fallback`): under words one letter
   *   away, Material's "Missing: <the typed word>" would be the same struck-out line under every
   *   result, which library.css hides. Set before Material renders, so that it never shows.
   * Every text comes from the page (its labels, Material's translations); the typed words are
   * put in as text, and in the explorer's address as a parameter. */
  var RESULT = 3;
  function showAnswer(event) {
    var message = event && event.data;
    if (!message || message.type !== RESULT) return;
    var data = message.data || {};
    var count = Array.isArray(data.items) ? data.items.length : 0;
    var label = typeof data.spm_note === "string" ? data.spm_note : "";
    var panel = document.querySelector("[data-md-component=search-result]");
    if (panel && data.spm_fallback) panel.setAttribute("data-spm-fallback", String(data.spm_fallback));
    else if (panel) panel.removeAttribute("data-spm-fallback");
    setTimeout(function () {
      var result = document.querySelector("[data-md-component=search-result]");
      if (!result) return;
      showCount(result, count);
      showNote(result, label);
      showMore(result, count === 0 || !!data.spm_fallback);
    }, 0);
  }

  function pageConfig() {
    var element = document.getElementById("__config");
    try {
      return element ? JSON.parse(element.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function showCount(result, count) {
    var meta = result.querySelector(":scope > .md-search-result__meta");
    var other = (pageConfig().translations || {})["search.result.other"];
    if (!meta || count < 1000 || typeof other !== "string") return;
    meta.textContent = other.replace("#", count.toLocaleString(document.documentElement.lang || undefined));
  }

  function showNote(result, label) {
    var region = result.querySelector("[data-spm-search-note]");
    if (!region) return;
    var shown = region.querySelector("[data-spm-some-words]");
    if (shown && shown.textContent === label) return; /* said once, not again at each key */
    region.textContent = "";
    if (!label) return;
    var note = document.createElement("div");
    note.className = "md-search-result__meta";
    note.setAttribute("data-spm-some-words", "");
    note.textContent = label;
    region.appendChild(note);
  }

  /* The block goes after Material's list, in a live region of its own: Material has found its
   * list (the last child) by now, and its arrow keys reach every link in the result panel. */
  function showMore(result, wanted) {
    var template = document.querySelector("template[data-spm-search-more]");
    var input = document.querySelector("[data-md-component=search-query]");
    if (!template || !input) return;
    var region = result.querySelector(":scope > [data-spm-search-more-region]");
    if (!region) {
      region = document.createElement("div");
      region.setAttribute("data-spm-search-more-region", "");
      region.setAttribute("aria-live", "polite");
      result.appendChild(region);
    }
    var words = input.value.trim();
    if (!wanted || !words) {
      region.textContent = "";
      return;
    }
    var block = region.firstElementChild;
    if (!block) {
      block = template.content.firstElementChild.cloneNode(true);
      region.appendChild(block);
    }
    block.querySelectorAll("[data-spm-query]").forEach(function (element) { element.textContent = words; });
    var explore = block.querySelector("[data-spm-explore]");
    var path = template.content.querySelector("[data-spm-explore]");
    if (explore && path) explore.href = explorerAddress(path.getAttribute("href"), words);
  }

  /* The explorer's address from this page: its path from the language's home, which is
   * Material's `config.base` (relative, so the same from a host, a sub-path or file://). */
  function explorerAddress(path, words) {
    var base = String(pageConfig().base || ".").replace(/\/*$/, "/");
    var url = new URL(path, new URL(base, location.href));
    url.searchParams.set("q", words);
    return url.href;
  }

  function release() {
    if (released) return;
    released = true;
    waiting.splice(0).forEach(function (start) { start(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.spmUrl = String(url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!released && INDEX.test(this.spmUrl || "")) {
      var request = this;
      var args = arguments;
      waiting.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  /* A page opened from a search result highlights the words found (search.highlight, `h` in
   * the address), which needs the index: the reader has just searched, so it is in the cache. */
  if (/[?&]h=/.test(location.search)) release();

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-component=search-query]")) release();
  }, true);
  document.addEventListener("pointerdown", function (event) {
    if (event.target && event.target.closest && event.target.closest('label[for="__search"]')) release();
  }, true);
})();
