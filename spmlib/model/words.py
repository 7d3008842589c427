"""Words as search and synonyms see them: folded, split at hyphens, grouped by synonyms.

This is the model's side of search: `fold` (lower case without accents, the one rule both
search boxes copy in JavaScript), the word and compound splitters, the stop words of each
language (read from Material's lunr assets, so they are the ones the header search drops),
and `taxonomy/synonyms.yaml` read and checked with file:line problems. The taxonomy loader
needs these to validate synonyms; the index builders in spmlib.site.searchtext use them to
expand texts. Nothing here knows about pages or indexes.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from spmlib.model.names import language_name
from spmlib.model.problems import Problem, kind_of, show_value
from spmlib.model.textcheck import describe, first_control, first_invisible
from spmlib.model.yamlsrc import Located

_COMBINING = re.compile("[\u0300-\u036f]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_LIGATURE = re.compile("[œæß]")
_WORD = re.compile(r"[^\W_]+")
# Words joined by hyphens (ASCII, Unicode hyphen and non-breaking hyphen), e.g. "over-indebtedness".
# Starts only at the start of a word, and never backtracks into one: linear in the text.
_COMPOUND = re.compile(r"(?<![^\W_])[^\W_]++(?:[-\u2010\u2011][^\W_]++)+")
_HYPHENS = re.compile(r"[-\u2010\u2011]")
_TAG = re.compile(r"<[^>]*>")
_NUMBER = re.compile(r"(\d+)")
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


def natural_key(text: str) -> tuple:
    """A sort key in which numbers compare as numbers and letters without case or accents, so
    that "Tool 2" comes before "Tool 10" on listing pages and in the explorer alike."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _NUMBER.split(fold(text)) if part)


def hyphenated(text: str) -> list[str]:
    """The hyphenated compounds of `text` as written: "Over-indebtedness, COVID-19" -> Over-indebtedness, COVID-19."""
    return _COMPOUND.findall(text) if _HYPHENS.search(text) else []


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
        result[str(lang)], total = _read_groups(doc, where, groups or [], total, error)
    return Synonyms(result)


def _read_groups(
    doc: Located, where: tuple, groups: list, total: int, error: Callable[..., None]
) -> tuple[tuple[tuple[str, ...], ...], int]:
    """The groups of one language (`where`: its path in the file) that keep two members or more,
    and the count of members in the file so far, `total` before them: the limit is the file's.
    A member may stand in one group of its language only."""
    lang = where[1]
    stops = stop_words(lang)
    seen: dict[tuple[str, ...], int] = {}  # every member of the language -> line of its group
    kept: list[tuple[str, ...]] = []
    for i, group in enumerate(groups):
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
        phrases = _read_members(doc, path, group, stops, seen, error)
        for key in phrases:
            seen[key] = doc.line(path) or 0
        if len(phrases) >= 2:
            kept.append(tuple(phrases.values()))
    return tuple(kept), total


def _read_members(
    doc: Located,
    path: tuple,
    group: list,
    stops: frozenset[str],
    seen: dict[tuple[str, ...], int],
    error: Callable[..., None],
) -> dict[tuple[str, ...], str]:
    """The members of the group at `path`, by their folded key, leaving out and reporting each
    one that is wrong, listed twice in the group, or already in an earlier group (`seen`)."""
    lang = path[1]
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
    return phrases


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
def listed_stop_words(lang: str) -> tuple[str, ...]:
    """lunr's stop words for `lang` as its stopWordFilter lists them (lower case, accents kept),
    read from Material's own assets; empty for a language lunr has no list for.

    The header search drops a query word that is in this list as typed or once folded ("été"
    and "ete" differ: only the first is listed); the explorer ships the list to do the same
    (spmlib/site/explorer.py)."""
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
            return tuple(word for word in found if word)
    return ()


@cache
def stop_words(lang: str) -> frozenset[str]:
    """The words the header search drops from `lang` queries and pages (lunr's stopWordFilter),
    folded as synonym members are matched."""
    return frozenset(fold(word) for word in listed_stop_words(lang))
