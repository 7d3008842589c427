"""What a hand-written page of `docs/` may put in the site: HTML from an allow-list, front matter as text.

`docs/` is edited by pull request, like the catalogue, and is as untrusted (SECURITY.md).
Python-Markdown passes raw HTML through and `attr_list` adds any attribute to any element,
so a page could run script (`<script>`, `onerror=`, `javascript:` links), load from another
host (images, frames, styles; README promises that no page does), post a form elsewhere, or
take over the theme's own elements (Material's script reads its settings from the element
with `id="__config"`, the first one in the page). Material prints front matter without
escaping, and `template:` picks any of its templates (`redirect.html` sends the reader to
`location:`, `javascript:` included).

So the build passes the rendered HTML of every page of `docs/` through nh3 (`clean_html`,
from hooks/pages.py), and keeps only the front matter Material uses on such pages, as text
(`clean_meta`). Pages generated from templates are autoescaped and left exactly as they are.
`make check` renders the same pages and names, with their lines, what the build takes out
(`page_warnings`), so an author learns it before review; `make check STRICT=1` fails on it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import nh3
from markupsafe import escape

from spmlib.model.docsfiles import markdown_pages, text_problem
from spmlib.model.problems import Problem, show_value
from spmlib.model.textcheck import escape_for_terminal

# Elements a page may use: what Markdown, its usual extensions (tables, footnotes, abbr,
# admonitions, details, definition lists, code highlighting, md_in_html) and Material's
# content features produce. Not forms, frames, media, SVG or anything of the document's head.
TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "data",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
        "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "time", "tr", "u", "ul", "var", "wbr", "article", "aside", "header", "footer", "hgroup",
    }
)  # fmt: skip
# Taken out with what they hold: their text is code, styles, or a fallback no reader sees.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "svg", "math", "iframe", "noembed", "noframes", "textarea", "title", "xmp"}
)
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "style"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "align"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "th": {"colspan", "rowspan", "headers", "scope", "align", "abbr"},
    "td": {"colspan", "rowspan", "headers", "align"},
    "col": {"span"},
    "colgroup": {"span"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "details": {"open"},
}
ATTRIBUTE_PREFIXES = frozenset({"aria-"})
# Links may leave the site; nothing else may be loaded from elsewhere (see _attribute).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Tables' column alignment (Python-Markdown writes style="text-align: ..."), sizes of images
# and text emphasis: none of these properties can load anything.
STYLE_PROPERTIES = frozenset(
    {
        "text-align", "vertical-align", "width", "height", "max-width", "max-height", "min-width", "min-height",
        "white-space", "font-weight", "font-style", "text-decoration",
    }
)  # fmt: skip
# Material's buttons are meant for pages; its other md-* classes are its layout (header,
# dialogs, search) and would let a page dress text up as the theme's.
THEME_CLASS = re.compile(r"md-(?!button(--primary)?$)")
# Ids starting with "__" are the theme's (__config holds its settings, __search, __drawer...),
# except those the Markdown extensions give to code blocks and content tabs.
THEME_ID = re.compile(r"__(?!codelineno-|code_|tabbed_)")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_LOADING_CSS = re.compile(r"url\(|image\(|image-set\(|expression\(|@import|\\", re.I)


def _squeezed(url: str) -> str:
    """A URL as browsers read it: leading spaces and controls dropped, tabs and newlines anywhere."""
    return re.sub(r"^[\x00-\x20]+", "", re.sub(r"[\t\n\r]", "", url))


def is_same_site(url: str) -> bool:
    """Whether `url` is an address within the site: no scheme, no other host (`//host`, and
    `\\\\host`, which browsers read the same way)."""
    url = _squeezed(url)
    return not _SCHEME.match(url) and not url[:2].replace("\\", "/").startswith("//")


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's last word on an allowed attribute: the value to keep, or None to drop it."""
    if name == "src":
        return value if is_same_site(value) else None
    if name in ("href", "cite"):
        scheme = _SCHEME.match(_squeezed(value))
        return value if scheme is None or scheme.group(1).lower() in URL_SCHEMES else None
    if name == "id":
        return None if THEME_ID.match(value) else value
    if name == "class":
        return " ".join(c for c in value.split() if not THEME_CLASS.match(c)) or None
    if name == "style":
        return None if _LOADING_CSS.search(value) else value
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute,
    generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES),
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,  # no target= is allowed, so no link can reach back to the page (noopener)
    strip_comments=True,
)
_TEXT = nh3.Cleaner(tags=set(), attributes={}, link_rel=None)


def clean_html(html: str) -> str:
    """The HTML of a hand-written page with only the allowed elements and attributes.

    Always nh3's output, never the input: what the page is reported to lose (`removals`) is
    worked out separately, and a mistake there must not let anything through.
    """
    return _CLEANER.clean(html)


def clean_text(html: str) -> str:
    """Text in HTML (a page title MkDocs took from a heading) with no element left in it."""
    return _TEXT.clean(html)


# ---- front matter ----------------------------------------------------------------------------

# The keys of front matter Material reads on a hand-written page, and what each may hold.
HIDE = frozenset({"navigation", "toc", "footer", "path", "tags", "feedback"})
FRONT_MATTER_KEYS = ("title", "description", "hide", "search")


def _front_matter_value(key: str, value: Any) -> tuple[Any, str | None]:
    """(value to keep or None, why it is not kept as written or None)."""
    if key in ("title", "description"):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None, "must be text"
        text = str(value)
        return str(escape(text)), ("holds markup, shown as text" if "<" in text else None)
    if key == "hide":
        if isinstance(value, list) and all(isinstance(v, str) and v in HIDE for v in value):
            return list(value), None
        return None, f"must be a list of {', '.join(sorted(HIDE))}"
    if key == "search":
        ok = isinstance(value, dict) and all(
            (k == "exclude" and isinstance(v, bool)) or (k == "boost" and isinstance(v, int | float) and not isinstance(v, bool))
            for k, v in value.items()
        )
        return (dict(value), None) if ok else (None, "must be {exclude: true} or {boost: <number>}")
    return None, f"is not used on hand-written pages (only {', '.join(FRONT_MATTER_KEYS)} are)"


def clean_meta(meta: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """(the front matter the build keeps, [(key, why) for what it drops or shows as text]).

    Titles and descriptions are text: escaped here, as Material prints them as they are.
    """
    kept: dict[str, Any] = {}
    notes: list[tuple[str, str]] = []
    for key, value in meta.items():
        cleaned, why = _front_matter_value(str(key), value)
        if cleaned is not None:
            kept[str(key)] = cleaned
        if why is not None:
            notes.append((str(key), why))
    return kept, notes


# ---- what the build takes out, for `make check` ----------------------------------------------


class Removal(NamedTuple):
    """One thing clean_html takes out of a page, worded for its author."""

    what: str  # "<script>", "onclick='...' on <h2>"
    why: str
    needles: tuple[str, ...]  # text to look for in the Markdown, to give the line


class _Element(NamedTuple):
    tag: str
    attrs: dict[str, str]
    inside_dropped: bool  # within an element taken out with its content: not reported on its own


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[_Element] = []
        self.open_dropped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(_Element(tag, {name: value or "" for name, value in attrs}, bool(self.open_dropped)))
        if tag in DROPPED_WITH_CONTENT:
            self.open_dropped.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(_Element(tag, {name: value or "" for name, value in attrs}, bool(self.open_dropped)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open_dropped:
            del self.open_dropped[len(self.open_dropped) - 1 - self.open_dropped[::-1].index(tag) :]


def _elements(html: str) -> list[_Element]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


_ELEMENT_REASONS = (
    ({"script", "noscript", "template"}, "scripts do not run on the site"),
    ({"iframe", "frame", "frameset", "object", "embed", "applet", "portal"}, "pages embed no other page or plugin"),
    ({"style", "link", "meta", "base"}, "pages cannot change the site's styles, addresses or headers"),
    ({"form", "input", "button", "select", "textarea", "option", "fieldset", "label", "output"}, "pages hold no forms"),
    ({"video", "audio", "source", "track", "picture"}, "link to the file instead: pages embed no media"),
    ({"svg", "math"}, "inline SVG and MathML are not published: use an image file"),
)


THEME_CLASSES_WHY = "the theme's own classes (md-...) are reserved; md-button and md-button--primary are allowed"


def _element_removal(element: _Element) -> Removal:
    why = next((why for tags, why in _ELEMENT_REASONS if element.tag in tags), None)
    if why is None:
        why = "not an element pages may use (spmlib/site/docspages.py lists them); its text is kept"
    return Removal(f"<{element.tag}>", why, (f"<{element.tag}",))


def _attribute_removal(tag: str, name: str, value: str) -> Removal:
    shown = f"{name}={show_value(value, 60)}"
    # the value finds the line of an address or an id; an event handler's code ("alert(1)") is
    # too common, its name is not
    needles = (f"{name}=", name, value) if name.startswith("on") else (value, f"{name}=", name)
    needles = tuple(n for n in needles if len(n) > 2)
    if name.startswith("on"):
        why = "event handlers are scripts, and scripts do not run on the site"
    elif name == "src" and not is_same_site(value):
        why = "pages load nothing from another host: copy the file into docs/ and link it"
    elif name in ("href", "src"):
        why = "links may be http(s), mailto or tel addresses, or addresses within the site"
    elif name == "id":
        why = "ids starting with __ belong to the theme (Material reads its settings from __config)"
    elif name == "style":
        why = "styles may not load anything; only " + ", ".join(sorted(STYLE_PROPERTIES)) + " are kept"
    elif name == "class":
        why = THEME_CLASSES_WHY
    else:
        why = f"not an attribute <{tag}> may have on a page"
    return Removal(f"{shown} on <{tag}>", why, needles)


def _style_properties(style: str) -> set[str]:
    return {part.split(":", 1)[0].strip().lower() for part in style.split(";") if ":" in part}


def _changed(tag: str, before: dict[str, str], after: dict[str, str]) -> list[Removal]:
    found = []
    for name, value in before.items():
        if name not in after:
            found.append(_attribute_removal(tag, name, value))
        elif name == "class":
            for token in sorted(set(value.split()) - set(after[name].split())):
                found.append(Removal(f"class {token} on <{tag}>", THEME_CLASSES_WHY, (token,)))
        elif name == "style":
            for prop in sorted(_style_properties(value) - _style_properties(after[name])):
                why = "only " + ", ".join(sorted(STYLE_PROPERTIES)) + " may be styled"
                found.append(Removal(f"style {prop}: on <{tag}>", why, (prop, "style=")))
    return found


def removals(html: str, cleaned: str | None = None) -> list[Removal]:
    """What clean_html takes out of `html` (`cleaned`, if it has been cleaned already), in the
    order of the page.

    Found by comparing the elements and attributes before and after cleaning, so that the
    report follows what nh3 does rather than a second copy of its rules. Comments, which it
    also drops, are not reported.
    """
    before, after = _elements(html), _elements(clean_html(html) if cleaned is None else cleaned)
    matcher = difflib.SequenceMatcher(a=[e.tag for e in before], b=[e.tag for e in after], autojunk=False)
    found: list[Removal] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for old, new in zip(before[i1:i2], after[j1:j2], strict=True):
                found += _changed(old.tag, old.attrs, new.attrs)
        elif op in ("delete", "replace"):
            found += [_element_removal(element) for element in before[i1:i2] if not element.inside_dropped]
    return found


def sanitise(html: str) -> tuple[str, list[Removal]]:
    """clean_html's output, and what it took out (for the build's log)."""
    cleaned = clean_html(html)
    return cleaned, removals(html, cleaned)


def summary(source: str, removed: list[Removal]) -> str:
    """One line of the build's log for a page `removed` was taken out of, escaped for a terminal."""
    named = ", ".join(dict.fromkeys(r.what for r in removed))
    return escape_for_terminal(f"{source}: taken out of the page: {named} (`make check` gives the lines)")


def _lines_of(removed: Iterable[Removal], lines: list[str]) -> list[int | None]:
    """The line (1-based) of each removal in the Markdown: the first line after the previous
    use of the same text that holds one of its needles, or None."""
    lowered = [line.lower() for line in lines]
    last: dict[str, int] = {}
    found: list[int | None] = []
    for removal in removed:
        number = None
        for needle in removal.needles:
            key = needle.lower()
            start = last.get(key, -1) + 1
            number = next((i for i in range(start, len(lowered)) if key in lowered[i]), None)
            if number is None:
                number = next((i for i in range(len(lowered)) if key in lowered[i]), None)
            if number is not None:
                last[key] = number
                break
        found.append(None if number is None else number + 1)
    return found


def markdown_settings(config: Mapping[str, Any] | None) -> tuple[list[str], dict[str, dict]]:
    """(extensions, their settings) as MkDocs renders pages with `config` (mkdocs.yml as data):
    its own toc, tables and fenced_code first, then mkdocs.yml's `markdown_extensions`."""
    names = ["toc", "tables", "fenced_code"]
    settings: dict[str, dict] = {}
    configured = (config or {}).get("markdown_extensions") or []
    items = configured.items() if isinstance(configured, Mapping) else configured
    for item in items:
        if isinstance(item, tuple):
            name, options = item
        elif isinstance(item, Mapping):
            name, options = next(iter(item.items()))
        else:
            name, options = item, None
        if name not in names:
            names.append(name)
        if isinstance(options, Mapping):
            settings[name] = dict(options)
    return names, settings


def page_notes(text: str, settings: tuple[list[str], dict[str, dict]]) -> list[tuple[int | None, str]]:
    """(line, message) for each thing the build takes out of, or shows as text in, the page
    whose Markdown source is `text` (front matter included)."""
    import markdown
    from mkdocs.utils import meta

    body, front = meta.get_data(text)
    lines = text.split("\n")
    fence = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), 0) if front else 0
    notes: list[tuple[int | None, str]] = []
    for key, why in clean_meta(front)[1]:
        number = next((i + 1 for i in range(fence) if re.match(rf"{re.escape(key)}\s*:", lines[i])), None)
        notes.append((number, f"front matter {key!r} {why}"))
    extensions, configs = settings
    html = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(body)
    removed = removals(html)
    for number, removal in zip(_lines_of(removed, lines), removed, strict=True):
        notes.append((number, f"{removal.what} when the site is built: {removal.why}"))
    return notes


def page_warnings(docs_dir: str | Path, config: Mapping[str, Any] | None = None) -> list[Problem]:
    """A warning for everything the build takes out of the pages of `docs_dir`, with its line.

    Pages that are not UTF-8 text, and symbolic links, are errors reported elsewhere
    (spmlib.model.docsfiles); they are skipped here.
    """
    docs = Path(docs_dir)
    if not docs.is_dir():
        return []
    settings = markdown_settings(config)
    found: list[Problem] = []
    for path in markdown_pages(docs):
        raw = path.read_bytes()
        if text_problem(raw) is not None:
            continue
        shown = f"docs/{path.relative_to(docs).as_posix()}"
        for line, message in page_notes(raw.decode("utf-8-sig"), settings):
            found.append(Problem(shown, line, message, severity="warning"))
    return found
