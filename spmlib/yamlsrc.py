"""Reading maintainers' YAML safely, keeping the line of every value.

PyYAML alone is not enough for a catalogue edited by hand: it silently keeps the last of two
duplicate keys (losing data), it reports no line for a value that is wrong rather than
malformed, and anchors/aliases let a few hundred bytes expand to billions of nodes. Here the
document is composed into nodes, aliases are refused before anything is expanded, and the
nodes are turned into plain Python values while their lines are recorded by path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem
from .textcheck import control_characters, describe

Path_ = tuple[Any, ...]

MAX_DEPTH = 50
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
    expanding) nodes, and stops composing past MAX_DEPTH instead of recursing until Python gives up."""

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


def load_yaml(path: str | Path, display_name: str | None = None) -> tuple[Located | None, list[Problem]]:
    """Load one YAML file; never raises for bad content, returns the problems instead."""
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
    return load_yaml_text(text, name)


_FLOW_OPEN = re.compile(r"[\[{]")
_FLOW_CLOSE = re.compile(r"[\]}]")
# Block indicators that open a nested collection on the same line: `- - - x`, `? ? x`, `- a: - b`
_INDICATOR = re.compile(r"(?:^|[ \t])[-?:](?=[ \t]|$)")
# An anchor as a node property (`&name` after a separator); "R&D" or "Tom & Jerry" are not
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")


def _plainly_shallow(text: str) -> bool:
    """Whether libyaml may compose this text: it recurses in C, where deep nesting crashes the
    process (a segmentation fault) instead of raising. Errs on the side of the careful Python
    composer, which stops at MAX_DEPTH: nesting is counted within a line as well as across lines
    (`[[[[...`, `- - - -...`, `{a: {a: ...` written on one line), and by indentation."""
    depth = deepest = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > 2 * MAX_DEPTH:
            return False
        if line.count("- ") + line.count("? ") + line.count(": ") > MAX_DEPTH // 2:
            if len(_INDICATOR.findall(line)) > MAX_DEPTH // 2:
                return False
        if "[" in stripped or "{" in stripped or depth:
            depth += len(_FLOW_OPEN.findall(stripped)) - len(_FLOW_CLOSE.findall(stripped))
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH // 2:
                return False
    return True


class _Shared(Exception):
    """A node met twice: the document uses an alias. The Python composer will say where."""


def _fast(text: str, name: str) -> tuple[Located | None, list[Problem]] | None:
    """The common case, valid YAML without aliases, composed by libyaml (about 20x faster).

    Returns None whenever the careful path must run instead: no libyaml, a document that may be
    deeply nested, a syntax error (whose message the Python parser words better), or an alias.
    """
    if not getattr(yaml, "__with_libyaml__", False) or _ANCHOR.search(text) or not _plainly_shallow(text):
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
            converter = _Converter(loader, name, located, problems, check_shared=True)
            try:
                located.data = converter.convert(node, (), 0)
            except _Shared:
                return None
        return located, problems
    finally:
        loader.dispose()


def load_yaml_text(text: str, name: str) -> tuple[Located | None, list[Problem]]:
    """Parse YAML text; see `load_yaml`."""
    controls = control_characters(text)
    if controls:
        return None, [
            Problem(
                name,
                line,
                f"control character {describe(char)} in the text",
                hint="delete it; it often comes with text copied from a PDF or a spreadsheet",
            )
            for line, char in controls[:20]
        ]
    fast = _fast(text, name)
    if fast is not None:
        return fast
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses that the scan above let through
        line = text.count("\n", 0, exc.position) + 1
        return None, [Problem(name, line, f"character U+{exc.character:04X} is not allowed in YAML")]
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return None, [
            Problem(
                name,
                line,
                f"YAML syntax error: {detail}",
                hint="check the indentation and quotes on this line and the one before",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(name, None, f"YAML error: {exc}")]
    except _TooDeep as exc:
        return None, [
            Problem(
                name,
                exc.line,
                f"the YAML is nested more than {MAX_DEPTH} levels deep",
                hint="remove the extra brackets or dashes",
            )
        ]
    except RecursionError:  # pragma: no cover - _TooDeep stops composing long before
        return None, [Problem(name, None, f"the YAML is nested more than {MAX_DEPTH} levels deep")]
    finally:
        loader.dispose()

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
    converter = _Converter(loader, name, located, problems)
    located.data = converter.convert(node, (), 0)
    return located, problems


class _Converter:
    def __init__(self, loader, name: str, located: Located, problems: list[Problem], check_shared: bool = False):
        self.loader = loader
        self.name = name
        self.located = located
        self.problems = problems
        self.seen: set[int] | None = set() if check_shared else None

    def convert(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if self.seen is not None:
            if id(node) in self.seen:
                raise _Shared
            self.seen.add(id(node))
        self.located.lines[path] = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            self.problems.append(Problem(self.name, node.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep"))
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(
                Problem(
                    self.name,
                    node.start_mark.line + 1,
                    f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed",
                    hint="write plain values; put text in quotes",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        self.located.spans[path] = Span(
            flow=bool(node.flow_style),
            key_column=node.value[0][0].start_mark.column if node.value else None,
            end=(node.end_mark.line, node.end_mark.column),
            last_end=(node.value[-1][1].end_mark.line, node.value[-1][1].end_mark.column) if node.value else None,
        )
        result: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
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
            self.problems.append(
                Problem(
                    self.name,
                    node.start_mark.line + 1,
                    f"cannot read the value {node.value!r}: {getattr(exc, 'problem', None) or exc}",
                    hint="put quotes around text values",
                )
            )
            return None
