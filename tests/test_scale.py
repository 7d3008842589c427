"""Page weight at scale: each page carries only its own section's navigation, Material's chrome
without its indentation, and long lists as compact rows that link to the explorer."""

from __future__ import annotations

import os
import re

import pytest
from conftest import make_project, page, run_build

from spmlib.site.render import squeeze
from spmlib.site.view import COMPACT_AFTER

MANY = COMPACT_AFTER + 5  # resources on standard 4A: a long list


def _catalogue() -> str:
    lines = ["resources:"]
    for i in range(MANY):
        lines += [
            f"  - id: many-{i:03d}",
            "    type: guide",
            f"    title: {{en: Over-indebtedness note {i}, fr: Note sur le surendettement {i}}}",
            "    standards: [4A]",
            f"    year: {2000 + i % 20}",
            f'    links: [{{lang: en, url: "https://example.org/many-{i}.pdf"}}]',
        ]
    lines += [
        "  - id: lonely-pricing-tool",
        "    type: tool",
        "    title: {en: Pricing transparency tool}",
        "    standards: [4C]",
        '    links: [{lang: en, url: "https://example.org/pricing.xlsx"}]',
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def many_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("many") / "project", _catalogue())
    os.environ["SPM_ONLY_LANGUAGES"] = "en,fr"
    try:
        result = run_build(project)
    finally:
        del os.environ["SPM_ONLY_LANGUAGES"]
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def _nav_links(soup) -> list[str]:
    nav = soup.select_one(".md-sidebar--primary nav.md-nav--primary")
    return [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")]


def test_resource_pages_carry_the_sections_not_the_whole_tree(fixture_site):
    resource = _nav_links(page(fixture_site, "resources/smart-operations-tool/"))
    # every section is still there to open on a phone: the drawer is its only navigation
    for section in ("Home", "Dimensions", "Browse", "About the library"):
        assert any(section in text for text in resource), (section, resource)
    assert not any(re.match(r"\d[A-E]\. ", text) for text in resource), resource  # no standard of any dimension
    # a standard's page shows its own branch: the standards of its dimension
    standard = _nav_links(page(fixture_site, "standards/4a/"))
    assert any(text.startswith("4A.") for text in standard) and any(text.startswith("4C.") for text in standard), standard
    assert not any(text.startswith("1A.") for text in standard), standard


def test_header_and_sidebars_have_no_indentation(fixture_site):
    html = (fixture_site / "resources" / "smart-operations-tool" / "index.html").read_text(encoding="utf-8")
    header = html[html.index("<header") : html.index("</header>")]
    tabs = html[html.index('<nav class="md-tabs"') : html.index("</nav>", html.index('<nav class="md-tabs"'))]
    sidebars = html[html.index('<div class="md-sidebar md-sidebar--primary"') : html.index('<div class="md-content"')].rstrip()
    for part in (header, tabs, sidebars):
        assert not re.search(r"\s{2,}", part), part[:300]
    # and the same text as before squeezing
    soup = page(fixture_site, "resources/smart-operations-tool/")
    assert soup.select_one(".md-header__topic + .md-header__topic").get_text(strip=True) == "Smart Operations Tool"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<a>\n      <span>  Home  </span>\n</a>", "<a>\n<span> Home </span>\n</a>"),
        ("<li>a</li> <li>b</li>", "<li>a</li> <li>b</li>"),  # one space is kept: it may separate words
        ("<p>x\t\ty</p>", "<p>x y</p>"),
    ],
)
def test_squeeze_keeps_one_character_of_each_run(markup, expected):
    assert squeeze(markup) == expected


def test_long_lists_are_compact_rows_with_the_explorer_link(many_site):
    for lang, explore_text in (("en", "Filter, sort and search these resources"), ("fr", "Filtrer, trier et rechercher")):
        soup = page(many_site, ("" if lang == "en" else "fr/") + "standards/4a/")
        rows = soup.select("ul.spm-rows > li")
        assert len(rows) == MANY and not soup.select("ul.spm-cards")
        assert sorted(li["data-id"] for li in rows) == sorted(f"many-{i:03d}" for i in range(MANY))
        first = rows[0].select_one("a")
        assert first["href"].startswith("../../resources/many-") and first["href"].endswith("/")
        assert rows[0].select_one(".spm-row__meta").get_text(strip=True).split(" · ")[0] in ("Guide", "Guide pratique")
        link = soup.select_one(".spm-explore a")
        # the fragment: without JavaScript the explorer names this page (test_explorer_chips.py)
        assert explore_text in link.get_text() and link["href"] == "../../resources/?standard=4A#only-standard-4A"
        # the whole dimension's page is long too, the short list of 4C stays cards
        dimension = page(many_site, ("" if lang == "en" else "fr/") + "dimensions/4/")
        assert dimension.select_one(".spm-explore a")["href"] == "../../resources/?dimension=4#only-dimension-4"
        assert len(dimension.select("ul.spm-rows > li")) == MANY + 1
        short = page(many_site, ("" if lang == "en" else "fr/") + "standards/4c/")
        assert len(short.select("ul.spm-cards > li.spm-card")) == 1 and not short.select(".spm-explore")
    guides = page(many_site, "types/guide/")
    assert guides.select_one(".spm-explore a")["href"] == "../../resources/?type=guide#only-type-guide"
    assert len(guides.select("ul.spm-rows > li")) == MANY


def test_related_resources_are_rows_of_resources_sharing_a_standard_or_topic(fixture_site, taxonomy):
    from conftest import FIXTURES

    from spmlib.model.catalogue import load_catalogue

    catalogue = load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")
    tool = catalogue.by_id["smart-operations-tool"]
    soup = page(fixture_site, "resources/smart-operations-tool/")
    rows = soup.select("#related + ul.spm-rows > li")
    assert [li["data-id"] for li in rows] == [r.id for r in catalogue.related(tool)] and 0 < len(rows) <= 5
    for li in rows:
        other = catalogue.by_id[li["data-id"]]
        assert set(other.standards) & set(tool.standards) or set(other.topics) & set(tool.topics)
        assert li.select_one("a")["href"] == f"../{other.id}/"


def _closest_of_all(catalogue, resource, count=5):
    """Related resources the slow way: every resource that shares a standard or topic, scored."""
    scores = {}
    for other in catalogue.resources:
        if other.id != resource.id:
            score = 2 * len(set(other.standards) & set(resource.standards)) + len(set(other.topics) & set(resource.topics))
            if score:
                scores[other.id] = score
    rank = catalogue.newest_rank
    return sorted(scores, key=lambda rid: (-scores[rid], rank[rid]))[:count]


def test_related_looks_at_the_newest_of_each_standard_and_the_same_as_all_below_that(taxonomy, monkeypatch):
    from conftest import FIXTURES

    import spmlib.model.catalogue as catalogue_module

    catalogue = catalogue_module.load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")
    for resource in catalogue.resources:
        assert [r.id for r in catalogue.related(resource)] == _closest_of_all(catalogue, resource)
    # with a pool of one, only the newest resource of each shared standard or topic is a candidate
    monkeypatch.setattr(catalogue_module, "RELATED_POOL", 1)
    small = catalogue_module.load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")
    rank = small.newest_rank
    for resource in small.resources:
        newest = {
            min(members, key=lambda r: rank[r.id]).id for code in resource.standards for members in [small.by_standard[code]]
        }
        newest |= {min(small.by_topic[t], key=lambda r: rank[r.id]).id for t in resource.topics}
        assert {r.id for r in small.related(resource)} == newest - {resource.id}
