"""Issue 22, item 2: one content check, at the START of the file, for bundles, ZIMs and `make links`.

Every case is judged twice, by the bundle (`sniff_extension`) and by the link checker (its verdict
on the same first bytes); the two must agree, and an HTML page is never a document, whatever it
holds further on (`<!-- %PDF-1.7 -->`) and whatever the server's Content-Type says.
"""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from spmlib.outputs.links import NOT_DOCUMENT, OK, WRONG_FORMAT, Address, Checker, Settings
from spmlib.outputs.sniff import not_a_document_reason, sniff_extension

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40)
OOXML = b"PK\x03\x04\x14\x00\x06\x00" + bytes(22) + b"[Content_Types].xml" + bytes(40)
ODT = b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis.opendocument.text" + bytes(40)
HTML = b"<!DOCTYPE html><html><head><title>Log in</title></head><body>Accept the terms</body></html>"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01"

# (id, declared format, address, first bytes, Content-Type, extension or None, is an HTML page)
CASES = [
    ("pdf", "pdf", "https://x.org/a.pdf", PDF, "application/pdf", ".pdf", False),
    ("pdf-sent-as-html", "pdf", "https://x.org/get?id=3", PDF, "text/html", ".pdf", False),  # the bytes decide
    ("pdf-html", "pdf", "https://x.org/a.pdf", HTML, "application/pdf", None, True),
    ("pdf-html-comment", "pdf", "https://x.org/a.pdf", b"<!-- %PDF-1.7 -->\n" + HTML, "application/pdf", None, True),
    ("pdf-html-bom", "pdf", "https://x.org/a.pdf", b"\xef\xbb\xbf \r\n<html><body>%PDF-1.4</body></html>", None, None, True),
    ("pdf-div", "pdf", "https://x.org/a.pdf", b"<div>%PDF-1.7</div>", "application/pdf", None, True),
    ("pdf-late-magic", "pdf", "https://x.org/a.pdf", b"Moved. %PDF-1.7\n", "application/pdf", None, False),
    ("pdf-empty", "pdf", "https://x.org/a.pdf", b"", "application/pdf", None, False),
    ("pdf-zip", "pdf", "https://x.org/a.pdf", OOXML, "application/pdf", None, False),
    ("doc-ole", "doc", "https://x.org/a.doc", OLE, "application/msword", ".doc", False),
    ("doc-docx", "doc", "https://x.org/a.docx", OOXML, None, ".docx", False),
    ("doc-odt", "doc", "https://x.org/get?id=1", ODT, None, ".odt", False),
    ("doc-rtf", "doc", "https://x.org/a.rtf", b"{\\rtf1\\ansi\\deff0", None, ".rtf", False),
    ("doc-html", "doc", "https://x.org/a.docx", HTML, "application/msword", None, True),
    ("doc-ole-4-bytes", "doc", "https://x.org/a.doc", b"\xd0\xcf\x11\xe0 not the rest", None, None, False),
    ("doc-late-ole", "doc", "https://x.org/a.doc", b"junk" + OLE, None, None, False),
    ("xls-ole", "xls", "https://x.org/a.xls", OLE, None, ".xls", False),
    ("xls-xlsx", "xls", "https://x.org/a.xlsx", OOXML, None, ".xlsx", False),
    ("xls-html", "xls", "https://x.org/a.xlsx", HTML, None, None, True),
    ("csv", "xls", "https://x.org/a.csv", b"id,name\n1,a\n", "text/csv", ".csv", False),
    ("csv-semicolons-bom", "xls", "https://x.org/a.csv", b"\xef\xbb\xbfann\xc3\xa9e;valeur\r\n2020;3\r\n", None, ".csv", False),
    ("csv-tabs", "xls", "https://x.org/a.csv", b"year\tvalue\n2020\t3\n", None, ".csv", False),
    ("csv-html", "xls", "https://x.org/a.csv", HTML, "text/csv", None, True),
    ("csv-html-div", "xls", "https://x.org/a.csv", b"<div>id,name</div>\n<p>1,a</p>\n", "text/csv", None, True),
    ("csv-html-comment", "xls", "https://x.org/a.csv", b"<!-- id,name -->\n<p>1,a</p>", "text/csv", None, True),
    ("csv-plain-text-page", "xls", "https://x.org/a.csv", b"Not Found\n", "text/plain", None, False),
    ("csv-json", "xls", "https://x.org/a.csv", b'{"error": "not found", "code": 404}', None, None, False),
    ("csv-binary", "xls", "https://x.org/a.csv", b"id,name\n\x00\x01\x02", None, None, False),
    ("csv-not-declared-csv", "xls", "https://x.org/a.xls", b"id,name\n1,a\n", None, None, False),
    ("ppt-ole", "ppt", "https://x.org/a.ppt", OLE, None, ".ppt", False),
    ("ppt-pptx", "ppt", "https://x.org/get?id=2", OOXML, None, ".pptx", False),
    ("ppt-html", "ppt", "https://x.org/a.pptx", HTML, None, None, True),
    ("zip", "zip", "https://x.org/a.zip", OOXML, "application/zip", ".zip", False),
    ("zip-html", "zip", "https://x.org/a.zip", HTML, "application/zip", None, True),
    ("zip-late-magic", "zip", "https://x.org/a.zip", b"#!/bin/sh\n" + OOXML, None, None, False),
    ("video-mp4", "video", "https://x.org/a.mp4", MP4, "video/mp4", ".mp4", False),
    ("video-mov", "video", "https://x.org/a.mov", MOV, None, ".mov", False),
    ("video-webm", "video", "https://x.org/a.webm", WEBM, None, ".webm", False),
    ("video-html", "video", "https://x.org/a.mp4", HTML, "video/mp4", None, True),
    ("video-html-ftyp", "video", "https://x.org/a.mp4", b"<html>ftyp</html>", "video/mp4", None, True),
]


@pytest.mark.parametrize(("name", "fmt", "url", "head", "content_type", "extension", "html"), CASES, ids=[c[0] for c in CASES])
def test_the_bundle_checks_the_start_of_the_file(name, fmt, url, head, content_type, extension, html):
    assert sniff_extension(head, fmt, url) == extension
    if extension is None:
        assert ("sent a web page" in not_a_document_reason(head, fmt)) is html


@pytest.mark.parametrize(("name", "fmt", "url", "head", "content_type", "extension", "html"), CASES, ids=[c[0] for c in CASES])
def test_the_link_checker_agrees_with_the_bundle(name, fmt, url, head, content_type, extension, html):
    checker = Checker(Settings(), lambda: dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    headers = {"Content-Type": content_type} if content_type else {}
    response = httpx.Response(200, headers=headers, request=httpx.Request("GET", url))
    result, _ = checker._verdict(Address(url, "resources.yaml", 3, "r", fmt, True), response, head, "GET")
    expected = OK if extension else NOT_DOCUMENT if html else WRONG_FORMAT
    assert result.verdict == expected, result.detail
