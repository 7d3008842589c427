"""How deeply a YAML text nests, counted before any YAML library reads it.

libyaml parses without recursion, but PyYAML's C composer (CSafeLoader, about 20x faster than
the pure Python one) builds the nodes by recursing in C: some 30,000 nested levels exhaust the
stack and the process ends with a segmentation fault, not an exception. `[[[[...]]]]`,
`{a: {a: ...}}` or `- - - - ...` written on one line is enough. So every YAML file the project
reads (spmlib/model/yamlsrc.py) is first scanned here, and refused with its line past MAX_DEPTH.

The scan reads the text as libyaml's scanner does, token by token, and keeps the running depth:
block collections by the same indentation stack (`- - -` and `key:` open one level each where
libyaml would), flow collections by their brackets, and the single-pair mappings that
`[a: b]` makes inside a flow sequence. Brackets inside quoted scalars, plain scalars, block
scalars (`|`, `>`) and comments do not count. Wherever the scan could be unsure it counts the
deeper reading, never the shallower: too deep a count refuses a file with a clear message,
too shallow a one would let the composer crash. tests/test_yaml_safety.py checks it against
libyaml's own events on random texts.

Cost: one pass, most lines read by one short regular expression and string methods. About 7 ms
of CPU for the shipped catalogue and 0.6 s for 10,000 entries (12.7 MB), where loading them takes
39 ms and 7 s; `make serve` scans only the entries an edit changed (yamlsrc.Reparser). A hostile
file is refused at the first line that passes the limit, however long the line.
"""

from __future__ import annotations

import re
import sys

MAX_DEPTH = 50  # nested collections; the shipped files use at most 6 (taxonomy/dimensions.yaml)

_SPACES = re.compile(r"[ \t]*")
# The rest of a quoted scalar after its opening quote, up to and including the closing one
# (on the same line; otherwise the scalar goes on to the next lines).
_DOUBLE_END = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"')
_SINGLE_END = re.compile(r"[^']*(?:''[^']*)*'(?!')")
# Where a plain scalar ends in flow context: ": " (a value follows), " #" (a comment), one of
# , [ ] { } ?, or ":" before one of them. Brackets before that are text. (In block context only
# ": " and " #" end it: see _plain_end.)
_FLOW_PLAIN_END = re.compile(r":(?=[ \t,\[\]{}]|$)|[ \t]#|[,\[\]{}?]")
# The rest of an &anchor or *alias name, and of a !tag, with exactly the characters libyaml
# takes (anything else after them is an error): read less, and the rest would be taken for a
# plain scalar that hides the brackets after it.
_NAME_END = re.compile(r"[0-9A-Za-z_-]*")
_TAG_END = re.compile(r"<[0-9A-Za-z_\-;/?:@&=+$.%!~*'(),\[\]]*>|[0-9A-Za-z_\-;/?:@&=+$.%!~*'()]*")
_BLOCK_HEADER = re.compile(r"[|>](?:([1-9])[+-]?|[+-]([1-9])?)?")
# Most lines of the catalogue and the taxonomy start `key:`, `- key:` or `- ` (the value is
# looked at with string methods, many times faster than a regular expression on long text).
_SIMPLE_START = re.compile(r"( *)(- +)?([A-Za-z0-9_][\w.-]*:(?: +|$))?")
# A flow collection of plain words and one-line quoted texts, such as `[4A, 6C]` or
# `{lang: en, url: "https://..."}`: one level, closed on its line.
_ITEM = r"""(?:[\w.-]+|"[^"\\]*"|'[^']*')"""
_FLAT_SEQUENCE = re.compile(rf"\[ *(?:{_ITEM} *(?:, *{_ITEM} *)*,? *)?\] *")
_PAIR = rf"[\w.-]+(?: *: +{_ITEM})?"
_FLAT_MAPPING = re.compile(rf"\{{ *(?:{_PAIR} *(?:, *{_PAIR} *)*,? *)?\}} *")
_NOT_PLAIN_START = frozenset("\"'[]{}#&*!|>%@`,?:\t")
_FLOW_INDICATORS = frozenset("[]{},:?-")  # the characters _Scanner.flow_token may take

_NORMAL, _PLAIN, _DOUBLE, _SINGLE, _BLOCK = range(5)
_FLAT = 5  # from _simple_value: a flat flow collection, then _NORMAL


def too_deep(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The 1-based line where `text` first nests more than `limit` collections, or None."""
    depth, line = _scan(text, limit)
    return line if depth > limit else None


def deepest(text: str) -> tuple[int, int]:
    """(the deepest nesting of collections in `text`, the line where it is first reached)."""
    return _scan(text, sys.maxsize)


def _scan(text: str, limit: int) -> tuple[int, int]:
    """The deepest nesting and its line, stopping as soon as the depth passes `limit`."""
    scanner = _Scanner(limit)
    try:
        scanner.read(text[1:] if text.startswith("\ufeff") else text)
    except _PastLimit:
        pass  # refused at the first line past the limit, however much text follows
    return scanner.best, scanner.best_line


class _PastLimit(Exception):
    """Raised by _Scanner.reach when the depth passes the limit: the rest of the text is not read."""


_SKIP = -2  # from _Scanner.resume and line_start: nothing more to read on this line


class _Scanner:
    """The state of one scan, and one method per construct of libyaml's scanner that moves it.

    The state is what libyaml's scanner keeps: the indentation stack of block collections, the
    open flow collections, the multi-line scalar being read, and where a simple key may start.
    Slots, and the common line `key: value` read in the loop itself: the scan runs on every line."""

    __slots__ = (
        "allow",
        "best",
        "best_line",
        "blank",
        "block",
        "cols",
        "flow",
        "indent",
        "indentless",
        "key_col",
        "key_deepest",
        "levels",
        "limit",
        "maps",
        "min_indent",
        "mode",
    )

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # Block collections: columns, whether a mapping, whether holding an indentless sequence
        self.cols: list[int] = []
        self.maps: list[bool] = []
        self.indentless: list[bool] = []
        self.block = 0  # levels they make
        # Flow collections: [is a sequence, holds a single-pair mapping now (0/1),
        #                    deepest level in its current entry, deepest level in it]
        self.flow: list[list] = []
        self.levels = 0  # levels they make
        self.mode = _NORMAL
        self.min_indent = self.indent = self.blank = 0  # of the block scalar being read
        self.key_col = -1  # where the node that may turn out to be a block mapping key starts
        self.key_deepest = 0  # the deepest level inside the flow collections read since that key started
        self.allow = True  # whether a key may start here (libyaml's simple_key_allowed)
        self.best = self.best_line = 0

    def read(self, text: str) -> None:
        """Read every line: a scalar that goes on from the line before, then the line's start, then
        its tokens. The common line `key: value` (see _simple_value) is read here in the loop:
        most lines of the catalogue are one, and a method call for each cost some 10% of the scan."""
        cols, indentless = self.cols, self.indentless  # emptied in place by a new document, never replaced
        for number, line in enumerate(text.splitlines(), 1):
            mode = self.mode
            if mode == _NORMAL:
                i = -1  # where to go on reading this line; -1: from its start
            elif mode == _PLAIN:  # after `key: text`, the next line of most: one call, not two
                i = self.resume_plain(line)
            else:
                i = self.resume(line)
            if i == _SKIP:
                continue
            if i < 0:
                if not self.flow:
                    simple = _SIMPLE_START.match(line)
                    spaces, dash, key = simple.groups()
                    value = _simple_value(line, simple.end()) if dash or key else None
                    if value is not None:
                        column = len(spaces)
                        if cols and (cols[-1] > column or (cols[-1] == column and indentless[-1] and not dash)):
                            self.close_blocks(column, bool(dash))
                        if dash:
                            self.sequence_entry(column)
                            column += len(dash)
                        if key and (not cols or column > cols[-1]):
                            self.open_block(column, True)
                        depth = self.block + 1 if value == _FLAT else self.block
                        if depth > self.best:
                            self.reach(depth, number)
                        self.mode = _NORMAL if value == _FLAT else value
                        continue
                i = self.line_start(line)
                if i == _SKIP:
                    continue
            self.tokens(line, i, number)

    def reach(self, depth: int, number: int) -> None:
        """Record `depth` on line `number` if it is the deepest yet; stop the scan past the limit."""
        if depth > self.best:
            self.best, self.best_line = depth, number
            if depth > self.limit:
                raise _PastLimit

    # Block collections, by the indentation stack

    def open_block(self, column: int, mapping: bool) -> None:
        """A block sequence or mapping starts at `column`: one level deeper."""
        self.cols.append(column)
        self.maps.append(mapping)
        self.indentless.append(False)
        self.block += 1

    def close_blocks(self, column: int, entry: bool) -> None:
        """A token at `column` ends the block collections indented deeper, and the indentless
        sequence at `column` unless the token is one more of its entries (`entry`: a `- `)."""
        cols, indentless = self.cols, self.indentless
        while cols and cols[-1] > column:
            cols.pop()
            self.maps.pop()
            self.block -= 1 + indentless.pop()
        if cols and cols[-1] == column and indentless[-1] and not entry:
            indentless[-1] = False
            self.block -= 1

    def sequence_entry(self, column: int) -> None:
        """`- ` at `column`: a new block sequence if indented deeper, or, at a mapping's own column,
        the indentless sequence of its value (`key:` then `- a` below it, at the same column)."""
        cols = self.cols
        if not cols or column > cols[-1]:
            self.open_block(column, False)
        elif self.maps[-1] and not self.indentless[-1]:
            self.indentless[-1] = True
            self.block += 1

    def line_start(self, line: str) -> int:
        """Where the tokens of a line that is not a simple one start, or _SKIP for a blank line, a
        comment or a directive. Outside flow collections a key may start on every line."""
        n = len(line)
        i = n - len(line.lstrip(" \t"))
        if i == n or line[i] == "#":
            return _SKIP
        if i == 0 and line.startswith(("---", "...")) and (n == 3 or line[3] in " \t"):
            if not self.flow:  # a new document (in a flow collection, an error)
                self.cols.clear()
                self.maps.clear()
                self.indentless.clear()
                self.block = 0
            self.key_col, self.key_deepest, self.allow = -1, 0, True
            return 3
        if i == 0 and line[0] == "%":
            return _SKIP  # a directive
        if not self.flow:
            self.key_col, self.key_deepest, self.allow = -1, 0, True
        return i

    # Scalars that go on from one line to the next

    def resume(self, line: str) -> int:
        """For a line read inside a block or quoted scalar (plain: resume_plain): _SKIP while the
        scalar goes on, where the tokens after its end start, or -1 to read the line from its start."""
        if self.mode == _BLOCK:
            return self.resume_block_scalar(line)
        match = (_DOUBLE_END if self.mode == _DOUBLE else _SINGLE_END).match(line)
        if match is None:
            return _SKIP
        self.mode, self.allow, self.key_col = _NORMAL, False, -1
        return match.end()

    def resume_block_scalar(self, line: str) -> int:
        """A block scalar (`|`, `>`) goes on while its lines are blank or indented by at least its
        indentation, which its first non-blank line sets unless the header gave it."""
        n = len(line)
        spaces = n - len(line.lstrip(" "))
        if spaces == n:
            if not self.indent and spaces > self.blank:
                self.blank = spaces
            return _SKIP
        if not self.indent:
            self.indent = max(self.min_indent, self.blank, spaces)
        if spaces >= self.indent:
            return _SKIP
        self.mode = _NORMAL
        return -1

    def resume_plain(self, line: str) -> int:
        """A plain scalar goes on to a line indented deeper than its block collection (any line in
        a flow collection), up to a comment, a document marker or where it ends on that line."""
        n = len(line)
        start = n - len(line.lstrip(" \t"))
        if start == n:
            return _SKIP  # a blank line inside the plain scalar
        self.mode = _NORMAL
        if line[start] == "#":
            return _SKIP  # a comment ends the scalar
        marker = start == 0 and line.startswith(("---", "...")) and (n == 3 or line[3] in " \t")
        if marker or not (self.flow or start > (self.cols[-1] if self.cols else -1)):
            return -1
        i = _flow_plain_end(line, start) if self.flow else _plain_end(line, start)
        if i < 0:
            self.mode = _PLAIN
            return _SKIP  # the scalar goes on
        if line[i] in " \t":
            return _SKIP  # a comment ends it
        self.key_col, self.allow = -1, True  # a key cannot span lines; after a line break one may start
        return i

    # The tokens of a line

    def tokens(self, line: str, i: int, number: int) -> None:
        """Read the tokens of `line` from `i` to its end or to a comment."""
        n = len(line)
        flow = self.flow  # emptied and filled in place, never replaced
        while True:
            if i < n and line[i] in " \t":
                i = _SPACES.match(line, i).end()
            if i >= n or line[i] == "#":
                return
            char = line[i]
            blank_next = i + 1 >= n or line[i + 1] in " \t"
            if not flow:
                end = self.block_token(line, i, blank_next, number)
            elif char in _FLOW_INDICATORS:
                end = self.flow_token(char, i, blank_next, number)
            elif char == '"' and (quoted := _DOUBLE_END.match(line, i + 1)):
                end = quoted.end()  # JSON's every string: skipped here, not by a call to scalar
            else:
                end = None
            i = self.scalar(line, i) if end is None else end

    def block_token(self, line: str, i: int, blank_next: bool, number: int) -> int | None:
        """An indicator outside flow collections: where reading goes on after it, or None if the
        token at `i` is a scalar, an anchor, an alias or a tag."""
        char = line[i]
        entry = char == "-" and blank_next
        if self.cols and self.cols[-1] >= i:
            self.close_blocks(i, entry)
        if entry:
            self.sequence_entry(i)
            self.reach(self.block, number)
            self.key_col, self.key_deepest, self.allow = -1, 0, True
            return i + 1
        if (char == ":" or char == "?") and blank_next:
            self.mapping_value(char, i, number)
            return i + 1
        if char == "[" or char == "{":
            if self.allow:
                self.key_col, self.allow = i, False
            self.flow.append([char == "[", 0, self.block + 1, self.block + 1])
            self.levels = 1
            self.reach(self.block + 1, number)
            return i + 1
        if char == "|" or char == ">":
            header = _BLOCK_HEADER.match(line, i)
            digit = header.group(1) or header.group(2)
            self.min_indent = max((self.cols[-1] if self.cols else -1) + 1, 1)
            self.indent = self.min_indent + int(digit) - 1 if digit else 0
            self.blank, self.mode = 0, _BLOCK
            return len(line)
        if char in "]},":  # out of place: libyaml stops here
            return i + 1
        return None

    def mapping_value(self, char: str, i: int, number: int) -> None:
        """`: ` or `? ` at `i` in block context: a block mapping starts at the key read before the
        `:` (on this line, within libyaml's 1024 characters), or at `i`, unless one is open there."""
        column, wrapped = i, 0
        if char == ":" and self.key_col >= 0 and i - self.key_col <= 1024:  # libyaml's limit for a key
            column, wrapped = self.key_col, self.key_deepest
        if not self.cols or column > self.cols[-1]:
            self.open_block(column, True)
            # The new mapping holds the key that was read before it: one level deeper
            self.reach(max(self.block, wrapped + 1 if wrapped else 0), number)
        self.key_col, self.key_deepest, self.allow = -1, 0, True

    def flow_token(self, char: str, i: int, blank_next: bool, number: int) -> int | None:
        """An indicator at `i` inside a flow collection: where reading goes on after it, or None if
        the token is a scalar, an anchor, an alias or a tag (a `-` without a blank after it is plain)."""
        flow = self.flow
        if char == "[" or char == "{":
            depth = self.block + self.levels + 1
            flow.append([char == "[", 0, depth, depth])
            self.levels += 1
            self.reach(depth, number)
        elif char == "]" or char == "}":
            closed = flow.pop()
            self.levels -= 1 + closed[1]
            if flow:
                outer = flow[-1]
                outer[2] = max(outer[2], closed[3])
                outer[3] = max(outer[3], closed[3])
            else:  # back in block context: the key may be `[a] [b]:` (an error, after the key's events)
                self.key_deepest, self.allow = max(self.key_deepest, closed[3]), False
        elif char == ",":
            inner = flow[-1]
            self.levels -= inner[1]
            inner[1], inner[2] = 0, self.block + self.levels
        elif char == ":" or char == "?":
            inner = flow[-1]
            if inner[0] and not inner[1]:  # `[a: b]`: a mapping of one pair, around the key read so far
                inner[1] = 1
                self.levels += 1
                inner[2] += 1
                inner[3] = max(inner[3], inner[2])
                self.reach(inner[2], number)
        elif not (char == "-" and blank_next):  # a block entry in a flow collection: libyaml stops
            return None
        return i + 1

    def scalar(self, line: str, i: int) -> int:
        """A quoted or plain scalar, an anchor, an alias or a tag at `i`, where a block mapping key
        may start: where reading goes on after it (the line's end if it goes on to the next line
        or a comment follows it). Brackets inside it are text."""
        char = line[i]
        if self.allow and not self.flow:
            self.key_col, self.key_deepest, self.allow = i, 0, False
        if char == '"' or char == "'":
            match = (_DOUBLE_END if char == '"' else _SINGLE_END).match(line, i + 1)
            if match is None:
                self.mode = _DOUBLE if char == '"' else _SINGLE
                return len(line)
            return match.end()
        if char == "&" or char == "*" or char == "!":
            return (_TAG_END if char == "!" else _NAME_END).match(line, i + 1).end()
        end = _flow_plain_end(line, i + 1) if self.flow else _plain_end(line, i + 1)
        if end < 0:
            self.mode = _PLAIN
            return len(line)
        return len(line) if line[end] in " \t" else end  # at a blank: a comment follows


def _plain_end(line: str, start: int) -> int:
    """Where a plain scalar that goes on at `start` ends in block context: at the ":" of ": "
    (or of a final ":"), at the blank before " #", or -1 if it reaches the end of the line."""
    ends = [found for found in (line.find(": ", start), line.find(" #", start)) if found >= 0]
    if "\t" in line:
        ends += [found for found in (line.find(":\t", start), line.find("\t#", start)) if found >= 0]
    if line.endswith(":") and len(line) - 1 >= start:
        ends.append(len(line) - 1)
    return min(ends) if ends else -1


def _flow_plain_end(line: str, start: int) -> int:
    """As `_plain_end`, in flow context."""
    match = _FLOW_PLAIN_END.search(line, start)
    return match.start() if match else -1


def _simple_value(line: str, start: int) -> int | None:
    """For a line `key: value` or `- value` whose value starts at `start`: the mode after it
    (_PLAIN if the value is plain text to the end of the line, which may go on below; _NORMAL if
    it is empty or quoted on this line; _FLAT for a flat flow collection), or None when the full
    scan must read it. String methods with a start index: no copy of long values."""
    end = len(line)
    if end and line[-1] == " ":
        end = len(line.rstrip(" "))
    if start >= end:
        return _NORMAL
    first = line[start]
    if first == '"':
        return _NORMAL if line.find('"', start + 1) == end - 1 and line.find("\\", start) < 0 else None
    if first == "'":
        return _NORMAL if line.find("'", start + 1) == end - 1 else None
    if first == "[" or first == "{":
        flat = (_FLAT_SEQUENCE if first == "[" else _FLAT_MAPPING).fullmatch(line, start, end)
        return _FLAT if flat else None
    if first in _NOT_PLAIN_START or (first == "-" and (start + 1 == end or line[start + 1] == " ")):
        return None
    if line[end - 1] == ":" or line.find(": ", start) >= 0 or line.find(" #", start) >= 0 or "\t" in line:
        return None
    return _PLAIN
