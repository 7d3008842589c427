"""Kiwix ZIM files of the library: the offline bundle's pages, packed for Kiwix readers.

Trainings without internet increasingly run on Kiwix: a Raspberry Pi hotspot serving ZIM files
to a room of phones, or the Kiwix apps on Android and desktop. A ZIM holds the same pages as an
offline zip (the pipeline of spmlib.outputs.offline builds them; this module only packs them, as
spmlib.outputs.bundle packs the zip) plus what Kiwix readers need: metadata for their library
(title, language in ISO 639-3, a 48x48 icon...), a main page, a title index for suggestions
and a full-text index for Kiwix's own search.

Written with python-libzim, the openZIM project's own binding of the C++ libzim that every
Kiwix reader uses, rather than by calling `zimwriterfs`: it is a pinned PyPI wheel (no system
package to install), and it lets us give each page the text to index, taken from the site's
own search index, so that a search does not match every page whose menu names a dimension.

Kiwix readers load pages over HTTP (kiwix-serve) or an app's internal scheme, never from
file://, so Material reads `search/search_index.json` there; the ZIM holds that file rather
than the `search_index.js` copy that zips need.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import IO, Any

from spmlib.model.options import i18n_options
from spmlib.outputs.offline import BundleError, OfflineBuild, OfflineOptions, left_out, missing_report, offline_build, size_report
from spmlib.site.searchindex import material_docs
from spmlib.site.searchtext import EXTRA_FIELDS

# ISO 639-1 (the site's language codes) to the ISO 639-3 codes ZIM metadata and indexing want.
ISO639_3 = {
    "am": "amh", "ar": "ara", "az": "aze", "bn": "ben", "de": "deu", "el": "ell", "en": "eng", "es": "spa",
    "fa": "fas", "fr": "fra", "ha": "hau", "he": "heb", "hi": "hin", "hy": "hye", "id": "ind", "it": "ita",
    "ja": "jpn", "ka": "kat", "kk": "kaz", "km": "khm", "ko": "kor", "ky": "kir", "mg": "mlg", "my": "mya",
    "ne": "nep", "nl": "nld", "pl": "pol", "ps": "pus", "pt": "por", "ro": "ron", "ru": "rus", "rw": "kin",
    "si": "sin", "so": "som", "sw": "swa", "ta": "tam", "tg": "tgk", "th": "tha", "tl": "tgl", "tr": "tur",
    "uk": "ukr", "ur": "urd", "uz": "uzb", "vi": "vie", "wo": "wol", "yo": "yor", "zh": "zho",
}  # fmt: skip

# A fixed table rather than `mimetypes`, which reads /etc/mime.types: the same site must give
# the same ZIM on every machine.
MIME_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "application/javascript",
    ".json": "application/json",
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".txt": "text/plain",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".zip": "application/zip",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
}
# Worth compressing in the ZIM's clusters; the rest (images, fonts, PDFs...) are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
ILLUSTRATION = "data/illustration-48.png"  # made from the favicon by tests/tools/make_zim_illustration.py
DEFAULT_CREATOR = "SPM Resource Library contributors"
DEFAULT_PUBLISHER = "SPM Resource Library"


def mimetype(path: str) -> str:
    return MIME_TYPES.get(PurePosixPath(path).suffix.lower(), "application/octet-stream")


def zim_left_out(path: str, languages: list[str]) -> bool:
    """What a zip leaves out, except the JSON search index Material fetches over HTTP; and
    without the search_index.js copy that only file:// needs."""
    name = path.rsplit("/", 1)[-1]
    if name == "search_index.json":
        return False
    return name == "search_index.js" or left_out(path, languages)


class _Text(HTMLParser):
    """The text of an HTML fragment, as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.parts.append(" ")


def html_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)


def page_title(page_html: str, site_name: str) -> str:
    """The page's own title: Material's <title> without the " - site name" it adds."""
    match = _TITLE.search(page_html)
    title = " ".join(html.unescape(match.group(1)).split()) if match else ""
    suffix = f" - {site_name}"
    return title[: -len(suffix)] if title.endswith(suffix) and title != suffix else title


def search_texts(site: Path, prefixes: dict[str, str]) -> dict[str, str]:
    """Each page's searchable text (path in the site -> text), from the per-language search indexes.

    Material's indexer has already taken the navigation, the footer and the blocks marked
    data-search-exclude out, so Kiwix's full-text search finds what the site's search finds.
    """
    texts: dict[str, list[str]] = {}
    for prefix in prefixes.values():
        index = site / prefix / "search" / "search_index.json"
        if not index.is_file():
            continue
        for entry in material_docs(json.loads(index.read_text(encoding="utf-8"))):
            page = entry.get("location", "").split("#", 1)[0]
            page = "index.html" if page in ("", ".", "./") else page
            if page.endswith("/"):
                page += "index.html"
            # with the site search's hidden fields (spmlib.site.searchtext): a resource's details and the
            # accent-free, compound and synonym forms of its words, searched but never shown
            parts = [html_text(entry.get(key, "")) for key in ("title", "text", *EXTRA_FIELDS)]
            text = " ".join(part for part in parts if part)
            texts.setdefault(prefix + page, []).append(text)
    return {page: " ".join(parts) for page, parts in texts.items()}


@dataclass(frozen=True)
class Entry:
    """One file of the site as a ZIM entry."""

    path: str
    title: str
    mimetype: str
    file: Path
    front: bool  # a page readers look for (title index, random page); assets are not
    text: str | None  # what the full-text index holds for it; None: not indexed


def site_entries(
    site: Path, languages: list[str], site_names: dict[str, str], skip: Callable[[str], bool] = lambda _: False
) -> list[Entry]:
    """The ZIM entries of a built offline site, sorted by path."""
    prefixes = {lang: "" if index == 0 else f"{lang}/" for index, lang in enumerate(languages)}
    texts = search_texts(site, prefixes)
    entries = []
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        path = file.relative_to(site).as_posix()
        if skip(path):
            continue
        kind = mimetype(path)
        title, front = "", False
        if kind == "text/html":
            first = path.split("/", 1)[0]
            lang = first if first in prefixes and first != languages[0] and "/" in path else languages[0]
            title = page_title(file.read_text(encoding="utf-8"), site_names.get(lang, ""))
            front = True
        entries.append(Entry(path, title, kind, file, front, texts.get(path)))
    return entries


@dataclass(frozen=True)
class ZimMetadata:
    """What Kiwix readers show of a ZIM in their library (see the openZIM metadata conventions)."""

    name: str
    title: str
    description: str
    long_description: str
    language: str  # ISO 639-3 codes, comma-separated, main language first
    creator: str
    publisher: str
    date: str  # YYYY-MM-DD
    tags: str  # semicolon-separated

    def items(self) -> list[tuple[str, str]]:
        return [
            ("Name", self.name),
            ("Title", self.title),
            ("Description", self.description),
            ("LongDescription", self.long_description),
            ("Language", self.language),
            ("Creator", self.creator),
            ("Publisher", self.publisher),
            ("Date", self.date),
            ("Tags", self.tags),
            ("Scraper", "spmlib (SPM Resource Library)"),
        ]


def iso639_3(languages: list[str]) -> list[str]:
    unknown = [code for code in languages if code not in ISO639_3]
    if unknown:
        raise BundleError(f"no ISO 639-3 code known for {', '.join(unknown)}; add it to ISO639_3 in spmlib/outputs/zim.py")
    return [ISO639_3[code] for code in languages]


def illustration() -> bytes:
    return resources.files("spmlib").joinpath(ILLUSTRATION).read_bytes()


def write_zim(
    entries: list[Entry],
    target: Path,
    metadata: ZimMetadata,
    icon: bytes,
    main_path: str = "index.html",
    workers: int | None = None,
) -> None:
    """Write `entries` as a ZIM with a full-text and a title index; `target` appears only when complete.

    libzim is imported here, not at the top: it loads the C++ libzim and Xapian, and this module
    is imported by every `python -m spmlib` command (for the defaults of `zim`), which should
    not pay for it, nor fail without it (the tests skip the ZIM when its wheel is missing).
    """
    from libzim import writer

    if main_path not in {entry.path for entry in entries}:
        raise BundleError(f"the ZIM's main page {main_path} is not in the site")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    index_language = metadata.language.split(",", 1)[0]
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    try:
        creator = writer.Creator(str(partial)).config_indexing(True, index_language).config_nbworkers(workers)
        creator.config_verbose(False)
        with _progress_to_stderr(), creator:
            creator.set_mainpath(main_path)
            creator.add_illustration(48, icon)
            for key, value in metadata.items():
                creator.add_metadata(key, value)
            for item in _items(writer, entries):
                creator.add_item(item)
    except Exception:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)


def _items(writer: ModuleType, entries: list[Entry]) -> Iterator[Any]:
    """`entries` as items of libzim's `writer` module (passed in: see write_zim for why)."""

    class Text(writer.IndexData):
        def __init__(self, title: str, text: str) -> None:
            super().__init__()
            self.title, self.text = title, text

        def has_indexdata(self) -> bool:
            return True

        def get_title(self) -> str:
            return self.title

        def get_content(self) -> str:
            return self.text

        def get_keywords(self) -> str:
            return ""

        def get_wordcount(self) -> int:
            return len(self.text.split())

        def get_geoposition(self) -> None:
            return None

    class File(writer.Item):
        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

        def get_path(self) -> str:
            return self.entry.path

        def get_title(self) -> str:
            return self.entry.title

        def get_mimetype(self) -> str:
            return self.entry.mimetype

        def get_contentprovider(self) -> Any:
            return writer.FileProvider(str(self.entry.file))

        def get_hints(self) -> dict:
            compress = self.entry.mimetype.startswith(COMPRESSIBLE)
            return {writer.Hint.FRONT_ARTICLE: self.entry.front, writer.Hint.COMPRESS: compress}

        def get_indexdata(self) -> Any:
            # Pages the site's search leaves out (the explorer, listings) are still found by title.
            if not self.entry.front:
                return None
            return Text(self.entry.title, self.entry.text or "")

    return (File(entry) for entry in entries)


@contextlib.contextmanager
def _progress_to_stderr() -> Iterator[None]:
    """libzim prints its progress on stdout, from C++: keep stdout for the command's report."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass
class ZimResult:
    path: Path
    report: str
    info: dict
    seconds: float


def zim_metadata(
    config: dict, languages: list[str], info: dict, label: Callable[[str, str], str], creator: str, publisher: str
) -> ZimMetadata:
    """The metadata of a ZIM made from a bundle's generated config, in its first language."""
    main = languages[0]
    by_locale = {lang["locale"]: lang for lang in i18n_options(config)["languages"]}
    own = by_locale.get(main, {})
    title = own.get("site_name") or config.get("site_name", "")
    long_description = " ".join(str(own.get("site_description") or config.get("site_description", "")).split())
    subset = info["subset"]
    selection = [f"d{n}" for n in subset["dimensions"]] + [c.lower() for c in subset["standards"]]
    selection += list(subset["types"]) + list(subset["topics"])
    tags = ["_category:other", "spm", "social-performance", "inclusive-finance", "microfinance", "universal-standards"]
    return ZimMetadata(
        name=f"spm-library_{'-'.join(languages)}_{'-'.join(selection) or 'all'}",
        title=title[:30],
        description=label("zim_description", main)[:80],
        long_description=long_description[:4000],
        language=",".join(iso639_3(languages)),
        creator=creator,
        publisher=publisher,
        date=info["date"],
        tags=";".join(tags),
    )


def make_zim(
    options: OfflineOptions,
    out: IO[str] | None = None,
    *,
    creator: str = DEFAULT_CREATOR,
    publisher: str = DEFAULT_PUBLISHER,
) -> ZimResult:
    """Build the offline site for a subset and pack it as <target_dir>/<name>.zim. Raises
    BundleError, `Interrupted` on SIGTERM/SIGINT."""
    started = time.monotonic()
    out = out or sys.stderr
    if options.languages:
        iso639_3(list(options.languages))  # before a build that would be wasted
    with offline_build(options, out, about={"format": "zim"}) as built:
        return pack_zim(built, options.target_dir, out, creator, publisher, started)


def pack_zim(built: OfflineBuild, target_dir: Path, out: IO[str], creator: str, publisher: str, started: float) -> ZimResult:
    """The pipeline's last step for Kiwix: `built` as target_dir/<name>.zim, with its size report;
    `started` is when the whole run began (monotonic clock), for the time it reports."""
    taxonomy = built.selection.catalogue.taxonomy
    metadata = zim_metadata(built.config, built.languages, built.info, taxonomy.label, creator, publisher)
    site_names = {
        lang["locale"]: lang.get("site_name") or built.config.get("site_name", "")
        for lang in i18n_options(built.config)["languages"]
    }
    entries = site_entries(built.site, built.languages, site_names, skip=lambda path: zim_left_out(path, built.languages))
    target = target_dir / f"{built.name}.zim"
    out.write(f"Writing {target.name}: {len(entries)} entries, full-text index in {metadata.language.split(',')[0]}\n")
    write_zim(entries, target, metadata, illustration())
    sizes = {entry.path: entry.file.stat().st_size for entry in entries}
    report = size_report(sizes, target.stat().st_size, built.languages, packed="ZIM") + missing_report(built.fetched)
    return ZimResult(target, report, {**built.info, "metadata": dict(metadata.items())}, time.monotonic() - started)
