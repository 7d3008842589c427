"""The offline pipeline's steps on their own (select, stage, fetch, describe, configure, build), without a site build.

test_bundle.py and test_zim.py run the whole pipeline; these pin each step's contract, so that a
step can change without a ten-second build to find out what it broke.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project

from spmlib.model.catalogue import Link, Resource, load_catalogue
from spmlib.model.options import LibraryOptions, i18n_options
from spmlib.model.subset import Subset
from spmlib.model.taxonomy import load_taxonomy
from spmlib.outputs.fetch import Fetched, wanted_documents
from spmlib.outputs.offline import (
    WORKER_SHIM,
    BundleError,
    OfflineOptions,
    build,
    configure,
    describe,
    fetch,
    select,
    stage,
)

ALL = frozenset({"smart-operations-tool", "cobranza-con-dignidad", "xss-probe", "surendettement-guide"})
D4 = Subset(dimensions=frozenset({4}))
C4 = Subset(standards=frozenset({"4C"}))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("offline") / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")


# -- the options ---------------------------------------------------------------------------


def test_options_dedupe_languages_and_default_their_paths(tmp_path):
    options = OfflineOptions(tmp_path, ["fr", "en", "fr"])
    assert options.languages == ("fr", "en")
    assert OfflineOptions(tmp_path, None).languages == ()
    assert options.target_dir == tmp_path / "dist"
    assert options.documents_cache == tmp_path / ".cache" / "documents"
    chosen = OfflineOptions(tmp_path, out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert (chosen.target_dir, chosen.documents_cache) == (tmp_path / "out", tmp_path / "cache")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.name = "changed"  # type: ignore[misc]


# -- select ----------------------------------------------------------------------------------

# (languages, subset, name) -> (languages, resource ids, name)
SELECTIONS = [
    ((), Subset(), None, ("en", "fr", "es", "pt"), ALL, "spm-library-en-fr-es-pt"),
    (("fr", "en", "fr"), D4, None, ("fr", "en"), ALL - {"xss-probe"}, "spm-library-fr-en-d4"),
    (("pt",), C4, "training-2026", ("pt",), {"smart-operations-tool"}, "training-2026"),
    (("es",), Subset(topics=frozenset({"collections"})), None, ("es",), {"cobranza-con-dignidad"}, "spm-library-es-collections"),
]


@pytest.mark.parametrize(("languages", "subset", "name", "chosen", "ids", "named"), SELECTIONS)
def test_select_chooses_languages_resources_and_name(project, languages, subset, name, chosen, ids, named):
    selection = select(OfflineOptions(project, languages, subset, name=name))
    assert selection.languages == chosen
    assert {resource.id for resource in selection.catalogue.resources} == ids
    assert selection.name == named
    assert selection.configured == ("en", "fr", "es", "pt") and selection.default == "en"


REFUSALS = [
    (("de",), Subset(), None, "unknown language de; allowed: en, fr, es, pt"),
    (("fr",), Subset(standards=frozenset({"9Z"})), None, "unknown standard 9Z; allowed: "),
    (("fr",), Subset(dimensions=frozenset({9})), None, "unknown dimension 9; allowed: 1, 2, 3, 4, 5, 6, 7"),
    (("fr",), Subset(dimensions=frozenset({7})), None, "no resource is in this subset; widen it"),
    (("fr",), Subset(), "../outside", "the bundle name '../outside' may only hold letters, digits, '.', '_' and '-'"),
    (("fr",), Subset(), "-dash", "the bundle name '-dash' may only hold"),
]


@pytest.mark.parametrize(("languages", "subset", "name", "message"), REFUSALS)
def test_select_refuses_wrong_options_before_any_work(project, languages, subset, name, message):
    with pytest.raises(BundleError, match=re.escape(message)):
        select(OfflineOptions(project, languages, subset, name=name))
    assert not (project / "dist").exists()


def test_select_words_a_broken_catalogue_as_a_bundle_error(tmp_path):
    broken = make_project(tmp_path / "project", "resources:\n  - id: no-title\n", FIXTURES / "docs")
    with pytest.raises(BundleError):
        select(OfflineOptions(broken))


# -- stage: the pages, arranged for the languages --------------------------------------------


def test_stage_puts_the_first_language_at_the_root_and_leaves_links_behind(project, tmp_path):
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    pages = {"index.md": "English", "index.fr.md": "Français", "index.es.md": "Español", "sub/page.md": "Page"}
    for name, text in pages.items():
        (tree / name).write_text(text, encoding="utf-8")
    (tmp_path / "secret.md").write_text("outside", encoding="utf-8")
    (tree / "leak.md").symlink_to(tmp_path / "secret.md")
    selection = select(OfflineOptions(project, ("fr", "en"), D4))
    selection = dataclasses.replace(selection, paths=dataclasses.replace(selection.paths, docs_dir=tree))

    docs = stage(selection, tmp_path / "work")

    assert docs == tmp_path / "work" / "docs"
    staged = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in docs.rglob("*") if p.is_file()}
    assert staged == {
        "index.md": "Français",
        "index.en.md": "English",
        "sub/page.md": "Page",  # no French version: the default's text, as static-i18n would fall back
        "sub/page.en.md": "Page",
    }
    assert (tree / "index.es.md").is_file() and (tree / "leak.md").is_symlink(), "the project's pages are never changed"


# -- fetch: which documents, and none unless asked ------------------------------------------


def doc(resource_id: str, *links: tuple[str, str]) -> Resource:
    return Resource(
        id=resource_id,
        type="tool",
        title={"en": resource_id},
        links=tuple(Link(lang="en", url=url, format=fmt) for url, fmt in links),
        standards=("4A",),
    )


WANTED = [
    ([doc("a", ("https://x.org/a.pdf", "pdf"))], [("https://x.org/a.pdf", "a")]),
    ([doc("a", ("https://x.org/page", "web"), ("documents/local.pdf", "pdf"))], []),
    (
        [doc("a", ("https://x.org/talk.mp4", "video"), ("https://video.example/watch?v=1", "video"))],
        [("https://x.org/talk.mp4", "a")],
    ),
    (
        [
            doc("b", ("https://x.org/z.xls", "xls"), ("https://x.org/shared.pdf", "pdf")),
            doc("a", ("https://x.org/shared.pdf", "pdf")),
        ],
        [("https://x.org/shared.pdf", "b"), ("https://x.org/z.xls", "b")],  # once, for its first resource; by id, then address
    ),
]


@pytest.mark.parametrize(("resources", "expected"), WANTED)
def test_wanted_documents_are_files_each_address_once(resources, expected):
    assert [(url, resource.id) for url, resource, _ in wanted_documents(resources)] == expected


def test_fetch_does_nothing_unless_documents_are_asked(project, tmp_path):
    selection = select(OfflineOptions(project, ("fr",), C4))
    out = io.StringIO()
    fetched = fetch(selection, OfflineOptions(project, ("fr",), C4, cache_dir=tmp_path / "cache"), tmp_path / "docs", out)
    assert fetched == Fetched() and out.getvalue() == ""
    assert not (tmp_path / "docs").exists() and not (tmp_path / "cache").exists()


# -- describe and configure: the About page's data and the relinking ------------------------

FETCHED = Fetched(
    included={"https://example.org/cobranza.pdf": "documents/offline/cobranza-con-dignidad-1234abcd.pdf"},
    missing=[
        {"url": "https://example.org/surendettement.pdf", "resource": "surendettement-guide", "reason": "HTTP 404 Not Found"}
    ],
    bytes=10,
)


def test_describe_lists_local_and_fetched_documents(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    options = OfflineOptions(project, ("fr", "en"), documents=True)
    info = describe(select(options), options, FETCHED, {"format": "zim"})
    assert info == {
        "name": "spm-library-fr-en",
        "date": "2026-01-01",
        "languages": ["fr", "en"],
        "subset": {"dimensions": [], "standards": [], "types": [], "topics": []},
        "resources": 4,
        "documents": ["documents/offline/cobranza-con-dignidad-1234abcd.pdf", "documents/sample-guide.pdf"],
        "missing": FETCHED.missing,
        "downloaded": True,
        "format": "zim",
    }


def test_configure_points_the_build_at_the_work_folder_for_file_urls(project, tmp_path):
    options = OfflineOptions(project, ("fr", "en"), D4)
    selection = select(options)
    before = copy.deepcopy(selection.config)
    info = describe(selection, options, FETCHED)

    config = configure(selection, project, tmp_path, info, FETCHED)

    assert selection.config == before, "configure works on a copy"
    assert (config["docs_dir"], config["site_dir"]) == (str(tmp_path / "docs"), str(tmp_path / "site"))
    assert config["use_directory_urls"] is False
    assert config["hooks"] and all(Path(hook).is_absolute() and Path(hook).is_file() for hook in config["hooks"])
    assert config["theme"]["custom_dir"] == str(project / "overrides")
    assert config["extra"]["polyfills"] == [WORKER_SHIM]
    library = config["extra"]["library"]
    assert library["offline"] is True and library["bundle"] == {**info, "relink": FETCHED.included}
    assert [(lang["locale"], lang["default"], lang["build"]) for lang in i18n_options(config)["languages"]] == [
        ("fr", True, True),
        ("en", False, True),
    ]


# (documents fetched) -> the links of cobranza-con-dignidad in the build, as the hook sees them
RELINKS = [
    ({}, ["https://example.org/cobranza.pdf"]),
    (FETCHED.included, ["documents/offline/cobranza-con-dignidad-1234abcd.pdf"]),
    ({"https://example.org/other.pdf": "documents/offline/other.pdf"}, ["https://example.org/cobranza.pdf"]),
]


@pytest.mark.parametrize(("included", "links"), RELINKS)
def test_the_build_reads_the_relinked_catalogue_from_the_config(project, tmp_path, included, links):
    """What the build's hook does with the generated config (hooks/spm_mkdocs/session.py):
    the subset of the bundle, its fetched documents linked to their local copies."""
    options = OfflineOptions(project, ("es",), D4)
    selection = select(options)
    fetched = Fetched(included=dict(included))
    config = configure(selection, project, tmp_path, describe(selection, options, fetched), fetched)

    read = LibraryOptions.from_config(config, tmp_path / "mkdocs.yml")
    catalogue = load_catalogue(read.catalogue, load_taxonomy(read.taxonomy), FIXTURES / "docs")
    built = Subset.from_options(dict(read.bundle.subset)).apply(catalogue, dict(read.bundle.relink))

    assert read.offline and {r.id for r in built.resources} == {r.id for r in selection.catalogue.resources}
    assert [link.url for link in built.by_id["cobranza-con-dignidad"].links] == links


# -- build -----------------------------------------------------------------------------------


def test_a_failed_build_is_a_bundle_error(project, tmp_path):
    failing = shutil.which("false")
    if failing is None:  # pragma: no cover
        pytest.skip("no `false` command")
    options = OfflineOptions(project, ("fr",), C4, python=failing)
    selection = select(options)
    config = configure(selection, project, tmp_path, describe(selection, options, Fetched()), Fetched())
    out = io.StringIO()
    with pytest.raises(BundleError, match="the bundle's build failed"):
        build(selection, config, options, tmp_path, out)
    assert out.getvalue() == "Building spm-library-fr-4c: 1 resources in fr\n"
    assert (tmp_path / "mkdocs.yml").is_file()
