"""What a link opens: a document, a page presenting the resource, or a place to look for it.

Readers were shown a publisher's home page under the resource's title in bold, with a small grey
"publisher's page" as the only clue; eight links of one entry opened the same page. The site
now says what each link is, and this is the one place that decides it:

- `document`: a file (a PDF, a workbook, a video file...), what bundles and ZIMs carry offline
  and what `make links` opens to check its first bytes;
- `page`: a web page that presents this resource (its page on the publisher's site, a video);
- `place`: a place to look for it, a publisher's home page or a listing of many resources; the
  site says "Find it on <host>" and which title to look for, after the better options.

A kind is inferred where the address makes it certain (a file under docs/, a home page, an
address or format that names a file, a video site), and declared in `resources.yaml` otherwise.
A declaration that contradicts what is certain is an error at its line: a home page is never a
document, a PDF is never a place to look.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from spmlib.model.rules import URL_SCHEME

DOCUMENT, PAGE, PLACE = "document", "page", "place"
KINDS = (DOCUMENT, PAGE, PLACE)  # also the order of a resource page's actions: the best first

DOWNLOADABLE = frozenset({"pdf", "doc", "xls", "ppt", "zip"})  # formats that name a file
VIDEO_FILES = frozenset({".mp4", ".webm", ".mov"})  # a video format is a file only at these
EXTENSION_FORMATS = {
    "pdf": "pdf",
    "doc": "doc",
    "docx": "doc",
    "odt": "doc",
    "rtf": "doc",
    "xls": "xls",
    "xlsx": "xls",
    "xlsm": "xls",
    "ods": "xls",
    "csv": "xls",
    "ppt": "ppt",
    "pptx": "ppt",
    "odp": "ppt",
    "mp4": "video",
    "webm": "video",
    "mov": "video",
    "zip": "zip",
    "html": "web",
    "htm": "web",
}
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")


@lru_cache(maxsize=65536)
def infer_format(url: str) -> str:
    """The format of a link from its extension or host, defaulting to a web page (kept: every
    build, and every edit in `make serve`, asks again for thousands of links)."""
    if _on_video_site(url):
        return "video"
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower().lstrip(".")
    return EXTENSION_FORMATS.get(suffix, "web")


def is_local(url: str) -> bool:
    """A file under docs/, written as a path rather than an address."""
    return not URL_SCHEME.match(url)


def is_home_page(url: str) -> bool:
    """A website's home page: an address whose path is `/` or empty and that asks for nothing
    (`https://example.org/?p=12` is one page of a WordPress site, not its home)."""
    if is_local(url):
        return False
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def is_document_format(fmt: str | None, url: str) -> bool:
    """A format that names a file to download (not a web page or a streaming video)."""
    if fmt in DOWNLOADABLE:
        return True
    return fmt == "video" and PurePosixPath(urlsplit(url).path).suffix.lower() in VIDEO_FILES


def _on_video_site(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in VIDEO_HOSTS)


@lru_cache(maxsize=65536)
def certain_kind(url: str, fmt: str) -> str | None:
    """The kind the address and format make certain, or None when only the catalogue can say
    (kept: every build asks again for thousands of links)."""
    if is_local(url) or is_document_format(fmt, url):
        return DOCUMENT
    if is_home_page(url):
        return PLACE
    if _on_video_site(url):
        return PAGE
    return None


def infer_kind(url: str, fmt: str, label: str | None, declared: str | None = None) -> str:
    """The kind of a validated link: declared, else certain, else the catalogue's convention
    before kinds existed: a web link with a label of its own is the resource's page, one without
    is the publisher's page, which may list many resources (a place to look)."""
    return declared or certain_kind(url, fmt) or (PAGE if label else PLACE)


def kind_problems(link: Any) -> list[tuple[str, str]]:
    """(field, message) of each contradiction between a link's declared kind or format and its
    address; [] when the fields are valid each on its own and agree. Checked with the schema
    (spmlib/model/rules.py Record.together), so the message has the line of the field."""
    if not isinstance(link, dict) or not isinstance(link.get("url"), str):
        return []
    url, kind, fmt = link["url"], link.get("kind"), link.get("format")
    if kind not in KINDS:
        kind = None  # an unknown kind is reported by its own rule
    offers = _offers_problems(link, url, kind, fmt)
    if offers:
        return offers
    if is_local(url):
        if kind not in (None, DOCUMENT):
            return [("kind", f"is {kind!r} but the link is a file under docs/, which is a document; leave 'kind' out")]
        return []
    if is_home_page(url):
        if kind == DOCUMENT:
            return [("kind", "is 'document' but the address is a website's home page, which is not a file; use 'place'")]
        if fmt in DOWNLOADABLE:
            return [("format", f"is {fmt!r} but the address is a website's home page, which is not a file; leave 'format' out")]
        return []
    named_file = is_document_format(fmt or infer_format(url), url)
    if kind in (PAGE, PLACE) and named_file:
        return [("kind", f"is {kind!r} but the address or format names a file, which is a document; leave 'kind' out")]
    if kind == DOCUMENT and not named_file:
        return [
            (
                "kind",
                "is 'document' but nothing says which file: give its format (pdf, doc, xls, ppt, zip, or video "
                "for an .mp4, .webm or .mov address)",
            )
        ]
    return []


def _offers_problems(link: dict, url: str, kind: str | None, fmt: Any) -> list[tuple[str, str]]:
    """`offers` lists the languages of the versions a page or a place leads to when they are not
    only the page's own (an English page with the French and Spanish downloads, an English home
    page listing the French guide). A document is one version in one language: `lang` says it."""
    offered = link.get("offers")
    if not isinstance(offered, list) or not offered:
        return []  # absent, or reported by its own rule
    if is_local(url):
        return [("offers", "is for a page or a place to look, and a file under docs/ is a document; use 'lang'")]
    label = link.get("label") if isinstance(link.get("label"), str) else None
    effective = infer_kind(url, fmt if isinstance(fmt, str) else infer_format(url), label, kind)
    if effective == DOCUMENT:
        return [("offers", "is for a page or a place to look, and this link is a document: one file, one language in 'lang'")]
    if offered == [link.get("lang")]:
        return [("offers", f"is only {offered[0]!r}, the language of the page itself; leave it out")]
    return []


def kind_json_schema() -> list[dict]:
    """The same agreements as JSON Schema conditions, for editors: a home page is no document."""
    home = {"properties": {"url": {"pattern": r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*/?(#.*)?$"}}, "required": ["url"]}
    not_a_file = {"kind": {"not": {"const": DOCUMENT}}, "format": {"not": {"enum": sorted(DOWNLOADABLE)}}}
    return [{"if": home, "then": {"properties": not_a_file}}]


def address_key(url: str) -> str:
    """The form under which two spellings of one address compare equal (http and https, a
    `www.`, the case of the host, a final slash, an anchor): one action on a resource page, one
    address for `make check`'s shared-address warning."""
    if is_local(url):
        return url
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit((scheme, host, parts.path.rstrip("/"), parts.query, ""))


def host_name(url: str) -> str:
    """The site's name as a reader types it: `cerise-sptf.org` for https://www.cerise-sptf.org/en/."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")
