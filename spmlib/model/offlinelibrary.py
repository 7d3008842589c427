"""The offline library a published site offers: which zip and ZIM files exist, per language.

`make publish` (spmlib.outputs.publish) makes the files first, writes their manifest, then
builds the site with SPM_OFFLINE_LIBRARY naming it; the "Take it offline" page lists what the
manifest says. The manifest is a file on disk named by the environment, so it is read as
untrusted input: every field is checked here and a mistake stops the build with the file and
the field, rather than showing a reader a link to a file that is not there or a size that lies.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spmlib.model.problems import show_value
from spmlib.model.textcheck import escape_for_terminal

OFFLINE_LIBRARY_ENV = "SPM_OFFLINE_LIBRARY"  # the manifest's path, set by `make publish`
KINDS = ("zip", "zim")  # a zip to open from a USB stick, a ZIM for Kiwix
SKIPPED = ("too_large",)  # why a file was made but not published (GitHub Pages' 100 MB per file)
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.(zip|zim)")
SHA256 = re.compile(r"[0-9a-f]{64}")
LANGUAGE = re.compile(r"[a-z]{2,3}")
FORMAT = 1


class LibraryError(ValueError):
    """The manifest is not one `make publish` writes; one `WHERE: error: ...` line per mistake."""


@dataclass(frozen=True)
class OfflineFile:
    """One zip or ZIM of one language, as published next to the site (or left out, `skipped`)."""

    file: str  # its name, in the site's offline/ folder
    language: str
    kind: str  # zip or zim
    bytes: int
    date: str  # YYYY-MM-DD, the date of the catalogue it holds
    sha256: str
    skipped: str | None = None  # None: published; else why not (SKIPPED)


@dataclass(frozen=True)
class OfflineLibrary:
    """Every offline file of a publication, in the order the manifest lists them."""

    files: tuple[OfflineFile, ...]

    def of(self, language: str, kind: str) -> OfflineFile | None:
        """The file of `kind` in `language`, or None when this publication has none."""
        return next((f for f in self.files if f.language == language and f.kind == kind), None)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "files": [asdict(f) for f in self.files]}, indent=2, ensure_ascii=False) + "\n"


def _field_problems(item: Mapping[str, Any], where: str) -> list[str]:
    checks = {
        "file": lambda v: isinstance(v, str) and FILE_NAME.fullmatch(v) is not None,
        "language": lambda v: isinstance(v, str) and LANGUAGE.fullmatch(v) is not None,
        "kind": lambda v: v in KINDS,
        "bytes": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "date": lambda v: isinstance(v, str) and _is_date(v),
        "sha256": lambda v: isinstance(v, str) and SHA256.fullmatch(v) is not None,
        "skipped": lambda v: v is None or v in SKIPPED,
    }
    wanted = {
        "file": "a file name ending in .zip or .zim, of letters, digits, '.', '_' and '-'",
        "language": "a language code such as fr",
        "kind": "zip or zim",
        "bytes": "a whole number of bytes",
        "date": "a date written YYYY-MM-DD",
        "sha256": "64 lowercase hexadecimal digits",
        "skipped": f"null or {', '.join(SKIPPED)}",
    }
    problems = [f"{where}: unknown field {show_value(key, limit=40)}" for key in item if key not in checks]
    for key, check in checks.items():
        if key not in item and key != "skipped":
            problems.append(f"{where}.{key} is missing; give {wanted[key]}")
        elif key in item and not check(item[key]):
            problems.append(f"{where}.{key} is {show_value(item[key], limit=80)}; give {wanted[key]}")
    if item.get("kind") in KINDS and isinstance(item.get("file"), str) and not item["file"].endswith("." + item["kind"]):
        problems.append(f"{where}.file {show_value(item['file'], limit=80)} does not end in .{item['kind']}")
    return problems


def _is_date(text: str) -> bool:
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def parse_library(data: Any, languages: Sequence[str] | None = None) -> tuple[OfflineLibrary | None, list[str]]:
    """The manifest's data as an OfflineLibrary, or None and every mistake (`files[2].bytes is ...`).

    `languages`: the site's, when known (the page lists only those; `make publish` writes no other).
    """
    if not isinstance(data, Mapping) or data.get("format") != FORMAT or not isinstance(data.get("files"), list):
        return None, [f'not a manifest of format {FORMAT}: give {{"format": {FORMAT}, "files": [...]}}']
    problems: list[str] = []
    seen: set[tuple] = set()
    for index, item in enumerate(data["files"]):
        where = f"files[{index}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where} is {show_value(item, limit=60)}; give a mapping")
            continue
        found = _field_problems(item, where)
        if not found and languages is not None and item["language"] not in languages:
            found.append(f"{where}.language {item['language']} is not a language of the site ({', '.join(languages)})")
        key = (item.get("language"), item.get("kind"))
        if not found and key in seen:
            found.append(f"{where}: a second {item['kind']} in {item['language']}")
        seen.add(key)
        problems += found
    if problems:
        return None, problems
    return OfflineLibrary(tuple(OfflineFile(**item) for item in data["files"])), []


def read_library(path: Path, languages: Sequence[str] | None = None, variable: str = OFFLINE_LIBRARY_ENV) -> OfflineLibrary:
    """The manifest at `path` (named by `variable`), checked; raises LibraryError naming both."""
    where = f"{variable}={path}"
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise LibraryError(escape_for_terminal(f"{where}: error: cannot read it ({err.strerror})")) from None
    except UnicodeDecodeError:
        raise LibraryError(escape_for_terminal(f"{where}: error: not UTF-8 text")) from None
    except json.JSONDecodeError as err:
        raise LibraryError(escape_for_terminal(f"{where}:{err.lineno}:{err.colno}: error: not JSON ({err.msg})")) from None
    library, problems = parse_library(data, languages)
    if problems:
        raise LibraryError("\n".join(escape_for_terminal(f"{where}: error: {problem}") for problem in problems))
    assert library is not None
    return library
