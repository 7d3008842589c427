"""Every place the hooks read an internal of MkDocs, static-i18n or Material, and only here.

These are not public APIs: each function names what it relies on, and tests/test_upstream.py
checks each one against the installed versions, so an upgrade fails in one named place.
"""

from __future__ import annotations

import os
from typing import Any

import jinja2
from mkdocs.exceptions import Abort

from spmlib.model.options import LibraryOptions, OptionsError


def library_options(config) -> LibraryOptions:
    """The library's options for this MkDocs config: mkdocs.yml's `extra.library` and the environment.

    A setting that cannot be used (OptionsError) stops the build with its one-line message
    through MkDocs' Abort, which exits non-zero without a traceback.
    """
    try:
        return LibraryOptions.from_config(config, config.config_file_path)
    except OptionsError as err:
        raise Abort(str(err)) from None


def language_of(config) -> tuple[str, str]:
    """(language being built, URL prefix of that language: '' at the root, else 'fr/').

    static-i18n keeps the language of the build under way in `current_language` and
    `is_default_language_build`; set from its on_config (-100), so read from on_pre_build on.
    """
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "current_language", None):
        lang = i18n.current_language
        return lang, "" if i18n.is_default_language_build else f"{lang}/"
    return config.theme.get("language") or "en", ""


def language_prefixes(config) -> dict[str, str]:
    """Every language this build makes, default first, with its URL prefix ('' for the root).

    Taken from static-i18n's `config.languages` rather than the taxonomy: a bundle may build
    only some languages, with another one at the root.
    """
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return {config.theme.get("language") or "en": ""}
    languages = [lang for lang in i18n.config.languages if getattr(lang, "build", True)]
    languages.sort(key=lambda lang: not lang.default)
    return {lang.locale: "" if lang.default else f"{lang.locale}/" for lang in languages}


def build_only(config, languages: tuple[str, ...]) -> None:
    """Have static-i18n build only `languages`, and the default language, which it builds first in
    any case (as the placeholder of a skipped build when it is not among them): it skips every
    language whose `build` flag is false, and leaves it out of the switcher."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    for lang in i18n.config.languages:
        if not lang.default and lang.locale not in languages:
            lang.build = False


def configured_locales(config) -> list[str]:
    """The locales of static-i18n's `languages` option, built or not."""
    i18n = config.plugins.get("i18n")
    return [lang.locale for lang in i18n.config.languages] if i18n is not None else []


def alternates(config) -> list[dict[str, Any]] | None:
    """The language switcher's links for the page being rendered.

    static-i18n sets `config.extra.alternate` as an attribute, which Jinja reads before the
    mapping item, and only for the files it knows; read and replace it the same way.
    """
    return getattr(config.extra, "alternate", None) or config.extra.get("alternate")


def set_alternates(config, links: list[dict[str, Any]]) -> None:
    config.extra.alternate = links


def search_index(config):
    """Material's search plugin's index object for this build (`search_index`), or None."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(search, "search_index", None)


def search_entries(config) -> list[dict] | None:
    """The entries Material's index holds so far (`search_index.entries`): static-i18n merges every
    language's into it, so the hooks take each page's as it is added."""
    return getattr(search_index(config), "entries", None)


def forget_merged_search_entries(config) -> None:
    """Empty static-i18n's store of every language's search entries (`search_entries`).

    At the end of the first language's build it deduplicates them and writes them all as one
    index at the root, which i18n_search then replaces with that language's own: about a second
    of every `make serve` edit at 2,000 entries, for a file nobody reads. Emptied after each
    language, the store ends empty and that merge costs nothing.
    """
    stored = getattr(config.plugins.get("i18n"), "search_entries", None)
    if isinstance(stored, list):
        stored.clear()


def search_settings(config) -> dict[str, Any]:
    """Material's search settings in the order it writes them (`search_index.config`)."""
    index = search_index(config)
    return {key: index.config[key] for key in ("separator", "pipeline", "fields")}


class _ThemeLoader(jinja2.FileSystemLoader):
    """The theme's loader, listing installed theme folders once per process and no hidden files.

    MkDocs lists every file of the theme on each build to copy its assets (Files.
    add_files_from_theme), then drops hidden ones with a filter: Material's folder holds some
    14,000 icons under `.icons`, a third of a second of every `make serve` edit per language.
    Files under a hidden folder are left out here (MkDocs' filter refuses them anyway), and the
    listing of an installed package, which does not change while the process runs, is kept;
    the project's own overrides/ is listed again each time.
    """

    def __init__(self, searchpath, listings: dict[str, list[str]]):
        super().__init__(searchpath)
        self.listings = listings

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for root in self.searchpath:
            if _installed(root):
                if root not in self.listings:
                    self.listings[root] = _visible_files(root)
                found.update(self.listings[root])
            else:
                found.update(_visible_files(root))
        return sorted(name for name in found if not name.startswith("."))


def _installed(root: str) -> bool:
    """Whether a theme folder belongs to an installed package (it does not change while we run)."""
    folder = os.path.join(root, "")
    return any(f"{os.sep}{place}{os.sep}" in folder for place in ("site-packages", "dist-packages"))


def _visible_files(root: str) -> list[str]:
    """Every file under `root` outside hidden folders, as a template name ("assets/x.css")."""
    names = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        names += [os.path.relpath(os.path.join(folder, f), root).replace(os.sep, "/") for f in files]
    return names


def list_theme_once(config, listings: dict[str, list[str]]) -> None:
    """Give this build's theme environment a loader that lists installed themes once (_ThemeLoader).

    MkDocs makes the environment in build() after on_pre_build (`config.theme.get_env`)."""
    theme = config.theme
    make = theme.get_env
    if getattr(make, "spm_lists_once", False):  # static-i18n builds every language with one config
        return

    def get_env():
        env = make()
        env.loader = _ThemeLoader(theme.dirs, listings)
        return env

    get_env.spm_lists_once = True
    theme.get_env = get_env


def watch_often(server, path: str, seconds: float) -> None:
    """Have `mkdocs serve` look at `path` every `seconds` rather than every half second.

    Its LiveReloadServer polls with watchdog's PollingObserver, whose emitters take the
    observer's `_timeout` when they are scheduled. Half a second was a quarter of the time a
    maintainer waits to see an edit of the catalogue; looking at one file more often is cheap.
    """
    observer = server.observer
    usual = observer._timeout
    observer._timeout = seconds
    try:
        server.watch(path)
    finally:
        observer._timeout = usual


def settle_quickly(server, seconds: float) -> None:
    """Have `mkdocs serve` start a rebuild `seconds` after the last change it saw rather than
    0.1 s (LiveReloadServer's `build_delay`, its wait for a burst of changes to end). Its
    watchers poll every 0.1 s or more, so the changes of one save arrive together anyway;
    the wait was a tenth of the second a maintainer waits to see an English edit."""
    if isinstance(getattr(server, "build_delay", None), (int, float)):
        server.build_delay = min(server.build_delay, seconds)


def root_templates(config) -> set[str]:
    """Theme templates MkDocs renders once per build at the site root (`theme.static_templates`)."""
    return config.theme.static_templates


# Attributes the hooks set on MkDocs' objects, where MkDocs gives no place of its own. Each is
# named here; tests/test_upstream.py checks that MkDocs still reads them as assumed.


def set_permalink_title(config, title: str) -> None:
    """Give the heading anchors of hand-written pages (toc's `permalink`) their title in this build's
    language: Python-Markdown's default is "Permanent link", in every language. MkDocs makes each
    page's Markdown from the private `config.mdx_configs` when it renders it (Page.render), and
    static-i18n builds every language with one config, so each build sets it again."""
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = title


def write_instead(config, path: str, output: str) -> str:
    """Write a root template's `output` at `path` under site_dir, and return what MkDocs then writes.

    MkDocs writes a theme template (`theme.static_templates`) at the root of site_dir, unless its
    output is empty (mkdocs.commands.build._build_theme_template, "Template skipped: ... generated
    empty output"); the empty string returned from on_post_template keeps it from writing.
    """
    target = os.path.join(config.site_dir, *path.split("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(output)
    return ""


def first_root_templates(config, found: set[str]) -> set[str]:
    """`found` the first time this theme is asked, the same set afterwards.

    static-i18n builds every language with one config, and the hooks take templates out of
    `static_templates` for some languages' builds (hooks/pages.py); what was there at first is
    kept on the theme object itself (`spm_root_templates`), which lives as long as that config.
    """
    theme = config.theme
    if not hasattr(theme, "spm_root_templates"):
        theme.spm_root_templates = set(found)
    return theme.spm_root_templates


def set_modified(file, modified) -> None:
    """Have a dirty build (`mkdocs serve --dirty`) ask `modified()` whether to render `file` again.

    MkDocs' build asks `file.is_modified()` of each page when dirty (mkdocs.commands.build);
    it has no other way to be told, so the File's method is replaced on the instance.
    """
    file.is_modified = modified
