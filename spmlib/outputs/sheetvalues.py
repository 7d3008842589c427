"""The cells of data/resources.csv read back into the values `resources.yaml` holds.

The open data writes each field's cells with its `Holds` (spmlib/model/fields.py): texts by
language in one column each, codes separated by spaces, "yes" for a flag, ISO dates, one
"lang url" per line for the links. Reading them back is the inverse of exactly that, plus what
a spreadsheet may do to a cell on the way:

- codes separated by commas as well as spaces (`4A, 4C`), as people type lists;
- a flag as yes/no, true/false or 1/0 in any case (a spreadsheet turns a typed TRUE into
  its own TRUE, and writes it back so);
- a date as YYYY-MM-DD, or as Excel re-saves it in the locale's short form, 31/01/2024
  (day first: French, Spanish, Portuguese, British English) or 1/31/2024 (month first: US
  English), with '/', '.' or '-' and a four-digit year. Which of the two a file uses is read
  from the file itself: a date whose first number is above 12 is day first, whose second is,
  month first. A file with both, or a date like 03/04/2024 in a file with neither, is refused
  for that cell, since either reading could be the wrong one; two-digit years are refused too;
- a local document's address percent-encoded as the open data publishes it, decoded again.

Each reading gives the value for the file and the cell as the export would write it: an
import compares that cell with the exported one, so a cell the spreadsheet only re-spelled
(a date re-formatted, TRUE for yes) is no change.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from spmlib.model.fields import LIST_SEPARATOR, Code, Codes, Day, Flag, Holds, Link, Number, PerLanguage, Phrase, Versions
from spmlib.model.problems import Problem
from spmlib.model.rules import URL_SCHEME

DAY_FIRST, MONTH_FIRST = "day first", "month first"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LOCAL = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})")
_CODE_SEPARATORS = re.compile(r"[\s,]+")
_YES, _NO = {"yes", "true", "1"}, {"no", "false", "0", ""}


class CellError(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Reading:
    """A cell read: the value for resources.yaml (None: left out) and the cell as exported."""

    value: Any
    cell: str


@dataclass(frozen=True)
class DateOrder:
    """How the file writes dates that are not YYYY-MM-DD, and the cell that shows it."""

    order: str | None
    row: int | None = None
    example: str = ""

    def describe(self) -> str:
        return f"{self.order} (row {self.row}: {self.example})" if self.order else ""


def read_text(cell: str, free_text: bool, _order: DateOrder) -> Reading:
    """A text or a code; a reader-facing text is composed (NFC) as the site publishes it."""
    text = unicodedata.normalize("NFC", cell) if free_text else cell
    return Reading(text or None, text)


def read_codes(cell: str, numbers: bool) -> Reading:
    codes: list[Any] = [c for c in _CODE_SEPARATORS.split(cell) if c]
    if numbers:
        codes = [int(c) if c.isdigit() else c for c in codes]
    return Reading(codes or None, LIST_SEPARATOR.join(str(c) for c in codes))


def read_number(cell: str) -> Reading:
    if not cell:
        return Reading(None, "")
    if not cell.isdigit():
        raise CellError(f"{cell!r} is not a whole number", "write the year with its four digits, like 2019")
    return Reading(int(cell), str(int(cell)))


def read_flag(cell: str) -> Reading:
    word = cell.lower()
    if word in _YES:
        return Reading(True, "yes")
    if word in _NO:
        return Reading(None, "")
    raise CellError(f"{cell!r} is neither yes nor no", "write yes, or leave the cell empty")


def read_date(cell: str, order: DateOrder) -> Reading:
    if not cell:
        return Reading(None, "")
    iso = _ISO.fullmatch(cell)
    local = _LOCAL.fullmatch(cell)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif local and len(local.group(4)) == 2:
        raise CellError(f"{cell!r} has a two-digit year", "write it as YYYY-MM-DD, like 2024-01-31")
    elif local:
        first, second, year = int(local.group(1)), int(local.group(3)), int(local.group(4))
        if order.order is None and first != second:
            raise CellError(
                f"{cell!r} could be day/month or month/day, and no other date of the file tells which",
                "write it as YYYY-MM-DD",
            )
        day, month = (first, second) if order.order != MONTH_FIRST else (second, first)
    else:
        raise CellError(f"{cell!r} is not a date the import reads", "write it as YYYY-MM-DD, like 2024-01-31")
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"{cell!r} is not a date ({exc})", "write it as YYYY-MM-DD") from None
    return Reading(date, date.isoformat())


def date_order(name: str, column: str, cells: list[tuple[int, str]]) -> tuple[DateOrder, list[Problem]]:
    """How the file writes its local dates (day or month first), from the cells that show it.

    When the column shows both, the order most of those cells show is the file's and each cell
    of the other order is a problem (a date typed by hand in another locale); when as many show
    each, every local date is one."""
    seen: dict[str, list[tuple[int, str]]] = {DAY_FIRST: [], MONTH_FIRST: []}
    local_rows = []
    for row, cell in cells:
        match = _LOCAL.fullmatch(cell)
        if not match:
            continue
        local_rows.append(row)
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            seen[DAY_FIRST].append((row, cell))
        elif second > 12 >= first:
            seen[MONTH_FIRST].append((row, cell))
    days, months = seen[DAY_FIRST], seen[MONTH_FIRST]
    if not days and not months:
        return DateOrder(None), []
    if len(days) == len(months):
        (day_row, day_cell), (month_row, month_cell) = days[0], months[0]
        message = f"dates are day first in row {day_row} ({day_cell}) and month first in row {month_row} ({month_cell})"
        return DateOrder(None), [Problem(name, row, message, field=column, hint="write them as YYYY-MM-DD") for row in local_rows]
    order, shown, other = (DAY_FIRST, days, months) if len(days) > len(months) else (MONTH_FIRST, months, days)
    this = DAY_FIRST if order == MONTH_FIRST else MONTH_FIRST
    message = f"this date is {this}, while {len(shown)} dates of the file are {order}, like row {shown[0][0]} ({shown[0][1]})"
    problems = [Problem(name, row, message, field=column, hint="write it as YYYY-MM-DD") for row, _cell in other]
    return DateOrder(order, shown[0][0], shown[0][1]), problems


def read_links(cell: str) -> Reading:
    """One version per line, its language code, a space and its address."""
    links = []
    for line in cell.split("\n"):
        if not line.strip():
            continue
        lang, _, url = line.strip().partition(" ")
        url = url.strip()
        if not url:
            hint = "one version per line: a language code, a space, the address"
            raise CellError(f"the line {line.strip()!r} has no address", hint)
        links.append({"lang": lang, "url": url if URL_SCHEME.match(url) else unquote(url)})
    cells = "\n".join(f"{link['lang']} {Link(link['lang'], link['url'], '').published_url()}" for link in links)
    return Reading(links or None, cells)


Reader = Callable[[str, DateOrder], Reading]


def reader_of(holds: Holds, free_text: bool) -> Reader:
    """How the cells of a field held this way are read; every `Holds` the open data writes has one
    (tests/test_import.py checks each exported field)."""
    readers: dict[type, Reader] = {
        Code: lambda cell, order: read_text(cell, False, order),
        PerLanguage: lambda cell, order: read_text(cell, free_text, order),
        Phrase: lambda cell, order: read_text(cell, free_text, order),
        Codes: lambda cell, _order: read_codes(cell, holds.annotation == tuple[int, ...]),
        Number: lambda cell, _order: read_number(cell),
        Flag: lambda cell, _order: read_flag(cell),
        Day: read_date,
        Versions: lambda cell, _order: read_links(cell),
    }
    return readers[type(holds)]


def is_dated(holds: Holds) -> bool:
    return isinstance(holds, Day)
