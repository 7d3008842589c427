"""One reading of mkdocs.yml and the environment for the hooks, `make check`, bundles and the parallel build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, make_project

from spmlib.model.options import LibraryOptions, OptionsError, unknown_only_languages
from spmlib.model.textcheck import escape_for_terminal

CONFIG = {"docs_dir": "docs", "extra": {"library": {"catalogue": "data/lib.yaml", "taxonomy": "tax"}}}


def test_paths_are_relative_to_mkdocs_yml(tmp_path):
    options = LibraryOptions.from_config(CONFIG, tmp_path / "mkdocs.yml", environ={})
    assert options.catalogue == tmp_path / "data" / "lib.yaml"
    assert options.taxonomy == tmp_path / "tax"
    assert options.docs_dir == tmp_path / "docs"
    assert options.only_languages is None and options.builds("pt")
    assert options.offline is False and options.bundle is None


def test_environment_overrides(tmp_path):
    env = {"SPM_CATALOGUE": "/elsewhere/c.yaml", "SPM_ONLY_LANGUAGES": "fr,pt"}
    options = LibraryOptions.from_config(CONFIG, tmp_path / "mkdocs.yml", environ=env)
    assert options.catalogue == Path("/elsewhere/c.yaml")
    assert options.only_languages == ("fr", "pt")
    assert options.builds("fr") and not options.builds("en")


def test_bundle_options(tmp_path):
    bundle = {"name": "b", "subset": {"dimensions": [4]}, "relink": {"https://x/a.pdf": "documents/offline/a.pdf"}}
    config = {"extra": {"library": {"offline": True, "bundle": bundle}}}
    options = LibraryOptions.from_config(config, tmp_path / "mkdocs.yml", environ={})
    assert options.offline
    assert options.bundle.subset == {"dimensions": [4]}
    assert options.bundle.relink == {"https://x/a.pdf": "documents/offline/a.pdf"}
    assert "relink" not in options.bundle.info and options.bundle.info["name"] == "b"


def test_check_validates_the_catalogue_the_build_uses(tmp_path):
    """`make check` reads the same mkdocs.yml as the build: a catalogue moved there is the one checked."""
    (tmp_path / "data").mkdir()
    shutil.copy(FIXTURES / "catalogue.yaml", tmp_path / "data" / "lib.yaml")
    (tmp_path / "taxonomy").symlink_to(ROOT / "taxonomy")
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    (tmp_path / "mkdocs.yml").write_text("docs_dir: docs\nextra:\n  library:\n    catalogue: data/lib.yaml\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "spmlib", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data/lib.yaml: 4 resources, no errors")
    (tmp_path / "data" / "lib.yaml").write_text("resources:\n  - id: Bad Id\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "spmlib", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1 and "data/lib.yaml:2: error:" in result.stderr


def test_spmlib_does_not_import_mkdocs():
    """The logic runs without MkDocs' build machinery: importing every module of spmlib loads none of it."""
    modules = sorted(p.stem for p in (ROOT / "spmlib").glob("*.py") if p.stem != "__main__")
    script = (
        f"import sys\nfor m in {modules!r}: __import__('spmlib.' + m)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'mkdocs'))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ---- addresses from the environment (SPM_REPOSITORY, SPM_PROPOSE_URL) -----------------------

# (value of SPM_REPOSITORY, repository shown to readers, or None when the value is refused)
REPOSITORY_VALUES = [
    ("", None),  # unset: the pages do without the link, silently
    ("https://github.com/x/y", "https://github.com/x/y"),
    ("http://git.example.org/x/y", "http://git.example.org/x/y"),
    ("github.com/x/y", "refused"),
    ("javascript:alert(1)", "refused"),
    ("https://github.com/x/y z", "refused"),
    ("https://github.com/x/y\nhttps://evil.example", "refused"),
    (" https://github.com/x/y", "refused"),
    ("https://github.com/x/y\n", "refused"),
    ("https://", "refused"),
    ('https://github.com/x/"onmouseover=alert(1)', "refused"),
    ("ftp://example.org/x", "refused"),
    (" ", "refused"),
]


def library_config(**library) -> dict:
    return {"docs_dir": "docs", "extra": {"library": library}}


@pytest.mark.parametrize(("value", "shown"), REPOSITORY_VALUES, ids=[repr(v) for v, _ in REPOSITORY_VALUES])
def test_repository_from_the_environment(tmp_path, value, shown):
    """mkdocs.yml reads SPM_REPOSITORY with !ENV: the value arrives as extra.library.repository."""
    config = library_config(repository=value, propose="")
    environ = {"SPM_REPOSITORY": value}
    if shown != "refused":
        options = LibraryOptions.from_config(config, tmp_path / "mkdocs.yml", environ=environ)
        assert options.links.repository == shown
        return
    with pytest.raises(OptionsError) as caught:
        LibraryOptions.from_config(config, tmp_path / "mkdocs.yml", environ=environ)
    message = str(caught.value)
    assert message.startswith("SPM_REPOSITORY: error: ")
    assert "\n" not in message and "\x1b" not in message  # one line, whatever the value holds
    assert escape_for_terminal(repr(value)) in message
    assert "http://" in message or "https://" in message  # says what is expected


def test_propose_address_from_the_environment_is_checked_too(tmp_path):
    config = library_config(repository="", propose="www.example.org/form")
    with pytest.raises(OptionsError, match=r"^SPM_PROPOSE_URL: error: 'www\.example\.org/form'"):
        LibraryOptions.from_config(config, tmp_path / "mkdocs.yml", environ={"SPM_PROPOSE_URL": "www.example.org/form"})


def test_address_written_in_mkdocs_yml_is_named_as_such(tmp_path):
    config = library_config(repository="github.com/x/y")
    with pytest.raises(OptionsError, match=r"^mkdocs\.yml: error: extra\.library\.repository 'github\.com/x/y'"):
        LibraryOptions.from_config(config, tmp_path / "mkdocs.yml", environ={})


def bad_environment_project(tmp_path: Path) -> Path:
    (tmp_path / "taxonomy").symlink_to(ROOT / "taxonomy")
    shutil.copy(FIXTURES / "catalogue.yaml", tmp_path / "resources.yaml")
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    return tmp_path


def run_spm(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    environ.pop("SPM_CATALOGUE", None)
    return subprocess.run(args, cwd=project, env=environ, capture_output=True, text=True, timeout=600, check=False)


def test_check_fails_on_a_malformed_repository(tmp_path):
    project = bad_environment_project(tmp_path)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    result = run_spm(project, {"SPM_REPOSITORY": "github.com/x/y\x1b[2J"}, sys.executable, "-m", "spmlib", "check")
    assert result.returncode != 0
    assert "SPM_REPOSITORY: error: 'github.com/x/y\\x1b[2J'" in result.stderr
    assert "Traceback" not in result.stderr


def test_strict_build_fails_on_a_malformed_repository(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    result = run_spm(project, {"SPM_REPOSITORY": "github.com/x/y"}, sys.executable, "-m", "mkdocs", "build", "--strict")
    assert result.returncode != 0
    output = result.stdout + result.stderr  # MkDocs says why it aborted on its standard output
    assert "SPM_REPOSITORY: error: 'github.com/x/y'" in output
    assert "Traceback" not in output
    assert not (project / "site").exists()


# ---- SPM_ONLY_LANGUAGES (make serve LANGS=...) ------------------------------------------------

# (SPM_ONLY_LANGUAGES, the unknown codes the message names, or "" when the value is fine)
ONLY_LANGUAGES = [
    ("fr", ""),
    ("en,pt", ""),
    ("de", "de"),
    ("fr,de,xx", "de, xx"),
    ("FR", "FR"),
]


@pytest.mark.parametrize(("value", "unknown"), ONLY_LANGUAGES)
def test_only_languages_are_known_ones(tmp_path, value, unknown):
    options = LibraryOptions.from_config(CONFIG, tmp_path / "mkdocs.yml", environ={"SPM_ONLY_LANGUAGES": value})
    message = unknown_only_languages(options, ["en", "fr", "es", "pt"])
    if not unknown:
        assert message is None
    else:
        assert message == f"SPM_ONLY_LANGUAGES: error: unknown language {unknown}; allowed: en, fr, es, pt"


def test_build_refuses_an_unknown_language(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    result = run_spm(project, {"SPM_ONLY_LANGUAGES": "de"}, sys.executable, "-m", "mkdocs", "build", "--strict")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "SPM_ONLY_LANGUAGES: error: unknown language de; allowed: en, fr, es, pt" in output
    assert "Traceback" not in output
    assert not (project / "site").exists()


def test_serve_refuses_an_unknown_language(tmp_path):
    """`make serve LANGS=de` stops at once with the message, as `make bundle LANGS=de` does,
    instead of serving a site with no language but the default one."""
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", "127.0.0.1:0"]
    result = run_spm(project, {"SPM_ONLY_LANGUAGES": "de", "SPM_SERVE_JOBS": "1"}, *command)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "SPM_ONLY_LANGUAGES: error: unknown language de; allowed: en, fr, es, pt" in output
    assert "Traceback" not in output
