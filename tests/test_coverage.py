"""Issue 27: the coverage page and `make report` say where the library is thin, with the same figures.

The site is the fixture catalogue plus one entry whose links are only places to look, built with
a `make links` report beside it and a GitHub repository set (so the page has "propose one" links).
Every expected number below is worked out by hand from tests/fixtures/catalogue.yaml and EXTRA.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from conftest import FIXTURES, LANGUAGES, make_project, page, prefix, run_build, serve
from test_accessibility import AXE, axe_violations, described

from spmlib.__main__ import main
from spmlib.model.coverage import BROKEN_VERDICTS, read_link_report
from spmlib.site.coverage import bucket, propose_href

EXTRA = """
  - id: places-only-guide
    type: guide
    title:
      pt: Guia para encontrar
    summary:
      pt: Onde procurar o guia.
    standards: [5B, 4A]
    year: 2020
    added: 2024-03-01
    links:
      - {lang: pt, url: "https://example.org/", kind: place}
      - {lang: es, url: "https://example.com/", kind: place}
"""
REPORT = {
    "generated": "2026-11-30T08:00:00+00:00",
    "groups": [
        {"kind": "resource", "name": "smart-operations-tool", "links": [{"verdict": "ok"}, {"verdict": "broken"}]},
        {"kind": "resource", "name": "xss-probe", "links": [{"verdict": "dns"}]},
        {"kind": "resource", "name": "cobranza-con-dignidad", "links": [{"verdict": "forbidden"}]},
        {"kind": "resource", "name": "removed-since", "links": [{"verdict": "broken"}]},  # no longer in the catalogue
        {"kind": "page", "name": "docs/about.md", "links": [{"verdict": "broken"}]},
    ],
}
REPOSITORY = "https://github.com/example/library"

# (standard, en, fr, es, pt, any): smart-operations-tool (4A 4C; en ru ar), xss-probe (1A; en),
# surendettement-guide (4A; fr), places-only-guide (5B 4A; pt es); cobranza-con-dignidad is filed
# under dimension 4 only, so it counts in the last row alone (es).
EXPECTED = {
    "1A": (1, 0, 0, 0, 1),
    "4A": (1, 1, 1, 1, 3),
    "4C": (1, 0, 0, 0, 1),
    "5B": (0, 0, 1, 1, 1),
}
ALL = (2, 1, 2, 1, 5)
STANDARDS = 22
# titles and summaries written in each language, of 5 entries
TITLES = {"en": 2, "fr": 2, "es": 1, "pt": 1}


def expected_row(code: str) -> tuple[int, ...]:
    return EXPECTED.get(code, (0, 0, 0, 0, 0))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    text = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n" + EXTRA.lstrip("\n")
    directory = make_project(tmp_path_factory.mktemp("coverage") / "project", text, FIXTURES / "docs")
    (directory / "dist").mkdir()
    (directory / "dist" / "links.json").write_text(json.dumps(REPORT), encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def site(project) -> Path:
    result = run_build(project, env={"SPM_REPOSITORY": REPOSITORY})
    assert result.returncode == 0, result.stderr
    return project / "site"


def table(soup) -> dict[str, tuple[int, ...]]:
    """The heat map as {standard code or 'all': counts}, read from the numbers written in the cells."""
    rows = {}
    for tr in soup.select("table.spm-coverage__table tr"):
        cells = tr.find_all("td")
        if cells:
            code = tr.th.select_one(".spm-coverage__code")
            numbers = tuple(int(td.get_text(" ", strip=True).split()[0]) for td in cells)
            rows[code.get_text(strip=True) if code else "all"] = numbers
    return rows


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_table_counts_resources_per_standard_and_document_language(site, lang):
    soup = page(site, prefix(lang) + "coverage/")
    rows = table(soup)
    assert len(rows) == STANDARDS + 1
    assert {code: counts for code, counts in rows.items() if code != "all"} == {
        code: expected_row(code) for code in rows if code != "all"
    }
    assert rows["all"] == ALL
    body = soup.select_one("table.spm-coverage__table")
    assert body.caption.get_text(strip=True)
    assert [th["scope"] for th in body.thead.find_all("th")] == ["col"] * 6
    assert len(body.select("tbody th[scope=row]")) == STANDARDS
    assert len(body.select("th[scope=rowgroup]")) == 7


def test_each_number_has_its_shade_and_a_zero_opens_the_standards_call_for_help(site):
    soup = page(site, "coverage/")
    for td in soup.select("table.spm-coverage__table td"):
        count = int(td["data-count"])
        assert f"spm-heat-{bucket(count)}" in td["class"]
        link = td.a
        if count == 0:
            # nothing for the explorer to list: the standard's line under "Where help is wanted"
            gap = soup.select_one(link["href"])
            assert gap is not None and gap.name == "li" and link["href"] == f"#gap-{gap['data-standard']}"
            assert "propose" in gap.get_text(" ", strip=True).lower() or gap.a is not None
        else:
            assert link.get_text(" ", strip=True).startswith(str(count))
            assert link.select_one(".spm-visually-hidden").get_text(strip=True)  # "(4A, Spanish)" for screen readers
    assert [bucket(n) for n in (0, 1, 2, 3, 4, 40)] == [0, 1, 2, 2, 3, 3]
    legend = soup.select_one(".spm-coverage__legend")
    assert [span["class"][-1] for span in legend.select(".spm-heat")] == [f"spm-heat-{n}" for n in range(4)]


def test_each_cell_links_to_the_explorer_filtered_on_it(site):
    soup = page(site, "es/coverage/")
    links = {}
    for tr in soup.select("table.spm-coverage__table tr"):
        for td, lang in zip(tr.find_all("td"), [*LANGUAGES, None], strict=False):
            if td.a is not None and not td.a["href"].startswith("#gap-"):
                url = urlsplit(td.a["href"])
                assert url.path == "../resources/"
                links[(tr.th.get_text(" ", strip=True).split()[0], lang)] = parse_qs(url.query)
    assert links[("4A", "es")] == {"standard": ["4A"], "language": ["es"]}
    assert links[("4A", None)] == {"standard": ["4A"]}
    assert links[("Todos", "pt")] == {"language": ["pt"]}
    assert links[("Todos", None)] == {}
    assert len(links) == 17  # every number that is not 0


def test_where_help_is_wanted_with_a_prefilled_proposal(site):
    soup = page(site, "coverage/")
    gaps = {li["data-standard"]: li for li in soup.select(".spm-coverage__gaps li")}
    assert len(gaps) == STANDARDS - 1  # 4A has resources in every site language
    assert "4A" not in gaps
    assert gaps["5B"].get_text(" ", strip=True).startswith("5B nothing yet in English, French")
    assert "no resource yet" in gaps["6D"].get_text(" ", strip=True)
    proposal = urlsplit(gaps["5B"].find("a", rel="noopener")["href"])
    assert proposal.netloc == "github.com" and proposal.path == "/example/library/issues/new"
    assert parse_qs(proposal.query) == {"template": ["propose-a-resource.yml"], "standards": ["5B"]}
    assert propose_href("https://forms.example.org/x?a=1", "5B") == "https://forms.example.org/x?a=1"
    assert propose_href(None, "5B") is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translation_progress_per_language(site, lang):
    rows = page(site, prefix(lang) + "coverage/").select(".spm-coverage__progress tbody tr")
    assert [tr["data-language"] for tr in rows] == LANGUAGES
    for tr in rows:
        titles, summaries, taxonomy, interface = tr.find_all("td")
        code = tr["data-language"]
        assert (int(titles["data-done"]), int(titles["data-total"])) == (TITLES[code], 5)
        assert (int(summaries["data-done"]), int(summaries["data-total"])) == (TITLES[code], 5)
        assert f"{100 * TITLES[code] // 5}" in titles.select_one(".spm-bar__percent").get_text()
        for part in (taxonomy, interface):
            done, total = int(part["data-done"]), int(part["data-total"])
            assert 0 < done <= total and (done == total) == (code == "en")


def test_entries_to_complete_with_broken_links_from_the_report(site):
    soup = page(site, "coverage/")
    counts = {li["data-list"]: li for li in soup.select(".spm-coverage__counts li")}
    assert {name: int(li.select_one("[data-count]")["data-count"]) for name, li in counts.items()} == {
        "places": 1,
        "undated": 2,
        "broken": 2,
    }
    assert "2026-11-30" in counts["broken"].get_text()
    listed = {name: [li["data-id"] for li in soup.select_one(f"#list-{name}").find_next("ul").find_all("li")] for name in counts}
    assert listed == {
        "places": ["places-only-guide"],
        "undated": ["cobranza-con-dignidad", "xss-probe"],
        "broken": ["smart-operations-tool", "xss-probe"],
    }
    # the number opens the explorer filtered on it (checked in Chromium below); the list stays, below
    assert {name: li.a["href"] for name, li in counts.items()} == {
        "places": "../resources/?link=place",
        "undated": "../resources/?date=undated",
        "broken": "../resources/?check=broken",
    }
    assert counts["undated"].select_one("a.spm-coverage__below")["href"] == "#list-undated"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_is_under_browse_and_linked_from_about(site, lang):
    about = page(site, prefix(lang) + "about/")
    assert about.select_one("#coverage").find_next("a")["href"] == "../coverage/"
    topics = page(site, prefix(lang) + "topics/")  # a page of Browse: its section of the navigation lists the others
    assert any(a["href"] == "../coverage/" for a in topics.select("nav.md-nav a[href]"))


def test_the_report_prints_the_same_figures(project, capsys):
    args = ["report", "-f", str(project / "mkdocs.yml"), "--catalogue", str(project / "resources.yaml")]
    assert main([*args, "--links-report", str(project / "dist" / "links.json"), "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    words = [line.split() for line in out]
    rows = {row[0]: tuple(int(n) for n in row[1:]) for row in words if row[:1] and row[0] in EXPECTED}
    assert rows == EXPECTED
    assert next(line for line in out if line.startswith("all ")).split()[1:] == [str(n) for n in ALL]
    assert "only places to look: 1" in out and "without a year: 2" in out
    assert "with a broken link (link check of 2026-11-30): 2" in out
    assert any(line.strip().endswith("places-only-guide") and "resources.yaml:" in line for line in out)
    assert main([*args, "--links-report", str(project / "nothing.json"), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "| 4A | 1 | 1 | 1 | 1 | 3 |" in markdown
    assert "with a broken link: no link report" in markdown


BAD_REPORTS = [
    (b"{not json", "is not JSON"),
    (b"\xff\xfe", "cannot be read"),
    (b"[]", "is not a JSON object"),
    (json.dumps({"groups": []}).encode(), "no 'generated' date"),
    (json.dumps({"generated": "yesterday", "groups": []}).encode(), "no 'generated' date"),
    (json.dumps({"generated": "2026-11-30", "groups": {}}).encode(), "no list of 'groups'"),
    (json.dumps({"generated": "2026-11-30", "groups": [{"kind": "resource", "name": "x"}]}).encode(), "without a list"),
    (json.dumps({"generated": "2026-11-30", "groups": [{"links": []}]}).encode(), "without a 'kind'"),
    (json.dumps({"generated": "2026-11-30", "groups": [{"kind": "resource", "name": "x", "links": [{}]}]}).encode(), "verdict"),
    (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
]


@pytest.mark.parametrize(("content", "why"), BAD_REPORTS, ids=[why for _, why in BAD_REPORTS])
def test_a_malformed_link_report_is_ignored_with_a_warning(tmp_path, content, why):
    path = tmp_path / "links.json"
    path.write_bytes(content)
    health, warning = read_link_report(path)
    assert health is None
    assert warning.startswith(f"{path}: warning: the link report is ignored") and why in warning


def test_the_report_goes_on_without_a_malformed_link_report(project, tmp_path, capsys):
    bad = tmp_path / "links.json"
    bad.write_text('{"generated": "2026-11-30", "groups": "all fine"}', encoding="utf-8")
    args = ["report", "-f", str(project / "mkdocs.yml"), "--catalogue", str(project / "resources.yaml")]
    assert main([*args, "--links-report", str(bad)]) == 0
    captured = capsys.readouterr()
    assert "the link report is ignored" in captured.err
    assert "with a broken link: no link report" in captured.out


def test_no_report_is_no_warning_and_the_verdicts_are_those_of_the_link_check(tmp_path):
    from spmlib.outputs.links import DEFINITE

    assert read_link_report(tmp_path / "none.json") == (None, None)
    assert BROKEN_VERDICTS == DEFINITE


# ---- in Chromium ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as url:
        yield url


@pytest.mark.browser
def test_every_linked_number_opens_the_explorer_with_as_many_results(server, tab):
    tab.goto(server + "fr/coverage/")
    links = tab.locator("table.spm-coverage__table td a:not([href^='#gap-'])").evaluate_all(
        "links => links.map(a => [a.href, Number(a.closest('td').dataset.count)])"
    )
    assert len(links) == 17  # every number that is not 0; a 0 opens its standard's call for help
    for href, number in links:
        assert href.startswith(urljoin(server, "fr/resources/"))
        tab.goto(href)
        tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
        assert int(tab.locator("[data-explorer] [data-count]").inner_text()) == number, href
        assert tab.locator("[data-results] > li").count() == number, href
    assert tab.errors == [] and tab.outside == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_every_count_of_entries_to_complete_opens_the_explorer_with_as_many_results(server, tab, lang):
    tab.goto(server + prefix(lang) + "coverage/")
    links = tab.locator(".spm-coverage__counts a:not(.spm-coverage__below)").evaluate_all(
        "links => links.map(a => [a.href, Number(a.closest('li').querySelector('[data-count]').dataset.count)])"
    )
    assert [urlsplit(href).query for href, _ in links] == ["link=place", "date=undated", "check=broken"]
    for href, number in links:
        tab.goto(href)
        tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
        assert int(tab.locator("[data-explorer] [data-count]").inner_text()) == number, href
        assert tab.locator("[data-results] > li").count() == number, href
        # the filter is on in sight: its facet is open with its one option ticked
        assert tab.locator(".spm-facet[open] input:checked").count() == 1, href
    assert tab.errors == [] and tab.outside == []


@pytest.mark.browser
@pytest.mark.skipif(not AXE.is_file(), reason="run `make install-dev` to install axe-core")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_accessibility_violations(server, tab, lang):
    tab.goto(server + prefix(lang) + "coverage/")
    tab.wait_for_load_state("load")
    violations = axe_violations(tab)
    assert violations == [], described(violations)


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_table_scrolls_inside_its_frame_on_a_phone(server, browser, width):
    """The page never scrolls sideways; on a phone the table does, with the standards' column held."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    tab = context.new_page()
    tab.goto(server + "es/coverage/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    frame = tab.locator("div.spm-coverage").first
    if width == 390:
        assert frame.evaluate("d => d.scrollWidth > d.clientWidth")
        assert tab.locator(".spm-coverage__scroll").is_visible()
        frame.evaluate("d => d.scrollLeft = d.scrollWidth")
        header = tab.locator("table.spm-coverage__table tbody th[scope=row]").first.bounding_box()
        assert header["x"] >= 0  # held in place while the numbers scroll under it
    else:
        assert not tab.locator(".spm-coverage__scroll").is_visible()
    context.close()


def test_a_strict_build_goes_on_without_a_malformed_link_report(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    (project / "dist").mkdir()
    (project / "dist" / "links.json").write_text("{cut short", encoding="utf-8")
    result = run_build(project, env={"SPM_ONLY_LANGUAGES": "en"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("the link report is ignored") == 1
    soup = page(project / "site", "coverage/")
    assert [li["data-list"] for li in soup.select(".spm-coverage__counts li")] == ["places", "undated"]
