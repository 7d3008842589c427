"""The explorer past its first page: the no-JavaScript list in linked pages, and with JavaScript
the filters and keywords over every entry, from data loaded on demand (http and file://)."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urljoin

import pytest
from conftest import make_project, page, run_build, serve

from spmlib.model.catalogue import load_catalogue
from spmlib.site.explorer import CHUNK_SIZE, LIST_PAGE_SIZE

ENTRIES = 2 * LIST_PAGE_SIZE + 50  # three pages of the list
# The three oldest entries (so on the last page), the only ones in Kenya and the only ones whose
# organization, which no card shows, has the word "quetzal".
OLDEST = {5: 1995, 17: 1996, 33: 1997}


def _entry(i: int) -> str:
    year = OLDEST.get(i, 2000 + i % 20)
    extra = '    countries: [KE]\n    organization: "Quetzal test network"\n' if i in OLDEST else ""
    return f"""\
  - id: entry-{i:03d}
    type: {"tool" if i % 2 else "guide"}
    title: {{en: "Entry number {i:03d}"}}
    summary: {{en: "Summary of entry {i:03d}."}}
    standards: [{"4A" if i % 3 else "2B"}]
    year: {year}
    links: [{{lang: en, url: "https://example.org/{i}.pdf"}}]
{extra}"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    catalogue = "resources:\n" + "".join(_entry(i) for i in range(ENTRIES))
    project = make_project(tmp_path_factory.mktemp("pages") / "project", catalogue)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("docs_structure: suffix", "docs_structure: suffix\n      build_only_locale: en")
    )
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def site(project):
    return project / "site"


@pytest.fixture(scope="module")
def newest(project, taxonomy) -> list[str]:
    catalogue = load_catalogue(project / "resources.yaml", taxonomy, project / "docs")
    return [r.id for r in catalogue.newest()]


def _card_ids(soup) -> list[str]:
    return [li["data-id"] for li in soup.select("ul.spm-cards > li.spm-card, [data-results] > li.spm-card")]


def _nav(soup):
    navs = soup.select("nav.spm-pages")
    assert len(navs) == 1
    return navs[0]


def test_without_javascript_the_pages_link_to_each_other_and_list_every_entry_once(site, newest):
    first = "resources/"
    seen: dict[str, list[str]] = {}
    waiting = [first]
    while waiting:  # every page reachable from the first by its links
        path = waiting.pop()
        if path in seen:
            continue
        soup = page(site, path)
        seen[path] = _card_ids(soup)
        nav = _nav(soup)
        assert nav["aria-label"] == "Pages of the list"
        for link in nav.select("a[href]"):
            target = urljoin("/" + path, link["href"]).lstrip("/")
            assert (site / target / "index.html").is_file(), target
            waiting.append(target)
    assert sorted(seen) == ["resources/", "resources/page/2/", "resources/page/3/"]
    counts = Counter(rid for ids in seen.values() for rid in ids)
    assert len(counts) == ENTRIES and set(counts.values()) == {1}
    # newest first across the pages, LIST_PAGE_SIZE a page
    in_order = seen["resources/"] + seen["resources/page/2/"] + seen["resources/page/3/"]
    assert in_order == newest
    assert [len(seen[p]) for p in sorted(seen)] == [LIST_PAGE_SIZE, LIST_PAGE_SIZE, ENTRIES - 2 * LIST_PAGE_SIZE]
    assert in_order[-3:] == ["entry-033", "entry-017", "entry-005"]


@pytest.mark.parametrize(
    ("path", "previous", "next_", "current"),
    [
        ("resources/", None, "page/2/", "1"),
        ("resources/page/2/", "../../", "../3/", "2"),
        ("resources/page/3/", "../2/", None, "3"),
    ],
)
def test_each_page_has_previous_next_and_numbers(site, path, previous, next_, current):
    nav = _nav(page(site, path))
    prev_link, next_link = nav.select_one('a[rel="prev"]'), nav.select_one('a[rel="next"]')
    assert (prev_link["href"] if prev_link else None) == previous
    assert (next_link["href"] if next_link else None) == next_
    numbers = nav.select("a.spm-pages__number")
    assert [a.get_text() for a in numbers] == ["1", "2", "3"]
    assert [a.get("aria-label") for a in numbers] == ["Page 1", "Page 2", "Page 3"]
    (here,) = nav.select('[aria-current="page"]')
    assert here.get_text() == current and not here.has_attr("href")
    first = (int(current) - 1) * LIST_PAGE_SIZE + 1
    assert nav.select_one(".spm-pages__range").get_text().startswith(f"Resources {first} to ")


def test_further_pages_are_titled_outside_the_navigation_and_the_search(site):
    soup = page(site, "resources/page/2/")
    assert soup.find("h1").get_text() == "All resources, page 2 of 3"
    assert soup.title.get_text().startswith("All resources, page 2 of 3")
    assert not soup.select('.md-nav a[href*="page/"]')  # the drawer lists the explorer only
    # a link back to the filters, shown to readers with JavaScript
    back = soup.select_one("p.spm-js-only a")
    assert back["href"] == "../../"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if "page/" in d["location"]]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/resources/page/2/</loc>" in sitemap and "/resources/page/3/</loc>" in sitemap


def test_first_view_holds_the_index_and_the_rest_comes_in_parts(site, newest):
    """What the browser tests below find past the first page is not in what the page loads at start."""
    folder = site / "resources"
    first_view = (folder / "index.html").read_text(encoding="utf-8") + (folder / "explorer-data.js").read_text(encoding="utf-8")
    assert "quetzal" not in first_view.lower() and "Entry number 005" not in first_view
    parts = folder / "explorer-data"
    cards = [f"cards-{n}.js" for n in range((ENTRIES - 1) // CHUNK_SIZE + 1)]
    assert sorted(p.name for p in parts.iterdir()) == [*cards, "keys-0.js", "order-0.js", "words-0.js"]
    assert "quetzal" in (parts / "keys-0.js").read_text(encoding="utf-8")  # the organisation, a key entries share
    last = newest.index("entry-005") // CHUNK_SIZE
    assert '"entry-005","Entry number 005"' in (parts / f"cards-{last}.js").read_text(encoding="utf-8")


# ---- with JavaScript -------------------------------------------------------------------------


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda msg: msg.type == "error" and tab.errors.append(msg.text))
    yield tab
    context.close()


def _settled(tab) -> list[str]:
    tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
    return tab.locator("[data-results] > li").evaluate_all("items => items.map(li => li.dataset.id)")


def _count(tab) -> int:
    return int(tab.locator("[data-explorer] [data-count]").inner_text())


def _address(site, server: str | None) -> str:
    return server + "resources/" if server else (site / "resources" / "index.html").as_uri()


@pytest.mark.browser
@pytest.mark.parametrize("over", ["http", "file"])
def test_with_javascript_facets_and_keywords_reach_past_the_first_page(site, phone, over):
    with serve(site) as server:
        address = _address(site, server if over == "http" else None)
        phone.goto(address)
        phone.wait_for_selector("[data-explorer] form:not([hidden])")
        assert _count(phone) == ENTRIES
        assert not phone.locator("nav.spm-pages").is_visible()  # the explorer pages the results itself
        # a facet only entries of the last page have: their cards come from data loaded on demand
        phone.goto(address + "?country=KE")
        assert _settled(phone) == ["entry-033", "entry-017", "entry-005"]
        assert _count(phone) == 3
        first = phone.locator('[data-results] > li[data-id="entry-017"] a.spm-card__title')
        assert first.inner_text() == "Entry number 017"
        assert first.get_attribute("href") == "entry-017/"
        assert phone.locator('[data-results] > li[data-id="entry-017"] .spm-card__year').inner_text() == "1996"
        # a keyword that is only in the keyword text, which comes at the first use of the box
        phone.goto(address)
        phone.wait_for_selector("[data-explorer] form:not([hidden])")
        phone.locator("#spm-q").press_sequentially("quetzal")
        assert _settled(phone) == ["entry-033", "entry-017", "entry-005"]
        assert _count(phone) == 3
        # and the facets count across the whole catalogue with the keyword
        phone.locator("[data-toggle]").click()
        phone.locator('details[data-facet="type"] > summary').click()
        tool = phone.locator('input[name="type"][value="tool"] ~ [data-facet-count]').inner_text()
        guide = phone.locator('input[name="type"][value="guide"] ~ [data-facet-count]').inner_text()
        assert (tool, guide) == ("3", "0")  # 5, 17 and 33 are odd
        # from file://, a site built for the web has no search index that file:// pages can load
        assert [e for e in phone.errors if over == "http" or "explorer" in e] == []


@pytest.mark.browser
def test_show_more_goes_past_the_first_page_in_order(site, phone, newest):
    with serve(site) as server:
        phone.goto(server + "resources/?sort=title")
        assert _settled(phone)[:2] == ["entry-000", "entry-001"]
        phone.goto(server + "resources/")
        assert _settled(phone) == newest[:50]
        more = phone.get_by_role("button", name="Show more")
        more.click()
        more.click()
        assert _settled(phone) == newest[:150]  # the third fifty from the second part of the data
        assert phone.evaluate("document.activeElement.closest('li').dataset.id") == newest[100]
        assert phone.errors == []


@pytest.mark.browser
def test_a_part_that_did_not_come_is_asked_for_again(site, phone):
    """On a dropped connection the list says it is loading, and the reader's next action tries again."""
    refused = []

    def once(route):
        if not refused:
            refused.append(route.request.url)
            return route.abort()
        return route.continue_()

    with serve(site) as server:
        last = f"cards-{(ENTRIES - 1) // CHUNK_SIZE}.js"  # the oldest entries' cards
        phone.route(f"**/explorer-data/{last}", once)
        with phone.expect_event("requestfailed", lambda request: request.url.endswith("/" + last)):
            phone.goto(server + "resources/?country=KE")
        # the page has given the refused part up (its script is gone), and still says it is loading
        phone.wait_for_function(
            """last => document.querySelector('[data-results]').getAttribute('aria-busy') === 'true'
                && !document.querySelector('script[src$="/' + last + '"]')""",
            arg=last,
        )
        assert refused and phone.locator("[data-loading]").is_visible()
        phone.locator("#spm-q").fill("x")  # any action of the reader
        phone.locator("#spm-q").fill("")
        assert _settled(phone) == ["entry-033", "entry-017", "entry-005"]
        assert not phone.locator("[data-loading]").is_visible()


# Counts the changes to the results list's children once the page is parsed (the parser's own
# insertions are changes too; deferred scripts and the explorer's start come after).
_WATCH_LIST = """
window.__listChanges = 0;
document.addEventListener("readystatechange", function () {
  if (document.readyState === "interactive") window.__listChanges = 0;
}, true);
new MutationObserver(function (records) {
  records.forEach(function (r) { if (r.target.matches && r.target.matches("[data-results]")) window.__listChanges++; });
}).observe(document, { childList: true, subtree: true });
"""


@pytest.mark.browser
def test_the_explorer_leaves_the_pages_own_first_list_as_it_came(site, browser, newest):
    """Its first fifty are the page's own cards: moving them out and back costs a phone a second
    layout of the list at load. A filter does change the list (the observer does see changes)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.add_init_script(_WATCH_LIST)
    try:
        with serve(site) as server:
            tab.goto(server + "resources/")
            tab.wait_for_function("window.spmExplorer && typeof window.spmExplorer.update === 'function'")
            assert _settled(tab) == newest[:LIST_PAGE_SIZE]
            assert tab.evaluate("window.__listChanges") == 0
            tab.goto(server + "resources/?country=KE")
            tab.wait_for_function("window.spmExplorer && typeof window.spmExplorer.update === 'function'")
            assert _settled(tab) == ["entry-033", "entry-017", "entry-005"]
            assert tab.evaluate("window.__listChanges") > 0
    finally:
        context.close()
