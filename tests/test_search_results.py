"""The header search's result panel (issue 24): what it says and offers beyond Material's list.

Under no results, or results with only some of the words, or words one letter away: the typed
words in the explorer, with its filters, and the form to propose a resource; the count honest
and in the page's language; three results with their summaries on a phone's first screen; the
same from a file:// bundle. The fixture site holds real entries of resources.yaml
(tests/fixtures/search-extra.yaml), with a deployment's address for proposals.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import FIXTURES, make_project, render_search_results, run_build, search_catalogue, serve, unpacked_bundle

pytestmark = pytest.mark.browser

PROPOSE = "https://example.org/library/propose?form=resource&lang=any"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NOTHING = "zzqxw"  # no page has it, nor a word one letter away
# Material's own words for the count, in each language of the site
COUNTS = {
    "en": ("No matching documents", "1 matching document", "# matching documents"),
    "fr": ("Aucun document trouvé", "1 document trouvé", "# documents trouvés"),
    "es": ("No se encontraron documentos", "1 documento encontrado", "# documentos encontrados"),
    "pt": ("Nenhum resultado encontrado", "1 resultado encontrado", "# resultados encontrados"),
}
EXPLORE = {
    "en": "Search the catalogue for “{query}” with filters",
    "fr": "Chercher «\u00a0{query}\u00a0» dans le catalogue, avec des filtres",
}
PROPOSE_LABEL = {"en": "A resource is missing? Propose it", "fr": "Une ressource manque\u00a0? Proposez-la"}


@pytest.fixture(scope="module")
def results_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("results") / "project", search_catalogue(), FIXTURES / "docs")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert 'propose: !ENV [SPM_PROPOSE_URL, ""]' in text
    config.write_text(text.replace('propose: !ENV [SPM_PROPOSE_URL, ""]', f'propose: "{PROPOSE}"'), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def http_root(results_project):
    result = run_build(results_project)
    assert result.returncode == 0, result.stderr
    with serve(results_project / "site") as url:
        yield url


@pytest.fixture(scope="module")
def file_root(results_project, tmp_path_factory):
    return unpacked_bundle(results_project, tmp_path_factory.mktemp("results-bundle"))


@pytest.fixture(params=["http_root", "file_root"])
def root(request):
    return request.getfixturevalue(request.param)


def home(root: str, lang: str) -> str:
    return (root if lang == "en" else f"{root}{lang}/") + ("index.html" if root.startswith("file:") else "")


def explorer(root: str, lang: str) -> str:
    return (root if lang == "en" else f"{root}{lang}/") + ("resources/index.html" if root.startswith("file:") else "resources/")


def type_query(tab, query: str) -> None:
    """The words in Material's search box, as typed: Material reads the box at each key released."""
    box = tab.locator("[data-md-component=search-query]")
    box.fill(query)
    box.press("End")


def search(tab, root: str, lang: str, query: str) -> dict:
    """Type `query` in the header search of the language's home page; what the panel says once
    the answer is in: Material's count, the fallback label, and the block under the results."""
    tab.goto(home(root, lang))
    # as a reader opens it: the box on a wide screen, the icon on a phone
    tab.locator('.md-header label[for="__search"]:visible, [data-md-component=search-query]:visible').first.click()
    type_query(tab, query)
    tab.wait_for_function(
        """query => {
            const t = JSON.parse(document.getElementById("__config").textContent).translations;
            const meta = document.querySelector(".md-search-result__meta").textContent.trim();
            const other = new RegExp("^" + t["search.result.other"].replace("#", "[\\\\d,. \\u00a0\\u202f]+") + "$");
            const answered = meta === t["search.result.none"] || meta === t["search.result.one"] || other.test(meta);
            // lazy-search.js fills its block in the task after Material's answer
            const more = document.querySelector("[data-spm-search-more-region]");
            return answered && more && document.querySelector("[data-md-component=search-query]").value === query;
        }""",
        arg=query,
        timeout=15000,
    )
    return tab.evaluate(
        """() => {
            const meta = document.querySelector(".md-search-result__meta");
            const note = document.querySelector("[data-spm-some-words]");
            const block = document.querySelector("[data-spm-search-more-region] .spm-search-more");
            const links = block ? [...block.querySelectorAll("a")] : [];
            const list = document.querySelector(".md-search-result__list");
            return {
                count: meta.textContent.trim(),
                items: document.querySelectorAll(".md-search-result__item").length,
                note: note ? note.textContent : null,
                block: block ? block.textContent.replace(/\\s+/g, " ").trim() : null,
                links: links.map(a => ({ text: a.textContent, href: a.href, elements: a.querySelectorAll("*").length })),
                under: block ? !!(list.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING) : null,
            };
        }"""
    )


def check_clean(tab) -> None:
    assert tab.errors == [] and tab.outside == [] and tab.dialogs == []


# ---------------------------------------------------------------------------------------------
# Zero results and fallbacks: the way on


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_result_offers_the_explorer_with_the_words_and_the_proposal_form(root, tab, lang, size):
    tab.set_viewport_size(size)
    panel = search(tab, root, lang, NOTHING)
    assert panel["count"] == COUNTS[lang][0] and panel["items"] == 0 and panel["note"] is None
    explore, propose = panel["links"]
    assert explore["text"] == EXPLORE[lang].format(query=NOTHING)
    address = urlsplit(explore["href"])
    assert address._replace(query="").geturl() == explorer(root, lang)
    assert parse_qs(address.query) == {"q": [NOTHING]}
    assert propose == {"text": PROPOSE_LABEL[lang], "href": PROPOSE, "elements": 1}
    for link in tab.locator(".spm-search-more a").all():
        assert link.is_visible()
        box = link.bounding_box()
        assert box["y"] + box["height"] <= size["height"], box  # on the first screen
    check_clean(tab)


def test_typed_words_are_shown_as_text_and_sent_as_a_parameter(http_root, tab):
    query = "<img src=x onerror=alert(1)> zzqxw&q=1#\"'"
    panel = search(tab, http_root, "en", query)
    explore = panel["links"][0]
    assert explore["text"] == EXPLORE["en"].format(query=query)
    assert explore["elements"] == 2  # the label's span and the words' span: nothing made of the words
    address = urlsplit(explore["href"])
    assert address.fragment == "" and parse_qs(address.query) == {"q": [query]}
    check_clean(tab)


@pytest.mark.parametrize(
    ("lang", "query", "label"),
    [
        ("en", "client zzqxw", "No page has all the words; pages with some of them:"),
        ("en", "protecton", "No page has these words; pages with words close to them:"),
        ("fr", "clients zzqxw", "Aucune page ne contient tous les mots ; pages qui en contiennent une partie :"),
        ("fr", "protecton", "Aucune page ne contient ces mots ; pages contenant des mots proches :"),
    ],
)
def test_fallback_results_are_labelled_and_followed_by_the_way_on(root, tab, lang, query, label):
    panel = search(tab, root, lang, query)
    assert panel["items"] > 0 and panel["note"] == label
    assert panel["under"] is True  # after the list, not between the label and the results
    assert panel["links"][0]["text"] == EXPLORE[lang].format(query=query)
    assert parse_qs(urlsplit(panel["links"][0]["href"]).query) == {"q": [query]}
    # Material's struck-out "Missing: protecton" under every result says nothing the label does not
    terms = tab.locator(".md-search-result__terms")
    if "zzqxw" in query:
        assert terms.first.is_visible() and "zzqxw" in terms.first.inner_text()
    else:
        assert terms.count() and not any(t.is_visible() for t in terms.all())
    check_clean(tab)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_results_with_every_word_have_no_label_and_no_block(root, tab, lang):
    search(tab, root, lang, NOTHING)
    # the same panel, now answering a query that finds pages with all its words
    type_query(tab, "client protection")
    tab.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0")
    tab.wait_for_function("() => !document.querySelector('[data-spm-search-more-region] *')")
    assert tab.query_selector("[data-spm-some-words]") is None
    check_clean(tab)


def test_label_and_block_are_live_regions_reachable_with_materials_keys(http_root, tab):
    """Material's result panel is worked with the arrow keys (Tab closes it): they reach the
    block's links; Enter follows the best result, and with none the explorer's link."""
    search(tab, http_root, "en", "client zzqxw")
    live = tab.evaluate(
        """() => [".md-search-result__meta", "[data-spm-some-words]", ".spm-search-more"].map(
            s => document.querySelector(s).closest("[aria-live]") !== null)"""
    )
    assert live == [True, True, True]
    query = tab.locator("[data-md-component=search-query]")
    query.press("ArrowUp")  # from the query, Material goes round to the last link of the panel
    assert tab.evaluate("document.activeElement.textContent") == PROPOSE_LABEL["en"]
    tab.keyboard.press("ArrowUp")
    assert tab.evaluate("document.activeElement.hasAttribute('data-spm-explore')")
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focused link is seen
    # Enter in the query box: the best result, not the block
    first = tab.locator(".md-search-result__item > .md-search-result__link").first.get_attribute("href")
    query.focus()
    with tab.expect_navigation():
        query.press("Enter")
    assert tab.url.split("#")[0].split("?")[0] == urlsplit(first)._replace(query="", fragment="").geturl()
    # with no result, Enter opens the explorer with the words
    search(tab, http_root, "en", NOTHING)
    with tab.expect_navigation():
        tab.locator("[data-md-component=search-query]").press("Enter")
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    assert tab.input_value("#spm-q") == NOTHING
    check_clean(tab)


def test_block_is_out_of_reach_while_search_is_closed(http_root, tab):
    search(tab, http_root, "en", NOTHING)
    tab.keyboard.press("Escape")
    tab.wait_for_function("() => !document.getElementById('__search').checked")
    assert not tab.locator(".spm-search-more a").first.is_visible()


# ---------------------------------------------------------------------------------------------
# The count


def all_items(tab) -> int:
    """How many results the list holds once Material has rendered them all, as many as its count says."""
    total = tab.evaluate("document.querySelector('.md-search-result__meta').textContent.replace(/\\D/g, '')")
    render_search_results(tab, int(total or 0))
    return len(tab.query_selector_all(".md-search-result__item"))


COUNT_CASES = [
    ("en", "client"),
    ("en", "client protection"),
    ("en", "social performance management"),
    ("en", "client zzqxw"),
    ("en", "protecton"),
    ("en", "4a"),
    ("fr", "clients"),
    ("fr", "surendettement"),
    ("fr", "gestion de la performance sociale"),
    ("es", "proteccion"),
    ("pt", "cobranca"),
]


@pytest.mark.parametrize(("lang", "query"), COUNT_CASES, ids=[f"{lang}-{q}" for lang, q in COUNT_CASES])
def test_the_count_is_the_number_of_results_listed_in_the_pages_language(http_root, tab, lang, query):
    panel = search(tab, http_root, lang, query)
    listed = all_items(tab)
    none, one, other = COUNTS[lang]
    assert panel["count"] == (none if listed == 0 else one if listed == 1 else other.replace("#", str(listed)))
    assert tab.evaluate("document.documentElement.lang") == lang
    check_clean(tab)


@pytest.mark.parametrize(("lang", "shown"), [("en", "1,234 matching documents"), ("fr", "1\u202f234 documents trouvés")])
def test_a_count_from_a_thousand_is_written_whole(http_root, tab, lang, shown):
    """Material writes 1,234 results as "1.2k"; the page writes the number, as its language does."""
    search(tab, http_root, lang, NOTHING)
    tab.evaluate(
        """() => {
            // an answer of 1,234 results, as the page's worker would send it (lazy-search.js listens to it)
            const config = JSON.parse(document.getElementById("__config").textContent);
            const worker = new Worker(new URL(config.search, location.href));
            const items = Array.from({ length: 1234 }, () => []);
            worker.dispatchEvent(new MessageEvent("message", { data: { type: 3, data: { items } } }));
            worker.terminate();
        }"""
    )
    tab.wait_for_function("shown => document.querySelector('.md-search-result__meta').textContent === shown", arg=shown)


# ---------------------------------------------------------------------------------------------
# A phone's first screen


def shown_results(tab, height: int) -> list[dict]:
    """The results whose title and summary are wholly on the screen, with their boxes."""
    return tab.evaluate(
        """height => [...document.querySelectorAll(".md-search-result__item")].map(item => {
            const title = item.querySelector("article h1").getBoundingClientRect();
            const teaser = item.querySelector("article > p");
            const box = teaser ? teaser.getBoundingClientRect() : null;
            const wrap = document.querySelector(".md-search__scrollwrap").getBoundingClientRect();
            return {
                title: title.top >= wrap.top && title.bottom <= Math.min(height, wrap.bottom),
                teaser: !!box && box.height > 0 && box.top >= wrap.top && box.bottom <= Math.min(height, wrap.bottom),
                lines: box ? Math.round(box.height / parseFloat(getComputedStyle(teaser).lineHeight)) : 0,
                text: teaser ? teaser.textContent.length : 0,
            };
        }).filter(r => r.title && r.teaser)""",
        height,
    )


@pytest.mark.parametrize(("lang", "query"), [("en", "client"), ("fr", "clients"), ("es", "clientes"), ("pt", "clientes")])
def test_a_phone_shows_three_results_with_their_summaries_on_its_first_screen(root, tab, lang, query):
    tab.set_viewport_size(PHONE)
    panel = search(tab, root, lang, query)
    assert panel["items"] >= 10, panel  # a query with many results
    shown = shown_results(tab, PHONE["height"])
    assert len(shown) >= 3, shown
    assert all(r["lines"] >= 1 and r["text"] for r in shown), shown
    check_clean(tab)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_desktop_keeps_two_lines_of_summary(http_root, tab, lang):
    tab.set_viewport_size(DESKTOP)
    search(tab, http_root, lang, "client" if lang == "en" else "clients")
    shown = shown_results(tab, DESKTOP["height"])
    assert len(shown) >= 3 and max(r["lines"] for r in shown) == 2, shown


# ---------------------------------------------------------------------------------------------
# The same from a file:// bundle


def result_pages(tab, root: str, lang: str, query: str) -> list[str]:
    search(tab, root, lang, query)
    all_items(tab)
    hrefs = tab.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link:first-child", "links => links.map(a => a.getAttribute('href'))"
    )
    base = urlsplit(root).path.rstrip("/")  # the bundle's folder on file://, "" over http
    paths = [urlsplit(href).path.removeprefix(base) for href in hrefs]
    return [re.sub(r"(/index)?\.html$|/$", "", path) for path in paths]


@pytest.mark.parametrize(("lang", "query"), [("en", "client protection"), ("fr", "surendettement"), ("en", "spi4")])
def test_the_bundle_ranks_as_the_site(http_root, file_root, tab, lang, query):
    assert result_pages(tab, file_root, lang, query) == result_pages(tab, http_root, lang, query)


def test_the_bundle_narrows_by_every_word_and_opens_the_explorer_with_them(file_root, tab):
    counts = {}
    for query in ["client", "client protection", "client protection manual"]:
        search(tab, file_root, "en", query)
        counts[query] = all_items(tab)
    assert counts["client"] > counts["client protection"] > counts["client protection manual"] > 0, counts
    # no page has the words in English; the explorer holds every language's titles and summaries
    query = "herramienta"
    panel = search(tab, file_root, "en", query)
    if panel["items"]:
        pytest.fail(f"{query!r} has results in the English header search; pick words it lacks: {panel}")
    with tab.expect_navigation():
        tab.click("[data-spm-explore]")
    assert tab.url.startswith(explorer(file_root, "en"))
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    assert tab.input_value("#spm-q") == query
    assert not tab.is_checked("#__search")  # the explorer took the words; Material's search stays closed
    tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
    found = tab.locator("[data-results] > li").evaluate_all("items => items.map(li => li.dataset.id)")
    assert "cerise-spi4" in found, found
    check_clean(tab)


# ---------------------------------------------------------------------------------------------
# The worker's own queries at READY (workers/search-fold.js `warm`) never reach the page

COUNT_MESSAGES = """
(() => {
  const seen = (window.__spmMessages = { posted: 0, answered: 0, ready: false });
  const count = (Base) => {
    if (!Base) return Base;
    const Counted = function (url, options) {
      const worker = new Base(url, options);
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (message, ...rest) => {
        if (message && message.type === 2) seen.posted += 1; /* QUERY */
        return post(message, ...rest);
      };
      worker.addEventListener("message", (event) => {
        const message = event.data || {};
        if (message.type === 1) seen.ready = true; /* READY */
        if (message.type === 3) seen.answered += 1; /* RESULT */
      });
      return worker;
    };
    Counted.prototype = Base.prototype;
    return Counted;
  };
  /* From file://, Material puts iframe-worker's shim in Worker's place before lazy-search.js
   * wraps it: the shim is what is counted there, and lazy-search.js's wrapper left as it is */
  let current = count(window.Worker);
  let shimmed = location.protocol !== "file:";
  Object.defineProperty(window, "Worker", {
    configurable: true,
    get: () => current,
    set: (value) => {
      current = shimmed ? value : count(value);
      shimmed = true;
    },
  });
})();
"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_gets_one_answer_per_query_it_asks(root, tab, lang):
    """The worker asks itself two queries as the index comes in, so that the browser has compiled
    a keystroke's code before the first key: their answers are kept from the page. Answers come
    in the order asked, so once the reader's first query is answered, one of the worker's own
    would have been counted before it."""
    tab.add_init_script(COUNT_MESSAGES)
    tab.goto(home(root, lang))
    tab.locator('.md-header label[for="__search"]:visible, [data-md-component=search-query]:visible').first.click()
    tab.wait_for_function("window.__spmMessages.ready")
    type_query(tab, "client")
    tab.wait_for_function("(() => { const s = window.__spmMessages; return s.posted > 0 && s.answered >= s.posted; })()")
    tab.wait_for_selector(".md-search-result__item")
    seen = tab.evaluate("window.__spmMessages")
    assert seen["answered"] == seen["posted"], seen
    titles = tab.locator(".md-search-result__item h1").all_inner_texts()
    assert titles and all("client" in t.lower() or "cliente" in t.lower() for t in titles[:1]), titles
    # the first results have their words highlighted (the worker gives positions for the first 20)
    assert tab.locator(".md-search-result__item").first.locator("mark").count() > 0
    check_clean(tab)
