"""File names under docs/ that every reader's system can hold.

Everything under docs/ is published and zipped into offline bundles (and ZIM files), and the
people who unzip a bundle for a training are mostly on Windows. Windows cannot create a file
named with < > : " | ? * or a backslash, a control character, a final dot or space, or a device
name (CON, NUL, COM1...) even with an extension; its unzip tools stop or rename silently, and
the page's link then points at nothing. Two names that differ only in case become one file on
Windows and macOS. Such names are refused where they come in (`make check`, and every build),
with the file, and the catalogue line that links it: they are contributions, and renaming the
file is the fix. Mapping them to other names instead would have to be done the same way in the
site, the zip, the ZIM and the open data, for names nobody needs.

Names with spaces, accents, apostrophes, `#`, `%` or `&` are fine everywhere: the site and the
open data percent-encode them in addresses (hooks/pages.py, spmlib/site/opendata.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from spmlib.model.textcheck import describe

WINDOWS_FORBIDDEN = '<>:"|?*\\'
RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL"} | {f"{kind}{n}" for kind in ("COM", "LPT") for n in range(1, 10)})
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def name_problem(name: str) -> str | None:
    """Why Windows cannot hold a file or folder called `name`, or None when it can."""
    control = _CONTROL.search(name)
    if control:
        return f"has the invisible character {describe(control.group())}"
    forbidden = next((char for char in name if char in WINDOWS_FORBIDDEN), None)
    if forbidden is not None:
        return f"has the character {forbidden!r}, which Windows does not allow in file names"
    if name.endswith((".", " ")):
        return "ends with a dot or a space, which Windows drops, so that links to it break"
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    if stem in RESERVED_NAMES:
        return f"is named {stem}, a reserved device name on Windows, with any extension"
    return None


def path_problem(path: str) -> str | None:
    """Why a path relative to docs/ ("documents/a.pdf") names a file Windows cannot hold, or None."""
    for part in path.split("/"):
        problem = name_problem(part)
        if problem is not None:
            return problem if part == path else f"{part!r} {problem}"
    return None


def unportable_entries(docs_dir: str | Path) -> list[tuple[str, str]]:
    """(path relative to docs/, why) for every file or folder under docs/ whose name Windows
    cannot hold, or which differs from another one of its folder only in case."""
    docs = Path(docs_dir)
    if not docs.is_dir():
        return []
    found: list[tuple[str, str]] = []
    for folder, dirs, files in os.walk(docs, followlinks=False):
        relative = Path(folder).relative_to(docs).as_posix()
        prefix = "" if relative == "." else relative + "/"
        seen: dict[str, str] = {}
        for name in sorted(dirs + files):
            problem = name_problem(name)
            if problem is not None:
                found.append((prefix + name, problem))
            same = seen.setdefault(name.casefold(), name)
            if same != name:
                why = f"has the same name as docs/{prefix}{same} but for case; Windows and macOS keep only one of them"
                found.append((prefix + name, why))
    return sorted(found)
