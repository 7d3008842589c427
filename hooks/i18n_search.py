"""MkDocs hook: one search index and one sitemap per language, each holding only that language's pages.

static-i18n merges every language into a single index with one lunr pipeline for all,
so a French reader downloads four languages and gets English stemming. Here each language
build writes `<lang>/search/search_index.json` with its own entries and its own lunr
language, and pages point Material's search at their language's root.

Each non-default language also gets its own `<lang>/sitemap.xml` for search engines (the
root one is MkDocs' own, from the default language's build; see pages.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from spmlib import build, searchtext


@dataclass
class _Build:
    lang: str
    prefix: str
    urls: list[str] = field(default_factory=list)
    pages: set[str] = field(default_factory=set)  # every page of the language, URL without prefix
    rendered: set[str] = field(default_factory=set)  # those rendered: fewer in a dirty build
    entries: list[dict] = field(default_factory=list)  # search entries of this build's pages
    seen: int = 0  # how many of the search plugin's entries were there before


def _page_of(location: str) -> str:
    """The page part of a search location or page URL ('./' and '' are both the home page)."""
    page = location.split("#", 1)[0]
    return "" if page in ("./", ".") else page


def _search_index(config):
    """Material's search plugin's index object for this build, or None."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(search, "search_index", None)


def _search_entries(config) -> list | None:
    return getattr(_search_index(config), "entries", None)


# static-i18n runs the other languages' builds inside the first one's post_build and leaves
# its current language on the last one built, so each build remembers its own language here.
_building: list[_Build] = []


def on_pre_build(config):
    _building.append(_Build(*build.language_of(config)))


@event_priority(-130)  # after every hook that adds pages
def on_files(files, config):
    if _building:
        this = _building[-1]
        this.pages = {_page_of(f.url[len(this.prefix) :]) for f in files.documentation_pages()}
        this.seen = len(_search_entries(config) or [])
    return files


def on_build_error(error):
    if _building:
        _building.pop()


@event_priority(-10)  # after Material's search plugin has indexed the page
def on_page_context(context, page, config, nav):
    full = getattr(page, "spm_full_content", None)
    if full is not None:  # hooks/pages.py hid the unsearched blocks from the indexer
        page.content = full
        del page.spm_full_content
    _, prefix = build.language_of(config)
    if _building and page is not None and page.canonical_url:
        this = _building[-1]
        this.urls.append(page.canonical_url)
        this.rendered.add(_page_of(page.url[len(this.prefix) :]))
        # The entries Material's search plugin has just made for this page. Taken here rather
        # than at the end: static-i18n merges every language's (and, in `serve`, every
        # rebuild's) entries into the plugin's index.
        entries = _search_entries(config) or []
        this.entries.extend(entries[this.seen :])
        this.seen = len(entries)
    if prefix and page is not None:
        # Material reads its search index (and stores its settings) relative to "base".
        context["base_url"] = get_relative_url(prefix, page.url)
    return context


@event_priority(-200)  # after static-i18n has merged (and, for the first language, rewritten) the index
def on_post_build(config):
    this = _building.pop() if _building else _Build(*build.language_of(config))
    if build.skipped(config, this.lang):
        return
    lang, prefix = this.lang, this.prefix
    offline = bool(build.options(config).get("offline"))
    if prefix and not offline:
        write_sitemap(os.path.join(config.site_dir, prefix, "sitemap.xml"), this.urls)
    search_index = _search_index(config)
    if not search_index:
        return
    entries = [
        {**entry, "location": entry["location"][len(prefix) :] if entry["location"].startswith(prefix) else entry["location"]}
        for entry in this.entries
    ]
    if this.rendered < this.pages:  # a dirty build (serve --dirty): keep the unchanged pages' entries
        entries = [
            e for e in build.last_search_entries.get(lang, []) if _page_of(e["location"]) in this.pages - this.rendered
        ] + entries
    build.last_search_entries[lang] = entries
    # Folded, compound and synonym variants, searched but never shown (spmlib/searchtext.py).
    entries = searchtext.forgiving_index(build.current(), lang, entries)
    # Material's own settings, in the order it writes them, without serialising the index it
    # holds: after static-i18n's merge that is every language's entries.
    settings = {key: search_index.config[key] for key in ("separator", "pipeline", "fields")}
    settings["fields"] = {**settings["fields"], **searchtext.EXTRA_FIELDS}
    index = {"config": {"lang": [lang], **settings}, "docs": entries}
    path = os.path.join(config.site_dir, prefix, "search", "search_index.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(index, handle, ensure_ascii=False, separators=(",", ":"))
    if offline:
        # From file:// Material cannot fetch JSON; it loads this script, which sets __index.
        with open(os.path.join(os.path.dirname(path), "search_index.js"), "w", encoding="utf-8") as handle:
            handle.write("var __index = ")
            json.dump(index, handle, ensure_ascii=False, separators=(",", ":"))


def write_sitemap(path: str, urls: list[str]) -> None:
    """A plain sitemap of one language's pages."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in sorted(set(urls))]
    lines.append("</urlset>")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
