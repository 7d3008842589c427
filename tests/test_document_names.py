"""Local documents: names that every system can unzip (refused at `make check` otherwise), addresses
percent-encoded wherever the library publishes them, and text published composed (NFC)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, make_project, page

from spmlib.model.catalogue import docs_problems, load_catalogue
from spmlib.model.problems import CatalogueError
from spmlib.site.opendata import catalogue_csv, catalogue_json

ENTRY = """\
resources:
  - id: one
    type: tool
    title: {{en: "A guide"}}
    dimensions: [4]
    links:
      - {{lang: en, url: {url}}}
"""

# (file name under docs/documents/, refused: a word of the message, or None when it is fine)
NAMES = [
    ("guide.pdf", None),
    ("guía de cobranza.pdf", None),
    ("a#b.pdf", None),  # legal everywhere: encoded in addresses
    ("%41.pdf", None),
    ("a&b (2).pdf", None),
    ("a<b.pdf", "'<'"),
    ("a>b.pdf", "'>'"),
    ("a:b.pdf", "':'"),
    ('a"b.pdf', "'\"'"),
    ("a|b.pdf", "'|'"),
    ("a?b.pdf", "'?'"),
    ("a*b.pdf", "'*'"),
    ("director's guide.pdf", None),  # Windows, macOS and zip allow it; addresses encode it
    ("a\\b.pdf", "'\\\\'"),
    ("a\x7fb.pdf", "U+007F"),
    ("guide.pdf.", "ends with"),
    ("guide.pdf ", "ends with"),
    ("CON", "reserved"),
    ("con.pdf", "reserved"),
    ("NUL.tar.gz", "reserved"),
    ("aux .pdf", "reserved"),
    ("COM1.pdf", "reserved"),
    ("lpt9.pdf", "reserved"),
    ("COM0.pdf", None),  # not reserved
    ("console.pdf", None),
    ("nul-report.pdf", None),
]


def _url(name: str) -> str:
    return json.dumps(f"documents/{name}", ensure_ascii=True)


@pytest.mark.parametrize(("name", "refused"), NAMES, ids=[repr(n) for n, _ in NAMES])
def test_local_document_names_in_the_catalogue(tmp_path, taxonomy, name, refused):
    (tmp_path / "documents").mkdir()
    try:
        (tmp_path / "documents" / name).write_bytes(b"%PDF-1.4\n")
    except OSError:  # a name this system cannot hold either
        pytest.skip("the file system refuses the name")
    (tmp_path / "resources.yaml").write_text(ENTRY.format(url=_url(name)), encoding="utf-8")
    if refused is None:
        load_catalogue(tmp_path / "resources.yaml", taxonomy, tmp_path)
        assert docs_problems(tmp_path) == []
        return
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path / "resources.yaml", taxonomy, tmp_path)
    messages = [p.format() for p in caught.value.problems]
    at_line = [m for m in messages if m.startswith("resources.yaml:7: error: resource 'one', field 'links[0].url':")]
    said = {"guide.pdf ": "spaces or a line break around it"}.get(name, refused)  # the URL's own check says it first
    assert len(at_line) == 1 and said in at_line[0], messages
    assert said != refused or refused.startswith("U+") or "Windows" in at_line[0], messages
    # the file itself, whether the catalogue links it or not: bundles zip all of docs/
    found = [p.format() for p in docs_problems(tmp_path)]
    assert len(found) == 1 and found[0].startswith("docs/documents/") and refused in found[0], found


def test_names_that_differ_only_in_case_are_refused(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "Guide.pdf").write_bytes(b"1")
    (tmp_path / "documents" / "guide.pdf").write_bytes(b"2")
    found = [p.format() for p in docs_problems(tmp_path)]
    assert found == [
        "docs/documents/guide.pdf: error: has the same name as docs/documents/Guide.pdf but for case; "
        "Windows and macOS keep only one of them (rename the file, or one of the two files, and the links to it)"
    ]


def test_check_command_names_the_line_and_fails(tmp_path):
    (tmp_path / "taxonomy").symlink_to(ROOT / "taxonomy")
    (tmp_path / "docs" / "documents").mkdir(parents=True)
    (tmp_path / "docs" / "documents" / "a:b.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "resources.yaml").write_text(ENTRY.format(url=_url("a:b.pdf")), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("SPM_")}
    result = subprocess.run([sys.executable, "-m", "spmlib", "check"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "resources.yaml:7: error: resource 'one', field 'links[0].url':" in result.stderr
    assert "Traceback" not in result.stderr


# ---- addresses of local documents in the open data and on the pages ---------------------------

ODD = ["a#b.pdf", "%41.pdf", "guía 2.pdf", "a&c.pdf", "director's guide.pdf"]
CATALOGUE = """\
resources:
  - id: odd-names
    type: tool
    title: {{en: "Gui\u0301a de cobranza", fr: "E\u0301valuation"}}
    summary: {{en: "Une e\u0301valuation"}}
    organization: "  Cre\u0301dit rural "
    dimensions: [4]
    added: 2024-01-02
    links:
{links}
"""


def odd_catalogue() -> str:
    links = "".join(f"      - {{lang: en, url: {_url(name)}, label: 'Versio\u0301n {n}'}}\n" for n, name in enumerate(ODD))
    return CATALOGUE.format(links=links)


def odd_docs(docs: Path) -> None:
    (docs / "documents").mkdir(parents=True, exist_ok=True)
    for name in ODD:
        (docs / "documents" / name).write_bytes(f"the file {name}".encode())


def test_open_data_addresses_are_percent_encoded(tmp_path, taxonomy):
    odd_docs(tmp_path)
    (tmp_path / "resources.yaml").write_text(odd_catalogue(), encoding="utf-8")
    catalogue = load_catalogue(tmp_path / "resources.yaml", taxonomy, tmp_path)
    record = json.loads(catalogue_json(catalogue))["resources"][0]
    urls = [link["url"] for link in record["links"]]
    assert urls == [
        "documents/a%23b.pdf",
        "documents/%2541.pdf",
        "documents/gu%C3%ADa%202.pdf",
        "documents/a%26c.pdf",
        "documents/director%27s%20guide.pdf",
    ]
    for url, name in zip(urls, ODD, strict=True):  # each opens its own file, relative to data/../
        target = urlsplit(urljoin("https://example.org/library/data/resources.json", "../" + url))
        assert target.fragment == "" and target.query == ""
        assert unquote(target.path) == f"/library/documents/{name}"
    row = next(csv.DictReader(io.StringIO(catalogue_csv(catalogue).lstrip("\ufeff"))))
    assert row["links"].splitlines() == [f"en {url}" for url in urls]


def test_text_is_published_composed(tmp_path, taxonomy):
    odd_docs(tmp_path)
    (tmp_path / "resources.yaml").write_text(odd_catalogue(), encoding="utf-8")
    resource = load_catalogue(tmp_path / "resources.yaml", taxonomy, tmp_path).resources[0]
    assert resource.title == {"en": "Guía de cobranza", "fr": "Évaluation"}
    assert resource.summary == {"en": "Une évaluation"}
    assert resource.organization == "Crédit rural"
    assert [link.label for link in resource.links] == [f"Versión {n}" for n in range(len(ODD))]
    for text in [*resource.title.values(), *resource.summary.values(), resource.organization]:
        assert unicodedata.is_normalized("NFC", text)


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("odd") / "project", odd_catalogue(), FIXTURES / "docs")
    odd_docs(project / "docs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://example.org/library/"}
    env.pop("SPM_CATALOGUE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def test_pages_link_the_documents_they_name(odd_site):
    soup = page(odd_site, "resources/odd-names/")
    base = odd_site / "resources" / "odd-names"
    hrefs = [a["href"] for a in soup.select("a[href*='documents/']")]
    assert len(hrefs) >= len(ODD)
    for name in ODD:
        opened = [h for h in hrefs if (base / unquote(urlsplit(h).path)).resolve() == (odd_site / "documents" / name)]
        assert opened, (name, hrefs)
        assert all(urlsplit(h).fragment == "" and urlsplit(h).query == "" for h in opened)
    assert (odd_site / "documents" / "a#b.pdf").read_bytes() == b"the file a#b.pdf"


def test_pages_feeds_and_data_show_composed_titles(odd_site):
    decomposed = unicodedata.normalize("NFD", "Guía")
    texts = [
        (odd_site / "resources" / "odd-names" / "index.html").read_text(encoding="utf-8"),
        (odd_site / "resources" / "index.html").read_text(encoding="utf-8"),
        (odd_site / "data" / "resources.json").read_text(encoding="utf-8"),
        (odd_site / "data" / "resources.csv").read_text(encoding="utf-8-sig"),
        (odd_site / "feed.xml").read_text(encoding="utf-8"),
    ]
    for text in texts:
        assert "Guía de cobranza" in text
        assert decomposed not in text
    assert "Guía de cobranza" in page(odd_site, "resources/odd-names/").select_one("title").get_text()


@pytest.mark.parametrize(("name", "refused"), NAMES, ids=[repr(n) for n, _ in NAMES])
def test_editors_schema_refuses_the_same_names(name, refused):
    """schema/resources.schema.json (for editors) agrees with the validator on each name."""
    from spmlib.model.rules import Url

    accepted = jsonschema.Draft202012Validator(Url().json_schema()).is_valid(f"documents/{name}")
    assert accepted == (refused is None)
