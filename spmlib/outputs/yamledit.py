"""Editing `resources.yaml` as text: values replaced, added or removed, every other byte kept.

Maintainers comment the catalogue, group it with blank lines and wrap long summaries by hand;
a YAML library that loads and dumps the file would lose all of that (PyYAML) or reformat parts
of it (round-trip libraries re-indent and re-wrap), and the diff of an import would then be
the whole file. The imports (spmlib/outputs/translations.py, catalogueimport.py) instead work
out from the parse of the file (spmlib/model/yamlsrc.py: the line of every key, where every
value ends, how each mapping is written) which lines to replace, and write only those.

An `Edit` replaces whole lines; `apply_edits` makes all of them at once, and `back_to_sources`
sends each problem of the edited text back to what asked for the edit that wrote its line.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from spmlib.model.problems import Problem
from spmlib.model.yamldepth import too_deep
from spmlib.model.yamlsrc import Located, Path_

WRAP = 88  # the width long texts are folded to, like the rest of the file


@dataclass(frozen=True)
class Edit:
    """Lines `start` to `stop` (0-based, `stop` excluded; equal for an insertion before `start`)
    replaced by `lines` (without line ends). `origin` is what asked for it, for messages."""

    start: int
    stop: int
    lines: tuple[str, ...]
    origin: Any = None


class CannotEdit(Exception):
    """A value written in a way that cannot be changed without rewriting more than it."""


def line_end(text: str) -> str:
    """What the file's lines end with besides "\\n": "\\r" when most end with CRLF."""
    return "\r" if text.count("\r\n") * 2 > text.count("\n") else ""


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with the `edits` made. They must not overlap; insertions at the same place keep
    their order in `edits`. New lines end as the file's do (CRLF stays CRLF)."""
    eol = line_end(text)
    lines = text.split("\n")
    if lines[-1] != "" and any(edit.stop >= len(lines) - 1 for edit in edits):
        lines[-1] += eol  # the edited last line of a file without a final line break gets one
        lines.append("")
    order = sorted(range(len(edits)), key=lambda i: (edits[i].start, edits[i].stop, i), reverse=True)
    for i in order:
        edit = edits[i]
        lines[edit.start : edit.stop] = [line + eol for line in edit.lines]
    return "\n".join(lines)


def back_to_sources(
    problems: list[Problem], edits: Sequence[Edit], catalogue_name: str, send: Callable[[Problem, Any], list[Problem]]
) -> list[Problem]:
    """Problems of the edited text, sent back: `send(problem, origin)` for one on a line that an
    edit wrote, the line of the catalogue as it was for any other."""
    spans = []  # (first new line, lines written, lines added, origin), 0-based, in file order
    offset = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.stop)):
        added = len(edit.lines) - (edit.stop - edit.start)
        spans.append((edit.start + offset, len(edit.lines), added, edit.origin))
        offset += added
    result = []
    for problem in problems:
        if problem.file != catalogue_name or problem.line is None:
            result.append(problem)
            continue
        line0, shift, origin, found = problem.line - 1, 0, None, False
        for first, written, added, span_origin in spans:
            if line0 < first:
                break
            if line0 < first + written:
                origin, found = span_origin, True
                break
            shift += added
        if found:
            result += send(problem, origin)
        else:
            result.append(
                Problem(catalogue_name, line0 - shift + 1, problem.message, problem.resource_id, problem.field, hint=problem.hint)
            )
    return result


def last_content_line(lines: list[str], end: tuple[int, int]) -> int:
    """The last line holding part of a value that ends at `end` (block scalars end on the next
    line), skipping comments: for a block mapping's `Span.last_end`."""
    line, column = end
    if column == 0:
        line -= 1
    while line > 0 and (not lines[line].strip() or lines[line].lstrip().startswith("#")):
        line -= 1
    return line


def value_last_line(lines: list[str], located: Located, path: Path_) -> int:
    """The last line of the value at `path` (0-based), from where the parse says it ends
    (`Located.ends`): blank lines a block scalar takes in are left out, comments after it too."""
    line, column = located.ends[path]
    if column == 0:
        line -= 1
        while line > 0 and not lines[line].strip():
            line -= 1
    return line


def key_lines(lines: list[str], located: Located, path: Path_) -> tuple[int, int]:
    """The lines (start, stop) of `key: value` at `path` in a block mapping, comments and blank
    lines after the value left out."""
    span = located.spans.get(path[:-1])
    if span is None or span.flow:
        raise CannotEdit("the mapping is written on one line")
    start = located.lines[path] - 1
    return start, value_last_line(lines, located, path) + 1


def replace_key(lines: list[str], located: Located, path: Path_, new: list[str], origin: Any = None) -> Edit:
    """An edit that writes `new` (indented at the mapping's keys) instead of `key: value` at `path`.

    The first key of a list item shares its line with the dash (`- id: ...`): the dash is kept."""
    start, stop = key_lines(lines, located, path)
    column = located.spans[path[:-1]].key_column or 0
    head = lines[start].rstrip("\r")[:column]
    if head.strip() and not new:
        raise CannotEdit(f"'{path[-1]}' is written on the line of the entry's dash")
    return Edit(start, stop, tuple([head + new[0][column:], *new[1:]] if new else []), origin)


def roundtrips(yaml_text: str, value: Any) -> bool:
    """Whether `yaml_text`, a one-key document `k: ...`, reads back as `value`."""
    if isinstance(value, str) and value.lstrip().startswith(("[", "{", "&", "*", "!", "|", ">", "%", "@", "`")):
        return False  # quoted anyway
    if too_deep(yaml_text) is not None:  # a translator's `a: [[[[...`: never to a recursive composer
        return False
    try:
        return yaml.safe_load(yaml_text) == {"k": value}
    except (yaml.YAMLError, RecursionError):
        return False


def inline(value: str, flow: bool = False) -> str:
    """The value on one line: plain when YAML reads it back unchanged, else JSON-style quotes.
    `flow`: inside `{...}` or `[...]`, where a comma or a bracket ends a plain value."""
    if flow and any(char in value for char in ",[]{}"):
        return json.dumps(value, ensure_ascii=False)
    if "\n" not in value and roundtrips(f"k: {value}", value) and not value.startswith(("'", '"')):
        return value
    return json.dumps(value, ensure_ascii=False)


def block_entry(key: str, value: str, indent: int) -> str:
    """`key: value` at `indent`, long texts folded over several lines like the rest of the file,
    texts of several lines (Markdown paragraphs) as a literal block."""
    pad = " " * indent
    if "\n" in value.strip():
        literal = "k: |-\n" + "\n".join("  " + part if part else "" for part in value.split("\n"))
        if roundtrips(literal, value):
            return f"{pad}{key}: |-\n" + "\n".join(f"{pad}  {part}" if part else "" for part in value.split("\n"))
    if len(value) + indent + 4 <= WRAP or "\n" in value.strip():
        return f"{pad}{key}: {inline(value)}"
    wrapped = textwrap.wrap(value, width=WRAP - indent - 2, break_long_words=False, break_on_hyphens=False)
    folded = "k: >-\n" + "\n".join("  " + part for part in wrapped)
    if roundtrips(folded, value):
        return f"{pad}{key}: >-\n" + "\n".join(f"{pad}  {part}" for part in wrapped)
    return f"{pad}{key}: {inline(value)}"
