"""State shared by the hook modules during one `mkdocs build` or `mkdocs serve` process.

static-i18n runs the whole build once per language in the same process, and `serve`
rebuilds on every edit, so the catalogue is loaded once and reloaded only when one of its
files changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue, load_catalogue
from .taxonomy import load_taxonomy


@dataclass
class Settings:
    catalogue: Path
    taxonomy: Path
    docs_dir: Path


def settings_from(config) -> Settings:
    """Paths from `extra.library` in mkdocs.yml (relative to it); SPM_CATALOGUE overrides the catalogue."""
    root = Path(config.config_file_path or ".").resolve().parent
    options = (config.extra or {}).get("library") or {}
    catalogue = os.environ.get("SPM_CATALOGUE") or options.get("catalogue", "resources.yaml")
    taxonomy = options.get("taxonomy", "taxonomy")
    return Settings(root / catalogue, root / taxonomy, Path(config.docs_dir))


_cache: dict = {"key": None, "catalogue": None}

# What `mkdocs serve --dirty` needs from the previous build. Kept here because mkdocs loads
# the hook modules afresh on every rebuild, but imports this package once.
rendered_fingerprints: dict[str, str] = {}  # dest_uri -> fingerprint of the page as last written
last_search_entries: dict[str, list[dict]] = {}  # language -> its search index entries


def _fingerprint(settings: Settings) -> tuple:
    paths = [settings.catalogue, *sorted(settings.taxonomy.glob("*.yaml"))]
    stats = []
    for path in paths:
        try:
            st = path.stat()
            stats.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            stats.append((str(path), None, None))
    return (str(settings.docs_dir), tuple(stats))


def load(settings: Settings) -> Catalogue:
    """The validated catalogue; raises CatalogueError (every problem listed) when invalid."""
    key = _fingerprint(settings)
    _cache["current"] = None
    if _cache["key"] != key:
        _cache["key"] = None
        taxonomy = load_taxonomy(settings.taxonomy)
        root = settings.catalogue.parent
        try:
            shown = str(settings.catalogue.relative_to(Path.cwd()))
        except ValueError:
            shown = (
                str(settings.catalogue.relative_to(root)) if settings.catalogue.is_relative_to(root) else str(settings.catalogue)
            )
        _cache["catalogue"] = load_catalogue(settings.catalogue, taxonomy, settings.docs_dir, display_name=shown)
        _cache["key"] = key
    return _cache["catalogue"]


def use(catalogue: Catalogue) -> None:
    """Build from this catalogue (a bundle's part of the loaded one) until the next load."""
    _cache["current"] = catalogue


def current() -> Catalogue:
    """The catalogue loaded by the catalogue hook for this build."""
    if _cache.get("current") is not None:
        return _cache["current"]
    if _cache["catalogue"] is None:
        raise RuntimeError("hooks/catalogue.py must be listed before the other hooks in mkdocs.yml")
    return _cache["catalogue"]


def read_config(config_file: str | Path) -> dict:
    """mkdocs.yml as plain data (!ENV resolved), for the tools that run MkDocs in subprocesses."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, encoding="utf-8") as handle:
        return yaml_load(handle)


def i18n_options(config: dict) -> dict:
    """The options of the i18n plugin in a config from `read_config` (a mutable part of it)."""
    return next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)


def language_prefixes(config) -> dict[str, str]:
    """Every language this build makes, default first, with its URL prefix ('' for the root).

    Taken from the i18n plugin rather than the taxonomy: a bundle may build only some
    languages, with another one at the root.
    """
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return {config.theme.get("language") or "en": ""}
    languages = [lang for lang in i18n.config.languages if getattr(lang, "build", True)]
    languages.sort(key=lambda lang: not lang.default)
    return {lang.locale: "" if lang.default else f"{lang.locale}/" for lang in languages}


ONLY_LANGUAGES = "SPM_ONLY_LANGUAGES"


def skipped(config, lang: str | None = None) -> bool:
    """True when another process builds this language (see spmlib.parallel).

    Pass `lang` after static-i18n's nested builds, which leave its current language on the last one.
    """
    only = os.environ.get(ONLY_LANGUAGES)
    return bool(only) and (lang or language_of(config)[0]) not in only.split(",")


def options(config) -> dict:
    """`extra.library` of mkdocs.yml, plus what `make bundle` adds (offline mode, subset)."""
    return dict((config.extra or {}).get("library") or {})


def language_of(config) -> tuple[str, str]:
    """(language being built, URL prefix of that language: '' at the root, else 'fr/')."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "current_language", None):
        lang = i18n.current_language
        return lang, "" if i18n.is_default_language_build else f"{lang}/"
    return config.theme.get("language") or "en", ""
