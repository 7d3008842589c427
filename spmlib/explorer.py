"""Data for the catalogue explorer (the faceted "All resources" page), one file per language.

The browser must filter thousands of entries per keystroke, from file:// as well as over
http, so the data ships as a script (no fetch) in a compact positional form: each entry is a
list, facet values are indexes into per-facet code lists, and the keyword text is every
language version of the entry reduced to its distinct accent-free lower-case words, plus the
joined form of its hyphenated compounds and the synonyms of the page's language (the same
forgiving as the header search, see searchtext.py). Only the title shown on the card is kept
as written, in the page's language or its fallback.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from .catalogue import Catalogue, Resource
from .names import country_name, language_name
from .render import summary_teaser
from .searchtext import SynonymTable, compounds
from .searchtext import fold as fold
from .searchtext import words as folded_words

# Order of the facet lists inside an entry, after [id, title, title language].
FACETS = ("type", "dimension", "standard", "language", "topic", "country")
URL_KEYS = ("q", *FACETS, "from", "to", "sort")
PAGE_SIZE = 50


def words(*texts: str, synonyms: SynonymTable | None = None) -> list[str]:
    """Distinct folded words of the texts, in first-seen order (order helps gzip).

    explorer.js folds the reader's query the same way (searchtext.fold), so "Sobreendeudamiento",
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


def facet_options(catalogue: Catalogue, lang: str) -> dict[str, list[Option]]:
    """Each facet's options as the page shows them: label in the page's language, total count."""
    tax = catalogue.taxonomy
    resources = catalogue.resources
    # how many resources have each value: one pass, not one per option
    counts = {facet: Counter(code for r in resources for code in set(_facet_values(r, facet, catalogue))) for facet in FACETS}

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
    }
    return options


def explorer_context(view, data_src: str | None, script_src: str | None) -> dict:
    """What templates/spm/explorer.html needs, besides the page title."""
    catalogue, lang = view.catalogue, view.lang
    tax = catalogue.taxonomy
    years = sorted(r.year for r in catalogue.resources if r.year) or [dt.date.today().year]
    legends = {
        "type": "type",
        "dimension": "dimensions",
        "standard": "standards",
        "language": "document_language",
        "topic": "topics",
        "country": "countries",
    }
    return {
        "v": view,
        "intro": tax.label("all_resources_intro", lang),
        "resources": catalogue.newest(),
        "options": facet_options(catalogue, lang),
        "facets": [(facet, tax.label(legends[facet], lang)) for facet in FACETS],
        "years": (years[0], years[-1]),
        "count_forms": tax.ui["resources_count"][lang],
        "show_forms": tax.ui["show_results"][lang],
        "page_size": PAGE_SIZE,
        "data_src": data_src,
        "script_src": script_src,
    }


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
    raise ValueError(facet)


def keyword_text(resource: Resource, catalogue: Catalogue, lang: str) -> str:
    """Everything a keyword can match, in every language the catalogue has it in."""
    tax = catalogue.taxonomy
    texts = [*resource.title.values(), *resource.summary.values(), resource.organization or ""]
    for topic in resource.topics:
        texts.append(topic.replace("-", " "))
        texts.extend(tax.topics.get(topic, {}).values())
    texts.extend(resource.standards)
    texts.extend(country_name(code, lang) for code in resource.countries)
    texts.extend(link.label for link in resource.links if link.label)
    return " ".join(words(*texts, synonyms=tax.synonyms.table(lang)))


def explorer_data(catalogue: Catalogue, lang: str, href: str) -> dict:
    """The explorer's data for readers of `lang`; `href` is the resource link with "{id}" in it."""
    tax = catalogue.taxonomy
    options = facet_options(catalogue, lang)
    index = {facet: {o.code: i for i, o in enumerate(options[facet])} for facet in FACETS}
    entries = []
    for resource in catalogue.newest():  # shipped newest first: the default order costs nothing
        title, title_lang = resource.pick("title", lang, tax.fallback_order)
        summary, summary_lang = resource.pick("summary", lang, tax.fallback_order)
        entries.append(
            [
                resource.id,
                title,
                "" if title_lang == lang else title_lang,
                *([index[f][code] for code in _facet_values(resource, f, catalogue)] for f in FACETS),
                resource.year or 0,
                keyword_text(resource, catalogue, lang),
                summary_teaser(summary) if summary else "",
                "" if summary_lang in (lang, None) else summary_lang,
            ]
        )
    return {
        "lang": lang,
        "href": href,
        "facets": {f: [[o.code, o.label] for o in options[f]] for f in FACETS},
        "dimensionLabel": tax.label("dimension_n", lang, n="{n}"),
        "allDimensions": tax.label("all_dimensions", lang),
        "entries": entries,
    }


def explorer_script(data: dict) -> str:
    """The data as a classic script, which file:// pages may load where fetch() is refused."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.spmExplorerData={payload};\n"
