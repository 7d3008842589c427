"""Real-browser checks: Debian's Chromium driven by Playwright, against the built site on 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import LANGUAGES, prefix, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(fixture_site):
    with serve(fixture_site) as url:
        yield url


def search(page, query: str) -> list[str]:
    field = page.locator("input[data-md-component=search-query]")
    field.click()
    field.press_sequentially(query, delay=20)  # Material's search listens to keyup
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    return [a.get_attribute("href") for a in page.query_selector_all(".md-search-result__link")]


def test_french_search_finds_french_pages_only(server, tab):
    tab.goto(server + "fr/")
    hrefs = search(tab, "surendettement")
    assert hrefs
    for href in hrefs:
        assert urlsplit(href).path.startswith("/fr/"), href
    titles = tab.inner_text(".md-search-result__list")
    assert "Prévenir le surendettement des clients" in titles
    assert tab.outside == [] and tab.errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_uses_the_readers_language_index(server, tab, lang):
    requested = []
    tab.on("request", lambda request: requested.append(urlsplit(request.url).path))
    tab.goto(server + prefix(lang) + "standards/4a/")
    search(tab, "Smart")
    indexes = [path for path in requested if path.endswith("search_index.json")]
    assert indexes == [f"/{prefix(lang)}search/search_index.json"]
    assert tab.outside == [] and tab.errors == []


def test_language_switcher_goes_to_the_same_resource(server, tab):
    tab.goto(server + "fr/resources/smart-operations-tool/")
    tab.hover(".md-select")
    tab.click('.md-select__link[hreflang="es"]')
    tab.wait_for_url("**/es/resources/smart-operations-tool/")  # not wait_for_load_state: it may see the old page
    assert urlsplit(tab.url).path == "/es/resources/smart-operations-tool/"
    assert tab.locator("h1").first.get_attribute("lang") == "en"
    assert tab.outside == []


def test_html_in_titles_stays_text_in_search_results(server, tab):
    tab.goto(server)
    search(tab, "Risky")
    assert "<script>alert('title')</script>" in tab.inner_text(".md-search-result__list")
    assert tab.evaluate("window.__xss === undefined") and tab.errors == []


def test_search_index_and_sitemaps_wait_until_the_reader_searches(server, tab):
    requested = []
    tab.on("request", lambda request: requested.append(urlsplit(request.url).path))
    tab.goto(server + "fr/resources/smart-operations-tool/")
    tab.wait_for_load_state("networkidle")
    assert not [p for p in requested if "search_index" in p or "sitemap" in p or "/lunr/" in p]
    hrefs = search(tab, "surendettement")
    assert hrefs and "/fr/search/search_index.json" in requested
    assert tab.errors == []
