"""One rule for cells a spreadsheet would run as a formula, the same in the three CSV files the
library writes: the open data (spmlib/site/opendata.py), the translators' export (spmlib/outputs/translations.py)
and the explorer's "Download these results" (explorer/export.js, checked here with Node)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest
from conftest import ROOT

from spmlib.model.catalogue import load_catalogue
from spmlib.outputs.translations import neutralise, restore
from spmlib.site.opendata import catalogue_csv, spreadsheet_safe

EXPORT_JS = ROOT / "overrides" / "assets" / "javascripts" / "explorer" / "export.js"

# (cell as the catalogue has it, cell as written to the CSV)
CELLS = [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+1", "'+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("\tplain", "'\tplain"),  # a leading tab or carriage return is escaped whatever follows
    ("\rplain", "'\rplain"),
    # spreadsheets skip leading blanks before a formula
    (" +cmd", "' +cmd"),
    ("   =1+1", "'   =1+1"),
    ("\n=1", "'\n=1"),
    ("\u00a0=1", "'\u00a0=1"),  # no-break space
    ("\u3000=1", "'\u3000=1"),  # ideographic space
    ("\u200b=1", "'\u200b=1"),  # zero-width space
    ("\ufeff=1", "'\ufeff=1"),  # byte-order mark
    # full-width and small forms, which East Asian spreadsheets read as = + - @
    ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
    ("\uff0b1", "'\uff0b1"),
    ("\uff0d1", "'\uff0d1"),
    ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
    ("\ufe66SUM(A1)", "'\ufe66SUM(A1)"),
    ("\ufe62 1", "'\ufe62 1"),
    ("\ufe63 1", "'\ufe63 1"),
    ("\ufe6bSUM(A1)", "'\ufe6bSUM(A1)"),
    (" \uff1d1", "' \uff1d1"),
    # text that only contains these characters later is left alone
    ("Smart Campaign", "Smart Campaign"),
    ("Cerise+SPTF", "Cerise+SPTF"),
    ("2013", "2013"),
    ("", ""),
    ("   ", "   "),
    ("a=b", "a=b"),
    ("x \uff1d y", "x \uff1d y"),
    ("'quoted", "'quoted"),
    ("Guía – 2", "Guía – 2"),  # an en dash is not a minus sign to spreadsheets
]


@pytest.mark.parametrize(("value", "expected"), CELLS, ids=[repr(v) for v, _ in CELLS])
def test_open_data_cells(value, expected):
    assert spreadsheet_safe(value) == expected


@pytest.mark.parametrize(("value", "expected"), CELLS, ids=[repr(v) for v, _ in CELLS])
def test_translation_cells_round_trip(value, expected):
    assert neutralise(value) == expected
    assert restore(neutralise(value)) == value


def test_explorer_uses_the_same_rule_as_python():
    """The pattern in explorer/export.js is the very text of spmlib's pattern: a change on one side
    without the other fails here (the behaviour itself is checked below, with Node)."""
    from spmlib.site.spreadsheet import FORMULA_PATTERN

    assert f"var FORMULA = /{FORMULA_PATTERN}/;" in EXPORT_JS.read_text(encoding="utf-8")


NODE_SCRIPT = r"""
const fs = require("fs"), vm = require("vm");
const context = {document: {readyState: "complete", querySelector: () => null}, location: {href: "http://x/"}};
context.window = context;
vm.runInNewContext(fs.readFileSync(process.argv[1], "utf8"), context);
const cells = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cells.map(context.spmExplorer.export.cell)));
"""


def csv_field(text: str) -> str:
    """`text` as a CSV field, quoted when it must be (the explorer's writer quotes the same way)."""
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in '",\r\n') else text


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed (make install-dev installs it)")
def test_explorer_export_cells_in_node():
    values = [value for value, _ in CELLS]
    result = subprocess.run(
        [shutil.which("node"), "-e", NODE_SCRIPT, str(EXPORT_JS)],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [csv_field(expected) for _, expected in CELLS]


def test_organisation_with_leading_blanks_is_published_trimmed_and_defused(taxonomy, tmp_path):
    (tmp_path / "c.yaml").write_text(
        "resources:\n  - id: f\n    type: tool\n    title: {en: 'A title'}\n"
        "    organization: '  +cmd|calc'\n    dimensions: [4]\n"
        "    links: [{lang: en, url: 'https://x.org/a.pdf'}]\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue(tmp_path / "c.yaml", taxonomy)
    assert catalogue.resources[0].organization == "+cmd|calc"  # trimmed like titles and summaries
    rows = list(csv.DictReader(io.StringIO(catalogue_csv(catalogue).lstrip("\ufeff"))))
    assert rows[0]["organization"] == "'+cmd|calc"
