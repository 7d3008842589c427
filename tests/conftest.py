"""Shared fixtures: fixture projects built into tmp_path, parsed HTML helpers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.tools.httpserve import QuietHandler, StaticHost, serve  # noqa: F401  (the suite imports them from here)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LANGUAGES = ["en", "fr", "es", "pt"]
T = TypeVar("T")


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


def editable_project(directory: Path, copies: tuple[str, ...] = ("spmlib", "overrides")) -> Path:
    """A fixture project with its own copies of `copies` (folders of the repository), for a test
    that follows one of README's recipes and edits them; the rest is linked as in make_project."""
    project = make_project(directory, FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    for name in copies:
        if (project / name).is_symlink():
            (project / name).unlink()
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    return project


_FENCE = re.compile(r"^( *)```(\w+)\n(.*?)^\1```$", re.M | re.S)


def readme_blocks(heading: str) -> list[tuple[str, str]]:
    """The fenced code blocks of README's section `heading` (to the next heading), as (language,
    code), in order; blocks indented under a list item are dedented."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]
    return [(language, textwrap.dedent(code)) for _indent, language, code in _FENCE.findall(section)]


def run_build(
    project: Path, *args: str, site: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` in `project`, as a maintainer would run it (`env` adds variables)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    env.pop("SPM_CATALOGUE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site or project / "site"), *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


def wait_for(condition: Callable[[], T], what: str, timeout: float = 300, step: float = 0.05) -> T:
    """The first true value of `condition()`, asked every `step` seconds.

    For a test that waits for something to happen (a file, a process, a page), not for time
    to pass. `timeout` only keeps a broken test from hanging: nothing may depend on its length,
    so it is generous (a loaded machine is slow, not wrong). `condition` may call pytest.fail
    to give up sooner, when what it waits for can no longer happen.
    """
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {timeout:.0f} s: {what}")
        time.sleep(step)
    return value


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
    from spmlib.model.taxonomy import load_taxonomy

    return load_taxonomy(ROOT / "taxonomy")


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (which cannot download a browser here)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def tab(browser):
    """A page that refuses and records every request to another host, and records console errors and dialogs."""
    context = browser.new_context()
    page = context.new_page()
    page.outside, page.errors, page.dialogs = [], [], []

    def route(request_route):
        url = request_route.request.url
        host = urlsplit(url).hostname
        if not url.startswith(("file:", "data:", "blob:")) and host != "127.0.0.1":
            page.outside.append(url)
            return request_route.abort()
        return request_route.continue_()

    page.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def dialog(d):
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    yield page
    context.close()


def search_catalogue() -> str:
    """The catalogue of the search tests' fixture site: the fixture catalogue and real entries of
    resources.yaml (tests/fixtures/search-extra.yaml)."""
    return "".join((FIXTURES / name).read_text(encoding="utf-8") for name in ("catalogue.yaml", "search-extra.yaml"))


def unpacked_bundle(project: Path, base: Path) -> str:
    """The file:// address of the home of `project`'s offline bundle in all four languages, made
    and unzipped under `base`, as a trainer opens it."""
    import io
    import zipfile

    from spmlib.outputs.bundle import make_bundle
    from spmlib.outputs.offline import OfflineOptions

    result = make_bundle(OfflineOptions(project, tuple(LANGUAGES), out_dir=base), out=io.StringIO())
    with zipfile.ZipFile(result.zip_path) as archive:
        archive.extractall(base / "unpacked")
    return (base / "unpacked" / result.info["name"]).as_uri() + "/"


def render_search_results(tab, total: int) -> None:
    """Wait until Material's header search lists `total` results. It renders ten, then more each
    time the list's bottom is reached again: until all are in, each look at the list moves it to
    the other end, and Material sees it leave and reach the bottom."""
    tab.wait_for_function(
        """total => {
            if (document.querySelectorAll(".md-search-result__item").length >= total) return true;
            const wrap = document.querySelector(".md-search__scrollwrap");
            wrap.scrollTop = wrap.scrollTop > 0 ? 0 : wrap.scrollHeight;
            return false;
        }""",
        arg=total,
        polling=50,
    )
