"""Every kind of page the library shows, each declared once: its pages, template, context and digest.

A kind says how to list its pages for one language (`plan`), which template renders them and
with what (`context`), and which resources each page shows (`members`, for the digest that lets
`mkdocs serve --dirty` skip unchanged pages). The plan of a language is every kind's pages in
order; the navigation is derived from it through each page's `parent`. `hooks/pages.py` only
turns a plan into MkDocs files and navigation, so adding a kind (a page per organisation, per
country...) means adding one `PageKind` below and one template in overrides/spm/.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

import jinja2
from markupsafe import escape

from spmlib.model.catalogue import Catalogue, Resource
from spmlib.model.coverage import LinkHealth
from spmlib.model.offlinelibrary import OfflineLibrary
from spmlib.model.taxonomy import Dimension, ResourceType, Standard
from spmlib.site.coverage import COUNT_QUERIES, LIST_LIMIT, coverage_figures, propose_href
from spmlib.site.explorer import explorer_context, list_page_context, list_page_key, list_pages, page_entries
from spmlib.site.offlinepage import offline_context
from spmlib.site.view import View

T = TypeVar("T")

HOME = "home"
ABOUT = "about"
BUNDLE = "bundle"
COVERAGE = "coverage"
OFFLINE = "offline"
EXPLORER_PATH = "resources/index.md"
EXPLORER_DATA = "resources/explorer-data.js"  # next to the explorer page in every language
# The explorer's scripts (overrides/assets/javascripts/explorer/url.js says why classic scripts):
# the one that must see the address before Material's script does, then the deferred others, in order.
EXPLORER_SCRIPT = "assets/javascripts/explorer/url.js"
EXPLORER_MODULES = tuple(
    f"assets/javascripts/{name}.js"
    for name in ("fold", "rank", "explorer/state", "explorer/filters", "explorer/render", "explorer/main")
)
EXPORT_SCRIPT = "assets/javascripts/explorer/export.js"  # "Download these results (CSV)"


@dataclass(frozen=True)
class PageSpec(Generic[T]):
    """One page of one language.

    `key` names it for links (`v.link(key)`), `path` is its source path without the language
    (None for a navigation section without a page of its own, or the stem of a hand-written page
    of docs/), `subject` is what it is about, `parent` the key of the navigation section it sits in.
    A `title` of None leaves the navigation to show the page's own heading.
    """

    key: str
    path: str | None
    kind: str
    title: str | None
    subject: T
    in_nav: bool = False
    parent: str | None = None


@dataclass(frozen=True)
class PlanInput:
    """What planning a language needs: the catalogue of this build, for bundles the bundle's
    facts, and what the last `make links` report says (spmlib.model.coverage.read_link_report)."""

    catalogue: Catalogue
    lang: str
    bundle: Mapping[str, Any] | None = None
    link_health: LinkHealth | None = None
    library: OfflineLibrary | None = None  # the zips and ZIMs published with the site, if any


@dataclass(frozen=True)
class PageKind(Generic[T]):
    """A kind of page. `template` None: nothing is rendered (a section, or a hand-written page shown as is)."""

    name: str
    plan: Callable[[PlanInput], Iterator[PageSpec[T]]]
    template: str | None = None
    context: Callable[[PageSpec[T], View], dict[str, Any]] = lambda spec, view: {"v": view}
    members: Callable[[PageSpec[T], Catalogue], list[Resource]] | None = None  # None: the whole catalogue
    hand_written: bool = False  # the page is a file of docs/; the template's output is added after it
    lead: str | None = None  # for a hand-written page: a template shown right after its first heading


def resource_path(rid: str) -> str:
    return f"resources/{rid}.md"


# ---- hand-written pages and sections ---------------------------------------------------------


def _home(site: PlanInput) -> Iterator[PageSpec[None]]:
    yield PageSpec(HOME, "index", "home", site.catalogue.taxonomy.label("home", site.lang), None, in_nav=True)


def _home_context(spec: PageSpec[None], view: View) -> dict[str, Any]:
    catalogue = view.catalogue
    return {"v": view, "featured": view.sorted_by_title(catalogue.featured), "newest": catalogue.newest(6)}


def _about(site: PlanInput) -> Iterator[PageSpec[None]]:
    yield PageSpec(ABOUT, "about", "about", None, None, in_nav=True)


def _offline(site: PlanInput) -> Iterator[PageSpec[OfflineLibrary | None]]:
    """ "Take it offline": every page kind's reader may be a trainer without internet next week."""
    yield PageSpec(
        OFFLINE, "offline/index.md", "offline", site.catalogue.taxonomy.label("offline_title", site.lang), site.library, True
    )


def _browse(site: PlanInput) -> Iterator[PageSpec[None]]:
    yield PageSpec("browse", None, "section", site.catalogue.taxonomy.label("browse", site.lang), None, in_nav=True)


# ---- the Universal Standards -----------------------------------------------------------------


def _dimensions(site: PlanInput) -> Iterator[PageSpec[None]]:
    label = site.catalogue.taxonomy.label("dimensions", site.lang)
    yield PageSpec("dimensions", "dimensions/index.md", "dimensions", label, None, in_nav=True)


def _dimension_pages(site: PlanInput) -> Iterator[PageSpec[Dimension]]:
    catalogue = site.catalogue
    for dim in catalogue.taxonomy.dimensions:
        if catalogue.scope_dimensions is None or dim.number in catalogue.scope_dimensions:
            title = f"{dim.number}. {dim.name[site.lang]}"
            yield PageSpec(
                f"dimension:{dim.number}", f"dimensions/{dim.number}/index.md", "dimension", title, dim, True, "dimensions"
            )


def _standard_pages(site: PlanInput) -> Iterator[PageSpec[Standard]]:
    catalogue = site.catalogue
    for dim in catalogue.taxonomy.dimensions:
        if catalogue.scope_dimensions is not None and dim.number not in catalogue.scope_dimensions:
            continue
        for std in dim.standards:
            if catalogue.scope_standards is None or std.code in catalogue.scope_standards:
                title = f"{std.code}. {std.name[site.lang]}"
                yield PageSpec(
                    f"standard:{std.code}", f"standards/{std.slug}.md", "standard", title, std, True, f"dimension:{dim.number}"
                )


def _standard_context(spec: PageSpec[Standard], view: View) -> dict[str, Any]:
    return {"v": view, "s": spec.subject, "resources": view.catalogue.by_standard[spec.subject.code]}


# ---- browsing --------------------------------------------------------------------------------


def _explorer(site: PlanInput) -> Iterator[PageSpec[LinkHealth | None]]:
    label = site.catalogue.taxonomy.label("all_resources", site.lang)
    # its subject: the last link report's findings, for the "check" facet (hooks/explorer.py reads it too)
    yield PageSpec("all", EXPLORER_PATH, "all", label, site.link_health, in_nav=True, parent="browse")


def _explorer_context(spec: PageSpec[LinkHealth | None], view: View) -> dict[str, Any]:
    broken = spec.subject.broken if spec.subject is not None else frozenset()
    context = explorer_context(view, view.link("file:" + EXPLORER_DATA), view.link("file:" + EXPLORER_SCRIPT), broken)
    modules = [view.link("file:" + path) for path in EXPLORER_MODULES]
    return {"title": spec.title, **context, "module_srcs": modules, "export_src": view.link("file:" + EXPORT_SCRIPT)}


def _explorer_list_pages(site: PlanInput) -> Iterator[PageSpec[int]]:
    """Pages 2, 3... of the explorer's no-JavaScript list (page 1 is the explorer), out of the navigation."""
    tax, last = site.catalogue.taxonomy, list_pages(len(site.catalogue.resources))
    for n in range(2, last + 1):
        title = tax.label("list_page_title", site.lang, title=tax.label("all_resources", site.lang), n=n, last=last)
        yield PageSpec(list_page_key(n), f"resources/page/{n}/index.md", "all-page", title, n, parent="all")


def _explorer_list_context(spec: PageSpec[int], view: View) -> dict[str, Any]:
    pages = list_page_context(view, spec.subject)
    resources = page_entries(view.catalogue, spec.subject)
    return {"v": view, "title": spec.title, "resources": resources, "pages": pages, "total": len(view.catalogue.resources)}


def _types(site: PlanInput) -> Iterator[PageSpec[None]]:
    label = site.catalogue.taxonomy.label("types", site.lang)
    yield PageSpec("types", "types/index.md", "types", label, None, in_nav=True, parent="browse")


def _types_context(spec: PageSpec[None], view: View) -> dict[str, Any]:
    by_type = view.catalogue.by_type
    entries = [(f"type:{t.code}", t.plural[view.lang], t.description[view.lang], len(by_type[t.code])) for t in view.tax.types]
    return {"v": view, "title": spec.title, "anchor": "types", "entries": entries}


def _type_pages(site: PlanInput) -> Iterator[PageSpec[ResourceType]]:
    for rtype in site.catalogue.taxonomy.types:
        yield PageSpec(
            f"type:{rtype.code}", f"types/{rtype.code}.md", "type", rtype.plural[site.lang], rtype, in_nav=True, parent="types"
        )


def _type_context(spec: PageSpec[ResourceType], view: View) -> dict[str, Any]:
    resources = view.sorted_by_title(view.catalogue.by_type[spec.subject.code])
    intro = spec.subject.description[view.lang]
    return {
        "v": view,
        "title": spec.title,
        "anchor": f"type-{spec.subject.code}",
        "intro": intro,
        "resources": resources,
        "explore": ("type", spec.subject.code),
    }


def _topics(site: PlanInput) -> Iterator[PageSpec[None]]:
    yield PageSpec(
        "topics", "topics/index.md", "topics", site.catalogue.taxonomy.label("topics", site.lang), None, True, "browse"
    )


def _topics_context(spec: PageSpec[None], view: View) -> dict[str, Any]:
    by_topic = view.catalogue.by_topic
    entries = [(f"topic:{slug}", view.topic(slug), None, len(by_topic[slug])) for slug in view.catalogue.topics()]
    entries.sort(key=lambda e: e[1].casefold())
    return {"v": view, "title": spec.title, "anchor": "topics", "entries": entries}


def _topic_pages(site: PlanInput) -> Iterator[PageSpec[str]]:
    for topic in site.catalogue.topics():
        name = site.catalogue.taxonomy.topic_name(topic, site.lang)
        yield PageSpec(f"topic:{topic}", f"topics/{topic}.md", "topic", name, topic, parent="topics")


def _topic_context(spec: PageSpec[str], view: View) -> dict[str, Any]:
    resources = view.sorted_by_title(view.catalogue.by_topic[spec.subject])
    return {
        "v": view,
        "title": spec.title,
        "anchor": f"topic-{spec.subject}",
        "intro": None,
        "resources": resources,
        "explore": ("topic", spec.subject),
    }


def _coverage(site: PlanInput) -> Iterator[PageSpec[LinkHealth | None]]:
    """Where the library is thin, for curators and contributors; not in bundles, which hold part of it."""
    if site.bundle is None:
        title = site.catalogue.taxonomy.label("coverage", site.lang)
        yield PageSpec(COVERAGE, "coverage.md", "coverage", title, site.link_health, in_nav=True, parent="browse")


def _coverage_context(spec: PageSpec[LinkHealth | None], view: View) -> dict[str, Any]:
    figures = coverage_figures(view.catalogue, spec.subject, view.steps.facets)
    return {
        "v": view,
        "title": spec.title,
        "figures": figures,
        "explorer": view.link("all"),  # each number opens it filtered on what it counts
        "count_queries": COUNT_QUERIES,
        "propose": propose_href,
        "list_limit": LIST_LIMIT,
    }


def _resource_pages(site: PlanInput) -> Iterator[PageSpec[Resource]]:
    catalogue = site.catalogue
    for resource in catalogue.resources:
        text, _ = resource.pick("title", site.lang, catalogue.taxonomy.fallback_order)
        yield PageSpec(f"resource:{resource.id}", resource_path(resource.id), "resource", text or resource.id, resource)


def _bundle(site: PlanInput) -> Iterator[PageSpec[Mapping[str, Any]]]:
    if site.bundle is not None:
        yield PageSpec(BUNDLE, "bundle.md", "bundle", site.catalogue.taxonomy.label("about_bundle", site.lang), site.bundle, True)


# In navigation order; `plan_pages` puts each page right after its parent (topic pages after the
# topic index, out of the navigation, standards after their dimension).
KINDS: tuple[PageKind, ...] = (
    PageKind("home", _home, "home.html", _home_context, hand_written=True, lead="home-lead.html"),
    PageKind("dimensions", _dimensions, "dimensions.html"),
    PageKind(
        "dimension",
        _dimension_pages,
        "dimension.html",
        lambda spec, view: {"v": view, "d": spec.subject},
        lambda spec, catalogue: catalogue.by_dimension[spec.subject.number],
    ),
    PageKind(
        "standard",
        _standard_pages,
        "standard.html",
        _standard_context,
        lambda spec, catalogue: catalogue.by_standard[spec.subject.code] + catalogue.dimension_wide[spec.subject.dimension],
    ),
    PageKind("section", _browse),
    PageKind("all", _explorer, "explorer.html", _explorer_context),
    PageKind(
        "all-page",
        _explorer_list_pages,
        "explorer-page.html",
        _explorer_list_context,
        lambda spec, catalogue: page_entries(catalogue, spec.subject),
    ),
    PageKind("types", _types, "index.html", _types_context),
    PageKind("type", _type_pages, "listing.html", _type_context, lambda spec, catalogue: catalogue.by_type[spec.subject.code]),
    PageKind("topics", _topics, "index.html", _topics_context),
    PageKind("topic", _topic_pages, "listing.html", _topic_context, lambda spec, catalogue: catalogue.by_topic[spec.subject]),
    PageKind("coverage", _coverage, "coverage.html", _coverage_context),
    PageKind("about", _about, "about.html", hand_written=True),
    PageKind("offline", _offline, "offline.html", lambda spec, view: offline_context(spec.title, spec.subject, view)),
    PageKind(
        "resource",
        _resource_pages,
        "resource.html",
        lambda spec, view: {"v": view, "r": spec.subject},
        # and its related resources, whose titles it shows (`make serve` keeps them: spmlib.serve.reload.RelatedIds)
        lambda spec, catalogue: [spec.subject, *catalogue.related(spec.subject)],
    ),
    PageKind(
        "bundle",
        _bundle,
        "bundle.html",
        lambda spec, view: {"v": view, "title": spec.title, "info": spec.subject},
    ),
)


@lru_cache(maxsize=8)
def by_name(kinds: tuple[PageKind, ...] = KINDS) -> dict[str, PageKind]:
    """The kinds by name; asked for every page, so made once per tuple of kinds (do not change it)."""
    return {kind.name: kind for kind in kinds}


def plan_pages(
    catalogue: Catalogue,
    lang: str,
    bundle: Mapping[str, Any] | None = None,
    kinds: tuple[PageKind, ...] = KINDS,
    link_health: LinkHealth | None = None,
    library: OfflineLibrary | None = None,
) -> list[PageSpec]:
    """Every page of the site in `lang`, in navigation order; `bundle` (its facts) adds "About this
    bundle", `link_health` the broken links to the coverage page; `library` is what the "Take it
    offline" page lists (None: how to make it)."""
    site = PlanInput(catalogue, lang, bundle, link_health, library)
    specs = [spec for kind in kinds for spec in kind.plan(site)]
    keys = {spec.key for spec in specs}
    children: dict[str | None, list[PageSpec]] = {}
    for spec in specs:
        children.setdefault(spec.parent if spec.parent in keys else None, []).append(spec)

    def tree(spec: PageSpec) -> Iterator[PageSpec]:
        yield spec
        for child in children.get(spec.key, []):
            yield from tree(child)

    return [page for root in children.get(None, []) for page in tree(root)]


def generated(plan: list[PageSpec], kinds: tuple[PageKind, ...] = KINDS) -> list[PageSpec]:
    """The pages made from the catalogue, as opposed to sections and hand-written pages."""
    return [spec for spec in plan if spec.path is not None and not by_name(kinds)[spec.kind].hand_written]


def render(spec: PageSpec, view: View, env: jinja2.Environment, kinds: tuple[PageKind, ...] = KINDS) -> str:
    """The HTML of a page of a kind that has a template, from an autoescaping environment (spmlib.site.render)."""
    kind = by_name(kinds)[spec.kind]
    if kind.template is None:
        raise ValueError(f"page kind {spec.kind!r} has no template")
    return env.get_template(kind.template).render(**kind.context(spec, view))


_FIRST_HEADING_END = re.compile(r"</h1>")


def render_hand_written(
    spec: PageSpec, view: View, env: jinja2.Environment, html: str, kinds: tuple[PageKind, ...] = KINDS
) -> str:
    """A page of docs/ with what its kind adds: the lead after its first heading, the template after it all."""
    kind = by_name(kinds)[spec.kind]
    context = kind.context(spec, view)
    if kind.lead is not None:
        lead = env.get_template(kind.lead).render(**context)
        found = _FIRST_HEADING_END.search(html)
        html = html[: found.end()] + lead + html[found.end() :] if found else lead + html
    if kind.template is not None:
        html += env.get_template(kind.template).render(**context)
    return html


def nav_tree(plan: list[PageSpec], src: Callable[[str], str | None]) -> list:
    """The navigation in MkDocs' `nav:` form; `src(key)` gives a page's source URI or None.

    A page with pages under it becomes a section headed by its title, its own page first; a page
    whose title is None is listed by URI alone, so MkDocs shows its own heading. Titles are
    escaped here, once: Material prints navigation titles as HTML, and taxonomy and catalogue
    text is untrusted (generated pages get the same escaped title from hooks/pages.py).
    """
    children: dict[str | None, list[PageSpec]] = {}
    for spec in plan:
        if spec.in_nav:
            children.setdefault(spec.parent, []).append(spec)

    def item(spec: PageSpec):
        uri = src(spec.key) if spec.path is not None else None
        inner = [entry for entry in (item(child) for child in children.get(spec.key, [])) if entry]
        title = None if spec.title is None else str(escape(spec.title))
        if inner or spec.path is None:
            return {title: ([uri] if uri else []) + inner} if inner else None
        if uri is None:
            return None
        return uri if title is None else {title: uri}

    return [entry for entry in (item(spec) for spec in children.get(None, [])) if entry]


def page_fingerprints(
    plan: list[PageSpec], catalogue: Catalogue, salt: str, kinds: tuple[PageKind, ...] = KINDS
) -> dict[str, str]:
    """A digest of everything each page shows, by page key.

    `mkdocs serve --dirty` then re-renders only the pages whose digest changed since the last
    build: after an edit of one entry, its page and the lists it is on, not the whole site.
    `salt` covers what every page shows (the navigation, templates, taxonomy, language).
    """
    resource_digests = catalogue.digests
    everything = hashlib.sha256("".join(resource_digests.values()).encode()).hexdigest()
    kinds_by_name = by_name(kinds)
    digests = {}
    for spec in plan:
        members = kinds_by_name[spec.kind].members
        content = "".join(resource_digests[r.id] for r in members(spec, catalogue)) if members is not None else everything
        digests[spec.key] = hashlib.sha256(f"{salt}\0{spec.key}\0{spec.title}\0{content}".encode()).hexdigest()
    return digests
