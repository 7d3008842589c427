"""`extra.library` in mkdocs.yml as typed settings, each mistake reported at its file:line.

Material and static-i18n declare their options as MkDocs `base.Config` classes; this does not.
MkDocs reports a name it does not know as a warning ("Unrecognised configuration name"), fatal
only under --strict, with neither the line nor the name that was meant; a SubConfig stops at its
first failing option; and spmlib does not import MkDocs (`python -m spmlib check`, bundles and
the parallel build read mkdocs.yml without its build machinery). Here the settings are a frozen
dataclass whose fields are the schema: every key of `extra.library` is checked against them,
all mistakes are reported at once, and near misses get a "did you mean". The lines are looked up
in the file (spmlib.model.yamlsrc) only when something is wrong, so a correct mkdocs.yml costs
nothing more to read, and its values still come from MkDocs' loader, which resolves !ENV.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from spmlib.model.problems import kind_of, show_value
from spmlib.model.textcheck import escape_for_terminal
from spmlib.model.yamlsrc import Located, load_yaml

LIBRARY = ("extra", "library")


@dataclass(frozen=True)
class LibrarySettings:
    """The settings `extra.library` may hold; a key that is not a field here is a mistake."""

    catalogue: str = "resources.yaml"  # the catalogue file, relative to mkdocs.yml
    taxonomy: str = "taxonomy"  # the taxonomy folder, relative to mkdocs.yml
    repository: Any = None  # a web address or empty; checked by spmlib.model.options.SiteLinks
    propose: Any = None  # likewise, with the environment variable that may have set it
    keeper: Any = None  # who keeps the library, a name or empty; checked by SiteLinks too
    keeper_url: Any = None  # their web page, an address or empty
    offline: bool = False  # pages for file:// (set by spmlib.outputs.bundle)
    # Written by spmlib.outputs.bundle, not by hand: its other keys are what the "About this
    # bundle" page shows, open to each kind of bundle (a zim file adds `format`).
    bundle: Mapping[str, Any] | None = None


SETTINGS = tuple(f.name for f in fields(LibrarySettings))
# What each typed setting must be: (accepted types, words for the message)
_EXPECTED: dict[str, tuple[tuple[type, ...], str]] = {
    "catalogue": ((str,), "give the path of the catalogue relative to mkdocs.yml, like resources.yaml"),
    "taxonomy": ((str,), "give the path of the taxonomy folder relative to mkdocs.yml, like taxonomy"),
    "offline": ((bool,), "give true or false"),
    "bundle": ((Mapping,), "give a mapping"),
}
_BUNDLE_MAPPINGS = ("subset", "relink")


class ConfigFile:
    """Where a setting is written, as messages show it: `mkdocs.yml:93`.

    The file is read for its lines on the first question only (messages are rare). Without a
    file to read (plain data in tests and tools), a message names the file alone.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._located: Located | None = None
        self._read = False

    def shown(self) -> str:
        """The file relative to the current folder when it is inside it, else as it was given."""
        if self.path is None:
            return "mkdocs.yml"
        if not self.path.is_file():
            return self.path.name
        absolute = self.path.resolve()
        if absolute.is_relative_to(Path.cwd()):
            return str(absolute.relative_to(Path.cwd()))
        return str(self.path)

    def where(self, *keys: Any) -> str:
        """`file:line` of the setting at `keys` (or of its nearest written parent), or the file."""
        if not self._read:
            self._read = True
            if self.path is not None and self.path.is_file():
                self._located, _ = load_yaml(self.path)  # its problems (!ENV tags) are MkDocs' to judge
        line = self._located.line(keys) if self._located is not None else None
        return f"{self.shown()}:{line}" if line else self.shown()


def _error(source: ConfigFile, keys: tuple, message: str) -> str:
    return escape_for_terminal(f"{source.where(*keys)}: error: {message}")


def _name(keys: tuple) -> str:
    return ".".join(str(key) if isinstance(key, str) else show_value(key) for key in keys)


def did_you_mean(key: Any, known: tuple[str, ...], cutoff: float = 0.6) -> str | None:
    """The known name closest to a misspelled `key`, or None when none is close."""
    if not isinstance(key, str):
        return None
    by_lower = {name.lower(): name for name in known}
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=cutoff)
    if close:
        return by_lower[close[0]]
    # a shortening (`repo`, `tax`) is far from the whole name by difflib's measure, yet plainly meant
    starts = [name for lower, name in by_lower.items() if len(key) >= 3 and lower.startswith(key.lower())]
    return starts[0] if len(starts) == 1 else None


def _unknown(source: ConfigFile, keys: tuple, known: tuple[str, ...]) -> str:
    near = did_you_mean(keys[-1], known)
    hint = f"did you mean {near}?" if near else f"the settings are {', '.join(sorted(known))}"
    return _error(source, keys, f"unknown setting {_name(keys)}; {hint}")


def _wrong_type(source: ConfigFile, keys: tuple, value: Any, advice: str) -> str:
    return _error(source, keys, f"{_name(keys)} is {kind_of(value)} ({show_value(value, limit=60)}); {advice}")


def _extra_mistakes(extra: Mapping, source: ConfigFile) -> list[str]:
    """Keys of `extra` that look like a misspelled `library` (other keys belong to the theme)."""
    return [
        _error(source, ("extra", key), f"unknown setting extra.{key}; did you mean library?")
        for key in extra
        if key != "library" and did_you_mean(key, ("library",), cutoff=0.8)
    ]


def _bundle_mistakes(bundle: Mapping, source: ConfigFile) -> list[str]:
    return [
        _wrong_type(source, (*LIBRARY, "bundle", key), bundle[key], "give a mapping")
        for key in _BUNDLE_MAPPINGS
        if bundle.get(key) is not None and not isinstance(bundle[key], Mapping)
    ]


def library_settings(config: Mapping[str, Any], source: ConfigFile) -> tuple[LibrarySettings, list[str]]:
    """`extra.library` of a loaded mkdocs.yml as typed settings, and every mistake in it as a
    one-line `file:line: error: ...` message. An empty value (`catalogue:`) means the default."""
    extra = config.get("extra")
    if extra is None:
        return LibrarySettings(), []
    if not isinstance(extra, Mapping):
        return LibrarySettings(), [_wrong_type(source, ("extra",), extra, "give a mapping")]
    mistakes = _extra_mistakes(extra, source)
    library = extra.get("library")
    if library is None:
        return LibrarySettings(), mistakes
    if not isinstance(library, Mapping):
        advice = f"give a mapping of settings: {', '.join(sorted(SETTINGS))}"
        return LibrarySettings(), [*mistakes, _wrong_type(source, LIBRARY, library, advice)]
    values: dict[str, Any] = {}
    for key, value in library.items():
        if key not in SETTINGS:
            mistakes.append(_unknown(source, (*LIBRARY, key), SETTINGS))
        elif value is None or (value == "" and key in ("catalogue", "taxonomy")):
            continue
        elif key in _EXPECTED and not isinstance(value, _EXPECTED[key][0]):
            mistakes.append(_wrong_type(source, (*LIBRARY, key), value, _EXPECTED[key][1]))
        else:
            values[key] = value
    if isinstance(values.get("bundle"), Mapping):
        mistakes += _bundle_mistakes(values["bundle"], source)
    return (LibrarySettings(**values) if not mistakes else LibrarySettings()), mistakes
