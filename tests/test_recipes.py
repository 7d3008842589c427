"""README's recipes, followed word for word on a copy of the project, then built.

A recipe that no longer works is worse than none: the maintainer who follows it gets an error
far from the step that caused it. Each test here reads its recipe's code blocks from README.md,
applies them to a copy of spmlib/ and overrides/ exactly where the recipe says, builds the
fixture catalogue in four languages with that copy first on the path, and reads the pages.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import LANGUAGES, ROOT, editable_project, page, prefix, readme_blocks, run_build

from spmlib.model.taxonomy import load_taxonomy


def add_page_kind(pagekinds: Path, function: str, declaration: str) -> None:
    """Step 1 of *Adding a kind of page*: the function above KINDS, the declaration at its end."""
    source = pagekinds.read_text(encoding="utf-8")
    opening = "KINDS: tuple[PageKind, ...] = (\n"
    start = source.index(opening)
    end = source.index("\n)\n", start)  # the tuple's closing parenthesis, alone on its line
    source = source[:start] + function + "\n\n" + source[start:end] + "\n" + declaration.rstrip("\n") + source[end:]
    pagekinds.write_text(source, encoding="utf-8")


def test_adding_a_kind_of_page(tmp_path):
    blocks = readme_blocks("### Adding a kind of page")
    assert [language for language, _ in blocks] == ["python", "python", "jinja"]
    (_, function), (_, declaration), (_, template) = blocks
    project = editable_project(tmp_path / "project")
    add_page_kind(project / "spmlib" / "site" / "pagekinds.py", function, declaration)
    (project / "overrides" / "spm" / "organisation.html").write_text(template, encoding="utf-8")

    result = run_build(project, env={"PYTHONPATH": str(project)})
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    taxonomy = load_taxonomy(ROOT / "taxonomy")
    for lang in LANGUAGES:
        soup = page(site, f"{prefix(lang)}organisations/smart-campaign/")
        assert soup.find("h1").get_text() == "Smart Campaign"
        titles = [a.get_text() for a in soup.select(".spm-card__title")]
        assert titles == [page(site, f"{prefix(lang)}resources/smart-operations-tool/").find("h1").get_text()]
        # listed under Browse (the navigation shows a section's pages on the pages inside it)
        nav = [a.get_text(strip=True) for a in soup.select("nav.md-nav--primary a[href]")]
        browse = taxonomy.label("browse", lang)
        assert browse in nav and "Smart Campaign" in nav[nav.index(browse) :], (lang, nav)
    # The organisation's name is the reader's text, not markup: shown, never run, in page and title.
    hostile = next((site / "organisations").glob("title-script*/index.html"))
    soup = BeautifulSoup(hostile.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("h1").get_text() == "</title><script>alert('org')</script>"
    assert "alert('org')" in soup.title.get_text()
    assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
