"""The rules a value of the catalogue must follow, as objects: each checks a value and writes its JSON Schema.

The validator walks these objects to check `resources.yaml`, and `json_schema()` turns the
same objects into the JSON Schema that editors use, so the two can never disagree. Which field
follows which rule is declared in spmlib/model/fields.py, and spmlib/model/schema.py assembles them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spmlib.model.filenames import path_problem
from spmlib.model.problems import show_value
from spmlib.model.textcheck import describe, first_control, first_invisible

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # always with fullmatch: `$` would accept a final newline
# Slugs that name a generated listing page (topics/index.md, types/index.md, resources/index.md):
# an id, topic or type called so would silently replace it.
RESERVED_SLUGS = ("index",)
ID_MAX = 80
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HTTP_URL = re.compile(r"https?://[^\s/$.?#]\S*", re.I)

# (relative path inside the entry, message) pairs produced by a check
Found = list[tuple[tuple, str, Any]]


def _near(value: Any, allowed: list) -> str:
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        str: "text",
        dt.date: "a date",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


class Spec:
    """One kind of value; `check` returns (path, message, value) triples, [] when valid."""

    description = ""

    def check(self, value: Any, path: tuple) -> Found:  # pragma: no cover - abstract
        raise NotImplementedError

    def json_schema(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass
class Text(Spec):
    description: str = ""
    max_length: int | None = None

    def check(self, value, path):
        if not isinstance(value, str):
            return [(path, f"must be text, not {_type_name(value)} {show_value(value)}; put it in quotes", value)]
        control = first_control(value)
        if control:
            return [(path, f"contains the control character {describe(control)}; delete it", value)]
        if not value.strip():
            return [(path, "must not be empty", value)]
        if self.max_length and len(value) > self.max_length:
            return [(path, f"is {len(value)} characters long; at most {self.max_length} are allowed", value)]
        return []

    def json_schema(self):
        schema: dict = {"type": "string", "minLength": 1, "description": self.description}
        if self.max_length:
            schema["maxLength"] = self.max_length
        return schema


@dataclass
class Slug(Spec):
    description: str = ""
    max_length: int = ID_MAX
    reserved: tuple[str, ...] = ()

    def check(self, value, path):
        if not isinstance(value, str):
            return [(path, f"must be text, not {_type_name(value)} {show_value(value)}", value)]
        if value in self.reserved:
            return [(path, f"{show_value(value)} is reserved for a page of the site; choose another one", value)]
        if not SLUG.fullmatch(value) or len(value) > self.max_length:
            return [
                (
                    path,
                    f"{show_value(value)} is not a slug; allowed: lower-case letters, digits and single "
                    f"hyphens, like 'smart-ops-tool', at most {self.max_length} characters",
                    value,
                )
            ]
        return []

    def json_schema(self):
        schema = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": self.max_length, "description": self.description}
        if self.reserved:
            schema["not"] = {"enum": list(self.reserved)}
        return schema


@dataclass
class Choice(Spec):
    choices: Callable[[], list]
    what: str
    description: str = ""
    examples: str | None = None

    def check(self, value, path):
        allowed = self.choices()
        if isinstance(value, bool) or value not in allowed:
            listing = self.examples or ", ".join(str(a) for a in allowed)
            return [(path, f"{show_value(value)} is not a known {self.what}; allowed: {listing}{_near(value, allowed)}", value)]
        return []

    def json_schema(self):
        allowed = self.choices()
        if all(isinstance(a, int) for a in allowed):
            return {"type": "integer", "enum": allowed, "description": self.description}
        return {"type": "string", "enum": allowed, "description": self.description}


@dataclass
class Integer(Spec):
    minimum: int
    maximum: int
    description: str = ""

    def check(self, value, path):
        if isinstance(value, bool) or not isinstance(value, int):
            return [(path, f"must be a whole number, not {_type_name(value)} {show_value(value)}", value)]
        if not self.minimum <= value <= self.maximum:
            return [(path, f"{value} is out of range; allowed: {self.minimum} to {self.maximum}", value)]
        return []

    def json_schema(self):
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum, "description": self.description}


@dataclass
class Boolean(Spec):
    description: str = ""

    def check(self, value, path):
        if not isinstance(value, bool):
            return [(path, f"must be true or false, not {show_value(value)}", value)]
        return []

    def json_schema(self):
        return {"type": "boolean", "description": self.description}


@dataclass
class Date(Spec):
    description: str = ""

    def check(self, value, path):
        if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
            return [(path, f"must be a date written YYYY-MM-DD, not {show_value(value)}", value)]
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return [(path, f"{show_value(value)} is not a date; write it YYYY-MM-DD, like 2024-05-31", value)]
        return []

    def json_schema(self):
        return {"type": "string", "format": "date", "description": self.description}


# What spmlib/model/filenames.py refuses in a local path, for editors: Windows' forbidden characters and
# the control characters, a name ending with a dot or a space, a reserved device name.
_RESERVED = "|".join("".join(f"[{c}{c.lower()}]" for c in name) for name in ("CON", "PRN", "AUX", "NUL"))
_PORTABLE_PATH = (
    r'(?!.*[<>:"|?*\\\u0000-\u001f\u007f-\u009f])(?!.*[. ](/|$))'
    rf"(?!(.*/)?({_RESERVED}|[Cc][Oo][Mm][1-9]|[Ll][Pp][Tt][1-9]) *(\.[^/]*)?(/|$))"
)


@dataclass
class Url(Spec):
    """An http(s) address, or a path to a file under docs/ whose name Windows can hold
    (spmlib/model/filenames.py; its existence is checked elsewhere)."""

    description: str = ""

    def check(self, value, path):
        if not isinstance(value, str) or not value.strip():
            return [(path, f"must be a web address or a file path, not {show_value(value)}", value)]
        control = first_control(value) or first_invisible(value)
        if control:
            return [(path, f"contains the invisible character {describe(control)}; delete it", value)]
        if value != value.strip():
            return [(path, f"{show_value(value)} has spaces or a line break around it; delete them", value)]
        if URL_SCHEME.match(value):
            if not _HTTP_URL.fullmatch(value):
                return [
                    (
                        path,
                        f"{show_value(value)} is not allowed; allowed: an http:// or https:// address, "
                        "or a path to a file in docs/",
                        value,
                    )
                ]
        elif value.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", value):
            return [(path, f"{show_value(value)} must be a path relative to docs/, like 'documents/guide.pdf'", value)]
        else:
            unportable = path_problem(value)
            if unportable is not None:
                return [
                    (
                        path,
                        f"{show_value(value)}: the file name {unportable}; rename the file in docs/ and here "
                        "(bundles of the library are unzipped on Windows)",
                        value,
                    )
                ]
        return []

    def json_schema(self):
        return {
            "type": "string",
            "pattern": r"^(https?://\S+|(?![A-Za-z][A-Za-z0-9+.-]*:)(?!/)(?!.*(^|/)\.\.(/|$))" + _PORTABLE_PATH + r".+)$",
            "description": self.description,
        }


@dataclass
class LangMap(Spec):
    """Texts keyed by site language, e.g. {en: ..., fr: ...}."""

    languages: Callable[[], list[str]]
    value: Spec
    min_items: int = 0
    description: str = ""

    def check(self, value, path):
        langs = self.languages()
        if not isinstance(value, dict):
            return [(path, f"must map site languages to text, like {{{langs[0]}: ...}}, not {show_value(value)}", value)]
        found: Found = []
        if len(value) < self.min_items:
            found.append((path, f"needs at least one language; allowed: {', '.join(langs)}", value))
        return found + _keyed_values(value, path, langs, "a site language", self.value)

    def json_schema(self):
        return _keyed_schema(self.languages(), self.min_items, self.value, self.description)


def _keyed_values(value: dict, path: tuple, allowed: list, what: str, spec: Spec) -> Found:
    """Each key of a mapping among `allowed` (`what` names them in messages), each value checked by `spec`."""
    found: Found = []
    for key, text in value.items():
        if key not in allowed:
            listing = ", ".join(str(a) for a in allowed)
            found.append((path + (key,), f"{show_value(key)} is not {what}; allowed: {listing}{_near(key, allowed)}", key))
            continue
        found.extend(spec.check(text, path + (key,)))
    return found


def _keyed_schema(keys: list, min_items: int, spec: Spec, description: str) -> dict:
    return {
        "type": "object",
        "minProperties": min_items,
        "additionalProperties": False,
        "properties": {key: spec.json_schema() for key in keys},
        "description": description,
    }


@dataclass
class Reasons(Spec):
    """A mapping from known codes to a non-empty reason, e.g. {no-year: "Undated in every source."}."""

    codes: Callable[[], list[str]]
    what: str
    value: Spec
    description: str = ""

    def check(self, value, path):
        codes = self.codes()
        example = f'{{{codes[0]}: "why"}}'
        if not isinstance(value, dict) or not value:
            return [(path, f"must map {self.what}s to a reason, like {example}, not {show_value(value)}", value)]
        return _keyed_values(value, path, codes, f"a known {self.what}", self.value)

    def json_schema(self):
        return _keyed_schema(self.codes(), 1, self.value, self.description)


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    unique: bool = True
    description: str = ""

    def check(self, value, path):
        if not isinstance(value, list):
            return [
                (path, f"must be a list (one '- item' per line, or [a, b]), not {_type_name(value)} {show_value(value)}", value)
            ]
        found: Found = []
        if len(value) < self.min_items:
            found.append((path, f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}", value))
        seen = []
        for i, item in enumerate(value):
            found.extend(self.item.check(item, path + (i,)))
            if self.unique and isinstance(item, (str, int)):
                if item in seen:
                    found.append((path + (i,), f"{show_value(item)} is listed twice", item))
                seen.append(item)
        return found

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items, "description": self.description}
        if self.unique:
            schema["uniqueItems"] = True
        return schema


@dataclass
class Field:
    name: str
    spec: Spec
    required: bool = False


@dataclass
class Record(Spec):
    """A mapping with known fields; unknown fields are errors (they are usually typos)."""

    fields: list[Field]
    any_of: list[tuple[str, ...]] = field(default_factory=list)
    description: str = ""
    # How the fields agree, checked once each is valid on its own: (field, message) pairs, each
    # reported at that field's line; and the same agreements as JSON Schema conditions (allOf).
    # A field may be a path inside the record, as a tuple: ("acknowledged", "no-year").
    together: Callable[[dict], list[tuple[str | tuple, str]]] | None = None
    together_schema: list[dict] = field(default_factory=list)

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def check(self, value, path):
        if not isinstance(value, dict):
            return [(path, f"must be a mapping of fields (name: value), not {_type_name(value)} {show_value(value)}", value)]
        found: Found = []
        names = self.field_names()
        for key in value:
            if key not in names:
                found.append(
                    (path + (key,), f"unknown field {show_value(key)}; allowed: {', '.join(names)}{_near(key, names)}", key)
                )
        for f in self.fields:
            if f.name not in value or value[f.name] is None:
                if f.required:
                    found.append((path + (f.name,), "is required but missing", None))
                continue
            found.extend(f.spec.check(value[f.name], path + (f.name,)))
        for group in self.any_of:
            if not any(value.get(name) for name in group):
                found.append((path, f"needs at least one of: {', '.join(group)}", None))
        if self.together is not None and not found:
            for name, message in self.together(value):
                inner = name if isinstance(name, tuple) else (name,)
                found.append((path + inner, message, value.get(inner[0])))
        return found

    def json_schema(self):
        schema: dict = {
            "type": "object",
            "additionalProperties": False,
            "required": [f.name for f in self.fields if f.required],
            "properties": {f.name: f.spec.json_schema() for f in self.fields},
            "description": self.description,
        }
        if self.any_of:
            schema["anyOf"] = [{"required": [name]} for group in self.any_of for name in group]
        if self.together_schema:
            schema["allOf"] = list(self.together_schema)
        return schema
