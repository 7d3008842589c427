"""Filters in sight (issue 25): the explorer's filters on as removable chips, a heading that stops
saying "all" while they are, and what a filtered address or the home page's find box says
without JavaScript. Parsed HTML of the fixture site, then Debian's Chromium on a phone and a
desktop screen."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import LANGUAGES, page, prefix, serve
from test_explorer_browser import count, settled

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
TOTAL = 4  # entries of the fixture catalogue


# ---- the built pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_explorer_holds_a_notice_per_static_page_linking_to_it(fixture_site, taxonomy, lang):
    explorer = fixture_site / prefix(lang) / "resources" / "index.html"
    soup = page(fixture_site, f"{prefix(lang)}resources/index.html")
    box = soup.select_one(".spm-nojs")
    assert box is not None and box.has_attr("data-search-exclude")
    notices = {p["id"]: p for p in box.select("[data-nojs-notice]")}
    expected_pages = {
        "only-standard-4A": "standards/4a/index.html",
        "only-dimension-4": "dimensions/4/index.html",
        "only-type-tool": "types/tool/index.html",
        "only-topic-collections": "topics/collections/index.html",
    }
    for notice_id, target in expected_pages.items():
        link = notices[notice_id].find("a")
        opened = (explorer.parent / link["href"] / "index.html").resolve()
        assert opened == (fixture_site / prefix(lang) / target).resolve()
        before = taxonomy.ui["nojs_filtered"][lang].partition("{page}")[0]
        assert notices[notice_id].get_text(" ", strip=True).startswith(before.strip())
    std = next(s for d in taxonomy.dimensions for s in d.standards if s.code == "4A")
    assert notices["only-standard-4A"].find("a").get_text() == f"4A. {std.name[lang]}"
    tool = next(t for t in taxonomy.types if t.code == "tool")
    assert notices["only-type-tool"].find("a").get_text() == tool.plural[lang]
    # no page of its own, no notice: a language or a country filter gets the general one only
    assert not any(key.startswith(("only-language-", "only-country-")) for key in notices)
    assert notices["how-to-search"].get_text(strip=True) == taxonomy.ui["nojs_search"][lang]
    # the general notice, always shown without JavaScript, leads to the browse pages
    browse = [a["href"] for a in box.select("ul a")]
    assert [(explorer.parent / href / "index.html").resolve() for href in browse] == [
        (fixture_site / prefix(lang) / part / "index.html").resolve() for part in ("dimensions", "types", "topics")
    ]


def test_the_site_s_filtered_addresses_name_their_static_page(fixture_site):
    home = page(fixture_site, "fr/index.html")
    assert home.select_one("form.spm-find")["action"].endswith("resources/#how-to-search")
    coverage = page(fixture_site, "fr/coverage/index.html")
    cells = [a["href"] for a in coverage.select(".spm-coverage__table td a") if "?" in a["href"]]
    with_standard = [href for href in cells if "standard=" in href]
    assert with_standard
    for href in with_standard:
        assert urlsplit(href).fragment == "only-standard-" + parse_qs(urlsplit(href).query)["standard"][0]
    # the "all resources" row has no page of its own to name
    assert all("#" not in href for href in cells if "standard=" not in href)


def test_explore_href_carries_the_fragment_only_for_values_with_a_page():
    from spmlib.site.explorer import only_fragment

    assert only_fragment("standard", "4A") == "only-standard-4A"
    assert only_fragment("topic", "collections") == "only-topic-collections"
    assert only_fragment("language", "fr") is None


# ---- in the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(fixture_site):
    with serve(fixture_site) as url:
        yield url


@pytest.fixture(params=sorted(SCREENS))
def screen(request, browser):
    context = browser.new_context(viewport=SCREENS[request.param])
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.screen = request.param
    yield tab
    context.close()


def chips(tab) -> list[str]:
    """Each chip's accessible name: its aria-label, or its text without the hidden "×"."""
    script = "bs => bs.map(b => b.getAttribute('aria-label') || b.querySelector(':not([aria-hidden])').textContent)"
    return tab.locator("[data-chips] button").evaluate_all(script)


def tick(tab, facet: str, code: str) -> None:
    """Ticks an option as a reader does: on a phone through the Filters drawer."""
    phone = tab.screen == "phone"
    if phone:
        tab.locator("[data-toggle]").click()
    details = tab.locator(f'details[data-facet="{facet}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    tab.locator(f'input[name="{facet}"][value="{code}"]').check()
    if phone:
        tab.locator("[data-show]").click()


@pytest.mark.browser
def test_ticking_a_facet_shows_its_chip_and_removing_it_unticks_it(server, screen, taxonomy):
    tab = screen
    tab.goto(server + "fr/resources/")
    settled(tab)
    heading = tab.locator("h1")
    assert heading.inner_text() == taxonomy.ui["all_resources"]["fr"]
    assert tab.locator("[data-chips]").is_hidden()
    tick(tab, "standard", "4A")
    assert count(tab) == 2
    name = "Retirer le filtre : 4A. Prévention du surendettement"
    assert chips(tab) == [name]
    assert heading.inner_text() == taxonomy.ui["explorer_filtered_title"]["fr"]
    site_name = tab.title().partition(" - ")[2]
    assert tab.title() == f"Ressources filtrées · 4A. Prévention du surendettement - {site_name}"
    assert urlsplit(tab.url).fragment == "only-standard-4A"
    chip = tab.get_by_role("button", name=name)
    box = chip.bounding_box()
    if tab.screen == "phone":
        assert box["width"] >= 44 and box["height"] >= 44
    # the chip and the count share the line under the keyword box, above the results
    results = tab.locator("[data-results]").bounding_box()
    assert box["y"] + box["height"] <= results["y"]

    chip.click()
    tab.wait_for_function("!location.search")
    assert count(tab) == TOTAL
    assert not tab.locator('input[name="standard"][value="4A"]').is_checked()
    assert chips(tab) == [] and tab.locator("[data-chips]").is_hidden()
    assert heading.inner_text() == taxonomy.ui["all_resources"]["fr"]
    assert tab.title() == f"{taxonomy.ui['all_resources']['fr']} - {site_name}"
    assert urlsplit(tab.url).fragment == ""
    # the focus does not fall back to the top of the page
    assert tab.evaluate("document.activeElement.id") == "all-resources"
    assert tab.errors == []


@pytest.mark.browser
def test_a_filtered_address_opens_with_its_chips_and_each_one_removes_its_filter(server, screen):
    tab = screen
    tab.goto(server + "es/resources/?standard=4A&language=es,fr&from=2010&q=protecci%C3%B3n#only-standard-4A")
    settled(tab)
    assert chips(tab) == [
        "Quitar el filtro: Palabras clave: protección",
        "Quitar el filtro: 4A. Prevención del sobreendeudamiento",
        "Quitar el filtro: Español",
        "Quitar el filtro: Francés",
        "Quitar el filtro: Desde 2010",
        "Borrar todo",
    ]
    assert tab.locator("[data-chips]").get_attribute("aria-label") == "Filtros activos"
    before = count(tab)
    tab.get_by_role("button", name="Quitar el filtro: Palabras clave: protección").click()
    tab.wait_for_function("!new URLSearchParams(location.search).has('q')")
    assert tab.locator("#spm-q").input_value() == ""
    assert count(tab) >= before
    # the focus moves to the chip now in its place
    focused = tab.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Quitar el filtro: 4A. Prevención del sobreendeudamiento"
    tab.get_by_role("button", name="Quitar el filtro: Desde 2010").click()
    tab.wait_for_function("!new URLSearchParams(location.search).has('from')")
    assert tab.locator("#spm-from").input_value() == ""
    query = parse_qs(urlsplit(tab.url).query)
    assert query == {"standard": ["4A"], "language": ["es,fr"]}
    assert urlsplit(tab.url).fragment == "only-standard-4A"  # still the standard's page for readers without JavaScript
    tab.get_by_role("button", name="Borrar todo", exact=True).click()
    tab.wait_for_function("!location.search && !location.hash")
    assert count(tab) == TOTAL and chips(tab) == []
    assert tab.errors == []


@pytest.mark.browser
def test_the_fragment_follows_the_filters_and_leaves_other_fragments_alone(server, screen):
    tab = screen
    tab.goto(server + "resources/?language=fr")
    settled(tab)
    assert urlsplit(tab.url).fragment == ""  # a language has no page of its own
    tick(tab, "topic", "over-indebtedness")
    tab.wait_for_function("location.hash === '#only-topic-over-indebtedness'")
    tab.goto(server + "resources/?language=fr#some-part")
    settled(tab)
    tick(tab, "type", "guidance-note")
    tab.wait_for_function("location.search.includes('guidance-note')")
    assert urlsplit(tab.url).fragment == "some-part"


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_chip_labels_in_every_language(server, browser, taxonomy, lang):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(server + prefix(lang) + "resources/?standard=4A&type=tool")
    settled(tab)
    std = next(s for d in taxonomy.dimensions for s in d.standards if s.code == "4A")
    tool = next(t for t in taxonomy.types if t.code == "tool")
    remove = taxonomy.ui["remove_filter"][lang]
    assert chips(tab) == [
        remove.format(filter=tool.name[lang]),
        remove.format(filter=f"4A. {std.name[lang]}"),
        taxonomy.ui["chip_clear_all"][lang],
    ]
    assert tab.locator("h1").inner_text() == taxonomy.ui["explorer_filtered_title"][lang]
    # the visible text of a chip is in its accessible name (WCAG 2.5.3)
    for button in tab.locator("[data-chips] button").all():
        assert button.inner_text().replace("×", "").strip() in (button.get_attribute("aria-label") or button.inner_text())
    context.close()


# ---- without JavaScript ------------------------------------------------------------------------


@pytest.fixture(params=sorted(SCREENS))
def no_js(request, browser):
    context = browser.new_context(viewport=SCREENS[request.param], java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "address", "target"),
    [
        ("en", "resources/?standard=4A#only-standard-4A", "standards/4a/"),
        ("pt", "resources/?standard=4A&language=pt#only-standard-4A", "standards/4a/"),
        ("fr", "resources/?type=tool#only-type-tool", "types/tool/"),
        ("es", "resources/?topic=collections#only-topic-collections", "topics/collections/"),
    ],
)
def test_a_filtered_address_without_javascript_names_the_static_page(server, no_js, taxonomy, lang, address, target):
    tab = no_js
    tab.goto(server + prefix(lang) + address)
    notice = tab.locator("[data-nojs-notice]:visible")
    assert notice.count() == 1
    before = taxonomy.ui["nojs_filtered"][lang].partition("{page}")[0]
    assert notice.inner_text().startswith(before.strip())
    notice.locator("a").click()
    tab.wait_for_url(server + prefix(lang) + target)
    # the general notice shows on any address of the explorer, and the filters' form does not
    tab.goto(server + prefix(lang) + "resources/?language=fr")
    assert tab.locator("[data-nojs-notice]:visible").count() == 0
    assert tab.locator(".spm-nojs").is_visible()
    assert tab.locator(".spm-nojs").inner_text().startswith(taxonomy.ui["nojs_browse"][lang].split(",")[0])
    assert tab.locator("form.spm-explorer__form").is_hidden()


@pytest.mark.browser
def test_with_javascript_no_notice_shows(server, screen):
    tab = screen
    tab.goto(server + "pt/resources/?standard=4A#only-standard-4A")
    settled(tab)
    assert tab.locator(".spm-nojs").is_hidden()
    assert tab.locator("[data-nojs-notice]:visible").count() == 0


@pytest.mark.browser
def test_the_home_search_without_javascript_lands_on_how_to_search(server, no_js, taxonomy):
    tab = no_js
    tab.goto(server + "fr/")
    tab.locator("#spm-find").fill("surendettement")
    tab.locator("form.spm-find button[type=submit]").click()
    tab.wait_for_url("**/fr/resources/?q=surendettement#how-to-search")
    notice = tab.locator("#how-to-search")
    assert notice.is_visible()
    assert notice.inner_text() == taxonomy.ui["nojs_search"]["fr"]
    assert tab.get_by_role("link", name=taxonomy.ui["nojs_by_standard"]["fr"]).is_visible()


@pytest.mark.browser
def test_the_home_search_with_javascript_still_searches(server, screen):
    tab = screen
    tab.goto(server + "fr/")
    tab.locator("#spm-find").fill("surendettement")
    tab.locator("form.spm-find button[type=submit]").click()
    tab.wait_for_function("location.search === '?q=surendettement' && !location.hash")
    assert tab.locator("#spm-q").input_value() == "surendettement"
    assert 0 < count(tab) < TOTAL
    assert chips(tab) == ["Retirer le filtre : Mots-clés : surendettement"]
    assert tab.locator("#how-to-search").is_hidden()
