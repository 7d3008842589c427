"""`make serve`'s cached versions of the site's per-resource and per-text functions.

The site's functions (spmlib.site) are pure and have one path: each whole-list function takes
its per-resource function as a parameter, the pure one by default (`explorer_parts(..., row=
explorer_row)`). A full build calls them as they are. `make serve` keeps one ServeCache for the
process and passes the versions made here, which answer from what the last builds worked out
for the same resource content (spmlib.serve.memo) or the same text; the answers are the same,
as tests/test_memo.py checks against the pure functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from markupsafe import Markup

from spmlib.model.catalogue import Catalogue, CatalogueSteps, Resource
from spmlib.model.taxonomy import Taxonomy
from spmlib.model.words import SynonymTable
from spmlib.serve.memo import Generations, ResourceMemo
from spmlib.serve.reload import CatalogueCache
from spmlib.site import opendata
from spmlib.site.explorer import ExplorerParts, FacetValues, Numbering, Row, explorer_parts, explorer_row, facet_values
from spmlib.site.searchindex import IndexSteps, Splits, teaser
from spmlib.site.searchtext import Vary, resource_keys, text_splits, variants
from spmlib.site.view import View, ViewSteps, compact_row, title_key_of

T = TypeVar("T")


class VariantsMemo:
    """`variants` results kept from one index build of a language to the next.

    After a one-entry edit nearly every title and summary is the same text as before, and its
    variants are the same as long as the taxonomy (synonyms) and the compound words learned from
    the whole language's texts are: then they are taken from the last build. Whatever a build
    did not ask for is dropped, so the memo holds one build's texts.
    """

    def __init__(self) -> None:
        self._variants: dict[str, Generations[tuple[str, str], str]] = {}  # by language
        self._basis: dict[str, tuple[object, Splits]] = {}  # what they depend on
        self._texts: dict[tuple[str, str], Generations[str, Any]] = {}  # by (step, language)

    def per_text(self, step: str, lang: str, work: Callable[[str], T]) -> Callable[[str], T]:
        """`work(text)` kept by text from one index build to the next (what depends on the text
        alone: the compounds it hyphenates, its teaser). Call once per build and step."""
        kept = self._texts.setdefault((step, lang), Generations())
        kept.next()
        return lambda text: kept.get(text, lambda: work(text))

    def bind(self, lang: str, taxonomy: object, table: SynonymTable, splits: Splits) -> Vary:
        """searchindex.plain_vary, kept while the taxonomy and the language's compounds stay."""
        kept = self._variants.setdefault(lang, Generations())
        basis = self._basis.get(lang)
        kept.next(keep=basis is not None and basis[0] is taxonomy and basis[1] == splits)
        self._basis[lang] = (taxonomy, dict(splits))
        return lambda text, extra="": kept.get((text, extra), lambda: variants(text, table, splits, extra))


class ServeCache:
    """Everything `make serve` keeps between its builds, in one object owned by the process
    (hooks/spm_mkdocs/session.py makes one only when serving)."""

    def __init__(self) -> None:
        self.reload = CatalogueCache()  # checks, digests and related ids between readings
        self.resources = ResourceMemo()  # per-resource results by content, language and step
        self.variants = VariantsMemo()  # the search index's per-text results

    def reading(self, taxonomy: Taxonomy, taxonomy_key: object) -> CatalogueSteps:
        """The steps of a new reading of the catalogue (spmlib.model.catalogue.load_catalogue)."""
        self.resources.follow(taxonomy_key)
        return self.reload.steps(taxonomy)

    def per_resource(self, step: str, lang: str, catalogue: Catalogue, work: Callable[..., T]) -> Callable[..., T]:
        """`work(resource, *rest)` kept by the resource's content; `step` and `lang` name
        everything else the result depends on (the taxonomy drops it all: ResourceMemo.follow)."""
        memo = self.resources
        return lambda resource, *rest: memo.get(step, lang, catalogue, resource, lambda: work(resource, *rest))

    def catalogue_json(self, catalogue: Catalogue) -> str:
        return opendata.catalogue_json(catalogue, self.per_resource("open-data-json", "", catalogue, opendata.json_line))

    def catalogue_csv(self, catalogue: Catalogue) -> str:
        languages = ",".join(catalogue.taxonomy.languages)
        return opendata.catalogue_csv(catalogue, self.per_resource("open-data-csv", languages, catalogue, opendata.csv_line))

    def explorer_parts(self, catalogue: Catalogue, lang: str, href: str, broken: frozenset[str] = frozenset()) -> ExplorerParts:
        facets: Callable[[Resource, Catalogue], FacetValues] = self.per_resource("explorer-facets", "", catalogue, facet_values)
        numbered: list[Any] = [None, None]  # the last option numbering seen, and the rows kept under it

        def row(resource: Resource, of: Catalogue, in_lang: str, index: Numbering, values: FacetValues) -> Row:
            # An entry's row depends on the options' numbering too: kept only while that stays the same,
            # and on the link report's broken entries (its "check" value)
            if numbered[0] is not index:
                reported = hashlib.blake2b(" ".join(sorted(broken)).encode(), digest_size=8).hexdigest()
                kept = f"{lang}:{numbering_digest(index)}:{reported}"
                numbered[:] = [index, self.per_resource("explorer-row", kept, catalogue, explorer_row)]
            return numbered[1](resource, of, in_lang, index, values)

        return explorer_parts(catalogue, lang, href, facets, row, broken)

    def index_steps(self, catalogue: Catalogue, lang: str) -> IndexSteps:
        """The steps of one language's search index build (spmlib.site.searchindex.build_index)."""
        variants = self.variants
        return IndexSteps(
            keys=self.per_resource("search-keys", lang, catalogue, resource_keys),
            splits=variants.per_text("splits", lang, text_splits),
            teaser=variants.per_text("teaser", lang, teaser),
            vary=lambda table, splits: variants.bind(lang, catalogue.taxonomy, table, splits),
        )

    def view_steps(self, catalogue: Catalogue, salt: str) -> ViewSteps:
        """The View's compact rows, title keys and facet values; `salt` is what else a row
        depends on (templates, taxonomy, navigation: LanguageBuild.salt)."""
        memo = self.resources

        def row(view: View, resource: Resource, make: Callable[[View, Resource], Markup]) -> Markup:
            # kept by the row's link too, which depends on the depth of the page it is on
            href = view.link("resource:" + resource.id)
            return memo.get(f"row {salt} {href}", view.lang, view.catalogue, resource, lambda: compact_row(view, resource, make))

        def title_key(view: View, resource: Resource) -> tuple:
            return memo.get("title-key", view.lang, view.catalogue, resource, lambda: title_key_of(view, resource))

        return ViewSteps(row, title_key, self.per_resource("explorer-facets", "", catalogue, facet_values))


def numbering_digest(index: Numbering) -> str:
    """A digest of the explorer's option numbering, which every row's encoded values follow."""
    return hashlib.blake2b(repr(sorted((f, sorted(codes.items())) for f, codes in index.items())).encode()).hexdigest()
