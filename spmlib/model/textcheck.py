"""Characters that have no business in the library's text, and how to show text safely in messages.

Maintainers paste titles from PDFs (form feeds, soft hyphens, zero-width spaces) and
translators paste from spreadsheets; a hostile contributor can add terminal escapes or
bidi overrides that make a line read differently from what it holds. Every input (catalogue,
taxonomy, CSV) goes through `control_characters`; text meant for readers through
`invisible_characters`; every message through `escape_for_terminal`.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab, line feed and carriage return; DEL; C1 controls (U+0085 NEXT LINE
# among them, which YAML counts as a line break); the Unicode line and paragraph separators,
# and the non-characters YAML refuses.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")
# Bidi embeddings, overrides and isolates, and the zero-width characters that make two
# different texts look the same (or one text look like another).
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e]")


def describe(char: str) -> str:
    """'U+000C FORM FEED' for a message."""
    name = unicodedata.name(char, "") or {
        "\x0c": "FORM FEED",
        "\x00": "NULL",
        "\x1b": "ESCAPE",
        "\x7f": "DELETE",
        "\x85": "NEXT LINE",
    }.get(char, "control character")
    return f"U+{ord(char):04X} {name}"


def control_characters(text: str) -> list[tuple[int, str]]:
    """(1-based line, character) of each forbidden control character, at most one per line."""
    found: list[tuple[int, str]] = []
    last_line = 0
    for match in CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line != last_line:
            found.append((line, match.group()))
            last_line = line
    return found


def first_control(text: str) -> str | None:
    match = CONTROL.search(text)
    return match.group() if match else None


def first_invisible(text: str) -> str | None:
    match = INVISIBLE.search(text)
    return match.group() if match else None


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]")


def _escape_char(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    simple = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in simple:
        return simple[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_for_terminal(text: str) -> str:
    """`text` on one line with every control, bidi and zero-width character written as an escape.

    A value with a newline cannot forge a second message (or a GitHub `::error` annotation), and
    terminal escape sequences are shown, not obeyed.
    """
    return _UNPRINTABLE.sub(_escape_char, text)
