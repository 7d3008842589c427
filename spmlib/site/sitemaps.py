"""One sitemap per language, each page listed with its language alternates.

Pages carry no `<link rel="alternate" hreflang>` in their head (Material would fetch every
language's sitemap on each page load to follow them), so the sitemaps are where search engines
learn that `fr/resources/x/` translates `resources/x/`: every `<url>` lists the same page in
each built language, and `x-default` (the default language, at the site root), with
`<xhtml:link rel="alternate" hreflang href>` as the search engines document it.

Every language has the same pages at the same path under its prefix (generated pages in every
language, hand-written ones falling back to the default language), so each language build can
write its own sitemap alone: the parallel build's processes then agree with the sequential one.
No `lastmod`: a build date would say nothing true about a page and would make two builds differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SITEMAP = "sitemap.xml"  # under each language's prefix


def alternates(page: str, prefixes: Mapping[str, str], site_url: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of `page` (its URL without language prefix) in every language, then x-default.

    `prefixes` is every built language with its URL prefix, the default language ('') first.
    """
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    links = [(lang, site_url + prefix + page) for lang, prefix in prefixes.items()]
    if "" in prefixes.values():
        links.append(("x-default", site_url + page))
    return links


def sitemap_xml(pages: Iterable[str], prefix: str, prefixes: Mapping[str, str], site_url: str) -> bytes:
    """The sitemap of one language: `pages` are its page URLs without the language prefix ('' is the home).

    Page URLs are relative paths (MkDocs' `File.url`), so joining is concatenating: urljoin
    was most of the time of a 10,000-page sitemap.
    """
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    nsmap = {None: SITEMAP_NS, "xhtml": XHTML_NS}
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap=nsmap)
    for page in sorted(set(pages)):
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = site_url + prefix + page
        for hreflang, href in alternates(page, prefixes, site_url):
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def page_urls(urls: Iterable[str], prefix: str) -> list[str]:
    """Page URLs of one language build (with its prefix) as sitemap_xml wants them (without)."""
    pages = [url[len(prefix) :] if prefix and url.startswith(prefix) else url for url in urls]
    return ["" if page in ("./", ".") else page for page in pages]  # MkDocs' URL of the root home page is './'
