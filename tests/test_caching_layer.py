"""Caching is a layer beside the logic: the model and the site have one path each.

`make serve` keeps results between builds by passing cached versions of the site's functions
(spmlib.serve.cached, spmlib.serve.reload). If a function of spmlib/model or spmlib/site took a
memo again, or imported the serve layer, the domain would grow a second, cached path that a
full build never runs and its tests might not see.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = sorted(p for layer in ("model", "site") for p in (ROOT / "spmlib" / layer).rglob("*.py"))


def _parameters(node: ast.AST) -> list[str]:
    args = node.args  # type: ignore[attr-defined]
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return [a.arg for a in every if a is not None]


def _memo_parameters(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for name in _parameters(node):
                if name == "memo" or name.endswith("_memo"):
                    found.append(f"line {node.lineno}: {getattr(node, 'name', 'lambda')}({name})")
    return found


def _serve_imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        if any(name == "spmlib.serve" or name.startswith("spmlib.serve.") for name in names):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_the_domain_modules_are_found():
    names = {p.relative_to(ROOT / "spmlib").as_posix() for p in DOMAIN}
    assert {"model/catalogue.py", "site/explorer.py", "site/searchindex.py", "site/view.py"} <= names


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_domain_function_takes_a_memo_or_imports_the_serve_layer(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _memo_parameters(tree) == []
    assert _serve_imports(tree) == []


def test_the_checks_find_what_they_look_for():
    tree = ast.parse(
        "import spmlib.serve.memo\nfrom spmlib.serve import cached\ndef f(a, memo=None): pass\ng = lambda row_memo: 1\n"
    )
    assert len(_serve_imports(tree)) == 2
    assert len(_memo_parameters(tree)) == 2
