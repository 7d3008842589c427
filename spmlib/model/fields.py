"""The fields of a resource, declared once: the rest of the library follows from this table.

Each `Declared` field says how `resources.yaml` checks it (its rule, spmlib/model/rules.py),
how the model keeps it (`holds`: the attribute of `Resource` and its default), whether it is
reader-facing free text (checked for invisible characters when loaded and for mis-encoding by
`make check`), whether search finds a resource by it, whether the resource page shows it (under
the label of the same name in taxonomy/ui.yaml, which the taxonomy then requires), and whether
the open data publishes it. The validator and the editors' JSON Schema
(spmlib/model/schema.py), the `Resource` class and its loading (spmlib/model/catalogue.py), the
free-text checks (catalogue.py, spmlib/outputs/advice.py) and the open data's columns and schema
(spmlib/site/opendata.py) are all made from `FIELDS`, so adding a field is one declaration here,
one line of overrides/spm/resource.html and its labels (README.md, "Adding a field").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Protocol
from urllib.parse import quote

from spmlib.model.acknowledged import CODES as ACKNOWLEDGEABLE
from spmlib.model.linkkinds import KINDS, infer_format, infer_kind, kind_json_schema, kind_problems
from spmlib.model.linkkinds import is_local as is_local_path
from spmlib.model.names import country_codes, language_codes
from spmlib.model.rules import (
    RESERVED_SLUGS,
    Boolean,
    Choice,
    Date,
    Field,
    Integer,
    LangMap,
    ListOf,
    Reasons,
    Record,
    Slug,
    Spec,
    Text,
    Url,
)


class Vocabulary(Protocol):
    """What the fields' rules read of the taxonomy: the codes a value may take.

    spmlib.model.taxonomy.Taxonomy has them. Declared here rather than imported because the
    taxonomy imports this module (every shown field needs its label in ui.yaml): the two would
    otherwise name each other."""

    languages: list[str]

    @property
    def default_language(self) -> str: ...

    @property
    def standard_codes(self) -> list[str]: ...

    @property
    def dimension_numbers(self) -> list[int]: ...

    @property
    def type_codes(self) -> list[str]: ...

    @property
    def format_codes(self) -> list[str]: ...


LIST_SEPARATOR = " "  # in a CSV cell: codes hold no spaces (standards, topics, countries...)
LINK_SEPARATOR = "\n"  # in a CSV cell: one version per line


@dataclass(frozen=True)
class Link:
    """One version of a resource. `kind` (spmlib/model/linkkinds.py) is what it opens: inferred
    from the address, the format and the label when not given, as catalogue entries leave it."""

    lang: str
    url: str
    format: str
    label: str | None = None
    kind: str = ""
    offers: tuple[str, ...] = ()  # languages of the versions a page or place leads to, if not only `lang`

    @property
    def versions(self) -> tuple[str, ...]:
        """The languages a reader gets the resource in through this link."""
        return self.offers or (self.lang,)

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", infer_kind(self.url, self.format, self.label))

    @property
    def is_local(self) -> bool:
        return is_local_path(self.url)

    def published_url(self) -> str:
        """The address as the open data gives it: a local document's path percent-encoded the
        way the pages link it (hooks/pages.py), so that `a#b.pdf` or `%41.pdf` opens that very file
        rather than `a` at anchor `b.pdf` or `A.pdf`; a web address as the catalogue has it."""
        return quote(self.url) if self.is_local else self.url


def published(text: str) -> str:
    """Reader-facing text as the site publishes it: trimmed, and composed (Unicode NFC).

    "Guía" typed with a combining accent (NFD, as macOS and some PDFs give it) looks the same
    as the precomposed one but compares, searches and sorts differently: every page, feed, search
    index and open-data file is made from the model, so composing here publishes one spelling
    everywhere, as most tools do on reading text. The file itself is left as typed.
    """
    return unicodedata.normalize("NFC", text.strip())


# How search finds a resource by a field (Declared.searchable).
BY_HAND = "by hand"  # spmlib/site/searchtext.py (resource_keys, the explorer's keys too) and explorer.py (keywords)
AS_WRITTEN = "as written"  # its text, each of its codes, as the entry writes it: added to both searches after the rest

EMPTY = object()  # what `Holds.json` gives for a value the open data leaves out


class Holds:
    """How the model keeps one field (an attribute of `Resource`) and how the open data writes it."""

    annotation: ClassVar[Any] = Any

    def default(self) -> Any:
        """The attribute's default, as `dataclasses.field` arguments, when the entry leaves it out."""
        return {"default": None}

    def model(self, raw: Any) -> Any:
        """The validated YAML value (None when absent) as the model keeps it."""
        return raw

    def json(self, value: Any) -> Any:
        """The value in data/resources.json, or EMPTY to leave the key out."""
        return EMPTY if value is None else value

    def cell(self, value: Any) -> str:
        return "" if value is None else str(value)

    def columns(self, name: str, languages: list[str]) -> list[str]:
        """Its columns in data/resources.csv."""
        return [name]

    def cells(self, name: str, value: Any, languages: list[str]) -> dict[str, str]:
        return {name: self.cell(value)}


class Code(Holds):
    """A required code or slug, as written (id, type)."""

    annotation = str


class KeyedTexts(Holds):
    """Reader-facing texts under short keys, each published (trimmed, NFC)."""

    annotation = dict[str, str]

    def default(self) -> Any:
        return {"default_factory": dict}

    def model(self, raw: Any) -> Any:
        return {key: published(text) for key, text in (raw or {}).items()}


class PerLanguage(KeyedTexts):
    """Texts by site language ({en: ..., fr: ...}): one CSV column per language."""

    def json(self, value: Any) -> Any:
        return dict(value) if value else EMPTY

    def columns(self, name: str, languages: list[str]) -> list[str]:
        return [f"{name}_{lang}" for lang in languages]

    def cells(self, name: str, value: Any, languages: list[str]) -> dict[str, str]:
        return {f"{name}_{lang}": value.get(lang, "") for lang in languages}


class Codes(Holds):
    """A list of codes, kept as a tuple; one CSV cell, the codes separated by spaces."""

    annotation = tuple

    def __init__(self, item: type = str) -> None:
        self.annotation = tuple[item, ...]

    def default(self) -> Any:
        return {"default": ()}

    def model(self, raw: Any) -> Any:
        return tuple(raw or ())

    def json(self, value: Any) -> Any:
        return list(value) if value else EMPTY

    def cell(self, value: Any) -> str:
        return LIST_SEPARATOR.join(str(code) for code in value)


class Phrase(Holds):
    """An optional line of reader-facing text, published trimmed and composed."""

    annotation = str | None

    def model(self, raw: Any) -> Any:
        return published(raw) if raw else None

    def json(self, value: Any) -> Any:
        return value or EMPTY


class Number(Holds):
    """An optional whole number."""

    annotation = int | None


class Flag(Holds):
    """Yes or no, no when absent; the CSV writes "yes" or nothing, the JSON only `true`."""

    annotation = bool

    def default(self) -> Any:
        return {"default": False}

    def model(self, raw: Any) -> Any:
        return bool(raw)

    def json(self, value: Any) -> Any:
        return True if value else EMPTY

    def cell(self, value: Any) -> str:
        return "yes" if value else ""


class Day(Holds):
    """An optional date, written YYYY-MM-DD in the file and in the open data."""

    annotation = dt.date | None

    def model(self, raw: Any) -> Any:
        return dt.date.fromisoformat(raw) if isinstance(raw, str) else raw

    def json(self, value: Any) -> Any:
        return EMPTY if value is None else value.isoformat()

    def cell(self, value: Any) -> str:
        return "" if value is None else value.isoformat()


class Acknowledgements(KeyedTexts):
    """Warnings the entry settles, each with its reason ({code: reason}); for maintainers only."""


class Versions(Holds):
    """The links, as `Link`s with their formats filled in; the CSV cell has one "lang url" per line."""

    annotation = tuple[Link, ...]

    def model(self, raw: Any) -> Any:
        return tuple(
            Link(
                lang=link["lang"],
                url=link["url"],
                format=link.get("format") or infer_format(link["url"]),
                label=unicodedata.normalize("NFC", link["label"]) if link.get("label") else link.get("label"),
                kind=link.get("kind") or "",
                offers=tuple(link.get("offers") or ()),
            )
            for link in raw
        )

    def json(self, value: Any) -> Any:
        return [
            {
                "lang": link.lang,
                "url": link.published_url(),
                "format": link.format,
                "kind": link.kind,
                **({"label": link.label} if link.label else {}),
                **({"offers": list(link.offers)} if link.offers else {}),
            }
            for link in value
        ]

    def cell(self, value: Any) -> str:
        return LINK_SEPARATOR.join(f"{link.lang} {link.published_url()}" for link in value)


@dataclass(frozen=True)
class Declared:
    """One field of an entry of `resources.yaml`, and everything the library does with it."""

    name: str
    rule: Callable[[Vocabulary], Spec]  # how resources.yaml is checked, with the taxonomy's codes
    holds: Holds | None  # the Resource attribute; None for the parts of a link, which `Link` holds
    required: bool = False
    free_text: bool = False  # reader-facing text: invisible characters, mis-encoding
    searchable: str | None = None  # BY_HAND or AS_WRITTEN: both search boxes find the resource by it
    shown: bool = False  # in the resource page's details, under the ui.yaml label of the same name
    exported: bool = True  # in data/resources.json and .csv
    parts: tuple[Declared, ...] = ()  # the fields of each item of a list of records (links)


def record_of(
    fields: tuple[Declared, ...],
    taxonomy: Vocabulary,
    description: str,
    any_of: list | None = None,
    together: Callable[[Any], list[tuple[str | tuple, str]]] | None = None,
    together_schema: list[dict] | None = None,
) -> Record:
    """The rule of a mapping with these fields; `together` checks how they agree (a link's kind
    and its address), `together_schema` says the same to editors."""
    return Record(
        description=description,
        any_of=list(any_of or []),
        fields=[Field(f.name, f.rule(taxonomy), f.required) for f in fields],
        together=together,
        together_schema=list(together_schema or []),
    )


LINK_FIELDS = (
    Declared(
        "lang",
        lambda _: Choice(
            lambda: sorted(language_codes()),
            "ISO 639-1 language code",
            examples="two-letter ISO 639-1 codes such as en, fr, es, pt, ru, ar",
            description="Language of this version (ISO 639-1: en, fr, es, pt, ru, ar...).",
        ),
        None,
        required=True,
    ),
    Declared("url", lambda _: Url(description="An https:// address, or a path to a file under docs/."), None, required=True),
    Declared(
        "format",
        lambda tax: Choice(lambda: list(tax.format_codes), "format", description="Guessed from the file extension when absent."),
        None,
    ),
    Declared(
        "label",
        lambda _: Text(max_length=200, description="Optional name of this version, e.g. 'PowerPoint version'."),
        None,
        free_text=True,
    ),
    Declared(
        "kind",
        lambda _: Choice(
            lambda: list(KINDS),
            "link kind",
            description=(
                "What the link opens: document (a file), page (a page presenting this resource) or place (a "
                "publisher's home page or a listing, where readers look for it). Inferred when certain: a file "
                "under docs/ or an address or format naming a file is a document, a home page a place, a video "
                "site a page; otherwise, when absent, page if the link has a label, else place."
            ),
        ),
        None,
    ),
    Declared(
        "offers",
        lambda _: ListOf(
            Choice(
                lambda: sorted(language_codes()),
                "ISO 639-1 language code",
                examples="two-letter ISO 639-1 codes such as en, fr, es, pt",
            ),
            min_items=1,
            description=(
                "On a page or a place to look, the languages of the versions it leads to when they are not only the "
                "page's own: an English page with the English, Spanish and French downloads is lang en, offers [en, "
                "es, fr]; an English home page that lists the French guide is lang en, offers [fr]."
            ),
        ),
        None,
    ),
)

# At least one field of each group must be given.
ANY_OF = [("standards", "dimensions")]

FIELDS = (
    Declared(
        "id", lambda _: Slug(reserved=RESERVED_SLUGS, description="Permanent identifier and URL: resources/<id>/."), Code(), True
    ),
    Declared(
        "type",
        lambda tax: Choice(lambda: list(tax.type_codes), "resource type", description="Kind of resource."),
        Code(),
        True,
        searchable=BY_HAND,
    ),
    Declared(
        "title",
        lambda tax: LangMap(
            lambda: list(tax.languages),
            Text(max_length=300),
            min_items=1,
            description="Title in each site language it exists in.",
        ),
        PerLanguage(),
        True,
        free_text=True,
        searchable=BY_HAND,
    ),
    Declared(
        "summary",
        lambda tax: LangMap(
            lambda: list(tax.languages), Text(), description="Markdown summary per site language (raw HTML is shown as text)."
        ),
        PerLanguage(),
        free_text=True,
        searchable=BY_HAND,
    ),
    Declared(
        "standards",
        lambda tax: ListOf(
            Choice(lambda: list(tax.standard_codes), "standard code"), description="Universal Standards codes, like 4A."
        ),
        Codes(),
        searchable=BY_HAND,
        shown=True,
    ),
    Declared(
        "dimensions",
        lambda tax: ListOf(
            Choice(lambda: list(tax.dimension_numbers), "dimension number"),
            description="Dimensions (1-7) for resources about a whole dimension.",
        ),
        Codes(int),
        searchable=BY_HAND,
        shown=True,
    ),
    Declared(
        "topics",
        lambda _: ListOf(Slug(max_length=60, reserved=RESERVED_SLUGS), description="Topic slugs, like green-finance."),
        Codes(),
        searchable=BY_HAND,
        shown=True,
    ),
    Declared(
        "organization",
        lambda _: Text(max_length=200, description="Who published it."),
        Phrase(),
        free_text=True,
        searchable=BY_HAND,
        shown=True,
    ),
    Declared("year", lambda _: Integer(1900, 2100, description="Year of publication."), Number(), searchable=BY_HAND, shown=True),
    Declared(
        "countries",
        lambda _: ListOf(
            Choice(
                lambda: sorted(country_codes()),
                "ISO 3166-1 alpha-2 country code",
                examples="upper-case ISO 3166-1 alpha-2 codes such as MX, PH, BD, FR",
            ),
            description="Countries it is about (ISO 3166-1 alpha-2: MX, PH...).",
        ),
        Codes(),
        searchable=BY_HAND,
        shown=True,
    ),
    Declared("featured", lambda _: Boolean(description="Shown on the home page."), Flag()),
    Declared("added", lambda _: Date(description="When it was added to the library (YYYY-MM-DD)."), Day()),
    Declared(
        "links",
        lambda tax: ListOf(
            record_of(
                LINK_FIELDS,
                tax,
                "One version of the resource: a document, a page presenting it, or a place to look for it.",
                together=kind_problems,
                together_schema=kind_json_schema(),
            ),
            min_items=1,
            unique=False,
            description="The resource's versions.",
        ),
        Versions(),
        True,
        searchable=BY_HAND,
        parts=LINK_FIELDS,
    ),
    Declared(
        "acknowledged",
        lambda _: Reasons(
            lambda: list(ACKNOWLEDGEABLE),
            "warning code",
            Text(max_length=500),
            description=(
                "Warnings of `make check` this entry settles, each with the reason a curator can check, like "
                '{no-year: "Undated in every source seen (publisher\'s page, seed 001)."}. Codes: places-only (every '
                "link is a place to look), no-year (no year), sentences (a translated summary has another number of "
                "sentences than the default language's). An acknowledgement whose warning does not apply is an error."
            ),
        ),
        Acknowledgements(),
        exported=False,
    ),
)


def model_attributes() -> list[tuple[str, Any, Any]]:
    """`Resource`'s attributes for dataclasses.make_dataclass: the required fields first (they have
    no default), then the others, each group in the table's order."""
    ordered = [f for f in FIELDS if f.required] + [f for f in FIELDS if not f.required]
    return [
        (f.name, f.holds.annotation, dataclasses.field() if f.required else dataclasses.field(**f.holds.default()))
        for f in ordered
        if f.holds is not None
    ]


def model_values(entry: dict) -> dict[str, Any]:
    """A validated entry's values as `Resource` keeps them, by attribute name."""
    return {f.name: f.holds.model(entry.get(f.name)) for f in FIELDS if f.holds is not None}


def _value(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def free_texts(record: Any, path: tuple = (), fields: tuple[Declared, ...] = FIELDS) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every non-empty free-text value of an entry of resources.yaml (a mapping,
    possibly invalid: values that are not text are skipped) or of a Resource, in the table's order."""
    for f in fields:
        value = _value(record, f.name)
        if f.free_text:
            if isinstance(value, str) and value:
                yield path + (f.name,), value
            elif isinstance(value, dict):
                yield from (((*path, f.name, lang), text) for lang, text in value.items() if isinstance(text, str) and text)
        if f.parts and isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                yield from free_texts(item, (*path, f.name, i), f.parts)


def written_search_texts(resource: Any) -> list[str]:
    """The values of the fields searched AS_WRITTEN, for the search index and the explorer's keywords."""
    texts: list[str] = []
    for f in FIELDS:
        if f.searchable != AS_WRITTEN:
            continue
        value = getattr(resource, f.name)
        values = value.values() if isinstance(value, dict) else value if isinstance(value, (tuple, list)) else [value]
        texts += [v.isoformat() if isinstance(v, dt.date) else str(v) for v in values if v is not None and v != ""]
    return texts


def field_label(path: tuple) -> str | None:
    """A path inside an entry as messages name it: `title.fr`, `links[2].url`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or None


@cache
def exported_fields() -> tuple[Declared, ...]:
    """The fields the open data publishes, in the table's order (data/resources.csv's columns)."""
    return tuple(f for f in FIELDS if f.exported and f.holds is not None)


@cache
def open_data_fields() -> tuple[Declared, ...]:
    """The exported fields in data/resources.json's order: the table's, except that the lists of
    codes come together after the first of them, as the published file has always had them."""
    exported = exported_fields()
    first_list = next((i for i, f in enumerate(exported) if isinstance(f.holds, Codes)), 0)
    return tuple(sorted(exported, key=lambda f: first_list if isinstance(f.holds, Codes) else exported.index(f)))


def shown_labels() -> frozenset[str]:
    """The ui.yaml labels the resource page's details need, one per shown field."""
    return frozenset(f.name for f in FIELDS if f.shown)
