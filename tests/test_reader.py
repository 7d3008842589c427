"""The library as a practitioner meets it, on a 390x844 phone and a 1280x900 desktop, in every language:
what they came for is on the first screen, nothing jumps, and choices survive a change of language."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import FIXTURES, LANGUAGES, StaticHost, make_project, page, prefix, run_build, serve

from spmlib.model.options import OptionsError, SiteLinks
from spmlib.model.words import natural_key

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
REPOSITORY = "https://github.com/example-org/spm-library"
KEEPER, KEEPER_URL = "Réseau <Exemple> & Co", "https://example.org/network"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture catalogue built as a deployment would be: with its repository and keeper configured."""
    project = make_project(tmp_path_factory.mktemp("reader") / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SPM_REPOSITORY", REPOSITORY)
    monkeypatch.setenv("SPM_KEEPER", KEEPER)
    monkeypatch.setenv("SPM_KEEPER_URL", KEEPER_URL)
    try:
        result = run_build(project)
    finally:
        monkeypatch.undo()
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def url(site):
    with serve(site, StaticHost) as base:
        yield base


@pytest.fixture(params=sorted(SCREENS))
def screen(request, browser):
    context = browser.new_context(viewport=SCREENS[request.param], is_mobile=request.param == "phone")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    yield tab
    context.close()


def top_of(tab, selector: str) -> float:
    return tab.locator(selector).first.evaluate("e => e.getBoundingClientRect().top")


# the explorer has started and the parts of its data the results need (keyword text, cards) are in
EXPLORER_READY = (
    "window.spmExplorer !== undefined && document.querySelector('[data-results]').getAttribute('aria-busy') === 'false'"
)


def height(tab) -> int:
    return tab.viewport_size["height"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("query", ["", "?standard=4A&type=tool", "?q=cobranza"])
def test_first_result_is_on_the_first_screen(url, screen, lang, query):
    screen.goto(f"{url}{prefix(lang)}resources/{query}")
    screen.wait_for_function(EXPLORER_READY)
    first = "[data-results] > li.spm-card"
    assert screen.locator(first).count() >= 1
    assert 0 < top_of(screen, first) < height(screen) - 60, query
    assert screen.locator('[role="status"]').is_visible()
    assert screen.errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_download_is_on_the_first_screen(url, screen, lang):
    for rid in ("smart-operations-tool", "cobranza-con-dignidad", "xss-probe"):
        screen.goto(f"{url}{prefix(lang)}resources/{rid}/")
        assert 0 < top_of(screen, ".spm-downloads a") < height(screen) - 60, rid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_shows_the_way_in_and_the_featured_resources_first(url, screen, lang):
    screen.goto(f"{url}{prefix(lang)}")
    assert 0 < top_of(screen, "#spm-find") < height(screen) / 2
    assert top_of(screen, "#featured + ul .spm-card") < height(screen) - 40
    screen.locator("#spm-find").fill("cobranza")
    screen.locator("#spm-find").press("Enter")
    screen.wait_for_url("**/resources/?q=cobranza")
    screen.wait_for_function(EXPLORER_READY)
    assert screen.locator("[data-results] > li").evaluate_all("cards => cards.map(c => c.dataset.id)") == [
        "cobranza-con-dignidad"
    ]


def test_filters_open_as_a_drawer_on_a_phone_with_the_count_on_its_button(url, browser):
    context = browser.new_context(viewport=SCREENS["phone"], is_mobile=True)
    tab = context.new_page()
    tab.goto(url + "fr/resources/")
    tab.wait_for_function(EXPLORER_READY)
    panel = tab.locator("[data-panel]")
    assert not panel.is_visible()
    toggle = tab.locator("[data-toggle]")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert panel.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    tab.locator('details[data-facet="type"] > summary').click()
    tab.locator('input[name="type"][value="tool"]').check()
    show = tab.locator("[data-show]")
    assert show.is_visible() and show.inner_text() == "Voir 1 ressource"
    assert 0 < show.evaluate("e => e.getBoundingClientRect().bottom") <= SCREENS["phone"]["height"]
    show.click()
    assert not panel.is_visible()
    assert toggle.inner_text().strip() == "Filtres (1)"
    assert tab.locator("[data-results] > li").count() == 1
    toggle.click()
    tab.keyboard.press("Escape")
    assert not panel.is_visible()
    context.close()


def test_filters_stand_beside_the_results_on_a_desktop(url, browser):
    context = browser.new_context(viewport=SCREENS["desktop"])
    tab = context.new_page()
    tab.goto(url + "resources/")
    tab.wait_for_function(EXPLORER_READY)
    panel = tab.locator("[data-panel]").bounding_box()
    results = tab.locator(".spm-explorer__results").bounding_box()
    assert panel["x"] + panel["width"] <= results["x"] and not tab.locator("[data-toggle]").is_visible()
    assert abs(tab.locator("[data-results] > li").first.bounding_box()["y"] - tab.locator("#spm-q").bounding_box()["y"]) < 200
    context.close()


@pytest.mark.parametrize("query", ["", "?standard=4A&type=tool", "?from=2014&sort=year"])
def test_no_layout_shift_when_the_explorer_starts(url, browser, query):
    for viewport in SCREENS.values():
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        tab.add_init_script(
            """window.__cls = 0;
            const add = entries => { for (const e of entries) if (!e.hadRecentInput) window.__cls += e.value; };
            const observer = new PerformanceObserver(list => add(list.getEntries()));
            observer.observe({type: "layout-shift", buffered: true});
            // the shifts of every frame drawn so far: two frames on, the last one is drawn and
            // measured; takeRecords has the shifts not yet handed to the observer
            window.__settledCls = () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(
              () => { add(observer.takeRecords()); resolve(window.__cls); })));"""
        )
        tab.goto(url + "es/resources/" + query)  # returns after the load event: images and scripts are in
        tab.wait_for_function(EXPLORER_READY)
        assert tab.evaluate("window.__settledCls()") < 0.1, (viewport, query)
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cards_carry_a_line_of_summary_everywhere(url, screen, lang, site):
    for path in ("resources/", "dimensions/4/", "standards/4a/", "types/tool/", "topics/collections/", ""):
        doc = page(site, prefix(lang) + path)
        cards = doc.select("li.spm-card")
        assert cards, path
        assert all(card.select_one(".spm-card__summary") for card in cards if card["data-id"] != "xss-probe"), path
    screen.goto(f"{url}{prefix(lang)}resources/?sort=title")
    screen.wait_for_function(EXPLORER_READY)
    summary = screen.locator('[data-results] li[data-id="surendettement-guide"] .spm-card__summary')
    assert summary.inner_text() == "Une note pratique sur l'analyse de la capacité de remboursement."
    assert summary.get_attribute("lang") == (None if lang == "fr" else "fr")


@pytest.mark.parametrize("start", ["en", "fr"])
def test_the_language_switcher_keeps_the_filters(url, browser, start):
    context = browser.new_context(viewport=SCREENS["desktop"])
    tab = context.new_page()
    tab.goto(f"{url}{prefix(start)}resources/?standard=4A&type=tool")
    tab.wait_for_function(EXPLORER_READY)
    target = "es" if start != "es" else "pt"
    tab.locator(".md-header__option .md-select").hover()
    tab.locator(f'.md-select__link[hreflang="{target}"]').click()
    tab.wait_for_url(f"**/{target}/resources/**")
    tab.wait_for_function(EXPLORER_READY)
    assert parse_qs(urlsplit(tab.url).query) == {"standard": ["4A"], "type": ["tool"]}
    assert tab.locator("[data-results] > li").evaluate_all("c => c.map(x => x.dataset.id)") == ["smart-operations-tool"]
    assert tab.locator('input[name="type"][value="tool"]').is_checked()
    context.close()


# What a 404 page's header, tabs, search box and footer say in each language
CHROME = {
    "en": (
        "SPM Resource Library",
        ["Home", "Dimensions", "Browse", "About the library", "Take it offline"],
        "Search",
        "Made with",
    ),
    "fr": (
        "Bibliothèque de ressources GPS",
        ["Accueil", "Dimensions", "Parcourir", "À propos de la bibliothèque", "Consulter hors ligne"],
        "Rechercher",
        "Site réalisé avec",
    ),
    "es": (
        "Biblioteca de recursos GDS",
        ["Inicio", "Dimensiones", "Explorar", "Acerca de la biblioteca", "Usar sin conexión"],
        "Búsqueda",
        "Sitio creado con",
    ),
    "pt": (
        "Biblioteca de recursos GDS",
        ["Início", "Dimensões", "Explorar", "Sobre a biblioteca", "Usar offline"],
        "Buscar",
        "Site criado com",
    ),
}


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("es/nope/", "es", "Página no encontrada"),
        ("fr/a/b/c", "fr", "Page introuvable"),
        ("nope", "en", "Page not found"),
        ("pt/x/?from=mail", "pt", "Página não encontrada"),
    ],
)
def test_the_404_page_is_in_the_language_of_the_address(url, screen, path, lang, title):
    """Header, navigation, search and footer included; the reader still sees the address they typed."""
    response = screen.goto(url + path)
    assert response.status == 404
    screen.wait_for_function(f"document.documentElement.lang === {lang!r} && !document.querySelector('[data-spm-missed]').hidden")
    assert screen.url == url + path
    assert screen.locator(".spm-not-found h1").inner_text() == title
    assert screen.locator("[data-spm-missed] code").inner_text() == "/" + path
    site_name, tabs, search, made_with = CHROME[lang]
    assert screen.locator(".md-header__topic").first.text_content().strip() == site_name
    assert [t.strip() for t in screen.locator(".md-tabs__link").all_text_contents()] == tabs
    assert screen.locator(".md-search__input").get_attribute("placeholder") == search
    footer = " ".join(screen.locator(".md-footer").text_content().split())
    assert f"{made_with} Material for MkDocs" in footer
    home = screen.locator(".spm-not-found a").first.get_attribute("href")
    assert home == f"http://127.0.0.1:8000/{prefix(lang)}"  # absolute: the host serves this page at any depth
    switcher = screen.locator(".md-select__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert switcher == ["/", "/fr/", "/es/", "/pt/"]
    assert screen.locator("link[rel=stylesheet]").first.evaluate("l => l.sheet !== null")
    assert screen.errors == []


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_the_404_page_searches_the_pages_of_its_language(url, browser, lang):
    """Material reads the index under `base`, the site's root on a 404 page: the English one."""
    context = browser.new_context(viewport=SCREENS["desktop"])
    tab = context.new_page()
    tab.goto(f"{url}{lang}/nope/")
    tab.wait_for_function(f"document.documentElement.lang === {lang!r}")
    tab.locator(".md-search__input").fill("cobranza")
    tab.wait_for_selector(".md-search-result__item a")
    hrefs = tab.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all(href.startswith(f"{url}{lang}/") for href in hrefs)
    context.close()


def test_without_javascript_the_404_page_is_the_default_languages(url, browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    assert tab.goto(url + "fr/a/b/c").status == 404
    assert tab.url == url + "fr/a/b/c"
    assert tab.locator(".spm-not-found h1").inner_text() == "Page not found"
    assert tab.locator("[data-spm-missed]").is_hidden()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_says_what_the_library_is_on_the_first_screen(url, screen, lang):
    screen.goto(f"{url}{prefix(lang)}")
    lead = screen.locator(".spm-lead")
    assert lead.evaluate("e => e.getBoundingClientRect().bottom") < height(screen) / 2
    words = {
        "en": ("Universal Standards", "The library is kept by"),
        "fr": ("Normes universelles", "La bibliothèque est tenue à jour par"),
        "es": ("Estándares Universales", "La biblioteca está a cargo de"),
        "pt": ("Padrões Universais", "A biblioteca é mantida por"),
    }[lang]
    text = " ".join(lead.inner_text().split())
    assert words[0] in text and f"{words[1]} {KEEPER}." in text
    assert lead.locator("a").get_attribute("href") == KEEPER_URL


def test_footer_and_empty_standards_point_to_the_repository(site):
    propose = REPOSITORY + "/issues/new?template=propose-a-resource.yml"
    for lang in LANGUAGES:
        doc = page(site, prefix(lang) + "standards/7c/")
        footer = doc.select_one(".spm-footer")
        assert [a["href"] for a in footer.select("a")] == [propose, REPOSITORY]
        empty = doc.select_one(".spm-empty")
        assert empty.a["href"] == propose
        assert doc.select_one("#whole-dimension") is None or doc.select("#whole-dimension + ul .spm-card")


def test_without_configuration_no_address_is_invented(fixture_site):
    doc = page(fixture_site, "standards/7c/")
    assert doc.select_one(".spm-footer").get_text(strip=True)  # says what the library is
    assert not doc.select(".spm-footer a") and not doc.select(".spm-empty a")


@pytest.mark.parametrize(
    ("options", "repository", "propose"),
    [
        ({}, None, None),
        ({"repository": ""}, None, None),
        ({"repository": REPOSITORY}, REPOSITORY, REPOSITORY + "/issues/new?template=propose-a-resource.yml"),
        (
            {"repository": "https://gitlab.example/x", "propose": "https://forms.example/p"},
            "https://gitlab.example/x",
            "https://forms.example/p",
        ),
        ({"repository": "https://gitlab.example/x"}, "https://gitlab.example/x", None),
        # anything else is an error now, never a link left out in silence (test_options.py)
        ({"repository": "javascript:alert(1)", "propose": "java\nscript:x"}, OptionsError, None),
        ({"repository": 'https://x.example/"onmouseover="x'}, OptionsError, None),
    ],
)
def test_site_links_accept_only_web_addresses(options, repository, propose):
    if repository is OptionsError:
        with pytest.raises(OptionsError):
            SiteLinks.from_options(options, environ={})
        return
    links = SiteLinks.from_options(options, environ={})
    assert (links.repository, links.propose) == (repository, propose)


def test_numbered_titles_sort_naturally():
    titles = ["Guidance Note Issue 10", "guidance note issue 2", "Guidance Note Issue 1", "Évaluation", "evaluation b"]
    assert sorted(titles, key=natural_key) == [
        "Évaluation",
        "evaluation b",
        "Guidance Note Issue 1",
        "guidance note issue 2",
        "Guidance Note Issue 10",
    ]
