"""`mkdocs serve --dirty`: an edit of one entry re-renders the pages that show it, and only those."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from bs4 import BeautifulSoup
from conftest import FIXTURES, make_project

SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = Path(sys.argv[1])
    catalogue = Path("resources.yaml")
    sys.argv.append("--dirty")  # as in `mkdocs serve --dirty`: static-i18n reads it for the other languages

    def rebuild():
        global config
        config = load_config("mkdocs.yml", site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)

    def stamp(path):  # a time of its own in the past (2001): a page written again shows, however fast
        os.utime(path, ns=(10**18, 10**18))
        return path.stat().st_mtime_ns

    rebuild()
    untouched = site / "resources" / "cobranza-con-dignidad" / "index.html"
    before = stamp(untouched)
    catalogue.write_text(catalogue.read_text().replace("Smart Operations Tool", "Smart Operations Toolkit"))
    rebuild()
    print("untouched-rewritten" if untouched.stat().st_mtime_ns != before else "untouched-kept")
    # Lines added above every entry move them all in the file, and change none of their pages.
    before = stamp(untouched)
    catalogue.write_text(catalogue.read_text().replace("resources:\\n", "resources:\\n# a maintainer's note\\n\\n", 1))
    rebuild()
    print("moved-rewritten" if untouched.stat().st_mtime_ns != before else "moved-kept")
    if len(sys.argv) > 2:  # the site as served: other processes' languages are links (spmlib.serve.serveparts)
        import shutil
        print("linked:", " ".join(sorted(p.name for p in site.iterdir() if p.is_symlink())))
        shutil.copytree(site, sys.argv[2], symlinks=False)
    config.plugins.on_shutdown()  # as `mkdocs serve` does when it stops
    """
)


def page_of(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_dirty_rebuild_after_an_edit(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    site = tmp_path / "site"
    env = {**os.environ, "SPM_ONLY_LANGUAGES": "en", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SPM_CATALOGUE", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site)], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "untouched-kept" in result.stdout
    assert "moved-kept" in result.stdout
    # only the language served is built: no placeholders of the others, no switcher to them
    assert not any((site / lang).exists() for lang in ("fr", "es", "pt"))
    assert not page_of(site, "index.html").select(".md-select__link")
    # the rebuilt pages keep the tabs they had (the About tab's title comes from its page)
    for page in ("resources/smart-operations-tool/index.html", "standards/4a/index.html", "index.html"):
        tabs = [
            a.get_text(strip=True)
            for a in BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").select(".md-tabs__link")
        ]
        assert tabs == ["Home", "Dimensions", "Browse", "About the library", "Take it offline"], (page, tabs)
    for page in ("resources/smart-operations-tool/index.html", "standards/4a/index.html", "types/tool/index.html"):
        assert "Smart Operations Toolkit" in (site / page).read_text(encoding="utf-8"), page
    assert "Smart Operations Toolkit" in (site / "resources" / "explorer-data" / "cards-0.js").read_text(encoding="utf-8")
    # the explorer's keyword text, kept between builds for unchanged entries, has the edited one's new word
    words = (site / "resources" / "explorer-data" / "words-0.js").read_text(encoding="utf-8")
    assert "toolkit" in words and "cobranza" in words
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Smart Operations Toolkit" in index and "Cobranza con dignidad" in index  # unchanged pages stay searchable


def test_what_serve_leaves_in_place_is_what_a_full_build_writes(tmp_path):
    """Pages an edit does not change are left out of MkDocs' files in `serve` (hooks/pages.py):
    after edits, the served site is the one a full build of the edited catalogue makes."""
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    site, served, full = tmp_path / "site", tmp_path / "served", tmp_path / "full"
    # every language, by two processes: fr and pt are built by a worker (spmlib.serve.serveparts)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SPM_SERVE_JOBS": "2"}
    env.pop("SPM_ONLY_LANGUAGES", None)
    env.pop("SPM_CATALOGUE", None)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site), str(served)], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "linked: fr pt" in run.stdout and "untouched-kept" in run.stdout
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(full)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    written = _files(full)
    assert written == _files(served)
    different = [str(p) for p in written if p.suffix != ".json" and (full / p).read_bytes() != (served / p).read_bytes()]
    assert different == [], different
    for name in ("search/search_index.json", "fr/search/search_index.json"):
        assert _search_docs(served / name) == _search_docs(full / name)


def _files(site):
    # less the homes of the languages a `make serve` process leaves to another one (spmlib.serve.serveparts)
    return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file() and p.relative_to(site).parts[0] != ".spm-skipped")


def _search_docs(path):
    from spmlib.site.searchindex import material_docs

    docs = material_docs(json.loads(path.read_text(encoding="utf-8")))
    return sorted(json.dumps(doc, sort_keys=True) for doc in docs)
