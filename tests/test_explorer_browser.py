"""The catalogue explorer in Debian's Chromium: over http on 127.0.0.1 and from file://."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import make_project, run_build, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(fixture_site):
    with serve(fixture_site) as url:
        yield url


def settled(tab) -> None:
    """Wait until the parts of the data the results need (keyword text, cards) have come in."""
    tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")


def count(tab) -> int:
    settled(tab)
    return int(tab.locator("[data-explorer] [data-count]").inner_text())


def shown_ids(tab) -> list[str]:
    settled(tab)
    return tab.locator("[data-results] > li").evaluate_all("items => items.map(li => li.dataset.id)")


def open_explorer(tab, url: str):
    tab.goto(url)
    tab.wait_for_selector("[data-explorer] form:not([hidden])")


# (query string, ids expected in newest-first order)
FILTERS = [
    ("", ["surendettement-guide", "cobranza-con-dignidad", "smart-operations-tool", "xss-probe"]),
    ("type=tool", ["smart-operations-tool"]),
    ("type=tool,case-study", ["cobranza-con-dignidad", "smart-operations-tool"]),
    ("type=tool&type=case-study", ["cobranza-con-dignidad", "smart-operations-tool"]),
    ("dimension=4", ["surendettement-guide", "cobranza-con-dignidad", "smart-operations-tool"]),
    ("standard=4A", ["surendettement-guide", "smart-operations-tool"]),
    ("standard=4a,4c", ["surendettement-guide", "smart-operations-tool"]),
    ("language=es", ["cobranza-con-dignidad"]),
    ("language=ru", ["smart-operations-tool"]),
    ("topic=collections", ["cobranza-con-dignidad"]),
    ("country=ph", ["smart-operations-tool"]),
    # undated entries stay unless the reader unticks them (undated=0)
    ("from=2014", ["surendettement-guide", "cobranza-con-dignidad", "xss-probe"]),
    ("from=2014&undated=0", ["surendettement-guide"]),
    ("to=2014", ["cobranza-con-dignidad", "smart-operations-tool", "xss-probe"]),
    ("to=2014&undated=0", ["smart-operations-tool"]),
    ("from=2010&to=2020", ["surendettement-guide", "cobranza-con-dignidad", "smart-operations-tool", "xss-probe"]),
    ("from=2010&to=2020&undated=0", ["surendettement-guide", "smart-operations-tool"]),
    # within a year (here: none), the entries in the page's language first (xss-probe is in English)
    ("sort=year", ["surendettement-guide", "smart-operations-tool", "xss-probe", "cobranza-con-dignidad"]),
    ("q=surendettement", ["surendettement-guide"]),
    ("q=FINCOMUN", ["cobranza-con-dignidad"]),
    ("q=protection%20clients", ["smart-operations-tool"]),
    ("q=campaign", ["smart-operations-tool"]),
    ("q=ment", []),  # a keyword finds a word it begins, not one it is inside ("department")
    ("standard=4A&language=fr&type=guidance-note", ["surendettement-guide"]),
    ("standard=4A&language=es", []),
    ("sort=title", ["xss-probe", "cobranza-con-dignidad", "surendettement-guide", "smart-operations-tool"]),
    ("standard=9Z", ["surendettement-guide", "cobranza-con-dignidad", "smart-operations-tool", "xss-probe"]),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[f[0] or "none" for f in FILTERS])
def test_each_facet_filters_from_the_url(server, tab, query, expected):
    open_explorer(tab, server + "resources/?" + query)
    assert shown_ids(tab) == expected
    assert count(tab) == len(expected)
    assert tab.locator("[data-empty]").is_visible() == (not expected)
    assert tab.errors == [] and tab.outside == []


def test_keyword_in_french_finds_a_french_only_entry_from_every_language(server, tab):
    for path in ("resources/", "es/resources/", "pt/resources/"):
        open_explorer(tab, server + path)
        tab.locator("#spm-q").press_sequentially("surendet")
        assert shown_ids(tab) == ["surendettement-guide"]
        card = tab.locator('[data-results] > li[data-id="surendettement-guide"] a')
        assert card.get_attribute("lang") == "fr"


def test_ticking_options_updates_counts_and_the_url_and_the_url_restores_it(server, tab):
    open_explorer(tab, server + "fr/resources/")
    tab.locator('details[data-facet="standard"] > summary').click()
    tab.locator('input[name="standard"][value="4A"]').check()
    assert count(tab) == 2
    tab.locator('details[data-facet="language"] > summary').click()
    tab.locator('input[name="language"][value="fr"]').check()
    tab.locator("#spm-q").fill("prévenir")
    assert shown_ids(tab) == ["surendettement-guide"]

    # option counts say what ticking them would give
    def option_count(facet, code):
        return tab.locator(f'input[name="{facet}"][value="{code}"] ~ [data-facet-count]').inner_text()

    assert option_count("language", "en") == "0"
    assert option_count("standard", "4C") == "0"
    query = parse_qs(urlsplit(tab.url).query)
    assert query == {"q": ["prévenir"], "standard": ["4A"], "language": ["fr"]}

    shared = tab.url
    tab.goto("about:blank")
    open_explorer(tab, shared)
    assert shown_ids(tab) == ["surendettement-guide"]
    assert tab.locator('input[name="standard"][value="4A"]').is_checked()
    assert tab.locator("#spm-q").input_value() == "prévenir"
    assert tab.locator('details[data-facet="standard"]').get_attribute("open") is not None

    tab.get_by_role("button", name="Effacer tous les filtres").click()
    tab.wait_for_function("!location.search")
    assert count(tab) == 4


def test_counts_with_one_facet_active_show_alternatives(server, tab):
    open_explorer(tab, server + "resources/?type=tool")
    counts = tab.locator('input[name="type"] ~ [data-facet-count]').all_inner_texts()
    values = tab.locator('input[name="type"]').evaluate_all("boxes => boxes.map(b => b.value)")
    assert dict(zip(values, counts, strict=True)) == {"guide": "1", "case-study": "1", "tool": "1", "guidance-note": "1"}


def test_results_are_announced(server, tab):
    open_explorer(tab, server + "es/resources/")
    status = tab.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite"
    tab.locator("#spm-q").press_sequentially("cobranza")
    settled(tab)
    assert status.inner_text() == "1 recurso"
    tab.locator("#spm-q").fill("")
    assert status.inner_text() == "4 recursos"


def test_html_looking_titles_stay_text(server, tab):
    open_explorer(tab, server + "resources/?q=risky")
    link = tab.locator('[data-results] li[data-id="xss-probe"] a')
    assert link.inner_text().startswith("<script>alert('title')</script> Risky <img")
    assert tab.locator("[data-results] img, [data-results] script").count() == 0
    assert tab.dialogs == [] and tab.errors == []


def test_keyboard_only(server, tab):
    open_explorer(tab, server + "resources/")
    for _ in range(60):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.id") == "spm-q":
            break
    else:
        pytest.fail("the keyword field cannot be reached with Tab")
    tab.keyboard.type("cobranza")
    assert count(tab) == 1
    for _ in range(60):  # on to the type facet: open it and tick an option with the keyboard
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.closest('[data-facet=\"type\"]') !== null"):
            break
    tab.keyboard.press("Enter")
    for _ in range(10):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.value") == "case-study":
            break
    tab.keyboard.press("Space")
    assert tab.evaluate("document.activeElement.name") == "type" and tab.evaluate("document.activeElement.checked")
    assert count(tab) == 1
    for _ in range(40):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.classList.contains('spm-card__title')"):
            break
    else:
        pytest.fail("the results cannot be reached with Tab")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/resources/cobranza-con-dignidad/")
    assert tab.locator("h1").first.is_visible()


def test_works_from_file_urls(fixture_site, tab):
    url = (fixture_site / "fr" / "resources" / "index.html").as_uri() + "?type=tool&q=outil"
    open_explorer(tab, url)
    assert shown_ids(tab) == ["smart-operations-tool"]
    tab.locator('input[name="type"][value="tool"]').uncheck()
    assert count(tab) == 1
    explorer_errors = [e for e in tab.errors if "explorer" in e]
    assert explorer_errors == [] and tab.outside == []


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    entries = "".join(
        f"""\
  - id: entry-{i:03d}
    type: {"tool" if i % 2 else "guide"}
    title: {{en: "Entry number {i:03d}"}}
    standards: [{"4A" if i % 3 else "2B"}]
    year: {2000 + i % 20}
    links: [{{lang: en, url: "https://example.org/{i}.pdf"}}]
"""
        for i in range(120)
    )
    project = make_project(tmp_path_factory.mktemp("big") / "project", "resources:\n" + entries)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("docs_structure: suffix", "docs_structure: suffix\n      build_only_locale: en")
    )
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_long_results_come_in_pages(big_site, tab):
    with serve(big_site) as url:
        open_explorer(tab, url + "resources/")
        assert count(tab) == 120
        assert tab.locator("[data-results] > li").count() == 50
        tab.get_by_role("button", name="Show more").click()
        settled(tab)  # entries past the page's own fifty: their cards come on demand
        assert tab.locator("[data-results] > li").count() == 100
        assert tab.evaluate("document.activeElement.closest('li').dataset.id") == shown_ids(tab)[50]
        tab.get_by_role("button", name="Show more").click()
        settled(tab)
        assert tab.locator("[data-results] > li").count() == 120
        assert not tab.get_by_role("button", name="Show more").is_visible()
        tab.locator('details[data-facet="type"] > summary').click()
        tab.locator('input[name="type"][value="tool"]').check()
        assert count(tab) == 60 and tab.locator("[data-results] > li").count() == 50


def test_module_scripts_are_refused_from_file_urls(tmp_path, tab):
    """Why the explorer is classic scripts on one namespace, not ES modules (explorer/url.js):
    Chromium refuses `<script type="module">` from file://, where trainers open the offline bundle."""
    (tmp_path / "module.js").write_text("window.ran.push('module')", encoding="utf-8")
    (tmp_path / "classic.js").write_text("window.ran.push('classic')", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<!doctype html><script>window.ran = []</script><script type="module" src="module.js"></script>'
        '<script src="classic.js" defer></script>',
        encoding="utf-8",
    )
    tab.goto((tmp_path / "index.html").as_uri())
    tab.wait_for_function("window.ran.includes('classic')")
    tab.wait_for_timeout(200)
    assert tab.evaluate("window.ran") == ["classic"]
    assert any("CORS" in error for error in tab.errors)


def test_the_explorer_adds_one_namespace_to_window(server, tab):
    """Its scripts share state through arguments, not globals: besides the data's two names
    (explorer-data.js and its parts, spmlib/site/explorer.py), only window.spmExplorer."""
    assert tab.goto(server + "about/").ok
    elsewhere = set(tab.evaluate("Object.keys(window)"))
    open_explorer(tab, server + "resources/")
    settled(tab)
    added = set(tab.evaluate("Object.keys(window)")) - elsewhere
    assert added == {"spmExplorer", "spmExplorerData", "spmExplorerChunk"}
    parts = tab.evaluate("Object.keys(window.spmExplorer).sort()")
    assert parts == ["export", "exportRows", "filters", "fold", "rank", "render", "state", "update", "url"]
