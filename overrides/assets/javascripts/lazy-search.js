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
 * iframe-worker's shim, which is wrapped the same way.
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
      worker.addEventListener("message", showSomeWords);
      return worker;
    };
    FoldingWorker.prototype = BaseWorker.prototype;
    window.Worker = FoldingWorker;
  }

  /* When no page has every word of the query, the worker answers with pages having some of
   * them, or words one letter away, and a label saying so (`spm_note`, taxonomy/ui.yaml): shown under Material's
   * count, and taken away at the next answer. */
  var RESULT = 3;
  function showSomeWords(event) {
    var message = event && event.data;
    if (!message || message.type !== RESULT) return;
    var label = message.data && message.data.spm_note;
    setTimeout(function () {
      var meta = document.querySelector(".md-search-result__meta");
      if (!meta) return;
      var shown = meta.parentNode.querySelector("[data-spm-some-words]");
      if (shown) shown.parentNode.removeChild(shown);
      if (typeof label !== "string" || !label) return;
      var note = document.createElement("div");
      note.className = "md-search-result__meta";
      note.setAttribute("data-spm-some-words", "");
      note.textContent = label;
      meta.parentNode.insertBefore(note, meta.nextSibling);
    }, 0);
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
