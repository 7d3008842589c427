"""Build benchmark: this project's hooks against plain mkdocs-material + static-i18n, at scale.

    python -m benchmarks.bench [--sizes 500 2000 10000] [--output benchmarks/results.md]

For each size, a catalogue is generated (benchmarks/generate.py) and built these ways:
- `full`: the production build, `python -m spmlib build` (languages in parallel processes);
- `sequential`: plain `mkdocs build` of the same project (static-i18n, one language after another),
  only with `--skip` given without it (seven minutes at 10,000 entries, and no goal of its own);
- `english`: `mkdocs build` with static-i18n's build_only_locale: en;
- `reference`: the same pages written out as plain Markdown files, built by mkdocs-material and
  static-i18n with the same theme, plugins and navigation but no hooks;
- `hugo`: the same pages built by Hugo in multilingual mode (benchmarks/hugo.py), skipped with a
  note when the `hugo` command is missing.
Wall time and peak memory (the sum of every process of the build, sampled from /proc) are
measured, then sizes: output, each language's search index (and what the forgiving search's
hidden fields add to it, see spmlib/site/searchtext.py), the explorer's data, and the first view of
three pages (HTML plus every stylesheet, script and icon it loads, gzip). Then `serve`: how long
`make serve` takes to show a one-entry edit, in four languages and in English only
(benchmarks/serve.py), and `keystroke`: the explorer's keystroke latency in Chromium
(benchmarks/explorer.py). The last table sets these against issue 17's goals.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks import hugo, serve
from benchmarks.explorer import harness, latency, site_transfer_sizes
from benchmarks.generate import generate
from benchmarks.plain_pages import markdown_page
from benchmarks.projects import ROOT, make_project
from benchmarks.weight import page_weight
from spmlib.model.catalogue import load_catalogue
from spmlib.model.taxonomy import load_taxonomy
from spmlib.site import searchindex
from spmlib.site.pagekinds import generated, nav_tree, plan_pages
from spmlib.site.searchtext import EXTRA_FIELDS

LANGUAGES = ["en", "fr", "es", "pt"]


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    family, changed = {pid}, True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                changed = True
    return sum(rss.get(p, 0) for p in family)


def measured(command: list[str], cwd: Path, env: dict | None = None) -> dict:
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.2)
    seconds = time.monotonic() - started
    stderr = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    return {"seconds": round(seconds, 1), "peak_mb": round(peak / 1e6)}


def make_reference(project: Path, catalogue) -> Path:
    """The same site as plain Markdown files, and a config without hooks or templates."""
    from mkdocs.utils.yaml import yaml_load

    docs = project / "docs-reference"
    shutil.copytree(ROOT / "docs", docs)
    plans = {lang: plan_pages(catalogue, lang) for lang in LANGUAGES}
    for lang, plan in plans.items():
        for spec in generated(plan):
            path = spec.path if lang == LANGUAGES[0] else re.sub(r"\.md$", f".{lang}.md", spec.path)
            target = docs / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown_page(spec, catalogue, lang, "../" * spec.path.count("/")), encoding="utf-8")
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml_load(handle)
    for key in ("hooks", "extra", "extra_css"):
        config.pop(key, None)
    config["theme"].pop("custom_dir", None)
    config["docs_dir"] = str(docs)
    src = {spec.key: spec.path for spec in generated(plans[LANGUAGES[0]])}
    src.update({"home": "index.md", "about": "about.md"})
    config["nav"] = nav_tree(plans[LANGUAGES[0]], src.get)
    (project / "mkdocs-reference.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project / "mkdocs-reference.yml"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def first_view(site: Path, page: str) -> int:
    """Bytes (gzip) of a page and everything it loads before the reader does anything."""
    html_path = site / page
    html = html_path.read_text(encoding="utf-8")
    total = gz(html.encode("utf-8"))
    assets = set(re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"#?]+)"', html))
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)
    if config:
        data = json.loads(config.group(1))
        base = data.get("base", ".")
        if data.get("search"):
            assets.add(f"{base}/{data['search']}" if not data["search"].startswith(base) else data["search"])
    for asset in assets:
        if "://" in asset:
            continue
        path = (html_path.parent / asset).resolve()
        if path.is_file() and path.suffix in (".css", ".js", ".svg", ".png", ".ico", ".woff2"):
            total += gz(path.read_bytes())
    return total


def without_hidden_fields(index: bytes) -> bytes:
    """A search index without the fields the forgiving search adds (compounds, synonyms, resource details).

    Accent folding itself adds nothing: the browser folds the index's words as it loads them.
    """
    return searchindex.dumps(searchindex.without_hidden_fields(json.loads(index), EXTRA_FIELDS)).encode("utf-8")


def sizes(site: Path, catalogue) -> dict:
    result = {"output_mb": round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6, 1)}
    for lang in LANGUAGES:
        prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
        index = (site / prefix / "search" / "search_index.json").read_bytes()
        data = (site / prefix / "resources" / "explorer-data.js").read_bytes()
        measured_index = searchindex.measure(index, EXTRA_FIELDS)
        result[f"search_{lang}_kb"] = round(measured_index["raw"] / 1024)
        result[f"search_{lang}_gzip_kb"] = round(measured_index["gzip"] / 1024)
        result[f"search_{lang}_forgiving_gzip_kb"] = round(measured_index["forgiving_gzip"] / 1024)
        result[f"search_{lang}_docs"] = sum(v for k, v in measured_index.items() if k.startswith("docs_"))
        result[f"explorer_{lang}_gzip_kb"] = round(gz(data) / 1024)
    first = catalogue.resources[0].id
    pages = {"home": "index.html", "resource": f"resources/{first}/index.html", "explorer": "resources/index.html"}
    for name, page in pages.items():
        result[f"first_view_{name}_kb"] = round(first_view(site, page) / 1024)
    for lang in LANGUAGES:  # what the explorer loads later, on demand (cards past page 1, keyword text)
        parts = site_transfer_sizes(site, "" if lang == LANGUAGES[0] else f"{lang}/")
        result[f"explorer_{lang}_on_demand_kb"] = round(parts["on_demand"] / 1024)
        result[f"explorer_{lang}_on_demand_words_kb"] = round(parts["on_demand_words"] / 1024)
    result["explorer_list_pages"] = len(list((site / "resources" / "page").glob("*/index.html"))) + 1
    result.update(page_weight(site))
    return result


def run(count: int, workdir: Path, skip: set[str], out) -> dict:
    base = workdir / str(count)
    text = generate(count)
    project = make_project(base, text)
    catalogue = load_catalogue(project / "resources.yaml", load_taxonomy(ROOT / "taxonomy"), project / "docs")
    py = sys.executable
    env = {"NO_MKDOCS_2_WARNING": "1"}
    row: dict = {"entries": count, "pages": hugo.page_count(catalogue)}
    steps = {
        "full": [py, "-m", "spmlib", "build", "--jobs", str(os.cpu_count() or 2), "-d", str(base / "site")],
        "sequential": [py, "-m", "mkdocs", "build", "-q", "-d", str(base / "site-sequential")],
        "english": [py, "-m", "mkdocs", "build", "-q", "-f", "mkdocs-en.yml", "-d", str(base / "site-en")],
    }
    for name, command in steps.items():
        if name in skip:
            continue
        out.write(f"  {count} entries: {name} build...\n")
        out.flush()
        row[name] = measured(command, project, env)
    if "reference" not in skip:
        config = make_reference(project, catalogue)
        out.write(f"  {count} entries: reference build...\n")
        out.flush()
        row["reference"] = measured(
            [py, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(base / "site-reference")], project, env
        )
    if "hugo" not in skip and hugo.binary() is None:
        row["hugo"] = {"note": "hugo not installed"}
    elif "hugo" not in skip:
        source = hugo.write_project(base / "hugo", catalogue, project / "docs")
        out.write(f"  {count} entries: hugo build...\n")
        out.flush()
        row["hugo"] = measured(hugo.command(source, base / "site-hugo"), source)
        row["hugo"].update(hugo.output(base / "site-hugo", row["pages"], row["hugo"]["seconds"]))
    if "serve" not in skip:  # make serve: a one-entry edit, until the pages show it, all languages then English
        for name, langs in (("serve_all", LANGUAGES), ("serve_en", ["en"])):
            out.write(f"  {count} entries: {name.replace('_', ' ')} edits...\n")
            out.flush()
            row[name] = serve.edit_latency(project, langs, edits=3, out=out)
    if "keystroke" not in skip:  # the explorer page of this catalogue in Chromium (benchmarks/explorer.py)
        out.write(f"  {count} entries: explorer keystrokes...\n")
        out.flush()
        page_dir = base / "explorer-page"
        page_dir.mkdir()
        row["keystroke"] = latency(harness(catalogue, "en", page_dir), runs=2)
    row.update(sizes(base / "site", catalogue))
    shutil.rmtree(base)
    return row


def ratio(row: dict, a: str, b: str) -> str:
    if "seconds" in row.get(a, {}) and "seconds" in row.get(b, {}):
        return f"{row[a]['seconds'] / row[b]['seconds']:.2f}"
    return "–"


def report(rows: list[dict]) -> str:
    def cell(row, name):
        if "seconds" not in row.get(name, {}):
            return row.get(name, {}).get("note", "not run")
        return f"{row[name]['seconds']} s / {row[name]['peak_mb']} MB"

    lines = [
        "| entries | full build (parallel) | sequential (static-i18n) | English only | plain reference | "
        "Hugo | full ÷ English | sequential ÷ reference | full ÷ reference | full ÷ Hugo |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['entries']:,} | {cell(row, 'full')} | {cell(row, 'sequential')} | {cell(row, 'english')} | "
            f"{cell(row, 'reference')} | {cell(row, 'hugo')} | {ratio(row, 'full', 'english')} | "
            f"{ratio(row, 'sequential', 'reference')} | {ratio(row, 'full', 'reference')} | {ratio(row, 'full', 'hugo')} |"
        )
    lines += ["", *hugo.report(rows)]
    lines += [
        "",
        "| entries | output | search index per language, gzip (raw) | of which forgiving fields, gzip | "
        "explorer data per language, gzip | first view, gzip: home / resource / explorer |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        search = ", ".join(f"{lang} {row[f'search_{lang}_gzip_kb']} KB ({row[f'search_{lang}_kb']} KB)" for lang in LANGUAGES)
        forgiving = ", ".join(f"{lang} {row.get(f'search_{lang}_forgiving_gzip_kb', '–')} KB" for lang in LANGUAGES)
        explorer = ", ".join(f"{lang} {row[f'explorer_{lang}_gzip_kb']} KB" for lang in LANGUAGES)
        lines.append(
            f"| {row['entries']:,} | {row['output_mb']} MB | {search} | {forgiving} | {explorer} | "
            f"{row['first_view_home_kb']} / {row['first_view_resource_kb']} / {row['first_view_explorer_kb']} KB |"
        )
    lines += ["", *scale_report(rows)]
    return "\n".join(lines)


def scale_report(rows: list[dict]) -> list[str]:
    """Issue 17's goals side by side: host size, page weight, explorer, search, `make serve`."""

    def serve_cell(row: dict, name: str) -> str:
        return f"{row[name]['edit_s']} s" if name in row else "not run"

    def keys_cell(row: dict) -> str:
        k = row.get("keystroke")
        return f"{k['median_ms']} / {k['p95_ms']} ms" if k else "not run"

    lines = [
        "| entries | output (goal: 1 GB at 10,000) | HTML pages, KB per page (resource page) | "
        "explorer first view, gzip (goal 150 / 300 KB) | explorer on demand, gzip: all / keyword text (en) | "
        "no-JS list pages | keystroke median / p95 | largest search index, gzip (goal 500 KB) | "
        "serve: edit shown, 4 languages / English (goal 3 / 1 s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        search = max(row.get(f"search_{lang}_gzip_kb", 0) for lang in LANGUAGES)
        lines.append(
            f"| {row['entries']:,} | {row['output_mb']} MB | {row.get('html_pages', 0):,}, "
            f"{row.get('site_kb_per_page', '–')} KB ({row.get('resource_page_kb_median', '–')} KB) | "
            f"{row['first_view_explorer_kb']} KB | {row.get('explorer_en_on_demand_kb', '–')} / "
            f"{row.get('explorer_en_on_demand_words_kb', '–')} KB | {row.get('explorer_list_pages', '–')} | "
            f"{keys_cell(row)} | {search} KB | {serve_cell(row, 'serve_all')} / {serve_cell(row, 'serve_en')} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    parser.add_argument(
        "--skip",
        nargs="*",
        default=["sequential"],  # plain `mkdocs build` of all four languages: seven minutes at 10,000, no goal of its own
        choices=["full", "sequential", "english", "reference", "hugo", "serve", "keystroke"],
    )
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results.md"))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="spm-bench-") as tmp:
        for count in args.sizes:
            rows.append(run(count, Path(tmp), set(args.skip), sys.stderr))
    table = report(rows)
    print(table)
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    header = f"# Build benchmark\n\nMade by `make bench` ({machine}, {time.strftime('%Y-%m-%d')}).\n\n"
    Path(args.output).write_text(header + table + "\n", encoding="utf-8")
    Path(args.output).with_suffix(".json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
