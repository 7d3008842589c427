"""Loading `resources.yaml` into Resource objects, reporting every problem in one pass."""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, make_dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

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
from spmlib.model.yamlsrc import Located, load_yaml, load_yaml_text

# How many of the newest resources of each standard and topic `Catalogue.related` looks at.
RELATED_POOL = 200
# A resource covering this many of the dimensions but one is about the Universal Standards as a
# whole (see ResourceBehaviour.is_general), once the taxonomy has at least this many dimensions.
GENERAL_FROM = 4


class ResourceBehaviour:
    """What a `Resource` can tell besides its fields (the class itself is made from the field table)."""

    __slots__ = ()

    def all_dimensions(self, taxonomy: Taxonomy) -> list[int]:
        """Dimensions named directly plus those of its standards, in order."""
        numbers = set(self.dimensions) | {taxonomy.standards[c].dimension for c in self.standards}
        return sorted(numbers)

    def is_general(self, taxonomy: Taxonomy) -> bool:
        """Whether the resource is about the Universal Standards as a whole rather than a part of
        them: it covers every dimension, or all but one. Guides to the whole standards written
        before the seventh (environmental) dimension was added name the first six; on a
        dimension's page they are not that dimension's own resources, and twelve of them among
        ten of its own buried these (issue 25)."""
        total = len(taxonomy.dimensions)
        need = total - 1 if total >= GENERAL_FROM else total
        return len(self.all_dimensions(taxonomy)) >= need

    def document_languages(self) -> list[str]:
        """The languages the resource is available in: each link's, or the languages of the
        versions a page or place leads to (`offers`), not only that of the page itself."""
        seen: list[str] = []
        for link in self.links:
            for lang in link.versions:
                if lang not in seen:
                    seen.append(lang)
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


def resource_digest(resource: Resource) -> str:
    """A short digest of what a resource says (its repr leaves out where it is in the file)."""
    return hashlib.blake2b(repr(resource).encode(), digest_size=12).hexdigest()


def closest_ids(catalogue: Catalogue, resource: Resource, count: int) -> list[str]:
    """The ids of `Catalogue.related`: the resources of the pools of its standards (each counts
    twice) and topics that share the most of them, then the newest. The answer depends on the
    resource's standards and topics and on those pools alone (in their order)."""
    pools = catalogue.related_pools
    ids: list[str] = []
    for code in resource.standards:
        ids += pools.get(("standard", code), []) * 2  # a shared standard counts twice
    for topic in resource.topics:
        ids += pools.get(("topic", topic), [])
    scores = Counter(ids)
    scores.pop(resource.id, None)
    rank = catalogue.newest_rank
    return heapq.nsmallest(count, scores, key=lambda rid: (-scores[rid], rank[rid]))


Closest = Callable[["Catalogue", Resource, int], list[str]]  # closest_ids, or a cached version of it


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
    # How the per-resource answers below are worked out: these functions, or cached versions of
    # them that `make serve` passes (spmlib.serve.reload); the answers are the same.
    digest: Callable[[Resource], str] = field(default=resource_digest, repr=False, compare=False)
    closest: Closest = field(default=closest_ids, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._related: dict[tuple[str, int], list[Resource]] = {}  # see related()
        self.by_id = {r.id: r for r in self.resources}
        self.by_standard: dict[str, list[Resource]] = defaultdict(list)
        self.by_dimension: dict[int, list[Resource]] = defaultdict(list)
        self.dimension_wide: dict[int, list[Resource]] = defaultdict(list)
        self.by_type: dict[str, list[Resource]] = defaultdict(list)
        self.by_topic: dict[str, list[Resource]] = defaultdict(list)
        self.general: frozenset[str] = frozenset(r.id for r in self.resources if r.is_general(self.taxonomy))
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
        return {r.id: self.digest(r) for r in self.resources}

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
            self._related[key] = [self.by_id[rid] for rid in self.closest(self, resource, count)]
        return self._related[key]

    @cached_property
    def related_pools(self) -> dict[tuple[str, str], list[str]]:
        """The ids of the newest RELATED_POOL resources of each standard and topic."""
        rank = self.newest_rank
        pools = {}
        for facet, groups in (("standard", self.by_standard), ("topic", self.by_topic)):
            for code, members in groups.items():
                newest = sorted(members, key=lambda r: rank[r.id])[:RELATED_POOL]
                pools[(facet, code)] = [r.id for r in newest]
        return pools

    @property
    def featured(self) -> list[Resource]:
        return [r for r in self.resources if r.featured]

    def topics(self) -> list[str]:
        return sorted(self.by_topic)


@dataclass(frozen=True)
class CatalogueSteps:
    """How reading a catalogue reads its file and works out its per-entry answers: these
    functions, or cached versions of them that `make serve` passes (spmlib.serve.reload, whose
    `read` composes only the entries an edit changed). Either way the same answers."""

    read: Callable[[str | Path, str], tuple[Located | None, list[Problem]]] = load_yaml
    check: EntryCheck = field(default_factory=lambda: check_entry)
    digest: Callable[[Resource], str] = resource_digest
    closest: Closest = closest_ids


def load_catalogue(
    path: str | Path,
    taxonomy: Taxonomy,
    docs_dir: str | Path | None = None,
    display_name: str | None = None,
    text: str | None = None,
    steps: CatalogueSteps | None = None,
) -> Catalogue:
    """Read, validate and model the catalogue; raises CatalogueError with every error found.

    `text` checks an edited version of the file before it is written (translation imports).
    `steps` are the pure functions unless `make serve` passes cached ones (CatalogueSteps).
    """
    steps = steps or CatalogueSteps()
    name = display_name or Path(path).name
    located, problems = steps.read(path, name) if text is None else load_yaml_text(text, name)
    if located is None:
        raise CatalogueError(problems)
    resources, more = parse_catalogue(located, name, taxonomy, docs_dir, steps.check)
    problems.extend(more)
    problems.extend(taxonomy.warnings)
    if docs_dir is not None:
        problems.extend(docs_problems(docs_dir))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogueError(errors)
    warnings = [p for p in problems if p.severity == "warning"]
    return Catalogue(resources, taxonomy, warnings, name, located, digest=steps.digest, closest=steps.closest)


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


def _invisible_warnings(entry: dict, name: str, located: Located, base: tuple, label: str) -> list[Problem]:
    """Bidi overrides and zero-width characters in reader-facing text (the fields declared free
    text): the page would read differently from the file, or two titles that look the same would differ."""
    found = []
    for rel, text in free_texts(entry):
        char = first_invisible(text)
        if char:
            found.append(
                Problem(
                    name,
                    located.line(base + rel),
                    f"invisible character {describe(char)} in the text",
                    resource_id=label,
                    field=field_label(rel),
                    severity="warning",
                    hint="delete it unless you know why it is there; it changes how the text reads or compares",
                )
            )
    return found


@dataclass(frozen=True)
class Entries:
    """What checking one entry needs besides the entry: where it was read and what it is checked against."""

    located: Located
    name: str
    taxonomy: Taxonomy
    docs_dir: str | Path | None
    schema: Any


@dataclass(frozen=True)
class CheckedEntry:
    """One entry checked on its own: its resource when it has no problem (a duplicate id, which
    needs the other entries, is found by parse_catalogue), its problems and its warnings."""

    resource: Resource | None
    schema_problems: list[Problem]  # reported before a duplicate id, as they always were
    problems: list[Problem]  # its local documents and topics
    warnings: list[Problem]


EntryCheck = Callable[[Entries, object, int], CheckedEntry]  # check_entry, or a cached version of it


def parse_catalogue(
    located: Located, name: str, taxonomy: Taxonomy, docs_dir: str | Path | None, check: EntryCheck | None = None
) -> tuple[list[Resource], list[Problem]]:
    """The resources of the file's valid entries, and every problem: each entry is checked on
    its own (`check`, check_entry unless `make serve` passes a cached one), then ids across them."""
    check = check or check_entry
    data = located.data
    if not isinstance(data, dict) or "resources" not in data:
        return [], [Problem(name, located.line(()) or 1, "the file must start with 'resources:' followed by a list of entries")]
    problems = [
        Problem(name, located.line((key,)), f"unknown top-level key {key!r}; only 'resources' is allowed")
        for key in data
        if key != "resources"
    ]
    entries = data["resources"]
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        return [], problems + [
            Problem(name, located.line(("resources",)), "'resources' must be a list of entries, each starting with '- id:'")
        ]
    context = Entries(located, name, taxonomy, docs_dir, catalogue_schema(taxonomy))
    resources: list[Resource] = []
    first_line: dict[str, int | None] = {}
    for index, entry in enumerate(entries):
        checked = check(context, entry, index)
        rid = entry.get("id") if isinstance(entry, dict) else None
        duplicate = []
        if isinstance(rid, str):
            line = located.line(("resources", index, "id"))
            if rid in first_line:
                duplicate.append(
                    Problem(
                        name,
                        line,
                        f"duplicate id {rid!r}, already used by the entry on line {first_line[rid]}",
                        resource_id=rid,
                        field="id",
                        hint="ids are permanent URLs and must be unique",
                    )
                )
            else:
                first_line[rid] = line
        problems += checked.schema_problems + duplicate + checked.problems + checked.warnings
        if checked.resource is not None and not duplicate:
            resources.append(checked.resource)
    return resources, problems


def check_entry(context: Entries, entry: object, index: int) -> CheckedEntry:
    """One entry checked against the schema, docs/ and the topics, and made a Resource if it passes."""
    located, name, base = context.located, context.name, ("resources", index)
    rid = entry.get("id") if isinstance(entry, dict) else None
    label = rid if isinstance(rid, str) and rid else f"#{index + 1}"
    schema_problems = [
        Problem(name, located.line(base + rel), message, resource_id=label, field=field_label(rel))
        for rel, message, _value in context.schema.check(entry, ())
    ]
    stored: dict[str, str] = {}  # local links written in another Unicode normal form than the file's name
    problems = _document_problems(context, entry, base, label, stored) + _topic_problems(context, entry, base, label)
    warnings = _invisible_warnings(entry, name, located, base, label) if isinstance(entry, dict) else []
    if schema_problems or problems:
        return CheckedEntry(None, schema_problems, problems, warnings)
    assert isinstance(entry, dict)
    resource = _make_resource(entry, located.line(base), index)
    if stored:
        # link to the file as MkDocs publishes it (under its own name), or the link is broken
        resource = replace(resource, links=tuple(replace(link, url=stored.get(link.url, link.url)) for link in resource.links))
    return CheckedEntry(resource, [], [], warnings)


def _document_problems(context: Entries, entry: object, base: tuple, label: str, stored: dict[str, str]) -> list[Problem]:
    """Local documents that docs/ does not hold as linked; fills `stored` with those it holds
    under another Unicode spelling of their name."""
    links = entry.get("links") if isinstance(entry, dict) else None
    docs_dir = context.docs_dir
    if docs_dir is None or not isinstance(links, list):
        return []
    found = []
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
            found.append(
                Problem(
                    context.name,
                    context.located.line(base + ("links", i, "url")),
                    refused[0],
                    resource_id=label,
                    field=f"links[{i}].url",
                    hint=refused[1],
                )
            )
    return found


def _topic_problems(context: Entries, entry: object, base: tuple, label: str) -> list[Problem]:
    topics = entry.get("topics") if isinstance(entry, dict) else None
    return [
        Problem(
            context.name,
            context.located.line(base + ("topics", i)),
            f"topic {topic!r} has no names in taxonomy/topics.yaml",
            resource_id=label,
            field=f"topics[{i}]",
            hint="use an existing topic, or add its name in every site language to taxonomy/topics.yaml",
        )
        for i, topic in enumerate(topics if isinstance(topics, list) else [])
        if isinstance(topic, str) and topic not in context.taxonomy.topics and not first_control(topic)
    ]


def _make_resource(entry: dict, line: int | None, index: int | None = None) -> Resource:
    """A valid entry as the model keeps it (spmlib/model/fields.py: each field's `holds`)."""
    return Resource(**model_values(entry), line=line, index=index)
