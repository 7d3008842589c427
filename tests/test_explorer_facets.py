"""Issue 25: the explorer's region facet, "Only in <language>" and the page's language first; issue 27:
the facets the coverage page's counts open (what the link leads to, no year).

The site is the fixture catalogue with two entries more (EXTRA): a Portuguese and English guide on
Brazil and Senegal, and an undated French page on Morocco and Tunisia.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, make_project, page, prefix, run_build, serve
from test_explorer_browser import count, open_explorer, shown_ids

EXTRA = """
  - id: guia-brasil
    type: guide
    title:
      pt: Guia de proteção ao cliente nas cooperativas
    summary:
      pt: Um guia para cooperativas de crédito.
    standards: [4A]
    countries: [BR, SN]
    year: 2016
    added: 2025-03-01
    links:
      - {lang: en, url: "https://example.org/guide-en.pdf"}
      - {lang: pt, url: "https://example.org/guia-pt.pdf"}
  - id: maghreb-note
    type: guidance-note
    title:
      fr: La microfinance au Maghreb
    summary:
      fr: Une page sur le Maroc et la Tunisie.
    dimensions: [4]
    countries: [MA, TN]
    added: 2025-03-02
    links:
      - {lang: fr, url: "https://example.org/maghreb/note", kind: page}
"""
UNDATED = ["maghreb-note", "cobranza-con-dignidad", "xss-probe"]  # newest first, after the dated ones by year
OTHERS = ["cobranza-con-dignidad", "smart-operations-tool", "xss-probe"]  # newest added first
LATIN_AMERICA = ["guia-brasil", "cobranza-con-dignidad", "smart-operations-tool"]  # newest first
# (language, options of the region facet with their counts, the entries in the page's language)
REGIONS = {
    "fr": ([("Amérique latine", 3), ("Afrique septentrionale", 1), ("Afrique subsaharienne", 1), ("Asie du Sud-Est", 1)], 2),
    "pt": ([("América Latina", 3), ("África Setentrional", 1), ("África Subsaariana", 1), ("Sudeste Asiático", 1)], 1),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    text = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n" + EXTRA.lstrip("\n")
    project = make_project(tmp_path_factory.mktemp("facets") / "project", text, FIXTURES / "docs")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def options(soup, facet: str) -> list[tuple[str, int]]:
    return [
        (label.select_one(".spm-facet__label").get_text(), int(label.select_one("[data-facet-count]").get_text()))
        for label in soup.select(f'[data-facet="{facet}"] label')
    ]


@pytest.mark.parametrize("lang", REGIONS)
def test_the_region_facet_is_named_by_cldr_and_sits_by_the_countries(site, lang):
    soup = page(site, prefix(lang) + "resources/")
    expected, _ = REGIONS[lang]
    assert options(soup, "region") == expected
    shown = [d["data-facet"] for d in soup.select("[data-facet]")]
    assert shown.index("region") + 1 == shown.index("country")  # countries stay, right after their regions


@pytest.mark.parametrize(("lang", "words"), [("fr", "Seulement en français"), ("pt", "Somente em português")])
def test_only_in_my_language_is_a_switch_by_the_keywords_with_its_count(site, lang, words):
    soup = page(site, prefix(lang) + "resources/")
    mine = soup.select_one(".spm-explorer__bar [data-mine]")
    assert mine["data-mine"] == lang and not mine.has_attr("name")  # not a second box of the language facet
    assert mine.parent.get_text(" ", strip=True) == f"{words} ({REGIONS[lang][1]})"


@pytest.mark.parametrize(
    ("lang", "text", "href"),
    [
        ("en", "3 resources in English", "resources/?language=en"),
        ("fr", "2 ressources en français", "resources/?language=fr"),
        ("es", "1 recurso en español", "resources/?language=es"),
        ("pt", "1 recurso em português", "resources/?language=pt"),
    ],
)
def test_the_home_page_counts_what_is_in_its_language(site, lang, text, href):
    link = page(site, prefix(lang)).select_one("a[data-own-language]")
    assert (link.get_text(), link["href"]) == (text, href)


def test_link_and_date_facets_say_what_the_link_leads_to_and_which_have_no_year(site):
    soup = page(site, "fr/resources/")
    assert options(soup, "link") == [("Un document (fichier)", 5), ("Une page consacrée à la ressource", 1)]
    assert options(soup, "date") == [("Sans année de publication", 3)]
    assert soup.select('[data-facet="check"]') == []  # no `make links` report: no link check facet


@pytest.mark.parametrize(("lang", "first"), [("pt", ["PT", "EN"]), ("en", ["EN", "PT"]), ("fr", ["EN", "PT"])])
def test_cards_and_resource_pages_name_the_pages_language_first(site, lang, first):
    card = page(site, prefix(lang) + "resources/").select_one('[data-id="guia-brasil"] .spm-card__langs')
    shown = card.select_one(".spm-chip__short") or card  # the chip's short form: the codes
    assert shown.get_text().split() == first
    resource = page(site, prefix(lang) + "resources/guia-brasil/")
    assert resource.select_one(".spm-download a")["href"].endswith(f"-{first[0].lower()}.pdf")


# ---- in Chromium ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("lang", REGIONS)
def test_ticking_a_region_filters_and_goes_in_the_address(server, tab, lang):
    open_explorer(tab, server + prefix(lang) + "resources/")
    tab.set_viewport_size({"width": 1280, "height": 900})
    region = tab.locator('[data-facet="region"]')
    region.locator("summary").click()
    region.locator('input[value="419"]').check()
    assert shown_ids(tab) == LATIN_AMERICA
    assert tab.evaluate("location.search") == "?region=419"
    tab.reload()
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    assert shown_ids(tab) == LATIN_AMERICA and tab.locator('[data-facet="region"] input[value="419"]').is_checked()
    assert tab.errors == [] and tab.outside == []


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "query"), [("fr", "Amérique latine"), ("es", "América Latina"), ("pt", "América Latina")])
def test_a_regions_name_finds_its_countries_entries(server, tab, lang, query):
    open_explorer(tab, server + prefix(lang) + "resources/?q=" + query)
    assert sorted(shown_ids(tab)) == sorted(LATIN_AMERICA)


@pytest.mark.browser
@pytest.mark.parametrize("lang", REGIONS)
def test_the_home_count_opens_the_explorer_with_my_language_switched_on(server, tab, lang):
    tab.goto(server + prefix(lang))
    home = tab.locator("a[data-own-language]")
    number = int(home.inner_text().split()[0])
    home.click()
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    assert count(tab) == number
    mine = tab.locator("[data-mine]")
    assert mine.is_checked() and tab.locator("[data-mine-count]").inner_text() == f"({number})"
    mine.uncheck()  # the switch is the language facet's option: unticking it shows everything again
    assert count(tab) == 6 and tab.evaluate("location.search") == ""
    assert not tab.locator(f'[data-facet="language"] input[value="{lang}"]').is_checked()
    mine.check()
    assert count(tab) == number and tab.evaluate("location.search") == f"?language={lang}"
    assert tab.locator(f'[data-facet="language"] input[value="{lang}"]').is_checked()
    assert tab.errors == [] and tab.outside == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # 2016: the French guidance note before the Portuguese guide on a French page, though added before it
        ("fr", ["surendettement-guide", "guia-brasil", "smart-operations-tool", *UNDATED]),
        ("pt", ["guia-brasil", "surendettement-guide", "smart-operations-tool", *UNDATED]),
    ],
)
def test_by_year_the_pages_language_comes_first_among_equals(server, tab, lang, expected):
    open_explorer(tab, server + prefix(lang) + "resources/?sort=year")
    assert shown_ids(tab) == expected


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        # the page's language first, each part newest first (without keywords; best first with them)
        ("fr", "sort=language", ["maghreb-note", "surendettement-guide", "guia-brasil", *OTHERS]),
        ("pt", "sort=language", ["guia-brasil", "maghreb-note", "surendettement-guide", *OTHERS]),
    ],
)
def test_my_language_first_is_a_sort_of_its_own(server, tab, lang, query, expected):
    open_explorer(tab, server + prefix(lang) + "resources/?" + query)
    assert shown_ids(tab) == expected
    assert tab.locator("#spm-sort").input_value() == "language"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("link=document", ["surendettement-guide", "cobranza-con-dignidad", "guia-brasil", "smart-operations-tool", "xss-probe"]),
        ("link=page", ["maghreb-note"]),
        ("date=undated", UNDATED),
        ("date=undated&link=page", ["maghreb-note"]),
    ],
)
def test_link_and_date_facets_filter_from_the_address(server, tab, query, expected):
    open_explorer(tab, server + "fr/resources/?" + query)
    assert sorted(shown_ids(tab)) == sorted(expected)
