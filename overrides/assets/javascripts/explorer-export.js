/* "Download these results (CSV)" on the catalogue explorer.
 *
 * The CSV is made in the browser from the explorer's own data (window.spmExplorerData) and the
 * ids of the current results (window.spmExplorer.results(), from explorer.js), then handed to
 * the reader as a Blob: nothing is fetched, so it works from file:// too. Columns are codes,
 * as in the library's open data (data/resources.csv). Spreadsheet-safe: a cell starting with
 * =, +, -, @, a tab or a carriage return gets a leading apostrophe so that it cannot run as a
 * formula; UTF-8 with a byte-order mark, so that spreadsheets read the accents.
 */
(function () {
  "use strict";

  var FACETS = ["type", "dimension", "standard", "language", "topic", "country"];
  var FIRST_FACET = 3;
  var YEAR = 9;
  var COLUMNS = ["id", "title", "title_language", "type", "dimensions", "standards", "languages", "topics", "countries", "year", "address"];

  function cell(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function rows(data, ids) {
    var byId = {};
    data.entries.forEach(function (e) { byId[e[0]] = e; });
    var lines = [COLUMNS.join(",")];
    ids.forEach(function (id) {
      var e = byId[id];
      if (!e) return;
      var codes = FACETS.map(function (name, k) {
        return e[FIRST_FACET + k].map(function (i) { return data.facets[name][i][0]; }).join(" ");
      });
      var address = new URL(data.href.replace("{id}", encodeURIComponent(id)), location.href).href;
      var values = [id, e[1], e[2] || data.lang].concat(codes, [e[YEAR] || "", address]);
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
      var explorer = window.spmExplorer;
      if (!data || !explorer || !explorer.results) return;
      download(rows(data, explorer.results()), "spm-resources-" + data.lang + ".csv");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
