"""The field table (spmlib/model/fields.py) and README's recipe for adding a field, followed to the letter."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import pickle
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import FIXTURES, ROOT, editable_project, page, readme_blocks, run_build

from spmlib.model.catalogue import Resource
from spmlib.model.fields import FIELDS, exported_fields, free_texts, open_data_fields
from spmlib.model.taxonomy import REQUIRED_LABELS
from spmlib.site.opendata import DATA_CSV, DATA_JSON, DATA_SCHEMA, csv_columns
from spmlib.site.searchindex import material_docs

RECIPE = dict(readme_blocks("### Adding a field"))  # by language: the test makes exactly those edits
DECLARATION = textwrap.indent(RECIPE["python"], "    ")  # an item of FIELDS
TEMPLATE_LINES = textwrap.indent(RECIPE["jinja"], "  ")  # inside <dl class="spm-details">
LABELS = RECIPE["yaml"]


def test_resource_has_one_attribute_per_field_in_the_tables_order():
    names = [f.name for f in dataclasses.fields(Resource)]
    assert names == [f.name for f in FIELDS if f.required] + [f.name for f in FIELDS if not f.required] + ["line", "index"]


def test_resource_pickles_by_its_name():
    """The build's worker processes receive resources pickled: the made class must be found again."""
    resource = Resource(id="x", type="tool", title={"en": "X"}, links=(), year=2020, line=4)
    assert pickle.loads(pickle.dumps(resource)) == resource
    assert Resource.__module__ == "spmlib.model.catalogue" and Resource.__qualname__ == "Resource"


def test_every_shown_field_is_on_the_resource_page_and_has_its_label():
    template = (ROOT / "overrides" / "spm" / "resource.html").read_text(encoding="utf-8")
    for f in FIELDS:
        if f.shown:
            assert re.search(rf"\br\.(all_)?{f.name}\b", template), f.name  # dimensions: with those of its standards
            assert f'v.t("{f.name}")' in template, f.name
            assert f.name in REQUIRED_LABELS, f.name


def test_open_data_keeps_its_published_order():
    """data/resources.json lists the lists of codes together; the CSV follows the table."""
    assert [f.name for f in open_data_fields()] == [
        "id",
        "type",
        "title",
        "summary",
        "standards",
        "dimensions",
        "topics",
        "countries",
        "organization",
        "year",
        "featured",
        "added",
        "links",
    ]
    assert csv_columns(["en", "fr"])[:8] == [
        "id",
        "type",
        "title_en",
        "title_fr",
        "summary_en",
        "summary_fr",
        "standards",
        "dimensions",
    ]
    # Only the curators' acknowledgements of `make check` warnings stay out of the open data.
    assert [f.name for f in FIELDS if f not in exported_fields()] == ["acknowledged"]


def test_free_texts_of_an_entry_and_of_a_resource_are_the_same():
    entry = {
        "id": "x",
        "title": {"en": "T", "fr": 3},  # not text: skipped (the schema reports it)
        "organization": "Org",
        "links": [{"lang": "en", "url": "u"}, {"lang": "fr", "url": "v", "label": "L"}],
    }
    expected = [(("title", "en"), "T"), (("organization",), "Org"), (("links", 1, "label"), "L")]
    assert list(free_texts(entry)) == expected


def _insert(path: Path, before: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(before) == 1, f"{path.name}: {before!r} is not where the recipe says"
    path.write_text(content.replace(before, text + before), encoding="utf-8")


def _set_license(project: Path, value: str) -> int:
    """Give the first entry a license; returns the line it is on."""
    catalogue = project / "resources.yaml"
    lines = catalogue.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "organization: Smart Campaign")
    lines.insert(at + 1, f"    license: {value}\n")
    catalogue.write_text("".join(lines), encoding="utf-8")
    return at + 2


def _run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{project}{os.pathsep}{project / 'hooks'}", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True, text=True, timeout=600)


def test_a_new_field_is_one_declaration_one_template_line_and_its_labels(tmp_path, monkeypatch):
    """README's example, end to end: shown on the page in every language, searched, published, checked."""
    project = editable_project(tmp_path / "project", ("spmlib", "overrides", "taxonomy", "schema"))
    _insert(project / "spmlib" / "model" / "fields.py", '    Declared(\n        "links",', DECLARATION)
    _insert(project / "overrides" / "spm" / "resource.html", '  <dt>{{ v.t("languages") }}</dt>', TEMPLATE_LINES)
    (project / "taxonomy" / "ui.yaml").open("a", encoding="utf-8").write(LABELS)
    line = _set_license(project, "CC BY 4.0")

    made = _run(project, "-m", "spmlib", "schema")  # `make schema`: the editors' and the open data's schemas
    assert made.returncode == 0, made.stderr
    for name in ("resources.schema.json", "open-data.schema.json"):
        assert "Terms of reuse" in (project / "schema" / name).read_text(encoding="utf-8"), name

    monkeypatch.setenv("PYTHONPATH", f"{project}{os.pathsep}{project / 'hooks'}")
    built = run_build(project)
    assert built.returncode == 0, built.stderr
    site = project / "site"
    for prefix, label in (("", "License"), ("fr/", "Licence")):
        details = page(site, f"{prefix}resources/smart-operations-tool/").select_one("dl.spm-details")
        pairs = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in details.find_all("dt")}
        assert pairs[label] == "CC BY 4.0", prefix
    other = page(site, "resources/cobranza-con-dignidad/").select_one("dl.spm-details")
    assert "License" not in other.get_text()

    data = json.loads((site / DATA_JSON).read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in data["resources"]}
    assert by_id["smart-operations-tool"]["license"] == "CC BY 4.0"
    assert list(by_id["smart-operations-tool"])[-2:] == ["license", "links"]
    assert "license" not in by_id["cobranza-con-dignidad"]
    schema = json.loads((site / DATA_SCHEMA).read_text(encoding="utf-8"))
    assert schema["properties"]["resources"]["items"]["properties"]["license"]["maxLength"] == 100
    rows = list(csv.DictReader(io.StringIO((site / DATA_CSV).read_text(encoding="utf-8").removeprefix("\ufeff"))))
    assert {row["id"]: row["license"] for row in rows}["smart-operations-tool"] == "CC BY 4.0"

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = {doc["location"]: doc.get("text_alt", "").split() for doc in material_docs(index)}
    assert "cc" in found["resources/smart-operations-tool/"], "search does not find the resource by its license"
    words = (site / "resources" / "explorer-data" / "words-0.js").read_text(encoding="utf-8")
    keys = (site / "resources" / "explorer-data" / "keys-0.js").read_text(encoding="utf-8")
    keys = json.loads(keys[keys.index("{") : keys.rindex("}") + 1])["keys"]
    smart = re.search(r'"(smart operations tool\|[^"]*)"', words).group(1).split("|")  # title|variants|id|keys|other
    # "by" is an English stop word, out of the words both search boxes rank
    assert "cc 4 0" in [keys[int(n)] for n in smart[3].split()], "the explorer's keywords miss the license"

    (project / "resources.yaml").write_text((FIXTURES / "catalogue.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    line = _set_license(project, "[CC, BY]")
    checked = _run(project, "-m", "spmlib", "check")
    assert checked.returncode == 1
    assert re.search(
        rf"resources\.yaml:{line}: error: resource 'smart-operations-tool', field 'license': must be text", checked.stderr
    ), checked.stderr


def test_a_shown_field_without_its_labels_stops_at_the_taxonomy(tmp_path):
    """The table reminds the maintainer of the labels: forgetting them is an error naming ui.yaml."""
    project = editable_project(tmp_path / "project", ("spmlib", "overrides", "taxonomy", "schema"))
    _insert(project / "spmlib" / "model" / "fields.py", '    Declared(\n        "links",', DECLARATION)
    checked = _run(project, "-m", "spmlib", "check", "--catalogue", str(FIXTURES / "catalogue.yaml"))
    assert checked.returncode == 1
    assert "ui.yaml" in checked.stderr and "license" in checked.stderr, checked.stderr
