"""Where the library is thin: the figures of the coverage page and of `make report`.

A curator asks which standards have nothing in Spanish, how far the Portuguese translation
is, which entries only point to a home page. One table answers the first: resources per
standard and document language, counted with the explorer's own facet values
(spmlib.site.explorer.facet_values), so that a cell's number is the number of results the
explorer shows for `?standard=4A&language=es`. The figures do not depend on the reader's
language: the page words them (overrides/spm/coverage.html) and the terminal prints them
(spmlib.outputs.coveragereport).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from spmlib.model.catalogue import Catalogue, Resource
from spmlib.model.coverage import LanguageProgress, LinkHealth, only_places, translation_progress
from spmlib.model.linkkinds import PLACE
from spmlib.site.explorer import BROKEN, FACETS, UNDATED, Facets, facet_values, only_fragment

# Heat-map buckets: 0, 1, 2-3, 4 or more (the page's classes spm-heat-0 ... spm-heat-3).
BUCKET_FLOORS = (0, 1, 2, 4)
# Entries listed under each count of the page; the rest are counted (`make report --list` has them all).
LIST_LIMIT = 100
_STANDARD, _LANGUAGE = FACETS.index("standard"), FACETS.index("language")
# The explorer's address query that lists the entries of each count under "Entries to complete":
# its "link" facet's "place" is an entry whose best link is a place to look (only_places), its
# "date" and "check" facets hold the undated entries and those of the link report's broken ids.
COUNT_QUERIES = {
    "places": urlencode({"link": PLACE}),
    "undated": urlencode({"date": UNDATED}),
    "broken": urlencode({"check": BROKEN}),
}


def bucket(count: int) -> int:
    """The heat-map bucket of a count: the last floor it reaches."""
    return max(i for i, floor in enumerate(BUCKET_FLOORS) if count >= floor)


@dataclass(frozen=True)
class Cell:
    """One number of the table: the resources on `standard` (None: on any) with a document in
    `language` (None: in any); `query` is the explorer's address query that lists them."""

    standard: str | None
    language: str | None
    count: int

    @property
    def bucket(self) -> int:
        return bucket(self.count)

    @property
    def query(self) -> str:
        wanted = {"standard": self.standard, "language": self.language}
        return urlencode({key: value for key, value in wanted.items() if value is not None})

    @property
    def fragment(self) -> str | None:
        """For readers without JavaScript: the standard's own page (spmlib.site.explorer.only_fragment)."""
        return only_fragment("standard", self.standard) if self.standard else None


@dataclass(frozen=True)
class Row:
    standard: str | None  # None: the row of all resources
    dimension: int | None
    cells: tuple[Cell, ...]  # one per site language, then any language

    @property
    def gaps(self) -> list[str]:
        """The site languages this standard has no resource in."""
        return [cell.language for cell in self.cells if cell.language is not None and cell.count == 0]


@dataclass(frozen=True)
class CoverageFigures:
    """Everything the coverage page and `make report` show."""

    languages: tuple[str, ...]
    rows: tuple[Row, ...]  # one per standard, in the taxonomy's order
    total: Row  # every resource, by document language
    progress: tuple[LanguageProgress, ...]
    places_only: tuple[Resource, ...]  # entries whose every link is a place to look
    undated: tuple[Resource, ...]
    broken: tuple[Resource, ...] | None  # entries with a broken link; None without a link report
    links_checked: str | None  # the link report's date

    def empty_standards(self) -> list[str]:
        """The standards without any resource."""
        return [row.standard for row in self.rows if row.cells[-1].count == 0 and row.standard]


def coverage_figures(catalogue: Catalogue, health: LinkHealth | None = None, facets: Facets = facet_values) -> CoverageFigures:
    """The figures of `catalogue`; `health` is the last link report's (spmlib.model.coverage.read_link_report).

    `facets` is facet_values or the cached version `make serve` keeps (spmlib.serve.cached).
    """
    tax = catalogue.taxonomy
    languages = tuple(tax.languages)
    counts: dict[tuple[str | None, str | None], int] = {}
    for resource in catalogue.resources:
        values = facets(resource, catalogue)
        standards, documents = values[_STANDARD][1], values[_LANGUAGE][1]
        for standard in (*standards, None):
            counts[(standard, None)] = counts.get((standard, None), 0) + 1
            for lang in documents:
                counts[(standard, lang)] = counts.get((standard, lang), 0) + 1

    def row(standard: str | None, dimension: int | None) -> Row:
        cells = [Cell(standard, lang, counts.get((standard, lang), 0)) for lang in (*languages, None)]
        return Row(standard, dimension, tuple(cells))

    rows = tuple(row(std.code, dim.number) for dim in tax.dimensions for std in dim.standards)
    ordered = sorted(catalogue.resources, key=lambda r: r.id)
    broken = None if health is None else tuple(r for r in ordered if r.id in health.broken)
    return CoverageFigures(
        languages,
        rows,
        row(None, None),
        tuple(translation_progress(catalogue)),
        tuple(r for r in ordered if only_places(r)),
        tuple(r for r in ordered if not r.year),
        broken,
        health.checked if health is not None else None,
    )


def propose_href(propose: str | None, standard: str | None = None) -> str | None:
    """The "propose a resource" form, with the standard filled in when it is GitHub's issue form.

    GitHub fills an issue form's field from a query parameter named by the field's id
    (`standards` in .github/ISSUE_TEMPLATE/propose-a-resource.yml); any other form gets its
    address as configured.
    """
    if propose is None or standard is None:
        return propose
    parts = urlsplit(propose)
    if parts.hostname != "github.com" or not parts.path.rstrip("/").endswith("/issues/new"):
        return propose
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "standards"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("standards", standard)])))
