"""`make check` at scale: wall time and peak memory of `python -m spmlib check` on generated catalogues.

    python -m benchmarks.check [--sizes 10000 100000] [--unnumbered] [--source DIR] [--output FILE.md]

Each catalogue is made by benchmarks/generate.py (`--unnumbered`: titles with no number in them,
the hard case for the similar-title search, which only compares titles with the same numbers).
`--source DIR` runs the check of another checkout of the project (DIR holds its spmlib/), to set
this code against an earlier one on the same machine and catalogues: its `python -m spmlib` is
run with DIR first on PYTHONPATH. Peak memory is the check process's largest resident set, and
CPU time its user and system time, from the kernel's accounting of the finished process (wait4):
on a machine shared with other work the CPU time varies much less than the wall-clock time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import ROOT, generate


def measure(catalogue: Path, source: Path | None = None) -> dict:
    """Run the check of `catalogue` once: {"seconds", "cpu_seconds", "peak_mb", "exit", "summary"}."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SPM_CATALOGUE", None)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(source), *filter(None, [env.get("PYTHONPATH")])])
    cwd = source or ROOT
    command = [sys.executable, "-m", "spmlib", "check", "--catalogue", str(catalogue)]
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        summary = out.read().strip().splitlines()[-1:] or [""]
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),  # the same on a busy machine
        "peak_mb": round(usage.ru_maxrss / 1024),  # kilobytes on Linux
        "exit": process.returncode,
        "summary": summary[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--unnumbered", action="store_true", help="titles without the entry's number (generate.py)")
    parser.add_argument("--source", type=Path, help="another checkout of the project to measure instead")
    parser.add_argument("--output", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    lines = [
        "| entries | titles | code | time | CPU time | peak memory | result |",
        "| ---: | --- | --- | ---: | ---: | ---: | --- |",
    ]
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory(prefix="spm-check-bench-") as tmp:
        for size in args.sizes:
            catalogue = Path(tmp) / f"catalogue-{size}.yaml"
            catalogue.write_text(generate(size, numbered=not args.unnumbered), encoding="utf-8")
            row = measure(catalogue, args.source)
            code = str(args.source) if args.source else "this checkout"
            titles = "unnumbered" if args.unnumbered else "numbered"
            line = (
                f"| {size:,} | {titles} | {code} | {row['seconds']} s | {row['cpu_seconds']} s | {row['peak_mb']} MB "
                f"| {row['summary'].rsplit(': ', 1)[-1]} |"
            )
            print(line, flush=True)
            lines.append(line)
    if args.output:
        args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
