"""axe-core (npm, injected into the page) finds no serious or critical problem on the main page kinds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LANGUAGES, prefix, serve

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "",
    "dimensions/4/",
    "standards/4a/",
    "resources/smart-operations-tool/",
    "resources/",
    "resources/?type=tool&q=outil",
    "404.html",
    "offline/",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not AXE.is_file(), reason="run `make install-dev` to install axe-core"),
]


@pytest.fixture(scope="module")
def server(fixture_site):
    with serve(fixture_site) as url:
        yield url


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_no_serious_accessibility_violations(server, tab, lang, path):
    tab.goto(server + prefix(lang) + path)
    tab.wait_for_load_state("load")
    if (path.startswith("resources/") and path.count("/") == 1) or "?" in path:
        tab.wait_for_selector("[data-explorer] form:not([hidden])")
    serious = [v for v in axe_violations(tab) if v["impact"] in ("serious", "critical")]
    assert serious == [], described(serious)


def axe_violations(tab) -> list[dict]:
    """What axe-core finds wrong with the page open in `tab`: id, impact, help and the first places."""
    tab.add_script_tag(path=str(AXE))
    return tab.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )


def described(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations)
