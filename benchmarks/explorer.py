"""Catalogue explorer benchmark: data sizes (at start and on demand), and keystroke latency in Chromium.

    python -m benchmarks.explorer [--sizes 1000 2000 10000] [--latency-size 10000]

Sizes are gzip, each file compressed on its own as a web server sends it: the index the page
loads at start (explorer-data.js, part of the page's first view), and what comes on demand
(spmlib/site/explorer.py): the cards of every chunk, the keyword text, the title order.
`transfer_sizes` / `site_transfer_sizes` give the same figures to benchmarks/bench.py.

The latency page is the real explorer template, stylesheet and script with a 10,000-entry
catalogue, opened from file:// in Debian's Chromium. A keystroke's latency is measured in the
page from the keydown to the end of the layout of the updated results (filtering, counts,
DOM and layout; painting is left out because headless Chromium does not report it reliably).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import tempfile
from collections.abc import Mapping
from pathlib import Path

from benchmarks.generate import generate
from spmlib.model.catalogue import load_catalogue
from spmlib.model.taxonomy import load_taxonomy
from spmlib.site.explorer import DATA_DIR, explorer_context, explorer_parts
from spmlib.site.pagekinds import EXPLORER_MODULES, EXPLORER_SCRIPT
from spmlib.site.render import make_environment
from spmlib.site.view import View

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Explorer benchmark</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="library.css"></head>
<body><article class="md-typeset">{content}</article></body></html>
"""
PROBE = """
window.__latencies = [];
let started = null;
document.addEventListener("keydown", () => { started = performance.now(); }, true);
document.addEventListener("input", () => {
  if (started === null) return;
  document.querySelector("[data-results]").getBoundingClientRect();  // forces style and layout
  window.__latencies.push(performance.now() - started);
  started = null;
});
"""


def load(count: int, workdir: Path):
    path = workdir / f"catalogue-{count}.yaml"
    path.write_text(generate(count), encoding="utf-8")
    taxonomy = load_taxonomy(ROOT / "taxonomy")
    return load_catalogue(path, taxonomy, ROOT / "docs")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def transfer_sizes(files: Mapping[str, bytes]) -> dict[str, int]:
    """Bytes (gzip) of the explorer's data, from its files by path relative to the explorer page.

    first_view_data: explorer-data.js, loaded with the page; on_demand: everything under
    explorer-data/ (all of it, as a reader who shows every result, types a keyword and sorts
    by title would load it), also split by kind: on_demand_cards, _words (with the keys), _order.
    """
    sizes = {"first_view_data": 0, "on_demand": 0, "on_demand_cards": 0, "on_demand_words": 0, "on_demand_order": 0}
    for path, data in files.items():
        if path == "explorer-data.js":
            sizes["first_view_data"] += gz(data)
        elif path.startswith(DATA_DIR + "/"):
            kind = path[len(DATA_DIR) + 1 :].split("-", 1)[0]
            kind = "words" if kind == "keys" else kind  # the keys' words are the keyword text's too
            sizes["on_demand"] += gz(data)
            sizes[f"on_demand_{kind}"] = sizes.get(f"on_demand_{kind}", 0) + gz(data)
    return sizes


def site_transfer_sizes(site: Path, prefix: str = "") -> dict[str, int]:
    """transfer_sizes of a built site's explorer in one language (`prefix`: "" or "fr/"...)."""
    folder = site / prefix / "resources"
    files = {"explorer-data.js": (folder / "explorer-data.js").read_bytes()}
    for path in sorted((folder / DATA_DIR).glob("*.js")):
        files[f"{DATA_DIR}/{path.name}"] = path.read_bytes()
    return transfer_sizes(files)


def data_sizes(catalogue, lang: str) -> dict[str, int]:
    parts = explorer_parts(catalogue, lang, "{id}/")
    return transfer_sizes({path: text.encode("utf-8") for path, text in parts.files().items()})


def harness(catalogue, lang: str, directory: Path) -> Path:
    view = View(catalogue, lang, lambda key: key.split(":", 1)[1] + "/" if key.startswith("resource:") else None)
    env = make_environment(ROOT / "overrides" / "spm")
    scripts = [Path(path).name for path in (EXPLORER_SCRIPT, *EXPLORER_MODULES)]  # side by side with the page
    context = explorer_context(view, "explorer-data.js", scripts[0])
    content = env.get_template("explorer.html").render(title="All resources", module_srcs=scripts[1:], export_src=None, **context)
    (directory / "index.html").write_text(PAGE.format(lang=lang, content=content), encoding="utf-8")
    for path, text in explorer_parts(catalogue, lang, "{id}/").files().items():
        (directory / path).parent.mkdir(parents=True, exist_ok=True)
        (directory / path).write_text(text, encoding="utf-8")
    for path in (EXPLORER_SCRIPT, *EXPLORER_MODULES):
        shutil.copy(ROOT / "overrides" / path, directory)
    shutil.copy(ROOT / "overrides" / "assets" / "stylesheets" / "library.css", directory)
    return directory / "index.html"


def latency(page_path: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 412, "height": 900})
        page.add_init_script(PROBE)
        page.goto(page_path.as_uri())
        page.wait_for_selector("[data-explorer] form:not([hidden])")
        # the keyword text comes at the first use of the box: measured typing starts once it is in
        page.locator("#spm-q").fill("c")
        page.wait_for_selector('[data-results][aria-busy="false"]', state="attached")
        typed = []
        for _ in range(runs):
            field = page.locator("#spm-q")
            field.fill("")
            page.evaluate("window.__latencies = []")
            field.press_sequentially("client protection", delay=30)
            typed += page.evaluate("window.__latencies")
            field.fill("")
        # a facet click from the keyboard, to include the facet path (in the drawer, on a phone)
        page.locator("[data-toggle]").click()
        page.locator('details[data-facet="type"] > summary').click()
        page.evaluate("window.__latencies = []")
        box = page.locator('input[name="type"]').first
        for _ in range(10):
            box.focus()
            page.keyboard.press("Space")
        clicks = page.evaluate("window.__latencies")
        browser.close()
    typed.sort()
    return {
        "keystrokes": len(typed),
        "median_ms": round(statistics.median(typed), 1),
        "p95_ms": round(typed[int(len(typed) * 0.95) - 1], 1),
        "max_ms": round(typed[-1], 1),
        "facet_toggle_median_ms": round(statistics.median(clicks), 1) if clicks else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 10000])
    parser.add_argument("--latency-size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results: dict = {"data": [], "latency": None}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        columns = f"{'at start':>9} {'cards':>8} {'keywords':>9} {'order':>7} {'on demand':>10}"
        print(f"{'entries':>8} {'lang':>4} {columns}  (KB gzip)")
        for count in args.sizes:
            catalogue = load(count, workdir)
            for lang in ("en", "fr"):
                sizes = data_sizes(catalogue, lang)
                results["data"].append({"entries": count, "lang": lang, **sizes})
                kb = {key: value / 1024 for key, value in sizes.items()}
                print(
                    f"{count:>8} {lang:>4} {kb['first_view_data']:>9.0f} {kb['on_demand_cards']:>8.0f} "
                    f"{kb['on_demand_words']:>9.0f} {kb['on_demand_order']:>7.0f} {kb['on_demand']:>10.0f}"
                )
        catalogue = load(args.latency_size, workdir)
        page_dir = workdir / "page"
        page_dir.mkdir()
        figures = latency(harness(catalogue, "en", page_dir), args.runs)
        results["latency"] = {"entries": args.latency_size, **figures}
        print(
            f"\nkeystroke latency, {args.latency_size} entries, Chromium, phone-sized window: "
            f"median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms "
            f"over {figures['keystrokes']} keystrokes; facet toggle median {figures['facet_toggle_median_ms']} ms"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
