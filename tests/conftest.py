"""Shared fixtures: fixture projects built into tmp_path, parsed HTML helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LANGUAGES = ["en", "fr", "es", "pt"]
sys.path.insert(0, str(ROOT / "hooks"))


def make_project(directory: Path, catalogue: str | Path, docs: Path | None = None) -> Path:
    """A copy of the site project whose catalogue is `catalogue` (text or a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("hooks", "overrides", "taxonomy"):
        (directory / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "docs", directory / "docs")
    if docs is not None:
        shutil.copytree(docs, directory / "docs", dirs_exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", directory / "mkdocs.yml")
    text = Path(catalogue).read_text(encoding="utf-8") if isinstance(catalogue, Path) else catalogue
    (directory / "resources.yaml").write_text(text, encoding="utf-8")
    return directory


def run_build(project: Path, *args: str, site: Path | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` in `project`, as a maintainer would run it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SPM_CATALOGUE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site or project / "site"), *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


def page(site: Path, path: str) -> BeautifulSoup:
    """The parsed HTML of `path` (a URL path such as 'fr/resources/x/') in a built site."""
    file = site / path
    if path.endswith("/") or path == "":
        file = file / "index.html"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture catalogue built once, in all four languages."""
    project = make_project(tmp_path_factory.mktemp("fixture") / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def taxonomy():
    from spmlib.taxonomy import load_taxonomy

    return load_taxonomy(ROOT / "taxonomy")
