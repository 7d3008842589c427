"""spmlib.model.yamlsrc.Reparser: after any edit, the same values, lines, spans and problems as a full parse.

`make serve` composes only the entries an edit changed; whatever the edit, what the catalogue
reads must not depend on that.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from spmlib.model.yamlsrc import Reparser, load_yaml_text

BASE = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8")
ENTRY = """  - id: added-entry
    type: tool
    title: {en: An added tool}
    standards: [4A]
    links:
      - {lang: en, url: "https://example.org/added.pdf"}
"""


def _nth_line(text: str, needle: str, n: int = 1) -> int:
    lines = text.split("\n")
    found = [i for i, line in enumerate(lines) if needle in line]
    return found[n - 1]


def _insert(text: str, at: int, block: str) -> str:
    lines = text.split("\n")
    return "\n".join(lines[:at] + block.rstrip("\n").split("\n") + lines[at:])


def _delete(text: str, start: int, stop: int) -> str:
    lines = text.split("\n")
    return "\n".join(lines[:start] + lines[stop:])


def _entries(text: str) -> list[int]:
    return [i for i, line in enumerate(text.split("\n")) if line.startswith("  - id:")]


EDITS = {
    "unchanged": lambda t: t,
    "retitle the first entry": lambda t: t.replace("Smart Operations Tool", "Smart Operations Toolkit", 1),
    "retitle the last entry": lambda t: t[: t.rindex("title:")] + t[t.rindex("title:") :].replace("title:", "title:", 1),
    "a line added to the first entry": lambda t: _insert(t, _nth_line(t, "organization: Smart Campaign"), "    # checked 2026"),
    "an entry added at the start": lambda t: _insert(t, _entries(t)[0], ENTRY),
    "an entry added in the middle": lambda t: _insert(t, _entries(t)[3], ENTRY),
    "an entry added at the end": lambda t: t.rstrip("\n") + "\n" + ENTRY,
    "the second entry deleted": lambda t: _delete(t, _entries(t)[1], _entries(t)[2]),
    "the last entry deleted": lambda t: _delete(t, _entries(t)[-1], len(t.split("\n")) - 1),
    "a comment above the list": lambda t: t.replace("resources:\n", "resources:\n# note\n", 1),
    "a comment between entries": lambda t: _insert(t, _entries(t)[2], "  # the next one is new"),
    "two distant edits": lambda t: t.replace("Smart Operations Tool", "SOT", 1).replace("Cobranza con", "Cobranza"),
    "a duplicate key": lambda t: _insert(t, _nth_line(t, "organization: Smart Campaign"), "    type: guide"),
    "a syntax error": lambda t: _insert(t, _entries(t)[2], "    title: {en: unclosed"),
    "an anchor": lambda t: t.replace("topics: [client-protection]", "topics: &t [client-protection]", 1),
    "an unknown tag": lambda t: t.replace("year: 2013", "year: !!python/int 2013", 1),
    "an entry made a top-level key": lambda t: _insert(t, _entries(t)[2], "other: 1"),
    "a dash on its own line": lambda t: _insert(t, _entries(t)[2], "  -\n    id: dangling\n    type: tool"),
    "an indented continuation": lambda t: t.replace("    type: tool\n", "    type: tool\n      more: x\n", 1),
    "a control character": lambda t: t.replace("Smart Operations Tool", "Smart\x07Operations Tool", 1),
    "everything deleted": lambda t: "resources:\n",
    "carriage returns": lambda t: t.replace("\n", "\r\n"),
    "a new top-level key at the end": lambda t: t.rstrip("\n") + "\nextra: true\n",
    "indentation of one entry changed": lambda t: t.replace("  - id: cobranza-con", "    - id: cobranza-con", 1),
}


def _same(left, right) -> None:
    (a, a_problems), (b, b_problems) = left, right
    assert [(p.line, p.message) for p in a_problems] == [(p.line, p.message) for p in b_problems]
    assert (a is None) == (b is None)
    if a is not None:
        assert a.data == b.data
        assert a.lines == b.lines
        assert a.spans == b.spans


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_reads_as_a_full_parse(edit):
    reparser = Reparser()
    _same(reparser.load(BASE, "resources.yaml"), load_yaml_text(BASE, "resources.yaml"))
    edited = EDITS[edit](BASE)
    _same(reparser.load(edited, "resources.yaml"), load_yaml_text(edited, "resources.yaml"))
    # and the edit after that, from whatever the reparser kept
    again = edited.replace("Outil Smart Operations", "Outil SO", 1)
    _same(reparser.load(again, "resources.yaml"), load_yaml_text(again, "resources.yaml"))
    _same(reparser.load(BASE, "resources.yaml"), load_yaml_text(BASE, "resources.yaml"))


def test_an_edit_composes_only_the_entries_around_it(monkeypatch):
    import spmlib.model.yamlsrc as yamlsrc

    reparser = Reparser()
    reparser.load(BASE, "resources.yaml")
    composed: list[str] = []
    real = yamlsrc._compose_items

    def spy(stretch, *args):
        composed.append(stretch)
        return real(stretch, *args)

    monkeypatch.setattr(yamlsrc, "_compose_items", spy)
    monkeypatch.setattr(yamlsrc, "load_yaml_text", lambda *a: pytest.fail("parsed the whole file"))
    edited = BASE.replace("Cobranza con dignidad", "Cobranza digna")
    reparser.load(edited, "resources.yaml")
    assert len(composed) == 1
    assert composed[0].count("  - id:") <= 3 and "Cobranza digna" in composed[0]


# Edits that leave the lines before the list alone and the list a plain block list of entries.
COMPOSED_ALONE = {
    "unchanged",
    "retitle the first entry",
    "retitle the last entry",
    "a line added to the first entry",
    "an entry added in the middle",
    "an entry added at the end",
    "the second entry deleted",
    "the last entry deleted",
    "a comment between entries",
    "two distant edits",
}


@pytest.mark.parametrize("edit", sorted(COMPOSED_ALONE))
def test_ordinary_edits_do_not_parse_the_whole_file(edit, monkeypatch):
    import spmlib.model.yamlsrc as yamlsrc

    reparser = Reparser()
    reparser.load(BASE, "resources.yaml")
    monkeypatch.setattr(yamlsrc, "load_yaml_text", lambda *a: pytest.fail("parsed the whole file"))
    located, problems = reparser.load(EDITS[edit](BASE), "resources.yaml")
    assert located is not None and not problems
