/* Accent folding for the reader's words: the one JavaScript copy of spmlib/model/words.py fold().
 *
 * Shared by the catalogue explorer (a classic <script> on the "All resources" page) and the
 * search worker (workers/search-fold.js loads it with importScripts, in a real worker and in
 * iframe-worker's iframe on file://), so that "FinComún" is "fincomun" in both, as in the
 * Python that folds the data they search. tests/test_search.py checks it against the Python
 * fold over every character Python's Unicode database assigns, and over generated strings.
 * It registers on the library's one namespace, `spmExplorer`, in a page or a worker alike.
 */
(function (scope) {
  "use strict";

  var COMBINING = /[\u0300-\u036f]/g;
  var LIGATURE = /[\u0153\u00e6\u00df]/g;
  var LIGATURES = { "\u0153": "oe", "\u00e6": "ae", "\u00df": "ss" };

  /** Lower case without accents, cedillas or tildes, with œ/æ/ß spelled out: "Cobrança" -> "cobranca". */
  function fold(text) {
    text = text.toLowerCase();
    // most words are plain ASCII: nothing to take apart (the same shortcut as the Python)
    if (!/[^\x00-\x7f]/.test(text)) return text;
    return text.normalize("NFD").replace(COMBINING, "").replace(LIGATURE, function (c) {
      return LIGATURES[c];
    });
  }

  (scope.spmExplorer = scope.spmExplorer || {}).fold = fold;
})(self);
