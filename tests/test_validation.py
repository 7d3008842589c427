"""Every kind of catalogue error, with the line, field and wording a maintainer must see."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from spmlib.model.catalogue import infer_format, load_catalogue
from spmlib.model.problems import CatalogueError

VALID = """\
resources:
  - id: good-entry
    type: tool
    title: {en: A good entry}
    standards: [4A]
    links:
      - {lang: en, url: "https://example.org/a.pdf"}
"""


def check(tmp_path: Path, taxonomy, text: str, docs: Path | None = None):
    path = tmp_path / "resources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_catalogue(path, taxonomy, docs or tmp_path, display_name="resources.yaml")


def errors_of(tmp_path, taxonomy, text, docs=None):
    with pytest.raises(CatalogueError) as info:
        check(tmp_path, taxonomy, text, docs)
    return info.value.problems


def entry(**fields: str) -> str:
    """The valid entry with some lines replaced (value None removes the field)."""
    lines = {
        "id": "id: bad-entry",
        "type": "type: tool",
        "title": "title: {en: Title}",
        "standards": "standards: [4A]",
        "links": 'links: [{lang: en, url: "https://example.org/a.pdf"}]',
    }
    for key, value in fields.items():
        lines[key] = value
    body = "\n".join(f"    {line}" for line in lines.values() if line is not None)
    return "resources:\n  - " + body.lstrip() + "\n"


# (name, catalogue text, expected line, expected field, fragments of the message)
CASES = [
    (
        "unknown type",
        entry(type="type: guid"),
        3,
        "type",
        ["'guid' is not a known resource type", "case-study", "did you mean 'guide'"],
    ),
    ("unknown standard", entry(standards="standards: [4A, 9Z]"), 5, "standards[1]", ["'9Z' is not a known standard code", "1A"]),
    ("standard as number", entry(standards="standards: [4]"), 5, "standards[0]", ["4 is not a known standard code"]),
    (
        "unknown dimension",
        entry(standards=None, **{"dimensions": "dimensions: [8]"}),
        6,
        "dimensions[0]",
        ["8 is not a known dimension number", "1, 2, 3"],
    ),
    (
        "unknown title language",
        entry(title="title: {en: Title, de: Titel}"),
        4,
        "title.de",
        ["'de' is not a site language", "en, fr, es, pt"],
    ),
    (
        "unknown link language",
        entry(links='links: [{lang: english, url: "https://e.org/a.pdf"}]'),
        6,
        "links[0].lang",
        ["'english' is not a known ISO 639-1 language code", "en, fr, es, pt, ru, ar"],
    ),
    ("missing title", entry(title=None), 2, "title", ["is required but missing"]),
    ("missing type", entry(type=None), 2, "type", ["is required but missing"]),
    ("missing links", entry(links=None), 2, "links", ["is required but missing"]),
    ("empty links", entry(links="links: []"), 6, "links", ["needs at least 1 item"]),
    ("no standards nor dimensions", entry(standards=None), 2, None, ["needs at least one of: standards, dimensions"]),
    ("empty title mapping", entry(title="title: {}"), 4, "title", ["needs at least one language"]),
    ("title not text", entry(title="title: {en: no}"), 4, "title.en", ["must be text, not true/false false", "quotes"]),
    ("title as plain text", entry(title="title: Just text"), 4, "title", ["must map site languages to text"]),
    ("year as text", entry(**{"year": 'year: "2016"'}), 7, "year", ["must be a whole number, not text '2016'"]),
    ("year out of range", entry(**{"year": "year: 20016"}), 7, "year", ["20016 is out of range"]),
    ("featured not boolean", entry(**{"featured": "featured: maybe"}), 7, "featured", ["must be true or false, not 'maybe'"]),
    ("bad date", entry(**{"added": "added: 2024-13-45"}), 7, None, ["cannot read the value '2024-13-45'"]),
    ("date as text", entry(**{"added": 'added: "31/05/2024"'}), 7, "added", ["'31/05/2024' is not a date", "YYYY-MM-DD"]),
    (
        "unknown country",
        entry(**{"countries": "countries: [MX, XX]"}),
        7,
        "countries[1]",
        ["'XX' is not a known ISO 3166-1 alpha-2 country code"],
    ),
    ("lower-case country", entry(**{"countries": "countries: [mx]"}), 7, "countries[0]", ["'mx' is not a known"]),
    ("unknown field", entry(**{"colour": "colour: red"}), 7, "colour", ["unknown field 'colour'", "allowed: id, type"]),
    ("misspelled field", entry(**{"summry": "summry: {en: x}"}), 7, "summry", ["did you mean 'summary'"]),
    (
        "javascript url",
        entry(links='links: [{lang: en, url: "javascript:alert(1)"}]'),
        6,
        "links[0].url",
        ["'javascript:alert(1)' is not allowed", "http:// or https://"],
    ),
    ("data url", entry(links='links: [{lang: en, url: "data:text/html,hi"}]'), 6, "links[0].url", ["is not allowed"]),
    ("ftp url", entry(links='links: [{lang: en, url: "ftp://example.org/a.pdf"}]'), 6, "links[0].url", ["is not allowed"]),
    (
        "absolute local path",
        entry(links='links: [{lang: en, url: "/etc/passwd"}]'),
        6,
        "links[0].url",
        ["must be a path relative to docs/"],
    ),
    (
        "path escaping docs",
        entry(links='links: [{lang: en, url: "../secret.pdf"}]'),
        6,
        "links[0].url",
        ["must be a path relative to docs/"],
    ),
    (
        "missing local file",
        entry(links='links: [{lang: en, url: "documents/missing.pdf"}]'),
        6,
        "links[0].url",
        ["local file 'documents/missing.pdf' does not exist in docs/"],
    ),
    (
        "unknown format",
        entry(links='links: [{lang: en, url: "https://e.org/a", format: docx}]'),
        6,
        "links[0].format",
        ["'docx' is not a known format", "pdf, doc, xls"],
    ),
    (
        "unknown link field",
        entry(links='links: [{lang: en, url: "https://e.org/a", href: x}]'),
        6,
        "links[0].href",
        ["unknown field 'href'"],
    ),
    ("id not a slug", entry(id="id: Bad_ID"), 2, "id", ["'Bad_ID' is not a slug"]),
    ("id too long", entry(id="id: " + "a" * 81), 2, "id", ["is not a slug", "at most 80"]),
    ("id reserved", entry(id="id: index"), 2, "id", ["reserved"]),
    ("id missing", entry(id=None), 2, "id", ["is required but missing"]),
    ("entry not a mapping", "resources:\n  - just text\n", 2, None, ["must be a mapping of fields"]),
    ("no resources key", "things: []\n", 1, None, ["must start with 'resources:'"]),
    ("resources not a list", "resources: {a: 1}\n", 1, None, ["'resources' must be a list"]),
    ("extra top-level key", VALID + "taxonomy: {}\n", 8, None, ["unknown top-level key 'taxonomy'"]),
    (
        "duplicate key",
        entry(**{"title2": "title: {en: Again}"}),
        7,
        None,
        ["duplicate key 'title' (first on line 4)", "silently keep only the last"],
    ),
    ("yaml syntax error", VALID.replace("title: {en: A good entry}", "title: {en: A good entry"), 5, None, ["YAML syntax error"]),
    ("yaml bad indentation", VALID.replace("    type: tool", "   type: tool"), 3, None, ["YAML syntax error"]),
    (
        "python tag",
        entry(**{"organization": "organization: !!python/object/apply:os.system ['echo hi']"}),
        7,
        None,
        ["YAML tag '!!python/object/apply:os.system' is not allowed"],
    ),
    ("binary tag", entry(**{"organization": "organization: !!binary aGVsbG8="}), 7, None, ["YAML tag '!!binary' is not allowed"]),
    (
        "alias",
        entry(title="title: &t {en: Title}", **{"summary": "summary: *t"}),
        7,
        None,
        ["YAML alias '*t' is not allowed", "write the value out in full"],
    ),
    ("merge key", entry(**{"x": "<<: {year: 2000}"}), 7, None, ["merge keys (<<) are not allowed"]),
]


@pytest.mark.parametrize(("name", "text", "line", "field", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_error_is_reported_with_line_field_and_allowed_values(tmp_path, taxonomy, name, text, line, field, fragments):
    problems = errors_of(tmp_path, taxonomy, text)
    matching = [p for p in problems if p.line == line and p.field == field and all(f in p.format() for f in fragments)]
    assert matching, "\n".join(p.format() for p in problems)
    assert matching[0].format().startswith(f"resources.yaml:{line}: error:")


def test_error_names_the_resource_id(tmp_path, taxonomy):
    [problem] = errors_of(tmp_path, taxonomy, entry(type="type: guid"))
    assert problem.resource_id == "bad-entry"
    assert "resource 'bad-entry'" in problem.format()


def test_duplicate_ids_name_both_lines(tmp_path, taxonomy):
    text = VALID + textwrap.indent(VALID.split("\n", 1)[1], "")
    problems = errors_of(tmp_path, taxonomy, text)
    [dup] = [p for p in problems if "duplicate id" in p.message]
    assert dup.line == 8 and dup.field == "id" and "already used by the entry on line 2" in dup.message


def test_every_error_is_reported_in_one_run(tmp_path, taxonomy):
    text = entry(type="type: guid", standards="standards: [9Z]", links='links: [{lang: xx, url: "javascript:x"}]')
    text += entry(id="id: second", title="title: {de: x}").split("\n", 1)[1]
    problems = errors_of(tmp_path, taxonomy, text)
    fields = {(p.resource_id, p.field) for p in problems}
    assert {
        ("bad-entry", "type"),
        ("bad-entry", "standards[0]"),
        ("bad-entry", "links[0].lang"),
        ("bad-entry", "links[0].url"),
        ("second", "title.de"),
    } <= fields


def test_valid_catalogue_loads_with_inferred_formats(tmp_path, taxonomy):
    catalogue = check(tmp_path, taxonomy, VALID)
    [resource] = catalogue.resources
    assert resource.id == "good-entry" and resource.links[0].format == "pdf"


def test_existing_local_file_is_accepted(tmp_path, taxonomy):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "guide.pdf").write_bytes(b"%PDF")
    catalogue = check(tmp_path, taxonomy, entry(links='links: [{lang: en, url: "documents/guide.pdf"}]'))
    assert catalogue.resources[0].links[0].is_local


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://e.org/a.PDF", "pdf"),
        ("https://e.org/a.docx", "doc"),
        ("https://e.org/tool.xlsx?download=1", "xls"),
        ("https://e.org/deck.pptx", "ppt"),
        ("https://www.youtube.com/watch?v=x", "video"),
        ("https://e.org/pack.zip", "zip"),
        ("https://e.org/page", "web"),
        ("documents/a.pdf", "pdf"),
    ],
)
def test_format_is_inferred_from_the_address(url, expected):
    assert infer_format(url) == expected
