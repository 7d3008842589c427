"""What a link opens (issue 25): a document, a page presenting the resource, or a place to look.

Readers met publishers' home pages under the resource's title in bold, and eight boxed links of
one entry that opened the same page. The model infers a link's kind where the address makes it
certain and validates what the catalogue declares; the resource page merges links of one
address, orders documents, pages, then places, and words a place as "Find it on <host>"."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, make_project, page, prefix, run_build, serve

from spmlib.model.catalogue import Link, load_catalogue
from spmlib.model.linkkinds import address_key, host_name, infer_kind
from spmlib.model.problems import CatalogueError
from spmlib.outputs.fetch import downloadable

# (url, declared format or None, label, declared kind or None, expected kind)
INFERRED = [
    ("https://cerise-sptf.org/", None, None, None, "place"),  # a home page
    ("https://cerise-sptf.org", None, None, None, "place"),  # an empty path is one too
    ("https://cerise-sptf.org/#tools", None, "Home", None, "place"),  # a label does not make it a page
    ("https://cerise-sptf.org/", None, None, "page", "page"),  # a website that is the resource: declared
    ("https://blog.example.org/?p=12", None, None, None, "place"),  # asks for a page: not certain, no label
    ("https://blog.example.org/?p=12", None, "Post", None, "page"),
    ("https://e.org/guide.pdf", None, None, None, "document"),  # the extension names a file
    ("https://e.org/tool.XLSX?download=1", None, None, None, "document"),
    ("https://e.org/download?id=4", "pdf", None, None, "document"),  # so does a file format
    ("https://e.org/clip.mp4", None, None, None, "document"),
    ("https://www.youtube.com/watch?v=x", None, None, None, "page"),  # a video site: a page to watch
    ("documents/guide.pdf", None, None, None, "document"),  # a file under docs/
    ("https://e.org/tools/smart-operations", None, "Smart Operations", None, "page"),  # labelled: its page
    ("https://e.org/ressources?page=44", None, None, None, "place"),  # unlabelled: a listing
    ("https://e.org/tools/smart-operations", None, None, "page", "page"),  # declared
    ("https://e.org/ressources", None, "Guidance notes", "place", "place"),
]


@pytest.mark.parametrize(("url", "fmt", "label", "declared", "expected"), INFERRED, ids=[f"{c[0]}-{c[3]}" for c in INFERRED])
def test_kind_is_declared_or_inferred_where_certain(tmp_path, taxonomy, url, fmt, label, declared, expected):
    fields = "".join(f", {k}: {v!r}" for k, v in (("format", fmt), ("label", label), ("kind", declared)) if v)
    if url.startswith("documents/"):
        (tmp_path / "documents").mkdir()
        (tmp_path / "documents" / "guide.pdf").write_bytes(b"%PDF-1.4\n")
    [resource] = catalogue(tmp_path, taxonomy, f'[{{lang: en, url: "{url}"{fields}}}]').resources
    assert resource.links[0].kind == expected
    assert infer_kind(url, resource.links[0].format, label, declared) == expected


# (name, links, line, field, fragments of the message)
BAD = [
    (
        "unknown kind",
        '[{lang: en, url: "https://e.org/a", kind: listing}]',
        "links[0].kind",
        ["'listing' is not a known link kind"],
    ),
    ("near miss", '[{lang: en, url: "https://e.org/a", kind: documents}]', "links[0].kind", ["did you mean 'document'"]),
    ("kind not text", '[{lang: en, url: "https://e.org/a", kind: 1}]', "links[0].kind", ["is not a known link kind"]),
    (
        "a home page is no document",
        '[{lang: en, url: "https://cerise-sptf.org/", kind: document}]',
        "links[0].kind",
        ["is 'document' but the address is a website's home page", "use 'place'"],
    ),
    (
        "nor a PDF",
        '[{lang: en, url: "https://cerise-sptf.org/", format: pdf}]',
        "links[0].format",
        ["is 'pdf' but the address is a website's home page"],
    ),
    (
        "a PDF is no place to look",
        '[{lang: en, url: "https://e.org/guide.pdf", kind: place}]',
        "links[0].kind",
        ["is 'place' but the address or format names a file"],
    ),
    (
        "a document needs a file format",
        '[{lang: en, url: "https://e.org/download?id=4", kind: document}]',
        "links[0].kind",
        ["nothing says which file", "give its format"],
    ),
    (
        "offers on a document",
        '[{lang: en, url: "https://e.org/guide.pdf", offers: [en, fr]}]',
        "links[0].offers",
        ["is for a page or a place to look", "document"],
    ),
    (
        "offers only the page's language",
        '[{lang: en, url: "https://cerise-sptf.org/", offers: [en]}]',
        "links[0].offers",
        ["the language of the page itself"],
    ),
    (
        "offers an unknown language",
        '[{lang: en, url: "https://cerise-sptf.org/", offers: [french]}]',
        "links[0].offers[0]",
        ["french"],
    ),
    ("offers nothing", '[{lang: en, url: "https://cerise-sptf.org/", offers: []}]', "links[0].offers", ["at least 1"]),
    ("offers a language twice", '[{lang: en, url: "https://e.org/p", offers: [fr, fr]}]', "links[0].offers[1]", ["listed twice"]),
    ("offers not a list", '[{lang: en, url: "https://e.org/p", offers: fr}]', "links[0].offers", ["must be a list"]),
    (
        "the second link is named",
        '[{lang: en, url: "https://e.org/a.pdf"}, {lang: fr, url: "https://e.org/", kind: document}]',
        "links[1].kind",
        ["home page"],
    ),
]


@pytest.mark.parametrize(("name", "links", "field", "fragments"), BAD, ids=[c[0] for c in BAD])
def test_a_kind_that_contradicts_the_address_is_an_error_at_its_line(tmp_path, taxonomy, name, links, field, fragments):
    with pytest.raises(CatalogueError) as info:
        catalogue(tmp_path, taxonomy, links)
    [problem] = info.value.problems
    assert problem.format().startswith(f"resources.yaml:6: error: resource 'k', field '{field}'"), problem.format()
    assert all(f in problem.format() for f in fragments), problem.format()


def test_a_local_file_is_a_document(tmp_path, taxonomy):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "guide.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(CatalogueError) as info:
        catalogue(tmp_path, taxonomy, '[{lang: en, url: "documents/guide.pdf", kind: page}]')
    assert "a file under docs/, which is a document" in info.value.problems[0].format()


@pytest.mark.parametrize(
    ("url", "kind", "expected"),
    [
        ("https://e.org/a.pdf", "", True),
        ("https://e.org/", "", False),
        ("https://e.org/ressources?page=44", "", False),  # a listing is never fetched as a file
        ("https://e.org/tools/x", "page", False),
        ("documents/a.pdf", "", False),  # already in docs/
    ],
)
def test_only_documents_are_fetched_for_offline_outputs(url, kind, expected):
    fmt = "pdf" if url.endswith(".pdf") else "web"
    assert downloadable(Link("en", url, fmt, kind=kind)) is expected


def test_addresses_and_hosts_as_readers_see_them():
    assert address_key("http://WWW.Example.org/tools/#fr") == address_key("https://example.org/tools")
    assert address_key("https://e.org/a?x=1") != address_key("https://e.org/a?x=2")
    assert host_name("https://www.cerise-sptf.org/en/") == "cerise-sptf.org"


def catalogue(tmp_path: Path, taxonomy, links: str):
    path = tmp_path / "resources.yaml"
    text = f"""\
        resources:
          - id: k
            type: tool
            title: {{en: Title}}
            standards: [4A]
            links: {links}
        """
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_catalogue(path, taxonomy, tmp_path, display_name="resources.yaml")


# -- the resource page ----------------------------------------------------------------------

KINDS_CATALOGUE = """\
resources:
  - id: smart-operations
    type: tool
    title: {en: Smart Operations Tool, fr: Outil Smart Operations, pt: Ferramenta Smart Operations}
    summary:
      en: Suggests client protection roles for the areas of a financial institution.
      fr: Propose des rôles de protection des clients pour chaque domaine d'une institution.
      pt: Propõe funções de proteção do cliente para cada área de uma instituição.
    standards: [4A]
    links:
      - {lang: en, url: "https://cerise-sptf.org/", format: web}
      - {lang: en, url: "https://example.org/tools/smart-operations", label: "Smart Campaign – Download the Tool (English)"}
      - {lang: fr, url: "https://example.org/tools/smart-operations", label: "Smart Campaign – Download the Tool (French)"}
      - {lang: ar, url: "http://www.example.org/tools/smart-operations/", label: "Smart Campaign – Download the Tool (Arabic)"}
      - {lang: ru, url: "https://example.org/smart-operations-ru.xlsx"}
      - {lang: fr, url: "https://example.org/outils?page=44", kind: place}
  - id: apercu
    type: guide
    title: {en: An overview of SPM, fr: Un aperçu de la GPS}
    standards: [1A]
    links:
      - {lang: en, url: "https://cerise-sptf.org/", format: web, offers: [fr]}
"""


@pytest.fixture(scope="module")
def kinds_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("kinds")
    (root / "catalogue.yaml").write_text(KINDS_CATALOGUE, encoding="utf-8")
    project = make_project(root / "project", root / "catalogue.yaml", FIXTURES / "docs")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def actions(site: Path, lang: str):
    return page(site, f"{prefix(lang)}resources/smart-operations/").select(".spm-downloads > li")


def test_links_of_one_address_are_one_action_listing_their_languages(kinds_site):
    shown = actions(kinds_site, "fr")
    assert [li["data-kind"] for li in shown] == ["document", "page", "place", "place"]
    [merged] = [li for li in shown if li.a["href"] == "https://example.org/tools/smart-operations"]
    assert merged.select_one(".spm-download__meta").get_text(" ", strip=True).startswith("Français, anglais, arabe ·")
    assert not merged.a.has_attr("hreflang")  # the page claims three languages: it cannot say which it is
    name = merged.select_one(".spm-download__name")  # several labels: the title, in the page's language
    assert name.get_text(strip=True) == "Outil Smart Operations" and not name.has_attr("lang")
    [document] = [li for li in shown if li["data-kind"] == "document"]
    assert document.a["hreflang"] == "ru"
    assert document.select_one(".spm-format").get_text(strip=True) == "Classeur Excel"


@pytest.mark.parametrize(
    ("lang", "find_on", "look_for", "badge"),
    [
        ("fr", "Le trouver sur cerise-sptf.org", "À chercher : « Smart Operations Tool »", "Page de l'organisation"),
        ("pt", "Encontrá-lo em cerise-sptf.org", "Procure por: “Smart Operations Tool”", "Página da organização"),
        ("es", "Encontrarlo en cerise-sptf.org", "Busque: «Smart Operations Tool»", "Página de la organización"),
        ("en", "Find it on cerise-sptf.org", "Look for: “Smart Operations Tool”", "Organization's page"),
    ],
)
def test_a_place_to_look_says_where_and_what_to_look_for_in_the_page_language(kinds_site, lang, find_on, look_for, badge):
    [home] = [li for li in actions(kinds_site, lang) if li.a["href"] == "https://cerise-sptf.org/"]
    assert home["data-kind"] == "place"
    assert home.select_one(".spm-download__name").get_text(strip=True) == find_on
    look = home.select_one(".spm-download__look")
    assert " ".join(look.get_text().split()) == look_for  # French keeps its spaces inside « », unbreakable
    # the title to look for is the one the English site has, marked as English on other pages
    assert look.span.get("lang") == (None if lang == "en" else "en")
    assert home.select_one(".spm-format").get_text(strip=True) == badge
    assert "Publisher" not in home.get_text() and "éditeur" not in home.get_text() and "editor" not in home.get_text()


def test_the_listing_asks_for_the_title_in_its_own_language(kinds_site):
    [listing] = [li for li in actions(kinds_site, "pt") if li.a["href"].endswith("page=44")]
    look = listing.select_one(".spm-download__look")
    assert " ".join(look.get_text().split()) == "Procure por: “Outil Smart Operations”"
    assert look.span["lang"] == "fr"


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_a_place_names_the_version_it_offers_not_the_language_of_its_page(kinds_site, lang):
    """An English home page where the French guide is listed: the title to look for is the
    French one on every page, and the resource is said to be in French, not English."""
    doc = page(kinds_site, f"{prefix(lang)}resources/apercu/")
    [place] = doc.select(".spm-downloads > li")
    look = place.select_one(".spm-download__look")
    assert look.span.get_text(strip=True) == "Un aperçu de la GPS"
    assert look.span.get("lang") == (None if lang == "fr" else "fr")
    meta = place.select_one(".spm-download__meta").get_text(" ", strip=True).lower()
    assert meta.startswith({"en": "french", "fr": "français", "es": "francés", "pt": "francês"}[lang])
    assert place.a["hreflang"] == "en"  # the page itself is in English


def test_offered_versions_count_as_the_resource_languages(tmp_path, taxonomy):
    links = '[{lang: en, url: "https://cerise-sptf.org/", offers: [fr]}, {lang: en, url: "https://e.org/x.pdf"}]'
    [resource] = catalogue(tmp_path, taxonomy, links).resources
    assert resource.document_languages() == ["fr", "en"]


# -- on a phone and a desktop ---------------------------------------------------------------

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def kinds_url(kinds_site):
    with serve(kinds_site) as base:
        yield base


@pytest.mark.browser
@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_the_first_screen_shows_title_first_action_and_summary(browser, kinds_url, screen, lang):
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=screen == "phone")
    tab = context.new_page()
    tab.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    try:
        tab.goto(f"{kinds_url}{prefix(lang)}resources/smart-operations/")
        height = SCREENS[screen]["height"]
        boxes = {
            name: tab.locator(selector).first.bounding_box()
            for name, selector in (("title", "h1"), ("action", ".spm-downloads > li"), ("summary", ".spm-summary p"))
        }
        assert 0 < boxes["title"]["y"] < boxes["action"]["y"]
        assert boxes["action"]["y"] + boxes["action"]["height"] <= height
        assert boxes["summary"]["y"] + 30 <= height, boxes  # its first line at least
        # three links to one address are one action; the place to look comes last, as worded
        assert tab.locator(".spm-downloads > li").count() == 4
        assert tab.locator(".spm-downloads > li").last.get_attribute("data-kind") == "place"
        place = tab.locator('.spm-downloads > li[data-kind="place"] .spm-download__name').first
        assert place.is_visible()
        assert place.inner_text().endswith("cerise-sptf.org") or place.inner_text().endswith("example.org")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("link", "valid"),
    [
        ({"lang": "en", "url": "https://cerise-sptf.org/", "kind": "document"}, False),
        ({"lang": "en", "url": "https://cerise-sptf.org", "format": "pdf"}, False),
        ({"lang": "en", "url": "https://cerise-sptf.org/", "kind": "place"}, True),
        ({"lang": "en", "url": "https://e.org/download?id=4", "kind": "document", "format": "pdf"}, True),
        ({"lang": "en", "url": "https://e.org/a", "kind": "listing"}, False),
    ],
)
def test_editors_schema_says_a_home_page_is_no_document(link, valid):
    """The JSON Schema editors use (`make schema`) carries the same rule, so they see it as they type."""
    schema = json.loads((ROOT / "schema" / "resources.schema.json").read_text(encoding="utf-8"))
    entry = {"id": "a", "type": "tool", "title": {"en": "T"}, "standards": ["4A"], "links": [link]}
    assert jsonschema.Draft202012Validator(schema).is_valid({"resources": [entry]}) is valid
