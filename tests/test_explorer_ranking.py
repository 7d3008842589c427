"""The explorer's keyword box finds and ranks as the header search does (issue 24).

Both rank with overrides/assets/javascripts/rank.js. The explorer's data gives each entry its
words in rank.js's fields (spmlib.site.explorer.keyword_texts), made as the search worker makes
them from the search index (workers/search-fold.js); the browser tests check that the two
boxes then list the fixture's resources in the same order, and the explorer's own behaviour:
stop words, words found from their beginning only, the "Best match" order and the address.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import FIXTURES, prefix, serve

from spmlib.model.catalogue import load_catalogue
from spmlib.model.words import listed_stop_words
from spmlib.site.explorer import Keywords, explorer_parts, keyword_texts


@pytest.fixture(scope="module")
def catalogue(taxonomy):
    return load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")


def entry_fields(catalogue, lang: str, rid: str) -> dict[str, list]:
    """An entry's keyword text, field by field, with its keys as their words."""
    parts = explorer_parts(catalogue, lang, "{id}/")
    ids = [card[0] for chunk in parts.cards for card in chunk]
    text = [t for chunk in parts.words for t in chunk][ids.index(rid)]
    title, alt, name, keys, other = text.split("|")
    return {
        "title": title.split(),
        "title_alt": alt.split(),
        "name": name.split(),
        "keys": [parts.keys["keys"][int(n)].split() for n in keys.split()],
        "other": other.split(),
    }


# (page language, resource, field, its words): as the search worker makes them
FIELDS = [
    # the title the card shows, without the page language's stop words ("le", "des" are French ones)
    ("fr", "surendettement-guide", "title", ["prevenir", "surendettement", "clients"]),
    ("en", "surendettement-guide", "title", ["prevenir", "le", "surendettement", "des", "clients"]),
    ("es", "cobranza-con-dignidad", "title", ["nota", "smart", "cobranza", "dignidad", "fincomun"]),
    # its synonyms and joined compounds, in the page's language
    ("es", "cobranza-con-dignidad", "title_alt", ["recuperacion", "de", "cartera"]),
    ("en", "smart-operations-tool", "title_alt", []),
    # the id's words, stop words out ("con" is a Spanish one, not a Portuguese one)
    ("es", "cobranza-con-dignidad", "name", ["cobranza", "dignidad"]),
    ("pt", "cobranza-con-dignidad", "name", ["cobranza", "con", "dignidad"]),
    ("en", "smart-operations-tool", "name", ["smart", "operations", "tool"]),
    # the header search's keys: type, organisation, year, standards with their names and dimension, topics, countries, regions
    (
        "en",
        "smart-operations-tool",
        "keys",
        [
            ["tool"],
            ["smart", "campaign"],
            ["2013"],
            # stop words out, as the worker leaves them out of the words it ranks ("of", "and")
            ["4a", "prevention", "over", "indebtedness", "treat", "clients", "responsibly", "overindebtedness"],
            ["4c", "fair", "respectful", "treatment", "treat", "clients", "responsibly"],
            ["client", "protection", "cp"],
            ["mexico"],
            ["philippines"],
            # their regions, named by CLDR (spmlib.model.regions)
            ["latin", "america"],
            ["southeast", "asia"],
        ],
    ),
    (
        "fr",
        "xss-probe",
        "keys",
        [
            ["guide"],
            ["title", "script", "alert", "org"],
            ["1a", *"strategie sociale definir suivre objectifs sociaux".split()],  # "et", "les": stop words
        ],
    ),
]


@pytest.mark.parametrize(("lang", "rid", "field", "expected"), FIELDS, ids=[f"{f[0]}-{f[1]}-{f[2]}" for f in FIELDS])
def test_each_entry_has_its_words_in_rank_js_fields(catalogue, lang, rid, field, expected):
    assert entry_fields(catalogue, lang, rid)[field] == expected


def chunk(path) -> object:
    """The payload of an explorer data part (spmExplorerChunk(kind, number, payload);)."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",", text.index(",") + 1) + 1 : -3])


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_keys_are_the_header_search_keys(fixture_site, lang):
    """Each entry's keys are the ones the built search index gives the worker, word for word, less
    the stop words the worker leaves out of the words it ranks (search-fold.js, rankedDocs)."""
    stops = set(listed_stop_words(lang))
    index = json.loads((fixture_site / prefix(lang) / "search" / "search_index.json").read_text(encoding="utf-8"))
    columns = index["config"]["spm_docs"]
    searched = {
        location.split("/")[1]: [[w for w in columns["words"][int(n)].split() if w not in stops] for n in numbers.split()]
        for location, numbers in zip(columns["location"], columns["keys"], strict=True)
    }
    folder = fixture_site / prefix(lang) / "resources"
    data = json.loads((folder / "explorer-data.js").read_text(encoding="utf-8")[len("window.spmExplorerData=") : -2])
    cards = chunk(folder / "explorer-data" / "cards-0.js")
    texts = chunk(folder / "explorer-data" / "words-0.js")
    key_words = chunk(folder / "explorer-data" / "keys-0.js")["keys"]
    assert data["count"] == len(cards) == len(texts) == len(searched)
    explored = {
        card[0]: [key_words[int(n)].split() for n in text.split("|")[3].split()] for card, text in zip(cards, texts, strict=True)
    }
    assert explored == searched


def test_other_words_hold_every_language_version_but_not_the_earlier_fields(catalogue):
    fields = entry_fields(catalogue, "en", "smart-operations-tool")
    earlier = {*fields["title"], *fields["title_alt"], *fields["name"], *(w for key in fields["keys"] for w in key)}
    # first the summary's opening, words in order (stop words out), as the header search holds it
    # (words in a row count in rank.js); then the other words, each once, none of an earlier field
    opening = ["assign", "client", "protection", "responsibilities", "department"]  # "every": a stop word
    assert fields["other"][: len(opening)] == opening
    rest = fields["other"][len(opening) :]
    assert not (earlier | set(opening)) & set(rest)
    assert len(set(rest)) == len(rest)
    # French and Spanish versions, the link's label
    assert {"outil", "departement", "responsabilites", "proteccion", "powerpoint"} <= set(fields["other"])
    assert "surendettement" in entry_fields(catalogue, "en", "surendettement-guide")["title"]


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_the_keys_part_lists_the_stop_words_as_lunr_does(catalogue, lang):
    keys = explorer_parts(catalogue, lang, "{id}/").keys
    assert keys["stop"].split() == list(listed_stop_words(lang))
    assert "</" not in keys["stop"]


def test_stop_words_are_listed_with_their_accents():
    """The worker drops "été" but not "ete": the explorer gets the list as lunr has it."""
    assert "été" in listed_stop_words("fr") and "ete" not in listed_stop_words("fr")
    assert "não" in listed_stop_words("pt") and {"the", "of"} <= set(listed_stop_words("en"))


def kw(title=(), alt=(), name=(), keys=(), other=()) -> Keywords:
    return Keywords(tuple(title), tuple(alt), tuple(name), tuple(keys), tuple(other))


# (entries, their texts, the keys' words)
TEXTS = [
    ([kw(["a"], [], ["x"], [], ["b"])], ["a||x||b"], []),
    # keys are numbered once for all entries, in the order met; an entry names each once
    (
        [kw(["a"], keys=["Tool", "Guide"]), kw(["b"], keys=["Guide", "Guide"])],
        ["a|||0 1|", "b|||1|"],
        ["tool", "guide"],
    ),
    # a key without a word is left out
    ([kw(["a"], keys=["—", "Tool"])], ["a|||1|"], ["", "tool"]),
    # other words already in an earlier field are left out: rank.js finds them there, weighed more
    (
        [kw(["smart"], ["cp"], ["tool"], ["Client protection"], ["smart", "cp", "tool", "client", "outil"])],
        ["smart|cp|tool|0|outil"],
        ["client protection"],
    ),
    # a key's hyphenated compound is also joined, as in the header search's keys
    ([kw(["a"], keys=["Over-indebtedness"])], ["a|||0|"], ["over indebtedness overindebtedness"]),
]


@pytest.mark.parametrize(("entries", "texts", "key_words"), TEXTS)
def test_keyword_texts(taxonomy, entries, texts, key_words):
    assert keyword_texts(entries, taxonomy.synonyms.table("xx")) == (texts, key_words)


# ---- in Chromium --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(fixture_site):
    with serve(fixture_site) as url:
        yield url


def worker_answers(tab, root: str, queries: list[str]) -> dict[str, list[str]]:
    """The resources the header search's worker lists for each query, in order, as the page at
    `root` (a language's home) would get them (tests/test_search.py does the same)."""
    tab.goto(root)
    pages = tab.evaluate(
        """async queries => {
            const config = JSON.parse(document.getElementById("__config").textContent);
            const index = await (await fetch(new URL(config.base + "/search/search_index.json", location.href))).json();
            const worker = new Worker(new URL(config.search, location.href));  // lazy-search.js: search-fold.js
            const next = () => new Promise(resolve => worker.addEventListener("message", e => resolve(e.data), { once: true }));
            worker.postMessage({ type: 0, data: { ...index, options: { suggest: false } } });
            await next();
            const answers = {};
            for (const query of queries) {
                worker.postMessage({ type: 2, data: query });
                const result = (await next()).data;
                const pages = result.items.map(group => group[0].location.split("#")[0]);  // an article and its sections
                answers[query] = { pages: pages, fallback: result.spm_fallback || null };
            }
            worker.terminate();
            return answers;
        }""",
        queries,
    )
    assert {q: a["fallback"] for q, a in pages.items() if a["fallback"]} == {}  # the explorer has no fallback
    return {
        q: [p.split("/")[1] for p in a["pages"] if p.startswith("resources/") and p.count("/") == 2] for q, a in pages.items()
    }


def explorer_answer(tab, url: str) -> list[str]:
    tab.goto(url)
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    return shown(tab)


def shown(tab) -> list[str]:
    """The resources the explorer lists, once final (the parts of the data they need are in)."""
    tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
    return tab.locator("[data-results] > li").evaluate_all("items => items.map(li => li.dataset.id)")


# Queries whose words the two boxes find in the same places: the explorer also searches every
# language version, and breaks ties newest first where the worker uses lunr's score.
SAME_ORDER = {
    "en": ["client", "cli", "client protection", "the client protection", "smart", "4A", "over indebtedness", "Surendettement"],
    "fr": ["client", "protection des clients", "4A", "surendettement"],
    "es": ["client", "sobreendeudamiento", "smart"],
}


@pytest.mark.browser
@pytest.mark.parametrize("lang", list(SAME_ORDER))
def test_the_explorer_lists_resources_in_the_header_search_order(server, tab, lang):
    queries = SAME_ORDER[lang]
    worker = worker_answers(tab, server + prefix(lang), queries)
    explorer = {q: explorer_answer(tab, server + prefix(lang) + "resources/?q=" + quote(q)) for q in queries}
    assert explorer == worker
    assert len({tuple(order) for order in explorer.values() if len(order) > 1}) > 1  # not one order for every query
    assert tab.errors == []


# (page, query, resources in order)
KEYWORDS = [
    ("", "client", ["smart-operations-tool", "surendettement-guide", "cobranza-con-dignidad"]),  # best match first
    ("", "client&sort=newest", ["surendettement-guide", "cobranza-con-dignidad", "smart-operations-tool"]),
    ("", "ment", []),  # a word is found from its beginning only: not in "department", "surendettement"
    ("", "cl", []),  # nor from fewer than three letters, unless whole
    ("", "tion", []),  # substrings of "protection" no more
    # only stop words: kept, but no entry holds stop words among its words: "des" finds words it begins ("desarrolló")
    ("fr/", "des", ["cobranza-con-dignidad"]),
    ("fr/", "la protection des clients", ["smart-operations-tool"]),  # stop words dropped
    ("pt/", "estão cobrança", ["cobranza-con-dignidad"]),  # a stop word as lunr lists it, with its accent
]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "query", "expected"), KEYWORDS, ids=[f"{k[0]}{k[1]}" for k in KEYWORDS])
def test_keywords_find_and_rank(server, tab, path, query, expected):
    assert explorer_answer(tab, server + path + "resources/?q=" + query) == expected


@pytest.mark.browser
def test_best_match_is_the_default_order_left_out_of_the_address(server, tab):
    explorer_answer(tab, server + "resources/?q=client&sort=newest")
    select = tab.locator("#spm-sort")
    options = select.locator("option").evaluate_all("options => options.map(o => [o.value, o.textContent])")
    assert options[0] == ["relevance", "Best match"]
    assert parse_qs(urlsplit(tab.url).query) == {"q": ["client"], "sort": ["newest"]}
    select.select_option("relevance")
    tab.wait_for_function("!location.search.includes('sort=')")
    assert tab.locator("[data-results] > li").first.get_attribute("data-id") == "smart-operations-tool"
    tab.locator("#spm-q").fill("")  # without keywords: newest first, as "Recently added"
    assert explorer_answer(tab, tab.url) == [
        "surendettement-guide",
        "cobranza-con-dignidad",
        "smart-operations-tool",
        "xss-probe",
    ]
    assert tab.locator("#spm-sort").input_value() == "relevance"


@pytest.mark.browser
def test_typing_on_gives_what_the_address_gives(server, tab):
    """The keyword box keeps each word's entries while the reader types on (explorer/filters.js):
    what a query lists after typing, erasing and a facet is what it lists opened from its address."""
    steps = ["clients", "client", "client protection", "client pro", "smart", "over indebted", "des", "client"]
    typed = {}
    explorer_answer(tab, server + "fr/resources/")
    field = tab.locator("#spm-q")
    for text in steps:
        field.fill(text[:-1])
        field.press(text[-1])  # one keystroke, on what the box held
        typed[text] = shown(tab)
    tab.locator('details[data-facet="type"] > summary').click()
    tab.locator('input[name="type"][value="tool"]').check()
    typed["client&type=tool"] = shown(tab)
    opened = {text: explorer_answer(tab, server + "fr/resources/?q=" + quote(text, safe="&=")) for text in typed}
    assert typed == opened
    assert typed["client&type=tool"] == ["smart-operations-tool"]
