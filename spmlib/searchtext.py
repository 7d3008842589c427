"""Search that forgives: accents, hyphenated compounds and synonyms, the same in both search boxes.

Readers on phones type without accents ("fincomun", "cobranca"), spell compounds three ways
("overindebtedness", "over-indebtedness", "over indebtedness") and use the field's other word
("directorio" for "junta directiva", "SPM" for "social performance management"). The header
search (Material's lunr index, one per language) and the catalogue explorer must then find the
same pages. Everything is reduced the same way:

- `fold` removes accents, cedillas and tildes and spells out œ/æ, in lower case. The header
  search folds in the browser (overrides/assets/javascripts/workers/search-fold.js folds lunr's
  tokens and the query, so the page's own words stay highlighted) and explorer.js folds its
  query; both copy this function, and tests check the three agree.
- hyphenated compounds are also indexed joined ("over-indebtedness" -> "overindebtedness"),
  and a closed compound that the language's texts also write hyphenated is indexed split;
- the synonym groups of `taxonomy/synonyms.yaml` add the other members of a group to any
  entry that contains one member.

These additions are written at build time into extra fields of each search entry (in the
compact shape of spmlib/searchindex.py), which lunr searches and Material never shows;
`title_alt` is boosted like the title so that a resource whose title matches still ranks first.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, TypeVar

from .memo import Generations
from .names import country_name, language_name
from .problems import Problem, kind_of, show_value
from .textcheck import describe, first_control, first_invisible
from .yamlsrc import Located

T = TypeVar("T")

if TYPE_CHECKING:  # at run time these modules import this one
    from .catalogue import Resource
    from .taxonomy import Taxonomy

_COMBINING = re.compile("[\u0300-\u036f]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_LIGATURE = re.compile("[œæß]")
_WORD = re.compile(r"[^\W_]+")
# Words joined by hyphens (ASCII, Unicode hyphen and non-breaking hyphen), e.g. "over-indebtedness".
# Starts only at the start of a word, and never backtracks into one: linear in the text.
_COMPOUND = re.compile(r"(?<![^\W_])[^\W_]++(?:[-\u2010\u2011][^\W_]++)+")
_HYPHENS = re.compile(r"[-\u2010\u2011]")
_TAG = re.compile(r"<[^>]*>")
MAX_PHRASE_WORDS = 8
MAX_PHRASE_CHARS = 80
# Every text that holds one member of a group is indexed with the words of all the others: a
# group of 3,000 words took the shipped build from 2.6 s to 12 s and the English index from
# 56 KB to 2.8 MB. The shipped groups have 2 or 3 members; 20 is room for every spelling and
# abbreviation of one term in one language, and bounds what one match adds to 19 x 8 words.
# 2,000 members in the file (the shipped one has 79) keeps the tables a small part of a build.
MAX_GROUP_MEMBERS = 20
MAX_SYNONYMS = 2000
# Separators that do not make two members different: "Junta-Directiva" is "junta directiva"
_MEMBER_SPACES = re.compile(r"[\s\-\u2010\u2011]+")

# Search fields added to Material's (title 1000, text 1): never shown, only matched.
EXTRA_FIELDS = {"title_alt": {"boost": 1000.0}, "text_alt": {"boost": 1.0}}


def fold(text: str) -> str:
    """Lower case without accents, cedillas or tildes, with œ/æ spelled out: "Cobrança" -> "cobranca"."""
    text = text.lower()
    if text.isascii():
        return text
    text = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    return text.translate(_LIGATURES) if _LIGATURE.search(text) else text


def words(text: str) -> list[str]:
    """The folded words of `text`, hyphenated compounds split, in order (repeats kept)."""
    return _WORD.findall(fold(text))


def compounds(text: str) -> list[str]:
    """Hyphenated compounds of `text` joined and folded: "Over-indebtedness, COVID-19" -> overindebtedness, covid19."""
    if not _HYPHENS.search(text):
        return []
    return [_HYPHENS.sub("", fold(match)) for match in _COMPOUND.findall(text)]


def plain(markup: str) -> str:
    """The text of a search entry's HTML (Material keeps a few tags and escapes the rest)."""
    return html.unescape(_TAG.sub(" ", markup))


@dataclass(frozen=True)
class SynonymTable:
    """One language's synonym groups, ready to expand texts.

    Each group is a tuple of phrases as the translator wrote them; matching is on folded
    words, so case, accents and hyphens do not matter ("Junta-Directiva" matches "junta directiva").
    """

    groups: tuple[tuple[str, ...], ...] = ()
    _starts: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for number, group in enumerate(self.groups):
            for phrase in group:
                key = tuple(words(phrase))
                if key:
                    self._starts.setdefault(key[0], []).append((key, number))

    def expand(self, tokens: Sequence[str]) -> list[str]:
        """The folded words of every other member of each group one of whose members is in `tokens`."""
        found: dict[int, None] = {}  # in the order met
        for i, token in enumerate(tokens):
            for key, number in self._starts.get(token, ()):
                if number not in found and tuple(tokens[i : i + len(key)]) == key:
                    found[number] = None
        extra: dict[str, None] = {}  # ordered, and a set: no scan of the list for each word
        present = set(tokens)
        for number in found:
            for phrase in self.groups[number]:
                for word in words(phrase):
                    if word not in present:
                        extra[word] = None
        return list(extra)


@dataclass(frozen=True)
class Synonyms:
    """`taxonomy/synonyms.yaml`: per language, groups of words and phrases that mean the same."""

    by_language: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def table(self, lang: str) -> SynonymTable:
        return SynonymTable(self.by_language.get(lang, ()))


def read_synonyms(doc: Located | None, name: str, languages: list[str], problems: list[Problem]) -> Synonyms:
    """Check the parsed synonyms file, adding a file:line problem for each mistake.

    Members are quoted in messages as the translator wrote them (`doc.written`, so load the file
    with `written=True`): YAML reads `on` as true and `0x1F` as 31, which nobody would recognise;
    a quoted member is shown with its quotes, a list as written.
    """

    def error(path: tuple, message: str, hint: str | None = None) -> None:
        problems.append(Problem(name, doc.line(path) or 1, message, hint=hint))

    if doc is None or doc.data is None:
        return Synonyms()
    raw = doc.data.get("synonyms") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict) or set(doc.data) != {"synonyms"}:
        error((), "expected a top-level 'synonyms:' mapping of languages to lists of groups")
        return Synonyms()
    result: dict[str, tuple[tuple[str, ...], ...]] = {}
    total = 0  # members in the file so far
    for lang, groups in raw.items():
        where = ("synonyms", lang)
        if lang not in languages:
            error(where, f"{lang!r} is not a site language; allowed: {', '.join(languages)}")
            continue
        if groups is not None and not isinstance(groups, list):
            error(where, f"the synonyms of {lang!r} must be a list of groups, like - [SPM, social performance management]")
            continue
        stops = stop_words(lang)
        seen: dict[tuple[str, ...], int] = {}  # every member of the language -> line of its group
        kept: list[tuple[str, ...]] = []
        for i, group in enumerate(groups or []):
            path = (*where, i)
            if not isinstance(group, list) or len(group) < 2:
                error(path, "each group must list at least two words or phrases, like [directorio, junta directiva]")
                continue
            if len(group) > MAX_GROUP_MEMBERS:
                error(
                    path,
                    f"this group has {len(group)} members; at most {MAX_GROUP_MEMBERS}",
                    hint="a page with one member is found by all the others: keep a group to one term's spellings",
                )
                continue
            if total + len(group) > MAX_SYNONYMS >= total:
                error(
                    path,
                    f"more than {MAX_SYNONYMS} members in the whole file",
                    hint="keep the groups that readers need; every member makes indexing slower",
                )
            total += len(group)
            phrases: dict[tuple[str, ...], str] = {}
            for j, phrase in enumerate(group):
                written = doc.written.get((*path, j), "").strip() or show_value(phrase)
                shown = written if written[:1] in "'\"" or isinstance(phrase, (list, dict)) else f"'{written}'"
                wrong = _member_problem(phrase, written, stops, lang)
                key = _member_key(phrase) if wrong is None else ()
                if wrong is not None:
                    error((*path, j), f"{shown} {wrong[0]}", hint=wrong[1])
                elif key in phrases:
                    error((*path, j), f"{shown} is listed twice in this group (case, accents and hyphens do not count)")
                elif key in seen:
                    error((*path, j), f"{shown} is already in the group on line {seen[key]}", hint="merge the two groups")
                else:
                    phrases[key] = phrase.strip()
            for key in phrases:
                seen[key] = doc.line(path) or 0
            if len(phrases) >= 2:
                kept.append(tuple(phrases.values()))
        result[str(lang)] = tuple(kept)
    return Synonyms(result)


def _member_problem(phrase: Any, written: str, stops: frozenset[str], lang: str) -> tuple[str, str | None] | None:
    """What is wrong with one member of a group (`written` so in the file), as (the end of a
    sentence about it, a hint), or None."""
    if not isinstance(phrase, str):
        if isinstance(phrase, (list, dict)):
            return "is not a word or phrase", "write one word or phrase per member, separated by commas"
        # Other taxonomy files refuse these too ("must be text"); quoted, they are accepted
        return f"is read by YAML as {kind_of(phrase)}, not as text", f'put it in quotes: "{written}"'
    char = first_control(phrase) or first_invisible(phrase)
    if char:
        # No reader ever sees a synonym: an invisible character can only make it match other
        # words than the ones it shows (the other taxonomy files refuse control characters too).
        return f"holds the character {describe(char)}", "delete it; synonyms are never shown, only matched"
    found = words(phrase)
    if not found:
        return "is not a word or phrase (it needs a letter or digit)", None
    if len(found) > MAX_PHRASE_WORDS or len(phrase) > MAX_PHRASE_CHARS:
        return f"is too long for a synonym (at most {MAX_PHRASE_WORDS} words and {MAX_PHRASE_CHARS} characters)", None
    if stops and all(word in stops for word in found):
        return (
            f"is {'a stop word' if len(found) == 1 else 'made of stop words'} of {language_name(lang, 'en')} ({lang})",
            "search leaves it out of queries, and the group would add its other members to nearly every page",
        )
    return None


def _member_key(phrase: str) -> tuple[str, ...]:
    """What makes two members the same: case, accents and hyphens do not count, other signs do
    ("C++" and "C#" are two members, although search reads both as the word "c")."""
    return tuple(part for part in _MEMBER_SPACES.split(fold(phrase.strip())) if part)


# Where Material's lunr keeps each language's stop words: English in the search worker, the
# others in lunr-languages' files (the site's languages are the lunr languages, hooks/i18n_search.py).
_LUNR_ASSETS = "templates/assets/javascripts"
_STOP_WORD_LIST = re.compile(r"generateStopWordFilter\((\[[^\]]*\]|\"[^\"]*\")")


@cache
def stop_words(lang: str) -> frozenset[str]:
    """The words the header search drops from `lang` queries and pages (lunr's stopWordFilter),
    folded as synonym members are matched. Read from Material's own assets, so that the list is
    the one the site's search uses; empty for a language lunr has no list for."""
    assets = files("material").joinpath(_LUNR_ASSETS)
    if lang == "en":
        sources = [p for p in assets.joinpath("workers").iterdir() if p.name.startswith("search.") and p.name.endswith(".js")]
    else:
        sources = [assets.joinpath("lunr", "min", f"lunr.{lang}.min.js")]
    for source in sources:
        if not source.is_file():
            continue
        match = _STOP_WORD_LIST.search(source.read_text(encoding="utf-8"))
        if match:
            listed = match.group(1)
            found = json.loads(listed) if listed.startswith("[") else json.loads(listed).split(" ")
            return frozenset(fold(word) for word in found if word)
    return frozenset()


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


class VariantsMemo:
    """`variants` results kept from one index build of a language to the next (`make serve`).

    After a one-entry edit nearly every title and summary is the same text as before, and its
    variants are the same as long as the taxonomy (synonyms) and the compound words learned from
    the whole language's texts are: then they are taken from the last build. Whatever a build
    did not ask for is dropped, so the memo holds one build's texts.
    """

    def __init__(self) -> None:
        self._variants: dict[str, Generations[tuple[str, str], str]] = {}  # by language
        self._basis: dict[str, tuple[object, dict[str, tuple[str, ...]]]] = {}  # what they depend on
        self._texts: dict[tuple[str, str], Generations[str, Any]] = {}  # by (step, language)

    def per_text(self, step: str, lang: str, work: Callable[[str], T]) -> Callable[[str], T]:
        """`work(text)` kept by text from one index build to the next (what depends on the text
        alone: the compounds it hyphenates, its teaser). Call once per build and step."""
        kept = self._texts.setdefault((step, lang), Generations())
        kept.next()
        return lambda text: kept.get(text, lambda: work(text))

    def bind(self, lang: str, taxonomy: object, table: SynonymTable, splits: dict[str, tuple[str, ...]]) -> Vary:
        kept = self._variants.setdefault(lang, Generations())
        basis = self._basis.get(lang)
        kept.next(keep=basis is not None and basis[0] is taxonomy and basis[1] == splits)
        self._basis[lang] = (taxonomy, dict(splits))
        return lambda text, extra="": kept.get((text, extra), lambda: variants(text, table, splits, extra))


def compound_splits(
    texts: Iterable[str], of_text: Callable[[str], Sequence[tuple[str, tuple[str, ...]]]] | None = None
) -> dict[str, tuple[str, ...]]:
    """Closed forms of the hyphenated compounds in `texts`: {"overindebtedness": ("over", "indebtedness")}.

    `of_text` is `text_splits`, or a memo of it (VariantsMemo.per_text)."""
    of_text = of_text or text_splits
    splits: dict[str, tuple[str, ...]] = {}
    for text in texts:
        for closed, parts in of_text(text):
            splits.setdefault(closed, parts)
    return splits


def text_splits(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The hyphenated compounds of one text, each as (closed form, parts), in order."""
    found = []
    for match in _COMPOUND.findall(text) if _HYPHENS.search(text) else ():
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
    of them, so the index writes each once (spmlib/searchindex.py).
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
    parts += [taxonomy.dimension(n).name[lang] for n in resource.all_dimensions(taxonomy) if n not in implied]
    parts += [taxonomy.topic_name(topic, lang) for topic in resource.topics]
    parts += [country_name(code, lang) for code in resource.countries]
    return [p for p in parts if p]
