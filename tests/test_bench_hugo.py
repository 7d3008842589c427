"""The benchmark's Hugo reference builds the same pages as the plain reference, in every language.

`make bench` compares our build per page with Hugo's: that comparison means something only if
Hugo builds every page of the plan, in the right language and at the right address, with the
same content. These tests build a small generated catalogue with Hugo into tmp_path.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import LANGUAGES, ROOT, prefix

from benchmarks import bench, hugo
from benchmarks.generate import generate
from spmlib.model.catalogue import load_catalogue
from spmlib.model.taxonomy import load_taxonomy
from spmlib.site.pagekinds import plan_pages

needs_hugo = pytest.mark.skipif(shutil.which("hugo") is None, reason="Debian's hugo is not installed (make bench installs it)")


def html_file(lang: str, path: str) -> str:
    """Where MkDocs (directory addresses) writes a page of the plan: 'resources/x.md' is resources/x/index.html."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return f"{prefix(lang)}{stem}.html"
    return f"{prefix(lang)}{stem}/index.html"


def parsed(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    directory = tmp_path_factory.mktemp("hugo-catalogue")
    (directory / "resources.yaml").write_text(generate(30), encoding="utf-8")
    return load_catalogue(directory / "resources.yaml", load_taxonomy(ROOT / "taxonomy"), ROOT / "docs")


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(hugo.command(project, site), capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def hugo_site(catalogue, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hugo")
    project = hugo.write_project(base / "project", catalogue, ROOT / "docs")
    done = build(project, base / "site")
    assert done.returncode == 0, done.stderr
    return base / "site"


@needs_hugo
def test_every_page_of_the_plan_in_every_language_and_nothing_else(catalogue, hugo_site):
    expected = {}
    for lang in LANGUAGES:
        for spec in plan_pages(catalogue, lang):
            if spec.path is not None:
                source = spec.path if spec.path.endswith(".md") else f"{spec.path}.md"
                expected[html_file(lang, source)] = (lang, spec)
    made = {str(path.relative_to(hugo_site)) for path in hugo_site.rglob("*.html")}
    # Hugo's only page of its own: /en/ sends readers to the English home at the root.
    assert parsed(hugo_site, "en/index.html").find("meta", attrs={"http-equiv": "refresh"})["content"].endswith("8000/")
    assert made - {"en/index.html"} == set(expected)
    assert len(expected) == hugo.page_count(catalogue)
    for name, (lang, spec) in expected.items():
        soup = parsed(hugo_site, name)
        assert soup.html["lang"] == lang, name
        if spec.title is not None and spec.kind != "home":  # the home and about pages keep docs/'s heading
            assert soup.main.h1.get_text() == spec.title, name
        # the navigation is the same tree as ours, and marks the page when it is in it
        assert soup.select_one("nav.site a[href$='/dimensions/1/']") is not None, name
        if spec.in_nav and spec.path is not None:
            assert soup.select_one("nav.site a[aria-current=page]")["href"] == "/" + name.removesuffix("index.html"), name
        for link in soup.main.find_all("a", href=lambda href: href.startswith("/")):
            assert (hugo_site / link["href"].lstrip("/") / "index.html").exists() or (
                hugo_site / link["href"].lstrip("/")
            ).is_file(), f"{name} links to missing {link['href']}"


@needs_hugo
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_resource_page_shows_its_title_standards_and_downloads(catalogue, hugo_site, lang):
    order = catalogue.taxonomy.fallback_order
    resource = next(r for r in catalogue.resources if r.links and r.standards)
    soup = parsed(hugo_site, html_file(lang, f"resources/{resource.id}.md"))
    assert soup.main.h1.get_text() == resource.pick("title", lang, order)[0]
    assert soup.title.get_text().startswith(resource.pick("title", lang, order)[0])
    hrefs = [a["href"] for a in soup.main.find_all("a")]
    for link in resource.links:
        assert link.url in hrefs
    for code in resource.standards:
        slug = catalogue.taxonomy.standards[code].slug
        assert f"/{prefix(lang)}standards/{slug}/" in hrefs
    downloads = soup.main.find("h2", string=catalogue.taxonomy.label("downloads", lang))
    assert len(downloads.find_next("ul").find_all("a")) == len(resource.links)
    alternates = {a["hreflang"]: a["href"] for a in soup.select("link[rel=alternate][hreflang]")}
    assert alternates == {other: f"http://127.0.0.1:8000/{prefix(other)}resources/{resource.id}/" for other in LANGUAGES}


@needs_hugo
def test_list_pages_list_every_member(catalogue, hugo_site):
    every = parsed(hugo_site, "fr/resources/index.html")
    listed = [a["href"] for a in every.main.find_all("a")]
    assert sorted(listed) == sorted(f"/fr/resources/{r.id}/" for r in catalogue.resources)
    code = next(iter(catalogue.by_standard))
    standard = parsed(hugo_site, f"es/standards/{catalogue.taxonomy.standards[code].slug}/index.html")
    assert {a["href"] for a in standard.main.find_all("a")} == {f"/es/resources/{r.id}/" for r in catalogue.by_standard[code]}


@needs_hugo
def test_each_language_has_a_search_index_sitemap_and_feed(hugo_site):
    for lang in LANGUAGES:
        index = json.loads((hugo_site / prefix(lang) / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert all(doc["location"].startswith(f"/{prefix(lang)}") for doc in index["docs"])
        assert (hugo_site / prefix(lang) / "index.xml").is_file()
    assert (hugo_site / "sitemap.xml").is_file()


@needs_hugo
def test_a_link_to_a_missing_page_fails_the_hugo_build(catalogue, tmp_path):
    project = hugo.write_project(tmp_path / "project", catalogue, ROOT / "docs")
    page = project / "content" / "fr" / "topics" / "_index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n- [gone](/resources/no-such-entry.md)\n", encoding="utf-8")
    done = build(project, tmp_path / "site")
    assert done.returncode != 0
    assert "link to a page that does not exist: /resources/no-such-entry.md" in done.stdout


def test_the_report_says_when_hugo_is_missing_and_compares_per_page():
    measured = {
        500: {"pages": 2000, "full": {"seconds": 10.0, "peak_mb": 100}, "hugo": {"note": "hugo not installed"}},
        2000: {
            "pages": 8000,
            "full": {"seconds": 40.0, "peak_mb": 300},
            "reference": {"seconds": 160.0, "peak_mb": 200},
            "hugo": {"seconds": 8.0, "peak_mb": 150, "output_mb": 90.5, "pages_per_second": 1000},
        },
    }
    # sizes the other tables show are left at 0
    rows = [defaultdict(int, {"entries": entries, **row}) for entries, row in measured.items()]
    lines = bench.report(rows).splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    first = [dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True)) for line in lines[2:4]]
    assert first[0]["Hugo"] == "hugo not installed"
    assert first[0]["full ÷ Hugo"] == "–"
    assert first[1]["Hugo"] == "8.0 s / 150 MB"
    assert first[1]["full ÷ Hugo"] == "5.00"
    assert "| 500 | 2,000 | 5.00 / – / – | – | – MB |" in lines
    assert "| 2,000 | 8,000 | 5.00 / 20.00 / 1.00 | 1000 | 90.5 MB |" in lines
