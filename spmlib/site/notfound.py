"""The 404 page of each language: what it says, where its links go, and which page answers an address.

A static host (GitHub Pages, a plain web server) answers every missing address with the one
404.html at the site's root; it cannot tell /fr/ from /es/. So every language has a 404 page of
its own, with its own header, navigation, search and footer (`fr/404.html`), and the root one,
in the default language, sends a reader whose address lies under another language's folder to
that language's page. The addresses are absolute, under the path of `site_url`: the host serves
these pages at any depth, and a project site lives under /repository/.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from spmlib.model.taxonomy import Taxonomy

PAGE = "404.html"
MISSED = "missed"  # the query parameter that carries the mistyped address to a language's 404 page


@dataclass(frozen=True)
class NotFound:
    """What one language's 404 page shows and does."""

    lang: str
    title: str
    text: str
    address_label: str
    home: str
    home_label: str
    explorer: str
    explorer_label: str
    # at the root: each other language's folder -> its 404 page, for the script that sends the reader there
    others: Mapping[str, str]
    # in another language: its folder, under which alone the mistyped address is put back in the address bar
    own: str | None


def site_path(site_url: str | None) -> str:
    """The path the site is served under ('/', or '/repository/' for a project site)."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def not_found(
    taxonomy: Taxonomy, lang: str, prefixes: Mapping[str, str], site_url: str | None, directory_urls: bool = True
) -> NotFound:
    """The 404 page of `lang`, one of `prefixes` (every built language -> its folder, '' at the root)."""
    base = site_url or "/"
    base = base if base.endswith("/") else base + "/"
    path = site_path(site_url)
    prefix = prefixes[lang]
    label = taxonomy.label
    return NotFound(
        lang=lang,
        title=label("not_found_title", lang),
        text=label("not_found_text", lang),
        address_label=label("not_found_address", lang),
        home=base + prefix,
        home_label=label("home", lang),
        explorer=base + prefix + ("resources/" if directory_urls else "resources/index.html"),
        explorer_label=label("all_resources", lang),
        others={path + other: path + other + PAGE for other in prefixes.values() if other} if not prefix else {},
        own=path + prefix if prefix else None,
    )
