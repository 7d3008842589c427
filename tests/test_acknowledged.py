"""Warnings an entry settles with a reason (`acknowledged:`), and the sentence count behind one."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

from spmlib.model.catalogue import load_catalogue
from spmlib.model.problems import CatalogueError
from spmlib.model.sentences import count_sentences
from spmlib.outputs.advice import open_gaps


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("A guide", 1),
        ("One. Two.", 2),
        ("One! Two? Three", 3),
        ("Version 2.0 of the manual. Replaced in 2022.", 2),
        ("Goals: targets. Indicators.", 2),  # a colon ends no sentence
        ("See e.g. The Guide, i.e. Its Part, etc. Then more.", 1),
        ("Smart Note No. 1 on pages pp. 4 and p. 7 vs. Others.", 1),
        ("Nota Smart n.º 1: Cobranza. Nota nº 2: Otra.", 2),
        ("He said «Done.» Then left.", 2),
        ('A first one. "Quoted start." (Bracketed start.) ¿Pregunta? Sí.', 5),
        ("lower case after a point. does not start one.", 1),
        ("Ends with a closing bracket (like this.) Next one.", 2),
    ],
)
def test_count_sentences(text, expected):
    assert count_sentences(text) == expected


HEAD = """\
resources:
  - id: an-entry
    type: guide
    title: {en: A title}
    summary: {en: "One. Two.", fr: "Un. Deux."}
    standards: [4A]
"""
OWN_PAGE = '    links: [{lang: en, url: "https://example.org/guide", label: "Example – A title"}]\n'
HOME = '    links: [{lang: en, url: "https://example.org/"}]\n'


def load(tmp_path, taxonomy, text):
    path = tmp_path / "resources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_catalogue(path, taxonomy, tmp_path, display_name="resources.yaml")


# (name, lines after HEAD, expected line, field, fragments of the message)
BAD = [
    (
        "unknown code",
        '    year: 2020\n    acknowledged: {no-years: "x"}\n' + OWN_PAGE,
        8,
        "acknowledged.no-years",
        ["is not a known warning code", "did you mean 'no-year'"],
    ),
    ("empty reason", '    acknowledged: {no-year: ""}\n' + OWN_PAGE, 7, "acknowledged.no-year", ["must not be empty"]),
    ("no reason", "    acknowledged: {no-year: }\n" + OWN_PAGE, 7, "acknowledged.no-year", ["must be text"]),
    ("a list", "    acknowledged: [no-year]\n" + OWN_PAGE, 7, "acknowledged", ["must map warning codes"]),
    ("empty mapping", "    acknowledged: {}\n" + OWN_PAGE, 7, "acknowledged", ["must map warning codes"]),
    (
        "stale year",
        '    year: 2020\n    acknowledged:\n      no-year: "undated"\n' + OWN_PAGE,
        9,
        "acknowledged.no-year",
        ["no longer applies"],
    ),
    (
        "stale places",
        '    year: 2020\n    acknowledged: {places-only: "x"}\n' + OWN_PAGE,
        8,
        "acknowledged.places-only",
        ["no longer applies"],
    ),
    (
        "stale sentences",
        '    year: 2020\n    acknowledged: {sentences: "x"}\n' + OWN_PAGE,
        8,
        "acknowledged.sentences",
        ["no longer applies"],
    ),
]


@pytest.mark.parametrize(("name", "tail", "line", "field", "fragments"), BAD, ids=[b[0] for b in BAD])
def test_bad_acknowledgements_are_errors_at_their_line(tmp_path, taxonomy, name, tail, line, field, fragments):
    with pytest.raises(CatalogueError) as info:
        load(tmp_path, taxonomy, HEAD + tail)
    [problem] = info.value.problems
    assert (problem.line, problem.field) == (line, field), problem.format()
    assert all(f in problem.message for f in fragments), problem.format()
    assert problem.format().startswith(f"resources.yaml:{line}: error: resource 'an-entry'")


def test_gaps_are_warnings_until_acknowledged(tmp_path, taxonomy):
    text = HEAD.replace('fr: "Un. Deux."', 'fr: "Un."') + HOME
    warnings = open_gaps(load(tmp_path, taxonomy, text))
    assert [(w.line, w.field, w.message.split("]")[0] + "]") for w in sorted(warnings, key=lambda w: w.line)] == [
        (2, "year", "[no-year]"),
        (5, "summary.fr", "[sentences]"),
        (7, "links", "[places-only]"),
    ]
    assert any("2 sentences in en but fr 1" in w.message for w in warnings)
    said = '    acknowledged: {no-year: "Undated.", sentences: "Shorter on purpose.", places-only: "Only the home page."}\n'
    assert open_gaps(load(tmp_path, taxonomy, text.replace("    links:", said + "    links:"))) == []


def check_strict(tmp_path, text):
    path = tmp_path / "resources.yaml"
    path.write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "spmlib", "check", str(path), "--strict"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_strict_fails_on_a_gap_and_passes_once_it_is_acknowledged(tmp_path):
    failing = check_strict(tmp_path, HEAD + OWN_PAGE)
    assert failing.returncode == 1 and "[no-year] the entry has no year" in failing.stderr
    passing = check_strict(tmp_path, HEAD + '    acknowledged: {no-year: "Undated in every source seen."}\n' + OWN_PAGE)
    assert passing.returncode == 0, passing.stderr
