"""The layout of the code is a rule, not a habit: layers import one way and nothing goes round.

spmlib's subpackages are layers. The model (what the catalogue and taxonomy say) is the base;
the site's pages and files are made from the model; the offline outputs and maintainer tools use
both; `make serve` wraps the site's pure functions with its caches; the build processes run
MkDocs in children. A lower layer that imported a higher one would make the model know about a
cache or a bundle, which is exactly what made every computation have two paths before.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from tools.imports import Import, circles, project_imports, upward

ROOT = Path(__file__).resolve().parent.parent
# Which layers each layer may import (itself included). `spmlib/__main__.py`, the command line,
# sits on top and may import them all.
ALLOWED = {
    "model": {"model"},
    "site": {"model", "site"},
    "processes": {"model", "processes"},
    "outputs": {"model", "site", "processes", "outputs"},
    "serve": {"model", "site", "processes", "serve"},
}
# MkDocs' build machinery belongs to the hooks (hooks/, spm_mkdocs); spmlib is called by them.
MKDOCS_BUILD = ("mkdocs.commands", "mkdocs.structure", "mkdocs.livereload", "mkdocs.plugins", "material", "mkdocs_static_i18n")


@pytest.fixture(scope="module")
def edges() -> list[Import]:
    return project_imports(ROOT, ["spmlib", "benchmarks"]) + project_imports(ROOT / "hooks", ["spm_mkdocs"])


def test_no_module_imports_itself_around_a_circle(edges):
    assert circles(edges) == []


def test_layers_import_only_downwards(edges):
    assert upward(edges, "spmlib", ALLOWED) == []


def test_every_layer_is_declared_and_says_what_it_holds():
    """A new subpackage must be placed in ALLOWED (and so in ARCHITECTURE.md's picture), and its
    docstring is the paragraph a new maintainer reads first."""
    packages = sorted(p.parent.name for p in (ROOT / "spmlib").glob("*/__init__.py"))
    assert packages == sorted(ALLOWED)
    architecture = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name in packages:
        doc = ast.get_docstring(ast.parse((ROOT / "spmlib" / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 30, f"spmlib/{name}/__init__.py needs a paragraph saying what the layer holds"
        assert f"spmlib/{name}/" in architecture, f"ARCHITECTURE.md does not place spmlib/{name}/"


def test_spmlib_leaves_mkdocs_build_to_the_hooks():
    found = []
    for path in sorted((ROOT / "spmlib").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            found += [f"{path.relative_to(ROOT)}:{node.lineno}: {n}" for n in names if n.startswith(MKDOCS_BUILD)]
    assert found == []


# The checks themselves, on a made-up package, so that a test above cannot pass by finding nothing.
def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"pkg/__init__.py": "", "pkg/a.py": "from . import b\n", "pkg/b.py": "import pkg.a\n"}, [["pkg.a", "pkg.b"]]),
        (  # round three modules, one import inside a function, one type-only
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "from pkg.b import x\n",
                "pkg/b.py": "def f():\n    from .c import y\n",
                "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import z\n",
            },
            [["pkg.a", "pkg.b", "pkg.c"]],
        ),
        ({"pkg/__init__.py": "", "pkg/a.py": "from pkg import b\n", "pkg/b.py": "import json\n"}, []),
        (
            {"pkg/__init__.py": "", "pkg/sub/__init__.py": "from . import m\n", "pkg/sub/m.py": "import pkg.sub\n"},
            [["pkg.sub", "pkg.sub.m"]],
        ),
    ],
)
def test_circles_are_found(tmp_path, files, expected):
    root = _tree(tmp_path, files)
    assert circles(project_imports(root, ["pkg"])) == expected


def test_upward_imports_are_named_with_their_line(tmp_path):
    root = _tree(
        tmp_path,
        {
            "spmlib/__init__.py": "",
            "spmlib/model/__init__.py": "",
            "spmlib/model/m.py": "import json\n\n\ndef f():\n    from spmlib.serve.s import cache\n",
            "spmlib/site/__init__.py": "",
            "spmlib/site/v.py": "from ..model.m import f\n",
            "spmlib/serve/__init__.py": "",
            "spmlib/serve/s.py": "from spmlib.site import v\n",
        },
    )
    assert upward(project_imports(root, ["spmlib"]), "spmlib", ALLOWED) == [
        f"{root / 'spmlib/model/m.py'}:5: spmlib.model.m (model) -> spmlib.serve.s (serve)"
    ]
