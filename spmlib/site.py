"""What pages the site has in one language, and the helpers their templates use.

Everything here is plain data about pages (keys, paths, titles); the MkDocs adapter in
`hooks/pages.py` turns the plan into files, navigation and HTML.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from .catalogue import Catalogue, Resource
from .names import country_name, language_name, plural_category
from .taxonomy import Taxonomy

HOME = "home"
ABOUT = "about"
EXPLORER_PATH = "resources/index.md"
EXPLORER_DATA = "resources/explorer-data.js"  # next to the explorer page in every language
BUNDLE = "bundle"


@dataclass(frozen=True)
class PageSpec:
    """A generated page: `key` names it for links, `path` is its source path without language prefix."""

    key: str
    path: str
    kind: str
    title: str
    obj: Any = None
    in_nav: bool = False


def resource_path(rid: str) -> str:
    return f"resources/{rid}.md"


def plan_pages(catalogue: Catalogue, lang: str, bundle: bool = False) -> list[PageSpec]:
    """Every generated page of the site in `lang`, in navigation order; `bundle` adds "About this bundle"."""
    tax = catalogue.taxonomy
    pages = [PageSpec("dimensions", "dimensions/index.md", "dimensions", tax.label("dimensions", lang), in_nav=True)]
    dimensions, standards = catalogue.scope_dimensions, catalogue.scope_standards
    for dim in tax.dimensions:
        if dimensions is not None and dim.number not in dimensions:
            continue
        pages.append(
            PageSpec(
                f"dimension:{dim.number}",
                f"dimensions/{dim.number}/index.md",
                "dimension",
                f"{dim.number}. {dim.name[lang]}",
                dim,
                in_nav=True,
            )
        )
        for std in dim.standards:
            if standards is not None and std.code not in standards:
                continue
            pages.append(
                PageSpec(
                    f"standard:{std.code}",
                    f"standards/{std.slug}.md",
                    "standard",
                    f"{std.code}. {std.name[lang]}",
                    std,
                    in_nav=True,
                )
            )
    pages.append(PageSpec("all", EXPLORER_PATH, "all", tax.label("all_resources", lang), in_nav=True))
    pages.append(PageSpec("types", "types/index.md", "types", tax.label("types", lang), in_nav=True))
    for rtype in tax.types:
        pages.append(PageSpec(f"type:{rtype.code}", f"types/{rtype.code}.md", "type", rtype.plural[lang], rtype, in_nav=True))
    pages.append(PageSpec("topics", "topics/index.md", "topics", tax.label("topics", lang), in_nav=True))
    for topic in catalogue.topics():
        pages.append(PageSpec(f"topic:{topic}", f"topics/{topic}.md", "topic", tax.topic_name(topic, lang), topic))
    for resource in catalogue.resources:
        text, _ = resource.pick("title", lang, tax.fallback_order)
        pages.append(PageSpec(f"resource:{resource.id}", resource_path(resource.id), "resource", text or resource.id, resource))
    if bundle:
        pages.append(PageSpec(BUNDLE, "bundle.md", "bundle", tax.label("about_bundle", lang), in_nav=True))
    return pages


def nav_tree(plan: list[PageSpec], taxonomy: Taxonomy, lang: str, src: Callable[[str], str | None]) -> list:
    """The navigation in MkDocs' `nav:` form; `src(key)` gives a page's source URI or None.

    Titles are escaped here, once: Material prints navigation titles as HTML, and taxonomy text
    is untrusted. Generated pages get the same escaped title (hooks/pages.py), so never twice.
    """
    by_key = {p.key: p for p in plan}
    label = lambda key: str(escape(taxonomy.label(key, lang)))  # noqa: E731

    def entry(key: str) -> dict | None:
        uri = src(key)
        return {str(escape(by_key[key].title)): uri} if uri else None

    nav: list = []
    home = src(HOME)
    if home:
        nav.append({label("home"): home})
    dims: list = [src("dimensions")]
    for dim in taxonomy.dimensions:
        if f"dimension:{dim.number}" not in by_key:  # outside a bundle's subset
            continue
        children = [src(f"dimension:{dim.number}")] + [entry(f"standard:{s.code}") for s in dim.standards]
        dims.append({str(escape(by_key[f"dimension:{dim.number}"].title)): [c for c in children if c]})
    nav.append({label("dimensions"): [d for d in dims if d]})
    types = [src("types")] + [entry(f"type:{t.code}") for t in taxonomy.types]
    browse = [entry("all"), {label("types"): [t for t in types if t]}, entry("topics")]
    nav.append({label("browse"): [b for b in browse if b]})
    about = src(ABOUT)
    if about:
        nav.append(about)
    bundle = entry(BUNDLE) if BUNDLE in by_key else None
    if bundle:
        nav.append(bundle)
    return nav


@dataclass(frozen=True)
class Shown:
    """A catalogue text as shown to a reader: `lang` is set when it is not the page's language."""

    text: str
    lang: str
    fallback: bool


class View:
    """The page-language view of the catalogue that every template receives as `v`."""

    def __init__(self, catalogue: Catalogue, lang: str, link: Callable[[str], str | None]):
        self.catalogue = catalogue
        self.tax = catalogue.taxonomy
        self.lang = lang
        self._link = link

    def t(self, key: str, **values: object) -> str:
        return self.tax.label(key, self.lang, **values)

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

    def language(self, code: str, in_sentence: bool = False) -> str:
        return language_name(code, self.lang, in_sentence)

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

    def downloads(self, resource: Resource) -> list[tuple[str, list]]:
        """Links grouped by document language, the page's language first."""
        groups: dict[str, list] = {}
        for link in resource.links:
            groups.setdefault(link.lang, []).append(link)
        order = sorted(groups, key=lambda code: (code != self.lang, self.language(code)))
        return [(code, groups[code]) for code in order]

    def href(self, link) -> str:
        """Where a download link points: the address itself, or the local file relative to this page."""
        if not link.is_local:
            return link.url
        return self._link("file:" + link.url) or link.url

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

    def sorted_by_title(self, resources: list[Resource]) -> list[Resource]:
        return sorted(resources, key=lambda r: (self.text(r, "title").text.casefold(), r.id))


def page_fingerprints(plan: list[PageSpec], catalogue: Catalogue, salt: str) -> dict[str, str]:
    """A digest of everything each generated page shows, by page key.

    `mkdocs serve --dirty` then re-renders only the pages whose digest changed since the last
    build: after an edit of one entry, its page and the lists it is on, not the whole site.
    `salt` covers what every page shows (the navigation, templates, taxonomy, language).
    """
    everything = hashlib.sha256(repr(catalogue.resources).encode()).hexdigest()
    members = {
        "standard": lambda spec: catalogue.by_standard[spec.obj.code] + catalogue.dimension_wide[spec.obj.dimension],
        "dimension": lambda spec: catalogue.by_dimension[spec.obj.number],
        "type": lambda spec: catalogue.by_type[spec.obj.code],
        "topic": lambda spec: catalogue.by_topic[spec.obj],
        "resource": lambda spec: [spec.obj],
    }
    digests = {}
    for spec in plan:
        content = repr(members[spec.kind](spec)) if spec.kind in members else everything
        digests[spec.key] = hashlib.sha256(f"{salt}\0{spec.key}\0{spec.title}\0{content}".encode()).hexdigest()
    return digests
