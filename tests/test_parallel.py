"""Languages built in parallel processes give the same site, byte for byte, as one mkdocs build."""

from __future__ import annotations

import io

from conftest import FIXTURES, make_project

from spmlib.processes.parallel import groups, parallel_build


def test_languages_are_dealt_with_the_default_first():
    assert groups(["en", "fr", "es", "pt"], 2) == [["en", "es"], ["fr", "pt"]]
    assert groups(["en", "fr"], 8) == [["en"], ["fr"]]
    assert groups(["en", "fr", "es"], 1) == [["en", "fr", "es"]]


def test_parallel_build_equals_the_sequential_one(fixture_site, tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    log = io.StringIO()
    assert parallel_build(project / "mkdocs.yml", project / "site", jobs=2, out=log) == 0, log.getvalue()
    built = project / "site"
    expected = {p.relative_to(fixture_site) for p in fixture_site.rglob("*") if p.is_file()}
    got = {p.relative_to(built) for p in built.rglob("*") if p.is_file()}
    assert got == expected
    different = [str(p) for p in sorted(expected) if (fixture_site / p).read_bytes() != (built / p).read_bytes()]
    assert different == []
    assert "[en,es]" in log.getvalue() and "Built en, fr, es, pt in 2 processes" in log.getvalue()


def test_a_failed_language_leaves_the_previous_site(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous")
    (project / "docs" / "about.fr.md").write_text("[broken](missing-page.md)\n", encoding="utf-8")
    log = io.StringIO()
    assert parallel_build(project / "mkdocs.yml", project / "site", jobs=2, out=log) == 1
    assert (project / "site" / "index.html").read_text() == "previous"
    assert "The build of fr, pt failed" in log.getvalue()
