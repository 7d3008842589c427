"""Every page in its language: no English left in the interface of a French, Spanish or Portuguese
page, the 404 pages included, and each language's 404 page reached from the root one under a
project site's path.

The English strings are collected from the English build's own interface (header, tabs,
navigation, search, footer, the 404 message, every aria-label, title, placeholder and alt, and
Material's translations for its scripts); a string of the other languages' interface is wrong
when it is one of them and not also that language's own word (taxonomy/, Material's translation,
CLDR's names of languages and countries, the site's name). Content is not scanned: a resource
with no French title is shown in English, and says so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import material
import pytest
import yaml
from babel import Locale
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, StaticHost, make_project, run_build, serve

from benchmarks.generate import generate
from spmlib.model.options import configured_languages, i18n_options, read_config
from spmlib.site.explorer import LIST_PAGE_SIZE
from spmlib.site.notfound import not_found, site_path

OTHERS = ("fr", "es", "pt")
# The interface of a page: Material's header, tabs, sidebars' navigation, table of contents' title,
# search, "back to top", skip link and footer, and the library's 404 message and home sentence.
CHROME = (
    "header.md-header, nav.md-tabs, .md-sidebar--primary, .md-sidebar--secondary .md-nav__title, "
    ".md-search, .md-top, .md-skip, footer.md-footer, .spm-not-found, .spm-lead"
)
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
PAGE_TITLE = {"data-md-component": "header-topic"}
# Material's words for its scripts and its own interface, which must be in the English list
MATERIAL_WORDS = (
    "Search",
    "Skip to content",
    "Back to top",
    "Table of contents",
    "Initializing search",
    "Type to start searching",
    "Copy to clipboard",
    "Previous",
    "Next",
    "Select language",
    "Clear",
)
MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"


def interface(doc: BeautifulSoup) -> set[str]:
    """Every string of a page's interface, whitespace folded; the page's own title, which the
    header shows once the page is scrolled, is content."""
    found = set()
    for part in doc.select(CHROME):
        for text in part.find_all(string=True):
            if text.parent.name not in ("script", "style") and text.strip() and not text.find_parent(attrs=PAGE_TITLE):
                found.add(" ".join(text.split()))
    for element in doc.find_all(True):
        found.update(" ".join(element[name].split()) for name in ATTRIBUTES if element.get(name))
    config = doc.select_one("#__config")  # Material's words for its scripts (search, clipboard...)
    if config is not None:
        found.update(json.loads(config.string)["translations"].values())
    return found


def _strings_in(node, lang: str, inside: bool = False):
    """Every string of a taxonomy file that is under a key `lang`, at any depth."""
    if isinstance(node, str):
        if inside:
            yield " ".join(node.split())
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings_in(value, lang, inside or key == lang)
    elif isinstance(node, list):
        for value in node:
            yield from _strings_in(value, lang, inside)


def own_words(lang: str, config: dict) -> set[str]:
    """What `lang` may legitimately write as English does: its taxonomy labels and names, Material's
    translation, CLDR's names of languages and countries, the site's and the languages' names."""
    words = set()
    for file in (ROOT / "taxonomy").glob("*.yaml"):
        words.update(_strings_in(yaml.safe_load(file.read_text(encoding="utf-8")), lang))
    material_text = (MATERIAL_LANGUAGES / f"{lang}.html").read_text(encoding="utf-8")
    words.update(value for _, value in re.findall(r'"([a-z.]+)": "((?:[^"\\]|\\.)*)"', material_text))
    locale = Locale.parse(lang)
    for name in [*locale.languages.values(), *locale.territories.values()]:
        words.update({name, name[:1].upper() + name[1:]})
    languages = i18n_options(config)["languages"]
    words.update(language["name"] for language in languages)
    words.update(language.get("site_name", config["site_name"]) for language in languages if language["locale"] == lang)
    return words | {"Material for MkDocs"}


def english_only(english: set[str], lang: str, config: dict) -> set[str]:
    """The English interface strings that `lang` does not also write: labels with placeholders
    ("Page {n}") match whatever fills them."""
    words = own_words(lang, config)
    filled = [re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(word))) for word in words if "{" in word]
    return {text for text in english - words if not any(pattern.fullmatch(text) for pattern in filled)}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The shipped site, with enough generated entries for a second page of the explorer's
    no-JavaScript list: every kind of page, in every language."""
    shipped = (ROOT / "resources.yaml").read_text(encoding="utf-8")
    catalogue = shipped.rstrip("\n") + "\n" + generate(LIST_PAGE_SIZE).split("\n", 1)[1]
    project = make_project(tmp_path_factory.mktemp("languages") / "project", catalogue)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_no_english_in_the_interface_of_other_languages(site):
    config = read_config(ROOT / "mkdocs.yml")
    assert configured_languages(config)[0] == "en"
    pages = {path.relative_to(site).as_posix(): path for path in site.rglob("*.html")}
    english = set()
    for name, path in pages.items():
        if name.split("/")[0] not in OTHERS:
            english |= interface(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
    # the list is the English interface indeed, so that the scan can fail
    assert {config["site_name"], "Made with", "Page not found", "Home", "Browse", "Permanent link"} <= english
    assert set(MATERIAL_WORDS) <= english
    found = []
    for lang in OTHERS:
        wrong = english_only(english, lang, config)
        scanned = sorted(name for name in pages if name.startswith(f"{lang}/"))
        # every kind of page: 404, home, about, dimensions, standards, explorer and its list pages, types, topics, resources
        kinds = ("404.html", "index.html", "about/", "dimensions/1/", "standards/4a/", "resources/page/2/", "types/tool/")
        assert all(any(name.startswith(f"{lang}/{kind}") for name in scanned) for kind in kinds), lang
        assert f"{lang}/topics/index.html" in scanned and f"{lang}/resources/universal-standards-v3/index.html" in scanned
        for name in scanned:
            strings = interface(BeautifulSoup(pages[name].read_text(encoding="utf-8"), "html.parser"))
            found += [f"{name}: {text!r}" for text in sorted(strings & wrong)]
    assert not found, "English in the interface:\n" + "\n".join(found[:50])


def test_the_scan_finds_english_where_there_is_some(site):
    """The same comparison on a French page given English words where the interface has French ones."""
    config = read_config(ROOT / "mkdocs.yml")
    text = (site / "fr" / "404.html").read_text(encoding="utf-8")
    text = text.replace("Site réalisé avec", "Made with").replace('placeholder="Rechercher"', 'placeholder="Search"')
    english = interface(BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser"))
    wrong = english_only(english, "fr", config)
    assert interface(BeautifulSoup(text, "html.parser")) & wrong == {"Made with", "Search"}


# ---- a project site: the library under /repository/ ---------------------------------------------


def test_the_404_pages_know_the_sites_path(taxonomy):
    prefixes = {"en": "", "fr": "fr/", "pt": "pt/"}
    root = not_found(taxonomy, "en", prefixes, "https://example-org.github.io/spm-library")
    assert site_path("https://example-org.github.io/spm-library") == "/spm-library/"
    assert root.others == {"/spm-library/fr/": "/spm-library/fr/404.html", "/spm-library/pt/": "/spm-library/pt/404.html"}
    assert root.own is None and root.home == "https://example-org.github.io/spm-library/"
    french = not_found(taxonomy, "fr", prefixes, "https://example-org.github.io/spm-library/", directory_urls=False)
    assert french.others == {} and french.own == "/spm-library/fr/"
    assert french.explorer == "https://example-org.github.io/spm-library/fr/resources/index.html"
    assert (french.title, french.home_label) == ("Page introuvable", "Accueil")


@pytest.fixture(scope="module")
def project_site(tmp_path_factory) -> Path:
    """The fixture catalogue built for https://example-org.github.io/spm-library/, in a folder of
    that name, as a host serves a project site."""
    base = tmp_path_factory.mktemp("project-site")
    project = make_project(base / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    result = run_build(
        project, site=base / "host" / "spm-library", env={"SITE_URL": "https://example-org.github.io/spm-library/"}
    )
    assert result.returncode == 0, result.stderr
    return base / "host"


class ProjectHost(StaticHost):
    """GitHub Pages for a project site: the project's 404.html for a missing address under it."""

    not_found = "spm-library"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "lang", "title"), [("fr/ressources/x", "fr", "Page introuvable"), ("nope/", "en", "Page not found")]
)
def test_a_project_sites_404_page_is_in_the_language_of_the_address(project_site, tab, path, lang, title):
    with serve(project_site, ProjectHost) as url:
        address = f"{url}spm-library/{path}"
        assert tab.goto(address).status == 404
        tab.wait_for_function(
            f"document.documentElement.lang === {lang!r} && !document.querySelector('[data-spm-missed]').hidden"
        )
        assert tab.url == address
        assert tab.locator(".spm-not-found h1").inner_text() == title
        assert tab.locator("[data-spm-missed] code").inner_text() == f"/spm-library/{path}"
        assert tab.locator("link[rel=stylesheet]").first.evaluate("l => l.sheet !== null")  # its styles, under the path
