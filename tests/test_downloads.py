"""Bundle downloads against hostile or broken servers (issue 16, items 12-14), on 127.0.0.1 only."""

from __future__ import annotations

import http.server
import io
import json
import re
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, make_project

from spmlib.model.catalogue import Link, Resource
from spmlib.model.subset import Subset
from spmlib.outputs.bundle import make_bundle, write_zip
from spmlib.outputs.fetch import FetchSettings, _download, fetch_documents
from spmlib.outputs.netpolicy import AddressPolicy
from spmlib.outputs.offline import OfflineOptions
from spmlib.outputs.sniff import sniff_extension

PDF = b"%PDF-1.7\n" + b"0" * 200
ODT = b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis.opendocument.text" + bytes(50)
HTML = b"<!DOCTYPE html><html><head><title>Wi-Fi login</title></head><body>Accept the terms</body></html>"
LOCAL = AddressPolicy(allow_private=True)  # the test server listens on 127.0.0.1, as a local mirror would
ONCE = FetchSettings(retries=0, policy=LOCAL)
REFRESH = FetchSettings(retries=0, policy=LOCAL, refresh=True)


class Server(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    fixed = False  # the captive portal is gone: /fixable.pdf answers the PDF

    def log_message(self, *args):
        pass

    def do_GET(self):
        try:
            self.answer()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the client gave up on purpose

    def answer(self):
        path = urlsplit(self.path).path
        Server.hits[path] = Server.hits.get(path, 0) + 1
        if path == "/trickle.pdf":  # a byte every 0.2 s, with a length: 200 s for the whole
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            return self.trickle(b"%PDF-" + b"x" * 995)
        if path == "/trickle-chunked.pdf":
            self.send_response(200)
            self.end_headers()
            return self.trickle(b"%PDF-" + b"x" * 995)
        if path == "/trickle-headers.pdf":  # even the status line and headers come a byte at a time
            self.wfile.flush()
            return self.trickle(b"HTTP/1.0 200 OK\r\n" + b"X-Slow: " + b"y" * 990 + b"\r\n\r\n%PDF-")
        if path in ("/portal.pdf", "/portal.xlsx", "/portal.zip", "/portal.mp4"):
            return self.send(HTML, "text/html")
        if path == "/fixable.pdf":
            return self.send(PDF if Server.fixed else HTML, "application/pdf" if Server.fixed else "text/html")
        if path == "/script":
            return self.send(b"#!/bin/sh\necho pwned\n", "application/x-sh")
        if path == "/empty.pdf":
            return self.send(b"", "application/pdf")
        if path == "/download":
            return self.send(PDF, "text/html")  # a real PDF with a wrong type: the bytes decide
        if path == "/document":
            return self.send(ODT, "application/octet-stream")
        if path == "/ok.pdf":
            return self.send(PDF, "application/pdf")
        self.send_response(404)
        self.end_headers()
        return None

    def trickle(self, body: bytes):
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.2)

    def send(self, body: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def resource(*links: tuple[str, str]) -> Resource:
    return Resource(
        id="doc",
        type="tool",
        title={"en": "Doc"},
        links=tuple(Link(lang="en", url=url, format=fmt) for url, fmt in links),
        standards=("4A",),
    )


def fetch_in_time(limit: float, *args, **kwargs):
    """fetch_documents in a thread: a download that hangs fails the test instead of the suite."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", fetch_documents(*args, **kwargs)), daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"the download was still running after {limit} s"
    return box["result"], time.monotonic() - started


@pytest.mark.parametrize("path", ["/trickle.pdf", "/trickle-chunked.pdf", "/trickle-headers.pdf"])
def test_a_trickling_server_is_cut_at_the_deadline(tmp_path, server, path):
    """A byte every 0.2 s never trips a 1 s read timeout; the 3 s wall-clock deadline must.

    The whole answer takes the server 200 s: ending within fetch_in_time's 20 s is the proof,
    with room for a slow or loaded machine (no tighter bound on elapsed time).
    """
    fetched, elapsed = fetch_in_time(
        20,
        [resource((server + path, "pdf"))],
        tmp_path / "docs",
        tmp_path / "cache",
        FetchSettings(timeout=1, deadline=3, retries=0, policy=LOCAL),
        out=io.StringIO(),
    )
    assert elapsed >= 3
    assert not fetched.included
    assert "too slow" in fetched.missing[0]["reason"] or "timed out" in fetched.missing[0]["reason"]
    assert not list((tmp_path / "cache").rglob("*.part")) and not list((tmp_path / "cache").rglob("body"))


def test_the_default_deadline_is_four_timeouts(tmp_path, server):
    """Not before four 1 s timeouts have passed; long before the 200 s answer ends (fetch_in_time's 20 s)."""
    _, elapsed = fetch_in_time(
        20,
        [resource((server + "/trickle.pdf", "pdf"))],
        tmp_path / "docs",
        tmp_path / "cache",
        FetchSettings(timeout=1, retries=0, policy=LOCAL),
        out=io.StringIO(),
    )
    assert elapsed >= 4


NOT_DOCUMENTS = [
    ("/portal.pdf", "pdf", "web page"),
    ("/portal.xlsx", "xls", "web page"),
    ("/portal.zip", "zip", "web page"),
    ("/portal.mp4", "video", "web page"),
    ("/script", "pdf", "not a PDF"),
    ("/empty.pdf", "pdf", "empty"),
]


@pytest.mark.parametrize(("path", "fmt", "why"), NOT_DOCUMENTS, ids=[n[0] for n in NOT_DOCUMENTS])
def test_what_is_not_the_declared_format_is_not_a_document(tmp_path, server, path, fmt, why):
    out = io.StringIO()
    fetched = fetch_documents([resource((server + path, fmt))], tmp_path / "docs", tmp_path / "cache", ONCE, out=out)
    assert fetched.included == {}
    [missing] = fetched.missing
    assert missing["kind"] == "not_a_document" and missing["reason"].startswith("not a document") and why in missing["reason"]
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()], "a mismatch must never be cached"
    assert not list((tmp_path / "docs").rglob("*.*"))


@pytest.mark.parametrize(
    ("path", "fmt", "extension"),
    [("/download", "pdf", ".pdf"), ("/document", "doc", ".odt"), ("/ok.pdf", "pdf", ".pdf")],
)
def test_the_extension_comes_from_the_content_never_from_content_type(tmp_path, server, path, fmt, extension):
    fetched = fetch_documents([resource((server + path, fmt))], tmp_path / "docs", tmp_path / "cache", ONCE, out=io.StringIO())
    [saved] = fetched.included.values()
    assert Path(saved).suffix == extension


@pytest.mark.parametrize(
    ("head", "fmt", "url", "expected"),
    [
        (PDF, "pdf", "https://x.org/a", ".pdf"),
        (HTML, "pdf", "https://x.org/a.pdf", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(20), "xls", "https://x.org/a.xls", ".xls"),
        (b"PK\x03\x04" + bytes(40), "xls", "https://x.org/a.xlsm", ".xlsm"),
        (b"PK\x03\x04" + bytes(40), "ppt", "https://x.org/get?id=1", ".pptx"),
        (b"PK\x03\x04" + bytes(40), "pdf", "https://x.org/a.pdf", None),
        (b"{\\rtf1\\ansi", "doc", "https://x.org/a.rtf", ".rtf"),
        (b"id,name\n1,a\n", "xls", "https://x.org/a.csv", ".csv"),
        (HTML, "xls", "https://x.org/a.csv", None),
        (bytes(4) + b"ftypisom" + bytes(8), "video", "https://x.org/a.mp4", ".mp4"),
        (b"\x1a\x45\xdf\xa3" + bytes(8), "video", "https://x.org/a.webm", ".webm"),
        (b"#!/bin/sh\n", "zip", "https://x.org/a.sh", None),
        (PDF, "web", "https://x.org/a.html", None),
    ],
)
def test_sniffing(head, fmt, url, expected):
    assert sniff_extension(head, fmt, url) == expected


def test_a_mismatch_is_fetched_again_once_the_server_is_fixed(tmp_path, server):
    docs, cache = tmp_path / "docs", tmp_path / "cache"
    doc = resource((server + "/fixable.pdf", "pdf"))
    Server.fixed = False
    first = fetch_documents([doc], docs, cache, ONCE, out=io.StringIO())
    assert first.missing and first.missing[0]["kind"] == "not_a_document"
    Server.fixed = True
    try:
        second = fetch_documents([doc], tmp_path / "docs2", cache, ONCE, out=io.StringIO())
    finally:
        Server.fixed = False
    assert list(second.included) == [server + "/fixable.pdf"] and not second.missing


def test_a_bad_cache_entry_is_not_used_and_refresh_downloads_again(tmp_path, server):
    """An entry cached by an older version (an HTML page for a PDF) is thrown away; REFRESH=1 re-downloads."""
    import hashlib

    url = server + "/ok.pdf"
    doc = resource((url, "pdf"))
    entry = tmp_path / "cache" / hashlib.sha256(url.encode()).hexdigest()[:20]
    entry.mkdir(parents=True)
    (entry / "body").write_bytes(HTML)
    (entry / "meta.json").write_text(json.dumps({"url": url, "content_type": "text/html"}))
    Server.hits.clear()
    fetched = fetch_documents([doc], tmp_path / "docs", tmp_path / "cache", ONCE, out=io.StringIO())
    assert Server.hits.get("/ok.pdf") == 1 and (entry / "body").read_bytes() == PDF
    assert next(iter(fetched.included.values())).endswith(".pdf")
    fetch_documents([doc], tmp_path / "docs2", tmp_path / "cache", ONCE, out=io.StringIO())
    assert Server.hits["/ok.pdf"] == 1  # cached
    fetch_documents([doc], tmp_path / "docs3", tmp_path / "cache", REFRESH, out=io.StringIO())
    assert Server.hits["/ok.pdf"] == 2


def test_two_zips_of_the_same_name_at_once(tmp_path):
    site = tmp_path / "site"
    for i in range(200):
        (site / f"d{i % 7}").mkdir(parents=True, exist_ok=True)
        (site / f"d{i % 7}" / f"{i}.html").write_bytes(bytes(range(256)) * 40)
    errors: list[BaseException] = []

    def one():
        try:
            write_zip(site, tmp_path / "dist" / "same.zip", "same")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with zipfile.ZipFile(tmp_path / "dist" / "same.zip") as archive:
        assert len(archive.namelist()) == 200 and archive.testzip() is None
    assert [p.name for p in (tmp_path / "dist").iterdir()] == ["same.zip"]


def test_two_downloads_into_the_same_cache_entry_at_once(tmp_path, server):
    target = tmp_path / "body"
    errors: list[BaseException] = []

    def one():
        try:
            _download(server + "/ok.pdf", target, 1_000_000, 5, policy=LOCAL)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert target.read_bytes() == PDF and [p.name for p in tmp_path.iterdir()] == ["body"]


def test_a_bundle_never_saves_a_web_page_as_a_pdf(tmp_path, server):
    """Issue 12 too: the captive portal's page is "not a document" in the report and on the About
    page, and the resource's link stays online."""
    text = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8")
    old = re.search(r'      - \{lang: en, url: "https://example.org/smart-ops-en.xlsx"\}\n.*?PowerPoint\}\n', text, re.S)
    links = f'      - {{lang: en, url: "{server}/portal.pdf"}}\n      - {{lang: fr, url: "{server}/ok.pdf"}}\n'
    project = make_project(tmp_path / "project", text.replace(old.group(0), links), FIXTURES / "docs")
    options = OfflineOptions(
        project,
        ("en", "fr"),
        Subset(standards=frozenset({"4C"})),
        documents=True,
        out_dir=tmp_path / "dist",
        cache_dir=tmp_path / "cache",
        downloads=FetchSettings(timeout=2, retries=0, policy=LOCAL),
    )
    result = make_bundle(options, out=io.StringIO())
    assert f"{server}/portal.pdf (not a document: the server sent a web page" in result.report
    name = result.info["name"]
    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
        page = BeautifulSoup(archive.read(f"{name}/resources/smart-operations-tool.html"), "html.parser")
        about = BeautifulSoup(archive.read(f"{name}/bundle.html"), "html.parser")
        about_fr = BeautifulSoup(archive.read(f"{name}/fr/bundle.html"), "html.parser")
    offline = [n for n in names if "/documents/offline/" in n]
    assert len(offline) == 1 and offline[0].endswith(".pdf")
    hrefs = [a["href"] for a in page.select(".spm-downloads a")]
    assert f"{server}/portal.pdf" in hrefs and sum(h.startswith("../documents/offline/") for h in hrefs) == 1
    [item] = about.select(".spm-missing li")
    assert item["data-url"] == f"{server}/portal.pdf" and item["data-kind"] == "not_a_document"
    assert "not a document" in item.get_text()
    assert "pas un document" in about_fr.select_one(".spm-missing li").get_text()
    assert not [p for p in (tmp_path / "cache").rglob("body") if p.read_bytes().startswith(b"<!DOCTYPE")]
