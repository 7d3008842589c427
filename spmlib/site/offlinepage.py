"""What the "Take it offline" page shows: the offline library, one row per language, or how to make it.

A trainer heading to a room without internet needs three things from it: the file for their
language, how big it is (will it fit the USB stick, the data plan), and how to open it there.
The files and their sizes come from the manifest `make publish` wrote (spmlib.model.offlinelibrary),
never from guesses: a site built without them (`make build`) says how to make them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spmlib.model.offlinelibrary import KINDS, OfflineFile, OfflineLibrary
from spmlib.site.view import View

OFFLINE_FOLDER = "offline"  # where `make publish` puts the files, at the root of the site


@dataclass(frozen=True)
class Download:
    """One file as the page lists it: where it is, and its size and date in the reader's words."""

    kind: str  # zip or zim
    file: OfflineFile
    href: str | None  # None: made but left out of the site (too large for the host)
    size: str
    date: str


@dataclass(frozen=True)
class LanguageRow:
    code: str
    name: str  # in the page's language
    downloads: tuple[Download, ...]  # in KINDS order; a kind this publication lacks is left out


def language_rows(library: OfflineLibrary, view: View) -> list[LanguageRow]:
    """Every language of the site, the page's own first, with the files the manifest has for it."""
    languages = sorted(view.tax.languages, key=lambda code: code != view.lang)
    rows = []
    for code in languages:
        downloads = []
        for kind in KINDS:
            found = library.of(code, kind)
            if found is None:
                continue
            href = None if found.skipped else view.link(f"site:{OFFLINE_FOLDER}/{found.file}")
            downloads.append(Download(kind, found, href, view.byte_size(found.bytes), view.date(found.date)))
        rows.append(LanguageRow(code, view.language(code), tuple(downloads)))
    return rows


def offline_context(title: str | None, library: OfflineLibrary | None, view: View) -> dict[str, Any]:
    """The template's context: the rows when the site was published with its files, else None."""
    rows = language_rows(library, view) if library is not None else None
    manifest = view.link(f"site:{OFFLINE_FOLDER}/manifest.json") if library is not None else None
    return {"v": view, "title": title, "rows": rows, "manifest": manifest}
