"""The Universal Standards taxonomy and the interface labels, read from `taxonomy/*.yaml`.

Translators edit those files, so they are validated like the catalogue: a missing
translation or a malformed code is reported with its file and line instead of surfacing
as a broken page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .names import plural_category
from .problems import CatalogueError, Problem
from .searchtext import Synonyms, read_synonyms
from .yamlsrc import Located, load_yaml

STANDARD_CODE = re.compile(r"^[1-9][A-Z]$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Standard:
    code: str
    dimension: int
    name: dict[str, str]
    statement: dict[str, str]
    description: dict[str, str]

    @property
    def slug(self) -> str:
        return self.code.lower()


@dataclass(frozen=True)
class Dimension:
    number: int
    name: dict[str, str]
    description: dict[str, str]
    standards: tuple[Standard, ...]


@dataclass(frozen=True)
class ResourceType:
    code: str
    name: dict[str, str]
    plural: dict[str, str]
    description: dict[str, str]


@dataclass
class Taxonomy:
    """Everything about the site that is text for translators rather than catalogue data."""

    languages: list[str]
    fallback_order: list[str]
    dimensions: list[Dimension]
    types: list[ResourceType]
    topics: dict[str, dict[str, str]]
    ui: dict
    synonyms: Synonyms = field(default_factory=Synonyms)
    standards: dict[str, Standard] = field(init=False)

    def __post_init__(self) -> None:
        self.standards = {s.code: s for d in self.dimensions for s in d.standards}

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def standard_codes(self) -> list[str]:
        return list(self.standards)

    @property
    def dimension_numbers(self) -> list[int]:
        return [d.number for d in self.dimensions]

    @property
    def type_codes(self) -> list[str]:
        return [t.code for t in self.types]

    @property
    def format_codes(self) -> list[str]:
        return list(self.ui["formats"])

    def dimension(self, number: int) -> Dimension:
        return next(d for d in self.dimensions if d.number == number)

    def type(self, code: str) -> ResourceType:
        return next(t for t in self.types if t.code == code)

    def topic_name(self, slug: str, lang: str) -> str:
        names = self.topics.get(slug)
        if names:
            return names[lang]
        return slug.replace("-", " ").capitalize()

    def label(self, key: str, lang: str, **values: object) -> str:
        """An interface label in `lang`, with its `{placeholders}` filled in."""
        text = self.ui[key][lang]
        return text.format(**values) if values else text

    def plural(self, key: str, lang: str, n: int) -> str:
        forms = self.ui[key][lang]
        return forms.get(plural_category(n, lang), forms["other"]).format(n=n)


def load_taxonomy(directory: str | Path) -> Taxonomy:
    """Read and check the taxonomy folder; raises CatalogueError listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []

    def read(name: str) -> tuple[Located | None, str]:
        path = directory / name
        shown = f"taxonomy/{name}"
        located, found = load_yaml(path, shown)
        problems.extend(found)
        return located, shown

    site, site_name = read("site.yaml")
    languages: list[str] = []
    fallback: list[str] = []
    if site is not None and isinstance(site.data, dict):
        languages = [str(x) for x in site.data.get("languages") or []]
        fallback = [str(x) for x in site.data.get("fallback_order") or languages]
    if not languages:
        problems.append(Problem(site_name, 1, "'languages' must list the site languages, default first"))
        raise CatalogueError(problems)
    for code in fallback:
        if code not in languages:
            problems.append(
                Problem(site_name, site.line(("fallback_order",)), f"fallback language {code!r} is not a site language")
            )

    checker = _TextChecker(languages, problems)

    dims, dims_name = read("dimensions.yaml")
    dimensions: list[Dimension] = []
    seen_codes: set[str] = set()
    if dims is not None:
        raw_dims = dims.data.get("dimensions") if isinstance(dims.data, dict) else None
        if not isinstance(raw_dims, list):
            problems.append(Problem(dims_name, 1, "expected a top-level 'dimensions:' list"))
            raw_dims = []
        for i, raw in enumerate(raw_dims):
            path = ("dimensions", i)
            if not isinstance(raw, dict) or not isinstance(raw.get("number"), int):
                problems.append(Problem(dims_name, dims.line(path), "each dimension needs an integer 'number'"))
                continue
            number = raw["number"]
            standards = []
            for j, rs in enumerate(raw.get("standards") or []):
                spath = path + ("standards", j)
                code = rs.get("code") if isinstance(rs, dict) else None
                code = str(code) if code is not None else ""
                if not STANDARD_CODE.match(code) or not code.startswith(str(number)):
                    problems.append(
                        Problem(
                            dims_name,
                            dims.line(spath),
                            f"standard code {code!r} must be the dimension number followed by a capital letter, like '{number}A'",
                        )
                    )
                    continue
                if code in seen_codes:
                    problems.append(Problem(dims_name, dims.line(spath), f"standard {code} is listed twice"))
                    continue
                seen_codes.add(code)
                standards.append(
                    Standard(
                        code=code,
                        dimension=number,
                        name=checker.texts(rs, "name", dims, dims_name, spath),
                        statement=checker.texts(rs, "statement", dims, dims_name, spath),
                        description=checker.texts(rs, "description", dims, dims_name, spath),
                    )
                )
            dimensions.append(
                Dimension(
                    number=number,
                    name=checker.texts(raw, "name", dims, dims_name, path),
                    description=checker.texts(raw, "description", dims, dims_name, path),
                    standards=tuple(standards),
                )
            )

    types_doc, types_name = read("types.yaml")
    types: list[ResourceType] = []
    if types_doc is not None:
        raw_types = types_doc.data.get("types") if isinstance(types_doc.data, dict) else None
        for i, raw in enumerate(raw_types or []):
            path = ("types", i)
            code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
            if not SLUG.match(code):
                problems.append(Problem(types_name, types_doc.line(path), f"type code {code!r} must be a slug like 'case-study'"))
                continue
            types.append(
                ResourceType(
                    code=code,
                    name=checker.texts(raw, "name", types_doc, types_name, path),
                    plural=checker.texts(raw, "plural", types_doc, types_name, path),
                    description=checker.texts(raw, "description", types_doc, types_name, path),
                )
            )

    topics_doc, topics_name = read("topics.yaml")
    topics: dict[str, dict[str, str]] = {}
    if topics_doc is not None:
        raw_topics = topics_doc.data.get("topics") if isinstance(topics_doc.data, dict) else None
        for slug, raw in (raw_topics or {}).items():
            if not SLUG.match(str(slug)):
                problems.append(
                    Problem(topics_name, topics_doc.line(("topics", slug)), f"topic {slug!r} must be a slug like 'green-finance'")
                )
                continue
            topics[str(slug)] = checker.texts({"name": raw}, "name", topics_doc, topics_name, ("topics", slug), own_path=True)

    ui_doc, ui_name = read("ui.yaml")
    ui: dict = {}
    if ui_doc is not None and isinstance(ui_doc.data, dict):
        for key, raw in ui_doc.data.items():
            path = (key,)
            if key == "formats":
                ui[key] = {
                    code: checker.texts({"name": names}, "name", ui_doc, ui_name, (key, code), own_path=True)
                    for code, names in (raw or {}).items()
                }
            elif isinstance(raw, dict) and all(isinstance(v, dict) for v in raw.values()):
                ui[key] = {}
                for lang in languages:
                    forms = raw.get(lang)
                    if not isinstance(forms, dict) or "other" not in forms:
                        problems.append(
                            Problem(ui_name, ui_doc.line(path), f"label {key!r} needs 'one' and 'other' forms in {lang!r}")
                        )
                        forms = {"other": key}
                    ui[key][lang] = forms
            else:
                ui[key] = checker.texts({"name": raw}, "name", ui_doc, ui_name, path, own_path=True)

    synonyms = Synonyms()
    if (directory / "synonyms.yaml").exists():  # optional: a library may have no synonyms
        synonyms_doc, synonyms_name = read("synonyms.yaml")
        synonyms = read_synonyms(synonyms_doc, synonyms_name, languages, problems)

    if [p for p in problems if p.severity == "error"]:
        raise CatalogueError(problems)
    return Taxonomy(languages, fallback, dimensions, types, topics, ui, synonyms)


@dataclass
class _TextChecker:
    languages: list[str]
    problems: list[Problem]

    def texts(self, raw: dict, key: str, doc: Located, name: str, path: tuple, own_path: bool = False) -> dict[str, str]:
        """A {lang: text} mapping that must have every site language."""
        where = path if own_path else path + (key,)
        value = raw.get(key) if isinstance(raw, dict) else None
        if not isinstance(value, dict):
            self.problems.append(
                Problem(name, doc.line(where), f"'{key}' must give a text for each of {', '.join(self.languages)}")
            )
            return {lang: "" for lang in self.languages}
        result = {}
        for lang in self.languages:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.problems.append(
                    Problem(
                        name,
                        doc.line(where),
                        f"missing {lang!r} text for '{'/'.join(map(str, where))}'",
                        hint="every taxonomy text needs all site languages",
                    )
                )
                text = ""
            result[lang] = text.strip()
        return result
