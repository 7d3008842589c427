"""Problems found in the catalogue or taxonomy, worded for the maintainer who must fix them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from spmlib.model.textcheck import escape_for_terminal


def show_value(value: Any, limit: int = 80) -> str:
    """Quote a bad value the way it would be written in YAML, short enough for one line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null (empty)"
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def kind_of(value: Any) -> str:
    """What YAML made of a value, in a maintainer's words: "a number", "true/false", "a date"..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.date):
        return "a date"
    return {list: "a list", dict: "a mapping", str: "text", int: "a number", float: "a number", type(None): "empty"}.get(
        type(value), type(value).__name__
    )


@dataclass(frozen=True)
class Problem:
    """One error or warning, with everything needed to find and fix it without reading code."""

    file: str
    line: int | None
    message: str
    resource_id: str | None = None
    field: str | None = None
    severity: str = "error"
    hint: str | None = None

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [f"{where}: {self.severity}:"]
        if self.resource_id:
            parts.append(f"resource '{self.resource_id}',")
        if self.field:
            parts.append(f"field '{self.field}':")
        parts.append(self.message)
        text = " ".join(parts)
        if self.hint:
            text += f" ({self.hint})"
        # Values from the catalogue, taxonomy or a CSV are untrusted: one message, one line.
        return escape_for_terminal(text)

    def __str__(self) -> str:
        return self.format()


class CatalogueError(Exception):
    """Raised with the full list of errors after a whole catalogue has been checked."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
        count = len(self.problems)
        head = f"{count} error{'s' if count != 1 else ''} in the catalogue:"
        super().__init__("\n".join([head] + ["  " + p.format() for p in self.problems]))
