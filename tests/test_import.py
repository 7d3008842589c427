"""`make import CSV=...`: the open data's CSV, edited in a spreadsheet, back into resources.yaml."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from spmlib.__main__ import main
from spmlib.model.catalogue import load_catalogue
from spmlib.model.fields import exported_fields
from spmlib.outputs.sheetvalues import DAY_FIRST, MONTH_FIRST, CellError, DateOrder, date_order, read_date, reader_of
from spmlib.site.opendata import catalogue_csv

CATALOGUE = """\
# A comment at the top, kept.
resources:
  # --- a group -------------------------------------------------------------

  - id: block-style
    type: guide
    title:
      en: Collections with Dignity   # an end-of-line comment
      es: Cobranza con dignidad
    summary:
      en: >-
        How FinComún developed an approach called Collections with Dignity after default
        rates rose in 2008.
      fr: Comment FinComún a développé une approche du recouvrement.
    # a comment between two fields
    standards: [4C]
    organization: FinComún
    year: 2010
    added: 2024-01-31
    links:
      - {lang: en, url: "https://example.org/a.pdf", label: "Full report, 2010"}
      - {lang: es, url: "documents/sample-guide.pdf", format: pdf}

  # --- another group ------------------------------------------------------

  - id: flow-title
    type: tool
    title: {fr: Outil de suivi des sorties}
    dimensions: [3]
    featured: true
    links:
      - {lang: fr, url: "https://example.org/b.xlsx"}
# A comment at the end, kept.
"""


def setup(tmp_path: Path, text: str = CATALOGUE) -> Path:
    """A catalogue and its docs/ in tmp_path; returns the catalogue's path."""
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    path = tmp_path / "resources.yaml"
    path.write_bytes(text.encode("utf-8"))
    return path


def load(path: Path, taxonomy):
    return load_catalogue(path, taxonomy, path.parent / "docs", display_name="resources.yaml")


def export_rows(path: Path, taxonomy) -> list[dict[str, str]]:
    """The catalogue as data/resources.csv's rows, as a spreadsheet shows them."""
    text = catalogue_csv(load(path, taxonomy))
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def write(rows: list[dict[str, str]], path: Path, delimiter=",", bom=True, newline="\r\n", encoding="utf-8") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom and encoding == "utf-8" else b"") + data)
    return path


def run(path: Path, csv_path: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(
        [
            "import",
            str(csv_path),
            "--catalogue",
            str(path),
            "--taxonomy",
            str(ROOT / "taxonomy"),
            "--docs",
            str(path.parent / "docs"),
            "-f",
            str(path.parent / "no-mkdocs.yml"),
            *extra,
        ]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def edited(rows: list[dict[str, str]], changes: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """The rows with `changes` by id; a new id is a new row, empty where not given."""
    rows = [dict(row) for row in rows]
    by_id = {row["id"]: row for row in rows}
    for rid, cells in changes.items():
        if rid not in by_id:
            by_id[rid] = dict.fromkeys(rows[0], "") | {"id": rid}
            rows.append(by_id[rid])
        by_id[rid].update(cells)
    return rows


NEW_ROW = {
    "type": "video",
    "title_en": "A new video, with a comma",
    "summary_en": "First paragraph.\n\nSecond paragraph, after a blank line.",
    "standards": "4A 4C",
    "added": "2025-03-01",
    "links": "en https://example.org/v.mp4\npt https://example.org/v-pt.mp4",
}

# (name, delimiter, byte-order mark, line end, encoding): what Excel and LibreOffice save
DIALECTS = [
    ("excel-en-csv-utf8", ",", True, "\r\n", "utf-8"),
    ("excel-fr-es-pt-csv-utf8", ";", True, "\r\n", "utf-8"),
    ("libreoffice-comma-lf", ",", False, "\n", "utf-8"),
    ("libreoffice-semicolon-lf", ";", False, "\n", "utf-8"),
    ("excel-unicode-text", "\t", False, "\r\n", "utf-16"),
]


@pytest.mark.parametrize(("delimiter", "bom", "newline", "encoding"), [d[1:] for d in DIALECTS], ids=[d[0] for d in DIALECTS])
def test_every_dialect_adds_and_updates(tmp_path, taxonomy, capsys, delimiter, bom, newline, encoding):
    path = setup(tmp_path)
    rows = edited(
        export_rows(path, taxonomy),
        {
            "block-style": {"title_fr": "Recouvrement; dans la dignité", "summary_pt": "Linha um.\nLinha dois."},
            "new-video": NEW_ROW,
        },
    )
    sheet = write(rows, tmp_path / "edited.csv", delimiter, bom, newline, encoding)

    code, out, err = run(path, sheet, capsys)
    assert (code, err) == (0, "")
    assert "1 added, 1 updated, 1 unchanged" in out
    assert "  added new-video" in out and "  updated block-style: title_fr, summary_pt" in out
    catalogue = load(path, taxonomy)
    assert catalogue.by_id["block-style"].title["fr"] == "Recouvrement; dans la dignité"
    assert catalogue.by_id["block-style"].summary["pt"] == "Linha um.\nLinha dois."
    video = catalogue.by_id["new-video"]
    assert video.summary == {"en": "First paragraph.\n\nSecond paragraph, after a blank line."}
    assert (video.standards, video.added, [link.lang for link in video.links]) == (
        ("4A", "4C"),
        dt.date(2025, 3, 1),
        ["en", "pt"],
    )
    # the same file again changes nothing
    assert run(path, sheet, capsys)[:2] == (0, f"{sheet}: 0 added, 0 updated, 3 unchanged.\n{path} is unchanged.\n")


@pytest.mark.parametrize("catalogue_file", [FIXTURES / "catalogue.yaml", ROOT / "resources.yaml"], ids=["fixture", "shipped"])
def test_export_then_import_changes_nothing(tmp_path, taxonomy, capsys, catalogue_file):
    path = setup(tmp_path, catalogue_file.read_text(encoding="utf-8"))
    if catalogue_file.parent == ROOT:
        shutil.copytree(ROOT / "docs", tmp_path / "docs", dirs_exist_ok=True)
    before = path.read_bytes()
    sheet = tmp_path / "resources.csv"
    sheet.write_bytes(catalogue_csv(load(path, taxonomy)).encode("utf-8"))
    count = len(load(path, taxonomy).resources)

    code, out, _ = run(path, sheet, capsys)
    assert (code, out.splitlines()[0]) == (0, f"{sheet}: 0 added, 0 updated, {count} unchanged.")
    assert path.read_bytes() == before


def test_a_spreadsheet_that_re_spells_cells_changes_nothing(tmp_path, taxonomy, capsys):
    """French Excel: ';', dates as 31/01/2024, TRUE for yes, lists typed with commas, empty rows."""
    path = setup(tmp_path)
    before = path.read_bytes()
    rows = edited(export_rows(path, taxonomy), {"block-style": {"added": "31/01/2024", "standards": "4C,"}})
    rows = edited(rows, {"flow-title": {"featured": "TRUE"}})
    sheet = write(rows, tmp_path / "fr.csv", ";")
    sheet.write_bytes(sheet.read_bytes() + b";;;\r\n" * 3)  # empty rows after the last one
    code, out, _ = run(path, sheet, capsys)
    assert (code, path.read_bytes()) == (0, before)
    assert "0 added, 0 updated, 2 unchanged" in out and "dates read day first (row 2: 31/01/2024)" in out


def test_cells_kept_from_formulas_round_trip(tmp_path, taxonomy, capsys):
    """The export puts an apostrophe before a cell a spreadsheet would run; the import removes it."""
    text = CATALOGUE.replace("organization: FinComún", 'organization: "=HYPERLINK(1)"').replace(
        "es: Cobranza con dignidad", 'es: "-5 % de mora"'
    )
    path = setup(tmp_path, text)
    before = path.read_bytes()
    rows = export_rows(path, taxonomy)
    assert rows[0]["organization"] == "'=HYPERLINK(1)" and rows[0]["title_es"] == "'-5 % de mora"
    assert run(path, write(rows, tmp_path / "s.csv"), capsys)[0] == 0
    assert path.read_bytes() == before
    rows[0]["title_pt"] = "'+ de crédito"  # typed with the apostrophe, as a spreadsheet user would
    assert run(path, write(rows, tmp_path / "s.csv"), capsys)[0] == 0
    assert load(path, taxonomy).by_id["block-style"].title["pt"] == "+ de crédito"


def test_update_by_id_writes_only_the_changed_values(tmp_path, taxonomy, capsys):
    path = setup(tmp_path)
    changes = {
        "block-style": {
            "title_en": "Collections with Dignity (revised)",
            "summary_fr": "",  # removes the French summary
            "standards": "4C 4A",
            "topics": "collections",  # a field the entry lacks
            "year": "",  # removes the year
            "links": "en https://example.org/a.pdf\nfr https://example.org/a-fr.pdf\nes documents/sample-guide.pdf",
        },
        "flow-title": {"title_en": "Exit tracking tool", "featured": "", "countries": "MX"},
    }
    code, out, _ = run(path, write(edited(export_rows(path, taxonomy), changes), tmp_path / "u.csv"), capsys)
    assert code == 0
    assert "  updated block-style: title_en, summary_fr, standards, topics, year, links" in out
    assert "  updated flow-title: title_en, countries, featured" in out
    text = path.read_text(encoding="utf-8")
    assert "      en: Collections with Dignity (revised)\n      es: Cobranza con dignidad\n" in text
    assert "Comment FinComún" not in text and "year:" not in text and "featured:" not in text
    assert "    standards: [4C, 4A]\n    topics: [collections]\n    organization: FinComún\n" in text
    # the versions the row keeps keep their label and format, as written
    assert '      - {lang: en, url: "https://example.org/a.pdf", label: "Full report, 2010"}\n' in text
    assert '      - {lang: fr, url: "https://example.org/a-fr.pdf"}\n' in text
    assert '      - {lang: es, url: "documents/sample-guide.pdf", format: pdf}\n' in text
    assert "    title:\n      fr: Outil de suivi des sorties\n      en: Exit tracking tool\n" in text
    assert "    dimensions: [3]\n    countries: [MX]\n    links:" in text
    updated = load(path, taxonomy).by_id["block-style"]
    assert (updated.standards, updated.topics, updated.year) == (("4C", "4A"), ("collections",), None)


def test_comments_and_untouched_entries_are_kept_byte_for_byte(tmp_path, taxonomy, capsys):
    path = setup(tmp_path, CATALOGUE.replace("\n", "\r\n"))  # a CRLF file stays CRLF
    before = path.read_bytes().decode("utf-8")
    rows = edited(export_rows(path, taxonomy), {"block-style": {"standards": "4A"}, "new-entry": NEW_ROW})
    assert run(path, write(rows, tmp_path / "c.csv"), capsys)[0] == 0
    after = path.read_bytes().decode("utf-8")
    old, new = before.split("\r\n"), after.split("\r\n")
    changed = old.index("    standards: [4C]")
    assert new[:changed] == old[:changed]  # comments, blank lines and the entry up to the change
    assert new[changed] == "    standards: [4A]"
    assert new[changed + 1 : len(old) - 2] == old[changed + 1 : -2]  # the rest, up to the end of the last entry
    assert new[len(old) - 2 : len(old)] == ["", "  - id: new-entry"]  # the new one, after a blank line like the others
    assert new[-2:] == ["# A comment at the end, kept.", ""]
    assert "\n" not in after.replace("\r\n", "")


def test_dry_run_writes_nothing(tmp_path, taxonomy, capsys):
    path = setup(tmp_path)
    before = path.read_bytes()
    rows = edited(export_rows(path, taxonomy), {"new-video": NEW_ROW})
    code, out, _ = run(path, write(rows, tmp_path / "d.csv"), capsys, "--dry-run")
    assert (code, path.read_bytes()) == (0, before)
    assert "  added new-video" in out and "dry run" in out


def fifty_rows(path: Path, taxonomy) -> list[dict[str, str]]:
    """The two entries and 48 new ones: a file of fifty rows."""
    new = {f"new-{i:02d}": NEW_ROW | {"title_en": f"Video {i}", "added": "13/02/2025"} for i in range(48)}
    return edited(export_rows(path, taxonomy), new)


# (cell to spoil in row 37 of 50: column, value, words of the message)
BAD_CELLS = [
    ("type", "toolkit", "is not a known resource type"),
    ("id", "Not A Slug", "is not a slug"),
    ("title_en", "", "column title (title_en, title_fr, title_es or title_pt): is required"),
    ("year", "20x9", "is not a whole number"),
    ("year", "1850", "out of range"),
    ("added", "2025-02-30", "is not a date"),
    ("added", "02/13/2025", "month first, while 47 dates of the file are day first, like row 4 (13/02/2025)"),
    ("added", "13/02/25", "two-digit year"),
    ("featured", "maybe", "neither yes nor no"),
    ("standards", "4Z", "is not a known standard code"),
    ("dimensions", "4 eight", "is not a known dimension number"),
    ("countries", "mx", "ISO 3166-1"),
    ("links", "en", "has no address"),
    ("links", "", "links"),
    ("links", "en documents/missing.pdf", "does not exist"),
    ("topics", "no-such-topic", "has no names in taxonomy/topics.yaml"),
    ("summary_en", "bad \x0c form feed", "control character"),
]


@pytest.mark.parametrize(("column", "value", "words"), BAD_CELLS, ids=[f"{c}={v!r}" for c, v, _ in BAD_CELLS])
def test_one_bad_row_in_fifty_writes_nothing_and_names_row_and_column(tmp_path, taxonomy, capsys, column, value, words):
    path = setup(tmp_path)
    before = path.read_bytes()
    rows = fifty_rows(path, taxonomy)
    assert len(rows) == 50
    rows[35][column] = value  # spreadsheet row 37: the header is row 1
    code, out, err = run(path, write(rows, tmp_path / "fifty.csv", ";"), capsys)
    assert (code, out, path.read_bytes()) == (1, "", before)
    problems = err.splitlines()[:-1]
    assert all(line.startswith(f"{tmp_path / 'fifty.csv'}:37: column ") for line in problems), err
    assert any(words in line for line in problems), err
    assert err.splitlines()[-1].startswith("nothing was imported")


def test_an_update_that_breaks_an_entry_names_its_row(tmp_path, taxonomy, capsys):
    """Clearing an entry's standards when it has no dimensions breaks a rule of the whole entry."""
    path = setup(tmp_path)
    before = path.read_bytes()
    rows = edited(export_rows(path, taxonomy), {"block-style": {"standards": ""}})
    code, _, err = run(path, write(rows, tmp_path / "b.csv"), capsys)
    assert (code, path.read_bytes()) == (1, before)
    assert err.startswith(f"{tmp_path / 'b.csv'}:2: "), err


# (name, the file's text, words of the problem)
BAD_FILES = [
    ("unknown column", "id,type,colour\nblock-style,guide,red\n", "1: column 'colour': unknown column"),
    ("no id column", "type,title_en\nguide,x\n", "the header lacks the column(s) id"),
    ("twice a column", "id,type,type\nblock-style,guide,guide\n", "1: column type: a second column"),
    ("twice an id", "id,type\nblock-style,guide\nblock-style,tool\n", "3: column id: the id 'block-style' is also in row 2"),
    ("short row", "id,type,year\nblock-style,guide\n", "2: the row has 2 cells and the header 3"),
    ("empty id", "id,type\n,guide\n", "2: column id: empty id"),
    ("latin-1", "id,title_fr\nflow-title,Été\n".encode("latin-1"), "the file is not UTF-8"),
]


@pytest.mark.parametrize(("text", "words"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused(tmp_path, capsys, text, words):
    path = setup(tmp_path)
    before = path.read_bytes()
    sheet = tmp_path / "bad.csv"
    sheet.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    code, _, err = run(path, sheet, capsys)
    assert (code, path.read_bytes()) == (1, before)
    assert words in err


def test_a_column_left_out_leaves_its_field_alone(tmp_path, taxonomy, capsys):
    path = setup(tmp_path)
    sheet = tmp_path / "pt.csv"
    sheet.write_text("id,title_pt\nblock-style,Cobrança com dignidade\nflow-title,\n", encoding="utf-8")
    code, out, _ = run(path, sheet, capsys)
    assert code == 0 and "1 updated, 1 unchanged" in out
    catalogue = load(path, taxonomy)
    assert catalogue.by_id["block-style"].title == {
        "en": "Collections with Dignity",
        "es": "Cobranza con dignidad",
        "pt": "Cobrança com dignidade",
    }
    assert catalogue.by_id["flow-title"].featured


def test_an_entry_on_one_line_is_left_to_edit_by_hand(tmp_path, taxonomy, capsys):
    text = CATALOGUE.replace(
        "  - id: flow-title\n    type: tool\n    title: {fr: Outil de suivi des sorties}\n    dimensions: [3]\n"
        '    featured: true\n    links:\n      - {lang: fr, url: "https://example.org/b.xlsx"}\n',
        '  - {id: flow-title, type: tool, title: {fr: Outil}, dimensions: [3], links: [{lang: fr, url: "https://example.org/b.xlsx"}]}\n',
    )
    path = setup(tmp_path, text)
    rows = edited(export_rows(path, taxonomy), {"flow-title": {"year": "2020"}})
    code, _, err = run(path, write(rows, tmp_path / "f.csv"), capsys)
    assert code == 1 and f"f.csv:3: cannot change {path}:" in err and "written on one line" in err


def test_every_exported_field_has_a_reader():
    for f in exported_fields():
        assert reader_of(f.holds, f.free_text)


# (cells of the `added` column, the order read, how many problems)
DATE_COLUMNS = [
    (["2024-01-31", "2024-02-01"], None, 0),
    (["31/01/2024", "01/02/2024"], DAY_FIRST, 0),
    (["1/31/2024", "2/1/2024"], MONTH_FIRST, 0),
    (["31.01.2024", "01.02.2024"], DAY_FIRST, 0),
    (["31/01/2024", "1/31/2024", "2024-05-05"], None, 2),  # as many of each: every local date refused
    (["31/01/2024", "30/01/2024", "1/31/2024", "05/05/2024"], DAY_FIRST, 1),  # the one month-first date refused
    (["03/04/2024"], None, 0),  # read per cell: refused unless day and month are equal
]


@pytest.mark.parametrize(("cells", "order", "problems"), DATE_COLUMNS)
def test_the_files_date_order_comes_from_its_own_dates(cells, order, problems):
    found, refused = date_order("a.csv", "added", list(enumerate(cells, start=2)))
    assert (found.order, len(refused)) == (order, problems)


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        ("2024-01-31", None, dt.date(2024, 1, 31)),
        ("31/01/2024", DAY_FIRST, dt.date(2024, 1, 31)),
        ("01/31/2024", MONTH_FIRST, dt.date(2024, 1, 31)),
        ("05/05/2024", None, dt.date(2024, 5, 5)),
        ("03/04/2024", None, "day/month or month/day"),
        ("03/04/24", DAY_FIRST, "two-digit year"),
        ("31 Jan 2024", DAY_FIRST, "not a date the import reads"),
        ("2024-13-01", None, "is not a date"),
    ],
)
def test_reading_a_date(cell, order, expected):
    if isinstance(expected, dt.date):
        assert read_date(cell, DateOrder(order)).value == expected
    else:
        with pytest.raises(CellError, match=expected):
            read_date(cell, DateOrder(order))
