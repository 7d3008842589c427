"""Warnings an entry may settle by saying why, in its `acknowledged:` field.

Some gaps are facts about the world rather than mistakes: a document nobody dated, a resource
whose only known address is a publisher's listing, a translation that says in two sentences
what English says in three. `make check` warns about each; `STRICT=1` (CI) fails on them unless
the entry acknowledges the warning with a reason a curator can check, e.g.
`acknowledged: {no-year: "Undated in every source seen (cerise-sptf.org page, seed 001)."}`.
An acknowledgement whose warning no longer applies is an error, so that reasons never outlive
the gap they explain.

Each warning depends on the entry alone, so the same function serves the validator (a raw
entry, for stale acknowledgements, at their line) and `make check` (a Resource).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spmlib.model.linkkinds import PLACE, infer_format, infer_kind
from spmlib.model.sentences import count_sentences

PLACES_ONLY, NO_YEAR, SENTENCES = "places-only", "no-year", "sentences"
CODES = (PLACES_ONLY, NO_YEAR, SENTENCES)


@dataclass(frozen=True)
class Gap:
    """One warning an entry may acknowledge: its code, where it is (the path of the field, or
    () for the entry's first line), the field it is about, what is wrong and how to fix it."""

    code: str
    path: tuple
    field: str
    message: str
    hint: str


def _get(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def _kind(link: Any) -> str:
    """The kind of a link of a raw entry (its declared kind, or the inferred one) or of a Link."""
    if not isinstance(link, dict):
        return link.kind
    url = link["url"]
    return infer_kind(url, link.get("format") or infer_format(url), link.get("label"), link.get("kind"))


def gaps(record: Any, default_language: str) -> list[Gap]:
    """The acknowledgeable warnings of a valid entry (a mapping of resources.yaml or a Resource),
    whether acknowledged or not."""
    found: list[Gap] = []
    links = _get(record, "links") or ()
    if links and all(_kind(link) == PLACE for link in links):
        found.append(
            Gap(
                PLACES_ONLY,
                ("links",),
                "links",
                "every link is a place to look (a home page or a listing), none the resource's own page or document",
                "link the resource's own page or file where a public page shows it; otherwise acknowledge it: "
                f'acknowledged: {{{PLACES_ONLY}: "why no better address is known"}}',
            )
        )
    if _get(record, "year") is None:
        found.append(
            Gap(
                NO_YEAR,
                (),
                "year",
                "the entry has no year",
                "add 'year:' from the document or its publisher's page; if no source dates it, acknowledge it: "
                f'acknowledged: {{{NO_YEAR}: "which sources were checked"}}',
            )
        )
    found += _sentence_gaps(_get(record, "summary") or {}, default_language)
    return found


def _sentence_gaps(summary: dict, default_language: str) -> list[Gap]:
    """One gap for the summaries whose sentence count differs from the default language's."""
    if default_language not in summary:
        return []
    expected = count_sentences(summary[default_language])
    differing = {lang: count_sentences(text) for lang, text in summary.items() if lang != default_language}
    differing = {lang: n for lang, n in differing.items() if n != expected}
    if not differing:
        return []
    first = sorted(differing)[0]
    counts = ", ".join(f"{lang} {n}" for lang, n in sorted(differing.items()))
    return [
        Gap(
            SENTENCES,
            ("summary", first),
            f"summary.{first}",
            f"the summary has {expected} sentence{'s' if expected != 1 else ''} in {default_language} but {counts}",
            "a translation may have lost a sentence: translate each sentence of the original; if the difference "
            f'is deliberate, acknowledge it: acknowledged: {{{SENTENCES}: "why"}}',
        )
    ]


def unacknowledged(record: Any, default_language: str) -> list[Gap]:
    """The gaps the entry does not acknowledge: what `make check` warns about."""
    said = _get(record, "acknowledged") or {}
    return [gap for gap in gaps(record, default_language) if gap.code not in said]


def stale_acknowledgements(entry: Any, default_language: str) -> list[tuple[str | tuple, str]]:
    """(field, message) of each acknowledgement whose warning does not apply (any longer), for
    the validator (spmlib/model/rules.py Record.together), reported at that acknowledgement's line."""
    said = entry.get("acknowledged") if isinstance(entry, dict) else None
    if not isinstance(said, dict):
        return []
    current = {gap.code for gap in gaps(entry, default_language)}
    return [
        (
            ("acknowledged", code),
            f"acknowledges the warning {code!r}, which no longer applies to this entry; delete this line",
        )
        for code in said
        if code not in current
    ]
