"""The import graph of the project's own Python code, read with `ast` (nothing is imported).

tests/test_architecture.py checks two rules with it: no circle between modules, and imports
between spmlib's layers only in the allowed direction. Reading the source rather than
importing it finds imports inside functions and under `if TYPE_CHECKING:` too: a type-only
import of a higher layer still means the lower layer knows about it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    """`importer` imports `imported` at `line` of `path`."""

    importer: str
    imported: str
    path: Path
    line: int


def module_name(path: Path, root: Path) -> str:
    """`spmlib/site/view.py` -> `spmlib.site.view`; a package's `__init__.py` is the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path, root: Path, known: set[str]) -> list[Import]:
    """Every import in `path` of a module in `known` (for `from package import module`, the module)."""
    importer = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, importer, path.name == "__init__.py")
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:  # `import a.b.c` of a function or class: its module
                name = name.rpartition(".")[0]
            if name and name != importer:
                found.append(Import(importer, name, path, node.lineno))
    return found


def project_imports(root: Path, folders: Iterable[str]) -> list[Import]:
    """The imports between the modules under `folders` of `root` (each folder a package)."""
    paths = [p for folder in folders for p in sorted((root / folder).rglob("*.py"))]
    known = {module_name(p, root) for p in paths}
    return [i for p in paths for i in imports_of(p, root, known)]


def circles(edges: Iterable[Import]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a circle (Tarjan's strongly
    connected components with more than one member), each sorted, in sorted order."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.importer, set()).add(edge.imported)
        graph.setdefault(edge.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def layer_of(module: str, package: str) -> str | None:
    """`spmlib.site.view` -> `site`; None for modules outside `package` or at its top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == package else None


def upward(edges: Iterable[Import], package: str, allowed: Mapping[str, set[str]]) -> list[str]:
    """Imports from one layer of `package` into a layer it may not use, as `path:line: a -> b`."""
    wrong = []
    for edge in edges:
        source, target = layer_of(edge.importer, package), layer_of(edge.imported, package)
        if source is None or target is None:
            continue
        if target not in allowed.get(source, set()):
            wrong.append(f"{edge.path}:{edge.line}: {edge.importer} ({source}) -> {edge.imported} ({target})")
    return sorted(set(wrong))
