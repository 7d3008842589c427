"""Importing the catalogue from a spreadsheet: data/resources.csv, edited, back into resources.yaml.

Curators keep the library in a spreadsheet more easily than in YAML. They open the open data's
CSV (spmlib/site/opendata.py), change cells, add rows, save it, and `make import CSV=file.csv`
writes what changed into `resources.yaml`:

- a row whose id the catalogue has updates that entry, one whose id it lacks adds an entry at
  the end of the file; an entry the file lacks is left alone (an import never deletes);
- a cell is a change only when it differs from what the export writes for the entry
  (spmlib/outputs/sheetvalues.py reads it back the same way), so exporting, saving in a
  spreadsheet and importing again changes nothing, and the fields the CSV cannot hold (a
  link's label and format) are kept while its links are unchanged, or when a changed `links`
  cell keeps that version;
- an empty cell removes the value (a title's language, a list, a flag); a column left out of
  the file leaves that field alone, so a file of `id` and `title_pt` only adds Portuguese titles;
- only the changed values are written, as text edits (spmlib/outputs/yamledit.py): comments,
  order, blank lines and the wrapping of every other value stay byte for byte;
- the edited catalogue is checked with the very rules of `make check` (load_catalogue) before
  anything is written, and its problems are sent back to the row and column that caused them;
  any problem and nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spmlib.model.catalogue import Catalogue, Resource, load_catalogue
from spmlib.model.fields import FIELDS, Declared, PerLanguage, exported_fields
from spmlib.model.problems import CatalogueError, Problem, show_value
from spmlib.model.yamlsrc import Located, load_yaml_text
from spmlib.outputs import yamledit as ye
from spmlib.outputs.csvimport import Sheet, SheetRow
from spmlib.outputs.sheetvalues import CellError, DateOrder, date_order, is_dated, reader_of
from spmlib.site.opendata import csv_columns


@dataclass
class Change:
    """What one row changes: a new entry, or the fields of an existing one (None: removed)."""

    row: int
    id: str
    new: bool
    values: dict[str, Any] = field(default_factory=dict)  # a field's new value, in the table's order
    texts: dict[str, dict[str, str | None]] = field(default_factory=dict)  # a text field's languages
    columns: list[str] = field(default_factory=list)  # the changed columns, in the file's order
    cells: dict[str, str] = field(default_factory=dict)  # each column as the export will write it


@dataclass
class ImportResult:
    text: str | None  # the new catalogue; None when there are problems or nothing changes
    added: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # id and changed columns
    unchanged: int = 0
    dates: DateOrder = field(default_factory=lambda: DateOrder(None))
    problems: list[Problem] = field(default_factory=list)


def import_sheet(catalogue_path: str | Path, sheet: Sheet, catalogue: Catalogue, docs_dir: str | Path | None) -> ImportResult:
    """The catalogue's new text with the sheet's changes, what they are, or the problems."""
    languages = list(catalogue.taxonomy.languages)
    order, problems = _date_order(sheet)
    changes, more = sheet_changes(sheet, catalogue, languages, order)
    problems += more
    if problems:
        return ImportResult(None, problems=_one_per_cell(problems))
    result = ImportResult(
        None,
        added=[c.id for c in changes if c.new],
        updated=[(c.id, c.columns) for c in changes if not c.new and c.columns],
        unchanged=sum(1 for c in changes if not c.new and not c.columns),
        dates=order,
    )
    touched = [c for c in changes if c.new or c.columns]
    if not touched:
        return result
    text = Path(catalogue_path).read_bytes().decode("utf-8")
    located, _ = load_yaml_text(text, catalogue.name, written=True)
    assert located is not None, "the catalogue was loaded from this text"
    edits, result.problems = _edits(text.split("\n"), located, catalogue, touched, sheet.name)
    if result.problems:
        return result
    new_text = ye.apply_edits(text, edits)
    try:
        updated = load_catalogue(catalogue_path, catalogue.taxonomy, docs_dir, display_name=catalogue.name, text=new_text)
    except CatalogueError as err:
        result.problems = _to_rows(err.problems, edits, touched, catalogue.name, sheet.name, languages)
        return result
    _verify(updated, touched, languages)
    result.text = new_text
    return result


@dataclass
class Appended:
    """A new entry added after the last one: the catalogue's new text and the lines it adds, and
    the catalogue read back from it; or the problems of the catalogue with the entry."""

    text: str | None
    lines: tuple[str, ...] = ()
    catalogue: Catalogue | None = None
    problems: list[Problem] = field(default_factory=list)


def append_entry(catalogue_path: str | Path, catalogue: Catalogue, entry: dict, docs_dir: str | Path | None) -> Appended:
    """`entry` (a mapping as resources.yaml holds one) written after the last entry like it, as a
    text edit, and the result checked with the rules of `make check`: a proposal from the issue
    form (spmlib/outputs/proposal.py) takes the path of a new row of an import."""
    text = Path(catalogue_path).read_bytes().decode("utf-8")
    located, _ = load_yaml_text(text, catalogue.name, written=True)
    assert located is not None, "the catalogue was loaded from this text"
    texts = {name: value for name, value in entry.items() if isinstance(value, dict)}
    values = {name: value for name, value in entry.items() if name not in texts and name != "id"}
    change = Change(0, entry["id"], True, values=values, texts=texts)
    entries = located.data["resources"] if isinstance(located.data, dict) else None
    try:
        edit = _new_entry(text.split("\n"), located, entries or [], change)
    except ye.CannotEdit as exc:
        return Appended(None, problems=[Problem(catalogue.name, None, f"cannot add the entry automatically: {exc}")])
    new_text = ye.apply_edits(text, [edit])
    try:
        updated = load_catalogue(catalogue_path, catalogue.taxonomy, docs_dir, display_name=catalogue.name, text=new_text)
    except CatalogueError as err:
        return Appended(None, edit.lines, problems=err.problems)
    return Appended(new_text, edit.lines, updated)


def _one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first problem of each cell (a date of the other order is not read as well)."""
    seen: set[tuple] = set()
    kept = []
    for problem in problems:
        cell = (problem.line, problem.field)
        if problem.field is None or cell not in seen:
            kept.append(problem)
            seen.add(cell)
    return kept


def _date_order(sheet: Sheet) -> tuple[DateOrder, list[Problem]]:
    """How the sheet writes dates, from its date columns (one: `added`)."""
    order, problems = DateOrder(None), []
    for f in exported_fields():
        if is_dated(f.holds) and f.name in sheet.columns:
            cells = [(row.row, row.cells.get(f.name, "")) for row in sheet.rows]
            order, more = date_order(sheet.name, f.name, cells)
            problems += more
    return order, problems


def sheet_changes(
    sheet: Sheet, catalogue: Catalogue, languages: list[str], order: DateOrder
) -> tuple[list[Change], list[Problem]]:
    """One Change per row, and a problem for each cell that cannot be read or row that cannot be
    imported (no id, an id of an earlier row)."""
    problems: list[Problem] = []
    changes: list[Change] = []
    first_row: dict[str, int] = {}
    for row in sheet.rows:
        rid = row.cells.get("id", "")
        if not rid:
            problems.append(Problem(sheet.name, row.row, "empty id", field="id", hint="every row needs the id of its entry"))
            continue
        if rid in first_row:
            message = f"the id {show_value(rid)} is also in row {first_row[rid]}"
            problems.append(Problem(sheet.name, row.row, message, field="id", hint="one row per entry"))
            continue
        first_row[rid] = row.row
        change, more = _row_change(sheet, row, catalogue, languages, order)
        changes.append(change)
        problems += more
    return changes, problems


def _row_change(
    sheet: Sheet, row: SheetRow, catalogue: Catalogue, languages: list[str], order: DateOrder
) -> tuple[Change, list[Problem]]:
    rid = row.cells["id"]
    resource = catalogue.by_id.get(rid)
    change = Change(row.row, rid, resource is None)
    problems = []
    for f in exported_fields():
        columns = [c for c in f.holds.columns(f.name, languages) if c in sheet.columns]
        old = f.holds.cells(f.name, getattr(resource, f.name), languages) if resource is not None else {}
        read = reader_of(f.holds, f.free_text)
        for column in columns:
            try:
                reading = read(row.cells[column], order)
            except CellError as exc:
                problems.append(Problem(sheet.name, row.row, exc.message, resource_id=rid, field=column, hint=exc.hint))
                continue
            change.cells[column] = reading.cell
            if reading.cell == old.get(column, ""):
                continue
            change.columns.append(column)
            if isinstance(f.holds, PerLanguage):
                change.texts.setdefault(f.name, {})[column.removeprefix(f.name + "_")] = reading.value
            elif f.name == "links" and resource is not None and reading.value:
                change.values[f.name] = _kept_links(reading.value, resource)
            else:
                change.values[f.name] = reading.value
    change.columns.sort(key=sheet.columns.index)
    return change, problems


def _kept_links(links: list[dict], resource: Resource) -> list[dict | int]:
    """The new links, each version the entry already has given by its index, to be kept as
    written (with its label and format, which the CSV does not hold)."""
    used: set[int] = set()
    kept: list[dict | int] = []
    for link in links:
        same = (i for i, old in enumerate(resource.links) if i not in used and (old.lang, old.url) == (link["lang"], link["url"]))
        index = next(same, None)
        if index is not None:
            used.add(index)
        kept.append(link if index is None else index)
    return kept


def _links_lines(lines: list[str], located: Located, path: tuple, items: list[dict | int], indent: int) -> list[str]:
    """`links:` with the versions kept (an index) as the file writes them, line for line when
    they are items of a block list, and the new ones on one line each."""
    raw = located.data["resources"][path[1]]["links"]
    key_line = located.lines[path] - 1
    written: dict[int, list[str]] = {}
    for index in (item for item in items if isinstance(item, int)):
        start = located.lines[path + (index,)] - 1
        if start > key_line and lines[start].lstrip().startswith("- "):
            stop = ye.value_last_line(lines, located, path + (index,)) + 1
            written[index] = [line.rstrip("\r") for line in lines[start:stop]]
    dash = next((len(block[0]) - len(block[0].lstrip()) for block in written.values()), indent + 2)
    result = [" " * indent + f"{path[-1]}:"]
    for item in items:
        if isinstance(item, int) and item in written:
            result += written[item]
        else:
            result.append(" " * dash + "- " + _flow_mapping(raw[item] if isinstance(item, int) else item))
    return result


def _edits(lines: list[str], located: Located, catalogue: Catalogue, touched: list[Change], sheet_name: str):
    """The text edits of every change, and a problem for each entry written in a way that
    cannot be changed without rewriting more of it (an entry on one line)."""
    edits: list[ye.Edit] = []
    problems: list[Problem] = []
    entries = located.data["resources"] if isinstance(located.data, dict) else None
    for change in touched:
        try:
            if change.new:
                edits.append(_new_entry(lines, located, entries or [], change))
            else:
                index = catalogue.by_id[change.id].index
                edits += _entry_edits(lines, located, ("resources", index), entries[index], change)
        except ye.CannotEdit as exc:
            where = "" if change.new else f" {catalogue.name}:{catalogue.line(catalogue.by_id[change.id])}"
            message = f"cannot change{where} automatically: {exc}"
            problems.append(Problem(sheet_name, change.row, message, resource_id=change.id, hint="make this change by hand"))
    return edits, problems


def _entry_edits(lines: list[str], located: Located, base: tuple, raw: dict, change: Change) -> list[ye.Edit]:
    span = located.spans.get(base)
    if span is None or span.flow:
        raise ye.CannotEdit("the entry is written on one line")
    indent = span.key_column or 0
    edits: list[ye.Edit] = []
    for f in exported_fields():
        path = base + (f.name,)
        if f.name in change.texts:
            edits += _text_edits(lines, located, path, raw, change)
        elif f.name in change.values:
            value = change.values[f.name]
            if f.name in raw:
                if value is None:
                    new = []
                elif f.name == "links":
                    new = _links_lines(lines, located, path, value, indent)
                else:
                    new = render(f.name, value, indent)
                edits.append(ye.replace_key(lines, located, path, new, change))
            elif value is not None:
                line = _insertion_line(lines, located, base, raw, f.name)
                edits.append(ye.Edit(line, line, tuple(render(f.name, value, indent)), change))
    return edits


def _text_edits(lines: list[str], located: Located, path: tuple, raw: dict, change: Change) -> list[ye.Edit]:
    """A text field's languages replaced, removed or added one by one when it is a block mapping;
    the whole field written again otherwise (`title: {fr: ...}`, `summary:`), or removed when no
    language is left."""
    name = path[-1]
    wanted = change.texts[name]
    old = raw.get(name) if isinstance(raw.get(name), dict) else {}
    final = {lang: text for lang, text in {**old, **wanted}.items() if text is not None}
    indent = located.spans[path[:-1]].key_column or 0
    span = located.spans.get(path)
    if not final or not old or span is None or span.flow:
        if name in raw:
            return [ye.replace_key(lines, located, path, render(name, final, indent) if final else [], change)]
        line = _insertion_line(lines, located, path[:-1], raw, name)
        return [ye.Edit(line, line, tuple(render(name, final, indent)), change)]
    inner = span.key_column or indent + 2
    edits = [
        ye.replace_key(lines, located, path + (lang,), _lines(ye.block_entry(lang, text, inner)) if text else [], change)
        for lang, text in wanted.items()
        if lang in old
    ]
    added = [ye.block_entry(lang, text, inner) for lang, text in wanted.items() if lang not in old and text is not None]
    if added:
        line = ye.value_last_line(lines, located, path) + 1
        edits.append(ye.Edit(line, line, tuple("\n".join(added).split("\n")), change))
    return edits


def _insertion_line(lines: list[str], located: Located, base: tuple, raw: dict, name: str) -> int:
    """Where a field the entry lacks goes: after the nearest field before it in the table's order
    that the entry has, else after its last field."""
    names = [f.name for f in FIELDS]
    before = [n for n in names[: names.index(name)] if n in raw]
    anchor = before[-1] if before else list(raw)[-1]
    return ye.value_last_line(lines, located, base + (anchor,)) + 1


def _new_entry(lines: list[str], located: Located, entries: list, change: Change) -> ye.Edit:
    """A new entry after the last one, written like it: its dash, indentation, blank line before."""
    if not entries:
        raise ye.CannotEdit("the catalogue has no entry to write the new one like; add the first one by hand")
    last = ("resources", len(entries) - 1)
    span = located.spans.get(last)
    start = located.lines[last] - 1
    indent = span.key_column if span is not None and not span.flow else None
    prefix = lines[start].rstrip("\r")[:indent] if indent else ""
    if not indent or prefix.strip() != "-":
        raise ye.CannotEdit("the last entry is not written as a block under its dash ('- id: ...')")
    body: list[str] = []
    values = {**change.values, **change.texts, "id": change.id}
    for f in exported_fields():
        value = values.get(f.name)
        if isinstance(value, dict):
            value = {lang: text for lang, text in value.items() if text is not None}
        if value or value == 0:
            body += render(f.name, value, indent)
    body[0] = prefix + body[0][indent:]
    blank = [""] if start > 0 and not lines[start - 1].strip() else []
    line = ye.value_last_line(lines, located, last) + 1
    return ye.Edit(line, line, tuple(blank + body), change)


def render(name: str, value: Any, indent: int) -> list[str]:
    """`name: value` as the catalogue writes it: texts by language and links as blocks, codes
    as `[4A, 4C]`, long texts folded."""
    pad = " " * indent
    if isinstance(value, dict):
        return [f"{pad}{name}:"] + "\n".join(ye.block_entry(lang, text, indent + 2) for lang, text in value.items()).split("\n")
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [f"{pad}{name}:"] + [f"{pad}  - {_flow_mapping(item)}" for item in value]
    if isinstance(value, list):
        return [f"{pad}{name}: [{', '.join(str(c) if isinstance(c, int) else ye.inline(c, flow=True) for c in value)}]"]
    if isinstance(value, bool):
        return [f"{pad}{name}: {'true' if value else 'false'}"]
    if isinstance(value, str):
        return ye.block_entry(name, value, indent).split("\n")
    return [f"{pad}{name}: {value.isoformat() if hasattr(value, 'isoformat') else value}"]


def _flow_mapping(item: dict) -> str:
    """A link on one line, its address in quotes as the file writes them."""
    parts = [
        f"{key}: {json.dumps(value, ensure_ascii=False) if key == 'url' else ye.inline(str(value), flow=True)}"
        for key, value in item.items()
    ]
    return "{" + ", ".join(parts) + "}"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _to_rows(
    problems: list[Problem],
    edits: list[ye.Edit],
    touched: list[Change],
    catalogue_name: str,
    sheet_name: str,
    languages: list[str],
) -> list[Problem]:
    """The edited catalogue's problems at the row (and column) they come from: by the entry's id,
    else by the line an edit wrote."""
    row_of = {change.id: change.row for change in touched}

    def at_row(problem: Problem, row: int) -> Problem:
        column = _column(problem.field, languages)
        return Problem(sheet_name, row, problem.message, problem.resource_id, column, hint=problem.hint)

    by_id = [at_row(p, row_of[p.resource_id]) for p in problems if p.resource_id in row_of]
    others = [p for p in problems if p.resource_id not in row_of]
    return by_id + ye.back_to_sources(others, edits, catalogue_name, lambda p, change: [at_row(p, change.row)])


def _column(path: str | None, languages: list[str]) -> str | None:
    """The CSV column of a field as messages name it: `title.fr` is title_fr, `links[2].url` links."""
    if not path:
        return None
    parts = path.replace("[", ".").split(".")
    declared: Declared | None = next((f for f in exported_fields() if f.name == parts[0]), None)
    if declared is None:
        return None
    columns = declared.holds.columns(declared.name, languages)
    if len(columns) > 1:
        wanted = f"{parts[0]}_{parts[1]}" if len(parts) > 1 else None
        return wanted if wanted in columns else f"{parts[0]} ({', '.join(columns[:-1])} or {columns[-1]})"
    return columns[0]


def _verify(updated: Catalogue, touched: list[Change], languages: list[str]) -> None:
    """Each imported cell reads back from the written file as it was given: a check of the writer,
    never the curator's fault (links are left out: a local file may be stored under another
    Unicode spelling of its name, which the catalogue then links)."""
    for change in touched:
        resource = updated.by_id[change.id]
        for f in exported_fields():
            if f.name == "links":
                continue
            cells = f.holds.cells(f.name, getattr(resource, f.name), languages)
            for column, cell in cells.items():
                if column in change.cells and change.cells[column] != cell:  # pragma: no cover - a bug in the writer
                    raise RuntimeError(f"{change.id} {column} did not survive writing: {cell!r} for {change.cells[column]!r}")


def sheet_columns(catalogue: Catalogue) -> list[str]:
    """The columns an import reads: the open data's."""
    return csv_columns(list(catalogue.taxonomy.languages))
