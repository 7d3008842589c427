"""`make serve` in parallel: the languages are dealt to long-lived processes that rebuild together.

static-i18n builds the languages one after the other, so an edit shown in four languages
cost four times one language. The `mkdocs serve` process keeps the first group of languages
(the default one among them) and starts one worker per other group (spmlib.processes.parallel.groups):
each worker is a process (hooks/spm_mkdocs/serveworker.py, which runs MkDocs' build; this
module only speaks the protocol) that keeps its own catalogue, caches and record of what it
rendered, exactly as the serving process does, and on each "build" line of its standard input
runs a dirty build of its languages into a folder of its own, answering "ok" or "failed" on
its standard output. Each of its languages' folders is
linked from the served folder (`fr/` -> the worker's `fr/`): a build also writes files at the
root (Material's search index of the default language among them), which only the serving
process may write. The placeholder homes of the languages a process leaves to others go to a
hidden folder (hooks/pages.py). The serving process reloads the browsers once all have
answered (hooks/catalogue.py).

A worker stops at the end of its standard input: when `mkdocs serve` stops, or dies.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from spmlib.model.options import ONLY_LANGUAGES_ENV, SERVE_PART_ENV
from spmlib.processes.interrupt import CHILD, stop_children
from spmlib.processes.parallel import relay

JOBS_ENV = "SPM_SERVE_JOBS"  # how many processes `make serve` uses (default: the machine's cores)
PLACEHOLDERS = ".spm-skipped/"  # where a serve process writes the homes of languages others build
PART_PREFIX = "spm-serve-part-"  # a worker's own folder, in the system's temporary folder


def serve_jobs(environ: dict[str, str] | os._Environ = os.environ) -> int:
    """How many processes share the languages in `make serve`: SPM_SERVE_JOBS, else the cores."""
    value = environ.get(JOBS_ENV, "")
    if value.strip().isdigit() and int(value) > 0:
        return int(value)
    return os.cpu_count() or 1


@dataclass
class Worker:
    languages: list[str]
    site_dir: Path
    process: subprocess.Popen | None = None
    lines: list[str] = field(default_factory=list)  # what it printed, for tests and messages


Command = Callable[[list[str], Path], tuple[list[str], dict[str, str]]]  # (languages, site folder) -> (argv, environment)


class ServeParts:
    """The workers of one `mkdocs serve` process, each building its group of languages on demand.

    `folders` gives each worker language's folder in the served site (its locale with static-i18n).
    """

    def __init__(
        self,
        groups: Sequence[Sequence[str]],
        command: Command,
        served: Path,
        folders: dict[str, str],
        out: IO[str] | None = None,
        cwd: Path | None = None,
    ):
        self.workers = [Worker(list(group), Path(tempfile.mkdtemp(prefix=PART_PREFIX))) for group in groups]
        self._command = command
        self._out = out or sys.stderr
        self._cwd = cwd
        self._pending: list[Worker] = []
        self.links: list[Path] = []
        for worker in self.workers:
            for lang in worker.languages:
                self.links.append(_link(served / folders[lang], worker.site_dir / folders[lang]))

    @property
    def languages(self) -> list[str]:
        return [lang for worker in self.workers for lang in worker.languages]

    def start_build(self) -> None:
        """Ask every worker to build now (starting those not running); `finish` waits for them."""
        self.finish()  # answers of a build the serving process gave up on (its own build failed)
        for worker in self.workers:
            if worker.process is None or worker.process.poll() is not None:
                self._spawn(worker)
            assert worker.process is not None and worker.process.stdin is not None
            try:
                worker.process.stdin.write("build\n")
                worker.process.stdin.flush()
            except OSError:  # it died just now: `finish` reports it
                pass
            self._pending.append(worker)

    def finish(self) -> list[list[str]]:
        """Wait for the workers asked to build; the language groups whose build failed."""
        failed = []
        pending, self._pending = self._pending, []
        for worker in pending:
            assert worker.process is not None and worker.process.stdout is not None
            answer = worker.process.stdout.readline().strip()
            if answer != "ok":
                failed.append(worker.languages)
                if answer == "":  # it is gone: started again on the next build
                    worker.process.wait()
        return failed

    def close(self) -> None:
        """Stop every worker (closing its input is enough when it is idle)."""
        running = [w.process for w in self.workers if w.process is not None]
        for process in running:
            if process.stdin is not None:
                try:
                    process.stdin.close()
                except OSError:
                    pass
        stop_children(running, grace=5.0)
        for process in running:
            if process.stdout is not None:
                process.stdout.close()
        for worker in self.workers:
            worker.process = None
            shutil.rmtree(worker.site_dir, ignore_errors=True)
        for link in self.links:
            if link.is_symlink():
                link.unlink()
        self._pending = []

    def _spawn(self, worker: Worker) -> None:
        argv, env = self._command(worker.languages, worker.site_dir)
        worker.process = subprocess.Popen(
            argv,
            cwd=self._cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            **CHILD,
        )
        label = ",".join(worker.languages)
        threading.Thread(target=relay, args=(worker.process, label, self._out, worker.lines), daemon=True).start()


def _link(link: Path, target: Path) -> Path:
    """`link` made a link to the folder `target` (created), in place of whatever was there."""
    target.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():
        shutil.rmtree(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)
    return link


def worker_command(module: str, config_file: Path, site_url: str | None, python: str = sys.executable) -> Command:
    """How the serving process starts the worker of a group of languages: `python -m module`,
    a script whose main is `worker_main` with a build function."""

    def command(languages: list[str], site_dir: Path) -> tuple[list[str], dict[str, str]]:
        argv = [python, "-m", module, "--config", str(config_file), "--site-dir", str(site_dir)]
        if site_url:
            argv += ["--site-url", site_url]
        env = {**os.environ, ONLY_LANGUAGES_ENV: ",".join(languages), SERVE_PART_ENV: "1", "NO_MKDOCS_2_WARNING": "1"}
        return argv, env

    return command


Build = Callable[[], bool]  # one dirty build of the worker's languages: whether it succeeded
BuildMaker = Callable[[Path, Path, "str | None"], Build]  # (config file, site folder, site URL) -> its builds


def run_worker(build: Build, site_dir: Path, requests: IO[str], answers: IO[str]) -> int:
    """The worker's loop: one `build()` per "build" line, answered "ok" or "failed"."""
    for request in requests:
        if request.strip() != "build":
            continue
        try:
            ok = build()
        except Exception:  # a fault of ours: its traceback belongs in the serving terminal
            import traceback

            traceback.print_exc()
            ok = False
        answers.write("ok\n" if ok else "failed\n")
        answers.flush()
    # No more requests: the serving process stopped (or died without removing our folder).
    if site_dir.name.startswith(PART_PREFIX):
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def worker_main(make_build: BuildMaker, prog: str, argv: list[str] | None = None) -> int:
    """A worker process: its arguments (as `worker_command` gives them), its log, and its loop."""
    parser = argparse.ArgumentParser(prog=prog, description="A `make serve` worker (see spmlib.serve.serveparts).")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--site-dir", type=Path, required=True)
    parser.add_argument("--site-url")
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    # Answers go to the real standard output; anything a library prints goes to the log.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr
    try:
        return run_worker(make_build(args.config, args.site_dir, args.site_url), args.site_dir, sys.stdin, answers)
    except KeyboardInterrupt:  # Ctrl-C in the terminal of `make serve`: it stops us too
        return 130
