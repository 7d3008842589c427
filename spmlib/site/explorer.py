"""Data for the catalogue explorer (the faceted "All resources" page), split by when it is needed.

The browser must filter thousands of entries per keystroke, from file:// as well as over
http, so the data ships as scripts (no fetch) that the explorer injects as <script> tags.
A reader on a phone should not wait for the text of 10,000 entries before the first results,
so the data comes in parts:

- at start, `explorer-data.js`: the facet index only, one column per facet (each entry's
  values as one character per option index, see `encode_values`) and the years. Entries are
  numbered by their position, newest first; filtering and counts need nothing else. The
  first page's cards are already in the page's HTML (the no-JavaScript list).
- per chunk of CHUNK_SIZE entries, when a result in it is to be shown: `explorer-data/cards-N.js`,
  the id, title, summary line and coverage chip of each card (`_card`);
- on first use of the keyword box: `explorer-data/words-N.js`, the keyword text of WORDS_CHUNK
  entries per file, and `explorer-data/keys-0.js`, the words of the keys they share and the
  language's stop words. The keyword box filters and ranks as the header search does, with
  the same overrides/assets/javascripts/rank.js (issue 24), so an entry's text holds its
  folded words in rank.js's fields (see `Keywords` and `keyword_texts`): the title shown,
  its variants, its id, its keys (by number), and every other word of every language version
  (with compounds joined and the page language's synonyms, the forgiving of searchtext.py);
- on first sort by title: `explorer-data/order-0.js`, each entry's rank by
  title (natural order, as the listing pages sort, spmlib.model.words.natural_key).

Every part calls `spmExplorerChunk(kind, number, payload)`, defined by explorer/state.js.
Without JavaScript the explorer is a list split into pages of LIST_PAGE_SIZE entries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain

from spmlib.model.catalogue import Catalogue, Resource
from spmlib.model.fields import written_search_texts
from spmlib.model.linkkinds import KINDS
from spmlib.model.names import country_name, language_name, region_name
from spmlib.model.regions import REGIONS, regions_of
from spmlib.model.taxonomy import Taxonomy
from spmlib.model.words import SynonymTable, compounds, listed_stop_words, natural_key
from spmlib.model.words import fold as fold
from spmlib.model.words import words as folded_words
from spmlib.site.cards import coverage
from spmlib.site.render import plain_text, summary_teaser, teaser
from spmlib.site.searchindex import TEASER_CHARS
from spmlib.site.searchtext import compound_splits, resource_keys, variants

# Order of the facet columns in the data (explorer/state.js reads it from the data, render.js the first four by position).
FACETS = ("type", "dimension", "standard", "language", "topic", "country", "region", "link", "date", "check")
# Order of the facets in the form: a region beside the countries it groups, what a link opens and undated last.
SHOWN_FACETS = ("type", "dimension", "standard", "language", "topic", "region", "country", "link", "date", "check")
UNDATED = "undated"  # the one option of the "date" facet: entries without a publication year
BROKEN = "broken"  # the one option of the "check" facet: an address the last `make links` found gone (with_link_check)
URL_KEYS = ("q", *FACETS, "from", "to", "sort")
PAGE_SIZE = 50  # results shown at once, then "Show more"
# entries per page of the no-JavaScript list (resources/, resources/page/2/, ...): the same as the
# explorer shows at once, so that with JavaScript its first list is the page's own, left as it came
# (no second layout of the list on a phone at load), and the page stays light
LIST_PAGE_SIZE = PAGE_SIZE
CHUNK_SIZE = 100  # cards per on-demand chunk
WORDS_CHUNK = 1000  # entries per keyword-text file (all are loaded at the first keyword)
DATA_DIR = "explorer-data"  # on-demand parts, next to explorer-data.js


def words(*texts: str, synonyms: SynonymTable | None = None) -> list[str]:
    """Distinct folded words of the texts, in first-seen order (order helps gzip).

    the explorer folds the reader's query the same way (fold.js, tested against spmlib.model.words.fold), so "Sobreendeudamiento",
    "SOBREENDEUDAMIENTO" and "sobreendeudamiento" all match. Hyphenated compounds are also kept
    joined ("overindebtedness" finds "over-indebtedness"), and with `synonyms` each text also
    brings the other members of the synonym groups it contains.
    """
    seen: dict[str, None] = {}
    for text in texts:
        found = folded_words(text)
        joined = compounds(text)
        extra = synonyms.expand(found + joined) if synonyms is not None else []
        for word in (*found, *joined, *extra):
            if len(word) > 1 or word.isdigit():
                seen.setdefault(word, None)
    return list(seen)


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    count: int


def facet_options(catalogue: Catalogue, lang: str, table: list[FacetValues] | None = None) -> dict[str, list[Option]]:
    """Each facet's options as the page shows them: label in the page's language, total count.
    `table` is each resource's `facet_values`, in any order, if already made."""
    tax = catalogue.taxonomy
    # how many resources have each value: one pass, not one per option
    table = [facet_values(r, catalogue) for r in catalogue.resources] if table is None else table
    counts = {facet: Counter(chain.from_iterable(values[k][1] for values in table)) for k, facet in enumerate(FACETS)}

    def count(facet: str, code: str) -> int:
        return counts[facet][code]

    present = {facet: set(counts[facet]) for facet in FACETS}
    options = {
        "type": [Option(t.code, t.name[lang], count("type", t.code)) for t in tax.types if t.code in present["type"]],
        "dimension": [
            Option(str(d.number), f"{d.number}. {d.name[lang]}", count("dimension", str(d.number)))
            for d in tax.dimensions
            if str(d.number) in present["dimension"]
        ],
        "standard": [
            Option(s.code, f"{s.code}. {s.name[lang]}", count("standard", s.code))
            for d in tax.dimensions
            for s in d.standards
            if s.code in present["standard"]
        ],
        "language": sorted(
            (Option(c, language_name(c, lang), count("language", c)) for c in present["language"]),
            key=lambda o: (o.code != lang, fold(o.label)),
        ),
        "topic": sorted(
            (Option(t, tax.topic_name(t, lang), count("topic", t)) for t in present["topic"]), key=lambda o: fold(o.label)
        ),
        "country": sorted(
            (Option(c, country_name(c, lang), count("country", c)) for c in present["country"]), key=lambda o: fold(o.label)
        ),
        # the regions and the link kinds in their own order (regions.REGIONS, the best link first)
        "region": [Option(c, region_name(c, lang), count("region", c)) for c in REGIONS if c in present["region"]],
        "link": [Option(k, tax.label(f"link_facet_{k}", lang), count("link", k)) for k in KINDS if k in present["link"]],
        "date": [Option(UNDATED, tax.label("date_facet_undated", lang), count("date", UNDATED))] if present["date"] else [],
        "check": [Option(BROKEN, tax.label("check_facet_broken", lang), count("check", BROKEN))] if present["check"] else [],
    }
    return options


def explorer_context(view, data_src: str | None, script_src: str | None, broken: frozenset[str] = frozenset()) -> dict:
    """What templates/spm/explorer.html needs, besides the page title; `broken` as for with_link_check."""
    catalogue, lang = view.catalogue, view.lang
    facets = with_link_check(view.steps.facets, broken)
    tax = catalogue.taxonomy
    years = sorted(r.year for r in catalogue.resources if r.year) or [dt.date.today().year]
    options = facet_options(catalogue, lang, [facets(r, catalogue) for r in catalogue.resources])
    legends = {
        "type": "type",
        "dimension": "dimensions",
        "standard": "standards",
        "language": "document_language",
        "topic": "topics",
        "country": "countries",
        "region": "regions",
        "link": "link_facet",
        "date": "date_facet",
        "check": "check_facet",
    }
    return {
        "v": view,
        "intro": tax.label("all_resources_intro", lang),
        "total": len(catalogue.resources),
        "resources": page_entries(catalogue, 1),
        "pages": list_page_context(view, 1),
        "options": options,
        "facets": [(facet, tax.label(legends[facet], lang)) for facet in SHOWN_FACETS],
        "years": (years[0], years[-1]),
        "nojs_notices": nojs_notices(view, options),
        "chip_labels": {name: tax.ui[key][lang] for name, key in CHIP_LABELS.items()},
        "count_forms": tax.ui["resources_count"][lang],
        "show_forms": tax.ui["show_results"][lang],
        "page_size": PAGE_SIZE,
        "data_src": data_src,
        "script_src": script_src,
    }


# The wording of the chips of the filters on (explorer/render.js), by the name the script reads
# them by: the label with its {placeholder}s, which the script fills in.
CHIP_LABELS = {
    "remove": "remove_filter",
    "keywords": "chip_keywords",
    "years": "chip_years",
    "from": "chip_from",
    "to": "chip_to",
    "clear": "chip_clear_all",
}
# The facets whose values have a page of their own: its page key's prefix (spmlib.site.pagekinds).
FACET_PAGES = {"type": "type", "dimension": "dimension", "standard": "standard", "topic": "topic"}


@dataclass(frozen=True)
class NoJsNotice:
    """What a filtered explorer address shows without JavaScript: the page of its filter.

    `id` is the fragment the site's own filtered addresses end with (`only_fragment`)."""

    id: str
    title: str
    href: str


def only_fragment(facet: str, code: str) -> str | None:
    """The fragment of an explorer address filtered on `facet` = `code` that names the static
    page of that value, for readers without JavaScript (None: the value has no page)."""
    return f"only-{facet}-{code}" if facet in FACET_PAGES else None


def nojs_notices(view, options: dict[str, list[Option]]) -> list[NoJsNotice]:
    """One notice per value with a page of its own in this build, titled as that page is."""
    plural = {t.code: t.plural[view.lang] for t in view.tax.types}
    notices = []
    for facet, prefix in FACET_PAGES.items():
        for option in options.get(facet, []):
            href = view.link(f"{prefix}:{option.code}")
            fragment = only_fragment(facet, option.code)
            if href and fragment:
                title = plural.get(option.code, option.label) if facet == "type" else option.label
                notices.append(NoJsNotice(fragment, title, href))
    return notices


def list_page_key(number: int) -> str:
    """The page key (spmlib.site.pagekinds) of page `number` of the no-JavaScript list; page 1 is the explorer."""
    return "all" if number == 1 else f"all:{number}"


def list_page_context(view, number: int) -> dict:
    """The numbered links between the pages of the no-JavaScript list, as _macros.html's page_nav shows them."""
    last = list_pages(len(view.catalogue.resources))
    size = LIST_PAGE_SIZE
    first_entry = (number - 1) * size + 1
    return {
        "number": number,
        "last": last,
        "previous": view.link(list_page_key(number - 1)) if number > 1 else None,
        "next": view.link(list_page_key(number + 1)) if number < last else None,
        "links": [
            (link.number, view.link(list_page_key(link.number)) if link.number else None, link.current)
            for link in page_links(number, last)
        ],
        "first_entry": first_entry,
        "last_entry": min(len(view.catalogue.resources), number * size),
    }


FacetValues = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
Facets = Callable[["Resource", "Catalogue"], FacetValues]  # facet_values, or a cached version of it


def facet_values(resource: Resource, catalogue: Catalogue) -> FacetValues:
    """A resource's values in every facet, in FACETS' order (the same in every language): for
    each facet, the values as the entry lists them and each of them once (for counting)."""
    listed = [_facet_values(resource, facet, catalogue) for facet in FACETS]
    return tuple((tuple(codes), tuple(dict.fromkeys(codes))) for codes in listed)


def _facet_values(resource: Resource, facet: str, catalogue: Catalogue) -> list[str]:
    if facet == "type":
        return [resource.type]
    if facet == "dimension":
        return [str(n) for n in resource.all_dimensions(catalogue.taxonomy)]
    if facet == "standard":
        return list(resource.standards)
    if facet == "language":
        return resource.document_languages()
    if facet == "topic":
        return list(resource.topics)
    if facet == "country":
        return list(resource.countries)
    if facet == "region":
        return regions_of(resource.countries)
    if facet == "link":
        return best_link_kind(resource)
    if facet == "date":
        return [] if resource.year else [UNDATED]
    if facet == "check":
        return []  # known from the link report only: with_link_check
    raise ValueError(facet)


def with_link_check(facets: Facets, broken: frozenset[str]) -> Facets:
    """`facets` with the "check" facet filled in: BROKEN for the ids in `broken`, the entries the
    last `make links` report found an address gone for (spmlib.model.coverage.LinkHealth).

    Apart from facet_values, which depends on the entry alone and is kept between builds of
    `make serve`; the report is a file of the maintainer's machine, so the facet (and its
    option) is there only when a report is and finds something, as the coverage page's count."""
    if not broken:
        return facets
    k = FACETS.index("check")

    def values(resource: Resource, catalogue: Catalogue) -> FacetValues:
        found = facets(resource, catalogue)
        return (*found[:k], ((BROKEN,), (BROKEN,)), *found[k + 1 :]) if resource.id in broken else found

    return values


def best_link_kind(resource: Resource) -> list[str]:
    """The best of what the entry's links open (a document, else a page of its own, else a place to
    look), as the one value of the "link" facet: a reader who wants documents ticks "Document",
    and "place" is then exactly the entries with only places to look, which the coverage page
    counts (spmlib.model.coverage.only_places) and links to; none for an entry without links."""
    kinds = {link.kind for link in resource.links}
    return [next(kind for kind in KINDS if kind in kinds)] if kinds else []


@dataclass(frozen=True)
class Keywords:
    """An entry's words for the keyword box, in the fields of rank.js's `doc`, folded.

    As the header search's worker makes them (workers/search-fold.js, `rankedDocs`), so that
    both boxes rank alike: the title's and the id's words without the language's stop words
    (lunr's list as listed, which the worker checks the folded word against), the keys of
    searchtext.resource_keys; `other` is what else the explorer finds an entry by, stop words
    left out too.
    """

    title: tuple[str, ...]  # the title the card shows, in order
    title_alt: tuple[str, ...]  # its joined compounds and synonyms
    name: tuple[str, ...]  # the id ("cerise-spi4": cerise, spi4)
    keys: tuple[str, ...]  # texts of its keys: type, organisation, year, standards...
    other: tuple[str, ...]  # every language version of title and summary, topics, link labels...
    opening: tuple[str, ...] = ()  # the summary's opening, words in order: what the header search's result shows


def name_words(text: str, stops: frozenset[str]) -> tuple[str, ...]:
    """The folded words of a title or an id, in order, without the stop words in `stops`."""
    return tuple(word for word in folded_words(text) if word not in stops)


def keywords(resource: Resource, catalogue: Catalogue, lang: str, title: str = "") -> Keywords:
    """Everything a keyword can find the resource by, in every language the catalogue has it in;
    `title` is the one the card shows."""
    tax = catalogue.taxonomy
    synonyms = tax.synonyms.table(lang)
    stops = frozenset(listed_stop_words(lang))
    texts = [*resource.title.values(), *resource.summary.values(), resource.organization or ""]
    for topic in resource.topics:
        texts.append(topic.replace("-", " "))
        texts.extend(tax.topics.get(topic, {}).values())
    texts.extend(resource.standards)
    texts.extend(country_name(code, lang) for code in resource.countries)
    # the regions' names in the other languages too (the page's are keys): "América Latina" on the Spanish page
    texts.extend(region_name(code, other) for code in regions_of(resource.countries) for other in tax.languages if other != lang)
    texts.extend(link.label for link in resource.links if link.label)
    texts.extend(written_search_texts(resource))  # fields declared searchable AS_WRITTEN (spmlib/model/fields.py)
    own = name_words(title, stops)
    summary = resource.pick("summary", lang, tax.fallback_order)[0] or ""
    # the opening the header search holds as text (spmlib/site/searchindex.py), for phrases
    opening = name_words(teaser(" ".join(plain_text(summary).split()), TEASER_CHARS), stops)
    return Keywords(
        title=own,
        title_alt=tuple(variants(title, synonyms, {}).split()),
        name=name_words(resource.id, stops),
        keys=tuple(resource_keys(resource, tax, lang)),
        other=tuple(word for word in words(*texts, synonyms=synonyms) if word not in stops),
        opening=opening,
    )


def keyword_texts(
    entries: list[Keywords], synonyms: SynonymTable, stops: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """Each entry's keyword text and the keys' words, by key number.

    An entry's text is "title|title variants|id|key numbers|other words", each field its words
    joined by spaces; a key's words are its folded words with their compound and synonym
    variants (as the header search's `words`, spmlib/site/searchindex.py). Many entries share
    each key, which is written once. An entry's other words leave out those of its earlier
    fields, which rank.js weighs more anyway. Stop words (`stops`) are left out of the keys as of
    the other words, as the worker leaves them out of the words it ranks: they are out of every
    query, and "audit social" is then a phrase of "outil d'audit social".
    """
    numbers: dict[str, int] = {}
    for entry in entries:
        for key in entry.keys:
            numbers.setdefault(key, len(numbers))
    splits = compound_splits(numbers)
    key_words = [[w for w in variants("", synonyms, splits, key).split() if w not in stops] for key in numbers]
    texts = []
    for entry in entries:
        listed = [numbers[key] for key in dict.fromkeys(entry.keys) if key_words[numbers[key]]]
        seen = {*entry.title, *entry.title_alt, *entry.name, *(word for n in listed for word in key_words[n])}
        # the other words: the summary's opening in order, as the header search holds it (words
        # in a row count, rank.js), then every other word once
        seen.update(entry.opening)
        other = [*entry.opening, *(w for w in entry.other if w not in seen)]
        fields = [entry.title, entry.title_alt, entry.name, [str(n) for n in listed], other]
        texts.append("|".join(" ".join(field) for field in fields))
    return texts, [" ".join(words) for words in key_words]


def encode_values(values: list[int]) -> str:
    """One entry's option indexes in one facet, one character each: "0" is option 0, and so on.

    Characters from "0" (48) up, skipping the backslash (92) that JSON would escape; far more
    compact than lists of numbers once gzipped, and explorer/state.js decodes them once at start.
    """
    return "".join(chr(48 + v if v < 44 else 49 + v) for v in values)


def decode_values(text: str) -> list[int]:
    """The inverse of encode_values (explorer/state.js does the same)."""
    return [ord(c) - 48 if ord(c) < 92 else ord(c) - 49 for c in text]


@dataclass(frozen=True)
class ExplorerParts:
    """The explorer's data for one language, in the parts the browser loads at different times."""

    index: dict  # explorer-data.js, loaded with the page
    cards: list[list[list[str]]]  # per chunk: each card's data (_card)
    words: list[list[str]]  # per chunk: "title|title variants|id|key numbers|other words" (keyword_texts)
    keys: dict  # {"keys": each key's words, "stop": the language's stop words}
    order: list[int]  # each entry's rank by title

    def files(self) -> dict[str, str]:
        """Every script, by path relative to the explorer page's folder."""
        files = {"explorer-data.js": explorer_script(self.index)}
        for n, chunk in enumerate(self.cards):
            files[f"{DATA_DIR}/cards-{n}.js"] = chunk_script("cards", n, chunk)
        for n, chunk in enumerate(self.words):
            files[f"{DATA_DIR}/words-{n}.js"] = chunk_script("words", n, chunk)
        files[f"{DATA_DIR}/keys-0.js"] = chunk_script("keys", 0, self.keys)
        files[f"{DATA_DIR}/order-0.js"] = chunk_script("order", 0, self.order)
        return files


Numbering = dict[str, dict[str, int]]  # each facet's option codes -> their index in the data
Row = tuple[tuple[str, ...], list[str], Keywords, tuple]  # encoded facet values, card, keywords, title sort key
Rows = Callable[[Resource, Catalogue, str, Numbering, FacetValues], Row]  # explorer_row, or a cached version


def explorer_parts(
    catalogue: Catalogue,
    lang: str,
    href: str,
    facets: Facets | None = None,
    row: Rows | None = None,
    broken: frozenset[str] = frozenset(),
) -> ExplorerParts:
    """The explorer's data for readers of `lang`; `href` is the resource link with "{id}" in it.

    `facets` and `row` are facet_values and explorer_row, or cached versions of them (`make serve`);
    `broken` the ids with a broken link (with_link_check).
    """
    facets, row = with_link_check(facets or facet_values, broken), row or explorer_row
    tax = catalogue.taxonomy
    resources = catalogue.newest()  # shipped newest first: the default order costs nothing
    table = [facets(r, catalogue) for r in resources]
    options = facet_options(catalogue, lang, table)
    index = {facet: {o.code: i for i, o in enumerate(options[facet])} for facet in FACETS}
    columns: list[list[str]] = [[] for _ in FACETS]
    cards, entries, sort_keys = [], [], []
    for resource, values in zip(resources, table, strict=True):
        encoded, card, entry, sort_key = row(resource, catalogue, lang, index, values)
        for column, value in zip(columns, encoded, strict=True):
            column.append(value)
        cards.append(card)
        entries.append(entry)
        sort_keys.append(sort_key)
    texts, key_words = keyword_texts(entries, tax.synonyms.table(lang), frozenset(listed_stop_words(lang)))
    years = [r.year or 0 for r in resources]
    ranked = sorted(range(len(resources)), key=lambda i: (sort_keys[i], i))
    order = [0] * len(resources)
    for rank, i in enumerate(ranked):
        order[i] = rank
    data = {
        "lang": lang,
        "href": href,
        "count": len(resources),
        "chunk": CHUNK_SIZE,
        "wordsChunk": WORDS_CHUNK,
        "dir": DATA_DIR,
        "facetNames": list(FACETS),
        "facets": {f: [[o.code, o.label] for o in options[f]] for f in FACETS},
        "values": [",".join(column) for column in columns],
        "years": years,
    }
    # stop words as lunr lists them: the keyword box drops a word listed as typed or once folded, as the worker does
    keys = {"keys": key_words, "stop": " ".join(listed_stop_words(lang))}
    return ExplorerParts(data, _chunks(cards, CHUNK_SIZE), _chunks(texts, WORDS_CHUNK), keys, order)


def explorer_row(resource: Resource, catalogue: Catalogue, lang: str, index: Numbering, values: FacetValues) -> Row:
    """One entry's part of the explorer's data: its facet values numbered by `index`, its card,
    its keywords and its title's sort key."""
    encoded = tuple(encode_values([index[facet][code] for code in values[k][0]]) for k, facet in enumerate(FACETS))
    card, sort_key = _card(resource, lang, catalogue.taxonomy)
    return encoded, card, keywords(resource, catalogue, lang, card[1]), sort_key


def _card(resource: Resource, lang: str, taxonomy: Taxonomy) -> tuple[list[str], tuple]:
    """A result card's data and its title's sort key: [id, title, title language, summary line,
    its language, coverage chip, the chip in words when they differ] (spmlib.site.cards: the
    pages' cards take theirs from there too)."""
    title, title_lang = resource.pick("title", lang, taxonomy.fallback_order)
    summary, summary_lang = resource.pick("summary", lang, taxonomy.fallback_order)
    covers = coverage(resource, taxonomy, lang)
    card = [
        resource.id,
        title,
        "" if title_lang == lang else title_lang,
        summary_teaser(summary) if summary else "",
        "" if summary_lang in (lang, None) else summary_lang,
        covers.short if covers else "",
        covers.full if covers and covers.full != covers.short else "",
    ]
    return card, natural_key(title)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _as_js(value: object) -> str:
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return payload.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def explorer_script(data: dict) -> str:
    """The index as a classic script, which file:// pages may load where fetch() is refused."""
    return f"window.spmExplorerData={_as_js(data)};\n"


def chunk_script(kind: str, number: int, payload: object) -> str:
    """An on-demand part: a script that hands its payload to the explorer (explorer/state.js)."""
    return f"spmExplorerChunk({_as_js(kind)},{number},{_as_js(payload)});\n"


# ---- the no-JavaScript list, in pages --------------------------------------------------------


def list_pages(total: int, size: int = LIST_PAGE_SIZE) -> int:
    """How many pages the no-JavaScript list of `total` entries takes (at least one)."""
    return max(1, -(-total // size))


def page_entries(catalogue: Catalogue, number: int, size: int = LIST_PAGE_SIZE) -> list[Resource]:
    """The entries of page `number` (from 1) of the no-JavaScript list, newest first as the explorer."""
    return catalogue.newest()[(number - 1) * size : number * size]


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    current: bool = False


def page_links(current: int, last: int, around: int = 2) -> list[PageLink]:
    """The numbered links of a page of the list: the first, the last, and `around` on each side of the current.

    Every page is then reachable from page 1 (by "next", or by the numbers), and the list of
    numbers stays short on a phone even at a hundred pages.
    """
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, number == current))
    return links
