"""The catalogue's schema: the rules of spmlib/model/rules.py applied to the fields of spmlib/model/fields.py.

The validator walks `catalogue_schema(taxonomy)` to check `resources.yaml`, and
`document_json_schema()` turns the same objects into the JSON Schema that editors use, so the
two can never disagree. Values that depend on the taxonomy (standard codes, types...) are filled
in from the taxonomy given.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from spmlib.model.acknowledged import stale_acknowledgements
from spmlib.model.fields import ANY_OF, FIELDS, record_of
from spmlib.model.rules import Record

if TYPE_CHECKING:
    from spmlib.model.taxonomy import Taxonomy


def catalogue_schema(taxonomy: Taxonomy) -> Record:
    """The schema of one entry of `resources:`, with the taxonomy's codes filled in."""
    default = taxonomy.default_language
    return record_of(
        FIELDS, taxonomy, "A resource of the library.", ANY_OF, together=partial(stale_acknowledgements, default_language=default)
    )


SCHEMA_PATH = "schema/resources.schema.json"


def document_json_schema(taxonomy) -> dict:
    """The JSON Schema of the whole `resources.yaml`, for editors (yaml-language-server).

    Generated, never edited: `make schema` rewrites the committed file and a test fails when
    it is out of date, so editors and the validator cannot drift apart.
    """
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "SPM resource library catalogue (resources.yaml)",
        "description": "Generated from spmlib/model/schema.py by `make schema`; do not edit by hand.",
        "type": "object",
        "additionalProperties": False,
        "required": ["resources"],
        "properties": {
            "resources": {
                "type": "array",
                "description": "The resources of the library, one entry each.",
                "items": catalogue_schema(taxonomy).json_schema(),
            }
        },
    }
    return without_empty_descriptions(document)


def without_empty_descriptions(node: Any) -> Any:
    """A JSON Schema without its `"description": ""` entries.

    Every rule has a description, most of them empty (a standard code inside a list needs none):
    a published schema with empty descriptions would show editors blank tooltips. Used for both
    generated schemas (this one and spmlib/site/opendata.py's).
    """
    if isinstance(node, dict):
        return {k: without_empty_descriptions(v) for k, v in node.items() if not (k == "description" and v == "")}
    if isinstance(node, list):
        return [without_empty_descriptions(v) for v in node]
    return node
