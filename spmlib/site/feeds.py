"""An Atom feed per language of the newest additions to the library, by the date they were `added`.

Practitioners follow the library in a feed reader rather than coming back to look. Each
language has its own feed (`feed.xml` under its prefix) with titles and summaries in that
language, or in the fallback language marked with `xml:lang` on the element, as the pages do.
The feed is made by feedgen; only that marking is added to its tree afterwards.

Feeds need the public address (`site_url`): entry ids and links are absolute. Offline bundles
have none that a reader could follow, so they carry no feed (hooks/reuse.py).
Nothing here depends on the day of the build: `updated` is the newest `added` date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from lxml import etree

from spmlib.model.catalogue import Catalogue, Resource
from spmlib.site.render import markdown

FEED = "feed.xml"  # under each language's prefix
FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class FeedInput:
    """What a language's feed needs besides the catalogue: names and addresses of this build."""

    lang: str
    site_url: str  # the public address of the site root, ending with '/'
    prefix: str  # '' or 'fr/'
    title: str  # the feed's title in `lang`
    author: str  # who publishes the feed: the library (site_name in `lang`)
    page_path: dict[str, str]  # resource id -> its page's URL without the site address ('fr/resources/x/')


def newest_added(catalogue: Catalogue, size: int = FEED_SIZE) -> list[Resource]:
    """The resources with an `added` date, newest first (ties by id, so the order is stable)."""
    dated = [r for r in catalogue.resources if r.added is not None]
    dated.sort(key=lambda r: (r.added, r.id), reverse=True)
    return dated[:size]


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def atom_feed(catalogue: Catalogue, feed: FeedInput, size: int = FEED_SIZE) -> bytes:
    """The Atom document of the newest additions for readers of `feed.lang`."""
    order = catalogue.taxonomy.fallback_order
    chosen = [r for r in newest_added(catalogue, size) if r.id in feed.page_path]
    if not chosen:
        raise ValueError("no resource has an `added` date: there is nothing to put in a feed")
    own = urljoin(feed.site_url, feed.prefix + FEED)
    home = urljoin(feed.site_url, feed.prefix)
    fg = FeedGenerator()
    fg.id(own)
    fg.title(feed.title)
    fg.language(feed.lang)
    fg.author({"name": feed.author, "uri": home})
    fg.link(href=own, rel="self", type="application/atom+xml")
    fg.link(href=home, rel="alternate", type="text/html", hreflang=feed.lang)
    fg.updated(_moment(chosen[0].added))
    fg.generator("python-feedgen")
    languages: list[tuple[str | None, str | None]] = []
    for resource in chosen:
        url = urljoin(feed.site_url, feed.page_path[resource.id])
        title, title_lang = resource.pick("title", feed.lang, order)
        summary, summary_lang = resource.pick("summary", feed.lang, order)
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.title(title or resource.id)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.updated(_moment(resource.added))
        entry.published(_moment(resource.added))
        if resource.organization:  # otherwise the feed's author stands, as Atom allows
            entry.author({"name": resource.organization})
        if summary:
            entry.summary(str(markdown(summary)), type="html")
        for code in resource.standards:
            entry.category(term=code)
        languages.append((title_lang, summary_lang if summary else None))
    document = etree.fromstring(fg.atom_str(pretty=True))
    for element, (title_lang, summary_lang) in zip(document.iterfind(f"{{{ATOM_NS}}}entry"), languages, strict=True):
        if title_lang and title_lang != feed.lang:
            element.find(f"{{{ATOM_NS}}}title").set(XML_LANG, title_lang)
        if summary_lang and summary_lang != feed.lang:
            element.find(f"{{{ATOM_NS}}}summary").set(XML_LANG, summary_lang)
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
