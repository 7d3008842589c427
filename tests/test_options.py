"""One reading of mkdocs.yml and the environment for the hooks, `make check`, bundles and the parallel build."""

from __future__ import annotations

import os
import re
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
    """The logic runs without MkDocs' build machinery: importing every module of spmlib loads none of it.

    Every layer, spmlib.model.settings included: that is why extra.library is not a MkDocs Config."""
    paths = (p.relative_to(ROOT).with_suffix("") for p in (ROOT / "spmlib").rglob("*.py") if p.stem != "__main__")
    modules = sorted(".".join(path.parts) for path in paths)
    assert "spmlib.model.settings" in modules
    script = (
        f"import sys\nfor m in {modules!r}: __import__(m)\nprint(sorted(n for n in sys.modules if n.split('.')[0] == 'mkdocs'))"
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


# ---- extra.library is typed: unknown keys, wrong types and bad values at their file:line -------

ADDRESS_ADVICE = (
    "is not a web address; give a whole http:// or https:// address with no spaces or line breaks, "
    "like https://github.com/owner/repository, or leave it empty"
)
SETTINGS_LIST = "bundle, catalogue, keeper, keeper_url, offline, propose, repository, taxonomy"
NAME_ADVICE = "give the name of a person or an organisation as readers should see it, or leave it empty"

# (mkdocs.yml after `site_name: t` and `extra:` on lines 1-2, the exact message)
BAD_SETTINGS = [
    (
        "  library:\n    catalog: resources.yaml\n",
        "mkdocs.yml:4: error: unknown setting extra.library.catalog; did you mean catalogue?",
    ),
    (
        "  library:\n    catalogue: resources.yaml\n    taxonmy: taxonomy\n",
        "mkdocs.yml:5: error: unknown setting extra.library.taxonmy; did you mean taxonomy?",
    ),
    ("  library:\n    Offline: true\n", "mkdocs.yml:4: error: unknown setting extra.library.Offline; did you mean offline?"),
    (
        "  library:\n    repo: https://x.org\n",
        "mkdocs.yml:4: error: unknown setting extra.library.repo; did you mean repository?",
    ),
    (
        "  library:\n    colour: teal\n",
        f"mkdocs.yml:4: error: unknown setting extra.library.colour; the settings are {SETTINGS_LIST}",
    ),
    ("  libary:\n    catalogue: x.yaml\n", "mkdocs.yml:3: error: unknown setting extra.libary; did you mean library?"),
    ("  library:\n    offline: 'yes'\n", "mkdocs.yml:4: error: extra.library.offline is text ('yes'); give true or false"),
    ("  library:\n    offline: 1\n", "mkdocs.yml:4: error: extra.library.offline is a number (1); give true or false"),
    (
        "  library:\n    catalogue: [a.yaml, b.yaml]\n",
        "mkdocs.yml:4: error: extra.library.catalogue is a list (['a.yaml', 'b.yaml']); "
        "give the path of the catalogue relative to mkdocs.yml, like resources.yaml",
    ),
    (
        "  library:\n    taxonomy: 3\n",
        "mkdocs.yml:4: error: extra.library.taxonomy is a number (3); "
        "give the path of the taxonomy folder relative to mkdocs.yml, like taxonomy",
    ),
    ("  library:\n    bundle: [x]\n", "mkdocs.yml:4: error: extra.library.bundle is a list (['x']); give a mapping"),
    (
        "  library:\n    bundle:\n      name: b\n      relink: x\n",
        "mkdocs.yml:6: error: extra.library.bundle.relink is text ('x'); give a mapping",
    ),
    (
        "  library: resources.yaml\n",
        f"mkdocs.yml:3: error: extra.library is text ('resources.yaml'); give a mapping of settings: {SETTINGS_LIST}",
    ),
    (
        "  library:\n    repository: github.com/x/y\n",
        f"mkdocs.yml:4: error: extra.library.repository 'github.com/x/y' {ADDRESS_ADVICE}",
    ),
    (  # !ENV still works: the variable is unset, so the default was written in mkdocs.yml
        "  library:\n\n    propose: !ENV [SPM_TEST_NEVER_SET, 'www.example.org/form']\n",
        f"mkdocs.yml:5: error: extra.library.propose 'www.example.org/form' {ADDRESS_ADVICE}",
    ),
    # the keeper is shown on every home page: one line of visible text, or nothing
    ("  library:\n    keeper: 2024\n", f"mkdocs.yml:4: error: extra.library.keeper 2024 is a number; {NAME_ADVICE}"),
    ("  library:\n    keeper: [a, b]\n", f"mkdocs.yml:4: error: extra.library.keeper ['a', 'b'] is a list; {NAME_ADVICE}"),
    (
        '  library:\n    keeper: "Example\\nNetwork"\n',
        f"mkdocs.yml:4: error: extra.library.keeper 'Example\\nNetwork' holds U+000A control character; {NAME_ADVICE}",
    ),
    (
        '  library:\n    keeper: "Example\\u200bNetwork"\n',
        f"mkdocs.yml:4: error: extra.library.keeper 'Example\\u200bNetwork' holds U+200B ZERO WIDTH SPACE; {NAME_ADVICE}",
    ),
    (
        '  library:\n    keeper: " Example"\n',
        f"mkdocs.yml:4: error: extra.library.keeper ' Example' starts or ends with a space; {NAME_ADVICE}",
    ),
    (
        f'  library:\n    keeper: "{"x" * 121}"\n',
        f"mkdocs.yml:4: error: extra.library.keeper '{'x' * 121}' is longer than 120 characters; {NAME_ADVICE}",
    ),
    ("  library:\n    keper: X\n", "mkdocs.yml:4: error: unknown setting extra.library.keper; did you mean keeper?"),
    (
        "  library:\n    keeper_url: example.org\n",
        f"mkdocs.yml:4: error: extra.library.keeper_url 'example.org' {ADDRESS_ADVICE}",
    ),
    (
        "  library:\n    catalog: a.yaml\n    offline: 'no'\n",
        "mkdocs.yml:4: error: unknown setting extra.library.catalog; did you mean catalogue?\n"
        "mkdocs.yml:5: error: extra.library.offline is text ('no'); give true or false",
    ),
    (
        '  library:\n    "cat\\ealogue": x\n',
        "mkdocs.yml:4: error: unknown setting extra.library.cat\\x1balogue; did you mean catalogue?",
    ),
]


@pytest.mark.parametrize(("snippet", "message"), BAD_SETTINGS, ids=[m.split("error: ")[1][:50] for _, m in BAD_SETTINGS])
def test_bad_settings_are_reported_at_their_line(tmp_path, monkeypatch, snippet, message):
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nextra:\n" + snippet, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OptionsError) as caught:
        LibraryOptions.from_file("mkdocs.yml", environ={})
    assert str(caught.value) == message


def test_good_settings_and_empty_values(tmp_path, monkeypatch):
    """Empty values mean the defaults, and !ENV reads the address from the environment."""
    text = (
        "site_name: t\nextra:\n  social: []\n  library:\n    catalogue:\n    taxonomy: ''\n    offline: true\n"
        "    repository: !ENV [SPM_REPOSITORY, '']\n    bundle: {name: b, subset: {dimensions: [1]}}\n"
    )
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SPM_REPOSITORY", "https://github.com/x/y")
    options = LibraryOptions.from_file(tmp_path / "mkdocs.yml", environ={"SPM_REPOSITORY": "https://github.com/x/y"})
    assert options.catalogue == tmp_path / "resources.yaml" and options.taxonomy == tmp_path / "taxonomy"
    assert options.offline and options.bundle.subset == {"dimensions": [1]} and options.bundle.info["name"] == "b"
    assert options.links.repository == "https://github.com/x/y"
    assert options.links.propose == "https://github.com/x/y/issues/new?template=propose-a-resource.yml"


def test_the_keeper_comes_from_mkdocs_yml_or_the_environment(tmp_path):
    text = "site_name: t\nextra:\n  library:\n    keeper: !ENV [SPM_KEEPER, '']\n    keeper_url: !ENV [SPM_KEEPER_URL, '']\n"
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    environ = {"SPM_KEEPER": "Réseau Exemple", "SPM_KEEPER_URL": "https://example.org/"}
    with pytest.MonkeyPatch.context() as patch:  # !ENV reads the process's environment
        for name, value in environ.items():
            patch.setenv(name, value)
        links = LibraryOptions.from_file(tmp_path / "mkdocs.yml", environ=environ).links
        assert (links.keeper, links.keeper_url) == ("Réseau Exemple", "https://example.org/")
        patch.setenv("SPM_KEEPER", "A\tB")
        with pytest.raises(OptionsError) as caught:
            LibraryOptions.from_file(tmp_path / "mkdocs.yml", environ={**environ, "SPM_KEEPER": "A\tB"})
    assert str(caught.value) == f"SPM_KEEPER: error: 'A\\tB' holds U+0009 control character; {NAME_ADVICE}"
    (tmp_path / "mkdocs.yml").write_text(text.replace("!ENV [SPM_KEEPER, '']", "''"), encoding="utf-8")
    assert LibraryOptions.from_file(tmp_path / "mkdocs.yml", environ={}).links.keeper is None  # empty: no sentence


def test_a_file_outside_the_current_folder_is_named_as_given(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("extra:\n  library:\n    catalog: a.yaml\n", encoding="utf-8")
    with pytest.raises(OptionsError, match=rf"^{re.escape(str(tmp_path))}/mkdocs\.yml:3: error: unknown setting"):
        LibraryOptions.from_file(tmp_path / "mkdocs.yml", environ={})


def misspelled_project(tmp_path: Path) -> tuple[Path, int]:
    """The fixture project whose mkdocs.yml says `catalog:`, and that line."""
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines.index("    catalogue: resources.yaml\n")
    lines[line] = "    catalog: resources.yaml\n"
    (project / "mkdocs.yml").write_text("".join(lines), encoding="utf-8")
    return project, line + 1


def test_strict_build_fails_on_a_misspelled_setting(tmp_path):
    project, line = misspelled_project(tmp_path)
    result = run_spm(project, {}, sys.executable, "-m", "mkdocs", "build", "--strict")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"mkdocs.yml:{line}: error: unknown setting extra.library.catalog; did you mean catalogue?" in output
    assert "Traceback" not in output
    assert not (project / "site").exists()


def test_check_fails_on_a_misspelled_setting(tmp_path):
    project, line = misspelled_project(tmp_path)
    result = run_spm(project, {}, sys.executable, "-m", "spmlib", "check")
    assert result.returncode == 2
    assert result.stderr == f"mkdocs.yml:{line}: error: unknown setting extra.library.catalog; did you mean catalogue?\n"
