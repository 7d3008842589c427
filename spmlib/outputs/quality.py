"""Checks of catalogue text quality that are not schema errors.

Mis-encoding: text copied from the old resource center pages is UTF-8 that was read as
ISO-8859-16 ("FinComún" became "FinComĂșn"). ftfy does not recognise that code page, so
the pattern is detected here: a lead-byte character followed by continuation-byte
characters that decode to valid UTF-8, or a lone "Ă"/"Ă" inside a word where a byte was lost.
"""

from __future__ import annotations

import re

_CODEC = "iso8859_16"
# Characters that ISO-8859-16 gives to the UTF-8 lead bytes of two-byte sequences (C2-DF).
_LEADS = "".join(bytes([b]).decode(_CODEC) for b in range(0xC2, 0xE0))
# ... and to continuation bytes (80-BF).
_CONTINUATIONS = "".join(bytes([b]).decode(_CODEC) for b in range(0x80, 0xC0))
_PAIR = re.compile(f"[{re.escape(_LEADS)}][{re.escape(_CONTINUATIONS)}]")
# A byte lost after the lead: "polĂticas" for "políticas". Ă is only Romanian, and never before
# a consonant-vowel run like this in a Romanian word either.
_LOST = re.compile(r"(?<=\w)Ă(?=[a-zà-ÿ])")


def repair(text: str) -> str | None:
    """The text with mis-encoded sequences repaired, or None when none are found."""
    changed = False

    def fix(match: re.Match) -> str:
        nonlocal changed
        try:
            fixed = match.group(0).encode(_CODEC).decode("utf-8")
        except UnicodeError:
            return match.group(0)
        changed = True
        return fixed

    repaired = _PAIR.sub(fix, text)
    if _LOST.search(repaired):
        changed = True
        repaired = _LOST.sub("�", repaired)
    return repaired if changed else None
