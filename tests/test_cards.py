"""Resource cards: one footer of chips on every page that lists resources and in the cards the
explorer draws from its data; a dimension's and a standard's whole-library resources apart (issue 25)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, make_project, page, prefix, run_build, serve

GENERAL = """
  - id: standards-manual
    type: guide
    title: {en: Universal Standards Manual, fr: Manuel des Normes universelles}
    dimensions: [1, 2, 3, 4, 5, 6, 7]
    year: 2022
    links:
      - {lang: en, url: "https://example.org/manual-en.pdf"}
      - {lang: fr, url: "https://example.org/manual-fr.pdf"}
  - id: six-dimensions-guide
    type: guidance-note
    title: {en: Guide to the six dimensions}
    dimensions: [1, 2, 3, 4, 5, 6]
    links:
      - {lang: en, url: "https://example.org/six.pdf"}
  - id: two-dimensions-note
    type: publication
    title: {en: Pricing and client protection}
    dimensions: [4, 6]
    standards: [6A, 6B, 6C, 6D]
    year: 2019
    links:
      - {lang: pt, url: "https://example.org/two.pdf"}
"""
# every page kind that shows cards, and the explorer's first page
CARD_PAGES = ["", "dimensions/4/", "standards/4a/", "types/tool/", "topics/client-protection/", "resources/"]
CHIPS = ["spm-card__type", "spm-card__langs", "spm-card__year", "spm-card__standards"]
ALL_DIMENSIONS = {"en": "All dimensions", "fr": "Toutes les dimensions", "pt": "Todas as dimensões"}
EVERY_DIMENSION = {
    "en": "Also useful for every dimension",
    "fr": "Utiles aussi pour toutes les dimensions",
    "pt": "Também úteis para todas as dimensões",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    catalogue = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8") + GENERAL
    project = make_project(tmp_path_factory.mktemp("cards") / "project", catalogue, FIXTURES / "docs")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def footer(card) -> list[tuple]:
    """A card's footer as its structure: each chip's class, the text shown, and the words a screen
    reader and the tooltip get when the shown text is shortened."""
    meta = card.select_one(".spm-card__meta")
    chips = []
    for chip in meta.find_all(recursive=False):
        assert "spm-chip" in chip["class"], chip
        [kind] = [c for c in chip["class"] if c != "spm-chip"]
        short = chip.select_one(".spm-chip__short")
        if short is None:
            assert not chip.find(True), chip  # a plain chip is text only
            chips.append((kind, chip.get_text(), None))
            continue
        hidden = chip.select_one(".spm-visually-hidden")
        assert short.get("aria-hidden") == "true" and hidden is not None, chip
        assert chip["title"] == hidden.get_text(), chip
        chips.append((kind, short.get_text(), hidden.get_text()))
    kinds = [kind for kind, _, _ in chips]
    assert kinds == [k for k in CHIPS if k in kinds] and kinds[0] == "spm-card__type", kinds
    return chips


@pytest.mark.parametrize("lang", ["en", "fr", "pt"])
def test_every_card_has_the_same_footer_on_every_page(site, lang):
    seen: dict[str, list[tuple]] = {}
    for path in CARD_PAGES:
        cards = page(site, prefix(lang) + path).select("li.spm-card")
        assert cards, path
        for card in cards:
            chips = footer(card)
            assert seen.setdefault(card["data-id"], chips) == chips, (path, card["data-id"])
    # the coverage, short: ranges of three or more, all the dimensions in words
    assert seen["six-dimensions-guide"][-1][1] == "D1–D6"
    assert "6" in seen["six-dimensions-guide"][-1][2]
    assert seen["standards-manual"][-1][1:] == (ALL_DIMENSIONS[lang], None)
    assert seen["two-dimensions-note"][-1][1] == "6A–6D"
    assert seen["smart-operations-tool"][-1][1] == "4A · 4C"
    # the languages by their codes, named in the page's language for screen readers
    # the page's language first (View.own_first), the others in the catalogue's order
    assert seen["standards-manual"][1][1] == {"en": "EN FR", "fr": "FR EN", "pt": "EN FR"}[lang]
    assert seen["standards-manual"][1][2] == {"en": "English, French", "fr": "Français, Anglais", "pt": "Inglês, Francês"}[lang]


def test_footer_and_coverage_in_each_language(site):
    """No English on a French or Portuguese card: the chips' words are the page's language."""
    for lang, words in {"fr": ("Dimensions 1 à 6", "Norme 4A"), "pt": ("Dimensões 1 a 6", "Padrão 4A")}.items():
        cards = {li["data-id"]: footer(li) for li in page(site, prefix(lang) + "resources/").select("li.spm-card")}
        assert cards["six-dimensions-guide"][-1][2] == words[0]
        assert words[1] in cards["smart-operations-tool"][-1][2]
        words_read = " ".join(full or short for chips in cards.values() for _, short, full in chips)
        assert not {"Standard", "English", "and", "All"} & set(words_read.replace(",", " ").split()), words_read


@pytest.mark.parametrize("lang", ["en", "fr", "pt"])
def test_a_dimension_lists_its_whole_library_resources_apart(site, lang):
    dim = page(site, prefix(lang) + "dimensions/4/")
    own = [li["data-id"] for li in dim.select("li.spm-card")]
    assert sorted(own) == ["cobranza-con-dignidad", "smart-operations-tool", "surendettement-guide", "two-dimensions-note"]
    assert dim.select_one("#resources ~ .spm-count [data-count]").get_text() == "4"
    heading = dim.select_one("h2#every-dimension")
    assert heading.get_text() == EVERY_DIMENSION[lang]
    rows = heading.find_next_sibling("ul")
    assert "spm-rows" in rows["class"]  # short: title, type and year, no summary
    assert sorted(li["data-id"] for li in rows.select("li")) == ["six-dimensions-guide", "standards-manual"]
    assert not rows.select(".spm-card__summary")
    # a standard's page: its own, those on the whole dimension, then the whole library's
    std = page(site, prefix(lang) + "standards/4a/")
    wide = std.select_one("h2#whole-dimension").find_next_sibling("ul")
    assert sorted(li["data-id"] for li in wide.select("li")) == ["cobranza-con-dignidad", "two-dimensions-note"]
    general = std.select_one("h2#every-dimension").find_next_sibling("ul")
    assert sorted(li["data-id"] for li in general.select("li")) == ["six-dimensions-guide", "standards-manual"]


def test_a_dimension_without_whole_library_resources_has_no_such_list(fixture_site):
    assert page(fixture_site, "dimensions/4/").select_one("#every-dimension") is None


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr", "pt"])
def test_the_explorer_draws_the_same_footer_from_its_data(site, tab, lang):
    """The explorer's own cards (explorer/render.js, from the cards-N.js data) against the page's:
    the page's list is taken out before the scripts run, so that every card is drawn from data."""
    address = prefix(lang) + "resources/"
    expected = {li["data-id"]: footer(li) for li in page(site, address).select("li.spm-card")}

    def without_cards(route):
        html = route.fetch().text()
        soup = BeautifulSoup(html, "html.parser")
        for li in soup.select("[data-results] > li"):
            li.decompose()
        route.fulfill(body=str(soup), content_type="text/html; charset=utf-8")

    with serve(site) as url:
        tab.route(url + address, without_cards)
        tab.goto(url + address)
        tab.wait_for_selector('[data-results][aria-busy="false"] > li', state="attached")
        # drawn from the data, not taken from the page
        assert tab.evaluate("!!document.querySelector('script[src$=\"/cards-0.js\"]')")
        drawn = BeautifulSoup(tab.locator("[data-results]").inner_html(), "html.parser")
    assert tab.errors == []
    cards = {li["data-id"]: footer(li) for li in drawn.select("li.spm-card")}
    assert cards == expected
