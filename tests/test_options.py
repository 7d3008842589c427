"""One reading of mkdocs.yml and the environment for the hooks, `make check`, bundles and the parallel build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT

from spmlib.options import LibraryOptions

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
