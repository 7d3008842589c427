"""Search that forgives: accents, hyphenated compounds and synonyms, the same in both search boxes.

Readers on phones type without accents ("fincomun", "cobranca"), spell compounds three ways
("overindebtedness", "over-indebtedness", "over indebtedness") and use the field's other word
("directorio" for "junta directiva", "SPM" for "social performance management"). The header
search (Material's lunr index, one per language) and the catalogue explorer must then find the
same pages. Everything is reduced the same way:

- `fold` (spmlib.model.words, with the synonyms file's reader) removes accents, cedillas and
  tildes and spells out œ/æ, in lower case. The header search folds in the browser
  (overrides/assets/javascripts/workers/search-fold.js folds lunr's tokens and the query, so the
  page's own words stay highlighted) and the explorer folds its query, both with the one
  JavaScript copy of this function (overrides/assets/javascripts/fold.js), which tests check
  against this one.
- hyphenated compounds are also indexed joined ("over-indebtedness" -> "overindebtedness"),
  and a closed compound that the language's texts also write hyphenated is indexed split;
- the synonym groups of `taxonomy/synonyms.yaml` add the other members of a group to any
  entry that contains one member.

These additions are written at build time into extra fields of each search entry (in the
compact shape of spmlib/site/searchindex.py), which lunr searches and Material never shows;
`title_alt` is boosted like the title so that a resource whose title matches still ranks first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spmlib.model.fields import written_search_texts
from spmlib.model.names import country_name, region_name
from spmlib.model.regions import regions_of
from spmlib.model.words import SynonymTable, compounds, hyphenated, plain, words

if TYPE_CHECKING:  # at run time these modules import this one
    from spmlib.model.catalogue import Resource
    from spmlib.model.taxonomy import Taxonomy

# Search fields added to Material's (title 1000, text 1): never shown, only matched.
EXTRA_FIELDS = {"title_alt": {"boost": 1000.0}, "text_alt": {"boost": 1.0}}


@dataclass
class Variants:
    """What one text adds to the index besides its own words."""

    words: list[str] = field(default_factory=list)

    def add(self, items: Iterable[str], present: set[str]) -> None:
        for item in items:
            if item not in present:
                present.add(item)
                self.words.append(item)

    def text(self) -> str:
        return " ".join(self.words)


def variants(text: str, table: SynonymTable, splits: dict[str, tuple[str, ...]], extra: str = "") -> str:
    """Folded words a search for `text` should also find it by: joined and split compounds, synonyms.

    `extra` is more text to search by but not show (a resource's details); its words are all included.
    `splits` maps closed compounds to the parts the language's other texts hyphenate them into.
    """
    tokens = words(text)
    present = set(tokens)
    found = Variants()
    if extra:
        extra_tokens = words(extra)
        found.add(extra_tokens, present)
        found.add(compounds(extra), present)
        tokens = tokens + extra_tokens
    joined = compounds(text)
    found.add(joined, present)
    for token in tokens:
        parts = splits.get(token)
        if parts:
            found.add(parts, present)
    found.add(table.expand(tokens + joined), present)
    return found.text()


Vary = Callable[[str, str], str]  # (text, extra) -> variants(text, table, splits, extra) of one index build


def compound_splits(
    texts: Iterable[str], of_text: Callable[[str], Sequence[tuple[str, tuple[str, ...]]]] | None = None
) -> dict[str, tuple[str, ...]]:
    """Closed forms of the hyphenated compounds in `texts`: {"overindebtedness": ("over", "indebtedness")}.

    `of_text` is `text_splits`, or a cached version of it (`make serve`)."""
    of_text = of_text or text_splits
    splits: dict[str, tuple[str, ...]] = {}
    for text in texts:
        for closed, parts in of_text(text):
            splits.setdefault(closed, parts)
    return splits


def text_splits(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The hyphenated compounds of one text, each as (closed form, parts), in order."""
    found = []
    for match in hyphenated(text):
        parts = tuple(words(match))
        found.append(("".join(parts), parts))
    return tuple(found)


_RESOURCE_LOCATION = re.compile(r"^resources/([a-z0-9]+(?:-[a-z0-9]+)*)(?:/|\.html)$")


def resource_of(location: str) -> str | None:
    """The resource id of a search entry's location ("resources/x/" or, offline, "resources/x.html")."""
    match = _RESOURCE_LOCATION.match(location)
    return match.group(1) if match else None


def forgiving_entries(
    entries: list[dict],
    table: SynonymTable,
    details: dict[str, str] | None = None,
    splits: dict[str, tuple[str, ...]] | None = None,
    vary: Vary | None = None,
) -> list[dict]:
    """Material's search entries with `title_alt` and `text_alt` added where they have something.

    `details` maps a location to text to search by without showing it (a resource's type,
    standards, topics, organisation...), which the page keeps out of Material's index so that
    a result shows the resource's summary rather than lists of codes.
    """
    details = details or {}
    texts = [(plain(e.get("title", "")), plain(e.get("text", ""))) for e in entries]
    if splits is None:  # closed compounds the texts also hyphenate
        splits = compound_splits(t for pair in texts for t in pair)
        splits.update(compound_splits(details.values()))
    if vary is None:
        vary = lambda text, extra="": variants(text, table, splits, extra)  # noqa: E731
    result = []
    for entry, (title, text) in zip(entries, texts, strict=True):
        entry = dict(entry)
        title_alt = vary(title, "")
        text_alt = vary(text, details.get(entry["location"], ""))
        if title_alt:
            entry["title_alt"] = title_alt
        if text_alt:
            # words the title already adds need not be repeated
            seen = set(title_alt.split())
            text_alt = " ".join(w for w in text_alt.split() if w not in seen)
            if text_alt:
                entry["text_alt"] = text_alt
        result.append(entry)
    return result


def resource_keys(resource: Resource, taxonomy: Taxonomy, lang: str) -> list[str]:
    """What a resource page shows besides its title and summary, as texts to search by.

    The page keeps these lines out of Material's index (data-search-exclude) so that a result
    shows the summary; they are searched through `text_alt` instead. Many resources share each
    of them, so the index writes each once (spmlib/site/searchindex.py).
    """
    parts = [taxonomy.type(resource.type).name[lang], resource.organization or "", str(resource.year or "")]
    implied = set()  # a standard's key holds its dimension's name too: most resources name standards only
    for code in resource.standards:
        standard = taxonomy.standards.get(code)
        if standard is None:
            parts.append(code)
            continue
        parts.append(f"{code} {standard.name[lang]} {taxonomy.dimension(standard.dimension).name[lang]}")
        implied.add(standard.dimension)
    # a dimension's key starts with its number as a standard's with its code: "7" names it (rank.js)
    parts += [f"{n} {taxonomy.dimension(n).name[lang]}" for n in resource.all_dimensions(taxonomy) if n not in implied]
    parts += [taxonomy.topic_name(topic, lang) for topic in resource.topics]
    parts += [country_name(code, lang) for code in resource.countries]
    parts += [region_name(code, lang) for code in regions_of(resource.countries)]  # "Amérique latine" finds Mexico's
    parts += written_search_texts(resource)  # fields declared searchable AS_WRITTEN (spmlib/model/fields.py)
    return [p for p in parts if p]
