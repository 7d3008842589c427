"""What other tools read: Atom feeds, sitemaps with language alternates, citation metadata, open data.

Checked on the fixture site in all four languages: feeds and sitemaps parsed strictly with lxml
(sitemaps against the sitemaps.org schema shipped in tests/fixtures/schemas), JSON-LD and the
citation_* tags Zotero reads, and the catalogue's JSON and CSV round-tripped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jsonschema
import pytest
from conftest import FIXTURES, LANGUAGES, ROOT, make_project, page, prefix, run_build
from lxml import etree

from spmlib.model.catalogue import Link, Resource, load_catalogue
from spmlib.site.feeds import FeedInput, atom_feed
from spmlib.site.metadata import Citation, json_ld, resource_metadata
from spmlib.site.opendata import DATA_CSV, DATA_JSON, DATA_SCHEMA, OPEN_DATA_SCHEMA_PATH, catalogue_csv, spreadsheet_safe
from spmlib.site.sitemaps import sitemap_xml

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IDS = {"smart-operations-tool", "cobranza-con-dignidad", "xss-probe", "surendettement-guide"}
STRICT = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)


@pytest.fixture(scope="module")
def catalogue(taxonomy):
    return load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")


@pytest.fixture(scope="module")
def sitemap_schema():
    return etree.XMLSchema(etree.parse(str(FIXTURES / "schemas" / "sitemap-with-alternates.xsd")))


def parse(path: Path) -> etree._Element:
    return etree.fromstring(path.read_bytes(), STRICT)


# ---- feeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_an_atom_feed_of_the_newest_additions(fixture_site, lang):
    feed = parse(fixture_site / prefix(lang) / "feed.xml")
    assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == lang
    own = SITE_URL + prefix(lang) + "feed.xml"
    assert feed.findtext(f"{ATOM}id") == own
    assert [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"] == [own]
    assert feed.findtext(f"{ATOM}updated") == "2025-02-01T00:00:00+00:00"  # the newest `added`, not the build's day
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    newest_first = ["surendettement-guide", "cobranza-con-dignidad", "smart-operations-tool", "xss-probe"]
    assert ids == [f"{SITE_URL}{prefix(lang)}resources/{rid}/" for rid in newest_first]
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}updated")
        assert (fixture_site / urlsplit(entry.findtext(f"{ATOM}id")).path.lstrip("/") / "index.html").is_file()


def test_feed_text_is_in_the_readers_language_or_marked(fixture_site):
    feed = parse(fixture_site / "fr" / "feed.xml")
    entries = {e.findtext(f"{ATOM}id").rsplit("/", 2)[-2]: e for e in feed.iter(f"{ATOM}entry")}
    smart = entries["smart-operations-tool"]
    assert smart.findtext(f"{ATOM}title") == "Outil Smart Operations" and smart.find(f"{ATOM}title").get(XML_LANG) is None
    assert "<strong>protection des clients</strong>" in smart.findtext(f"{ATOM}summary")
    assert smart.find(f"{ATOM}summary").get("type") == "html"
    assert smart.findtext(f"{ATOM}author/{ATOM}name") == "Smart Campaign"
    cobranza = entries["cobranza-con-dignidad"]
    assert cobranza.find(f"{ATOM}title").get(XML_LANG) == "es"
    assert cobranza.find(f"{ATOM}summary").get(XML_LANG) == "es"
    # HTML in catalogue text stays text in the feed: escaped once by the XML, once more in the summary
    probe = entries["xss-probe"]
    assert probe.findtext(f"{ATOM}title").startswith("<script>alert('title')</script>")
    assert "<script>" not in probe.findtext(f"{ATOM}summary") and "&lt;script&gt;" in probe.findtext(f"{ATOM}summary")


def test_feed_without_dated_resources_is_refused(catalogue):
    undated = load_catalogue(FIXTURES / "catalogue.yaml", catalogue.taxonomy, FIXTURES / "docs")
    undated.resources[:] = [r for r in undated.resources if r.added is None]
    with pytest.raises(ValueError, match="added"):
        atom_feed(undated, FeedInput("en", SITE_URL, "", "t", "a", {}))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_and_explorer_link_the_feed_in_the_body_not_the_head(fixture_site, lang):
    for path in (prefix(lang), prefix(lang) + "resources/"):
        soup = page(fixture_site, path)
        link = soup.select_one("article .spm-feed a[href]")
        assert link is not None, path
        target = urlsplit(urljoin(SITE_URL + path, link["href"])).path
        assert target == f"/{prefix(lang)}feed.xml"
        assert soup.head.select('link[rel="alternate"]') == []


# ---- sitemaps --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sitemaps_are_valid_and_list_every_page_with_its_alternates(fixture_site, sitemap_schema, lang):
    path = fixture_site / prefix(lang) / "sitemap.xml"
    tree = parse(path)
    sitemap_schema.assertValid(tree)
    urls = tree.findall(f"{SM}url")
    locs = [u.findtext(f"{SM}loc") for u in urls]
    # every page of the language, and only those
    pages = {
        SITE_URL + p.relative_to(fixture_site).parent.as_posix() + "/"
        for p in (fixture_site / prefix(lang)).rglob("index.html")
        if not any(f"/{other}/" in "/" + p.relative_to(fixture_site).as_posix() for other in LANGUAGES[1:] if other != lang)
    }
    pages = {p.replace("/./", "/") for p in pages}
    assert set(locs) == pages and len(locs) == len(set(locs))
    for url in urls:
        loc = url.findtext(f"{SM}loc")
        rest = loc[len(SITE_URL + prefix(lang)) :]
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert all(link.get("rel") == "alternate" for link in url.findall(f"{XHTML}link"))
        assert links == {**{code: SITE_URL + prefix(code) + rest for code in LANGUAGES}, "x-default": SITE_URL + rest}
        assert links[lang] == loc
    assert not (fixture_site / "sitemap.xml.gz").exists()


def test_sitemap_respects_a_site_url_with_a_path(sitemap_schema):
    prefixes = {"en": "", "fr": "fr/"}
    xml = sitemap_xml(["", "resources/x/"], "fr/", prefixes, "https://example.org/library")
    tree = etree.fromstring(xml, STRICT)
    sitemap_schema.assertValid(tree)
    assert [u.findtext(f"{SM}loc") for u in tree.iter(f"{SM}url")] == [
        "https://example.org/library/fr/",
        "https://example.org/library/fr/resources/x/",
    ]
    assert tree.find(f"{SM}url/{XHTML}link[@hreflang='x-default']").get("href") == "https://example.org/library/"


def test_schema_refuses_a_broken_alternate(sitemap_schema):
    """The schema check can fail: an alternate without hreflang is refused."""
    bad = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
        b'<url><loc>https://example.org/</loc><xhtml:link rel="alternate" href="https://example.org/fr/"/></url></urlset>'
    )
    assert not sitemap_schema.validate(etree.fromstring(bad))


# ---- resource pages: canonical, JSON-LD, citation tags, Cite line --------------------------


def head_metadata(site: Path, lang: str, rid: str):
    soup = page(site, f"{prefix(lang)}resources/{rid}/")
    scripts = soup.head.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    tags: dict[str, list[str]] = {}
    for meta in soup.head.select('meta[name^="citation_"]'):
        tags.setdefault(meta["name"], []).append(meta["content"])
    return soup, data, tags


@pytest.mark.parametrize("lang", LANGUAGES)
def test_resource_metadata_in_every_language(fixture_site, lang):
    url = f"{SITE_URL}{prefix(lang)}resources/smart-operations-tool/"
    soup, data, tags = head_metadata(fixture_site, lang, "smart-operations-tool")
    assert soup.head.select_one('link[rel="canonical"]')["href"] == url
    title = {"fr": "Outil Smart Operations"}.get(lang, "Smart Operations Tool")
    title_lang = "fr" if lang == "fr" else "en"
    assert data["@context"] == "https://schema.org" and data["@type"] == "CreativeWork"
    assert data["@id"] == data["url"] == url and data["name"] == title
    assert data["inLanguage"] == ["en", "ru", "ar"]
    assert data["publisher"] == {"@type": "Organization", "name": "Smart Campaign"}
    assert data["datePublished"] == "2013"
    assert [a["termCode"] for a in data["about"]] == ["4A", "4C"]
    assert all(a["@type"] == "DefinedTerm" and a["name"] and a["inDefinedTermSet"] for a in data["about"])
    versions = {v["inLanguage"]: v for v in data["workExample"]}
    assert versions["en"]["contentUrl"] == "https://example.org/smart-ops-en.xlsx"
    assert versions["en"]["encodingFormat"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert versions["ar"]["encodingFormat"] == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert tags["citation_title"] == [title]
    assert tags["citation_publisher"] == ["Smart Campaign"]
    assert tags["citation_publication_date"] == ["2013"]
    assert tags["citation_language"] == [title_lang]
    assert tags["citation_public_url"] == [url]
    assert "citation_pdf_url" not in tags and "citation_author" not in tags  # spreadsheets, and an organisation
    assert "**" not in tags["citation_abstract"][0]  # Markdown is rendered to plain text
    cite = soup.select_one("article .spm-cite [data-cite]")
    assert cite.get_text() == f"Smart Campaign (2013). {title}. {url}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_what_is_known_is_said(fixture_site, lang):
    url = f"{SITE_URL}{prefix(lang)}resources/cobranza-con-dignidad/"
    soup, data, tags = head_metadata(fixture_site, lang, "cobranza-con-dignidad")
    assert "publisher" not in data and "datePublished" not in data  # no organization, no year in the catalogue
    assert "citation_publisher" not in tags and "citation_publication_date" not in tags
    assert tags["citation_pdf_url"] == ["https://example.org/cobranza.pdf"]
    assert tags["citation_language"] == ["es"]
    assert [a["termCode"] for a in data["about"]] == ["4"]  # a whole dimension
    cite = soup.select_one("article .spm-cite [data-cite]")
    title = "Nota SMART: Cobranza con dignidad en FinComún"
    assert cite.get_text() == f"{title}. {url}"
    assert cite.select_one("span").get("lang") == (None if lang == "es" else "es")


def test_local_pdf_has_its_public_address(fixture_site):
    _, data, tags = head_metadata(fixture_site, "pt", "xss-probe")
    assert tags["citation_pdf_url"] == [SITE_URL + "documents/sample-guide.pdf"]
    assert data["workExample"][0]["contentUrl"] == SITE_URL + "documents/sample-guide.pdf"
    assert data["workExample"][0]["encodingFormat"] == "application/pdf"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_text_cannot_escape_the_head(fixture_site, lang):
    soup, data, tags = head_metadata(fixture_site, lang, "xss-probe")
    raw = (fixture_site / prefix(lang) / "resources" / "xss-probe" / "index.html").read_text(encoding="utf-8")
    script = raw[raw.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>")]
    assert "<" not in script[1:] and "\\u003c/script\\u003e" in script
    assert data["publisher"]["name"] == "</title><script>alert('org')</script>"
    assert tags["citation_publisher"] == ["</title><script>alert('org')</script>"]
    executable = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json" and "alert(" in (s.string or "")]
    assert executable == []


def test_json_ld_escapes_what_could_close_the_script():
    text = str(json_ld({"a": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


# (organization, year, title, address) -> the Cite line
CITATIONS = [
    (("Smart Campaign", 2013, "Tool", "https://x.org/r/"), "Smart Campaign (2013). Tool. https://x.org/r/"),
    (("Smart Campaign", None, "Tool", "https://x.org/r/"), "Smart Campaign. Tool. https://x.org/r/"),
    ((None, 2016, "Guide", "https://x.org/r/"), "Guide (2016). https://x.org/r/"),
    ((None, None, "Why?", None), "Why?"),
    (("CGAP", 2020, "Notes.", None), "CGAP (2020). Notes."),
]


@pytest.mark.parametrize(("parts", "expected"), CITATIONS)
def test_cite_line(parts, expected):
    org, year, title, address = parts
    assert Citation(org, year, title, None, address).text() == expected


def test_pdf_address_only_for_real_pdfs(taxonomy):
    resource = Resource(
        "r",
        "guide",
        {"en": "T"},
        (Link("en", "https://x.org/page.html", "pdf"), Link("fr", "https://x.org/doc.pdf", "pdf")),
        standards=("4A",),
    )
    meta = resource_metadata(resource, "en", taxonomy, None, None)
    assert ("citation_pdf_url", "https://x.org/doc.pdf") in meta["citation"]
    assert not any(name == "citation_public_url" for name, _ in meta["citation"])  # no address offline


# ---- open data -------------------------------------------------------------------------------


def test_open_data_json_is_the_catalogue_and_follows_its_schema(fixture_site, catalogue):
    data = json.loads((fixture_site / DATA_JSON).read_text(encoding="utf-8"))
    schema = json.loads((ROOT / OPEN_DATA_SCHEMA_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(data)] == []
    assert json.loads((fixture_site / DATA_SCHEMA).read_text(encoding="utf-8")) == schema
    assert data["languages"] == LANGUAGES
    by_id = {r["id"]: r for r in data["resources"]}
    assert set(by_id) == IDS
    smart = by_id["smart-operations-tool"]
    assert smart["title"] == {"en": "Smart Operations Tool", "fr": "Outil Smart Operations"}
    assert smart["links"][0] == {
        "lang": "en",
        "url": "https://example.org/smart-ops-en.xlsx",
        "format": "xls",
        "kind": "document",
    }
    assert smart["added"] == "2024-04-10" and smart["year"] == 2013 and smart["featured"] is True
    assert "year" not in by_id["cobranza-con-dignidad"]


def test_the_shipped_catalogue_follows_the_open_data_schema(taxonomy):
    from spmlib.site.opendata import catalogue_document

    shipped = load_catalogue(ROOT / "resources.yaml", taxonomy, ROOT / "docs")
    schema = json.loads((ROOT / OPEN_DATA_SCHEMA_PATH).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(catalogue_document(shipped))] == []
    rows = list(csv.DictReader(io.StringIO(catalogue_csv(shipped).removeprefix("\ufeff"))))
    assert [row["id"] for row in rows] == [r.id for r in shipped.resources]


def test_committed_open_data_schema_is_up_to_date():
    from spmlib.__main__ import open_data_schema_text

    assert (ROOT / OPEN_DATA_SCHEMA_PATH).read_text(encoding="utf-8") == open_data_schema_text(str(ROOT / "taxonomy")), (
        "run `make schema` and commit schema/open-data.schema.json"
    )


def test_open_data_csv_round_trips(fixture_site, catalogue):
    raw = (fixture_site / DATA_CSV).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so that spreadsheets read UTF-8
    with open(fixture_site / DATA_CSV, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == [r.id for r in catalogue.resources]
    assert {f"title_{lang}" for lang in LANGUAGES} | {f"summary_{lang}" for lang in LANGUAGES} <= set(rows[0])
    by_id = {row["id"]: row for row in rows}
    assert by_id["smart-operations-tool"]["title_fr"] == "Outil Smart Operations"
    assert by_id["smart-operations-tool"]["title_es"] == ""
    assert by_id["cobranza-con-dignidad"]["title_es"] == "Nota SMART: Cobranza con dignidad en FinComún"
    assert by_id["smart-operations-tool"]["standards"] == "4A 4C"
    assert by_id["smart-operations-tool"]["links"].splitlines()[2] == "ar https://example.org/smart-ops-ar.pptx"
    assert by_id["xss-probe"]["organization"] == "</title><script>alert('org')</script>"


FORMULAS = [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+1", "'+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Smart Campaign", "Smart Campaign"),
    ("2013", "2013"),
    ("", ""),
    ("a=b", "a=b"),
]


@pytest.mark.parametrize(("value", "expected"), FORMULAS)
def test_csv_cells_cannot_run_as_formulas(value, expected):
    assert spreadsheet_safe(value) == expected


def test_formula_in_the_catalogue_is_defused_in_the_csv(taxonomy, tmp_path):
    (tmp_path / "c.yaml").write_text(
        "resources:\n  - id: f\n    type: tool\n    title: {en: '=1+2', fr: '@cmd'}\n"
        "    summary: {en: '- a list'}\n    organization: '+org'\n    dimensions: [4]\n"
        "    links: [{lang: en, url: 'https://x.org/a.pdf'}]\n",
        encoding="utf-8",
    )
    rows = list(csv.DictReader(io.StringIO(catalogue_csv(load_catalogue(tmp_path / "c.yaml", taxonomy)).lstrip("\ufeff"))))
    assert (rows[0]["title_en"], rows[0]["title_fr"], rows[0]["summary_en"], rows[0]["organization"]) == (
        "'=1+2",
        "'@cmd",
        "'- a list",
        "'+org",
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_about_pages_link_the_open_data(fixture_site, lang):
    soup = page(fixture_site, f"{prefix(lang)}about/")
    base = fixture_site / prefix(lang) / "about"
    targets = {(base / a["href"]).resolve().relative_to(fixture_site).as_posix() for a in soup.select("article a[href]")}
    assert {DATA_JSON, DATA_CSV, DATA_SCHEMA} <= targets


# ---- a public address with a path -----------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The fixture catalogue built for https://example.org/library/ (SITE_URL)."""
    project = make_project(tmp_path_factory.mktemp("published") / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    os.environ["SITE_URL"] = "https://example.org/library/"
    try:
        result = run_build(project)
    finally:
        del os.environ["SITE_URL"]
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_site_url_is_respected_everywhere(published, sitemap_schema):
    base = "https://example.org/library/"
    for lang in LANGUAGES:
        tree = parse(published / prefix(lang) / "sitemap.xml")
        sitemap_schema.assertValid(tree)
        assert all(loc.text.startswith(base + prefix(lang)) for loc in tree.iter(f"{SM}loc"))
        feed = parse(published / prefix(lang) / "feed.xml")
        assert feed.findtext(f"{ATOM}id") == f"{base}{prefix(lang)}feed.xml"
        assert all(e.text.startswith(f"{base}{prefix(lang)}resources/") for e in feed.iter(f"{ATOM}id") if e.getparent() != feed)
        soup, data, tags = head_metadata(published, lang, "xss-probe")
        url = f"{base}{prefix(lang)}resources/xss-probe/"
        assert soup.head.select_one('link[rel="canonical"]')["href"] == data["url"] == url
        assert tags["citation_public_url"] == [url]
        assert tags["citation_pdf_url"] == [base + "documents/sample-guide.pdf"]


def test_dates_are_the_catalogues_not_the_build_day(fixture_site):
    today = dt.date.today().isoformat()
    for lang in LANGUAGES:
        assert today not in (fixture_site / prefix(lang) / "feed.xml").read_text(encoding="utf-8") or today == "2025-02-01"
        assert "lastmod" not in (fixture_site / prefix(lang) / "sitemap.xml").read_text(encoding="utf-8")
