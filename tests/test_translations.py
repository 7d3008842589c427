"""Translation coverage and the CSV round trip: export, fill in a spreadsheet, import."""

from __future__ import annotations

import csv
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spmlib.model.catalogue import load_catalogue
from spmlib.outputs.translations import coverage, export_rows, format_coverage, import_translations, read_csv, write_csv

ROOT = Path(__file__).resolve().parent.parent

CATALOGUE = """\
# A comment the import must keep.
resources:
  - id: block-style
    type: guide
    title:
      en: Collections with Dignity
      es: Cobranza con dignidad
    summary:
      en: >-
        How FinComún developed an approach called Collections with Dignity after default
        rates rose in 2008.
    standards: [4C]
    links:
      - {lang: en, url: "https://example.org/a.pdf"}

  - id: flow-style
    type: tool
    title: {fr: Outil de suivi des sorties}
    summary: {fr: "Un outil pour suivre les clients qui partent."}
    standards: [3A]
    links: [{lang: fr, url: "https://example.org/b.xlsx"}]

  - id: title-only
    type: video
    title:
      pt: Vídeo sobre proteção ao cliente
    dimensions: [4]
    links: [{lang: pt, url: "https://example.org/c.mp4"}]
"""


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "resources.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return path


def load(path, taxonomy, text=None):
    return load_catalogue(path, taxonomy, path.parent, display_name="resources.yaml", text=text)


def test_coverage_counts_and_lists_what_is_missing(project, taxonomy):
    catalogue = load(project, taxonomy)
    reports = {r.language: r for r in coverage(catalogue)}
    assert (reports["en"].titles, reports["en"].summaries) == (1, 1)
    assert (reports["es"].titles, reports["es"].summaries) == (1, 0)
    assert (reports["fr"].titles, reports["fr"].summaries) == (1, 1)
    assert (reports["pt"].titles, reports["pt"].summaries) == (1, 0)
    assert [(r.id, f) for r, f in reports["en"].missing] == [
        ("flow-style", "title"),
        ("flow-style", "summary"),
        ("title-only", "title"),
        ("title-only", "summary"),
    ]
    table = format_coverage(list(reports.values()), catalogue).splitlines()
    header = table[0].split()
    assert header == ["language", "titles", "summaries", "missing"]
    es_row = next(line for line in table if line.startswith("es "))
    assert es_row.split()[2:] == ["1/3", "(33%)", "0/3", "(0%)", "5"]
    assert "  resources.yaml:18  flow-style  title" in table


def test_export_rows_carry_the_text_to_translate_from(project, taxonomy):
    rows = export_rows(load(project, taxonomy), ["pt"])
    assert [(r["id"], r["field"], r["source_language"]) for r in rows] == [
        ("block-style", "title", "en"),
        ("block-style", "summary", "en"),
        ("flow-style", "title", "fr"),
        ("flow-style", "summary", "fr"),
    ]  # title-only has no summary in any language: nothing to translate from
    assert rows[1]["source_text"].startswith("How FinComún developed")
    assert all(r["translation"] == "" for r in rows)


def fill(rows: list[dict], texts: dict[tuple[str, str, str], str]) -> list[dict]:
    for row in rows:
        row["translation"] = texts.get((row["id"], row["field"], row["language"]), "")
    return rows


TRICKY = ["yes", "null", "123", "- a list?", "key: value", "#hashtag", "'quoted'", '"double"', "trailing space ", "ção: é"]
# a comma or a bracket ends a plain value inside `{fr: ...}`: these are quoted there
TRICKY += ["Suivi, sorties", "a [b] {c}"]


def test_round_trip_adds_translations_and_keeps_every_other_byte(project, taxonomy, tmp_path):
    catalogue = load(project, taxonomy)
    rows = export_rows(catalogue)
    long_summary = "Um guia prático " * 12 + "sobre cobrança com dignidade."
    texts = {
        ("block-style", "title", "pt"): "Cobrança com dignidade",
        ("block-style", "summary", "pt"): long_summary,
        ("block-style", "title", "fr"): "Recouvrement dans la dignité",
        ("flow-style", "title", "en"): "Client exit tracking tool",
        ("flow-style", "summary", "es"): "yes",
        ("flow-style", "title", "pt"): "key: value # not a comment",
    }
    csv_path = tmp_path / "translations.csv"
    write_csv(fill(rows, texts), csv_path)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets then read accents right

    parsed, problems = read_csv(csv_path)
    assert problems == []
    new_text, count, problems = import_translations(project, parsed, catalogue, "translations.csv", tmp_path)
    assert problems == [] and count == len(texts)

    updated = load(project, taxonomy, text=new_text)
    for (rid, field, lang), value in texts.items():
        assert getattr(updated.by_id[rid], field)[lang] == value
    # nothing else changed: the old lines are all there, in order
    old_lines = [line for line in CATALOGUE.split("\n") if "{fr: " not in line]  # flow mappings are edited in place
    new_lines = new_text.split("\n")
    iterator = iter(new_lines)
    assert all(any(line == new for new in iterator) for line in old_lines)
    assert (
        '    title: {fr: Outil de suivi des sorties, en: Client exit tracking tool, pt: "key: value # not a comment"}'
        in new_lines
    )
    assert "      pt: Cobrança com dignidade" in new_lines
    assert max(len(line) for line in new_lines if "{" not in line) <= 88  # long summaries are folded like the rest


@pytest.mark.parametrize("value", TRICKY)
def test_values_that_look_like_yaml_stay_text(project, taxonomy, tmp_path, value):
    catalogue = load(project, taxonomy)
    csv_path = tmp_path / "t.csv"
    write_csv(
        fill(export_rows(catalogue, ["pt"]), {("block-style", "title", "pt"): value, ("flow-style", "title", "pt"): value}),
        csv_path,
    )
    new_text, count, problems = import_translations(project, read_csv(csv_path)[0], catalogue, "t.csv", tmp_path)
    assert problems == [] and count == 2
    updated = load(project, taxonomy, text=new_text)
    assert updated.by_id["block-style"].title["pt"] == value.strip()
    assert updated.by_id["flow-style"].title["pt"] == value.strip()


def test_a_summary_where_there_was_none(project, taxonomy, tmp_path):
    csv_path = tmp_path / "t.csv"
    write_csv(
        [
            {
                "id": "title-only",
                "field": "summary",
                "language": "pt",
                "source_language": "",
                "source_text": "",
                "translation": "Depoimentos de clientes.",
            }
        ],
        csv_path,
    )
    catalogue = load(project, taxonomy)
    new_text, count, problems = import_translations(project, read_csv(csv_path)[0], catalogue, "t.csv", tmp_path)
    assert problems == [] and count == 1
    assert (
        "      pt: Vídeo sobre proteção ao cliente\n    summary:\n      pt: Depoimentos de clientes.\n    dimensions: [4]"
        in new_text
    )


def row(rid="block-style", field="title", language="pt", translation="Cobrança com dignidade"):
    return {"id": rid, "field": field, "language": language, "source_language": "", "source_text": "", "translation": translation}


# (name, rows, expected (csv line, message fragment) pairs)
ERRORS = [
    ("unknown id", [row(rid="block-styl")], [(2, "no entry has the id 'block-styl'")]),
    ("unknown field", [row(field="organization")], [(2, "unknown field 'organization'; allowed: title, summary")]),
    ("unknown language", [row(language="de")], [(2, "unknown language 'de'; allowed: en, fr, es, pt")]),
    ("same cell twice", [row(), row(translation="Outra")], [(3, "a second translation of the same text (first on line 2)")]),
    (
        "overwriting an existing translation",
        [row(language="es", translation="Cobranza digna")],
        [(2, "resources.yaml:7 already has this text, and it differs: 'Cobranza con dignidad'")],
    ),
    ("every error at once", [row(rid="nope"), row(language="xx")], [(2, "no entry"), (3, "unknown language")]),
]


@pytest.mark.parametrize(("name", "rows", "expected"), ERRORS, ids=[e[0] for e in ERRORS])
def test_import_errors(project, taxonomy, tmp_path, name, rows, expected):
    csv_path = tmp_path / "t.csv"
    write_csv(rows, csv_path)
    new_text, count, problems = import_translations(project, read_csv(csv_path)[0], load(project, taxonomy), "t.csv", tmp_path)
    assert new_text is None and count == 0
    assert [(p.line, p.file) for p in problems] == [(line, "t.csv") for line, _ in expected]
    for problem, (_, fragment) in zip(problems, expected, strict=True):
        assert fragment in problem.message, problem.format()


def test_identical_existing_translation_is_skipped(project, taxonomy, tmp_path):
    csv_path = tmp_path / "t.csv"
    write_csv([row(language="es", translation="Cobranza con dignidad")], csv_path)
    _new_text, count, problems = import_translations(project, read_csv(csv_path)[0], load(project, taxonomy), "t.csv", tmp_path)
    assert problems == [] and count == 0


def test_an_import_that_would_break_the_catalogue_is_refused(project, taxonomy, tmp_path):
    csv_path = tmp_path / "t.csv"
    write_csv([row(translation="x" * 301)], csv_path)
    new_text, _count, problems = import_translations(project, read_csv(csv_path)[0], load(project, taxonomy), "t.csv", tmp_path)
    assert new_text is None
    assert [(p.resource_id, p.field) for p in problems] == [("block-style", "title.pt")]
    assert "300" in problems[0].message


def test_a_csv_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("identifier;texte\nblock-style;Bonjour\n", encoding="utf-8")
    rows, problems = read_csv(path, "t.csv")
    assert rows == []
    assert problems[0].line == 1 and "lacks the column(s) id, field, language, translation" in problems[0].message


def test_a_csv_saved_in_a_legacy_encoding_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("id,field,language,translation\nblock-style,title,pt,Cobrança\n".encode("cp1252"))
    rows, problems = read_csv(path, "t.csv")
    assert rows == [] and "save as 'CSV UTF-8'" in problems[0].hint


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "spmlib", "translations", *args, "--taxonomy", str(ROOT / "taxonomy"), "--docs", str(tmp_path)],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_command_line_round_trip(project, tmp_path):
    result = run(tmp_path, "export", "--lang", "fr", "-o", "out/fr.csv")
    assert result.returncode == 0, result.stderr
    assert "wrote out/fr.csv: 3 text(s) to translate" in result.stdout
    with open(tmp_path / "out/fr.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["translation"] = "Recouvrement dans la dignité"
    with open(tmp_path / "out/fr.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    before = project.read_text(encoding="utf-8")
    result = run(tmp_path, "import", "out/fr.csv", "--dry-run")
    assert result.returncode == 0 and "1 translation(s) would be added" in result.stdout
    assert project.read_text(encoding="utf-8") == before

    result = run(tmp_path, "import", "out/fr.csv")
    assert result.returncode == 0, result.stderr
    assert "      fr: Recouvrement dans la dignité" in project.read_text(encoding="utf-8")

    result = run(tmp_path, "report", "--lang", "fr")
    assert result.returncode == 0
    assert "2/3 (67%)" in result.stdout

    # the same file again: the cell now matches the catalogue, nothing to add, nothing broken
    result = run(tmp_path, "import", "out/fr.csv")
    assert result.returncode == 0 and "nothing new to import" in result.stdout


def test_command_line_refuses_and_leaves_the_file_alone(project, tmp_path):
    (tmp_path / "bad.csv").write_text(
        textwrap.dedent("""\
            id,field,language,translation
            block-style,title,pt,Cobrança com dignidade
            missing-id,title,pt,Algo
        """),
        encoding="utf-8",
    )
    before = project.read_text(encoding="utf-8")
    result = run(tmp_path, "import", "bad.csv")
    assert result.returncode == 1
    assert "bad.csv:3: error: resource 'missing-id'" in result.stderr
    assert "nothing was imported" in result.stderr
    assert project.read_text(encoding="utf-8") == before
