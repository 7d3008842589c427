"""Is a download the document its link declares? One answer for bundles, ZIMs and `make links`.

Decided by the START of the file (its magic bytes), never by the server's Content-Type, the
address alone, or a marker found further on: an HTML page that holds `<!-- %PDF-1.7 -->` is a web
page, and a captive portal's page for a `.pdf` address is not a PDF. Bundles use the answer to
keep or refuse a download and to name its file; the link checker to report "HTML page where a
document was declared" or "not the declared format". Both read the same HEAD_BYTES, so they
cannot disagree about the same bytes.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

HEAD_BYTES = 1024  # what both readers look at; every decision below depends on these bytes only

NOT_A_DOCUMENT = "not a document"
PDF = b"%PDF-"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt (the full 8-byte signature)
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # .docx, .xlsx, .pptx, OpenDocument, .zip (and an empty .zip)
RTF = b"{\\rtf"
EBML = b"\x1a\x45\xdf\xa3"  # WebM, Matroska
_OPEN_DOCUMENT = {
    "doc": (b"opendocument.text", ".odt"),
    "xls": (b"opendocument.spreadsheet", ".ods"),
    "ppt": (b"opendocument.presentation", ".odp"),
}
_OFFICE = {"doc": ".docx", "xls": ".xlsx", "ppt": ".pptx"}
_ZIP_SUFFIXES = {"doc": {".docx", ".odt"}, "xls": {".xlsx", ".xlsm", ".ods"}, "ppt": {".pptx", ".odp"}}
_BOM = b"\xef\xbb\xbf"
_MARKUP = re.compile(rb"<[A-Za-z!?/]")  # a tag, a comment or doctype, a processing instruction
_TEXT_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DELIMITERS = (b",", b";", b"\t")


def _start(head: bytes) -> bytes:
    return head.removeprefix(_BOM).lstrip(b" \t\r\n")


def looks_like_html(head: bytes) -> bool:
    """The file starts (after a byte-order mark and blank space) with markup: a web page.

    Not "mentions <html somewhere": a document may quote HTML, and a page need not say <html.
    """
    return _MARKUP.match(_start(head)) is not None


def _looks_like_csv(head: bytes) -> bool:
    """CSV has no magic bytes: its start must be a line of text with a delimiter, not markup,
    JSON or binary. A plain "Not Found" page has no delimiter; a page with markup starts with <."""
    start = _start(head)
    if not start or start[:1] in (b"<", b"{", b"[") or _TEXT_CONTROL.search(head):
        return False
    first_line = start.split(b"\n", 1)[0]
    return any(delimiter in first_line for delimiter in _DELIMITERS)


def sniff_extension(head: bytes, fmt: str, url: str) -> str | None:
    """The file extension of a download whose first bytes match its declared format, else None.

    Only the catalogue's document formats come out: .pdf, .doc(x), .xls(x), .ppt(x), OpenDocument,
    .rtf, .csv (for an `xls` link whose address ends in .csv), .zip, .mp4, .mov, .webm. The
    address only chooses between extensions of the same content (.xlsm or .xlsx for a ZIP), never
    whether the content is accepted, except that text is a spreadsheet only at a .csv address.
    """
    head = head[:HEAD_BYTES]
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    if fmt == "pdf":
        return ".pdf" if head.startswith(PDF) else None
    if fmt in _OFFICE:
        if head.startswith(OLE):
            return "." + fmt
        if head.startswith(ZIP):
            if suffix in _ZIP_SUFFIXES[fmt]:
                return suffix
            marker, extension = _OPEN_DOCUMENT[fmt]
            return extension if marker in head[:200] else _OFFICE[fmt]
        if fmt == "doc" and head.startswith(RTF):
            return ".rtf"
        if fmt == "xls" and suffix == ".csv" and _looks_like_csv(head):
            return ".csv"
        return None
    if fmt == "zip":
        return ".zip" if head.startswith(ZIP) else None
    if fmt == "video":
        if head[4:8] == b"ftyp":
            return ".mov" if suffix == ".mov" or head[8:12] == b"qt  " else ".mp4"
        if head.startswith(EBML):
            return ".webm"
        return None
    return None


def described(head: bytes) -> str:
    """What the first bytes of a file say it is, in words, for a report."""
    if looks_like_html(head):
        return "a web page"
    if head.startswith(PDF):
        return "a PDF"
    if head.startswith(ZIP):
        return "a ZIP archive (or a .docx, .xlsx, .pptx)"
    if head.startswith(OLE):
        return "an old Office file (.doc, .xls, .ppt)"
    if head[4:8] == b"ftyp" or head.startswith(EBML):
        return "a video"
    if _start(head)[:1] in (b"{", b"["):
        return "JSON"
    return "something else" if head else "an empty file"


def not_a_document_reason(head: bytes, fmt: str) -> str:
    """Why a download is refused, for the bundle's report and its About page."""
    if looks_like_html(head):
        return f"{NOT_A_DOCUMENT}: the server sent a web page, not a {fmt.upper()} file"
    if not head:
        return f"{NOT_A_DOCUMENT}: the server sent an empty file"
    return f"{NOT_A_DOCUMENT}: the content is not a {fmt.upper()} file"
