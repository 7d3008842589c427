"""The order of every hook event, with static-i18n's and Material's, in one table.

MkDocs runs the handlers of one event from the highest priority to the lowest (default 0).
The hooks take their priority from here (`priority("pages", "on_files")`); the upstream rows are
what the installed plugins declare, checked by tests/test_upstream.py.
"""

from __future__ import annotations

from typing import NamedTuple


class Row(NamedTuple):
    owner: str  # a hook module of hooks/, or "static-i18n" / "material-search" (upstream, for reference)
    event: str
    priority: int
    why: str


TABLE: tuple[Row, ...] = (
    Row("catalogue", "on_config", 100, "validate the catalogue before any plugin changes anything or site/ is cleaned"),
    Row("static-i18n", "on_config", -100, "upstream: sets the language of the build under way"),
    Row("catalogue", "on_pre_build", 100, "open this language's build context, once static-i18n has set the language"),
    Row("catalogue", "on_files", 100, "refuse symbolic links in docs/ on every build, before any file is used"),
    Row("static-i18n", "on_files", -100, "upstream: sorts docs/ files into languages, rebuilding File objects"),
    Row("pages", "on_files", -110, "add generated pages after static-i18n, which would drop in-memory content"),
    Row("explorer", "on_files", -120, "the explorer data links to resource pages, so it needs their files"),
    Row("reuse", "on_files", -125, "open data, schema and feed files, once the resource pages have their files"),
    Row("i18n_search", "on_files", -130, "count this language's pages once every hook has added its own"),
    Row("progress", "on_files", -130, "count the pages to build once every hook has added its own"),
    Row("static-i18n", "on_page_context", 50, "upstream: sets the switcher's links (config.extra.alternate)"),
    Row("pages", "on_page_context", 10, "hide unsearched blocks from the indexer and fix the switcher, after static-i18n"),
    Row("material-search", "on_page_context", 0, "upstream: indexes the page"),
    Row("i18n_search", "on_page_context", -10, "take the page's search entries and put the hidden blocks back"),
    Row("pages", "on_post_build", 0, "record what was rendered, before static-i18n builds the other languages"),
    Row("static-i18n", "on_post_build", -100, "upstream: builds the other languages inside the first one's post_build"),
    Row("reuse", "on_post_build", -150, "write the language's sitemap once its nested builds are done, before it closes"),
    Row(
        "i18n_search",
        "on_post_build",
        -200,
        "write the language's search index after static-i18n's merge; closes the build",
    ),
    Row("catalogue", "on_post_build", -250, "`make serve`: once every build is closed, wait for the workers' languages"),
)


def priority(owner: str, event: str) -> int:
    """The priority of a hook's handler; a KeyError names a handler missing from the table."""
    for row in TABLE:
        if row.owner == owner and row.event == event:
            return row.priority
    raise KeyError(f"{owner}.{event} is not in hooks/spm_mkdocs/priorities.py")
