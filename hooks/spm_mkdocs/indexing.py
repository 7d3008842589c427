"""Blocks hidden from Material's search indexer while it reads a page, and given back after.

Card lists, compact rows and the explorer are marked `data-search-exclude`, so the indexer would parse them
only to skip them; they hold most of a listing page's HTML, and parsing them was a quarter of
the build. hooks/pages.py hides them just before the indexer runs (priority 10) and
hooks/i18n_search.py gives them back just after it (-10): both halves of that coupling are here.
"""

from __future__ import annotations

import re

from .session import LanguageBuild

# No nested <ul> in a card list, no nested <section> in the explorer.
_UNSEARCHED = re.compile(r'<(ul|section) class="spm-(?:cards|rows|explorer)"[^>]*data-search-exclude[^>]*>.*?</\1>', re.S)


def hide(build: LanguageBuild, page) -> None:
    if page.content and "data-search-exclude" in page.content:
        build.rendering.unsearched[page.file.src_uri] = page.content
        page.content = _UNSEARCHED.sub("", page.content)


def restore(build: LanguageBuild, page) -> None:
    full = build.rendering.unsearched.pop(page.file.src_uri, None)
    if full is not None:
        page.content = full
