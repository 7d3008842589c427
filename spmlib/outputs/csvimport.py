"""Reading a CSV file as spreadsheets save it: its encoding, its delimiter, its rows and cells.

Curators and translators open the library's CSV files (the open data, spmlib/site/opendata.py;
the translators' export, spmlib/outputs/translations.py) in Excel or LibreOffice and save them
back. What comes back depends on the program and its locale:

- the encoding: "CSV UTF-8" with a byte-order mark (Excel), without one (LibreOffice), or
  UTF-16 with a BOM and tabs (Excel's "Unicode Text"); any other encoding is refused with the
  way to save it right, since guessing it would put wrong accents into the catalogue;
- the delimiter: ',' in English locales, ';' in French, Spanish and Portuguese ones, where the
  comma is the decimal separator; a tab in "Unicode Text". It is chosen from the header row:
  the delimiter that splits it into the file's own column names. csv.Sniffer is not used: it
  guesses from how often characters occur in a sample, which summaries full of commas and
  semicolons, or a sample that ends inside a quoted multi-line cell, easily fool;
- line ends: CRLF, LF or CR, and line breaks inside quoted cells (summaries of several
  paragraphs, the one-version-per-line `links` cell), which become "\\n" whatever they were;
- the apostrophe that the export puts before a cell a spreadsheet would run as a formula
  (spmlib/site/spreadsheet.py), which spreadsheets keep: it is removed again.

A problem names the file, the row as the spreadsheet numbers it (the header is row 1; it is
the file's line number too unless a cell above holds a line break) and the column.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from spmlib.model.problems import Problem, show_value
from spmlib.model.textcheck import describe, escape_for_terminal, first_control
from spmlib.site.spreadsheet import restore

DELIMITERS = (",", ";", "\t")
SAVE_AS = "in your spreadsheet, save as 'CSV UTF-8' (Excel) or 'Text CSV' with the character set 'Unicode (UTF-8)' (LibreOffice)"


@dataclass(frozen=True)
class SheetRow:
    """One row with a value: the spreadsheet's row number and its cells by column name."""

    row: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list[str]  # the header's names, in its order, without the unnamed empty columns
    rows: list[SheetRow]


def format_row_problem(problem: Problem) -> str:
    """`file.csv:ROW: column NAME: message (hint)`, on one line whatever the cells held."""
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file
    column = f" column {problem.field}:" if problem.field else ""
    hint = f" ({problem.hint})" if problem.hint else ""
    return escape_for_terminal(f"{where}:{column} {problem.message}{hint}")


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """The text of a saved CSV file, without its byte-order mark."""
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16"), []
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, f"the file is not UTF-8 ({exc.reason})", hint=SAVE_AS)]


def read_text(path: str | Path, name: str) -> tuple[str | None, list[Problem]]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem(name, None, f"cannot read the CSV: {exc.strerror}")]
    return decode(raw, name)


def detect_delimiter(text: str, known: Collection[str], required: Collection[str]) -> str:
    """The delimiter that splits the header row into the most `known` names, `required` among
    them (',' when none does)."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        names = {name.strip() for name in next(csv.reader([header], delimiter=delimiter), [])}
        count = len(names & set(known))
        if set(required) <= names and count > best_count:
            best, best_count = delimiter, count
    return best


def clean(cell: str) -> str:
    """A cell as the export wrote it: trimmed, its line breaks "\\n", without the apostrophe that
    stops a spreadsheet running it."""
    cell = cell.replace("\r\n", "\n").replace("\r", "\n").strip()
    return restore(cell).strip()


def read_sheet(
    path: str | Path, known: list[str], required: tuple[str, ...], display_name: str | None = None
) -> tuple[Sheet | None, list[Problem]]:
    """The rows of a CSV whose header names some of the `known` columns, all the `required` ones.

    Rows without any value (spreadsheets save some after the last one) are left out. A problem
    for each column the header does not know or names twice, each row with more or fewer cells
    than the header, each control character; None with them."""
    name = display_name or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text, known, required))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        problems = _header_problems(name, header, known, required)
        if problems:
            return None, problems
        rows, problems = _rows(name, reader, header)
    except csv.Error as exc:
        return None, [Problem(name, reader.line_num or None, f"cannot read the CSV: {exc}", hint=SAVE_AS)]
    if problems:
        return None, problems
    return Sheet(name, [c for c in header if c], rows), []


def _header_problems(name: str, header: list[str], known: list[str], required: tuple[str, ...]) -> list[Problem]:
    missing = [c for c in required if c not in header]
    if missing:
        found = ", ".join(map(show_value, header)) or "nothing"
        return [
            Problem(
                name,
                1,
                f"the header lacks the column(s) {', '.join(missing)}; found {found}",
                hint="keep the first row of the exported file; separate the columns with commas, semicolons or tabs",
            )
        ]
    problems = []
    for index, column in enumerate(header):
        if column and column not in known:
            problems.append(Problem(name, 1, f"unknown column; the columns are {', '.join(known)}", field=show_value(column)))
        elif column and column in header[:index]:
            problems.append(Problem(name, 1, "a second column of this name", field=column, hint="delete one of the two"))
    return problems


def _rows(name: str, reader, header: list[str]) -> tuple[list[SheetRow], list[Problem]]:
    rows: list[SheetRow] = []
    problems: list[Problem] = []
    for number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < len(header) or any(cell.strip() for cell in record[len(header) :]):
            problems.append(
                Problem(name, number, f"the row has {len(record)} cells and the header {len(header)}", hint="one cell per column")
            )
            continue
        cells: dict[str, str] = {}
        for column, cell in zip(header, record[: len(header)], strict=True):
            control = first_control(cell)
            if control:
                problems.append(Problem(name, number, f"control character {describe(control)}", field=column, hint="delete it"))
            elif column:
                cells[column] = clean(cell)
            elif cell.strip():
                problems.append(Problem(name, number, "a value in a column without a name", hint="delete it, or name the column"))
        rows.append(SheetRow(number, cells))
    return rows, problems
