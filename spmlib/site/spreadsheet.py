"""The one rule for CSV cells a spreadsheet would run as a formula ("CSV injection").

The library writes three CSV files that people open in Excel, LibreOffice or Google Sheets: the
open data (spmlib/site/opendata.py), the translators' export (spmlib/outputs/translations.py) and the
explorer's "Download these results" (overrides/assets/javascripts/explorer/export.js). A cell
such as `=HYPERLINK(...)` or `@SUM(...)` taken from a catalogue text would run there. Such a
cell gets a leading apostrophe, which spreadsheets show as "this is text" and do not display.

What starts a formula, beyond OWASP's list (=, +, -, @, a tab, a carriage return):
- blanks before it: spreadsheets skip leading spaces, and pasted text brings no-break,
  ideographic and zero-width spaces and byte-order marks, so " +cmd" is a formula too;
- the full-width and small forms of = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20, U+FE66, U+FE62,
  U+FE63, U+FE6B), which spreadsheets in East Asian locales read as the ASCII signs.

FORMULA_PATTERN is written so that Python's `re` and JavaScript's RegExp read it alike (explicit
character classes and \\u escapes only, no `\\s`, whose meaning differs between the two):
explorer/export.js holds the very same text, and tests/test_spreadsheet.py checks both.
"""

from __future__ import annotations

import re

# Blanks a spreadsheet may skip before a formula: ASCII whitespace, the information separators,
# NEXT LINE, no-break and Ogham spaces, the spaces U+2000-U+200B (zero-width included), the line
# and paragraph separators, narrow no-break, medium mathematical and ideographic spaces, and the
# byte-order mark.
_BLANKS = r"\t\n\u000b\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
# = + - @ and their full-width and small forms
_SIGNS = r"=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
FORMULA_PATTERN = rf"^(?:[\t\r]|[{_BLANKS}]*[{_SIGNS}])"
FORMULA = re.compile(FORMULA_PATTERN)


def neutralise(cell: str) -> str:
    """`cell` as a spreadsheet will take it: as text, never as a formula."""
    return "'" + cell if FORMULA.match(cell) else cell


def restore(cell: str) -> str:
    """Undo `neutralise` (a translator's spreadsheet keeps the apostrophe it was given)."""
    return cell[1:] if cell.startswith("'") and FORMULA.match(cell[1:]) else cell
