"""The part of the library an offline output holds: dimensions, standards, types and topics.

A value object with no I/O, in the model because two sides read it: the offline pipeline's
`select` step (spmlib.outputs.offline) checks and applies it before anything is built, and the
build's hook (hooks/spm_mkdocs/session.py) applies it again, from the generated config, to build
only that part and point fetched documents at their local copies (`apply` with the relink
table). A build must not depend on the outputs layer to read its own configuration.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from spmlib.model.catalogue import Catalogue, Resource
from spmlib.model.taxonomy import Taxonomy


@dataclass(frozen=True)
class Subset:
    """What part of the library a bundle holds; empty fields mean "all"."""

    dimensions: frozenset[int] = frozenset()
    standards: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return not (self.dimensions or self.standards or self.types or self.topics)

    @classmethod
    def from_options(cls, options: dict) -> Subset:
        return cls(
            frozenset(int(n) for n in options.get("dimensions") or ()),
            frozenset(str(c).upper() for c in options.get("standards") or ()),
            frozenset(options.get("types") or ()),
            frozenset(options.get("topics") or ()),
        )

    def to_options(self) -> dict:
        return {
            "dimensions": sorted(self.dimensions),
            "standards": sorted(self.standards),
            "types": sorted(self.types),
            "topics": sorted(self.topics),
        }

    def problems(self, catalogue: Catalogue) -> list[str]:
        """Values that name nothing, with what is allowed."""
        tax = catalogue.taxonomy
        found = []
        checks = [
            ("dimension", self.dimensions, tax.dimension_numbers),
            ("standard", self.standards, tax.standard_codes),
            ("type", self.types, tax.type_codes),
            ("topic", self.topics, catalogue.topics()),
        ]
        for name, chosen, allowed in checks:
            unknown = sorted(str(v) for v in chosen if v not in allowed)
            if unknown:
                found.append(f"unknown {name} {', '.join(unknown)}; allowed: {', '.join(str(a) for a in allowed)}")
        return found

    def keeps_dimension(self, number: int, taxonomy: Taxonomy) -> bool:
        if not (self.dimensions or self.standards):
            return True
        return number in self.dimensions or any(s.code in self.standards for s in taxonomy.dimension(number).standards)

    def keeps_standard(self, code: str, taxonomy: Taxonomy) -> bool:
        if not (self.dimensions or self.standards):
            return True
        return code in self.standards or taxonomy.standards[code].dimension in self.dimensions

    def keeps(self, resource: Resource, taxonomy: Taxonomy) -> bool:
        if self.dimensions or self.standards:
            if not (
                any(code in self.standards for code in resource.standards)
                or any(n in self.dimensions for n in resource.all_dimensions(taxonomy))
            ):
                return False
        if self.types and resource.type not in self.types:
            return False
        return not (self.topics and not any(t in self.topics for t in resource.topics))

    def apply(self, catalogue: Catalogue, relink: dict[str, str] | None = None) -> Catalogue:
        """The catalogue of the bundle: its resources, with downloaded documents linked locally."""
        tax = catalogue.taxonomy
        relink = relink or {}
        resources = []
        for resource in catalogue.resources:
            if not self.keeps(resource, tax):
                continue
            if any(link.url in relink for link in resource.links):
                links = tuple(dataclasses.replace(link, url=relink.get(link.url, link.url)) for link in resource.links)
                resource = dataclasses.replace(resource, links=links)
            resources.append(resource)
        partial = bool(self.dimensions or self.standards)
        return Catalogue(
            resources,
            tax,
            warnings=catalogue.warnings,
            name=catalogue.name,
            source=catalogue.source,
            scope_dimensions=frozenset(n for n in tax.dimension_numbers if self.keeps_dimension(n, tax)) if partial else None,
            scope_standards=frozenset(c for c in tax.standard_codes if self.keeps_standard(c, tax)) if partial else None,
        )
