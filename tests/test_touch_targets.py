"""Every control is at least 44x44 CSS px on a phone (390x844), on every kind of page, in English and French.

Two checks. A measure of every visible control's box (tests/tools/touch_targets.js): links,
buttons, form fields, the labels of checkboxes, summaries, Material's header buttons, with the
parts that open (navigation drawer, language list, search, the explorer's filters) opened
first; offenders are listed by where they are. Links inside running text are left out: WCAG
2.5.8's inline exception, their size is the sentence's. And axe-core's `target-size` rule
(WCAG 2.2's 24 px, and 44 px), which also lets a small target pass with that much space around
it, and judges targets that overlap.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import prefix, serve
from test_accessibility import AXE, described
from test_accessibility import PAGES as CHECKED_PAGES

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SIZE = 44  # CSS px, WCAG 2.5.5 (AAA) and Apple's and Google's guidance for fingers
MEASURE = (Path(__file__).resolve().parent / "tools" / "touch_targets.js").read_text(encoding="utf-8")
# every kind of page: those axe checks, and the listings, indexes, About and coverage pages
PAGES = [p for p in CHECKED_PAGES if "?" not in p] + ["types/tool/", "topics/", "dimensions/", "about/", "coverage/"]


@pytest.fixture(scope="module")
def server(fixture_site):
    with serve(fixture_site) as url:
        yield url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def small_targets(tab) -> list[str]:
    return tab.evaluate(MEASURE, SIZE)


def settled_position(tab, selector: str) -> None:
    """Wait until what `selector` finds stands still on the screen (a drawer's slide is over)."""
    tab.wait_for_function(
        """selector => {
            const el = document.querySelector(selector);
            const r = el && el.getBoundingClientRect();
            if (!r || r.width === 0) return false;
            const now = [r.left, r.top, getComputedStyle(el).opacity].join();
            const same = el.dataset.lastSeen === now;
            el.dataset.lastSeen = now;
            return same;
        }""",
        arg=selector,
        polling=100,
    )


def opened(tab) -> dict[str, list[str]]:
    """The small targets of the parts of the header that open, each opened in turn: the same on
    every page of a language, so measured on one."""
    found = {}
    # the language list, which opens on focus
    tab.focus(".md-select button")
    settled_position(tab, ".md-select__inner")
    found["languages"] = small_targets(tab)
    tab.evaluate("document.activeElement.blur()")
    # the navigation drawer, with the current page's section open
    tab.click('label.md-header__button[for="__drawer"]')
    settled_position(tab, ".md-sidebar--primary .md-nav__link")
    found["navigation"] = small_targets(tab)
    tab.evaluate("document.getElementById('__drawer').click()")
    # search, open
    tab.click('label.md-header__button[for="__search"]')
    settled_position(tab, ".md-search__inner")
    found["search"] = small_targets(tab)
    return found


def listed(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{part}: {line}" for part, small in found.items() for line in small)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_every_control_is_big_enough_for_a_finger(server, phone, lang, path):
    phone.goto(server + prefix(lang) + path)
    phone.wait_for_load_state("load")
    found = {"page": small_targets(phone)}
    if path == "resources/":
        # the explorer's filter drawer, every facet open
        phone.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
        phone.click("[data-toggle]")
        phone.wait_for_selector("[data-panel].is-open")
        phone.evaluate("document.querySelectorAll('[data-panel] details').forEach(d => d.open = true)")
        found["filters"] = small_targets(phone)
    offenders = {part: small for part, small in found.items() if small}
    assert offenders == {}, listed(offenders)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_header_menus_are_big_enough_for_a_finger(server, phone, lang):
    phone.goto(server + prefix(lang) + "standards/4a/")
    phone.wait_for_load_state("load")
    offenders = {part: small for part, small in opened(phone).items() if small}
    assert offenders == {}, listed(offenders)


def test_the_measure_finds_a_small_control_and_spares_a_link_in_a_sentence(server, phone):
    """The measure can fail: a 20 px button is found, a link inside a sentence is not."""
    phone.goto(server + "about/")
    phone.evaluate(
        """() => {
            const p = document.createElement("p");
            p.innerHTML = 'A sentence long enough to hold <a href="#x" id="in-text">a link</a> in its words.'
                + '<button id="tiny" style="width:20px;height:20px;min-width:0;min-height:0;padding:0">x</button>';
            document.querySelector("article").prepend(p);
        }"""
    )
    small = small_targets(phone)
    assert any("button#tiny" in line for line in small), small
    assert not any("in-text" in line or '"a link"' in line for line in small), small


@pytest.mark.skipif(not AXE.is_file(), reason="run `make install-dev` to install axe-core")
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_axe_target_size(server, phone, lang, path):
    phone.goto(server + prefix(lang) + path)
    phone.wait_for_load_state("load")
    if path == "resources/":
        phone.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
    phone.add_script_tag(path=str(AXE))
    for size in (24, SIZE):
        violations = phone.evaluate(
            """async size => {
                axe.configure({checks: [{id: "target-size", options: {minSize: size}},
                                        {id: "target-offset", options: {minOffset: size}}]});
                const r = await axe.run(document, {runOnly: ["target-size"], resultTypes: ["violations"]});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                              nodes: v.nodes.map(n => n.target.join(" "))}));
            }""",
            size,
        )
        assert violations == [], f"at {size} px: " + described(violations)
