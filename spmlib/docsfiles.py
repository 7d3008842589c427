"""Which files of `docs/` may be published.

Everything under `docs/` ends up in `site/` (and in the pull-request artifact, and in
bundles). MkDocs follows symbolic links, so a link to `/proc/self/environ`, `/etc/passwd` or
`../../.git/config` committed to `docs/` would publish the build machine's secrets. Only
regular files whose resolved path stays inside `docs/` are published; anything else stops
`make check`, `make build` and `make bundle` with the file's name.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

# Files MkDocs renders as pages rather than copies: a catalogue link to one would point at
# nothing in site/.
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd"})


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


def local_document_problem(docs_dir: str | Path, url: str) -> tuple[str, str] | None:
    """(message, hint) saying why the local link `url` cannot be published, or None if it can."""
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
    for part in parts:
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
