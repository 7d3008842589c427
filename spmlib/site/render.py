"""Turning catalogue data into HTML fragments with an autoescaping Jinja environment.

Material's own environment does not autoescape (its templates output `page.content`
raw), so catalogue text is never handed to it as markup: every fragment is rendered here,
where anything from resources.yaml is escaped unless it went through `markdown()`, which
does not pass raw HTML through.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup


@lru_cache(maxsize=1)
def _markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # Headings would compete with the page's own; remote images would make readers' browsers
    # fetch from other hosts (cost, privacy, offline bundles). Both stay visible as text.
    md.disable(["heading", "lheading", "image", "html_block", "html_inline"])
    return md


_WHITESPACE_RUN = re.compile(r"\s{2,}")


def squeeze(html: str) -> Markup:
    """Markup with each run of whitespace shortened to one character.

    Material's header, tabs and sidebars are indented templates: a tenth of every page was
    indentation, and a large library is tens of thousands of pages (GitHub Pages takes 1 GB).
    Browsers collapse such runs to one space anyway, so the page looks and reads the same;
    only for markup without <pre>, <textarea> or scripts, which these parts do not have.
    """
    return Markup(_WHITESPACE_RUN.sub(lambda m: "\n" if "\n" in m.group() else " ", str(html)))


def markdown(text: str | None) -> Markup:
    """Render a catalogue summary: Markdown in, safe HTML out (raw HTML is shown as text)."""
    if not text:
        return Markup("")
    return Markup(_markdown_parser().render(text))


def plain_text(text: str | None) -> str:
    """A catalogue summary as one line of plain text: what cards and teasers show, markup removed."""
    if not text:
        return ""
    words: list[str] = []
    for token in _markdown_parser().parse(text):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type in ("paragraph_close", "list_item_close"):
            words.append(" ")
    return " ".join("".join(words).split())


def teaser(text: str, limit: int = 160) -> str:
    """At most `limit` characters, cut at a word and marked with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.—–- ")
    return cut + "…"


@lru_cache(maxsize=65536)
def summary_teaser(summary: str) -> str:
    """A summary's card line; kept, because a resource's card is shown on many pages."""
    return teaser(plain_text(summary))


def make_environment(template_dir: str | Path) -> jinja2.Environment:
    """The environment for the `spm/*.html` templates; autoescape is on for every template."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=BYTECODE,
    )
    env.filters["markdown"] = markdown
    return env


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the whole process.

    MkDocs makes a new Jinja environment for every build, and static-i18n builds once per
    language, so Material's 150 templates were compiled four times per build and again on
    every `mkdocs serve` rebuild. Jinja checks each entry against the template's source.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


BYTECODE = MemoryBytecodeCache()
