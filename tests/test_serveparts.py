"""spmlib.serve.serveparts: the workers of `make serve`, their answers, their folders and their end;
spm_mkdocs.serveworker: what a worker's build is.

The workers here are small scripts speaking the same protocol; tests/test_serve.py serves a
real site with a real worker and compares it with a full build.
"""

from __future__ import annotations

import io
import sys
import textwrap
from pathlib import Path

from spmlib.serve.serveparts import PART_PREFIX, ServeParts, run_worker, serve_jobs

# Answers "ok", except for a language named "xx"; exits at once when told to for "zz".
FAKE = textwrap.dedent(
    """
    import sys
    languages = sys.argv[1].split(",")
    for line in sys.stdin:
        if "zz" in languages:
            sys.exit(3)
        print("failed" if "xx" in languages else "ok", flush=True)
    """
)


def _command(languages, site_dir):
    return [sys.executable, "-c", FAKE, ",".join(languages)], None


def test_workers_answer_and_their_folders_are_linked(tmp_path):
    served = tmp_path / "site"
    (served / "fr").mkdir(parents=True)  # a folder a build without workers left there
    parts = ServeParts([["fr"], ["xx"]], _command, served, {"fr": "fr", "xx": "xx"}, out=io.StringIO())
    try:
        assert (served / "fr").is_symlink() and (served / "fr").resolve().name == "fr"
        assert (served / "fr").resolve().parent.name.startswith(PART_PREFIX)
        for _ in range(2):
            parts.start_build()
            assert parts.finish() == [["xx"]]
    finally:
        parts.close()
    assert not (served / "fr").exists() and not (served / "fr").is_symlink()
    assert all(not worker.site_dir.exists() for worker in parts.workers)


def test_a_worker_that_died_is_reported_and_started_again(tmp_path):
    parts = ServeParts([["zz"]], _command, tmp_path, {"zz": "zz"}, out=io.StringIO())
    try:
        parts.start_build()
        assert parts.finish() == [["zz"]]
        first = parts.workers[0].process
        parts.start_build()
        assert parts.workers[0].process is not first
        assert parts.finish() == [["zz"]]
    finally:
        parts.close()


def test_a_build_given_up_on_is_answered_before_the_next(tmp_path):
    parts = ServeParts([["fr"]], _command, tmp_path, {"fr": "fr"}, out=io.StringIO())
    try:
        parts.start_build()  # the serving process's own build failed: it never waited
        parts.start_build()
        assert parts.finish() == []
        assert parts._pending == []
    finally:
        parts.close()


def test_the_worker_loop_answers_each_request_and_removes_its_folder(tmp_path, monkeypatch):
    import types

    from mkdocs.exceptions import Abort
    from spm_mkdocs import serveworker

    calls, started = [], []

    def fake_load_config(path, site_dir):
        plugins = types.SimpleNamespace(on_startup=lambda command, dirty: started.append((command, dirty)))
        return types.SimpleNamespace(path=path, site_dir=site_dir, site_url=None, plugins=plugins)

    def fake_build(config, dirty=False):
        calls.append((config.site_dir, config.site_url, dirty))
        if len(calls) == 2:
            raise Abort("2 error(s) in the catalogue")

    monkeypatch.setattr(serveworker, "load_config", fake_load_config)
    monkeypatch.setattr(serveworker, "mkdocs_build", fake_build)
    site = tmp_path / (PART_PREFIX + "x")
    site.mkdir()
    answers = io.StringIO()
    build = serveworker.dirty_builds(Path("mkdocs.yml"), site, "http://127.0.0.1:8000/")
    run_worker(build, site, io.StringIO("build\nnoise\nbuild\n"), answers)
    assert answers.getvalue() == "ok\nfailed\n"
    assert calls == [(str(site), "http://127.0.0.1:8000/", True)] * 2
    assert started == [("serve", True)]  # once, as `mkdocs serve` does
    assert not site.exists()  # its input ended: the serving process is gone


def test_a_fault_in_a_build_is_answered_failed_and_the_loop_goes_on(tmp_path, capsys):
    outcomes = iter([ZeroDivisionError, True])

    def build():
        outcome = next(outcomes)
        if outcome is ZeroDivisionError:
            raise ZeroDivisionError("a bug")
        return outcome

    answers = io.StringIO()
    run_worker(build, tmp_path, io.StringIO("build\nbuild\n"), answers)
    assert answers.getvalue() == "failed\nok\n"
    assert "ZeroDivisionError" in capsys.readouterr().err
    assert tmp_path.exists()  # not a worker's own folder: left alone


def test_the_worker_command_runs_the_hooks_module(tmp_path):
    from spm_mkdocs import serveworker

    from spmlib.serve.serveparts import worker_command

    argv, env = worker_command(serveworker.MODULE, tmp_path / "mkdocs.yml", None, python="py")(["fr", "pt"], tmp_path)
    assert argv[:3] == ["py", "-m", "spm_mkdocs.serveworker"]
    assert env["SPM_ONLY_LANGUAGES"] == "fr,pt"


def test_how_many_processes(monkeypatch):
    assert serve_jobs({"SPM_SERVE_JOBS": "3"}) == 3
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert serve_jobs({"SPM_SERVE_JOBS": "x"}) == 2
    assert serve_jobs({}) == 2


def test_make_serve_with_a_worker_shows_edits_in_every_language_and_stops_cleanly(tmp_path):
    """`mkdocs serve --dirty` as `make serve` runs it: fr and pt built by a worker, an edit shown
    in all four languages, and Ctrl-C stops both processes, leaving no folder behind."""
    import os
    import signal
    import subprocess
    import time
    import urllib.request

    from conftest import FIXTURES, make_project, wait_for
    from test_interrupts import alive, children_of

    from benchmarks.serve import _free_port, start_serve

    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SPM_SERVE_JOBS": "2", "TMPDIR": str(temp)}
    for name in ("SPM_ONLY_LANGUAGES", "SPM_CATALOGUE"):
        env.pop(name, None)
    serve = start_serve(project, port, env, stderr=subprocess.PIPE)

    def shows(path: str, text: str) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                return text in response.read().decode("utf-8")
        except OSError:
            return False

    def wait(paths: list[str], text: str) -> None:
        deadline = time.monotonic() + 120
        while not all(shows(path, text) for path in paths):
            assert time.monotonic() < deadline and serve.poll() is None, f"{paths} never showed {text!r}"
            time.sleep(0.1)

    pages = [f"{prefix}resources/smart-operations-tool/" for prefix in ("", "fr/", "es/", "pt/")]
    try:
        wait(pages, "<html")
        workers = children_of(serve.pid)
        assert len(workers) == 1 and alive(workers[0])
        catalogue = project / "resources.yaml"
        catalogue.write_text(catalogue.read_text().replace("Smart Operations Tool", "Smart Operations Toolkit"))
        wait(pages, "Smart Operations Toolkit")
        serve.send_signal(signal.SIGINT)
        _, stderr = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
    assert "Traceback" not in stderr, stderr[-3000:]
    # stopped by `mkdocs serve` on its way out, or gone at the end of its input
    wait_for(lambda: not alive(workers[0]), "the worker outlived `mkdocs serve`", timeout=60)
    assert list(temp.iterdir()) == []  # its folder and the served one are gone
