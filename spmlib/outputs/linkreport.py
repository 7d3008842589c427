"""The link check's report: a Markdown page for a GitHub issue and the same data as JSON.

Kept apart from the checking (spmlib.outputs.links) because it answers a different question
and changes for different reasons: the checker decides what each address answered and what
fails a run; this module only words the outcome, grouped by resource with the file:line to
edit. The Markdown is posted in a GitHub issue, so text from the catalogue and from servers
goes through `_cell`: it cannot mention anyone there, reference issues or add markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from spmlib.outputs.links import (
    BROKEN,
    DNS,
    ERROR,
    FORBIDDEN,
    INTERNAL,
    NOT_DOCUMENT,
    OK,
    RATE_LIMITED,
    REDIRECTED,
    SERVER_ERROR,
    TIMEOUT,
    VERDICT_ORDER,
    WRONG_FORMAT,
    Run,
    persisting,
)

_LABELS = {
    OK: "ok",
    REDIRECTED: "redirected",
    NOT_DOCUMENT: "HTML page where a document was declared",
    WRONG_FORMAT: "not the declared format",
    BROKEN: "broken",
    DNS: "host not found",
    INTERNAL: "internal address (not checked)",
    FORBIDDEN: "refused to the checker",
    RATE_LIMITED: "rate-limited (transient)",
    SERVER_ERROR: "server error (transient)",
    TIMEOUT: "time-out (transient)",
    ERROR: "error (transient)",
}


def report_data(run: Run, titles: dict[str, str] | None = None) -> dict:
    """The report as plain data: summary, then one group per resource (and per docs page)."""
    titles = titles or {}
    groups: dict[tuple[str, str], list[dict]] = {}
    for address in run.addresses:
        result = run.results[address.url]
        key = ("resource", address.resource) if address.resource else ("page", address.file)
        groups.setdefault(key, []).append(
            {
                "url": address.url,
                "where": f"{address.file}:{address.line}" if address.line else address.file,
                "file": address.file,
                "line": address.line,
                "format": address.format,
                "verdict": result.verdict,
                "status": result.status,
                "chain": result.chain,
                "final_url": result.final_url,
                "content_type": result.content_type,
                "detail": result.detail,
                "checked": result.checked,
                "persisting": persisting(result, run.window),
                "failing_since": result.failures[0] if result.failures else None,
            }
        )
    counts: dict[str, int] = {}
    for address in run.addresses:
        verdict = run.results[address.url].verdict
        counts[verdict] = counts.get(verdict, 0) + 1

    def rank(links: list[dict]) -> int:
        return min(VERDICT_ORDER.index(link["verdict"]) for link in links)

    ordered = sorted(groups.items(), key=lambda item: (rank(item[1]), item[0][0] != "resource", item[0][1]))
    return {
        "generated": run.now.isoformat(timespec="seconds"),
        "addresses": len(run.addresses),
        "unique": len(run.results),
        "checked_now": run.checked,
        "cache_days": run.window.total_seconds() / 86400,
        "counts": {v: counts[v] for v in VERDICT_ORDER if v in counts},
        "failing": [r.url for r in run.failing],
        "groups": [
            {"kind": kind, "name": name, "title": titles.get(name, "") if kind == "resource" else "", "links": links}
            for (kind, name), links in ordered
        ],
    }


# Words GitHub would turn into a notification or a cross-reference: @someone, @org/team, #12,
# owner/repo#12, GH-12. A backslash cannot be relied on (GitHub looks for them in the rendered
# text, where the backslash is gone); text in code spans is skipped. Invisible characters between
# @ and the name would work too, but they are refused everywhere else in this project.
_REFERENCE = re.compile(r"\S*[@#]\S*|\bGH-\d+\b", re.IGNORECASE)
_MARKUP = re.compile(r"([\\|`*_\[\]<>#&~])")


def _code(word: str) -> str:
    """`word` as a Markdown code span inside a table cell (its pipes escaped, as GFM requires)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", word)), default=0) + 1)
    pad = " " if word.startswith("`") or word.endswith("`") else ""
    return f"{fence}{pad}{word.replace('|', chr(92) + '|')}{pad}{fence}"


def _cell(text: object) -> str:
    """Text for a Markdown table cell or heading: one line, no markup, no pipes, no @mention.

    Markup characters (and `&`, which would start an entity such as &#64;) get a backslash;
    words that GitHub would link to a person or an issue go into code spans.
    """
    value = " ".join(str(text).split())
    parts, position = [], 0
    for match in _REFERENCE.finditer(value):
        parts += [_MARKUP.sub(r"\\\1", value[position : match.start()]), _code(match.group(0))]
        position = match.end()
    parts.append(_MARKUP.sub(r"\\\1", value[position:]))
    return "".join(parts)


def markdown_report(data: dict) -> str:
    lines = ["# Link check", ""]
    counts = ", ".join(f"{n} {_LABELS[v]}" for v, n in data["counts"].items())
    lines.append(
        f"{data['addresses']} addresses ({data['unique']} distinct), {data['checked_now']} checked now, "
        f"the others from the cache (kept {data['cache_days']:g} days). {counts}."
    )
    lines.append("")
    if data["failing"]:
        lines.append(
            f"**{len(data['failing'])} address(es) have failed for more than {data['cache_days']:g} days:** fix or remove them."
        )
    else:
        lines.append("No address has failed for good: the command exits 0.")
    lines.append("")
    for group in data["groups"]:
        problems = [link for link in group["links"] if link["verdict"] not in (OK,)]
        if not problems:
            continue
        heading = f"`{group['name']}`" + (f" {_cell(group['title'])}" if group["title"] else "")
        lines += [f"## {heading}" if group["kind"] == "resource" else f"## {_cell(group['name'])}", ""]
        lines += ["| where | verdict | address | what happened |", "| --- | --- | --- | --- |"]
        for link in problems:
            what = link["detail"]
            if len(link["chain"]) > 1:
                what += f" ({' → '.join(map(str, link['chain']))}; now at {link['final_url']})"
            if link["persisting"]:
                what += f"; failing since {link['failing_since']}"
            verdict = _LABELS[link["verdict"]] + (" **(persisting)**" if link["persisting"] else "")
            url = f"<{link['url']}>" if re.fullmatch(r"https?://[^\s<>|]+", link["url"]) else _cell(link["url"])
            lines.append(f"| {_cell(link['where'])} | {verdict} | {url} | {_cell(what)} |")
        lines.append("")
    healthy = sum(1 for g in data["groups"] for link in g["links"] if link["verdict"] == OK)
    lines.append(f"{healthy} address(es) answered without a problem and are not listed.")
    return "\n".join(lines) + "\n"


def write_reports(run: Run, directory: Path, titles: dict[str, str] | None = None) -> tuple[Path, Path]:
    data = report_data(run, titles)
    directory.mkdir(parents=True, exist_ok=True)
    md, js = directory / "links.md", directory / "links.json"
    md.write_text(markdown_report(data), encoding="utf-8")
    js.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return md, js
