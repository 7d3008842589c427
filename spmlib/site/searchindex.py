"""The search index one language ships: small enough for a phone at 10,000 entries.

Material's index is a list of documents, each a JSON object with its location, title, HTML text
and (here) the forgiving fields of spmlib/site/searchtext.py. At 2,000 entries that was about 250 KB
gzip per language, nearly all of it resource pages: each one's whole summary, and the names of
its type, standards, dimensions, topics and countries spelled out again in every entry's hidden
`text_alt`. This module writes the same documents in a smaller shape:

- a resource is one document whose text is its summary's opening (`TEASER_CHARS`), which is all
  a result shows; the rest of a long summary is searched through its first REST_WORDS new
  words in the hidden `text_alt`;
- what a resource page shows besides its summary (type, organisation, year, standards,
  dimensions, topics, countries) is searched through shared *keys*: each key's words (with
  their compound and synonym variants) are written once per language, and a resource lists the
  numbers of its keys;
- resource documents are stored by column (`config.spm_docs`: all locations, then all titles,
  then all texts...), which gzip compresses far better than interleaved objects.

Material's page script passes `config` and `docs` to its worker unchanged (tests/test_upstream.py);
overrides/assets/javascripts/workers/search-fold.js turns `config.spm_docs` back into Material's
documents before Material's worker reads them, exactly as `material_docs` does here. Other pages
(home, about, standards, lists) stay ordinary documents in `docs`.
"""

from __future__ import annotations

import gzip
import html
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spmlib.model.words import SynonymTable, plain, stop_words
from spmlib.model.words import words as folded_words
from spmlib.site import render
from spmlib.site.searchtext import (
    EXTRA_FIELDS,
    Vary,
    compound_splits,
    forgiving_entries,
    resource_keys,
    resource_of,
    text_splits,
    variants,
)

if TYPE_CHECKING:
    from spmlib.model.catalogue import Catalogue, Resource
    from spmlib.model.taxonomy import Taxonomy

TEASER_CHARS = 150  # about what a phone shows of a result (three lines); a desktop shows two
REST_WORDS = 8  # words of the rest of a summary searched besides the opening (rest_of_summary)
COLUMNS = ("location", "title", "text", "title_alt", "text_alt")
KEY = "spm_docs"
# taxonomy/ui.yaml keys of the labels the search worker gives its fallback answers
FALLBACK_LABELS = {"some": "search_some_words", "near": "search_near_words", "best": "search_best_of"}


def rest_of_summary(
    shown: str, markup: str, limit: int = REST_WORDS, stops: frozenset[str] = frozenset(), spread: Mapping[str, int] | None = None
) -> str:
    """`limit` distinct words of a summary that its shown opening lacks, as text, in their order:
    the rarest by `spread` (how many resources' summaries have each word; the first ones when
    equal or without it), leaving out the page language's stop words (`stops`, folded), which
    queries never keep. A word few resources have is one a reader looks a resource up by; one
    most have finds it among hundreds anyway.

    Searched, not shown: a long summary's second sentence still finds its resource ("Client
    Protection Principles" of the SPI4, "cobrança com dignidade" of Swadhaar's policy). What
    the index may hold at 10,000 entries is measured by make bench-search on a catalogue made
    from the shipped summaries: with the 82 entries of 2026-12-03, a 200-character opening and
    18 words (stop words among them) took it to 705-719 KB gzip per language; 150 characters and
    8 words without stop words, to under the 500 KB goal (README, "Search").
    """
    have = set(folded_words(plain(shown)))
    rest = [word for word in dict.fromkeys(folded_words(plain(markup))) if word not in have and word not in stops]
    if spread is not None and len(rest) > limit:
        kept = set(sorted(rest, key=lambda word: spread.get(word, 0))[:limit])  # a stable sort: the first among equals
        rest = [word for word in rest if word in kept]
    return " ".join(rest[:limit])


def teaser(markup: str, limit: int = TEASER_CHARS) -> str:
    """The opening of a resource's summary as Material shows a result's text: `<p>` and escaped.

    Cut at a word with an ellipsis, as cards are (spmlib.site.render.teaser). Material shows two
    lines of it under the title, so a longer text would be downloaded for nothing.
    """
    text = render.teaser(" ".join(plain(markup).split()), limit)
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""


@dataclass(frozen=True)
class ResourceDoc:
    """What one resource contributes to the index, before it is written by columns."""

    location: str
    title: str
    text: str
    title_alt: str
    text_alt: str
    keys: tuple[str, ...]  # texts of the shared keys: "Tool", "4C Marketing and pricing"...


def key_words(texts: Iterable[str], vary: Vary) -> dict[str, str]:
    """Each key's words to search by: its folded words, compounds joined and split, synonyms."""
    return {text: vary("", text) for text in dict.fromkeys(texts)}


Splits = dict[str, tuple[str, ...]]


def plain_vary(table: SynonymTable, splits: Splits) -> Vary:
    """`variants` of the texts of one index build."""
    return lambda text, extra="": variants(text, table, splits, extra)


@dataclass(frozen=True)
class IndexSteps:
    """The per-resource and per-text steps of build_index: these functions, or cached versions
    of them that `make serve` passes (spmlib.serve.cached). Either way the same index."""

    keys: Callable[[Resource, Taxonomy, str], list[str]] = resource_keys
    splits: Callable[[str], tuple[tuple[str, tuple[str, ...]], ...]] = text_splits
    teaser: Callable[[str], str] = teaser
    vary: Callable[[SynonymTable, Splits], Vary] = plain_vary


def _dedupe(words: Iterable[str], seen: set[str]) -> str:
    kept = []
    for word in words:
        if word and word not in seen:
            seen.add(word)
            kept.append(word)
    return " ".join(kept)


def compact_index(config: dict, docs: list[dict], resources: list[ResourceDoc], expansions: dict[str, str]) -> dict:
    """The index file's content: `docs` as Material's documents, `resources` by columns under `config`."""
    numbers: dict[str, int] = {}
    for resource in resources:
        for key in resource.keys:
            if expansions.get(key):
                numbers.setdefault(key, len(numbers))
    columns: dict[str, list] = {name: [] for name in COLUMNS}
    columns["keys"] = []
    for resource in resources:
        for name in COLUMNS:
            columns[name].append(getattr(resource, name))
        columns["keys"].append(" ".join(str(numbers[k]) for k in dict.fromkeys(resource.keys) if k in numbers))
    columns["words"] = [expansions[k] for k in numbers]
    return {"config": {**config, KEY: columns}, "docs": docs}


def material_docs(index: dict) -> list[dict]:
    """The documents Material's worker searches, as search-fold.js makes them from the file.

    A resource's `text_alt` is its own variants, then its keys' words, each word once and none
    that its `title_alt` already has.
    """
    docs = list(index.get("docs", []))
    columns = index.get("config", {}).get(KEY)
    if not columns:
        return docs
    words = columns["words"]
    for i, location in enumerate(columns["location"]):
        doc = {"location": location, "title": columns["title"][i], "text": columns["text"][i]}
        seen = set(columns["title_alt"][i].split())
        extra = [words[int(n)] for n in columns["keys"][i].split()]
        text_alt = _dedupe(" ".join([columns["text_alt"][i], *extra]).split(), seen)
        if columns["title_alt"][i]:
            doc["title_alt"] = columns["title_alt"][i]
        if text_alt:
            doc["text_alt"] = text_alt
        docs.append(doc)
    return docs


def dumps(index: dict) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def without_hidden_fields(index: dict, hidden: Iterable[str]) -> dict:
    """The index without the forgiving search's fields: what they weigh is the difference."""
    hidden = set(hidden)
    docs = [{k: v for k, v in doc.items() if k not in hidden} for doc in index.get("docs", [])]
    config = dict(index.get("config", {}))
    columns = config.get(KEY)
    if columns:
        empty = {name: [""] * len(columns["location"]) for name in (*hidden, "keys") if name in columns}
        config[KEY] = {**columns, **empty, "words": []}
    return {**index, "config": config, "docs": docs}


def page_kind(location: str) -> str:
    """A search location's kind of page, for measuring: "resource", "standards", "home"..."""
    page = location.split("#", 1)[0]
    if page.startswith("resources/") and page not in ("resources/", "resources/index.html"):
        return "resource"
    return page.split("/", 1)[0].removesuffix(".html") or "home"


def measure(data: bytes, hidden: Iterable[str]) -> dict[str, int]:
    """Bytes of an index file: raw, gzip, gzip of the forgiving fields, gzip of each kind of page's documents."""
    index = json.loads(data)
    result = {"raw": len(data), "gzip": gzip_size(data)}
    result["forgiving_gzip"] = result["gzip"] - gzip_size(dumps(without_hidden_fields(index, hidden)).encode("utf-8"))
    kinds: dict[str, list[dict]] = {}
    for doc in material_docs(index):
        kinds.setdefault(page_kind(doc["location"]), []).append(doc)
    for kind, docs in sorted(kinds.items()):
        result[f"docs_{kind}"] = len(docs)
    return result


def build_index(catalogue: Catalogue, lang: str, entries: list[dict], settings: dict, steps: IndexSteps | None = None) -> dict:
    """One language's index file from Material's entries: forgiving (spmlib/site/searchtext.py) and compact.

    A resource page's first entry becomes a `ResourceDoc`; every other entry stays a document.
    """
    steps = steps or IndexSteps()
    tax = catalogue.taxonomy
    table = tax.synonyms.table(lang)
    resources = {r.id: r for r in catalogue.resources}
    chosen: dict[str, Resource] = {}
    for entry in entries:
        resource = resources.get(resource_of(entry["location"]) or "")
        if resource is not None and entry["location"] not in chosen and "#" not in entry["location"]:
            chosen[entry["location"]] = resource
    keys = {location: steps.keys(resource, tax, lang) for location, resource in chosen.items()}
    texts = [plain(e.get(name, "")) for e in entries for name in ("title", "text")]
    splits = compound_splits(texts, steps.splits)
    splits.update(compound_splits((k for ks in keys.values() for k in ks), steps.splits))
    vary = steps.vary(table, splits)
    others = forgiving_entries([e for e in entries if e["location"] not in chosen], table, splits=splits, vary=vary)
    docs = []
    # Resources whose summary is in the same language side by side: gzip compresses a run of
    # French teasers better than French and English fallbacks in turn (111 -> 88 KB in French at
    # 2,000 entries). Order in the file does not rank results: lunr scores them.
    rank = {lang: 0, **{other: i + 1 for i, other in enumerate(tax.fallback_order) if other != lang}}

    def language(location: str) -> int:
        summary_lang = chosen[location].pick("summary", lang, tax.fallback_order)[1] or lang
        return rank.get(summary_lang, len(rank))

    stops = stop_words(lang)
    spread = Counter(word for e in entries if e["location"] in chosen for word in set(folded_words(plain(e.get("text", "")))))
    for entry in sorted((e for e in entries if e["location"] in chosen), key=lambda e: language(e["location"])):
        text = steps.teaser(entry.get("text", ""))
        title_alt = vary(plain(entry.get("title", "")), "")
        seen = set(title_alt.split())
        # the rest of the summary is searched too, as its distinct words (issue 24: the explorer
        # searches whole summaries, and both boxes rank alike); only the opening is shown
        text_alt = _dedupe(
            vary(plain(text), rest_of_summary(text, entry.get("text", ""), stops=stops, spread=spread)).split(), seen
        )
        docs.append(
            ResourceDoc(entry["location"], entry.get("title", ""), text, title_alt, text_alt, tuple(keys[entry["location"]]))
        )
    expansions = key_words((k for ks in keys.values() for k in ks), vary)
    fields = {**settings.get("fields", {}), **EXTRA_FIELDS}
    # What the worker says above results that are not all the words of a query (search-fold.js):
    # pages with some of them ("some"), or with words one letter away ("near")
    labels = {kind: tax.label(key, lang) for kind, key in FALLBACK_LABELS.items() if key in tax.ui}
    config = {"lang": [lang], **settings, "fields": fields, **({"spm_labels": labels} if labels else {})}
    return compact_index(config, others, docs, expansions)
