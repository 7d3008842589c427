"""The page-language view of the catalogue that every template of overrides/spm receives as `v`.

Which pages exist and what each one is given is declared in `spmlib.pagekinds`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .catalogue import Catalogue, Resource
from .metadata import Citation, citation
from .names import country_name, language_name, plural_category


@dataclass(frozen=True)
class Shown:
    """A catalogue text as shown to a reader: `lang` is set when it is not the page's language."""

    text: str
    lang: str
    fallback: bool


class View:
    """The page-language view of the catalogue that every template receives as `v`."""

    def __init__(self, catalogue: Catalogue, lang: str, link: Callable[[str], str | None], address: str | None = None):
        self.catalogue = catalogue
        self.tax = catalogue.taxonomy
        self.lang = lang
        self._link = link
        self.address = address  # the page's public address; None in offline bundles, which have none

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

    def sorted_by_title(self, resources: list[Resource]) -> list[Resource]:
        return sorted(resources, key=lambda r: (self.text(r, "title").text.casefold(), r.id))
