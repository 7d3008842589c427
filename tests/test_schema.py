"""The committed JSON Schema is generated from the validator's schema and agrees with it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from test_validation import CASES

from spmlib.__main__ import schema_text
from spmlib.model.schema import SCHEMA_PATH

ROOT = Path(__file__).resolve().parent.parent
# Errors that no JSON Schema can express: they are about the YAML text or the file system.
NOT_SCHEMA = {"missing local file", "duplicate key", "alias", "merge key"}


def plain(value):
    """What an editor's YAML server hands the schema: dates are strings."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((ROOT / SCHEMA_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_committed_schema_is_up_to_date():
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(str(ROOT / "taxonomy")), (
        "run `make schema` and commit schema/resources.schema.json"
    )


def test_catalogue_points_editors_at_the_schema():
    first = (ROOT / "resources.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_PATH}"


def test_shipped_catalogue_is_valid_for_editors(validator):
    data = plain(yaml.safe_load((ROOT / "resources.yaml").read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize(("name", "text"), [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_editors_flag_what_the_validator_refuses(validator, name, text):
    try:
        data = plain(yaml.safe_load(text))
    except (yaml.YAMLError, ValueError):
        pytest.skip("PyYAML cannot read it (an editor's YAML server reports it itself)")
    errors = list(validator.iter_errors(data))
    if name in NOT_SCHEMA:
        assert errors == [], "a schema-level case: remove it from NOT_SCHEMA"
    else:
        assert errors, f"the JSON Schema accepts the invalid case {name!r}"
