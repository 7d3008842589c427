"""End-to-end: the fixture catalogue built in four languages, checked on parsed HTML."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import FIXTURES, LANGUAGES, make_project, page, prefix, run_build

from spmlib.site.searchindex import material_docs

RUSSIAN = {"en": "Russian", "fr": "Russe", "es": "Ruso", "pt": "Russo"}
DIMENSION_LABEL = {"en": "Dimension 4", "fr": "Dimension 4", "es": "Dimensión 4", "pt": "Dimensão 4"}
ARABIC = {"en": "Arabic", "fr": "Arabe", "es": "Árabe", "pt": "Árabe"}
MEXICO = {"en": "Mexico", "fr": "Mexique", "es": "México", "pt": "México"}
DIMENSION_4 = {
    "en": "Treat clients responsibly",
    "fr": "Traiter les clients de manière responsable",
    "es": "Tratar a los clientes de manera responsable",
    "pt": "Tratar os clientes de forma responsável",
}


def resolve(base: str, href: str) -> str:
    """A link's target as a site path, from the page path it appears on."""
    return urlsplit(urljoin("http://site/" + base, href)).path.lstrip("/")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_lists_dimensions_with_counts_featured_and_newest(fixture_site, lang):
    home = page(fixture_site, prefix(lang))
    assert home.html["lang"] == lang
    cards = home.select(".spm-dimension a")
    assert len(cards) == 7
    fourth = cards[3]
    assert DIMENSION_4[lang] in fourth.get_text()
    assert re.search(r"\b3\b", fourth.select_one(".spm-dimension__count").get_text())
    assert resolve(prefix(lang), fourth["href"]) == f"{prefix(lang)}dimensions/4/"
    featured = home.select_one("#featured + ul")
    assert [li["data-id"] for li in featured.select(".spm-card")] == ["smart-operations-tool"]
    newest = [li["data-id"] for li in home.select_one("#newest + ul").select(".spm-card")]
    assert newest[0] == "surendettement-guide"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_resource_page_shows_details_and_downloads_in_page_language(fixture_site, lang):
    here = f"{prefix(lang)}resources/smart-operations-tool/"
    doc = page(fixture_site, here)
    details = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in doc.select(".spm-details dt")}
    assert len(details) == 7  # standards, dimensions, topics, organization, year, countries, languages
    standard_links = [resolve(here, a["href"]) for a in doc.select(".spm-details a") if "standards/" in a["href"]]
    assert standard_links == [f"{prefix(lang)}standards/4a/", f"{prefix(lang)}standards/4c/"]
    assert MEXICO[lang] in doc.select_one(".spm-details").get_text()
    # the downloads come first, one action per version, each named in its own language
    assert doc.select_one(".spm-downloads").find_previous("h1") is doc.h1
    assert not doc.select_one(".spm-downloads").find_all_previous(class_="spm-summary")
    versions = {a["hreflang"]: a for a in doc.select(".spm-downloads a")}
    assert set(versions) == {"en", "ru", "ar"}
    assert RUSSIAN[lang] in versions["ru"].select_one(".spm-download__meta").get_text()
    arabic = versions["ar"]
    assert arabic.select_one(".spm-download__name").get_text(strip=True) == "PowerPoint"
    assert ARABIC[lang] in arabic.select_one(".spm-download__meta").get_text()
    assert versions["en"].select_one(".spm-download__name").get_text(strip=True) == "Smart Operations Tool"


def test_page_language_title_is_used_and_fallback_is_marked(fixture_site):
    fr = page(fixture_site, "fr/resources/smart-operations-tool/")
    assert fr.h1.get_text(strip=True) == "Outil Smart Operations" and not fr.h1.has_attr("lang")
    assert fr.select_one(".spm-notice") is None
    es = page(fixture_site, "es/resources/smart-operations-tool/")
    assert es.h1["lang"] == "en" and es.h1.get_text(strip=True) == "Smart Operations Tool"
    assert es.select_one(".spm-notice").get_text(strip=True).endswith("se muestra en inglés.")
    en = page(fixture_site, "resources/cobranza-con-dignidad/")
    assert en.h1["lang"] == "es" and en.select_one(".spm-summary")["lang"] == "es"
    assert "Spanish" in en.select_one(".spm-notice").get_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_looking_catalogue_text_is_shown_as_text(fixture_site, lang):
    doc = page(fixture_site, f"{prefix(lang)}resources/xss-probe/")
    # JSON-LD is data, not run; that it cannot end its element is checked in test_reuse.py
    scripts = [s for s in doc.find_all("script") if s.get("type") != "application/ld+json"]
    assert scripts and not [s for s in scripts if "alert" in (s.string or "")]
    assert not doc.find_all(attrs={"onerror": True}) and not doc.find_all("b")
    assert "<script>alert('title')</script>" in doc.h1.get_text()
    raw = (fixture_site / prefix(lang) / "resources/xss-probe/index.html").read_text()
    assert "<title>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Risky" in raw
    assert doc.title.string.startswith("<script>alert('title')</script> Risky")
    assert "<script>alert('summary')</script>" in doc.select_one(".spm-summary").get_text()
    assert not doc.select('a[href^="javascript:"]') and not doc.select("img[src*=tracker]")
    assert "</title><script>alert('org')</script>" in doc.select_one(".spm-eyebrow").get_text()
    listing = page(fixture_site, f"{prefix(lang)}standards/1a/")
    assert "<script>alert('title')</script>" in listing.select_one('[data-id="xss-probe"]').get_text()


def test_local_documents_are_linked_relative_to_each_language(fixture_site):
    for lang in LANGUAGES:
        here = f"{prefix(lang)}resources/xss-probe/"
        [link] = page(fixture_site, here).select(".spm-downloads a")
        target = resolve(here, link["href"])
        assert (fixture_site / target).is_file(), target
        # a local file says its size, as the page's language writes it
        size = (fixture_site / target).stat().st_size
        unit = "Ko" if lang == "fr" else "KB"
        assert f"{max(1, round(size / 1000))} {unit}" in link.select_one(".spm-download__meta").get_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switcher_keeps_the_reader_on_the_same_page(fixture_site, lang):
    for path in ["resources/smart-operations-tool/", "standards/4a/", "dimensions/4/", "about/", ""]:
        here = prefix(lang) + path
        links = {a["hreflang"]: resolve(here, a["href"]) for a in page(fixture_site, here).select(".md-select__link")}
        assert links == {other: prefix(other) + path for other in LANGUAGES}, here


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dimension_and_standard_pages(fixture_site, lang):
    dim = page(fixture_site, f"{prefix(lang)}dimensions/4/")
    assert DIMENSION_4[lang] in dim.h1.get_text()
    assert [a["href"] for a in dim.select("#standards + ul a")] == [f"../../standards/4{c}/" for c in "abcde"]
    # each resource of the dimension once, with what it covers
    cards = {li["data-id"]: li for li in dim.select(".spm-card")}
    assert len(dim.select(".spm-card")) == len(cards) == 3
    # the coverage chip, short, with its words for screen readers and the tooltip (tests/test_cards.py)
    standards = cards["smart-operations-tool"].select_one(".spm-card__standards")
    assert standards.select_one(".spm-chip__short").get_text() == "4A · 4C"
    assert "4A" in standards["title"] and "4C" in standards["title"]
    dimension = cards["cobranza-con-dignidad"].select_one(".spm-card__standards")
    assert dimension.select_one(".spm-chip__short").get_text() == "D4"
    assert dimension["title"] == dimension.select_one(".spm-visually-hidden").get_text() == DIMENSION_LABEL[lang]
    std = page(fixture_site, f"{prefix(lang)}standards/4a/")
    assert std.select_one("[data-count]").get_text() == "2"
    groups = {h3["id"]: [li["data-id"] for li in h3.find_next_sibling("ul").select(".spm-card")] for h3 in std.select("h3")}
    assert groups == {"type-tool": ["smart-operations-tool"], "type-guidance-note": ["surendettement-guide"]}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_type_topic_and_all_resources_pages(fixture_site, lang):
    everything = page(fixture_site, f"{prefix(lang)}resources/")
    assert everything.select_one("[data-count]").get_text() == "4"
    assert len(everything.select(".spm-card")) == 4
    tools = page(fixture_site, f"{prefix(lang)}types/tool/")
    assert [li["data-id"] for li in tools.select(".spm-card")] == ["smart-operations-tool"]
    topic = page(fixture_site, f"{prefix(lang)}topics/collections/")
    assert [li["data-id"] for li in topic.select(".spm-card")] == ["cobranza-con-dignidad"]
    topics = page(fixture_site, f"{prefix(lang)}topics/")
    assert len(topics.select(".spm-index li")) == 3


def test_navigation_and_labels_are_translated(fixture_site):
    fr = page(fixture_site, "fr/standards/4a/")
    tabs = [a.get_text(strip=True) for a in fr.select(".md-tabs__link")]
    assert tabs[:3] == ["Accueil", "Dimensions", "Parcourir"]
    assert fr.title.string.endswith("Bibliothèque de ressources GPS")
    assert fr.select_one("#what-it-asks").get_text(strip=True).startswith("Ce que demande cette norme")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_its_own_search_index(fixture_site, lang):
    index = json.loads((fixture_site / prefix(lang) / "search" / "search_index.json").read_text())
    assert index["config"]["lang"] == [lang]
    docs = material_docs(index)
    locations = [doc["location"] for doc in docs]
    assert not [loc for loc in locations if re.match(r"^(fr|es|pt)/", loc)]
    assert "resources/smart-operations-tool/" in locations
    titles = {doc["location"]: doc["title"] for doc in docs}
    assert titles["resources/xss-probe/"].startswith("&lt;script&gt;")
    assert not [doc for doc in docs if "<script" in doc["text"] or "<script" in doc["title"]]
    # the page points Material's search at this language's index
    config = json.loads(page(fixture_site, f"{prefix(lang)}resources/").select_one("#__config").string)
    assert resolve(f"{prefix(lang)}resources/", config["base"].rstrip("/") + "/") == prefix(lang)


def test_french_index_holds_french_text(fixture_site):
    index = json.loads((fixture_site / "fr/search/search_index.json").read_text())
    docs = material_docs(index)
    text = " ".join(doc["title"] + " " + doc["text"] for doc in docs)
    assert "surendettement" in text and "Prévention du surendettement" in text
    assert "Prevention of over-indebtedness" not in text
    # the summary is searchable, in the resource's own entry (the downloads above it are not)
    [entry] = [doc for doc in docs if doc["location"] == "resources/smart-operations-tool/"]
    assert "protection des clients" in entry["text"] and "smart-ops-en.xlsx" not in json.dumps(index)


def test_no_page_loads_anything_from_another_host(fixture_site):
    for html in fixture_site.rglob("*.html"):
        doc = page(fixture_site, str(html.relative_to(fixture_site)))
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")):
            for element in doc.find_all(tag):
                value = element.get(attr)
                if not value or (tag == "link" and element.get("rel") in (["alternate"], ["canonical"])):
                    continue
                assert not urlsplit(value).netloc, f"{html}: {tag} {value}"


def test_a_bad_catalogue_fails_and_leaves_the_previous_site_untouched(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    assert run_build(project).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in (project / "site").rglob("*")}
    bad = (project / "resources.yaml").read_text().replace("type: tool", "type: toolkit").replace("[4A, 4C]", "[4A, 4Z]")
    (project / "resources.yaml").write_text(bad)
    result = run_build(project)
    assert result.returncode != 0
    assert (
        "resources.yaml:3: error: resource 'smart-operations-tool', field 'type': 'toolkit' is not a known resource type"
        in result.stderr
    )
    assert "field 'standards[1]': '4Z' is not a known standard code" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in (project / "site").rglob("*")} == before


def test_local_documents_are_copied_once_and_linked_from_every_language(fixture_site):
    copies = sorted(p.relative_to(fixture_site).as_posix() for p in fixture_site.rglob("sample-guide.pdf"))
    assert copies == ["documents/sample-guide.pdf"]
    for lang in LANGUAGES:
        soup = page(fixture_site, prefix(lang) + "resources/xss-probe/")
        (link,) = [a for a in soup.select("a[href]") if a["href"].endswith("sample-guide.pdf")]
        target = (fixture_site / prefix(lang) / "resources" / "xss-probe" / link["href"]).resolve()
        assert target == (fixture_site / "documents" / "sample-guide.pdf").resolve()
