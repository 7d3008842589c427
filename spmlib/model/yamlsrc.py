"""Reading maintainers' YAML safely, keeping the line of every value.

PyYAML alone is not enough for a catalogue edited by hand: it silently keeps the last of two
duplicate keys (losing data), it reports no line for a value that is wrong rather than
malformed, and anchors/aliases let a few hundred bytes expand to billions of nodes. Here the
document is composed into nodes, aliases are refused before anything is expanded, and the
nodes are turned into plain Python values while their lines are recorded by path. Before any
of that, spmlib/model/yamldepth.py refuses a text nested deeper than libyaml's composer survives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from spmlib.model.problems import Problem
from spmlib.model.textcheck import control_characters, describe
from spmlib.model.yamldepth import MAX_DEPTH, too_deep

Path_ = tuple[Any, ...]

WRITTEN_CHARS = 200
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class Span:
    """Where a mapping sits in the text, so a tool can add a key to it without reformatting the file.

    Lines and columns are 0-based, as in PyYAML marks; `end` is just after the last character.
    """

    flow: bool
    key_column: int | None
    end: tuple[int, int]
    last_end: tuple[int, int] | None  # end of the last value: block mappings end at the next token


@dataclass
class Located:
    """A YAML document as plain values, plus the 1-based line of each path in it."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    spans: dict[Path_, Span] = field(default_factory=dict)
    # Each value's text as written in the file (its first WRITTEN_CHARS characters), when asked
    # for: a message can then quote `on` as the translator wrote it, not as the True YAML made of it.
    written: dict[Path_, str] = field(default_factory=dict)
    # Where each value ends (0-based line and column, just after it), asked for with `written`:
    # a tool that replaces a value in the text (spmlib/outputs/yamledit.py) must know where it
    # stops, which the next key's line does not say when comments or blank lines come between.
    # A block collection ends with its last item's value, not at the next token as PyYAML says.
    ends: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


class _Loader(yaml.SafeLoader):
    """A SafeLoader that records anchors and aliases as problems instead of sharing (and later
    expanding) nodes, and stops composing past MAX_DEPTH instead of recursing until Python gives up
    (a second guard: spmlib/model/yamldepth.py refuses such texts before they reach any composer)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.alias_lines: list[tuple[int, str]] = []
        self.anchor_lines: list[tuple[int, str]] = []
        self.depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self.alias_lines.append((event.start_mark.line + 1, event.anchor))
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            self.anchor_lines.append((event.start_mark.line + 1, event.anchor))
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:
                raise _TooDeep(event.start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(
    path: str | Path, display_name: str | None = None, reparser: Reparser | None = None, written: bool = False
) -> tuple[Located | None, list[Problem]]:
    """Load one YAML file; never raises for bad content, returns the problems instead.

    `reparser` keeps the last parse of this file, to compose only what an edit changed.
    `written` keeps the text of each value as written (Located.written), for messages."""
    name = display_name or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem(name, None, f"cannot read the file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "the file is not valid UTF-8", hint="save it as UTF-8 in your editor")]
    return reparser.load(text, name) if reparser is not None else load_yaml_text(text, name, written)


# An anchor as a node property (`&name` after a separator); "R&D" or "Tom & Jerry" are not
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")


class _Shared(Exception):
    """A node met twice: the document uses an alias. The Python composer will say where."""


def _fast(text: str, name: str, written: bool = False) -> tuple[Located | None, list[Problem]] | None:
    """The common case, valid YAML without aliases, composed by libyaml (about 20x faster).

    Returns None whenever the careful path must run instead: no libyaml, a syntax error (whose
    message the Python parser words better), or an alias. The text must have passed `too_deep`.
    """
    if not getattr(yaml, "__with_libyaml__", False) or _ANCHOR.search(text):
        return None
    loader = yaml.CSafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            return None
        located = Located(None)
        problems: list[Problem] = []
        if node is not None:
            converter = _Converter(loader, name, located, problems, check_shared=True, text=text if written else None)
            try:
                located.data = converter.convert(node, (), 0)
            except _Shared:
                return None
        return located, problems
    finally:
        loader.dispose()


def load_yaml_text(text: str, name: str, written: bool = False) -> tuple[Located | None, list[Problem]]:
    """Parse YAML text; see `load_yaml`."""
    refused = _refused_unread(text, name)
    if refused:
        return None, refused
    fast = _fast(text, name, written)
    if fast is not None:
        return fast
    composed = _compose_document(text, name)
    if isinstance(composed, Problem):
        return None, [composed]
    loader, node = composed
    problems = [
        Problem(
            name,
            line,
            f"YAML anchor '&{anchor}' is not allowed in the catalogue",
            hint="anchors (&name) and aliases (*name) are refused; write the value out in full",
        )
        for line, anchor in loader.anchor_lines
    ] + [
        Problem(
            name,
            line,
            f"YAML alias '*{anchor}' is not allowed in the catalogue",
            hint="anchors (&name) and aliases (*name) are refused; write the value out in full",
        )
        for line, anchor in loader.alias_lines
    ]
    located = Located(None)
    if node is None:
        return located, problems
    converter = _Converter(loader, name, located, problems, text=text if written else None)
    located.data = converter.convert(node, (), 0)
    return located, problems


def _refused_unread(text: str, name: str) -> list[Problem]:
    """The problems that refuse `text` before any YAML library reads it: control characters
    (the first 20), and nesting deeper than libyaml's composer survives (it would crash)."""
    controls = control_characters(text)
    if controls:
        return [
            Problem(
                name,
                line,
                f"control character {describe(char)} in the text",
                hint="delete it; it often comes with text copied from a PDF or a spreadsheet",
            )
            for line, char in controls[:20]
        ]
    deep = too_deep(text)
    if deep is not None:  # before any YAML library: libyaml's composer would crash on it
        return [_nested(name, deep)]
    return []


def _compose_document(text: str, name: str) -> tuple[_Loader, yaml.Node | None] | Problem:
    """libyaml's node tree of `text` with the loader that read it (its anchor and alias lines),
    or the one problem that stopped it: a character YAML refuses, or a syntax error."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses that control_characters let through
        line = text.count("\n", 0, exc.position) + 1
        return Problem(name, line, f"character U+{exc.character:04X} is not allowed in YAML")
    try:
        return loader, loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return Problem(
            name,
            line,
            f"YAML syntax error: {detail}",
            hint="check the indentation and quotes on this line and the one before",
        )
    except yaml.YAMLError as exc:
        return Problem(name, None, f"YAML error: {exc}")
    except _TooDeep as exc:  # pragma: no cover - too_deep refused the text before
        return _nested(name, exc.line)
    except RecursionError:  # pragma: no cover - too_deep refused the text before
        return _nested(name, None)
    finally:
        loader.dispose()


def _content_end(node: yaml.Node) -> yaml.Mark:
    """Where a node's own text ends: a block collection's is its last item's (PyYAML ends it at
    the next token, after any comments and blank lines that follow)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark


def _nested(name: str, line: int | None) -> Problem:
    return Problem(
        name, line, f"the YAML is nested more than {MAX_DEPTH} levels deep", hint="remove the extra brackets or dashes"
    )


class _Converter:
    def __init__(
        self,
        loader,
        name: str,
        located: Located,
        problems: list[Problem],
        check_shared: bool = False,
        line_offset: int = 0,
        text: str | None = None,
    ):
        self.loader = loader
        self.text = text  # the text composed, to keep each value as written
        self.name = name
        self.located = located
        self.problems = problems
        self.seen: set[int] | None = set() if check_shared else None
        self.offset = line_offset  # the text composed starts at this 0-based line of the file (Reparser)

    def convert(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if self.seen is not None:
            if id(node) in self.seen:
                raise _Shared
            self.seen.add(id(node))
        self.located.lines[path] = node.start_mark.line + 1 + self.offset
        if self.text is not None:
            start = node.start_mark.index
            self.located.written[path] = self.text[start : min(node.end_mark.index, start + WRITTEN_CHARS)]
            end = _content_end(node)
            self.located.ends[path] = (end.line + self.offset, end.column)
        if depth > MAX_DEPTH:
            return self._refuse(node, f"nested more than {MAX_DEPTH} levels deep")
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            return self._refuse(node, f"the YAML tag {tag!r} is not allowed", "write plain values; put text in quotes")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        offset = self.offset
        self.located.spans[path] = Span(
            flow=bool(node.flow_style),
            key_column=node.value[0][0].start_mark.column if node.value else None,
            end=(node.end_mark.line + offset, node.end_mark.column),
            last_end=(node.value[-1][1].end_mark.line + offset, node.value[-1][1].end_mark.column) if node.value else None,
        )
        result: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + self.offset
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.name, line, "a mapping key must be plain text"))
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(self.name, line, "YAML merge keys (<<) are not allowed in the catalogue"))
                continue
            key = self._scalar(key_node)
            if key in first_line:
                self.problems.append(
                    Problem(
                        self.name,
                        line,
                        f"duplicate key {key!r} (first on line {first_line[key]}); YAML would silently keep only the last one",
                        hint="merge the two or delete one",
                    )
                )
                continue
            first_line[key] = line
            result[key] = self.convert(value_node, path + (key,), depth + 1)
            # a key's line is more useful than its value's when the value is a block below it
            self.located.lines[path + (key,)] = line
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:  # most values: skip the constructor's dispatch
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError, TypeError) as exc:
            problem = getattr(exc, "problem", None) or exc
            return self._refuse(node, f"cannot read the value {node.value!r}: {problem}", "put quotes around text values")

    def _refuse(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        """Report `node` at its line; its value is read as None (the entry then fails the schema)."""
        self.problems.append(Problem(self.name, node.start_mark.line + 1 + self.offset, message, hint=hint))


@dataclass
class _Last:
    """A clean parse of a list file: its lines and where each top-level list item starts."""

    lines: list[str]
    located: Located
    key: str  # the top-level key holding the list ("resources")
    starts: list[int]  # 0-based line of each item's "- "
    indent: int  # column of the items' "-"


class Reparser:
    """Parses a catalogue again after an edit by composing only the entries that changed.

    `make serve` reloads the catalogue on every save; at 2,000 entries composing the whole file
    was most of a second of each edit. The lines the edit left alone are found by comparing
    with the last text; the entries they hold are taken from the last parse (their lines moved
    by the number of lines added or removed), and the changed stretch, whole entries from the
    one before the change to the end of it, is composed on its own. Whenever the stretch does
    not parse cleanly as a list of entries, or the file is shaped otherwise than
    `key:` + a block list of mappings, the whole file is parsed as `load_yaml_text` would, so
    results and messages never differ (tests/test_yaml_incremental.py compares the two).
    """

    def __init__(self) -> None:
        self._last: _Last | None = None

    def load(self, text: str, name: str) -> tuple[Located | None, list[Problem]]:
        quick = self._again(text, name) if self._last is not None else None
        if quick is not None:
            return quick
        located, problems = load_yaml_text(text, name)
        self._remember(text, located, problems)
        return located, problems

    def _remember(self, text: str, located: Located | None, problems: list[Problem]) -> None:
        self._last = None
        if located is None or problems or "\r" in text or not isinstance(located.data, dict) or len(located.data) != 1:
            return
        (key,) = located.data
        items = located.data[key]
        if not isinstance(items, list) or not items or not all(isinstance(item, dict) and item for item in items):
            return
        lines = text.split("\n")
        if any((key, i) not in located.lines for i in range(len(items))):
            return
        starts = _starts_of(located, key, len(items))
        indent = len(lines[starts[0]]) - len(lines[starts[0]].lstrip(" "))
        # a plain block list: every item's dash at one column, its first key on the same line
        if all(lines[start].startswith(" " * indent + "- ") for start in starts):
            self._last = _Last(lines, located, key, starts, indent)

    def _again(self, text: str, name: str) -> tuple[Located, list[Problem]] | None:
        last = self._last
        assert last is not None
        if "\r" in text:
            return None
        old, new = last.lines, text.split("\n")
        shortest = min(len(old), len(new))
        same_start = 0
        while same_start < shortest and old[same_start] == new[same_start]:
            same_start += 1
        if same_start == len(old) == len(new):
            return _copy(last.located), []
        same_end = 0
        while same_end < shortest - same_start and old[-1 - same_end] == new[-1 - same_end]:
            same_end += 1
        starts = last.starts
        if same_start <= starts[0]:  # the lines before the list changed
            return None
        # From the entry before the first changed line (an edit at an entry's start may belong to
        # the one above) to the end of the entry holding the last changed line.
        first = max(_item_at(starts, same_start) - 1, 0)
        changed_end = len(old) - same_end  # first old line after the change
        after = next((i for i, start in enumerate(starts) if start > changed_end), len(starts))
        begin = starts[first]
        old_stop = starts[after] if after < len(starts) else len(old)
        shift = len(new) - len(old)
        new_stop = old_stop + shift
        if new_stop <= begin:
            return None
        # The stretch takes the first line of the entry after it too: a block mapping ends at the
        # next entry's dash, and is read to there as in the whole file; that entry is dropped.
        reaches_end = after == len(starts)
        stretch = "\n".join(new[begin:new_stop] if reaches_end else new[begin : new_stop + 1])
        if _ANCHOR.search(stretch) or control_characters(stretch) or too_deep(stretch) is not None:
            return None
        composed = _compose_items(stretch, name, begin, last.key, first)
        if composed is None:
            return None
        items, part, end = composed
        if not reaches_end:
            if len(items) < 2 or part.lines[(last.key, first + len(items) - 1)] - 1 != new_stop:
                return None
            items.pop()
            dropped = (last.key, first + len(items))
            for table in (part.lines, part.spans):
                for path in [p for p in table if p[:2] == dropped]:
                    del table[path]
        dash = " " * last.indent + "- "
        if not all(new[part.lines[(last.key, first + i)] - 1].startswith(dash) for i in range(len(items))):
            return None
        located = _splice(last, part, items, first, after, shift, end if reaches_end else None)
        self._last = _Last(new, located, last.key, _starts_of(located, last.key, len(located.data[last.key])), last.indent)
        return _copy(located), []


def _item_at(starts: list[int], line: int) -> int:
    """The index of the item that holds 0-based `line`."""
    found = 0
    for i, start in enumerate(starts):
        if start > line:
            break
        found = i
    return found


def _starts_of(located: Located, key: str, count: int) -> list[int]:
    return [located.lines[(key, i)] - 1 for i in range(count)]


def _compose_items(stretch: str, name: str, begin: int, key: str, first: int) -> tuple[list, Located, tuple[int, int]] | None:
    """The entries of one stretch of the list, with their paths numbered from `first` and
    lines counted from `begin`; None unless it is a clean block list of mappings."""
    if not getattr(yaml, "__with_libyaml__", False):
        return None
    loader = yaml.CSafeLoader(stretch)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            return None
        if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
            return None
        part = Located(None)
        problems: list[Problem] = []
        converter = _Converter(loader, name, part, problems, check_shared=True, line_offset=begin)
        items = []
        try:
            for i, item in enumerate(node.value):
                if not isinstance(item, yaml.MappingNode) or not item.value or item.flow_style:
                    return None
                items.append(converter.convert(item, (key, first + i), 2))  # as under `key:` (depth 1)
        except _Shared:
            return None
        if problems:
            return None
        return items, part, (node.end_mark.line + begin, node.end_mark.column)
    finally:
        loader.dispose()


def _splice(last: _Last, part: Located, items: list, first: int, after: int, shift: int, end: tuple[int, int] | None) -> Located:
    """The last parse with its items first..after-1 replaced by the newly composed ones; `end` is
    where the list now ends when the stretch reached the end of the file."""
    key = last.key
    old = last.located
    moved = len(items) - (after - first)
    located = Located({key: old.data[key][:first] + items + old.data[key][after:]})
    if shift == 0 and moved == 0:
        # The usual edit of a value: nothing else moved. Copy the tables whole and replace the
        # paths of the entries composed again (found by walking their old values).
        located.lines, located.spans = dict(old.lines), dict(old.spans)
        for index in range(first, after):
            for path in _paths_of(old.data[key][index], (key, index)):
                located.lines.pop(path, None)
                located.spans.pop(path, None)
        top = old.spans.get(())
        if end is not None and top is not None:
            located.spans[()] = Span(top.flow, top.key_column, end, end)
        located.lines.update(part.lines)
        located.spans.update(part.spans)
        return located

    # Inline rather than through helper functions: this runs for every value of the file.
    lines = located.lines
    for path, line in old.lines.items():
        if len(path) < 2 or path[0] != key or not isinstance(path[1], int) or path[1] < first:
            lines[path] = line
        elif path[1] >= after:  # after the change: moved down by `shift` lines, renumbered by `moved`
            lines[(key, path[1] + moved, *path[2:]) if moved else path] = line + shift
    spans = located.spans
    for path, span in old.spans.items():
        if len(path) >= 2 and path[0] == key and isinstance(path[1], int):
            if path[1] < first:
                spans[path] = span
                continue
            if path[1] < after:
                continue
            path = (key, path[1] + moved, *path[2:])
        elif end is not None and path == ():  # the top-level mapping ends with the list
            spans[path] = Span(span.flow, span.key_column, end, end)
            continue
        spans[path] = Span(  # items after the change, and the top-level mapping, which ends after them
            span.flow,
            span.key_column,
            (span.end[0] + shift, span.end[1]),
            (span.last_end[0] + shift, span.last_end[1]) if span.last_end else None,
        )
    located.lines.update(part.lines)
    located.spans.update(part.spans)
    return located


def _paths_of(value: Any, path: Path_) -> Iterator[Path_]:
    """`path` and the path of every value inside `value`, as the converter records them."""
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths_of(inner, path + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths_of(inner, path + (index,))


def _copy(located: Located) -> Located:
    """A Located whose dicts the caller may change without changing the Reparser's."""
    return Located(located.data, dict(located.lines), dict(located.spans))
