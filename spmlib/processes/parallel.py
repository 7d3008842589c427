"""Build the languages in parallel processes and merge them into one site.

static-i18n builds the languages one after the other in one process, so a 4-language build
costs about four English ones. Here `jobs` processes each run the ordinary `mkdocs build`
with SPM_ONLY_LANGUAGES naming their languages; the hooks turn the other languages' builds
into empty ones (no pages, no files). Every language lives in its own folder (the default one
at the root), so merging is copying folders. The output is the same, file for file, as the
sequential build: tests/test_parallel.py compares them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from spmlib.model.options import ONLY_LANGUAGES_ENV, configured_languages, read_config
from spmlib.processes.interrupt import CHILD, SIGNALS, Interrupted, stoppable


def groups(languages: list[str], jobs: int) -> list[list[str]]:
    """Languages dealt to `jobs` processes; the first process has the default language."""
    jobs = max(1, min(jobs, len(languages)))
    dealt: list[list[str]] = [[] for _ in range(jobs)]
    for index, lang in enumerate(languages):
        dealt[index % jobs].append(lang)
    return dealt


def relay(process: subprocess.Popen, label: str, out: IO[str], lines: list[str]) -> None:
    """A child's log, each line marked with its languages, kept in `lines` too."""
    assert process.stderr is not None
    for line in process.stderr:
        lines.append(line)
        out.write(f"[{label}] {line}")
        out.flush()


def parallel_build(
    config_file: Path,
    site_dir: Path,
    jobs: int = 2,
    strict: bool = True,
    out: IO[str] | None = None,
    python: str = sys.executable,
    extra_args: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
) -> int:
    """Build into `site_dir`, replacing it only when every process succeeded; returns an exit code.

    `env` adds variables to the children's environment (`make publish` names its manifest there).

    SIGTERM or SIGINT stops the children too, removes the temporary folder and leaves
    `site_dir` as it was (exit code 128 + the signal's number).
    """
    out = out or sys.stderr
    config_file = config_file.resolve()
    site_dir = site_dir.resolve()
    languages = configured_languages(read_config(config_file))
    dealt = groups(languages, jobs)
    default = languages[0]
    started = time.monotonic()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        children_env = {**os.environ, **(env or {}), "NO_MKDOCS_2_WARNING": "1"}
        return _build(config_file, site_dir, languages, dealt, default, started, strict, out, python, extra_args, children_env)
    except Interrupted as exc:
        out.write(f"Interrupted by {exc}: the builds were stopped, {site_dir} is unchanged.\n")
        return exc.exit_code


def _build(
    config_file: Path,
    site_dir: Path,
    languages: list[str],
    dealt: list[list[str]],
    default: str,
    started: float,
    strict: bool,
    out: IO[str],
    python: str,
    extra_args: tuple[str, ...],
    children_env: dict[str, str],
) -> int:
    children: list[subprocess.Popen] = []
    # Leaving the `with`: the children are stopped first (stoppable), then the folder removed.
    with tempfile.TemporaryDirectory(prefix=".spm-build-", dir=site_dir.parent) as tmp, stoppable(children):
        work = Path(tmp)
        running = []
        for number, group in enumerate(dealt):
            target = work / f"part{number}"
            command = [python, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(target), *extra_args]
            if strict:
                command.append("--strict")
            env = {**children_env, ONLY_LANGUAGES_ENV: ",".join(group)}
            process = subprocess.Popen(command, cwd=config_file.parent, env=env, stderr=subprocess.PIPE, text=True, **CHILD)
            children.append(process)
            lines: list[str] = []
            reader = threading.Thread(target=relay, args=(process, ",".join(group), out, lines), daemon=True)
            reader.start()
            running.append((group, target, process, reader, lines))
        failed = False
        for group, _target, process, reader, _lines in running:
            process.wait()
            reader.join()
            if process.returncode != 0:
                failed = True
                out.write(f"The build of {', '.join(group)} failed (exit {process.returncode}); {site_dir} is unchanged.\n")
        if failed:
            return 1
        # Merge by renaming folders (same file system: instant, whatever the size).
        merged = next(target for group, target, *_ in running if default in group)
        for group, target, *_ in running:
            if target == merged:
                continue
            for lang in group:
                if (merged / lang).exists():
                    shutil.rmtree(merged / lang)  # the placeholder left by the default's process
                (target / lang).rename(merged / lang)
        old = work / "old"
        # Not interruptible between the two renames: site_dir is always a whole site.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            if site_dir.exists():
                site_dir.rename(old)
            merged.rename(site_dir)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    out.write(f"Built {', '.join(languages)} in {len(dealt)} processes in {time.monotonic() - started:.1f} s into {site_dir}\n")
    return 0
