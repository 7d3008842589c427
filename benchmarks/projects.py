"""A copy of the site project around a generated catalogue, for the benchmarks that build or serve it.

Its own module because both bench.py (builds) and serve.py (`make serve` edits) need it: when it
lived in bench.py, serve.py imported bench.py, which imports serve.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_project(base: Path, catalogue_text: str) -> Path:
    """base/project: hooks, overrides and taxonomy linked, docs and mkdocs.yml copied, the catalogue
    written; plus mkdocs-en.yml, the same config building English only (static-i18n's build_only_locale)."""
    project = base / "project"
    project.mkdir(parents=True)
    for name in ("hooks", "overrides", "taxonomy"):
        (project / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "resources.yaml").write_text(catalogue_text, encoding="utf-8")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    english = text.replace("docs_structure: suffix", "docs_structure: suffix\n      build_only_locale: en")
    (project / "mkdocs-en.yml").write_text(english, encoding="utf-8")
    return project
