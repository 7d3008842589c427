"""What a resource card's footer says it covers, in the compact form every card shows.

A card's footer is one line of chips: type, languages, year, coverage. Coverage written out
("Dimension 1 · Dimension 2 · … · Dimension 6") took two lines of a phone and differed from
card to card ("All dimensions" on the next one), so it is shortened the same way everywhere:
runs of three or more dimensions or standards become ranges ("D1–D6", "4A–4E"), and the words
in full go to screen readers and the chip's tooltip. The cards of the pages (overrides/spm/
_macros.html) and those the explorer draws from its data (spmlib.site.explorer, explorer/
render.js) both take it from here, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from spmlib.model.catalogue import Resource
from spmlib.model.names import list_of
from spmlib.model.taxonomy import Taxonomy

RUN = 3  # this many consecutive dimensions or standards, or more, are written as a range
DASH = "\u2013"  # the en dash of ranges
SEPARATOR = " · "


@dataclass(frozen=True)
class Coverage:
    """A card's coverage chip: `short` is shown, `full` is what it says in words (for screen
    readers and the tooltip)."""

    short: str
    full: str


def coverage(resource: Resource, taxonomy: Taxonomy, lang: str) -> Coverage | None:
    """The part of the Universal Standards a card says the resource covers: its standards, all
    the dimensions, or its dimensions; None when it names none."""
    if resource.standards:
        return _standards(list(resource.standards), taxonomy, lang)
    numbers = resource.all_dimensions(taxonomy)
    if not numbers:
        return None
    if numbers == taxonomy.dimension_numbers:
        everything = taxonomy.label("all_dimensions", lang)
        return Coverage(everything, everything)
    runs = _runs(numbers, lambda a, b: b == a + 1)
    short = SEPARATOR.join(_span([taxonomy.label("dimension_short", lang, n=n) for n in run]) for run in runs)
    return Coverage(short, _in_words(runs, taxonomy, lang, ("dimension_n", "n"), "dimensions_range"))


def _standards(codes: list[str], taxonomy: Taxonomy, lang: str) -> Coverage:
    """Standards in the taxonomy's order, consecutive ones of a dimension as a range."""
    order = [s.code for d in taxonomy.dimensions for s in d.standards]
    codes = sorted(dict.fromkeys(codes), key=lambda c: order.index(c) if c in order else len(order))
    position = {code: i for i, code in enumerate(order)}

    def follows(a: str, b: str) -> bool:
        same = taxonomy.standards[a].dimension == taxonomy.standards[b].dimension
        return same and position.get(b, -1) == position.get(a, -2) + 1

    runs = _runs(codes, follows)
    short = SEPARATOR.join(_span(run) for run in runs)
    return Coverage(short, _in_words(runs, taxonomy, lang, ("standard_code", "code"), "standards_range"))


def _runs(items: list, follows) -> list[list]:
    """The items in runs of consecutive ones (`follows(a, b)`: b comes right after a)."""
    runs: list[list] = []
    for item in items:
        if runs and follows(runs[-1][-1], item):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _in_words(runs: list[list], taxonomy: Taxonomy, lang: str, one: tuple[str, str], many: str) -> str:
    """The runs as a sentence of `lang` says them: each item of a short run by the label `one`
    (its key and placeholder), a long run by the label `many` ("Dimensions 1 to 6")."""
    key, name = one
    pieces = []
    for run in runs:
        if len(run) >= RUN:
            pieces.append(taxonomy.label(many, lang, first=run[0], last=run[-1]))
        else:
            pieces.extend(taxonomy.label(key, lang, **{name: item}) for item in run)
    return list_of(pieces, lang)


def _span(texts: list[str]) -> str:
    """A run as the chip writes it: "D1–D6", or its items one by one when it is short."""
    if len(texts) >= RUN:
        return f"{texts[0]}{DASH}{texts[-1]}"
    return SEPARATOR.join(texts)
