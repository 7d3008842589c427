"""MkDocs hook: one search index per language, holding only that language's pages.

static-i18n merges every language into a single index with one lunr pipeline for all,
so a French reader downloads four languages and gets English stemming. Here each language
build writes `<lang>/search/search_index.json` with its own entries and its own lunr
language, and pages point Material's search at their language's root.

Each language's sitemap is written by hooks/reuse.py (spmlib.site.sitemaps).
"""

from __future__ import annotations

import json
import os

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url
from spm_mkdocs import indexing, upstream
from spm_mkdocs.priorities import priority
from spm_mkdocs.session import SESSION

from spmlib.site import searchindex


def _page_of(location: str) -> str:
    """The page part of a search location or page URL ('./' and '' are both the home page)."""
    page = location.split("#", 1)[0]
    return "" if page in ("./", ".") else page


@event_priority(priority("i18n_search", "on_files"))
def on_files(files, config):
    build = SESSION.current
    build.search.pages = {_page_of(f.url[len(build.prefix) :]) for f in build.pages()}
    build.search.seen = len(upstream.search_entries(config) or [])
    return files


@event_priority(priority("i18n_search", "on_page_context"))
def on_page_context(context, page, config, nav):
    build = SESSION.current
    indexing.restore(build, page)
    if page is not None and page.canonical_url:
        record = build.search
        record.rendered.add(_page_of(page.url[len(build.prefix) :]))
        # The entries Material's search plugin has just made for this page. Taken here rather
        # than at the end: static-i18n merges every language's (and, in `serve`, every
        # rebuild's) entries into the plugin's index.
        entries = upstream.search_entries(config) or []
        record.entries.extend(entries[record.seen :])
        record.seen = len(entries)
    if build.prefix and page is not None:
        # Material reads its search index (and stores its settings) relative to "base".
        context["base_url"] = get_relative_url(build.prefix, page.url)
    return context


@event_priority(priority("i18n_search", "on_post_build"))
def on_post_build(config):
    """The last event of a language build: write its index, then close the build."""
    build = SESSION.end()
    upstream.forget_merged_search_entries(config)  # taken page by page (on_page_context)
    if build is None or build.skipped:
        return
    lang, prefix, record = build.lang, build.prefix, build.search
    offline = build.options.offline
    if not upstream.search_index(config):
        return
    entries = [
        {**entry, "location": entry["location"][len(prefix) :] if entry["location"].startswith(prefix) else entry["location"]}
        for entry in record.entries
    ]
    kept = SESSION.kept  # `make serve`: the last build's entries
    if kept is not None:
        if record.rendered < record.pages:  # a dirty build: keep the unchanged pages' entries
            unchanged = record.pages - record.rendered
            entries = [e for e in kept.search_entries.get(lang, []) if _page_of(e["location"]) in unchanged] + entries
        kept.search_entries[lang] = entries
    # Forgiving (folded, compound and synonym variants) and compact: spmlib/site/searchindex.py.
    # Material's own settings, without serialising the index it holds: after static-i18n's
    # merge that is every language's entries.
    steps = SESSION.cache.index_steps(build.catalogue, lang) if SESSION.cache else None  # `make serve`: kept
    index = searchindex.build_index(build.catalogue, lang, entries, upstream.search_settings(config), steps)
    path = os.path.join(config.site_dir, prefix, "search", "search_index.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(index, handle, ensure_ascii=False, separators=(",", ":"))
    if offline:
        # From file:// Material cannot fetch JSON; it loads this script, which sets __index.
        with open(os.path.join(os.path.dirname(path), "search_index.js"), "w", encoding="utf-8") as handle:
            handle.write("var __index = ")
            json.dump(index, handle, ensure_ascii=False, separators=(",", ":"))
