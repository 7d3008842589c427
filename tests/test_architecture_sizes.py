"""Issue 23: no function over 60 lines and no module over 600 lines outside the tests.

A long function mixes purposes that want names of their own; a long module, parts that want a
module of their own. A function counts from its `def` (its decorators apart) to its last line,
docstring included: `end_lineno - lineno + 1` of the node, as `ast` gives them. Nested functions
and methods count on their own, and inside the function that holds them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 600
FOLDERS = ("spmlib", "hooks", "benchmarks")


def sources() -> list[Path]:
    """The project's Python files under FOLDERS (not the tests, not installed packages)."""
    return sorted(
        path
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if not {"node_modules", ".venv", "__pycache__"} & set(path.relative_to(ROOT).parts)
    )


def oversized(path: Path, root: Path = ROOT) -> list[str]:
    """`file:line name (N lines)` for each function of `path` over MAX_FUNCTION_LINES, and
    `file (N lines)` if the module is over MAX_MODULE_LINES."""
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name} ({lines} lines, at most {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(text, filename=name)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name} ({length} lines, at most {MAX_FUNCTION_LINES})")
    return found


def test_the_size_check_finds_long_functions_and_modules(tmp_path):
    """The check itself: a function of 61 lines and a module of 601 are listed, 60 and 600 are not."""
    body = "\n".join(f"    x{i} = {i}" for i in range(59))
    text = f"def fits():\n{body}\n\n\ndef too_long():\n{body}\n    return 1\n"
    path = tmp_path / "spmlib" / "example.py"
    path.parent.mkdir()
    path.write_text(text + "\n" * (601 - len(text.splitlines())))
    assert oversized(path, tmp_path) == [
        "spmlib/example.py (601 lines, at most 600)",
        "spmlib/example.py:63 too_long (61 lines, at most 60)",
    ]


def test_no_function_over_60_lines_and_no_module_over_600_lines():
    found = [problem for path in sources() for problem in oversized(path)]
    assert not found, "too long (issue 23):\n" + "\n".join(found)
