"""The Universal Standards taxonomy and the interface labels, read from `taxonomy/*.yaml`.

Translators edit those files, so they are validated like the catalogue: a missing
translation or a malformed code is reported with its file and line instead of surfacing
as a broken page.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spmlib.model.fields import shown_labels
from spmlib.model.names import language_codes, plural_category
from spmlib.model.problems import CatalogueError, Problem, kind_of
from spmlib.model.textcheck import describe, first_control, first_invisible
from spmlib.model.words import Synonyms, read_synonyms
from spmlib.model.yamlsrc import Located, load_yaml

# Always used with fullmatch: `$` would accept a final newline.
STANDARD_CODE = re.compile(r"[1-9][A-Z]")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED_SLUGS = ("index",)  # topics/index.md and types/index.md are the listing pages

# The placeholders the site fills in, per label. Any other `{name}` (a typo such as
# `{langue}`) would fail the build with a KeyError, so it is refused here with its line.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "dimension_n": frozenset({"n"}),
    "standard_code": frozenset({"code"}),
    "fallback_notice": frozenset({"language"}),
    "resources_count": frozenset({"n"}),
    "library_count": frozenset({"n"}),
    "show_results": frozenset({"n"}),
    "size_kb": frozenset({"n"}),
    "size_mb": frozenset({"n"}),
    "year_range_hint": frozenset({"first", "last"}),
    "page_n": frozenset({"n"}),
    "list_page_title": frozenset({"title", "n", "last"}),
    "list_range": frozenset({"first", "last", "total"}),
    "find_on": frozenset({"host"}),
    "look_for": frozenset({"title"}),
    "coverage_percent": frozenset({"n"}),
    "coverage_of": frozenset({"done", "total"}),
    "coverage_progress_note": frozenset({"language"}),
    "coverage_broken": frozenset({"date"}),
    "coverage_more": frozenset({"n"}),
    "library_what": frozenset({"languages"}),
    "library_kept_by": frozenset({"keeper"}),
    "search_explore": frozenset({"query"}),
    "search_best_of": frozenset({"shown", "total"}),
    "dimension_short": frozenset({"n"}),
    "dimensions_range": frozenset({"first", "last"}),
    "standards_range": frozenset({"first", "last"}),
    "remove_filter": frozenset({"filter"}),
    "chip_keywords": frozenset({"words"}),
    "chip_years": frozenset({"from", "to"}),
    "chip_from": frozenset({"year"}),
    "chip_to": frozenset({"year"}),
    "nojs_filtered": frozenset({"page"}),
    "only_in_language": frozenset({"language"}),
    "home_in_language": frozenset({"count", "language"}),
    "sort_language_first": frozenset({"language"}),
}
PLURAL_LABELS = frozenset({"resources_count", "library_count", "show_results"})
# Labels the templates and code use: a missing one would fail the build. The resource page's
# details name each field shown there by the label of the same name (spmlib/model/fields.py).
REQUIRED_LABELS = shown_labels() | frozenset(
    """home dimensions dimension_n standards standard_code browse types topics all_resources resources_count
    library_count featured newest explore_dimensions type organization year countries languages downloads details
    what_it_asks standard_resources dimension_wide explore_list no_resources fallback_notice all_types all_topics
    all_resources_intro filters keywords keywords_hint document_language year_from year_to sort_by sort_newest
    sort_title clear_filters show_more no_match formats about_bundle bundle_intro bundle_date bundle_languages
    bundle_subset bundle_everything bundle_documents bundle_documents_none bundle_missing bundle_missing_hint
    bundle_not_document bundle_intro_zim zim_description find_on look_for place_page all_dimensions size_kb size_mb related
    about_resource opens_web_page propose empty_standard empty_standard_propose dimension_standards
    dimension_resources find_resource find_placeholder find_button show_results include_undated year_range_hint
    sort_year close not_found_title not_found_text not_found_address footer_source download_results feed_link cite
    standards_name made_with permalink library_what library_kept_by list_pages_nav previous_page next_page page_n
    list_page_title list_range list_with_filters loading coverage
    coverage_intro coverage_about coverage_table coverage_table_note coverage_standard coverage_any_language
    coverage_legend coverage_four_more coverage_scroll coverage_gaps coverage_gap_any coverage_missing_in coverage_propose_one
    coverage_no_gap coverage_progress coverage_language coverage_titles coverage_summaries coverage_taxonomy
    coverage_interface coverage_percent coverage_of coverage_progress_note coverage_entries coverage_places
    coverage_undated coverage_broken coverage_more search_explore search_propose search_best_of offline_title offline_intro
    offline_files offline_zip offline_zim offline_too_large offline_not_made offline_checksums offline_usb_title
    offline_usb_1 offline_usb_2 offline_usb_3 offline_kiwix_title offline_kiwix_1 offline_kiwix_2 offline_kiwix_3
    offline_make_title offline_make_text offline_make_commands
    search_some_words sort_relevance
    dimension_short dimensions_range standards_range general_resources general_intro
    explorer_filtered_title active_filters remove_filter chip_keywords chip_years chip_from chip_to chip_clear_all nojs_search
    nojs_filtered nojs_browse nojs_by_standard nojs_by_type nojs_by_topic
    regions link_facet link_facet_document link_facet_page link_facet_place date_facet date_facet_undated only_in_language
    home_in_language check_facet check_facet_broken coverage_list_below
    sort_language_first""".split()
)
# Formats the catalogue's links can have without saying (guessed from the address).
REQUIRED_FORMATS = frozenset({"pdf", "doc", "xls", "ppt", "video", "zip", "web"})


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
    warnings: list[Problem] = field(default_factory=list)
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
    """Read and check the taxonomy folder; raises CatalogueError listing every problem.

    The shape of every file is checked before any value is used, so a list where a mapping
    belongs, a number where a list belongs or a misspelt placeholder is a file:line error,
    never a traceback in `make check` or a KeyError in the middle of a build.
    """
    return _Loader(Path(directory)).load()


class _Loader:
    def __init__(self, directory: Path):
        self.directory = directory
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.languages: list[str] = []

    def read(self, name: str, written: bool = False) -> tuple[Located | None, str]:
        shown = f"taxonomy/{name}"
        located, found = load_yaml(self.directory / name, shown, written=written)
        self.problems.extend(found)
        return located, shown

    def error(self, file: str, line: int | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(file, line, message, hint=hint))

    def top(self, doc: Located | None, name: str, key: str, kind: type, example: str) -> Any:
        """The value of top-level `key`, or None (with an error) if it is missing or of the wrong kind."""
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.error(name, doc.line(()) or 1, f"the file must be a mapping starting with '{key}:'")
            return None
        value = doc.data.get(key)
        if not isinstance(value, kind):
            what = "a list (one '- ' item per line)" if kind is list else "a mapping (name: value)"
            self.error(name, doc.line((key,)) or 1, f"'{key}' must be {what}, not {_kind(value)}", hint=f"like {example}")
            return None
        return value

    def load(self) -> Taxonomy:
        site, site_name = self.read("site.yaml")
        languages = self.top(site, site_name, "languages", list, "languages: [en, fr, es, pt]") or []
        for i, code in enumerate(languages):
            if not isinstance(code, str) or code not in language_codes():
                self.error(site_name, site.line(("languages", i)), f"{code!r} is not a two-letter ISO 639-1 language code")
        languages = [code for code in languages if isinstance(code, str) and code in language_codes()]
        if len(set(languages)) != len(languages):
            self.error(site_name, site.line(("languages",)), "a language is listed twice")
        if not languages:
            self.error(site_name, 1, "'languages' must list the site languages, default first")
            raise CatalogueError(self.problems)
        self.languages = languages
        fallback = languages
        if isinstance(site.data, dict) and "fallback_order" in site.data:
            fallback = self.top(site, site_name, "fallback_order", list, "fallback_order: [en, fr]") or []
            for i, code in enumerate(fallback):
                if code not in languages:
                    self.error(site_name, site.line(("fallback_order", i)), f"fallback language {code!r} is not a site language")
            fallback = [code for code in fallback if code in languages]

        dimensions = self.dimensions()
        types = self.types()
        topics = self.topics()
        ui = self.ui()
        synonyms = Synonyms()
        if (self.directory / "synonyms.yaml").exists():  # optional: a library may have no synonyms
            synonyms_doc, synonyms_name = self.read("synonyms.yaml", written=True)
            synonyms = read_synonyms(synonyms_doc, synonyms_name, languages, self.problems)
        if self.problems:
            raise CatalogueError(self.problems)
        return Taxonomy(languages, fallback, dimensions, types, topics, ui, warnings=self.warnings, synonyms=synonyms)

    def dimensions(self) -> list[Dimension]:
        doc, name = self.read("dimensions.yaml")
        raw_dims = self.top(doc, name, "dimensions", list, "dimensions: [- number: 1 ...]") or []
        dimensions: list[Dimension] = []
        seen_numbers: set[int] = set()
        seen_codes: set[str] = set()
        for i, raw in enumerate(raw_dims):
            path = ("dimensions", i)
            number = raw.get("number") if isinstance(raw, dict) else None
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 9:
                self.error(name, doc.line(path), "each dimension needs a 'number' from 1 to 9")
                continue
            if number in seen_numbers:
                self.error(name, doc.line(path + ("number",)), f"dimension {number} is listed twice")
                continue
            seen_numbers.add(number)
            raw_standards = raw.get("standards")
            if raw_standards is None:
                raw_standards = []
            if not isinstance(raw_standards, list):
                self.error(name, doc.line(path + ("standards",)), f"'standards' must be a list, not {_kind(raw_standards)}")
                raw_standards = []
            standards = []
            for j, rs in enumerate(raw_standards):
                spath = path + ("standards", j)
                code = rs.get("code") if isinstance(rs, dict) else None
                if not isinstance(code, str) or not STANDARD_CODE.fullmatch(code) or not code.startswith(str(number)):
                    self.error(
                        name,
                        doc.line(spath),
                        f"standard code {code!r} must be the dimension number followed by a capital letter, like '{number}A'",
                    )
                    continue
                if code in seen_codes:
                    self.error(name, doc.line(spath), f"standard {code} is listed twice")
                    continue
                seen_codes.add(code)
                standards.append(
                    Standard(
                        code=code,
                        dimension=number,
                        name=self.texts(rs, "name", doc, name, spath),
                        statement=self.texts(rs, "statement", doc, name, spath),
                        description=self.texts(rs, "description", doc, name, spath),
                    )
                )
            dimensions.append(
                Dimension(
                    number=number,
                    name=self.texts(raw, "name", doc, name, path),
                    description=self.texts(raw, "description", doc, name, path),
                    standards=tuple(standards),
                )
            )
        return dimensions

    def types(self) -> list[ResourceType]:
        doc, name = self.read("types.yaml")
        types: list[ResourceType] = []
        for i, raw in enumerate(self.top(doc, name, "types", list, "types: [- code: guide ...]") or []):
            path = ("types", i)
            code = raw.get("code") if isinstance(raw, dict) else None
            if not isinstance(code, str) or not SLUG.fullmatch(code):
                self.error(name, doc.line(path), f"type code {code!r} must be a slug like 'case-study'")
                continue
            if code in RESERVED_SLUGS:
                self.error(name, doc.line(path + ("code",)), f"type code {code!r} is reserved for the page listing the types")
                continue
            if any(t.code == code for t in types):
                self.error(name, doc.line(path + ("code",)), f"type {code!r} is listed twice")
                continue
            types.append(
                ResourceType(
                    code=code,
                    name=self.texts(raw, "name", doc, name, path),
                    plural=self.texts(raw, "plural", doc, name, path),
                    description=self.texts(raw, "description", doc, name, path),
                )
            )
        return types

    def topics(self) -> dict[str, dict[str, str]]:
        doc, name = self.read("topics.yaml")
        topics: dict[str, dict[str, str]] = {}
        for slug, raw in (self.top(doc, name, "topics", dict, "topics: {green-finance: {en: ..., fr: ...}}") or {}).items():
            path = ("topics", slug)
            if not isinstance(slug, str) or not SLUG.fullmatch(slug):
                self.error(name, doc.line(path), f"topic {slug!r} must be a slug like 'green-finance'")
                continue
            if slug in RESERVED_SLUGS:
                self.error(name, doc.line(path), f"topic {slug!r} is reserved for the page listing the topics")
                continue
            topics[slug] = self.texts({"name": raw}, "name", doc, name, path, own_path=True)
        return topics

    def ui(self) -> dict:
        doc, name = self.read("ui.yaml")
        ui: dict = {}
        if doc is None:
            return ui
        if not isinstance(doc.data, dict):
            self.error(name, doc.line(()) or 1, "the file must be a mapping of label names to texts")
            return ui
        for key, raw in doc.data.items():
            path = (key,)
            if key == "formats":
                if not isinstance(raw, dict):
                    self.error(name, doc.line(path), f"'formats' must be a mapping of format codes to names, not {_kind(raw)}")
                    continue
                ui[key] = {}
                for code, names in raw.items():
                    if not isinstance(code, str) or not SLUG.fullmatch(code):
                        self.error(name, doc.line(path + (code,)), f"format code {code!r} must be a slug like 'pdf'")
                        continue
                    ui[key][code] = self.texts({"name": names}, "name", doc, name, path + (code,), own_path=True)
                for code in sorted(REQUIRED_FORMATS - set(ui[key])):
                    self.error(name, doc.line(path), f"format {code!r} needs its names: links are given it from their address")
            elif key in PLURAL_LABELS:
                ui[key] = self.plural_forms(raw, key, doc, name)
            else:
                ui[key] = self.texts({"name": raw}, "name", doc, name, path, own_path=True, placeholders=PLACEHOLDERS.get(key))
        for key in sorted(REQUIRED_LABELS - set(ui)):
            self.error(name, None, f"the label {key!r} is missing; the site uses it", hint="copy it from the git history")
        return ui

    def plural_forms(self, raw: Any, key: str, doc: Located, name: str) -> dict:
        result = {}
        for lang in self.languages:
            forms = raw.get(lang) if isinstance(raw, dict) else None
            where = (key, lang) if isinstance(raw, dict) and lang in raw else (key,)
            if not isinstance(forms, dict) or "other" not in forms:
                self.error(name, doc.line(where), f"label {key!r} needs 'one' and 'other' forms in {lang!r}")
                result[lang] = {"other": key}
                continue
            checked = {}
            for form, text in forms.items():
                if form not in ("zero", "one", "two", "few", "many", "other"):
                    self.error(name, doc.line(where + (form,)), f"{form!r} is not a plural form; use 'one' and 'other'")
                    continue
                checked[form] = self.text(text, doc, name, where + (form,), PLACEHOLDERS.get(key))
            result[lang] = checked
        return result

    def texts(
        self,
        raw: Any,
        key: str,
        doc: Located,
        name: str,
        path: tuple,
        own_path: bool = False,
        placeholders: frozenset[str] | None = None,
    ) -> dict[str, str]:
        """A {lang: text} mapping that must have every site language, and no other key."""
        where = path if own_path else path + (key,)
        value = raw.get(key) if isinstance(raw, dict) else None
        if not isinstance(value, dict):
            self.error(
                name, doc.line(where), f"'{'/'.join(map(str, where))}' must give a text for each of {', '.join(self.languages)}"
            )
            return {lang: "" for lang in self.languages}
        for lang in value:
            if lang not in self.languages:
                self.error(
                    name,
                    doc.line(where + (lang,)),
                    f"{lang!r} is not a site language; allowed: {', '.join(self.languages)}",
                )
        result = {}
        for lang in self.languages:
            if lang not in value or value[lang] is None or (isinstance(value[lang], str) and not value[lang].strip()):
                self.error(
                    name,
                    doc.line(where),
                    f"missing {lang!r} text for '{'/'.join(map(str, where))}'",
                    hint="every taxonomy text needs all site languages",
                )
                result[lang] = ""
                continue
            result[lang] = self.text(value[lang], doc, name, where + (lang,), placeholders)
        return result

    def text(self, text: Any, doc: Located, name: str, where: tuple, placeholders: frozenset[str] | None) -> str:
        line = doc.line(where)
        if not isinstance(text, str):
            self.error(name, line, f"'{'/'.join(map(str, where))}' must be text, not {_kind(text)}", hint="put it in quotes")
            return ""
        char = first_control(text)
        if char:
            self.error(name, line, f"control character {describe(char)} in '{'/'.join(map(str, where))}'", hint="delete it")
            return ""
        char = first_invisible(text)
        if char:
            self.warnings.append(
                Problem(
                    name,
                    line,
                    f"invisible character {describe(char)} in '{'/'.join(map(str, where))}'",
                    severity="warning",
                    hint="delete it unless you know why it is there",
                )
            )
        wrong = _placeholder_problem(text, placeholders or frozenset())
        if wrong:
            self.error(name, line, f"'{'/'.join(map(str, where))}': {wrong}")
            return ""
        return text.strip()


def _placeholder_problem(text: str, allowed: frozenset[str]) -> str | None:
    """Why `text` cannot be filled in with `allowed` placeholders, or None."""
    try:
        fields = [(field_name, conversion, spec) for _, field_name, spec, conversion in string.Formatter().parse(text)]
    except ValueError as exc:
        return f"braces do not match ({exc}); write a literal brace as {{{{ or }}}}"
    for field_name, conversion, spec in fields:
        if field_name is None:
            continue
        if field_name not in allowed or conversion or spec:
            shown = ", ".join("{" + p + "}" for p in sorted(allowed)) or "none"
            return f"unknown placeholder {{{field_name}}}; this label may use: {shown}"
    return None


_kind = kind_of
