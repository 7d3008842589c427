"""What reference managers and search engines read on a resource page, and the "Cite" line.

Researchers save resources with Zotero, whose embedded-metadata translator reads the Highwire
`citation_*` meta tags; search engines read schema.org JSON-LD. Both are built here as plain
data from the catalogue and rendered by overrides/spm/_head.html (autoescaped); only what the
catalogue knows is said: no publisher without an organisation, no date without a year, a PDF
address only for a link that is a PDF.

The JSON-LD is serialised with `json.dumps` and `<`, `>`, `&` written as \\u003c, \\u003e,
\\u0026, so no catalogue text can close the `<script>` element that holds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

from markupsafe import Markup

from spmlib.model.catalogue import Link, Resource
from spmlib.model.linkkinds import PLACE
from spmlib.model.taxonomy import Taxonomy
from spmlib.site.render import markdown

# Media types by file extension; links without a known extension are described by their format.
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mov": "video/quicktime",
    "zip": "application/zip",
    "html": "text/html",
    "htm": "text/html",
}
FORMAT_MEDIA_TYPES = {"pdf": "application/pdf", "web": "text/html", "video": "text/html", "zip": "application/zip"}
_JSON_IN_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class Citation:
    """The parts of the "Cite" line: `title_lang` is set when the title is not in the page's language."""

    organization: str | None
    year: int | None
    title: str
    title_lang: str | None
    address: str | None

    def parts(self) -> tuple[str, str]:
        """The text before and after the title: "Organisation (year). Title. Address", leaving out what is unknown."""
        before = ""
        if self.organization:
            before = f"{self.organization} ({self.year}). " if self.year else f"{self.organization}. "
        after = f" ({self.year})" if self.year and not self.organization else ""
        if after or not self.title.endswith((".", "?", "!")):
            after += "."
        if self.address:
            after += f" {self.address}"
        return before, after

    def text(self) -> str:
        before, after = self.parts()
        return before + self.title + after


def media_type(link: Link) -> str | None:
    """The link's media type, from its extension, else from its format (None when unknown)."""
    path = link.url.split("#", 1)[0].split("?", 1)[0]
    name = path.rsplit("/", 1)[-1] if "://" not in path or path.count("/") > 2 else ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return MEDIA_TYPES.get(suffix) or FORMAT_MEDIA_TYPES.get(link.format)


def absolute(link: Link, site_url: str | None) -> str | None:
    """A link's public address: the URL itself, or the root copy of a local file under site_url."""
    if not link.is_local:
        return link.url
    return urljoin(site_url, quote(link.url)) if site_url else None


def citation(resource: Resource, lang: str, taxonomy: Taxonomy, page_url: str | None) -> Citation:
    """The "Cite" line for readers of `lang`; the address is the resource page's, else its first
    online version's that is its own (a document or its page, not a publisher's home page)."""
    title, title_lang = resource.pick("title", lang, taxonomy.fallback_order)
    online = [link for link in resource.links if not link.is_local]
    own = [link for link in online if link.kind != PLACE]
    address = page_url or next((link.url for link in own + online), None)
    shown_lang = title_lang if title_lang != lang else None
    return Citation(resource.organization, resource.year, title or resource.id, shown_lang, address)


def _pdf(resource: Resource, lang: str, title_lang: str | None, site_url: str | None) -> str | None:
    """The address of a real PDF, in the page's language if there is one, else the title's, else any."""
    pdfs = [link for link in resource.links if link.format == "pdf" and media_type(link) == "application/pdf"]
    pdfs.sort(key=lambda link: (link.lang != lang, link.lang != title_lang))
    for link in pdfs:
        url = absolute(link, site_url)
        if url:
            return url
    return None


def resource_metadata(
    resource: Resource, lang: str, taxonomy: Taxonomy, page_url: str | None, site_url: str | None
) -> dict[str, Any]:
    """The head metadata of a resource page: `citation` (name, content) pairs and `json_ld` (safe Markup).

    `page_url` is the page's public address and `site_url` the site's, both None in offline bundles.
    """
    order = taxonomy.fallback_order
    title, title_lang = resource.pick("title", lang, order)
    summary, _ = resource.pick("summary", lang, order)
    title = title or resource.id
    summary = plain_text(summary) if summary else None
    tags = _citation_tags(resource, lang, taxonomy, title, title_lang, summary, page_url, site_url)
    work = _creative_work(resource, lang, taxonomy, title, summary, page_url, site_url)
    return {"citation": tags, "json_ld": json_ld(work)}


def _citation_tags(
    resource: Resource,
    lang: str,
    taxonomy: Taxonomy,
    title: str,
    title_lang: str | None,
    summary: str | None,
    page_url: str | None,
    site_url: str | None,
) -> list[tuple[str, str]]:
    """The Highwire Press `citation_*` meta tags that Google Scholar and reference managers read."""
    tags: list[tuple[str, str]] = [("citation_title", title)]
    if resource.organization:
        tags.append(("citation_publisher", resource.organization))
    if resource.year is not None:
        tags.append(("citation_publication_date", str(resource.year)))
    tags.append(("citation_language", title_lang or lang))
    if summary:
        tags.append(("citation_abstract", summary))
    tags.extend(("citation_keywords", taxonomy.topic_name(topic, lang)) for topic in resource.topics)
    pdf = _pdf(resource, lang, title_lang, site_url)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    if page_url:
        tags.append(("citation_public_url", page_url))
    return tags


def _creative_work(
    resource: Resource,
    lang: str,
    taxonomy: Taxonomy,
    title: str,
    summary: str | None,
    page_url: str | None,
    site_url: str | None,
) -> dict[str, Any]:
    """The schema.org CreativeWork of the JSON-LD, its keys in the order pages have always had."""
    work: dict[str, Any] = {"@context": "https://schema.org", "@type": "CreativeWork"}
    if page_url:
        work["@id"] = page_url
        work["url"] = page_url
    work["name"] = title
    if summary:
        work["description"] = summary
    work["inLanguage"] = resource.document_languages()
    work["genre"] = taxonomy.type(resource.type).name[lang]
    about = _defined_terms(resource, lang, taxonomy)
    if about:
        work["about"] = about
    if resource.topics:
        work["keywords"] = [taxonomy.topic_name(topic, lang) for topic in resource.topics]
    if resource.organization:
        work["publisher"] = {"@type": "Organization", "name": resource.organization}
    if resource.year is not None:
        work["datePublished"] = str(resource.year)
    versions = _digital_documents(resource, site_url)
    if versions:
        work["workExample"] = versions
    return work


def _defined_terms(resource: Resource, lang: str, taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """The standards, then the dimensions, of the resource as schema.org DefinedTerms of one term set."""
    standards_name = taxonomy.label("standards_name", lang)
    about = [
        {
            "@type": "DefinedTerm",
            "termCode": code,
            "name": taxonomy.standards[code].name[lang],
            "inDefinedTermSet": standards_name,
        }
        for code in resource.standards
    ]
    about += [
        {
            "@type": "DefinedTerm",
            "termCode": str(number),
            "name": taxonomy.dimension(number).name[lang],
            "inDefinedTermSet": standards_name,
        }
        for number in resource.dimensions
    ]
    return about


def _digital_documents(resource: Resource, site_url: str | None) -> list[dict[str, Any]]:
    """Each link that has a public address (see `absolute`) as a schema.org DigitalDocument."""
    versions = []
    for link in resource.links:
        url = absolute(link, site_url)
        if url is None:
            continue
        version: dict[str, Any] = {"@type": "DigitalDocument", "inLanguage": link.lang, "contentUrl": url}
        kind = media_type(link)
        if kind:
            version["encodingFormat"] = kind
        if link.label:
            version["name"] = link.label
        versions.append(version)
    return versions


def plain_text(summary: str) -> str:
    """A Markdown summary as the plain text that meta tags and JSON-LD hold."""
    return markdown(summary).striptags()


def json_ld(data: Any) -> Markup:
    """JSON for a `<script type="application/ld+json">` element: nothing in it can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # no indent: json's C encoder
    for char, escaped in _JSON_IN_HTML.items():
        text = text.replace(char, escaped)
    return Markup(text)
