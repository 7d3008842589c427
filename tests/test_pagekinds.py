"""The page plan, the navigation, the page digests and every page kind's output, without a build."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT

from spmlib.model.catalogue import load_catalogue
from spmlib.model.subset import Subset
from spmlib.site import pagekinds
from spmlib.site.pagekinds import KINDS, PageKind, PageSpec, PlanInput, generated, nav_tree, page_fingerprints, plan_pages, render
from spmlib.site.render import make_environment
from spmlib.site.view import View

TEMPLATES = ROOT / "overrides" / "spm"


@pytest.fixture(scope="module")
def catalogue(taxonomy):
    return load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")


def keys(plan: list[PageSpec]) -> list[str]:
    return [spec.key for spec in plan]


def test_plan_puts_each_page_after_its_parent(catalogue):
    plan = plan_pages(catalogue, "fr")
    order = keys(plan)
    assert order[:4] == ["home", "dimensions", "dimension:1", "standard:1A"]
    for spec in plan:
        if spec.parent is not None:
            assert order.index(spec.parent) < order.index(spec.key), spec.key
    # standards follow their own dimension, not all the dimensions
    assert order.index("standard:1B") < order.index("dimension:2") < order.index("standard:2A")
    # topic pages come right after the topic index, out of the navigation
    topics = order.index("topics")
    assert order[topics + 1 : topics + 4] == ["topic:client-protection", "topic:collections", "topic:over-indebtedness"]
    assert not any(spec.in_nav for spec in plan if spec.kind in ("topic", "resource"))
    assert [k for k in order if k.startswith("resource:")] == [f"resource:{r.id}" for r in catalogue.resources]
    assert len(order) == len(set(order))


def test_titles_are_in_the_page_language(catalogue):
    plan = {spec.key: spec for spec in plan_pages(catalogue, "fr")}
    assert plan["standard:4A"].title.startswith("4A. ")
    assert plan["resource:smart-operations-tool"].title == "Outil Smart Operations"
    assert plan["resource:cobranza-con-dignidad"].title == "Nota SMART: Cobranza con dignidad en FinComún"  # fallback
    assert plan["home"].title == catalogue.taxonomy.label("home", "fr")


def test_bundle_page_and_subset(catalogue):
    assert "bundle" not in keys(plan_pages(catalogue, "en"))
    part = Subset(dimensions=frozenset({4})).apply(catalogue)
    plan = plan_pages(part, "en", bundle={"name": "x"})
    order = keys(plan)
    assert order[-1] == "bundle" and plan[-1].subject == {"name": "x"}
    assert [k for k in order if k.startswith("dimension:")] == ["dimension:4"]
    assert {k for k in order if k.startswith("standard:")} == {f"standard:4{c}" for c in "ABCDE"} & set(order)
    assert "resource:xss-probe" not in order  # a 1A resource


def test_generated_leaves_out_sections_and_hand_written_pages(catalogue):
    plan = plan_pages(catalogue, "en")
    made = {spec.key for spec in generated(plan)}
    assert {"home", "about", "browse"}.isdisjoint(made)
    assert {"dimensions", "all", "topics", "resource:xss-probe"} <= made


def test_nav_tree(catalogue):
    plan = plan_pages(catalogue, "en")
    src = {spec.key: spec.path for spec in generated(plan)} | {"home": "index.md", "about": "about.md"}
    nav = nav_tree(plan, src.get)
    label = catalogue.taxonomy.label
    assert nav[0] == {label("home", "en"): "index.md"}
    dims = nav[1][label("dimensions", "en")]
    assert dims[0] == "dimensions/index.md"
    assert len(dims) == 8
    first = dims[1]
    (title, children), *_ = first.items()
    assert title.startswith("1. ") and children[0] == "dimensions/1/index.md"
    assert [next(iter(c)) for c in children[1:]] == [f"1{c}. " + catalogue.taxonomy.standards[f"1{c}"].name["en"] for c in "AB"]
    browse = nav[2][label("browse", "en")]
    assert browse[0] == {label("all_resources", "en"): "resources/index.md"}
    types = browse[1][label("types", "en")]
    assert types[0] == "types/index.md" and len(types) == 1 + len(catalogue.taxonomy.types)
    assert browse[2] == {label("topics", "en"): "topics/index.md"}
    assert browse[3] == {label("coverage", "en"): "coverage.md"}
    assert nav[3] == "about.md"  # listed by URI: MkDocs shows the page's own heading
    assert nav[4] == {label("offline_title", "en"): "offline/index.md"}
    assert len(nav) == 5


def test_nav_tree_drops_pages_that_are_not_there(catalogue):
    plan = plan_pages(catalogue, "en")
    src = {spec.key: spec.path for spec in generated(plan)}  # no home, no about
    nav = nav_tree(plan, src.get)
    assert len(nav) == 3 and all(isinstance(item, dict) for item in nav)  # dimensions, browse, offline


def test_fingerprints_change_only_for_the_pages_an_edit_shows(catalogue):
    plan = plan_pages(catalogue, "en")
    before = page_fingerprints(plan, catalogue, "salt")
    edited = dataclasses.replace(catalogue.resources[0], title={"en": "Smart Operations Toolkit"})
    after_catalogue = dataclasses.replace(catalogue, resources=[edited, *catalogue.resources[1:]])
    after = page_fingerprints(plan_pages(after_catalogue, "en"), after_catalogue, "salt")
    changed = {key for key in before if before[key] != after[key]}
    assert {"resource:smart-operations-tool", "standard:4A", "standard:4C", "dimension:4", "type:tool"} <= changed
    assert {"topic:client-protection", "all", "home"} <= changed
    assert {"resource:xss-probe", "standard:1A", "dimension:1", "type:guide", "topic:collections"}.isdisjoint(changed)
    assert page_fingerprints(plan, catalogue, "other salt")["standard:1A"] != before["standard:1A"]


def _soup(spec: PageSpec, catalogue, lang: str, kinds=KINDS, templates: Path = TEMPLATES) -> BeautifulSoup:
    view = View(catalogue, lang, lambda key: f"#{key}")
    return BeautifulSoup(render(spec, view, make_environment(templates), kinds), "html.parser")


@pytest.mark.parametrize("kind", [k.name for k in KINDS if k.template is not None])
def test_every_kind_renders_escaped_text(catalogue, kind):
    """Each kind's context fills its template; catalogue text arrives as text, never as markup."""
    if kind == "all-page":  # the explorer's list has a second page past LIST_PAGE_SIZE entries
        copies = [dataclasses.replace(r, id=f"{r.id}-{n}") for n in range(30) for r in catalogue.resources]
        catalogue = dataclasses.replace(catalogue, resources=copies)
    bundle = None if kind == "coverage" else _BUNDLE  # a bundle has no coverage page (it holds part of the library)
    plan = [spec for spec in plan_pages(catalogue, "en", bundle=bundle) if spec.kind == kind]
    assert plan, kind
    for spec in plan:
        soup = _soup(spec, catalogue, "en")
        assert soup.find("script", src=False) is None and soup.find("img") is None, spec.key
        assert not soup.select("[onerror]"), spec.key
        if kind not in ("home", "about"):  # hand-written pages: their heading is docs/'s
            assert soup.find("h1") is not None, spec.key


_BUNDLE = {
    "name": "b",
    "date": "2024-01-01",
    "languages": ["en"],
    "subset": {"dimensions": [4], "standards": [], "types": [], "topics": []},
    "resources": 2,
    "documents": [],
    "missing": [],
}


def test_kind_contexts_show_their_subject(catalogue):
    plan = {spec.key: spec for spec in plan_pages(catalogue, "en", bundle=_BUNDLE)}
    standard = _soup(plan["standard:4A"], catalogue, "en")
    assert {a["href"] for a in standard.select("a[href^='#resource:']")} >= {
        "#resource:smart-operations-tool",
        "#resource:surendettement-guide",
    }
    topic = _soup(plan["topic:collections"], catalogue, "en")
    assert [a["href"] for a in topic.select("a[href^='#resource:']")] == ["#resource:cobranza-con-dignidad"]
    types = _soup(plan["types"], catalogue, "en")
    assert len(types.select("ul.spm-index li")) == len(catalogue.taxonomy.types)
    resource = _soup(plan["resource:xss-probe"], catalogue, "en")
    assert "<script>alert('title')</script>" in resource.find("h1").get_text()
    bundle = _soup(plan["bundle"], catalogue, "en")
    assert bundle.find("time")["datetime"] == "2024-01-01"


def test_a_new_kind_is_one_declaration_and_one_template(catalogue, tmp_path):
    """A page per organisation planned and rendered without a build (tests/test_recipes.py builds README's recipe)."""
    (tmp_path / "organisation.html").write_text(
        '<h1 id="org">{{ title }}</h1><ul>{% for r in resources %}<li>{{ v.text(r, "title").text }}</li>{% endfor %}</ul>',
        encoding="utf-8",
    )

    def organisations(site: PlanInput) -> Iterator[PageSpec[str]]:
        for name in sorted({r.organization for r in site.catalogue.resources if r.organization}):
            slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
            yield PageSpec(f"organisation:{slug}", f"organisations/{slug}.md", "organisation", name, name, True, "browse")

    kind = PageKind(
        "organisation",
        organisations,
        "organisation.html",
        lambda spec, view: {
            "v": view,
            "title": spec.title,
            "resources": [r for r in view.catalogue.resources if r.organization == spec.subject],
        },
        lambda spec, catalogue: [r for r in catalogue.resources if r.organization == spec.subject],
    )
    kinds = (*KINDS, kind)
    plan = plan_pages(catalogue, "en", kinds=kinds)
    spec = next(s for s in plan if s.key == "organisation:smart-campaign")
    nav = nav_tree(plan, {s.key: s.path for s in generated(plan, kinds)}.get)
    browse = next(item for item in nav if isinstance(item, dict) and catalogue.taxonomy.label("browse", "en") in item)
    assert {"Smart Campaign": "organisations/smart-campaign.md"} in next(iter(browse.values()))
    assert page_fingerprints(plan, catalogue, "", kinds)[spec.key]
    soup = _soup(spec, catalogue, "en", kinds, tmp_path)
    assert soup.find("h1").get_text() == "Smart Campaign"
    assert [li.get_text() for li in soup.find_all("li")] == ["Smart Operations Tool"]
    assert pagekinds.by_name(kinds)["organisation"] is kind
