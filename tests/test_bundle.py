"""Offline bundles: subset, documents, reproducible zip, and the bundle working from file:// in Chromium."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import re
import threading
import time
import zipfile
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, make_project

from spmlib.model.catalogue import Link, load_catalogue
from spmlib.model.subset import Subset
from spmlib.outputs.bundle import make_bundle, write_zip
from spmlib.outputs.fetch import FetchSettings, downloadable, fetch_documents
from spmlib.outputs.netpolicy import AddressPolicy
from spmlib.outputs.offline import BundleError, OfflineOptions, bundle_name, localise_docs

D4 = Subset(dimensions=frozenset({4}))


@pytest.fixture(scope="module")
def catalogue(taxonomy):
    return load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")


# (subset, ids kept)
SUBSETS = [
    (Subset(), {"smart-operations-tool", "cobranza-con-dignidad", "xss-probe", "surendettement-guide"}),
    (D4, {"smart-operations-tool", "cobranza-con-dignidad", "surendettement-guide"}),
    (Subset(standards=frozenset({"4C"})), {"smart-operations-tool"}),
    (
        Subset(standards=frozenset({"1A"}), dimensions=frozenset({4})),
        {"smart-operations-tool", "cobranza-con-dignidad", "surendettement-guide", "xss-probe"},
    ),
    (
        Subset(dimensions=frozenset({4}), types=frozenset({"tool", "guidance-note"})),
        {"smart-operations-tool", "surendettement-guide"},
    ),
    (Subset(topics=frozenset({"collections"})), {"cobranza-con-dignidad"}),
]


@pytest.mark.parametrize(("subset", "kept"), SUBSETS)
def test_subset_keeps_the_right_resources(catalogue, subset, kept):
    assert {r.id for r in subset.apply(catalogue).resources} == kept


def test_subset_scope_of_pages(catalogue):
    scoped = Subset(standards=frozenset({"4A"})).apply(catalogue)
    assert scoped.scope_dimensions == {4}
    assert scoped.scope_standards == {"4A"}
    assert Subset().apply(catalogue).scope_dimensions is None


def test_subset_problems_name_what_is_allowed(catalogue):
    problems = Subset(dimensions=frozenset({9}), standards=frozenset({"4Z"}), topics=frozenset({"nope"})).problems(catalogue)
    assert problems[0].startswith("unknown dimension 9; allowed: 1, 2, 3, 4, 5, 6, 7")
    assert problems[1].startswith("unknown standard 4Z; allowed: 1A")
    assert problems[2] == "unknown topic nope; allowed: client-protection, collections, over-indebtedness"


def test_relinked_documents(catalogue):
    relinked = Subset().apply(catalogue, {"https://example.org/cobranza.pdf": "documents/offline/c.pdf"})
    (link,) = relinked.by_id["cobranza-con-dignidad"].links
    assert link.url == "documents/offline/c.pdf" and link.is_local


@pytest.mark.parametrize(
    ("url", "fmt", "expected"),
    [
        ("https://e.org/a.pdf", "pdf", True),
        ("https://e.org/a.xlsx", "xls", True),
        ("https://e.org/", "web", False),
        ("https://youtube.com/watch?v=1", "video", False),
        ("https://e.org/clip.mp4", "video", True),
        ("documents/a.pdf", "pdf", False),
    ],
)
def test_which_links_are_downloaded(url, fmt, expected):
    assert downloadable(Link("en", url, fmt)) is expected


def test_bundle_names():
    assert bundle_name(["fr"], D4) == "spm-library-fr-d4"
    assert (
        bundle_name(["en", "es"], Subset(standards=frozenset({"4A"}), types=frozenset({"tool"}))) == "spm-library-en-es-4a-tool"
    )


def test_localise_docs_puts_the_first_language_at_the_root(tmp_path):
    (tmp_path / "index.md").write_text("English")
    (tmp_path / "index.fr.md").write_text("Français")
    (tmp_path / "index.es.md").write_text("Español")
    (tmp_path / "about.md").write_text("About")
    localise_docs(tmp_path, ["fr", "en"], "en", ["en", "fr", "es", "pt"])
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "index.md": "Français",
        "index.en.md": "English",
        "about.md": "About",  # no French version: the default's text, as static-i18n would fall back
        "about.en.md": "About",
    }


def test_zip_is_byte_identical_and_sorted(tmp_path):
    site = tmp_path / "site"
    (site / "b").mkdir(parents=True)
    (site / "b" / "z.html").write_text("z")
    (site / "a.html").write_text("a")
    os.utime(site / "a.html", (1_000_000_000, 1_000_000_000))  # 2001
    write_zip(site, tmp_path / "one.zip", "bundle")
    os.utime(site / "a.html", (1_700_000_000, 1_700_000_000))  # 2023: changed, whatever the clock's resolution
    write_zip(site, tmp_path / "two.zip", "bundle")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert archive.namelist() == ["bundle/a.html", "bundle/b/z.html"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


class DocumentServer(http.server.BaseHTTPRequestHandler):
    """ok.pdf, a 404, a server slower than the timeout, files over the cap, and one that fails once."""

    hits: dict[str, int] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        try:
            self.answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (size cap, timeout)

    def answer(self):
        path = urlsplit(self.path).path
        DocumentServer.hits[path] = DocumentServer.hits.get(path, 0) + 1
        if path == "/ok.pdf":
            return self.send(b"%PDF-1.4 ok")
        if path == "/flaky.xlsx":
            if DocumentServer.hits[path] == 1:
                self.send_response(503)
                self.end_headers()
                return None
            return self.send(b"PK\x03\x04 flaky")
        if path == "/slow.pdf":
            time.sleep(2)
            return self.send(b"%PDF slow")
        if path == "/big.pdf":
            return self.send(b"x" * 300_000)
        if path == "/big-chunked.pdf":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"y" * 10_000)
            return None
        self.send_response(404)
        self.end_headers()
        return None

    def send(self, body: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def document_server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DocumentServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = AddressPolicy(allow_private=True)  # the document server listens on 127.0.0.1


def documents_catalogue(base: str) -> str:
    links = "\n".join(
        f'      - {{lang: en, url: "{base}/{name}"}}'
        for name in ("ok.pdf", "missing.pdf", "slow.pdf", "big.pdf", "big-chunked.pdf", "flaky.xlsx")
    )
    text = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8")
    old = re.search(r'      - \{lang: en, url: "https://example.org/smart-ops-en.xlsx"\}\n.*?PowerPoint\}\n', text, re.S)
    return text.replace(old.group(0), links + "\n")  # no address outside 127.0.0.1: tests run offline


def test_fetch_documents(tmp_path, taxonomy, document_server):
    path = tmp_path / "resources.yaml"
    path.write_text(documents_catalogue(document_server), encoding="utf-8")
    catalogue = load_catalogue(path, taxonomy, FIXTURES / "docs")
    smart = [catalogue.by_id["smart-operations-tool"]]
    DocumentServer.hits.clear()
    log = io.StringIO()
    settings = FetchSettings(max_bytes=100_000, timeout=0.5, retries=1, backoff=0, policy=LOCAL)
    fetched = fetch_documents(smart, tmp_path / "docs", tmp_path / "cache", settings, out=log)

    included = {url.rsplit("/", 1)[1]: path for url, path in fetched.included.items()}
    assert set(included) == {"ok.pdf", "flaky.xlsx"}
    assert (tmp_path / "docs" / included["ok.pdf"]).read_bytes() == b"%PDF-1.4 ok"
    assert included["flaky.xlsx"].endswith(".xlsx")
    reasons = {item["url"].rsplit("/", 1)[1]: item["reason"] for item in fetched.missing}
    assert reasons["missing.pdf"] == "HTTP 404 Not Found"
    assert "timed out" in reasons["slow.pdf"] or "too slow" in reasons["slow.pdf"]
    assert reasons["big.pdf"].startswith("larger than the 0 MB cap (0.3 MB)")
    assert reasons["big-chunked.pdf"].startswith("larger than the 0 MB cap")
    assert DocumentServer.hits["/missing.pdf"] == 1  # a 404 is not retried
    assert DocumentServer.hits["/flaky.xlsx"] == 2  # a 503 is
    assert DocumentServer.hits["/slow.pdf"] == 2
    assert "[####################] 6/6" in log.getvalue()

    # a second run takes what it has from the cache and only retries the failures
    DocumentServer.hits.clear()
    again = fetch_documents(smart, tmp_path / "docs2", tmp_path / "cache", settings, out=log)
    assert again.included.keys() == fetched.included.keys()
    assert "/ok.pdf" not in DocumentServer.hits and "/flaky.xlsx" not in DocumentServer.hits
    assert DocumentServer.hits["/missing.pdf"] == 1


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """The fixture library as a French and English bundle of Dimension 4, built twice."""
    base = tmp_path_factory.mktemp("bundle")
    project = make_project(base / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    log = io.StringIO()
    first = make_bundle(OfflineOptions(project, ("fr", "en"), D4, out_dir=base / "one"), out=log)
    second = make_bundle(OfflineOptions(project, ("fr", "en"), D4, out_dir=base / "two"), out=log)
    unpacked = base / "unpacked"
    with zipfile.ZipFile(first.zip_path) as archive:
        archive.extractall(unpacked)
    return {"first": first, "second": second, "root": unpacked / first.info["name"], "project": project}


def test_two_runs_give_the_same_zip(bundle):
    one, two = bundle["first"].zip_path.read_bytes(), bundle["second"].zip_path.read_bytes()
    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(two).hexdigest()
    assert bundle["first"].zip_path.name == "spm-library-fr-en-d4.zip"


def test_bundle_holds_the_subset_and_nothing_else(bundle):
    root = bundle["root"]
    assert (root / "index.html").is_file() and (root / "en" / "index.html").is_file()
    assert not (root / "es").exists() and not (root / "pt").exists()
    assert (root / "dimensions" / "4" / "index.html").is_file()
    assert (root / "standards" / "4a.html").is_file()
    assert not (root / "standards" / "1a.html").exists() and not (root / "dimensions" / "1" / "index.html").exists()
    assert not (root / "resources" / "xss-probe.html").exists()
    assert (root / "resources" / "cobranza-con-dignidad.html").is_file()
    assert not list(root.rglob("sitemap.xml*")) and not list(root.rglob("search_index.json"))
    assert not list(root.rglob("*.map")) and not list(root.rglob("404.html"))
    lunr = sorted(p.name for p in (root / "assets" / "javascripts" / "lunr").rglob("*.js"))
    assert lunr == ["lunr.fr.min.js", "lunr.multi.min.js", "lunr.stemmer.support.min.js"]
    assert (root / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    assert "spm-library-fr-en-d4.zip" not in bundle["first"].report and "zip" in bundle["first"].report


def test_nothing_links_to_a_missing_file(bundle):
    root = bundle["root"]
    checked = 0
    for html in root.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("[href], [src]"):
            target = tag.get("href") or tag.get("src")
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("#", "//")) or (tag.name == "link" and tag.get("rel") == ["canonical"]):
                continue
            path = (html.parent / unquote(parts.path)).resolve() if parts.path else html
            if path.is_dir():
                path = path / "index.html"
            assert path.is_file(), f"{html.relative_to(root)} links to {target}"
            checked += 1
    assert checked > 500


def test_pages_outside_the_subset_are_plain_text(bundle):
    soup = BeautifulSoup((bundle["root"] / "resources" / "smart-operations-tool.html").read_text(encoding="utf-8"), "html.parser")
    standards = [li for li in soup.select(".spm-details li") if re.match(r"4[AC]\.", li.get_text())]
    assert standards and all(li.find("a") for li in standards)
    dimensions = BeautifulSoup((bundle["root"] / "dimensions" / "index.html").read_text(encoding="utf-8"), "html.parser")
    heading = dimensions.select_one("#dimension-1")
    assert heading.find("a") is None and "Dimension 1" in heading.get_text()


def test_about_this_bundle(bundle):
    soup = BeautifulSoup((bundle["root"] / "bundle.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == "À propos de ce paquet"
    details = {dt.get_text(): dd.get_text(" ", strip=True) for dt, dd in zip(soup.select("dt"), soup.select("dd"), strict=True)}
    assert details["Langues"] == "Français, Anglais"
    assert details["Contenu"] == "Dimension 4. Traiter les clients de manière responsable"
    assert details["Toutes les ressources"] == "3 ressources"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", details["Bibliothèque à la date du"])
    assert "Aucun fichier" in details["Documents inclus"]
    nav = BeautifulSoup((bundle["root"] / "en" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "About this bundle" in [a.get_text(strip=True) for a in nav.select(".md-tabs__link")]


def test_wrong_options_are_explained(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    with pytest.raises(BundleError, match="unknown language de; allowed: en, fr, es, pt"):
        make_bundle(OfflineOptions(project, ("de",)))
    with pytest.raises(BundleError, match="unknown standard 9Z"):
        make_bundle(OfflineOptions(project, ("fr",), Subset(standards=frozenset({"9Z"}))))
    with pytest.raises(BundleError, match="no resource is in this subset"):
        make_bundle(OfflineOptions(project, ("fr",), Subset(dimensions=frozenset({7}))))


def test_documents_are_bundled_and_missing_ones_listed(tmp_path, document_server):
    project = make_project(tmp_path / "project", documents_catalogue(document_server), FIXTURES / "docs")
    DocumentServer.hits.clear()
    options = OfflineOptions(
        project,
        ("en",),
        Subset(standards=frozenset({"4C"})),
        documents=True,
        out_dir=tmp_path / "dist",
        cache_dir=tmp_path / "cache",
        downloads=FetchSettings(policy=LOCAL, max_bytes=100_000, timeout=0.5, retries=1, backoff=0),
    )
    result = make_bundle(options, out=io.StringIO())
    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
        page = archive.read(f"{result.info['name']}/resources/smart-operations-tool.html").decode("utf-8")
        about = archive.read(f"{result.info['name']}/bundle.html").decode("utf-8")
    offline = [n for n in names if "/documents/offline/" in n]
    assert len(offline) == 2
    hrefs = [a["href"] for a in BeautifulSoup(page, "html.parser").select(".spm-downloads a")]
    assert sum(h.startswith("../documents/offline/") for h in hrefs) == 2
    assert f"{document_server}/missing.pdf" in hrefs  # still online, and listed as missing
    missing = [li["data-url"] for li in BeautifulSoup(about, "html.parser").select(".spm-missing li")]
    assert sorted(m.rsplit("/", 1)[1] for m in missing) == ["big-chunked.pdf", "big.pdf", "missing.pdf", "slow.pdf"]
    assert "4 document(s) could not be fetched" in result.report


def test_vendored_worker_shim_matches_npm():
    npm = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
    if not npm.is_file():
        pytest.skip("run `make install-dev`")
    vendored = (ROOT / "overrides" / "assets" / "javascripts" / "vendor" / "iframe-worker-shim.js").read_text(encoding="utf-8")
    assert vendored.split("*/\n", 1)[1] == npm.read_text(encoding="utf-8")


@pytest.mark.browser
def test_bundle_works_from_file_urls_without_network(bundle, tab):
    root = bundle["root"]
    tab.goto((root / "index.html").as_uri())
    header = tab.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header == "rgb(0, 105, 92)"  # the stylesheet is there
    assert tab.locator("h1").first.inner_text().startswith("Bibliothèque de ressources GPS")

    tab.locator(".md-tabs__link", has_text="Dimensions").click()
    tab.wait_for_url("**/dimensions/index.html")
    tab.locator("a", has_text="Traiter les clients de manière responsable").first.click()
    tab.wait_for_url("**/dimensions/4/index.html")

    tab.hover(".md-select")
    tab.click('.md-select__link[hreflang="en"]')
    tab.wait_for_url("**/en/dimensions/4/index.html")
    assert tab.locator("h1").first.inner_text().startswith("Dimension 4. Treat clients responsibly")

    tab.goto((root / "index.html").as_uri())
    field = tab.locator("input[data-md-component=search-query]")
    field.click()
    field.press_sequentially("surendettement", delay=20)
    tab.wait_for_selector(".md-search-result__item", timeout=10000)
    hrefs = [a.get_attribute("href") for a in tab.query_selector_all(".md-search-result__link")]
    assert hrefs and not any("/en/" in h for h in hrefs)

    # the keyword text, the keys and the title order come on demand, by <script>, from file://
    # (the tool names standard 4A, "Prévention du surendettement", as the header search finds it)
    tab.goto((root / "resources" / "index.html").as_uri() + "?q=surendettement&sort=title")
    tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
    assert tab.locator("[data-explorer] [data-count]").inner_text() == "2"
    ids = tab.locator("[data-results] > li").evaluate_all("items => items.map(li => li.dataset.id)")
    assert sorted(ids) == ["smart-operations-tool", "surendettement-guide"]
    tab.goto((root / "resources" / "index.html").as_uri() + "?type=tool")
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    assert tab.locator("[data-explorer] [data-count]").inner_text() == "1"
    tab.locator("[data-results] a").first.click()
    tab.wait_for_url("**/resources/smart-operations-tool.html")

    assert tab.outside == []
    assert tab.errors == []


def test_command_line_reports_wrong_options(tmp_path):
    import subprocess
    import sys

    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    result = subprocess.run(
        [sys.executable, "-m", "spmlib", "bundle", "--lang", "fr", "--dimension", "4,9", "--root", str(project)],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "bundle: unknown dimension 9; allowed: 1, 2, 3, 4, 5, 6, 7"
