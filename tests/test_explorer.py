"""The explorer's data and its no-JavaScript page, checked without a browser."""

from __future__ import annotations

import json
import re

import pytest
from conftest import FIXTURES, LANGUAGES, page, prefix

from spmlib.model.catalogue import load_catalogue
from spmlib.site.explorer import FACETS, decode_values, encode_values, explorer_parts, fold, words


@pytest.fixture(scope="module")
def catalogue(taxonomy):
    return load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")


def load_data(site, lang: str) -> dict:
    text = (site / prefix(lang) / "resources" / "explorer-data.js").read_text(encoding="utf-8")
    assert text.startswith("window.spmExplorerData=") and text.endswith(";\n")
    return json.loads(text[len("window.spmExplorerData=") : -2])


@pytest.mark.parametrize(
    ("text", "folded"),
    [("FinComún", "fincomun"), ("SOBREENDEUDAMIENTO", "sobreendeudamiento"), ("Prévenir", "prevenir"), ("São Tomé", "sao tome")],
)
def test_fold_removes_case_and_accents(text, folded):
    assert fold(text) == folded


def test_words_are_distinct_and_keep_codes():
    assert words("Client protection: 4A, client PROTECTION", "Protección al cliente") == [
        "client",
        "protection",
        "4a",
        "proteccion",
        "al",
        "cliente",
    ]


def by_id(parts) -> dict[str, int]:
    """Each entry's number (its position, newest first) by id."""
    return {card[0]: i for i, card in enumerate(card for chunk in parts.cards for card in chunk)}


def test_keyword_text_holds_every_language_version(catalogue):
    parts = explorer_parts(catalogue, "en", "{id}/")
    number = by_id(parts)
    words_of = [text for chunk in parts.words for text in chunk]
    cards = [card for chunk in parts.cards for card in chunk]
    smart = words_of[number["smart-operations-tool"]]
    title, title_alt, name, keys, rest = smart.split("|")  # rank.js's fields (tests/test_explorer_ranking.py)
    assert title.split() == ["smart", "operations", "tool"]  # the words of the title shown come first
    key_words = [word for n in keys.split() for word in parts.keys["keys"][int(n)].split()]
    found = set(" ".join([title, title_alt, name, rest]).split()) | set(key_words)
    for word in ("smart", "operations", "outil", "departement", "department", "campaign", "protection", "4a", "mexico"):
        assert word in found, word
    assert not set(title.split()) & set(rest.split())
    assert "surendettement" in words_of[number["surendettement-guide"]]  # French-only entry, English page
    # the card's line of summary, in the page's language or marked with its own
    assert cards[number["smart-operations-tool"]][3:5] == ["Assign client protection responsibilities to every department.", ""]
    french = "Une note pratique sur l'analyse de la capacité de remboursement."
    assert cards[number["surendettement-guide"]][3:5] == [french, "fr"]
    # then the coverage chip and its words (spmlib.site.cards), as the pages' cards have them
    assert cards[number["smart-operations-tool"]][5:] == ["4A · 4C", "Standard 4A and Standard 4C"]
    assert cards[number["cobranza-con-dignidad"]][5:] == ["D4", "Dimension 4"]


def test_entries_are_newest_first_with_fallback_titles(catalogue):
    parts = explorer_parts(catalogue, "pt", "{id}.html")
    assert list(by_id(parts)) == [
        "surendettement-guide",
        "cobranza-con-dignidad",
        "smart-operations-tool",
        "xss-probe",
    ]
    first = parts.cards[0][0]
    assert first[1:3] == ["Prévenir le surendettement des clients", "fr"]  # shown in French, marked as such
    assert parts.index["href"] == "{id}.html"
    assert parts.index["count"] == 4 and parts.index["years"] == [2016, 0, 2013, 0]


def test_title_order_is_natural(catalogue):
    parts = explorer_parts(catalogue, "en", "{id}/")
    ranked = sorted(by_id(parts), key=lambda rid: parts.order[by_id(parts)[rid]])
    assert ranked == ["xss-probe", "cobranza-con-dignidad", "surendettement-guide", "smart-operations-tool"]


@pytest.mark.parametrize("values", [[], [0], [3, 17], [43, 44, 45], [0, 200, 1000]])
def test_values_round_trip_without_a_backslash(values):
    text = encode_values(values)
    assert decode_values(text) == values and "\\" not in text and "," not in text and '"' not in text


def test_facet_values_point_at_their_codes(catalogue):
    parts = explorer_parts(catalogue, "fr", "{id}/")
    data = parts.index
    smart = by_id(parts)["smart-operations-tool"]
    columns = [decode_values(value) for value in data["values"][0].split(",")]
    assert len(columns) == 4
    decoded = {
        facet: [data["facets"][facet][i][0] for i in decode_values(data["values"][k].split(",")[smart])]
        for k, facet in enumerate(FACETS)
    }
    assert decoded == {
        "type": ["tool"],
        "dimension": ["4"],
        "standard": ["4A", "4C"],
        "language": ["en", "ru", "ar"],
        "topic": ["client-protection"],
        "country": ["MX", "PH"],
        "region": ["419", "035"],  # CLDR's containment: Latin America, South-eastern Asia
        "link": ["document"],
        "date": [],
        "check": [],  # from a `make links` report only (with_link_check)
    }
    assert dict(data["facets"]["region"])["419"] == "Amérique latine"  # named by CLDR in the page's language
    assert dict(data["facets"]["language"])["ru"] == "Russe"
    assert data["facets"]["language"][0][0] == "fr"  # the reader's own language first


def test_script_cannot_end_early(catalogue):
    files = explorer_parts(catalogue, "en", "{id}/").files()
    assert set(files) == {
        "explorer-data.js",
        "explorer-data/cards-0.js",
        "explorer-data/words-0.js",
        "explorer-data/keys-0.js",
        "explorer-data/order-0.js",
    }
    assert "</script>" not in files["explorer-data/cards-0.js"] and "<\\/script>" in files["explorer-data/cards-0.js"]
    assert files["explorer-data/cards-0.js"].startswith('spmExplorerChunk("cards",0,[["surendettement-guide",')


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_gets_its_own_data(fixture_site, lang):
    data = load_data(fixture_site, lang)
    assert data["lang"] == lang
    assert data["count"] == 4
    parts = fixture_site / prefix(lang) / "resources" / "explorer-data"
    assert sorted(p.name for p in parts.iterdir()) == ["cards-0.js", "keys-0.js", "order-0.js", "words-0.js"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_the_full_list_is_there(fixture_site, lang):
    soup = page(fixture_site, prefix(lang) + "resources/")
    explorer = soup.select_one("[data-explorer]")
    # filters need the script, so html.no-js (swapped for js by a line in the head) hides them; the list does not
    assert "no-js" in soup.html["class"] and "spm-explorer__form" in explorer.select_one("form")["class"]
    css = (fixture_site / "assets/stylesheets/library.css").read_text(encoding="utf-8")
    assert ".no-js .spm-explorer__form { display: none; }" in css
    assert len(explorer.select("[data-results] > li.spm-card")) == 4
    assert explorer.select_one("[data-count]").get_text() == "4"
    status = explorer.select_one('[role="status"]')
    assert status["aria-live"] == "polite" and status.select_one("[data-count]")
    hrefs = [a["href"] for a in explorer.select("li.spm-card a.spm-card__title")]
    assert all((fixture_site / prefix(lang) / "resources" / href / "index.html").is_file() for href in hrefs)


def test_scripts_load_from_the_site_itself(fixture_site):
    soup = page(fixture_site, "fr/resources/")
    sources = [s["src"] for s in soup.select("article script[src]")]
    assert sources == [
        "explorer-data.js",
        "../../assets/javascripts/explorer/url.js",  # not deferred: it must see the address before Material
        "../../assets/javascripts/fold.js",  # shared with the search worker
        "../../assets/javascripts/rank.js",  # so is the ranking
        "../../assets/javascripts/explorer/state.js",
        "../../assets/javascripts/explorer/filters.js",
        "../../assets/javascripts/explorer/render.js",
        "../../assets/javascripts/explorer/main.js",
        "../../assets/javascripts/explorer/export.js",  # "Download these results (CSV)"
    ]
    deferred = [s["src"] for s in soup.select("article script[src][defer]")]
    assert deferred == [src for src in sources if not src.endswith("/url.js")]
    for src in sources:
        assert (fixture_site / "fr" / "resources" / src).resolve().is_file()


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("en", ["Best match", "Recently added", "Publication year", "Title", "English first"]),
        ("fr", ["Pertinence", "Ajouts récents", "Année de publication", "Titre", "D'abord en français"]),
        ("es", ["Relevancia", "Agregados recientemente", "Año de publicación", "Título", "Primero en español"]),
        ("pt", ["Relevância", "Adicionados recentemente", "Ano de publicação", "Título", "Primeiro em português"]),
    ],
)
def test_best_match_is_the_first_order(fixture_site, lang, labels):
    soup = page(fixture_site, prefix(lang) + "resources/")
    options = soup.select("#spm-sort option")
    assert [o["value"] for o in options] == ["relevance", "newest", "year", "title", "language"]
    assert [o.get_text() for o in options] == labels


def test_facet_options_are_labelled_in_the_page_language(fixture_site):
    soup = page(fixture_site, "es/resources/")
    labels = {
        box["value"]: box.find_parent("label").select_one(".spm-facet__label").get_text()
        for box in soup.select('input[name="type"]')
    }
    assert labels["case-study"] == "Estudio de caso"
    counts = {
        box["value"]: box.find_parent("label").select_one("[data-facet-count]").get_text()
        for box in soup.select('input[name="standard"]')
    }
    assert counts == {"1A": "1", "4A": "2", "4C": "1"}
    groups = soup.select('details.spm-facet [role="group"]')
    assert all(g.get("aria-label") for g in groups)


def test_html_in_catalogue_text_is_escaped_in_the_page(fixture_site):
    soup = page(fixture_site, "resources/")
    card = soup.select_one('li[data-id="xss-probe"] a')
    assert card.get_text().startswith("<script>alert('title')</script>")
    assert not soup.select("article script:not([src])")
    assert re.search(r"<script>alert", str(soup.select_one("[data-explorer]"))) is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_index_leaves_the_filters_out(fixture_site, lang):
    index = json.loads((fixture_site / prefix(lang) / "search" / "search_index.json").read_text(encoding="utf-8"))
    (entry,) = [d for d in index["docs"] if d["location"] == "resources/"]
    assert "data-facet" not in entry["text"] and len(entry["text"]) < 400, entry["text"]


def test_bundle_size_report_counts_every_part_as_explorer_data():
    from spmlib.outputs.offline import size_report

    sizes = {
        "resources/explorer-data.js": 1_000_000,
        "fr/resources/explorer-data/cards-0.js": 500_000,
        "fr/resources/explorer-data/words-0.js": 500_000,
        "resources/x/index.html": 10,
    }
    report = size_report(sizes, 100, ["fr"])
    assert re.search(r"explorer data\s+2\.00 MB", report), report


@pytest.mark.parametrize(
    ("current", "last", "shown"),
    [
        (1, 1, "[1]"),
        (1, 3, "[1] 2 3"),
        (2, 3, "1 [2] 3"),
        (1, 10, "[1] 2 3 … 10"),
        (5, 10, "1 … 3 4 [5] 6 7 … 10"),
        (4, 10, "1 2 3 [4] 5 6 … 10"),
        (10, 10, "1 … 8 9 [10]"),
    ],
)
def test_page_links_keep_first_last_and_neighbours(current, last, shown):
    from spmlib.site.explorer import page_links

    links = page_links(current, last)
    text = " ".join("…" if p.number is None else (f"[{p.number}]" if p.current else str(p.number)) for p in links)
    assert text == shown


def test_further_pages_of_the_list_speak_the_page_language(catalogue):
    import dataclasses

    from bs4 import BeautifulSoup
    from conftest import ROOT

    from spmlib.site.explorer import LIST_PAGE_SIZE
    from spmlib.site.pagekinds import plan_pages, render
    from spmlib.site.render import make_environment
    from spmlib.site.view import View

    copies = [dataclasses.replace(r, id=f"{r.id}-{n}") for n in range(LIST_PAGE_SIZE) for r in catalogue.resources]
    big = dataclasses.replace(catalogue, resources=copies[: LIST_PAGE_SIZE + 20])  # a second page of 20
    (spec,) = [s for s in plan_pages(big, "fr") if s.kind == "all-page"]
    assert (spec.key, spec.path, spec.in_nav) == ("all:2", "resources/page/2/index.md", False)
    view = View(big, "fr", lambda key: f"#{key}")
    soup = BeautifulSoup(render(spec, view, make_environment(ROOT / "overrides" / "spm")), "html.parser")
    assert soup.find("h1").get_text() == "Toutes les ressources, page 2 sur 2"
    nav = soup.select_one("nav.spm-pages")
    assert nav["aria-label"] == "Pages de la liste"
    assert nav.select_one('a[rel="prev"]')["href"] == "#all" and nav.select_one('a[rel="prev"]').get_text() == "‹ Page précédente"
    first, last = LIST_PAGE_SIZE + 1, LIST_PAGE_SIZE + 20
    assert nav.select_one(".spm-pages__range").get_text() == f"Ressources {first} à {last} sur {last}"
    assert len(soup.select("ul.spm-cards > li")) == 20
