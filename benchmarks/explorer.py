"""Catalogue explorer benchmark: data size per 1,000 entries, and keystroke latency in Chromium.

    python benchmarks/explorer.py [--sizes 1000 2000 10000] [--latency-size 10000]

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from generate import generate  # noqa: E402

from spmlib.catalogue import load_catalogue  # noqa: E402
from spmlib.explorer import explorer_context, explorer_data, explorer_script  # noqa: E402
from spmlib.render import make_environment  # noqa: E402
from spmlib.site import View  # noqa: E402
from spmlib.taxonomy import load_taxonomy  # noqa: E402

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


def data_sizes(catalogue, lang: str) -> tuple[int, int]:
    script = explorer_script(explorer_data(catalogue, lang, "{id}/")).encode("utf-8")
    return len(script), len(gzip.compress(script, compresslevel=6, mtime=0))


def harness(catalogue, lang: str, directory: Path) -> Path:
    view = View(catalogue, lang, lambda key: key.split(":", 1)[1] + "/" if key.startswith("resource:") else None)
    env = make_environment(ROOT / "overrides" / "spm")
    context = explorer_context(view, "explorer-data.js", "explorer.js")
    content = env.get_template("explorer.html").render(title="All resources", **context)
    (directory / "index.html").write_text(PAGE.format(lang=lang, content=content), encoding="utf-8")
    (directory / "explorer-data.js").write_text(explorer_script(explorer_data(catalogue, lang, "{id}/")), encoding="utf-8")
    shutil.copy(ROOT / "overrides" / "assets" / "javascripts" / "explorer.js", directory)
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
        typed = []
        for _ in range(runs):
            field = page.locator("#spm-q")
            field.fill("")
            page.evaluate("window.__latencies = []")
            field.press_sequentially("client protection", delay=30)
            typed += page.evaluate("window.__latencies")
            field.fill("")
        # a facet click from the keyboard, to include the facet path
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
        print(f"{'entries':>8} {'lang':>4} {'raw KB':>8} {'gzip KB':>8} {'gzip KB per 1,000':>18}")
        for count in args.sizes:
            catalogue = load(count, workdir)
            for lang in ("en", "fr"):
                raw, packed = data_sizes(catalogue, lang)
                per = packed / count * 1000 / 1024
                results["data"].append(
                    {"entries": count, "lang": lang, "raw": raw, "gzip": packed, "gzip_kb_per_1000": round(per, 1)}
                )
                print(f"{count:>8} {lang:>4} {raw / 1024:>8.0f} {packed / 1024:>8.0f} {per:>18.1f}")
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
