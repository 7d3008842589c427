"""`make serve` benchmark: how long a one-entry edit of resources.yaml takes to show in the browser.

    python -m benchmarks.serve [--size 2000] [--langs en] [--edits 3]

A generated catalogue is served by `mkdocs serve --dirty` (as `make serve` does), the first
build is awaited, then one entry's titles are changed in resources.yaml, and the time until the
entry's page in every served language shows the new title is measured (polling the dev server
every 50 ms, as the browser's live reload would then load it). The median of a few edits is
reported. bench.py calls `edit_latency` for its table.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.projects import make_project

LANGUAGES = ["en", "fr", "es", "pt"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(urls: list[str], marker: str, deadline: float) -> float:
    """Seconds (monotonic clock) at which every URL's page contains marker."""
    pending = list(urls)
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{pending[0]} did not show {marker!r}")
        pending = [url for url in pending if marker not in (_get(url) or "")]
        if pending:
            time.sleep(0.05)
    return time.monotonic()


def start_serve(project: Path, port: int, env: dict[str, str], stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`mkdocs serve --dirty` in `project` on 127.0.0.1:`port`, as `make serve` runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )


def _retitle(text: str, entry: str, marker: str) -> str:
    """The catalogue with every title of one entry prefixed by marker (the lines after `id: entry`)."""
    lines = text.split("\n")
    start = lines.index(f"  - id: {entry}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id: ")), len(lines))
    in_title = False
    for i in range(start + 1, end):
        line = lines[i]
        if line.startswith("    ") and not line.startswith("      "):
            in_title = line.strip() == "title:"
        elif in_title:
            lines[i] = re.sub(r'^(\s+\w+: )"?(?:EDIT\d+ )?', lambda m: m.group(1) + '"' + marker + " ", line, count=1)
            if not lines[i].endswith('"'):
                lines[i] += '"'
    return "\n".join(lines)


def edit_latency(project: Path, langs: list[str], edits: int = 3, entry: str = "resource-00001", out=sys.stderr) -> dict:
    """Median seconds from saving resources.yaml to every language's page showing the edit."""
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if langs != LANGUAGES:
        env["SPM_ONLY_LANGUAGES"] = ",".join(langs)
    catalogue = project / "resources.yaml"
    original = catalogue.read_text(encoding="utf-8")
    base = f"http://127.0.0.1:{port}/"
    urls = [base + ("" if lang == "en" else f"{lang}/") + f"resources/{entry}/" for lang in langs]
    process = start_serve(project, port, env)
    try:
        started = time.monotonic()
        first = _wait_for(urls, "<html", started + 1800) - started
        times = []
        for number in range(1, edits + 1):
            time.sleep(1.5)  # let the watcher settle after the previous build
            marker = f"EDIT{number}"
            catalogue.write_text(_retitle(original, entry, marker), encoding="utf-8")
            saved = time.monotonic()
            times.append(_wait_for(urls, marker, saved + 600) - saved)
            out.write(f"    edit {number}: {times[-1]:.2f} s\n")
            out.flush()
        return {
            "first_build_s": round(first, 1),
            "edit_s": round(statistics.median(times), 2),
            "edits": [round(t, 2) for t in times],
        }
    finally:
        catalogue.write_text(original, encoding="utf-8")
        # Ctrl-C, as a maintainer stops it: MkDocs removes its folder and stops the workers
        # (a SIGTERM leaves /tmp/mkdocs_* behind)
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--langs", nargs="+", default=LANGUAGES, choices=LANGUAGES)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--project", type=Path, help="serve this project instead of generating one")
    args = parser.parse_args()
    if args.project:
        print(edit_latency(args.project, args.langs, args.edits))
        return
    with tempfile.TemporaryDirectory(prefix="spm-serve-") as tmp:
        project = make_project(Path(tmp), generate(args.size))
        print(edit_latency(project, args.langs, args.edits))


if __name__ == "__main__":
    main()
