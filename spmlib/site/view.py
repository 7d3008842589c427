"""The page-language view of the catalogue that every template of overrides/spm receives as `v`.

Which pages exist and what each one is given is declared in `spmlib.site.pagekinds`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from spmlib.model.catalogue import Catalogue, Link, Resource
from spmlib.model.linkkinds import KINDS, PLACE, address_key, host_name
from spmlib.model.names import country_name, language_name, list_of, plural_category
from spmlib.model.options import SiteLinks
from spmlib.model.words import natural_key
from spmlib.site.cards import Coverage, coverage
from spmlib.site.explorer import Facets, facet_values, only_fragment
from spmlib.site.metadata import Citation, citation
from spmlib.site.render import summary_teaser

# A list longer than this is shown as compact rows (title, type, year) instead of cards: at
# 10,000 entries a standard's page would otherwise be ~700 KB of cards, heavy on a phone and on
# the host's size limit. The explorer, linked above such a list, shows them as cards to filter.
COMPACT_AFTER = 60


@dataclass(frozen=True)
class Shown:
    """A catalogue text as shown to a reader: `lang` is set when it is not the page's language."""

    text: str
    lang: str
    fallback: bool


@dataclass(frozen=True)
class Action:
    """One way to the resource on its page: the links of one address, merged (eight links to
    one page are one action that lists the languages they claim), of one kind
    (spmlib/model/linkkinds.py). overrides/spm/resource.html words it by its kind."""

    kind: str  # document, page or place
    links: tuple[Link, ...]  # in the catalogue's order
    name: Shown  # a document's or page's name; for a place, the title to look for there
    host: str  # the site a place is on, as a reader types it

    @property
    def first(self) -> Link:
        return self.links[0]

    @property
    def languages(self) -> list[str]:
        """The languages the catalogue says this address leads to, each once: the links' own, or
        the versions a page or place offers (`offers`)."""
        return list(dict.fromkeys(lang for link in self.links for lang in link.versions))


class View:
    """The page-language view of the catalogue that every template receives as `v`."""

    def __init__(
        self,
        catalogue: Catalogue,
        lang: str,
        link: Callable[[str], str | None],
        docs_dir: Path | None = None,
        links: SiteLinks | None = None,
        address: str | None = None,
        steps: ViewSteps | None = None,
    ):
        self.catalogue = catalogue
        self.propose_url = links.propose if links else None
        self.repository_url = links.repository if links else None
        self.keeper = links.keeper if links else None  # who keeps the library (extra.library.keeper)
        self.keeper_url = links.keeper_url if links else None
        self.tax = catalogue.taxonomy
        self.lang = lang
        self._link = link
        self._docs_dir = docs_dir  # where local documents are, for their sizes
        self.address = address  # the page's public address; None in offline bundles, which have none
        self.steps = steps or ViewSteps()

    def t(self, key: str, **values: object) -> str:
        return self.tax.label(key, self.lang, **values)

    def around(self, key: str, name: str) -> tuple[str, str]:
        """The text of a label before and after its `{name}` placeholder, for a template that puts
        an element there (which a script fills in), each language keeping its own word order."""
        mark = "\x00"  # refused in labels (spmlib.model.textcheck), so only the placeholder is split
        before, _, after = self.t(key, **{name: mark}).partition(mark)
        return before, after

    def plural(self, key: str, n: int) -> str:
        return self.tax.plural(key, self.lang, n)

    def link(self, key: str) -> str | None:
        """Relative URL of page `key` from the current page, or None if it is not in this build."""
        return self._link(key)

    def text(self, resource: Resource, field_name: str) -> Shown | None:
        text, lang = resource.pick(field_name, self.lang, self.tax.fallback_order)
        if text is None:
            return None
        return Shown(text, lang, lang != self.lang)

    def teaser(self, resource: Resource) -> Shown | None:
        """A line or two of the summary as plain text, for cards and lists."""
        shown = self.text(resource, "summary")
        if shown is None:
            return None
        return Shown(summary_teaser(shown.text), shown.lang, shown.fallback)

    def link_name(self, resource: Resource, link: Link) -> Shown:
        """What a download is called: its own label, else the title in the document's own language,
        else the title the page shows. `lang` is the language the name is written in."""
        if link.label:
            return Shown(link.label, link.lang, link.lang != self.lang)
        if link.lang in resource.title:
            return Shown(resource.title[link.lang], link.lang, link.lang != self.lang)
        return self.text(resource, "title")

    def file_size(self, link: Link) -> str | None:
        """The size of a local document, as the page's language writes it ("1.2 MB", "1,2 Mo")."""
        if not link.is_local or self._docs_dir is None:
            return None
        try:
            size = (self._docs_dir / link.url).stat().st_size
        except OSError:
            return None
        return self.byte_size(size)

    def byte_size(self, size: int) -> str:
        """A number of bytes as the page's language writes it: "850 KB", "12.3 MB", "12,3 Mo"."""
        if size < 1_000_000:
            return self.t("size_kb", n=format_decimal(max(1, round(size / 1000)), locale=self.lang))
        return self.t("size_mb", n=format_decimal(round(size / 1_000_000, 1), format="#,##0.0", locale=self.lang))

    def date(self, iso: str) -> str:
        """A YYYY-MM-DD date as the page's language writes it in full ("3 décembre 2026")."""
        return format_date(dt.date.fromisoformat(iso), format="long", locale=self.lang)

    def coverage(self, resource: Resource) -> Coverage | None:
        """What part of the Universal Standards a card says it covers, short and in full
        (spmlib.site.cards): "4A · 4C", "D1–D6", "All dimensions"."""
        return coverage(resource, self.tax, self.lang)

    def language_names(self, codes: list[str]) -> str:
        """A card's languages in words ("English, French"), as explorer/render.js writes them too."""
        return ", ".join(self.language(code) for code in codes)

    def split_general(self, resources: list[Resource]) -> tuple[list[Resource], list[Resource]]:
        """A list's resources about its own subject, and those about the Universal Standards as a
        whole (Resource.is_general), which a dimension's or standard's page lists apart, shorter."""
        general = self.catalogue.general
        return [r for r in resources if r.id not in general], [r for r in resources if r.id in general]

    def related(self, resource: Resource, count: int = 5) -> list[Resource]:
        """Resources on the same standards (first) or topics, the closest first, then the newest."""
        return self.catalogue.related(resource, count)

    def language(self, code: str, in_sentence: bool = False) -> str:
        return language_name(code, self.lang, in_sentence)

    def own_first(self, codes: list[str]) -> list[str]:
        """Language codes with the page's language first, the others in their order: a reader
        sees first whether a version exists in their language (cards, a resource's languages)."""
        return sorted(codes, key=lambda code: code != self.lang)

    def own_language_count(self) -> int:
        """How many resources have a document in the page's language: the explorer's count for
        `?language=<lang>` (its language facet is the documents' languages too)."""
        return sum(1 for r in self.catalogue.resources if self.lang in r.document_languages())

    def site_languages(self) -> str:
        """The library's languages named in a sentence, the reader's first ("English, French, Spanish, and Portuguese")."""
        codes = [self.lang, *(code for code in self.tax.languages if code != self.lang)]
        return list_of([self.language(code, in_sentence=True) for code in codes], self.lang)

    def country(self, code: str) -> str:
        return country_name(code, self.lang)

    def format(self, code: str) -> str:
        return self.tax.ui["formats"][code][self.lang]

    def type_name(self, code: str) -> str:
        return self.tax.type(code).name[self.lang]

    def topic(self, slug: str) -> str:
        return self.tax.topic_name(slug, self.lang)

    def standard(self, code: str):
        return self.tax.standards[code]

    def dimension(self, number: int):
        return self.tax.dimension(number)

    def actions(self, resource: Resource) -> list[Action]:
        """The resource page's actions: links that share an address merged into one, documents
        first, then pages, then places to look; within a kind, the page's language first."""
        merged: dict[str, list[Link]] = {}
        for link in resource.links:
            merged.setdefault(address_key(link.url), []).append(link)
        actions = [self._action(resource, tuple(links)) for links in merged.values()]
        return sorted(actions, key=lambda a: (KINDS.index(a.kind), self.lang not in a.languages, self.language(a.first.lang)))

    def _action(self, resource: Resource, links: tuple[Link, ...]) -> Action:
        kind = min((link.kind for link in links), key=KINDS.index)  # a page that one link says presents it does
        langs = [lang for link in links for lang in link.versions]
        lang = self.lang if self.lang in langs else langs[0]
        labels = {link.label for link in links}
        own = next(link for link in links if lang in link.versions)
        if kind == PLACE or len(labels) > 1:
            # the title, in the version's language: a place is looked up by it; several labels name one address
            own = Link(lang, own.url, own.format, None, kind)
        return Action(kind, links, self.link_name(resource, own), host_name(own.url))

    def parts(self, key: str, placeholder: str) -> tuple[str, str]:
        """A label's text before and after `{placeholder}`, for templates that put markup there
        (a title with its own `lang`) while Jinja escapes the rest."""
        text = self.tax.ui[key][self.lang]
        before, _, after = text.partition("{" + placeholder + "}")
        return before, after

    def href(self, link) -> str:
        """Where a download link points: the address itself, or the local file relative to this page."""
        if not link.is_local:
            return link.url
        return self._link("file:" + link.url) or link.url

    def citation(self, resource: Resource) -> Citation:
        """The "Cite" line of a resource (organisation, year, title, address) for this page's reader."""
        return citation(resource, self.lang, self.tax, self.address)

    def count_html(self, n: int) -> Markup:
        """'{n} resources' with the number in an element tagged `data-count`, for scripts and tests."""
        forms = self.tax.ui["resources_count"][self.lang]
        template = forms.get(plural_category(n, self.lang), forms["other"])
        return Markup(escape(template)).format(n=Markup('<span data-count="{0}">{0}</span>').format(n))

    def group_by_type(self, resources: list[Resource]) -> list[tuple[str, list[Resource]]]:
        """Resources grouped by type, in taxonomy order, each group sorted by title."""
        groups = []
        for code in self.tax.type_codes:
            members = [r for r in resources if r.type == code]
            if members:
                groups.append((code, self.sorted_by_title(members)))
        return groups

    def is_long(self, resources: list[Resource]) -> bool:
        """Whether a page's list is long enough to be shown as compact rows (see COMPACT_AFTER)."""
        return len(resources) > COMPACT_AFTER

    def explore_href(self, facet: str, code: str) -> str | None:
        """The explorer, filtered on one facet value (explorer/url.js reads its filters from the query)."""
        base = self.link("all")
        # the fragment names the value's own page, which the explorer shows without JavaScript
        fragment = only_fragment(facet, code)
        return f"{base}?{urlencode({facet: code})}{'#' + fragment if fragment else ''}" if base else None

    def compact_row(self, resource: Resource, make: Callable[[View, Resource], Markup]) -> Markup:
        """`make(self, resource)`: the compact row of _macros.html, a line of a long list."""
        return self.steps.row(self, resource, make)

    def sorted_by_title(self, resources: list[Resource]) -> list[Resource]:
        """By title as a reader expects: accents ignored, "Issue 2" before "Issue 10"."""
        return sorted(resources, key=lambda r: self.steps.title_key(self, r))


def compact_row(view: View, resource: Resource, make: Callable[[View, Resource], Markup]) -> Markup:
    """A compact row of a long list, as `make` (the template's macro) writes it."""
    return make(view, resource)


def title_key_of(view: View, resource: Resource) -> tuple:
    """How a resource sorts by the title the view shows."""
    return (natural_key(view.text(resource, "title").text), resource.id)


@dataclass(frozen=True)
class ViewSteps:
    """What the View works out per resource: these functions, or cached versions of them that
    `make serve` passes (spmlib.serve.cached). Either way the same pages."""

    row: Callable[[View, Resource, Callable[[View, Resource], Markup]], Markup] = compact_row
    title_key: Callable[[View, Resource], tuple] = title_key_of
    facets: Facets = facet_values  # for the explorer page's options
