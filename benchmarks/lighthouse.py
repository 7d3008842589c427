"""Lighthouse scores of the built site as a phone reader gets it: `make lighthouse`.

Serves `site/` on 127.0.0.1 with gzip and cache headers, as a real host does, and runs npm's
Lighthouse with Debian's Chromium (mobile form factor and throttling, its defaults) over one page
of every kind (home, dimensions, a dimension, a standard, a resource, the explorer, types, a type,
topics, a topic, coverage, about, "Take it offline" and the 404 page) in each language. Prints a
table of the four category scores per page and writes it to benchmarks/lighthouse.md (and the
raw figures to benchmarks/lighthouse.json). Goals: performance 95, the other three 100.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PAGES = {
    "home": "",
    "dimensions": "dimensions/",
    "dimension": "dimensions/4/",
    "standard": "standards/4a/",
    "resource": "resources/smart-operations-tool/",
    "explorer": "resources/",
    "types": "types/",
    "type": "types/guide/",
    "topics": "topics/",
    "topic": "topics/client-protection/",
    "coverage": "coverage/",
    "about": "about/",
    "offline": "offline/",  # "Take it offline": its list after `make publish`, its how-to after `make build`
    "404": "404.html",  # what a mistyped address shows, in the language of its folder
}
LANGUAGES = {"en": "", "fr": "fr/", "es": "es/", "pt": "pt/"}
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class GzipHost(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text and a day of caching for assets, like GitHub Pages or Netlify."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        if "/assets/" in self.path:
            self.send_header("Cache-Control", "public, max-age=86400")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Bytes(body)


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def audit(url: str, out: Path) -> dict[str, int]:
    """One Lighthouse run; the four category scores out of 100."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    subprocess.run(command, env=env, check=True, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") == "binary"
    ]
    return {**scores, "failing": sorted(failing)}


def median_audit(url: str, out: Path, runs: int) -> dict[str, int]:
    """The run of median performance among `runs` (performance varies with the machine's load)."""
    results = sorted((audit(url, out) for _ in range(max(1, runs))), key=lambda scores: scores["performance"])
    return results[len(results) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", default=str(ROOT / "site"), help="the built site (default: site/, from make build)")
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES))
    parser.add_argument(
        "--runs", type=int, default=1, help="runs per page, the median kept (Lighthouse's advice on a busy machine)"
    )
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES), help="page kinds (default: all)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "lighthouse.md"))
    args = parser.parse_args()
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"{site} has no index.html: run `make build` first", file=sys.stderr)
        return 2
    handler = functools.partial(GzipHost, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for lang in args.languages:
                for kind in args.pages:
                    path = PAGES[kind]
                    scores = median_audit(base + LANGUAGES[lang] + path, Path(tmp) / "report.json", args.runs)
                    rows.append({"lang": lang, "page": kind, **scores})
                    print(lang, kind, " ".join(f"{c} {scores[c]}" for c in CATEGORIES), *scores["failing"], flush=True)
    finally:
        httpd.shutdown()
    lines = [
        "# Lighthouse (mobile)",
        "",
        "Made by `make lighthouse`: npm lighthouse with Debian's Chromium, mobile form factor and throttling,",
        "the built site served with gzip on 127.0.0.1.",
        "",
        "| language | page | " + " | ".join(CATEGORIES) + " | audits below 90 |",
        "| --- | --- | " + " | ".join("---:" for _ in CATEGORIES) + " | --- |",
    ]
    for row in rows:
        scores = " | ".join(str(row[c]) for c in CATEGORIES)
        lines.append(f"| {row['lang']} | {row['page']} | {scores} | {', '.join(row['failing']) or '–'} |")
    lowest = {c: min(row[c] for row in rows) for c in CATEGORIES}
    lines += ["", "Lowest: " + ", ".join(f"{c} {lowest[c]} (goal {GOALS[c]})" for c in CATEGORIES), ""]
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    Path(args.output).with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print("\n".join(lines[-2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
