"""How many sentences a summary has: the same count in every language says nothing was dropped.

A translation that loses its last sentence reads fine on its own, so nothing but a count shows
it. A sentence ends at '.', '!' or '?' (closing quotes or brackets may follow) when whitespace
and then an upper-case letter, an opening quote or an opening bracket come next, or the text
ends. A colon ends none, nor does a known abbreviation ("e.g.", "No. 1", "pp. 4"), nor a
decimal point ("2.0").
"""

from __future__ import annotations

import re

# Compared in lower case, with what precedes the final point: "e.g.", "No.", "p."...
ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "n.º", "nº", "no.", "n°", "p.", "pp.", "vs.", "cf.", "et al."})
_END = re.compile(r"[.!?]+[\"'”’»)\]]*")
_OPENERS = "\"'“‘«([¿¡"


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the point at text[end - 1] closes a known abbreviation rather than a sentence."""
    words = text[:end].split()
    if not words:
        return False
    last = words[-1].lower().lstrip(_OPENERS)
    two = " ".join(words[-2:]).lower() if len(words) > 1 else last
    return last in ABBREVIATIONS or two in ABBREVIATIONS


def count_sentences(text: str) -> int:
    """The number of sentences of `text` (0 for blank text): see the module's docstring."""
    text = text.strip()
    count = 0
    start = 0
    for match in _END.finditer(text):
        rest = text[match.end() :]
        if rest and not rest[0].isspace():
            continue  # "2.0", "Cerise+SPTF.org", "…».Next" without a space
        following = rest.lstrip()
        if following and not (following[0].isupper() or following[0] in _OPENERS):
            continue
        if match.group().startswith(".") and _is_abbreviation(text, match.start() + 1):
            continue
        if text[start : match.start()].strip():
            count += 1
        start = match.end()
    if text[start:].strip():
        count += 1
    return count
