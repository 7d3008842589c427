"""Kiwix ZIM files: entries, metadata, indexes, reproducibility, and the ZIM served by kiwix-serve in Chromium."""

from __future__ import annotations

import contextlib
import http.server
import io
import posixpath
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, make_project, wait_for

from spmlib.model.subset import Subset
from spmlib.outputs.fetch import FetchSettings
from spmlib.outputs.netpolicy import AddressPolicy
from spmlib.outputs.offline import BundleError, OfflineOptions
from spmlib.outputs.zim import ISO639_3, Entry, make_zim, mimetype, page_title, search_texts, write_zim, zim_left_out

libzim = pytest.importorskip("libzim")
from libzim.reader import Archive  # noqa: E402
from libzim.search import Query, Searcher  # noqa: E402
from libzim.suggestion import SuggestionSearcher  # noqa: E402

D4 = Subset(dimensions=frozenset({4}))
KIWIX_SERVE = shutil.which("kiwix-serve") or "/usr/bin/kiwix-serve"


def entries_of(archive: Archive) -> dict[str, tuple[str, str, bytes]]:
    """Every entry of a ZIM: path -> (title, MIME type, content)."""
    found = {}
    for number in range(archive.entry_count):
        entry = archive._get_entry_by_id(number)
        item = entry.get_item()
        found[entry.path] = (entry.title, item.mimetype, bytes(item.content))
    return found


def search(archive: Archive, words: str) -> list[str]:
    result = Searcher(archive).search(Query().set_query(words))
    return list(result.getResults(0, result.getEstimatedMatches()))


@pytest.fixture(scope="module")
def zim(tmp_path_factory):
    """The fixture library as a French and English ZIM of Dimension 4, made twice."""
    base = tmp_path_factory.mktemp("zim")
    project = make_project(base / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    log = io.StringIO()
    first = make_zim(OfflineOptions(project, ("fr", "en"), D4, out_dir=base / "one"), out=log)
    second = make_zim(OfflineOptions(project, ("fr", "en"), D4, out_dir=base / "two"), out=log)
    return {"first": first, "second": second, "archive": Archive(first.path), "project": project, "log": log.getvalue()}


def test_entries_hold_every_page_and_asset_with_its_mime_type(zim):
    entries = entries_of(zim["archive"])
    assert zim["first"].path.name == "spm-library-fr-en-d4.zim"
    for path in (
        "index.html",
        "dimensions/4/index.html",
        "resources/surendettement-guide.html",
        "resources/index.html",
        "en/resources/surendettement-guide.html",
        "bundle.html",
        "search/search_index.json",
        "en/search/search_index.json",
        "documents/sample-guide.pdf",
    ):
        assert path in entries, path
    assert not [p for p in entries if p.endswith(("search_index.js", "sitemap.xml", "404.html", ".map"))]
    assert "standards/1a.html" not in entries and "es/index.html" not in entries
    kinds = {p.rsplit(".", 1)[-1]: kind for p, (_, kind, _) in entries.items()}
    assert kinds == {
        "html": "text/html",
        "css": "text/css",
        "js": "application/javascript",
        "json": "application/json",
        "csv": "text/csv",  # the open data (data/resources.csv)
        "svg": "image/svg+xml",
        "png": "image/png",
        "pdf": "application/pdf",
    }
    title, _, content = entries["resources/surendettement-guide.html"]
    assert title == "Prévenir le surendettement des clients"
    assert entries["en/standards/4a.html"][0] == "4A. Prevention of over-indebtedness"
    assert content.lstrip().startswith(b"<!doctype html>")
    lunr = sorted(p.rsplit("/", 1)[1] for p in entries if "/lunr/" in p)
    assert lunr == ["lunr.en.min.js", "lunr.fr.min.js", "lunr.multi.min.js", "lunr.stemmer.support.min.js"] or lunr == [
        "lunr.fr.min.js",
        "lunr.multi.min.js",
        "lunr.stemmer.support.min.js",
    ]


def test_metadata_that_kiwix_readers_show(zim):
    archive = zim["archive"]
    meta = {key: bytes(archive.get_metadata(key)).decode("utf-8") for key in archive.metadata_keys if "Illustration" not in key}
    assert meta["Title"] == "Bibliothèque de ressources GPS"
    assert meta["Language"] == "fra,eng"
    assert meta["Description"] == "Ressources de gestion de la performance sociale pour la finance inclusive"
    assert len(meta["Description"]) <= 80 and len(meta["Title"]) <= 30
    assert meta["LongDescription"].startswith("Guides, outils, études de cas")
    assert meta["Name"] == "spm-library_fr-en_d4"
    assert meta["Creator"] and meta["Publisher"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["Date"]) and meta["Date"] == zim["first"].info["date"]
    assert "_category:other" in meta["Tags"].split(";")
    assert archive.has_illustration(48) and "Illustration_48x48@1" in archive.metadata_keys
    png = bytes(archive.get_illustration_item(48).content)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (48, 48)


def test_main_page_is_the_home_page_in_the_first_language(zim):
    archive = zim["archive"]
    item = archive.main_entry.get_item()
    assert item.path == "index.html"
    soup = BeautifulSoup(bytes(item.content).decode("utf-8"), "html.parser")
    assert soup.h1.get_text().startswith("Bibliothèque de ressources GPS")
    about = BeautifulSoup(bytes(archive.get_entry_by_path("bundle.html").get_item().content).decode(), "html.parser")
    assert "kiwix-serve" in about.select_one("article p").get_text() and "index.html" not in about.get_text()


def test_full_text_search_finds_the_french_page_for_a_french_word(zim):
    archive = zim["archive"]
    assert archive.has_fulltext_index and archive.has_title_index
    found = search(archive, "surendettement")
    # French pages (at the root of this French-English ZIM) answer first: the standard on
    # over-indebtedness and the French-only guide both carry the word in their titles
    assert not found[0].startswith("en/") and "resources/surendettement-guide.html" in found[:3]
    assert "en/resources/smart-operations-tool.html" not in found  # its English page does not use the word
    # the index holds each page's own text, not its menus: "Parcourir" is in every page's tabs
    assert search(archive, "Parcourir") == []
    assert "resources/cobranza-con-dignidad.html" in search(archive, "recouvrement")


def test_title_suggestions(zim):
    suggestion = SuggestionSearcher(zim["archive"]).suggest("surendettement")
    found = list(suggestion.getResults(0, 10))
    assert "resources/surendettement-guide.html" in found and "topics/over-indebtedness.html" in found
    assert not [p for p in found if not p.endswith(".html")]  # assets are not front articles


def test_same_input_gives_the_same_content(zim):
    one, two = Archive(zim["first"].path), Archive(zim["second"].path)
    assert entries_of(one) == entries_of(two)
    assert {k: bytes(one.get_metadata(k)) for k in one.metadata_keys} == {
        k: bytes(two.get_metadata(k)) for k in two.metadata_keys
    }
    assert one.main_entry.get_item().path == two.main_entry.get_item().path


def test_every_link_and_asset_is_in_the_zim(zim):
    archive = zim["archive"]
    checked = 0
    for path, (_, kind, content) in entries_of(archive).items():
        if kind != "text/html":
            continue
        soup = BeautifulSoup(content.decode("utf-8"), "html.parser")
        for tag in soup.select("[href], [src]"):
            target = tag.get("href") or tag.get("src")
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("#", "//")) or not parts.path:
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path)))
            assert archive.has_entry_by_path(resolved), f"{path} links to {target}"
            checked += 1
    assert checked > 500


def test_zimcheck_finds_nothing_wrong(zim):
    """openZIM's own checker: checksum, metadata, favicon, main page, empty entries, internal and
    external URLs, redundant content, redirect loops. Not its -I integrity check: libzim 9.3+ no
    longer writes the old (v0) title index and the zimcheck of Debian 12 (libzim 8) takes its
    absence for a broken header, as it does for every current Kiwix ZIM (openzim/zim-tools#484,
    openzim/libzim#969)."""
    zimcheck = shutil.which("zimcheck")
    if zimcheck is None:
        pytest.skip("zimcheck is not installed (make test installs zim-tools)")
    assert zim["archive"].check()  # libzim's own checksum and structure check, with the libzim that wrote it
    result = subprocess.run(
        [zimcheck, "-C", "-0", "-M", "-F", "-P", "-R", "-U", "-X", "-L", "-D", str(zim["first"].path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Overall Test Status: Pass" in result.stdout


def test_report_and_log(zim):
    assert "ZIM" in zim["first"].report and "pages" in zim["first"].report
    assert "full-text index in fra" in zim["log"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a/b.HTML", "text/html"),
        ("x.woff2", "font/woff2"),
        ("doc.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("clip.mp4", "video/mp4"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_mime_types_do_not_depend_on_the_machine(path, expected):
    assert mimetype(path) == expected


@pytest.mark.parametrize(
    ("path", "left_out"),
    [
        ("search/search_index.json", False),
        ("fr/search/search_index.json", False),
        ("search/search_index.js", True),
        ("sitemap.xml", True),
        ("404.html", True),
        ("assets/javascripts/lunr/min/lunr.de.min.js", True),
        ("assets/javascripts/lunr/min/lunr.fr.min.js", False),
        ("index.html", False),
    ],
)
def test_what_the_zim_leaves_out(path, left_out):
    assert zim_left_out(path, ["fr", "en"]) is left_out


def test_page_titles_lose_the_site_name():
    assert page_title("<title>4A. Pr&eacute;vention - Biblioth&egrave;que GPS</title>", "Bibliothèque GPS") == "4A. Prévention"
    assert page_title("<title>Bibliothèque GPS</title>", "Bibliothèque GPS") == "Bibliothèque GPS"
    assert page_title("<p>no title</p>", "x") == ""


def test_search_texts_are_taken_from_the_search_indexes(tmp_path):
    (tmp_path / "search").mkdir()
    (tmp_path / "en" / "search").mkdir(parents=True)
    docs = '{"docs": [{"location": "", "title": "Home", "text": "<p>Bonjour &amp; bienvenue</p>"},'
    docs += '{"location": "a.html#x", "title": "Part", "text": "<ul><li>one</li><li>two</li></ul>"}]}'
    (tmp_path / "search" / "search_index.json").write_text(docs, encoding="utf-8")
    (tmp_path / "en" / "search" / "search_index.json").write_text(docs, encoding="utf-8")
    texts = search_texts(tmp_path, {"fr": "", "en": "en/"})
    assert texts == {
        "index.html": "Home Bonjour & bienvenue",
        "a.html": "Part one two",
        "en/index.html": "Home Bonjour & bienvenue",
        "en/a.html": "Part one two",
    }


def test_a_failed_write_leaves_no_file(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<title>x</title>", encoding="utf-8")
    from spmlib.outputs.zim import ZimMetadata

    meta = ZimMetadata("n", "t", "d", "l", "eng", "c", "p", "2026-01-01", "t")
    with pytest.raises(BundleError, match="main page"):
        write_zim([Entry("index.html", "x", "text/html", page, True, None)], tmp_path / "a.zim", meta, b"", main_path="home.html")
    missing = Entry("gone.css", "", "text/css", tmp_path / "gone.css", False, None)
    with pytest.raises(RuntimeError, match="No such file"):
        write_zim([Entry("index.html", "x", "text/html", page, True, None), missing], tmp_path / "b.zim", meta, b"")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_site_languages_have_iso_639_3_codes():
    import yaml

    languages = yaml.safe_load((ROOT / "taxonomy" / "site.yaml").read_text(encoding="utf-8"))["languages"]
    assert {code: ISO639_3[code] for code in languages} == {"en": "eng", "fr": "fra", "es": "spa", "pt": "por"}


def test_wrong_options_are_explained_before_building(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    with pytest.raises(BundleError, match="unknown language de; allowed: en, fr, es, pt"):
        make_zim(OfflineOptions(project, ("de",), out_dir=tmp_path / "dist"))
    with pytest.raises(BundleError, match="no resource is in this subset"):
        make_zim(OfflineOptions(project, ("fr",), Subset(dimensions=frozenset({7})), out_dir=tmp_path / "dist"))
    result = subprocess.run(
        [sys.executable, "-m", "spmlib", "zim", "--lang", "fr", "--dimension", "4,9", "--root", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "zim: unknown dimension 9; allowed: 1, 2, 3, 4, 5, 6, 7"
    assert not (tmp_path / "dist").exists() and not (project / "dist").exists()


class OneDocument(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/guide.pdf":
            body = b"%PDF-1.4 a guide"
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(404)
        self.end_headers()


def test_documents_are_in_the_zim_when_asked(tmp_path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OneDocument)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        text = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8")
        text = text.replace("https://example.org/surendettement.pdf", f"{base}/guide.pdf")
        project = make_project(tmp_path / "project", text, FIXTURES / "docs")
        options = OfflineOptions(
            project, ("fr",), Subset(standards=frozenset({"4A"})), documents=True, out_dir=tmp_path / "dist",
            cache_dir=tmp_path / "cache",
            downloads=FetchSettings(retries=0, timeout=2, policy=AddressPolicy(allow_private=True)),  # on 127.0.0.1
        )  # fmt: skip
        result = make_zim(options, out=io.StringIO())
    finally:
        httpd.shutdown()
        httpd.server_close()
    entries = entries_of(Archive(result.path))
    offline = [p for p in entries if p.startswith("documents/offline/")]
    assert len(offline) == 1 and entries[offline[0]][1:] == ("application/pdf", b"%PDF-1.4 a guide")
    page = BeautifulSoup(entries["resources/surendettement-guide.html"][2].decode("utf-8"), "html.parser")
    assert f"../{offline[0]}" in [a["href"] for a in page.select("a[href]")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def kiwix_serve(zim_path: Path, *options: str):
    """Debian's kiwix-serve for one ZIM on 127.0.0.1; yields the book's base URL."""
    if not Path(KIWIX_SERVE).is_file():
        pytest.skip("kiwix-serve is not installed (apt-get install kiwix-tools)")
    port = free_port()
    process = subprocess.Popen(
        [KIWIX_SERVE, "--address=127.0.0.1", f"--port={port}", *options, str(zim_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}/"

    def answers() -> bool:
        if process.poll() is not None:
            pytest.fail(f"kiwix-serve exited ({process.returncode}) before it answered")
        try:
            urllib.request.urlopen(root, timeout=5).close()
        except OSError:
            return False
        return True

    try:
        wait_for(answers, f"kiwix-serve answering at {root}", timeout=120)
        yield f"{root}{zim_path.stem}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_kiwix_serve_full_text_search_finds_the_french_page(zim):
    with kiwix_serve(zim["first"].path) as book:
        root = book.rsplit("/", 2)[0]
        with urllib.request.urlopen(f"{root}/search?content={zim['first'].path.stem}&pattern=surendettement") as response:
            soup = BeautifulSoup(response.read().decode("utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.select(".results a")]
    assert "/en/" not in hrefs[0] and any(h.endswith("/resources/surendettement-guide.html") for h in hrefs[:3])


@pytest.mark.browser
def test_zim_in_kiwix_serve_home_dimension_resource_explorer(zim, tab):
    with kiwix_serve(zim["first"].path) as book:
        tab.goto(book)
        tab.wait_for_url("**/index.html")
        assert tab.locator("h1").first.inner_text().startswith("Bibliothèque de ressources GPS")
        header = tab.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        assert header == "rgb(0, 105, 92)"  # the stylesheet came from the ZIM

        tab.locator(".md-tabs__link", has_text="Dimensions").click()
        tab.wait_for_url("**/dimensions/index.html")
        tab.locator("a", has_text="Traiter les clients de manière responsable").first.click()
        tab.wait_for_url("**/dimensions/4/index.html")
        tab.locator("article a[href*='resources/surendettement-guide']").first.click()
        tab.wait_for_url("**/resources/surendettement-guide.html")
        assert tab.locator("h1").first.inner_text() == "Prévenir le surendettement des clients"

        tab.locator(".md-tabs__link", has_text="Parcourir").click()
        tab.wait_for_url("**/resources/index.html")
        tab.wait_for_selector("[data-explorer] form:not([hidden])")
        assert tab.locator("[data-explorer] [data-count]").inner_text() == "3"
        # the keyword text, the keys and the title order come from the ZIM on demand (the tool
        # names standard 4A, "Prévention du surendettement", as the header search finds it)
        tab.goto(book + "resources/index.html?q=surendettement&sort=title")
        tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
        assert tab.locator("[data-explorer] [data-count]").inner_text() == "2"
        tab.goto(book + "resources/index.html?type=tool")
        tab.wait_for_selector("[data-explorer] form:not([hidden])")
        assert tab.locator("[data-explorer] [data-count]").inner_text() == "1"
        tab.locator("[data-results] a").first.click()
        tab.wait_for_url("**/resources/smart-operations-tool.html")

        # Material's own search works inside kiwix-serve (it fetches search_index.json over HTTP),
        # accents forgiven: its worker loads the explorer's fold.js from the ZIM too
        field = tab.locator("input[data-md-component=search-query]")
        field.click()
        field.press_sequentially("surendéttement", delay=20)
        tab.wait_for_selector(".md-search-result__item", timeout=10000)
        hrefs = [a.get_attribute("href") for a in tab.query_selector_all(".md-search-result__link")]
        assert hrefs and all(h.startswith(book) and "/en/" not in h for h in hrefs)

    assert tab.outside == []
    assert tab.errors == []


@pytest.mark.browser
def test_the_illustration_is_the_favicon(tab):
    """The committed 48x48 PNG still shows the favicon (remake it with tests/tools/make_zim_illustration.py)."""
    import base64

    favicon = base64.b64encode((ROOT / "overrides" / "assets" / "images" / "favicon.svg").read_bytes()).decode()
    png = base64.b64encode((ROOT / "spmlib" / "data" / "illustration-48.png").read_bytes()).decode()
    tab.set_content("<html><body></body></html>")
    difference = tab.evaluate(
        """async ([svg, png]) => {
          const pixels = async (src) => {
            const image = new Image();
            image.src = src;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = canvas.height = 48;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0, 48, 48);
            return context.getImageData(0, 0, 48, 48).data;
          };
          const a = await pixels("data:image/svg+xml;base64," + svg);
          const b = await pixels("data:image/png;base64," + png);
          let total = 0, opaque = 0;
          for (let i = 0; i < a.length; i++) total += Math.abs(a[i] - b[i]);
          for (let i = 3; i < b.length; i += 4) if (b[i] > 200) opaque++;
          return {mean: total / a.length, opaque};
        }""",
        [favicon, png],
    )
    assert difference["opaque"] > 300  # a drawing, not a blank square
    assert difference["mean"] < 4, difference


@pytest.mark.parametrize("command", ["zim", "bundle"])
def test_a_refused_catalogue_is_told_on_escaped_lines_without_a_traceback(tmp_path, command):
    """`make zim` answers bad input as `make bundle` does: file:line, values escaped, exit 1."""
    text = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8")
    bad = text.replace("id: xss-probe", "id: 'xss\x1b[31m-probe'", 1)
    project = make_project(tmp_path / "project", bad, FIXTURES / "docs")
    result = subprocess.run(
        [sys.executable, "-m", "spmlib", command, "--lang", "fr", "--root", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr
    assert f"{command}: " in result.stderr and "resources.yaml:" in result.stderr
    assert not (project / "dist").exists()
