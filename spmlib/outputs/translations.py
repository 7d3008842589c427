"""Translation coverage, and a CSV round trip so translators never have to edit YAML.

The export lists every missing title and summary with the text to translate from; the
translator fills the `translation` column in a spreadsheet; the import writes each filled
cell into `resources.yaml` as a new key next to the existing ones, leaving every other byte
of the file (comments, order, wrapping) as it was, and refuses the whole import if the
result would not validate.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from spmlib.model.catalogue import Catalogue, Resource, load_catalogue
from spmlib.model.coverage import FIELDS, Coverage, coverage
from spmlib.model.names import language_name
from spmlib.model.problems import CatalogueError, Problem, show_value
from spmlib.model.rules import LangMap
from spmlib.model.schema import catalogue_schema
from spmlib.model.textcheck import describe, first_control
from spmlib.model.yamlsrc import Located
from spmlib.outputs.csvimport import detect_delimiter, read_text
from spmlib.outputs.yamledit import CannotEdit, Edit, apply_edits, back_to_sources, block_entry, inline, last_content_line
from spmlib.site.spreadsheet import neutralise, restore

COLUMNS = ("id", "field", "language", "source_language", "source_text", "translation")


def format_coverage(reports: list[Coverage], catalogue: Catalogue, list_missing: bool = True) -> str:
    """A plain-text table for the terminal, then what is missing per language."""
    rows = [("language", "titles", "summaries", "missing")]
    for r in reports:
        rows.append(
            (
                f"{r.language} ({language_name(r.language, 'en')})",
                f"{r.titles}/{r.total} ({r.percent(r.titles):.0f}%)",
                f"{r.summaries}/{r.total} ({r.percent(r.summaries):.0f}%)",
                str(len(r.missing)),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if list_missing:
        for r in reports:
            if not r.missing:
                continue
            lines.append("")
            lines.append(f"Missing in {r.language}:")
            for resource, name in r.missing:
                lines.append(f"  {catalogue.name}:{catalogue.line(resource, (name,))}  {resource.id}  {name}")
    return "\n".join(lines)


def export_rows(catalogue: Catalogue, languages: list[str] | None = None) -> list[dict[str, str]]:
    """One row per missing title or summary that exists in another language to translate from."""
    order = catalogue.taxonomy.fallback_order
    rows = []
    for report in coverage(catalogue, languages):
        for resource, name in report.missing:
            text, source = resource.pick(name, report.language, order)
            if text is None:
                continue  # nothing to translate from: `make check` warns about entries with no summary
            rows.append(
                {
                    "id": resource.id,
                    "field": name,
                    "language": report.language,
                    "source_language": source,
                    "source_text": text,
                    "translation": "",
                }
            )
    return rows


def write_csv(rows: list[dict[str, str]], path: str | Path) -> None:
    """UTF-8 with a byte-order mark, so spreadsheet programs open accents correctly."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)


REQUIRED_COLUMNS = ("id", "field", "language", "translation")


@dataclass(frozen=True)
class Row:
    line: int
    id: str
    field: str
    language: str
    translation: str


def read_csv(path: str | Path, display_name: str | None = None) -> tuple[list[Row], list[Problem]]:
    """The rows of a translator's CSV; problems cite the CSV's line."""
    name = display_name or str(path)
    problems: list[Problem] = []
    text, problems = read_text(path, name)  # UTF-8 with or without a BOM, or UTF-16 (spmlib/outputs/csvimport.py)
    if text is None:
        return [], problems
    delimiter = detect_delimiter(text, REQUIRED_COLUMNS, REQUIRED_COLUMNS)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            return [], [
                Problem(
                    name,
                    1,
                    f"the header lacks the column(s) {', '.join(missing)}; "
                    f"found {', '.join(map(show_value, header)) or 'nothing'}",
                    hint="start from a file made by `make translations-export` and keep its first row; "
                    "separate the columns with commas, semicolons or tabs",
                )
            ]
        start = reader.line_num + 1
        for record in reader:
            cells = {key: record.get(key) or "" for key in REQUIRED_COLUMNS}
            bad_cell = next(((key, first_control(value)) for key, value in cells.items() if first_control(value)), None)
            if bad_cell:
                problems.append(
                    Problem(
                        name, start, f"control character {describe(bad_cell[1])} in the {bad_cell[0]!r} cell", hint="delete it"
                    )
                )
            rows.append(
                Row(
                    start,
                    cells["id"].strip(),
                    cells["field"].strip(),
                    cells["language"].strip(),
                    restore(cells["translation"].strip()).strip(),
                )
            )
            start = reader.line_num + 1
    except csv.Error as exc:
        return [], [Problem(name, reader.line_num or None, f"cannot read the CSV: {exc}")]
    if problems:
        return [], problems
    return rows, problems


def import_translations(
    catalogue_path: str | Path,
    rows: list[Row],
    catalogue: Catalogue,
    csv_name: str,
    docs_dir: str | Path | None = None,
) -> tuple[str | None, int, list[Problem]]:
    """The new text of the catalogue with the filled translations added, how many, and the problems.

    The text is None when any problem is found: an import is all or nothing. The text keeps the
    file's line endings (CRLF stays CRLF) and every byte that is not a new translation
    (spmlib/outputs/yamledit.py).
    """
    text = Path(catalogue_path).read_bytes().decode("utf-8")
    source = catalogue.source
    assert source is not None, "the catalogue must be loaded from its file"
    wanted, rows_of, problems = _wanted_translations(rows, catalogue, csv_name)
    if problems:
        return None, 0, problems
    lines = text.split("\n")
    edits, problems = _planned_edits(lines, source, catalogue, wanted, rows_of)
    if problems:
        return None, 0, problems
    new_text = apply_edits(text, edits)
    try:
        updated = load_catalogue(catalogue_path, catalogue.taxonomy, docs_dir, display_name=catalogue.name, text=new_text)
    except CatalogueError as err:

        def send(problem: Problem, rows_of_edit: list[Row]) -> list[Problem]:
            return [
                Problem(csv_name, row.line, problem.message, resource_id=row.id, field=problem.field, hint=problem.hint)
                for row in rows_of_edit
            ]

        return None, 0, back_to_sources(err.problems, edits, catalogue.name, send)
    for (rid, name), values in wanted.items():
        got = getattr(updated.by_id[rid], name)
        for lang, value in values.items():
            if got.get(lang) != value:  # pragma: no cover - a bug in the writer, never the translator's fault
                raise RuntimeError(f"translation of {rid} {name}.{lang} did not survive writing: {got.get(lang)!r}")
    count = sum(len(v) for v in wanted.values())
    return new_text, count, []


def _wanted_translations(
    rows: list[Row], catalogue: Catalogue, csv_name: str
) -> tuple[dict[tuple[str, str], dict[str, str]], dict[tuple[str, str], list[Row]], list[Problem]]:
    """The filled rows to add, as {(id, field): {language: translation}} and the rows of each
    (id, field), and a problem for each row that cannot be added: an unknown id, field or
    language, a second row for the same text, a translation the schema refuses, or a text that
    the catalogue already has otherwise. Rows with an empty translation are left out."""
    schema = catalogue_schema(catalogue.taxonomy)
    specs = {f.name: f.spec.value for f in schema.fields if f.name in FIELDS and isinstance(f.spec, LangMap)}
    languages = catalogue.taxonomy.languages
    problems: list[Problem] = []
    wanted: dict[tuple[str, str], dict[str, str]] = {}
    rows_of: dict[tuple[str, str], list[Row]] = {}
    seen: dict[tuple[str, str, str], int] = {}

    def bad(row: Row, message: str, hint: str | None = None, field_name: str | None = None) -> None:
        problems.append(Problem(csv_name, row.line, message, resource_id=row.id or None, field=field_name, hint=hint))

    for row in rows:
        if not row.translation:
            continue
        resource = catalogue.by_id.get(row.id)
        if resource is None:
            bad(row, f"no entry has the id {show_value(row.id)} in {catalogue.name}", "keep the id exactly as exported")
            continue
        if row.field not in FIELDS:
            bad(row, f"unknown field {show_value(row.field)}; allowed: {', '.join(FIELDS)}")
            continue
        if row.language not in languages:
            bad(row, f"unknown language {show_value(row.language)}; allowed: {', '.join(languages)}")
            continue
        where = f"{row.field}.{row.language}"
        key = (row.id, row.field, row.language)
        if key in seen:
            bad(row, f"a second translation of the same text (first on line {seen[key]})", "keep one of the two rows", where)
            continue
        seen[key] = row.line
        wrong = specs[row.field].check(row.translation, ())
        if wrong:
            bad(row, f"the translation {wrong[0][1]}", field_name=where)
            continue
        existing = getattr(resource, row.field).get(row.language)
        if existing is not None:
            if existing != row.translation:
                line = catalogue.line(resource, (row.field, row.language))
                bad(
                    row,
                    f"{catalogue.name}:{line} already has this text, and it differs: {show_value(existing)}",
                    f"edit {catalogue.name} directly to change an existing translation, or clear this cell",
                    where,
                )
            continue
        wanted.setdefault((row.id, row.field), {})[row.language] = row.translation
        rows_of.setdefault((row.id, row.field), []).append(row)
    return wanted, rows_of, problems


def _planned_edits(
    lines: list[str],
    source: Located,
    catalogue: Catalogue,
    wanted: dict[tuple[str, str], dict[str, str]],
    rows_of: dict[tuple[str, str], list[Row]],
) -> tuple[list[Edit], list[Problem]]:
    """The edits that write each (id, field) of `wanted` into the catalogue's `lines`, at
    distinct places, and a problem for each field whose text is written in a way that cannot be
    edited safely."""
    problems: list[Problem] = []
    edits: list[Edit] = []
    for (rid, name), values in wanted.items():
        resource = catalogue.by_id[rid]
        try:
            edits.append(_insertion(lines, source, resource, name, values, rows_of[(rid, name)]))
        except CannotEdit as exc:
            problems.append(
                Problem(
                    catalogue.name,
                    catalogue.line(resource, (name,)),
                    f"cannot add the translation automatically: {exc}",
                    resource_id=rid,
                    field=name,
                    hint="add it by hand",
                )
            )
    return edits, problems


def _insertion(lines: list[str], source: Located, resource: Resource, name: str, values: dict[str, str], rows: list[Row]) -> Edit:
    entry_path = ("resources", resource.index)
    entry = source.spans.get(entry_path)
    if entry is None or entry.flow:
        raise CannotEdit("the entry is written on one line")
    field_span = source.spans.get(entry_path + (name,))
    if field_span is not None and field_span.flow:
        line, column = field_span.end[0], field_span.end[1] - 1
        text = lines[line].rstrip("\r")
        if text[column : column + 1] != "}":
            raise CannotEdit(f"the '{name}:' mapping does not end with '}}' where expected")
        insert = ", ".join(f"{lang}: {inline(value, flow=True)}" for lang, value in values.items())
        if field_span.last_end is not None:  # `{en: ...}` gets `, fr: ...`; an empty `{}` gets `fr: ...`
            insert = ", " + insert
        return Edit(line, line + 1, (text[:column] + insert + text[column:],), rows)
    if field_span is not None:
        indent = field_span.key_column or 0
        after = last_content_line(lines, field_span.last_end or field_span.end)
        return Edit(after + 1, after + 1, tuple(block_entry(lang, value, indent) for lang, value in values.items()), rows)
    entry_data = source.data["resources"][resource.index]
    if isinstance(entry_data, dict) and name in entry_data:  # written but empty: `summary:` or `summary: null`
        line = source.lines.get(entry_path + (name,), 0) - 1
        match = re.fullmatch(rf"(\s*){name}:\s*(?:null|Null|NULL|~)?\s*(?:#.*)?", lines[line].rstrip("\r")) if line >= 0 else None
        if match is None:
            raise CannotEdit(f"the '{name}:' field is not a mapping of languages")
        indent = len(match.group(1))
        block = [" " * indent + f"{name}:"] + [block_entry(lang, value, indent + 2) for lang, value in values.items()]
        return Edit(line, line + 1, tuple(block), rows)
    # no such field yet: a new mapping right after the title
    title = source.spans.get(entry_path + ("title",))
    if title is None:
        raise CannotEdit("the entry has no title mapping to add the summary after")
    after = title.end[0] if title.flow else last_content_line(lines, title.last_end or title.end)
    indent = entry.key_column or 0
    block = [" " * indent + f"{name}:"] + [block_entry(lang, value, indent + 2) for lang, value in values.items()]
    return Edit(after + 1, after + 1, tuple(block), rows)
