/* Catalogue explorer, "Download these results (CSV)".
 *
 * The CSV is made in the browser from the explorer's own data: the current results with their
 * codes, from window.spmExplorer.exportRows() (main.js, which first brings in the cards of
 * results not yet shown), then handed to the reader as a Blob: nothing is fetched, so it works
 * from file:// too. Columns are codes,
 * as in the library's open data (data/resources.csv). Spreadsheet-safe: a cell that would run as
 * a formula gets a leading apostrophe, by the same rule as the open data (spmlib/site/spreadsheet.py:
 * = + - @ or their full-width forms, after any blanks, or a leading tab or carriage return);
 * UTF-8 with a byte-order mark, so that spreadsheets read the accents.
 */
(function () {
  "use strict";

  var ns = (window.spmExplorer = window.spmExplorer || {});

  var COLUMNS = ["id", "title", "title_language", "type", "dimensions", "standards", "languages", "topics", "countries", "year", "address"];

  /* The very text of spmlib/site/spreadsheet.py's FORMULA_PATTERN (tests/test_spreadsheet.py checks it). */
  var FORMULA = /^(?:[\t\r]|[\t\n\u000b\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b])/;

  function cell(value) {
    var text = String(value);
    if (FORMULA.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /* rows: [id, title, title language, type codes, dimension codes, ..., country codes, the other
   * facets' codes (region, link...: not columns of the open data), year] */
  function csv(data, rows) {
    var lines = [COLUMNS.join(",")];
    rows.forEach(function (row) {
      var address = new URL(data.href.replace("{id}", encodeURIComponent(row[0])), location.href).href;
      var values = row.slice(0, 3).concat(row.slice(3, 9).map(function (codes) { return codes.join(" "); }), [row[row.length - 1], address]);
      lines.push(values.map(cell).join(","));
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }

  function download(text, name) {
    var link = document.createElement("a");
    var blob = new Blob([text], { type: "text/csv;charset=utf-8" });
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  function start() {
    var button = document.querySelector("[data-export-csv]");
    if (!button) return;
    button.addEventListener("click", function () {
      var data = window.spmExplorerData;
      // read at the click: tests stand in their own rows for the explorer's
      if (!data || !ns.exportRows) return;
      ns.exportRows(function (rows) {
        download(csv(data, rows), "spm-resources-" + data.lang + ".csv");
      });
    });
  }

  ns.export = { cell: cell }; /* for tests/test_spreadsheet.py */

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
