"""`make publish`: the site with its offline library, and the "Take it offline" page that lists it.

The fixture catalogue is published once for the module, with the files of two languages only
(each zip and ZIM is an offline build of its own); the page must still list all four.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from babel.numbers import parse_decimal
from bs4 import BeautifulSoup
from conftest import FIXTURES, LANGUAGES, ROOT, make_project, page, prefix

from spmlib.__main__ import main
from spmlib.model.offlinelibrary import OFFLINE_LIBRARY_ENV, OfflineFile, OfflineLibrary, parse_library
from spmlib.model.taxonomy import load_taxonomy
from spmlib.outputs.publish import _describe
from spmlib.site.offlinepage import offline_context
from spmlib.site.render import make_environment
from spmlib.site.view import View

BUILT = ["fr", "en"]  # whose files are made; fr first, so the zip at the root is not English
EPOCH = "1764720000"  # 2025-12-03
DATE = "2025-12-03"
UNITS = {"KB": 1_000, "Ko": 1_000, "MB": 1_000_000, "Mo": 1_000_000}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The fixture project after `python -m spmlib publish --lang fr --lang en` (what `make publish LANGS=...` runs)."""
    project = make_project(tmp_path_factory.mktemp("publish") / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.delenv("SPM_CATALOGUE", raising=False)
        patch.delenv(OFFLINE_LIBRARY_ENV, raising=False)
        patch.chdir(project)
        code = main(["publish", "-f", "mkdocs.yml", "-d", "site", "--jobs", "2", *[f"--lang={lang}" for lang in BUILT]])
    assert code == 0
    return project / "site"


def downloads(site: Path, lang: str) -> dict[str, dict]:
    """The files the offline page of `lang` lists: kind of each language -> what it shows."""
    path = f"{prefix(lang)}offline/"
    soup = page(site, path)
    found = {}
    for row in soup.select("[data-offline-library] > li[data-lang]"):
        for item in row.select("[data-kind]"):
            link = item.find("a")
            target = site / unquote(urljoin(path, link["href"])) if link else None
            size = item.select_one("[data-size]").get_text(strip=True)
            found[(row["data-lang"], item["data-kind"])] = {"file": target, "bytes": int(item["data-bytes"]), "size": size}
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_lists_a_zip_and_a_zim_per_language_that_exist(published, lang):
    soup = page(published, f"{prefix(lang)}offline/")
    rows = [row["data-lang"] for row in soup.select("[data-offline-library] > li[data-lang]")]
    assert sorted(rows) == sorted(LANGUAGES) and rows[0] == lang  # every language, the reader's first
    listed = downloads(published, lang)
    assert set(listed) == {(code, kind) for code in BUILT for kind in ("zip", "zim")}
    for (code, kind), shown in listed.items():
        assert shown["file"].is_file() and shown["file"].suffix == f".{kind}"
        assert shown["file"].name == f"spm-library-{code}-{DATE}.{kind}"
        size = shown["file"].stat().st_size
        assert shown["bytes"] == size
        # the size as the reader reads it, in the page's language, matches the file's
        number, unit = shown["size"].split()
        assert abs(float(parse_decimal(number, locale=lang)) * UNITS[unit] - size) <= UNITS[unit] / 2
        assert (unit in ("Ko", "Mo")) == (lang == "fr")
    for code in set(LANGUAGES) - set(BUILT):  # no files: the page says how to make them
        row = soup.select_one(f'[data-offline-library] > li[data-lang="{code}"]')
        assert f"make bundle LANGS={code}" in row.get_text()


def test_the_page_writes_sizes_and_dates_in_the_readers_language(published):
    fr = page(published, "fr/offline/").select_one('[data-kind="zip"]').get_text(" ", strip=True)
    en = page(published, "offline/").select_one('[data-kind="zip"]').get_text(" ", strip=True)
    assert "3 décembre 2025" in fr and "Ko" in fr and "Zip pour clé USB" in fr
    assert "December 3, 2025" in en and "KB" in en


def test_the_manifest_gives_every_files_checksum(published):
    manifest = json.loads((published / "offline" / "manifest.json").read_text(encoding="utf-8"))
    library, problems = parse_library(manifest, LANGUAGES)
    assert problems == [] and len(library.files) == 2 * len(BUILT)
    for item in library.files:
        data = (published / "offline" / item.file).read_bytes()
        assert (item.bytes, item.sha256, item.date) == (len(data), hashlib.sha256(data).hexdigest(), DATE)


@pytest.mark.browser
def test_the_zip_opens_from_file_urls_with_no_request(published, tab, tmp_path):
    with zipfile.ZipFile(published / "offline" / f"spm-library-fr-{DATE}.zip") as archive:
        archive.extractall(tmp_path)
    root = tmp_path / f"spm-library-fr-{DATE}"
    tab.goto((root / "index.html").as_uri())
    assert tab.locator("h1").first.inner_text().startswith("Bibliothèque de ressources GPS")
    tab.locator(".md-tabs__link", has_text="Dimensions").click()
    tab.wait_for_url("**/dimensions/index.html")
    assert tab.outside == []
    assert tab.errors == []


def test_the_zim_is_read_by_libzim(published):
    reader = pytest.importorskip("libzim.reader")
    archive = reader.Archive(published / "offline" / f"spm-library-fr-{DATE}.zim")
    assert archive.check()
    assert archive.get_metadata("Language").decode() == "fra"
    assert archive.get_metadata("Date").decode() == DATE
    home = bytes(archive.main_entry.get_item().content).decode("utf-8")
    assert "Bibliothèque de ressources GPS" in home


@pytest.mark.parametrize("lang", LANGUAGES)
def test_make_build_shows_how_to_make_the_files(fixture_site, lang):
    """Without `make publish` the page is no broken list: it says how to make the files."""
    soup = page(fixture_site, f"{prefix(lang)}offline/")
    assert soup.select("[data-offline-library]") == []
    assert soup.select_one("[data-offline-howto]") is not None
    commands = soup.select_one("article pre").get_text()
    assert "make publish" in commands and f"make bundle LANGS={lang}" in commands
    assert len(soup.select("article ol > li")) == 6  # three steps for a USB stick, three for Kiwix


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_is_in_the_navigation_and_linked_from_about(fixture_site, lang):
    taxonomy = load_taxonomy(ROOT / "taxonomy")
    title = taxonomy.label("offline_title", lang)
    home = page(fixture_site, prefix(lang))
    tabs = {a.get_text(strip=True): a["href"] for a in home.select(".md-tabs a")}
    assert tabs[title] == "offline/"
    about = page(fixture_site, f"{prefix(lang)}about/")
    assert about.select_one('article a[href="../offline/"]') is not None


def test_a_file_over_the_hosts_limit_is_left_out_and_said(tmp_path):
    made = tmp_path / f"spm-library-fr-{DATE}.zip"
    made.write_bytes(b"x" * 2048)
    out = io.StringIO()
    described = _describe(made, "fr", "zip", DATE, 1000, out)
    assert described.skipped == "too_large" and described.bytes == 2048
    assert "make bundle LANGS=fr" in out.getvalue()
    taxonomy = load_taxonomy(ROOT / "taxonomy")
    from spmlib.model.catalogue import load_catalogue

    catalogue = load_catalogue(FIXTURES / "catalogue.yaml", taxonomy, FIXTURES / "docs")
    view = View(catalogue, "fr", lambda key: f"../../{key[5:]}")
    context = offline_context("Consulter hors ligne", OfflineLibrary((described,)), view)
    html = make_environment(ROOT / "overrides" / "spm").get_template("offline.html").render(**context)
    item = BeautifulSoup(html, "html.parser").select_one('[data-kind="zip"]')
    assert item.find("a") is None and "trop volumineux" in item.get_text()
    assert "make bundle LANGS=fr" in item.get_text()


GOOD = {"file": "spm-library-fr-2025-12-03.zip", "language": "fr", "kind": "zip", "bytes": 10, "date": DATE, "sha256": "a" * 64}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"file": "../../etc/passwd.zip"}, "files[0].file is"),
        ({"file": "x.zim"}, "does not end in .zip"),
        ({"language": "de"}, "not a language of the site"),
        ({"language": "<b>"}, "files[0].language is"),
        ({"kind": "exe"}, "files[0].kind is"),
        ({"bytes": -1}, "files[0].bytes is"),
        ({"bytes": True}, "files[0].bytes is"),
        ({"date": "3/12/2025"}, "files[0].date is"),
        ({"sha256": "ABC"}, "files[0].sha256 is"),
        ({"skipped": "lazy"}, "files[0].skipped is"),
        ({"extra": 1}, "unknown field"),
    ],
)
def test_a_wrong_manifest_is_refused_with_the_field(change, problem):
    library, problems = parse_library({"format": 1, "files": [{**GOOD, **change}]}, LANGUAGES)
    assert library is None and any(problem in p for p in problems), problems
    assert parse_library({"format": 1, "files": [GOOD]}, LANGUAGES)[1] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", f"{OFFLINE_LIBRARY_ENV}="),
        ('{"format": 1, "files": [{"file": "a.zip"}]}', "files[0].language is missing"),
        ('["files"]', "not a manifest of format 1"),
    ],
)
def test_a_build_with_a_wrong_manifest_stops_before_building(tmp_path, monkeypatch, capsys, text, message):
    """The manifest is named by the environment: a wrong one stops `make build` with its line, no traceback."""
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(text, encoding="utf-8")
    monkeypatch.setenv(OFFLINE_LIBRARY_ENV, str(manifest))
    monkeypatch.chdir(project)
    assert main(["build", "-f", "mkdocs.yml", "-d", str(tmp_path / "site")]) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error and "error:" in error
    assert not (tmp_path / "site").exists()


def test_offline_files_keep_their_fields_through_the_manifest():
    zim = OfflineFile(**{**GOOD, "kind": "zim", "file": "a.zim", "skipped": "too_large"})
    library = OfflineLibrary((OfflineFile(**GOOD), zim))
    assert parse_library(json.loads(library.to_json()), LANGUAGES) == (library, [])
    assert library.of("fr", "zim").skipped == "too_large" and library.of("en", "zip") is None
    assert os.sep not in library.files[0].file
