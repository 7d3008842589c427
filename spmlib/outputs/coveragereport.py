"""`make report`: the coverage page's figures for the terminal and for CI summaries.

The same figures as the public page (spmlib.site.coverage.coverage_figures), as plain-text
tables or, with `--format markdown`, as GitHub-flavoured Markdown for a CI job summary. With
`--list`, each entry to complete is named with the file:line to edit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from spmlib.model.catalogue import Catalogue, Resource
from spmlib.model.coverage import LINK_REPORT, Progress, read_link_report
from spmlib.site.coverage import CoverageFigures, coverage_figures

TEXT, MARKDOWN = "text", "markdown"


def _table(rows: list[list[str]], style: str) -> list[str]:
    """Rows as an aligned plain-text table (first column left, the others right) or a Markdown one."""
    if style == MARKDOWN:
        head = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(["---"] + ["---:"] * (len(rows[0]) - 1)) + " |"]
        return head + ["| " + " | ".join(row) + " |" for row in rows[1:]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _heading(text: str, style: str) -> list[str]:
    return ["", f"## {text}", ""] if style == MARKDOWN else ["", text, ""]


def _progress(part: Progress) -> str:
    return f"{part.done}/{part.total} ({part.percent}%)"


def format_report(figures: CoverageFigures, catalogue: Catalogue, style: str = TEXT, list_entries: bool = False) -> str:
    """Every figure of the coverage page; `list_entries` adds the entries behind each count."""
    languages = list(figures.languages)
    title = f"Coverage of {catalogue.name}: {len(catalogue.resources)} resources"
    lines = [f"# {title}" if style == MARKDOWN else title]
    lines += _heading("Resources per standard and document language", style)
    rows = [["standard", *languages, "any"]]
    rows += [[row.standard or "", *(str(c.count) for c in row.cells)] for row in figures.rows]
    rows.append(["all", *(str(c.count) for c in figures.total.cells)])
    lines += _table(rows, style)
    empty = figures.empty_standards()
    lines += ["", f"No resource at all: {', '.join(empty)}" if empty else "Every standard has at least one resource."]
    for lang in languages:
        missing = [row.standard or "" for row in figures.rows if row.standard not in empty and lang in row.gaps]
        if missing:
            lines.append(f"Nothing in {lang}: {', '.join(missing)}")
    lines += _heading("Translation progress", style)
    rows = [["language", "titles", "summaries", "taxonomy", "interface"]]
    rows += [[p.language, *map(_progress, (p.titles, p.summaries, p.taxonomy, p.interface))] for p in figures.progress]
    lines += _table(rows, style)
    lines.append("")
    lines.append("Taxonomy and interface: texts that differ from the default language's (the same text counts as to do).")
    lines += _heading("Entries to complete", style)
    for label, entries in _lists(figures):
        lines.append(f"{'- ' if style == MARKDOWN else ''}{label}: {len(entries)}")
    if figures.broken is None:
        lines.append(f"{'- ' if style == MARKDOWN else ''}with a broken link: no link report ({LINK_REPORT}; run `make links`)")
    if list_entries:
        lines += _entry_lists(figures, catalogue, style)
    return "\n".join(lines) + "\n"


def _lists(figures: CoverageFigures) -> list[tuple[str, tuple[Resource, ...]]]:
    lists = [("only places to look", figures.places_only), ("without a year", figures.undated)]
    if figures.broken is not None:
        lists.append((f"with a broken link (link check of {figures.links_checked})", figures.broken))
    return lists


def _entry_lists(figures: CoverageFigures, catalogue: Catalogue, style: str) -> list[str]:
    lines: list[str] = []
    for label, entries in _lists(figures):
        if not entries:
            continue
        lines += _heading(label.capitalize(), style)
        for resource in entries:
            where = f"{catalogue.name}:{catalogue.line(resource)}"
            lines.append(f"- `{where}` {resource.id}" if style == MARKDOWN else f"  {where}  {resource.id}")
    return lines


def cmd_coverage_report(args: argparse.Namespace, load: Callable[[argparse.Namespace], Catalogue | None]) -> int:
    """`make report`: the figures, exit 0; 1 only when the catalogue itself is refused."""
    catalogue = load(args)
    if catalogue is None:
        return 1
    health, warning = read_link_report(Path(args.links_report))
    if warning:
        print(warning, file=sys.stderr)
    figures = coverage_figures(catalogue, health)
    print(format_report(figures, catalogue, args.format, args.list), end="")
    return 0


def add_report(commands: argparse._SubParsersAction, common: argparse.ArgumentParser, load: Callable) -> None:
    """`report`: what `make report` runs."""
    report = commands.add_parser(
        "report", parents=[common], help="where the library is thin: the coverage page's figures, for the terminal and CI"
    )
    report.add_argument("--format", choices=(TEXT, MARKDOWN), default=TEXT, help="plain text (default) or Markdown")
    report.add_argument("--list", action="store_true", help="also list the entries behind each count, with file:line")
    report.add_argument("--links-report", default=LINK_REPORT, help=f"the `make links` report to read (default: {LINK_REPORT})")
    report.set_defaults(run=lambda args: cmd_coverage_report(args, load))
