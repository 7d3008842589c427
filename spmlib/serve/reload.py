"""Reading the catalogue again after an edit (`make serve`): cached versions of the per-entry
steps of spmlib.model.catalogue, passed to `load_catalogue` as its `CatalogueSteps`.

A one-entry edit reloads the whole catalogue. The Reparser (spmlib.model.yamlsrc) hands back the
very dict of each entry the edit left alone, so what is worked out from such an entry (its
check, its Resource, its digest) can be taken from the last reading; and related resources
depend on a few pools of ids, most of which an edit leaves as they were. Full builds read the
catalogue once and pass nothing: the plain functions give the same answers.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from spmlib.model.catalogue import (
    Catalogue,
    CatalogueSteps,
    CheckedEntry,
    Entries,
    Resource,
    check_entry,
    closest_ids,
    resource_digest,
)
from spmlib.model.problems import Problem
from spmlib.model.taxonomy import Taxonomy
from spmlib.model.yamlsrc import Located, Reparser, load_yaml
from spmlib.serve.memo import Generations


class CheckedEntries:
    """The entries the last reading found clean, and the digests of their resources.

    An entry that is the same object as last time, under the same taxonomy, needs no second
    check: at 2,000 entries checking them all was 0.4 s of every edit. Only entries without a
    problem or a warning and without a local document are kept: a document can disappear from
    docs/ between two saves, and messages carry line numbers that move. A duplicate id needs
    the other entries, so parse_catalogue finds it whatever `check` answers.
    """

    def __init__(self) -> None:
        self._taxonomy: Taxonomy | None = None
        self._kept: dict[int, tuple[object, Resource]] = {}  # by id() of the entry, which it keeps
        self._next: dict[int, tuple[object, Resource]] = {}
        self._digests: dict[int, tuple[Resource, str]] = {}  # by id() of the Resource, which it keeps

    def start(self, taxonomy: Taxonomy) -> None:
        """A new reading: what the last one kept is offered once, then dropped unless found
        again; so are the digests of the resources it may hand back."""
        if taxonomy is not self._taxonomy:
            self._next = {}
            self._taxonomy = taxonomy
        self._kept, self._next = self._next, {}
        alive = {id(resource) for _, resource in self._kept.values()}
        self._digests = {key: known for key, known in self._digests.items() if key in alive}

    def check(self, context: Entries, entry: object, index: int) -> CheckedEntry:
        """check_entry's answer, from the last reading when the entry is the same object."""
        kept = self._kept.get(id(entry))
        if kept is not None and kept[0] is entry:
            resource = kept[1]
            line = context.located.line(("resources", index))
            if resource.line != line or resource.index != index:
                moved = replace(resource, line=line, index=index)
                known = self._digests.get(id(resource))
                if known is not None and known[0] is resource:  # the same words: the same digest
                    self._digests[id(moved)] = (moved, known[1])
                resource = moved
            self._next[id(entry)] = (entry, resource)
            return CheckedEntry(resource, [], [], [])
        checked = check_entry(context, entry, index)
        resource = checked.resource
        if resource is not None and not checked.warnings and not any(link.is_local for link in resource.links):
            self._next[id(entry)] = (entry, resource)  # the entry itself too, so its id stays its own
        return checked

    def digest(self, resource: Resource) -> str:
        """resource_digest, worked out only for resources not seen before."""
        known = self._digests.get(id(resource))
        if known is None or known[0] is not resource:
            known = self._digests[id(resource)] = (resource, resource_digest(resource))
        return known[1]


class RelatedIds:
    """Related resources' ids kept from one catalogue to the next.

    Each resource page's digest names its related resources (their titles are on it), so every
    build asks for the related resources of every entry; worked out afresh that was most of a
    second at 2,000 entries. closest_ids depends on the resource's standards and topics and on
    their pools of ids (in order) alone: the key holds those pools' digests.
    """

    def __init__(self) -> None:
        self._kept: Generations[tuple, list[str]] = Generations()
        self._catalogue: Catalogue | None = None
        self._signs: dict[tuple[str, str], str] = {}

    def start(self) -> None:
        """A new catalogue: what the one before did not ask for is dropped."""
        self._kept.next()

    def closest(self, catalogue: Catalogue, resource: Resource, count: int) -> list[str]:
        if catalogue is not self._catalogue:
            self._catalogue, self._signs = catalogue, pool_signatures(catalogue)
        signs = self._signs
        key = (
            resource.id,
            count,
            tuple((code, signs.get(("standard", code))) for code in resource.standards),
            tuple((topic, signs.get(("topic", topic))) for topic in resource.topics),
        )
        return self._kept.get(key, lambda: closest_ids(catalogue, resource, count))


def pool_signatures(catalogue: Catalogue) -> dict[tuple[str, str], str]:
    """A digest of each related pool's ids in order, to know a pool unchanged between catalogues."""
    return {
        key: hashlib.blake2b("\n".join(ids).encode(), digest_size=16).hexdigest() for key, ids in catalogue.related_pools.items()
    }


class CatalogueCache:
    """What `make serve` keeps between readings of the catalogue, passed to load_catalogue as
    its `steps(taxonomy)`, made before each reading."""

    def __init__(self) -> None:
        self.reparser = Reparser()  # the last parse of the file: an edit composes only what it changed
        self.checked = CheckedEntries()
        self.related = RelatedIds()

    def steps(self, taxonomy: Taxonomy) -> CatalogueSteps:
        self.checked.start(taxonomy)
        self.related.start()
        return CatalogueSteps(read=self.read, check=self.checked.check, digest=self.checked.digest, closest=self.related.closest)

    def read(self, path: str | Path, name: str) -> tuple[Located | None, list[Problem]]:
        """The file read as load_yaml reads it, composing only the entries an edit changed."""
        return load_yaml(path, name, self.reparser)
