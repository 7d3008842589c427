"""Loading `resources.yaml` into Resource objects, reporting every problem in one pass."""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field, make_dataclass, replace
from functools import cached_property
from pathlib import Path

from spmlib.model.docsfiles import active_files, local_document_problem, spelling_on_disk, unreadable_pages, unsafe_entries
from spmlib.model.fields import Link as Link  # where the rest of the library imports it from
from spmlib.model.fields import field_label, free_texts, model_attributes, model_values
from spmlib.model.fields import infer_format as infer_format  # likewise
from spmlib.model.filenames import path_problem, unportable_entries
from spmlib.model.problems import CatalogueError, Problem
from spmlib.model.rules import URL_SCHEME
from spmlib.model.schema import catalogue_schema
from spmlib.model.taxonomy import Taxonomy
from spmlib.model.textcheck import describe, first_control, first_invisible
from spmlib.model.yamlsrc import Located, Reparser, load_yaml, load_yaml_text
from spmlib.serve.memo import Generations

# How many of the newest resources of each standard and topic `Catalogue.related` looks at.
RELATED_POOL = 200


class ResourceBehaviour:
    """What a `Resource` can tell besides its fields (the class itself is made from the field table)."""

    __slots__ = ()

    def all_dimensions(self, taxonomy: Taxonomy) -> list[int]:
        """Dimensions named directly plus those of its standards, in order."""
        numbers = set(self.dimensions) | {taxonomy.standards[c].dimension for c in self.standards}
        return sorted(numbers)

    def document_languages(self) -> list[str]:
        seen: list[str] = []
        for link in self.links:
            if link.lang not in seen:
                seen.append(link.lang)
        return seen

    def pick(self, field_name: str, lang: str, fallback_order: list[str]) -> tuple[str | None, str | None]:
        """The text of `field_name` for a reader of `lang`: (text, language it is in)."""
        texts: dict[str, str] = getattr(self, field_name)
        if lang in texts:
            return texts[lang], lang
        for other in fallback_order:
            if other in texts:
                return texts[other], other
        for other, text in texts.items():
            return text, other
        return None, None

    def sort_date(self) -> tuple:
        """Newest first: by date added, then year."""
        return (self.added or dt.date(self.year or 1900, 1, 1), self.year or 0)


# A resource of the catalogue: one attribute per field of spmlib/model/fields.py (FIELDS), which
# is where a field is added. Frozen: pages, feeds and digests are made from it and share it.
# `line` and `index` say where the entry is in the file, for messages: not what it says, so left
# out of its repr (Catalogue.digests) and of comparisons; an edit above it must not make its
# pages stale.
Resource = make_dataclass(
    "Resource",
    [
        *model_attributes(),
        ("line", int | None, field(default=None, repr=False, compare=False)),
        ("index", int | None, field(default=None, repr=False, compare=False)),  # position in the file's list
    ],
    bases=(ResourceBehaviour,),
    frozen=True,
)
Resource.__module__ = __name__  # not dataclasses': pickled for the build's worker processes by this name


@dataclass
class Catalogue:
    resources: list[Resource]
    taxonomy: Taxonomy
    warnings: list[Problem] = field(default_factory=list)
    name: str = "resources.yaml"
    source: Located | None = None
    # In a bundle of part of the library: the dimensions and standards whose pages it has.
    scope_dimensions: frozenset[int] | None = None
    scope_standards: frozenset[str] | None = None

    def __post_init__(self) -> None:
        self._related: dict[tuple[str, int], list[Resource]] = {}  # see related()
        self.related_memo: RelatedMemo | None = None  # `make serve`: related ids kept from the last catalogue
        self.by_id = {r.id: r for r in self.resources}
        self.by_standard: dict[str, list[Resource]] = defaultdict(list)
        self.by_dimension: dict[int, list[Resource]] = defaultdict(list)
        self.dimension_wide: dict[int, list[Resource]] = defaultdict(list)
        self.by_type: dict[str, list[Resource]] = defaultdict(list)
        self.by_topic: dict[str, list[Resource]] = defaultdict(list)
        for r in self.resources:
            for code in r.standards:
                self.by_standard[code].append(r)
            for number in r.all_dimensions(self.taxonomy):
                self.by_dimension[number].append(r)
            for number in r.dimensions:
                self.dimension_wide[number].append(r)
            self.by_type[r.type].append(r)
            for topic in r.topics:
                self.by_topic[topic].append(r)

    def line(self, resource: Resource, path: tuple = ()) -> int | None:
        """The line of a field of an entry, for messages that send the maintainer to it."""
        if self.source is None or resource.index is None:
            return resource.line
        return self.source.line(("resources", resource.index) + tuple(path))

    def newest(self, count: int | None = None) -> list[Resource]:
        ordered = self._newest
        return ordered[:count] if count else list(ordered)

    @cached_property
    def _newest(self) -> list[Resource]:
        """Sorted once per catalogue: every listing and every resource page's related list asks."""
        return sorted(self.resources, key=lambda r: (r.sort_date(), r.id), reverse=True)

    @cached_property
    def newest_rank(self) -> dict[str, int]:
        return {r.id: rank for rank, r in enumerate(self._newest)}

    @cached_property
    def digests(self) -> dict[str, str]:
        """What each resource says, as a short digest by id (not where it is in the file).

        A page's digest is made of its resources' (spmlib.site.pagekinds.page_fingerprints), so that
        `make serve` re-renders only the pages an edit changes; computed once per catalogue
        however many languages are built from it.
        """
        return {r.id: resource_digest(r) for r in self.resources}

    def related(self, resource: Resource, count: int = 5) -> list[Resource]:
        """Resources on the same standards (each shared standard counts twice) or topics: the
        closest first, then the newest.

        Only the newest RELATED_POOL resources of each standard and topic it shares are looked
        at: comparing each resource with every other one on its standards made a 10,000-entry
        build spend a minute here in each language, and grew with the square of the catalogue.
        Below that many per standard (any library under about 2,000 entries) the result is the
        same as looking at all of them. Kept per catalogue: every language asks for the same.
        """
        key = (resource.id, count)
        if key not in self._related:
            self._related[key] = self._find_related(resource, count)
        return self._related[key]

    @cached_property
    def _pools(self) -> dict[tuple[str, str], list[str]]:
        """The ids of the newest RELATED_POOL resources of each standard and topic."""
        rank = self.newest_rank
        pools = {}
        for facet, groups in (("standard", self.by_standard), ("topic", self.by_topic)):
            for code, members in groups.items():
                newest = sorted(members, key=lambda r: rank[r.id])[:RELATED_POOL]
                pools[(facet, code)] = [r.id for r in newest]
        return pools

    @cached_property
    def _pool_signatures(self) -> dict[tuple[str, str], str]:
        """A digest of each pool's ids in order, to know a pool unchanged between catalogues."""
        return {key: hashlib.blake2b("\n".join(ids).encode(), digest_size=16).hexdigest() for key, ids in self._pools.items()}

    def _find_related(self, resource: Resource, count: int) -> list[Resource]:
        memo = self.related_memo
        if memo is None:
            return [self.by_id[rid] for rid in self._related_ids(resource, count)]
        # The ids depend on the resource's standards and topics and on those pools alone (in
        # their order): the same pools, the same answer, whatever else the edit changed.
        signs = self._pool_signatures
        key = (
            resource.id,
            count,
            tuple((code, signs.get(("standard", code))) for code in resource.standards),
            tuple((topic, signs.get(("topic", topic))) for topic in resource.topics),
        )
        return [self.by_id[rid] for rid in memo.get(key, lambda: self._related_ids(resource, count))]

    def _related_ids(self, resource: Resource, count: int) -> list[str]:
        pools = self._pools
        ids: list[str] = []
        for code in resource.standards:
            ids += pools.get(("standard", code), []) * 2  # a shared standard counts twice
        for topic in resource.topics:
            ids += pools.get(("topic", topic), [])
        scores = Counter(ids)
        scores.pop(resource.id, None)
        rank = self.newest_rank
        return heapq.nsmallest(count, scores, key=lambda rid: (-scores[rid], rank[rid]))

    @property
    def featured(self) -> list[Resource]:
        return [r for r in self.resources if r.featured]

    def topics(self) -> list[str]:
        return sorted(self.by_topic)


class RelatedMemo(Generations[tuple, list[str]]):
    """Related resources' ids kept from one catalogue to the next in `make serve`.

    Each resource page's digest names its related resources (their titles are on it), so every
    build asks for the related resources of every entry; worked out afresh that was most of a
    second at 2,000 entries. Keys hold what the answer depends on (Catalogue._find_related);
    `next()` starts each catalogue.
    """


def resource_digest(resource: Resource) -> str:
    """A short digest of what a resource says (its repr leaves out where it is in the file)."""
    return hashlib.blake2b(repr(resource).encode(), digest_size=12).hexdigest()


class CheckedEntries:
    """The entries the last parse found clean, kept by `make serve` between its builds.

    The Reparser hands back the very dict of each entry an edit left alone, so an entry that is
    the same object as last time, under the same taxonomy, needs no second check: at 2,000
    entries checking them all was 0.4 s of every edit. Only entries without a problem or a
    warning and without a local document are kept: a document can disappear from docs/ between
    two saves, and messages carry line numbers that move.
    """

    def __init__(self) -> None:
        self._taxonomy: Taxonomy | None = None
        self._kept: dict[int, tuple[dict, Resource]] = {}
        self._next: dict[int, tuple[dict, Resource]] = {}
        self._digests: dict[int, tuple[Resource, str]] = {}  # by id() of the Resource, which it keeps

    def start(self, taxonomy: Taxonomy) -> None:
        """A new parse: what it does not find again is dropped at `finish`."""
        if taxonomy is not self._taxonomy:
            self._kept = {}
            self._taxonomy = taxonomy
        self._next = {}

    def get(self, entry: object, line: int | None, index: int) -> Resource | None:
        kept = self._kept.get(id(entry))
        if kept is None or kept[0] is not entry:
            return None
        resource = kept[1]
        if resource.line != line or resource.index != index:
            moved = replace(resource, line=line, index=index)
            if id(resource) in self._digests:  # the same words: the same digest
                self._digests[id(moved)] = (moved, self._digests[id(resource)][1])
            resource = moved
        self.keep(entry, resource)
        return resource

    def digests(self, resources: list[Resource]) -> dict[str, str]:
        """Catalogue.digests of these resources, worked out only for those not seen before."""
        known = self._digests
        found: dict[int, tuple[Resource, str]] = {}
        for resource in resources:
            kept = known.get(id(resource))
            found[id(resource)] = kept if kept is not None and kept[0] is resource else (resource, resource_digest(resource))
        self._digests = found
        return {resource.id: digest for resource, digest in found.values()}

    def keep(self, entry: dict, resource: Resource) -> None:
        self._next[id(entry)] = (entry, resource)  # the entry itself too, so its id stays its own

    def forget(self, entry: dict) -> None:
        self._next.pop(id(entry), None)

    def finish(self) -> None:
        self._kept, self._next = self._next, {}


def load_catalogue(
    path: str | Path,
    taxonomy: Taxonomy,
    docs_dir: str | Path | None = None,
    display_name: str | None = None,
    text: str | None = None,
    reparser: Reparser | None = None,
    checked: CheckedEntries | None = None,
) -> Catalogue:
    """Read, validate and model the catalogue; raises CatalogueError with every error found.

    `text` checks an edited version of the file before it is written (translation imports).
    `reparser` (kept by `make serve` between builds) composes only the entries an edit changed,
    and `checked` then skips checking the others again.
    """
    name = display_name or Path(path).name
    located, problems = load_yaml(path, name, reparser) if text is None else load_yaml_text(text, name)
    if located is None:
        raise CatalogueError(problems)
    resources, more = parse_catalogue(located, name, taxonomy, docs_dir, checked)
    problems.extend(more)
    problems.extend(taxonomy.warnings)
    if docs_dir is not None:
        problems.extend(docs_problems(docs_dir))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogueError(errors)
    catalogue = Catalogue(
        resources, taxonomy, warnings=[p for p in problems if p.severity == "warning"], name=name, source=located
    )
    if checked is not None:
        catalogue.digests = checked.digests(resources)  # in place of the cached property's own work
    return catalogue


def docs_problems(docs_dir: str | Path) -> list[Problem]:
    """Symbolic links and special files under docs/ (the site publishes all of docs/), files that
    browsers run, pages that are not UTF-8 text (MkDocs would stop on them with a traceback), and
    names that Windows cannot hold, since bundles of it are unzipped there (spmlib/model/filenames.py)."""
    problems = [
        Problem(
            f"docs/{relative}",
            None,
            why,
            hint="replace it with the real file; links can publish files of the build machine",
        )
        for relative, why in unsafe_entries(docs_dir)
    ]
    problems += [
        Problem(
            f"docs/{relative}",
            None,
            "is a file that browsers run (HTML, SVG, XML or JavaScript); MkDocs would publish it as it is",
            hint="write a Markdown page, or use a PNG or JPEG image; files that run belong in overrides/, reviewed as code",
        )
        for relative in active_files(docs_dir)
    ]
    problems += [Problem(f"docs/{relative}", line, why, hint=hint) for relative, line, why, hint in unreadable_pages(docs_dir)]
    problems += [
        Problem(f"docs/{relative}", None, why, hint="rename the file, or one of the two files, and the links to it")
        for relative, why in unportable_entries(docs_dir)
    ]
    return problems


@dataclass(frozen=True)
class _At:
    """Where one entry is, to report problems at its fields' lines."""

    name: str
    located: Located
    base: tuple
    label: str  # its id, or "#n" when it has none

    def problem(self, rel: tuple, message: str, **more) -> Problem:
        return Problem(
            self.name, self.located.line(self.base + rel), message, resource_id=self.label, field=field_label(rel), **more
        )


def _invisible_warnings(entry: dict, at: _At) -> list[Problem]:
    """Bidi overrides and zero-width characters in reader-facing text (the fields declared free
    text): the page would read differently from the file, or two titles that look the same would differ."""
    found = []
    for rel, text in free_texts(entry):
        char = first_invisible(text)
        if char:
            found.append(
                at.problem(
                    rel,
                    f"invisible character {describe(char)} in the text",
                    severity="warning",
                    hint="delete it unless you know why it is there; it changes how the text reads or compares",
                )
            )
    return found


def _entries(located: Located, name: str) -> tuple[list | None, list[Problem]]:
    """The list under `resources:` (None when there is none to read) and the problems of the file's top level."""
    data = located.data
    if not isinstance(data, dict) or "resources" not in data:
        return None, [Problem(name, located.line(()) or 1, "the file must start with 'resources:' followed by a list of entries")]
    problems = [
        Problem(name, located.line((key,)), f"unknown top-level key {key!r}; only 'resources' is allowed")
        for key in data
        if key != "resources"
    ]
    entries = data["resources"]
    if entries is None:
        return [], problems
    if not isinstance(entries, list):
        return None, problems + [
            Problem(name, located.line(("resources",)), "'resources' must be a list of entries, each starting with '- id:'")
        ]
    return entries, problems


def parse_catalogue(
    located: Located, name: str, taxonomy: Taxonomy, docs_dir: str | Path | None, checked: CheckedEntries | None = None
) -> tuple[list[Resource], list[Problem]]:
    """The valid entries as Resources, and every problem and warning of every entry, in file order."""
    entries, problems = _entries(located, name)
    if entries is None:
        return [], problems
    schema = catalogue_schema(taxonomy)
    resources: list[Resource] = []
    first_line: dict[str, int | None] = {}
    if checked is not None:
        checked.start(taxonomy)
    for index, entry in enumerate(entries):
        base = ("resources", index)
        known = checked.get(entry, located.line(base), index) if checked is not None else None
        if known is not None:
            if known.id not in first_line:
                first_line[known.id] = located.line(base + ("id",))
                resources.append(known)
                continue
            checked.forget(entry)  # now a duplicate: checked again below, for its message
        rid = entry.get("id") if isinstance(entry, dict) else None
        rid = rid if isinstance(rid, str) else None
        at = _At(name, located, base, rid or f"#{index + 1}")
        entry_problems = [at.problem(rel, message) for rel, message, _value in schema.check(entry, ())]
        if rid is not None:
            if rid in first_line:
                entry_problems.append(
                    at.problem(
                        ("id",),
                        f"duplicate id {rid!r}, already used by the entry on line {first_line[rid]}",
                        hint="ids are permanent URLs and must be unique",
                    )
                )
            else:
                first_line[rid] = located.line(base + ("id",))
        found, stored = _local_documents(entry, at, docs_dir)
        entry_problems += found + _unknown_topics(entry, at, taxonomy)
        problems.extend(entry_problems)
        warnings = _invisible_warnings(entry, at) if isinstance(entry, dict) else []
        problems.extend(warnings)
        if not entry_problems:
            resource = _make_resource(entry, located.line(base), index)
            if stored:
                # link to the file as MkDocs publishes it (under its own name), or the link is broken
                links_on_disk = tuple(replace(link, url=stored.get(link.url, link.url)) for link in resource.links)
                resource = replace(resource, links=links_on_disk)
            resources.append(resource)
            if checked is not None and not warnings and not any(link.is_local for link in resource.links):
                checked.keep(entry, resource)
    if checked is not None:
        checked.finish()
    return resources, problems


def _local_documents(entry: object, at: _At, docs_dir: str | Path | None) -> tuple[list[Problem], dict[str, str]]:
    """Links to files under docs/ that are missing or refused, and the local links written in
    another Unicode normal form than the file's name (url -> the name on disk)."""
    links = entry.get("links") if isinstance(entry, dict) else None
    problems: list[Problem] = []
    stored: dict[str, str] = {}
    if docs_dir is None or not isinstance(links, list):
        return problems, stored
    for i, link in enumerate(links):
        url = link.get("url") if isinstance(link, dict) else None
        if not isinstance(url, str) or not url.strip() or URL_SCHEME.match(url) or first_control(url):
            continue
        if url.startswith(("/", "\\")) or ".." in url.replace("\\", "/").split("/") or url != url.strip():
            continue  # already reported by the schema
        if path_problem(url) is not None:
            continue  # so is a name Windows cannot hold
        refused = local_document_problem(docs_dir, url)
        on_disk = spelling_on_disk(docs_dir, url) if refused is None else None
        if on_disk is not None:
            stored[url] = on_disk
        if refused is not None:
            problems.append(at.problem(("links", i, "url"), refused[0], hint=refused[1]))
    return problems, stored


def _unknown_topics(entry: object, at: _At, taxonomy: Taxonomy) -> list[Problem]:
    topics = entry.get("topics") if isinstance(entry, dict) else None
    return [
        at.problem(
            ("topics", i),
            f"topic {topic!r} has no names in taxonomy/topics.yaml",
            hint="use an existing topic, or add its name in every site language to taxonomy/topics.yaml",
        )
        for i, topic in enumerate(topics if isinstance(topics, list) else [])
        if isinstance(topic, str) and topic not in taxonomy.topics and not first_control(topic)
    ]


def _make_resource(entry: dict, line: int | None, index: int | None = None) -> Resource:
    """A valid entry as the model keeps it (spmlib/model/fields.py: each field's `holds`)."""
    return Resource(**model_values(entry), line=line, index=index)
