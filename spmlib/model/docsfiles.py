"""Which files of `docs/` may be published.

Everything under `docs/` ends up in `site/` (and in the pull-request artifact, and in
bundles). MkDocs follows symbolic links, so a link to `/proc/self/environ`, `/etc/passwd` or
`../../.git/config` committed to `docs/` would publish the build machine's secrets. Only
regular files whose resolved path stays inside `docs/` are published; anything else stops
`make check`, `make build` and `make bundle` with the file's name.

Pages must be UTF-8 text: MkDocs stops on the first byte it cannot decode with a traceback
that names no line, and `make links` died the same way; here such a page is a file:line error
before anything reads it.

Nor may `docs/` hold files that browsers run when opened (HTML, SVG, XML, JavaScript): MkDocs
copies them as they are, and they would run on the site's origin.

A document linked from the catalogue is found whatever the Unicode normal form of its name
(see stored_path), and linked under the name MkDocs publishes it with.
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from spmlib.model.textcheck import CONTROL, describe

# Files MkDocs renders as pages rather than copies: a catalogue link to one would point at
# nothing in site/.
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd"})
# Files a browser runs when they are opened, and MkDocs copies as they are: HTML and SVG with
# their scripts, XML through a stylesheet, JavaScript. Published beside the pages, they would
# run on the site's own origin, past the sanitiser of hand-written pages (spmlib.site.docspages).
ACTIVE_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".js", ".mjs", ".xml", ".xsl", ".xslt"}
)


def unsafe_entries(docs_dir: str | Path) -> list[tuple[str, str]]:
    """(path relative to docs/, why) for every symbolic link or non-regular file under docs/.

    Walks without following links, so a link to a directory is reported, not entered.
    """
    docs = Path(docs_dir)
    if not docs.is_dir():
        return []
    found: list[tuple[str, str]] = []
    for folder, dirs, files in os.walk(docs, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            relative = path.relative_to(docs).as_posix()
            if path.is_symlink():
                found.append((relative, f"is a symbolic link (to {os.readlink(path)!r})"))
            elif name in files and not path.is_file():
                found.append((relative, "is not a regular file"))
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
    return sorted(found)


def active_files(docs_dir: str | Path) -> list[str]:
    """The files under docs/ (paths relative to it) that browsers run when opened (ACTIVE_SUFFIXES)."""
    docs = Path(docs_dir)
    if not docs.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(docs, followlinks=False):
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
        found += [
            (Path(folder) / name).relative_to(docs).as_posix()
            for name in files
            if PurePosixPath(name).suffix.lower() in ACTIVE_SUFFIXES and not (Path(folder) / name).is_symlink()
        ]
    return sorted(found)


def unreadable_pages(docs_dir: str | Path) -> list[tuple[str, int, str, str]]:
    """(path relative to docs/, line, why, hint) for every Markdown page that is not UTF-8 text.

    Symbolic links are not followed (unsafe_entries reports them); other files are documents,
    published as they are, and never decoded.
    """
    docs = Path(docs_dir)
    found: list[tuple[str, int, str, str]] = []
    for path in markdown_pages(docs):
        problem = text_problem(path.read_bytes())
        if problem is not None:
            found.append((path.relative_to(docs).as_posix(), *problem))
    return sorted(found)


def markdown_pages(docs_dir: str | Path) -> Iterator[Path]:
    """The Markdown pages under docs/ (regular files, symbolic links not followed), in a stable order."""
    docs = Path(docs_dir)
    if not docs.is_dir():
        return
    for folder, dirs, files in os.walk(docs, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
        for name in sorted(files):
            path = Path(folder) / name
            if PurePosixPath(name).suffix.lower() in MARKDOWN_SUFFIXES and not path.is_symlink() and path.is_file():
                yield path


def text_problem(raw: bytes) -> tuple[int, str, str] | None:
    """(line, why, hint) if `raw` is not UTF-8 text as MkDocs reads it (a UTF-8 byte-order mark is
    allowed), else None. The offset counts bytes from the start of the file, as hex editors do."""
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[start:].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = start + err.start
        line = raw.count(b"\n", 0, offset) + 1
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            hint = "the file is UTF-16, it starts with a UTF-16 byte-order mark: save it as UTF-8"
        else:
            hint = "save it as UTF-8: in most editors, Save as... then Encoding: UTF-8"
        return line, f"not UTF-8 text (byte 0x{raw[offset]:02x} at offset {offset})", hint
    found = CONTROL.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    offset = start + len(text[: found.start()].encode("utf-8"))
    hint = "remove it"
    if found.group() == "\x00" and text.count("\x00") * 4 > len(text):
        hint = "a NUL after every letter is UTF-16 without a byte-order mark; save the file as UTF-8"
    return line, f"control character {describe(found.group())} at offset {offset}; a page holds text only", hint


def stored_path(docs_dir: str | Path, url: str) -> str | None:
    """`url` (a path under docs/) as the file is named on disk, or None if there is no such file.

    macOS writes names decomposed (NFD: "i" then a combining accent) and editors write the
    catalogue composed (NFC), or the other way round; the two look the same, but Linux, git and
    web servers compare bytes. A part of the path missing under its own spelling is looked for
    under the other normal form, so the link can point at the file as MkDocs publishes it. An
    exact name always wins.
    """
    path = Path(docs_dir)
    stored: list[str] = []
    for part in PurePosixPath(url.replace("\\", "/")).parts:
        if not os.path.lexists(path / part):
            wanted = unicodedata.normalize("NFC", part)
            try:
                names = sorted(os.listdir(path))
            except OSError:
                return None
            part = next((name for name in names if unicodedata.normalize("NFC", name) == wanted), "")
            if not part:
                return None
        stored.append(part)
        path = path / part
    return "/".join(stored)


def spelling_on_disk(docs_dir: str | Path, url: str) -> str | None:
    """The name of the file `url` on disk when it differs from `url` in Unicode normal form only
    (see stored_path), else None: the link must use it, since MkDocs publishes the file under it."""
    on_disk = stored_path(docs_dir, url)
    if on_disk is None or on_disk == url or unicodedata.normalize("NFC", on_disk) != unicodedata.normalize("NFC", url):
        return None
    return on_disk


def local_document_problem(docs_dir: str | Path, url: str) -> tuple[str, str] | None:
    """(message, hint) saying why the local link `url` cannot be published, or None if it can.

    The file may be stored under another Unicode normal form than `url` (see stored_path)."""
    docs = Path(docs_dir)
    parts = PurePosixPath(url.replace("\\", "/")).parts
    if any(part.startswith(".") for part in parts):
        return f"local file {url!r} is hidden (a name starting with '.'); MkDocs does not publish it", "rename it"
    if PurePosixPath(parts[-1]).suffix.lower() in MARKDOWN_SUFFIXES:
        return (
            f"local file {url!r} is a page of the site, not a document",
            "link documents (PDF, spreadsheets...) here; a page is reached from the navigation",
        )
    path = docs
    for part in PurePosixPath(stored_path(docs, url) or url.replace("\\", "/")).parts:
        path = path / part
        if path.is_symlink():
            return (
                f"local file {url!r} goes through the symbolic link docs/{path.relative_to(docs).as_posix()}",
                "copy the real file into docs/; links are refused because they can publish files of the build machine",
            )
    if not path.exists():
        return f"local file {url!r} does not exist in docs/", f"add the file as docs/{url} or fix the path"
    if not path.is_file():
        return f"local file {url!r} is not a regular file", "link a file, not a folder or a device"
    if not path.resolve().is_relative_to(docs.resolve()):
        return f"local file {url!r} is outside docs/", "copy the file into docs/"
    return None
