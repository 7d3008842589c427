"""In Chromium: the explorer's "Download these results (CSV)" over http and from file://, and no
sitemap or feed fetched when a page loads (only a reader's click on the feed link fetches it)."""

from __future__ import annotations

import csv
import io
import zipfile
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, LANGUAGES, make_project, prefix, serve

from spmlib.model.subset import Subset
from spmlib.outputs.bundle import make_bundle
from spmlib.outputs.offline import OfflineOptions

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(fixture_site):
    with serve(fixture_site) as url:
        yield url


@pytest.fixture(scope="module")
def bundle_root(tmp_path_factory):
    """The whole fixture library as a French and English offline bundle, unpacked."""
    base = tmp_path_factory.mktemp("reuse-bundle")
    project = make_project(base / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    result = make_bundle(OfflineOptions(project, ("fr", "en"), Subset(), out_dir=base / "dist"), out=io.StringIO())
    with zipfile.ZipFile(result.zip_path) as archive:
        archive.extractall(base / "unpacked")
    return base / "unpacked" / result.info["name"]


def download_results(tab) -> tuple[list[dict[str, str]], str]:
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    with tab.expect_download() as info:
        tab.click("[data-export-csv]")
    download = info.value
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))), download.suggested_filename


def shown(tab) -> tuple[int, list[str]]:
    tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
    count = int(tab.locator("[data-explorer] [data-count]").inner_text())
    ids = tab.locator("[data-results] > li").evaluate_all("items => items.map(li => li.dataset.id)")
    return count, ids


QUERIES = ["", "standard=4A", "language=es", "type=tool,guide&sort=title", "q=zzzz-nothing"]


@pytest.mark.parametrize("query", QUERIES, ids=[q or "all" for q in QUERIES])
def test_export_matches_the_shown_results_over_http(server, tab, query):
    tab.goto(server + "fr/resources/" + (f"?{query}" if query else ""))
    rows, name = download_results(tab)
    count, ids = shown(tab)
    assert len(rows) == count and [row["id"] for row in rows] == ids
    assert name == "spm-resources-fr.csv"
    for row in rows:
        assert urlsplit(row["address"]).path == f"/fr/resources/{row['id']}/"
    assert tab.errors == [] and tab.outside == []


def test_export_follows_the_filters_the_reader_ticks(server, tab):
    tab.goto(server + "es/resources/")
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    tab.locator('[data-facet="type"] summary').click()
    tab.locator('input[name="type"][value="case-study"]').check()
    rows, _ = download_results(tab)
    assert [row["id"] for row in rows] == ["cobranza-con-dignidad"] == shown(tab)[1]
    row = rows[0]
    assert row["title"] == "Nota SMART: Cobranza con dignidad en FinComún" and row["title_language"] == "es"
    assert (row["type"], row["dimensions"], row["languages"], row["countries"]) == ("case-study", "4", "es", "MX")


FORMULA_TITLES = [('=HYPERLINK("x")', '\'=HYPERLINK("x")'), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx")]


@pytest.mark.parametrize(("title", "expected"), FORMULA_TITLES)
def test_exported_cells_cannot_run_as_formulas(server, tab, title, expected):
    tab.goto(server + "resources/?q=risky")
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    # a catalogue title that a spreadsheet would run, put into the rows the explorer hands over
    tab.evaluate(
        """t => {
          const rows = window.spmExplorer.exportRows;
          const swap = r => (r[0] === 'xss-probe' ? [r[0], t, ...r.slice(2)] : r);
          window.spmExplorer.exportRows = then => rows(list => then(list.map(swap)));
        }""",
        title,
    )
    rows, _ = download_results(tab)
    assert [row["id"] for row in rows] == ["xss-probe"]
    assert rows[0]["title"] == expected
    assert tab.evaluate("window.__xss === undefined")


def test_export_works_from_a_bundle_on_file_urls(bundle_root, tab):
    tab.goto((bundle_root / "resources" / "index.html").as_uri() + "?type=tool,case-study")
    rows, name = download_results(tab)
    count, ids = shown(tab)
    assert count == 2 and [row["id"] for row in rows] == ids
    assert name == "spm-resources-fr.csv"
    assert all(row["address"].startswith("file://") and row["address"].endswith(f"/{row['id']}.html") for row in rows)
    assert tab.outside == [] and tab.errors == []


def test_bundles_have_open_data_but_no_feed_or_sitemap(bundle_root):
    assert (bundle_root / "data" / "resources.json").is_file() and (bundle_root / "data" / "resources.csv").is_file()
    assert not list(bundle_root.rglob("feed.xml")) and not list(bundle_root.rglob("sitemap.xml"))
    assert "spm-feed" not in (bundle_root / "index.html").read_text(encoding="utf-8")
    # a bundle has no public address: the metadata gives none (the canonical link is MkDocs')
    resource = (bundle_root / "resources" / "xss-probe.html").read_text(encoding="utf-8")
    assert resource.count("127.0.0.1") == resource.count('rel="canonical"') == 1
    assert "citation_public_url" not in resource and 'name="citation_title"' in resource


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_sitemap_or_feed_is_fetched_on_page_load(server, tab, lang):
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(urlsplit(request.url).path))
    for path in ("", "resources/", "resources/smart-operations-tool/", "about/"):
        tab.goto(server + prefix(lang) + path)
        tab.wait_for_load_state("networkidle")
    assert len([p for p in requested if p.endswith(".html") or p.endswith("/")]) >= 4
    assert [p for p in requested if "sitemap" in p or p.endswith("feed.xml") or "/data/" in p] == []
    assert tab.errors == [] and tab.outside == []
