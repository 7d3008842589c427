"""The catalogue as open data: `data/resources.json` and `data/resources.csv`, published with the site.

A network that wants the catalogue in its own tools should not have to scrape pages or read
YAML. The JSON is the validated model (every field, every language, resolved link formats) and
comes with a JSON Schema generated from the validator's rules (`make schema` writes
schema/open-data.schema.json; the site publishes it as `data/resources.schema.json`). The CSV is
one row per resource with one column per site language for titles and summaries, for
spreadsheets: it is written UTF-8 with a byte-order mark (so Excel reads the accents), and a
cell that a spreadsheet would run as a formula (spmlib/site/spreadsheet.py: = + - @, their full-width
forms, after any blanks, or a tab or a carriage return) is prefixed with an apostrophe, which
spreadsheets show as text. Local documents' addresses are percent-encoded, as the pages link
them: `documents/a#b.pdf` is published as `documents/a%23b.pdf`, which opens that file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from spmlib.model.catalogue import Catalogue, Link, Resource
from spmlib.model.fields import EMPTY, FIELDS, exported_fields, open_data_fields
from spmlib.model.schema import catalogue_schema, without_empty_descriptions
from spmlib.site.spreadsheet import neutralise

DATA_JSON = "data/resources.json"
DATA_CSV = "data/resources.csv"
DATA_SCHEMA = "data/resources.schema.json"  # the published copy of OPEN_DATA_SCHEMA_PATH
OPEN_DATA_SCHEMA_PATH = "schema/open-data.schema.json"
FORMAT_VERSION = 1


def resource_record(resource: Resource) -> dict[str, Any]:
    """One resource as published: the exported fields (spmlib/model/fields.py), empty ones left out,
    dates as ISO text."""
    record: dict[str, Any] = {}
    for name, write in _json_writers():
        value = write(getattr(resource, name))
        if value is not EMPTY:
            record[name] = value
    return record


@cache
def _json_writers() -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each exported field's name and writer, looked up once rather than for each of 10,000 entries."""
    return tuple((f.name, f.holds.json) for f in open_data_fields())


def published_url(link: Link) -> str:
    """A link's address as the open data gives it: a local document's path percent-encoded the
    way the pages link it (hooks/pages.py), so that `a#b.pdf` or `%41.pdf` opens that very file
    rather than `a` at anchor `b.pdf` or `A.pdf`; a web address as the catalogue has it."""
    return link.published_url()


def _document_head(catalogue: Catalogue) -> dict[str, Any]:
    return {"version": FORMAT_VERSION, "languages": list(catalogue.taxonomy.languages)}


def catalogue_document(catalogue: Catalogue) -> dict[str, Any]:
    """The whole catalogue as one JSON document, resources in the catalogue's order."""
    return {**_document_head(catalogue), "resources": [resource_record(r) for r in catalogue.resources]}


def catalogue_json(catalogue: Catalogue, line: Callable[[Resource], str] | None = None) -> str:
    """The document with one resource per line: readable, diffable, and written by json's C encoder
    (an indented dump goes through the pure-Python one, several times slower at 10,000 entries).

    `line` is json_line, or a cached version of it (`make serve`)."""
    line = line or json_line
    head = json.dumps(_document_head(catalogue), ensure_ascii=False, separators=(",", ":"))[:-1]
    lines = ",\n".join(line(r) for r in catalogue.resources)
    return f'{head},"resources":[\n{lines}\n]}}\n'


def json_line(resource: Resource) -> str:
    """One resource's line of data/resources.json."""
    return json.dumps(resource_record(resource), ensure_ascii=False, separators=(",", ":"))


def csv_columns(languages: list[str]) -> list[str]:
    """The CSV's header: the exported fields in the table's order, texts by language one column each."""
    return [column for f in exported_fields() for column in f.holds.columns(f.name, languages)]


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text: formulas are defused with a leading apostrophe."""
    return neutralise(value)


def csv_row(resource: Resource, languages: list[str]) -> dict[str, str]:
    row: dict[str, str] = {}
    for name, cells in _cell_writers():
        row.update(cells(name, getattr(resource, name), languages))
    return {key: spreadsheet_safe(value) for key, value in row.items()}


@cache
def _cell_writers() -> tuple[tuple[str, Callable[[str, Any, list[str]], dict[str, str]]], ...]:
    return tuple((f.name, f.holds.cells) for f in exported_fields())


def catalogue_csv(catalogue: Catalogue, line: Callable[[Resource, list[str]], str] | None = None) -> str:
    """The catalogue as CSV text (with its byte-order mark), one row per resource.

    `line` is csv_line, or a cached version of it (`make serve`)."""
    line = line or csv_line
    languages = list(catalogue.taxonomy.languages)
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=csv_columns(languages), lineterminator="\r\n").writeheader()
    return "\ufeff" + out.getvalue() + "".join(line(r, languages) for r in catalogue.resources)


def csv_line(resource: Resource, languages: list[str]) -> str:
    """One resource's row of data/resources.csv, as the csv module writes it."""
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=csv_columns(languages), lineterminator="\r\n").writerow(csv_row(resource, languages))
    return out.getvalue()


def open_data_schema_text(taxonomy) -> str:
    """The schema as published and committed (schema/open-data.schema.json)."""
    return json.dumps(open_data_json_schema(taxonomy), indent=2, ensure_ascii=False) + "\n"


def open_data_json_schema(taxonomy) -> dict:
    """The JSON Schema of data/resources.json, from the same rules that validate resources.yaml.

    An entry is the catalogue's entry with its link formats and kinds always given (inferred
    ones filled in) and `added` as an ISO date.
    """
    item = catalogue_schema(taxonomy).json_schema()
    left_out = [f.name for f in FIELDS if not f.exported]
    item["properties"] = {name: rule for name, rule in item["properties"].items() if name not in left_out}
    item["required"] = [name for name in item["required"] if name not in left_out]
    link = item["properties"]["links"]["items"]
    link["required"] = [*link["required"], "format", "kind"]
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "SPM resource library: the catalogue as open data (data/resources.json)",
        "description": "Generated from spmlib/model/schema.py and spmlib/site/opendata.py by `make schema`; do not edit by hand.",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "languages", "resources"],
        "properties": {
            "version": {"const": FORMAT_VERSION, "description": "Changes when a field changes meaning or is removed."},
            "languages": {
                "type": "array",
                "items": {"enum": list(taxonomy.languages)},
                "description": "The site's languages, default first: the keys of title and summary.",
            },
            "resources": {"type": "array", "description": "Every resource, in the catalogue's order.", "items": item},
        },
    }
    return without_empty_descriptions(document)
