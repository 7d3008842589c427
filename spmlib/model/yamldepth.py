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
    """The deepest nesting and its line, stopping as soon as the depth passes `limit`.

    One function with its state in local variables: it runs on every line of the catalogue."""
    # Block collections: columns, whether a mapping, whether holding an indentless sequence
    cols: list[int] = []
    maps: list[bool] = []
    indentless: list[bool] = []
    block = 0  # levels they make
    # Flow collections: [is a sequence, holds a single-pair mapping now (0/1),
    #                    deepest level in its current entry, deepest level in it]
    flow: list[list] = []
    levels = 0  # levels they make
    mode = _NORMAL
    min_indent = indent = blank = 0  # of the block scalar being read
    key_col = -1  # where the node that may turn out to be a block mapping key starts
    key_deepest = 0  # the deepest level inside the flow collections read since that key started
    allow = True  # whether a key may start here (libyaml's simple_key_allowed)
    best = best_line = 0
    if text.startswith("\ufeff"):
        text = text[1:]
    for number, line in enumerate(text.splitlines(), 1):
        n = len(line)
        i = -1  # where to go on reading this line; -1: from its start
        if mode == _BLOCK:
            spaces = n - len(line.lstrip(" "))
            if spaces == n:
                if not indent and spaces > blank:
                    blank = spaces
                continue
            if not indent:
                indent = max(min_indent, blank, spaces)
            if spaces >= indent:
                continue
            mode = _NORMAL
        elif mode == _DOUBLE or mode == _SINGLE:
            match = (_DOUBLE_END if mode == _DOUBLE else _SINGLE_END).match(line)
            if match is None:
                continue
            i, mode, allow, key_col = match.end(), _NORMAL, False, -1
        elif mode == _PLAIN:
            start = n - len(line.lstrip(" \t"))
            if start == n:
                continue  # a blank line inside the plain scalar
            if line[start] == "#":
                mode = _NORMAL  # a comment ends the scalar
                continue
            marker = start == 0 and line.startswith(("---", "...")) and (n == 3 or line[3] in " \t")
            if not marker and (flow or start > (cols[-1] if cols else -1)):
                i = _flow_plain_end(line, start) if flow else _plain_end(line, start)
                if i < 0:
                    continue  # the scalar goes on
                mode = _NORMAL
                if line[i] in " \t":
                    continue  # a comment ends it
                key_col, allow = -1, True  # a key cannot span lines; after a line break one may start
            else:
                mode = _NORMAL
        if i < 0:
            simple = None if flow else _SIMPLE_START.match(line)
            if simple is not None:
                spaces, dash, key = simple.groups()
                value = _simple_value(line, simple.end()) if dash or key else None
                if value is not None:
                    column = len(spaces)
                    while cols and cols[-1] > column:
                        cols.pop()
                        maps.pop()
                        block -= 1 + indentless.pop()
                    if cols and cols[-1] == column and indentless[-1] and not dash:
                        indentless[-1] = False
                        block -= 1
                    if dash:
                        if not cols or column > cols[-1]:
                            cols.append(column)
                            maps.append(False)
                            indentless.append(False)
                            block += 1
                        elif maps[-1] and not indentless[-1]:
                            indentless[-1] = True
                            block += 1
                        column += len(dash)
                    if key and (not cols or column > cols[-1]):
                        cols.append(column)
                        maps.append(True)
                        indentless.append(False)
                        block += 1
                    depth = block + 1 if value == _FLAT else block
                    if depth > best:
                        best, best_line = depth, number
                        if best > limit:
                            return best, best_line
                    mode = _NORMAL if value == _FLAT else value
                    continue
            i = n - len(line.lstrip(" \t"))
            if i == n or line[i] == "#":
                continue
            if i == 0 and line.startswith(("---", "...")) and (n == 3 or line[3] in " \t"):
                if not flow:  # a new document (in a flow collection, an error)
                    cols, maps, indentless, block = [], [], [], 0
                i = 3
                key_col, key_deepest, allow = -1, 0, True
            elif i == 0 and line[0] == "%":
                continue  # a directive
            elif not flow:
                key_col, key_deepest, allow = -1, 0, True
        # The tokens of the line from i
        while True:
            if i < n and line[i] in " \t":
                i = _SPACES.match(line, i).end()
            if i >= n:
                break
            char = line[i]
            if char == "#":
                break
            blank_next = i + 1 >= n or line[i + 1] in " \t"
            if not flow:
                if cols and cols[-1] >= i:
                    while cols and cols[-1] > i:
                        cols.pop()
                        maps.pop()
                        block -= 1 + indentless.pop()
                    if cols and cols[-1] == i and indentless[-1] and not (char == "-" and blank_next):
                        indentless[-1] = False
                        block -= 1
                if char == "-" and blank_next:  # a sequence entry
                    if not cols or i > cols[-1]:
                        cols.append(i)
                        maps.append(False)
                        indentless.append(False)
                        block += 1
                    elif maps[-1] and not indentless[-1]:
                        indentless[-1] = True
                        block += 1
                    if block > best:
                        best, best_line = block, number
                        if best > limit:
                            return best, best_line
                    key_col, key_deepest, allow = -1, 0, True
                    i += 1
                    continue
                if (char == ":" or char == "?") and blank_next:  # a value, or an explicit key
                    column, wrapped = i, 0
                    if char == ":" and key_col >= 0 and i - key_col <= 1024:  # libyaml's limit for a key
                        column, wrapped = key_col, key_deepest
                    if not cols or column > cols[-1]:
                        cols.append(column)
                        maps.append(True)
                        indentless.append(False)
                        block += 1
                        # The new mapping holds the key that was read before it: one level deeper
                        depth = max(block, wrapped + 1 if wrapped else 0)
                        if depth > best:
                            best, best_line = depth, number
                            if best > limit:
                                return best, best_line
                    key_col, key_deepest, allow = -1, 0, True
                    i += 1
                    continue
                if char == "[" or char == "{":
                    if allow:
                        key_col, allow = i, False
                    flow.append([char == "[", 0, block + 1, block + 1])
                    levels = 1
                    if block + 1 > best:
                        best, best_line = block + 1, number
                        if best > limit:
                            return best, best_line
                    i += 1
                    continue
                if char == "|" or char == ">":
                    header = _BLOCK_HEADER.match(line, i)
                    digit = header.group(1) or header.group(2)
                    min_indent = max((cols[-1] if cols else -1) + 1, 1)
                    indent, blank, mode = (min_indent + int(digit) - 1 if digit else 0), 0, _BLOCK
                    break
                if char in "]},":  # out of place: libyaml stops here
                    i += 1
                    continue
            else:
                if char == "[" or char == "{":
                    depth = block + levels + 1
                    flow.append([char == "[", 0, depth, depth])
                    levels += 1
                    if depth > best:
                        best, best_line = depth, number
                        if best > limit:
                            return best, best_line
                    i += 1
                    continue
                if char == "]" or char == "}":
                    closed = flow.pop()
                    levels -= 1 + closed[1]
                    if flow:
                        outer = flow[-1]
                        outer[2] = max(outer[2], closed[3])
                        outer[3] = max(outer[3], closed[3])
                    else:  # back in block context: the key may be `[a] [b]:` (an error, after the key's events)
                        key_deepest, allow = max(key_deepest, closed[3]), False
                    i += 1
                    continue
                if char == ",":
                    inner = flow[-1]
                    levels -= inner[1]
                    inner[1], inner[2] = 0, block + levels
                    i += 1
                    continue
                if char == ":" or char == "?":
                    inner = flow[-1]
                    if inner[0] and not inner[1]:  # `[a: b]`: a mapping of one pair, around the key read so far
                        inner[1] = 1
                        levels += 1
                        inner[2] += 1
                        inner[3] = max(inner[3], inner[2])
                        if inner[2] > best:
                            best, best_line = inner[2], number
                            if best > limit:
                                return best, best_line
                    i += 1
                    continue
                if char == "-" and blank_next:  # a block entry in a flow collection: libyaml stops
                    i += 1
                    continue
            if char == '"' or char == "'":
                if allow and not flow:
                    key_col, key_deepest, allow = i, 0, False
                match = (_DOUBLE_END if char == '"' else _SINGLE_END).match(line, i + 1)
                if match is None:
                    mode = _DOUBLE if char == '"' else _SINGLE
                    break
                i = match.end()
                continue
            if char == "&" or char == "*" or char == "!":
                if allow and not flow:
                    key_col, key_deepest, allow = i, 0, False
                i = (_TAG_END if char == "!" else _NAME_END).match(line, i + 1).end()
                continue
            # a plain scalar
            if allow and not flow:
                key_col, key_deepest, allow = i, 0, False
            i = _flow_plain_end(line, i + 1) if flow else _plain_end(line, i + 1)
            if i < 0:
                mode = _PLAIN
                break
            if line[i] in " \t":
                break  # a comment
    return best, best_line


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
