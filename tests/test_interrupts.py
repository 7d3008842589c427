"""An interrupted `make build` (issue 16, item 15): no orphan `mkdocs build`, no leftover folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def start(project: Path, *args: str, **extra_env: str) -> subprocess.Popen:
    """`python -m spmlib ARGS` in `project`, as the Makefile runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **extra_env}
    env.pop("SPM_CATALOGUE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "spmlib", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_children(process: subprocess.Popen, started: Callable[[list[int]], bool]) -> list[int]:
    """The child processes of `process` once `started(children)` says so (or after a minute)."""
    children: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not started(children):
        children = children_of(process.pid)
        time.sleep(0.05)
    return children


def alive(pid: int) -> bool:
    """Running (not a zombie waiting to be reaped, not gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_build_stops_its_children_and_cleans_up(tmp_path, signum):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the previous build\n", encoding="utf-8")
    build = start(project, "build", "--jobs", "2")
    try:
        children = wait_for_children(build, lambda found: len(found) == 2 and bool(list(project.glob(".spm-build-*"))))
        assert len(children) == 2, "the build did not start its two processes"
        time.sleep(1.0)  # well into their builds
        assert build.poll() is None and all(alive(pid) for pid in children)
        build.send_signal(signum)
        _, stderr = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 128 + signum, stderr[-2000:]
    assert "Traceback" not in stderr and "Interrupted by" in stderr
    time.sleep(0.2)
    assert not [pid for pid in children if alive(pid)], "mkdocs build processes outlived their parent"
    assert not list(project.glob(".spm-build-*"))
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "the previous build\n"
    assert [p.name for p in (project / "site").iterdir()] == ["index.html"]


def test_an_interrupted_bundle_stops_its_build_and_cleans_up(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    bundle = start(project, "bundle", "--lang", "en", TMPDIR=str(temporary))
    try:
        children = wait_for_children(bundle, bool)
        assert children and list(temporary.glob("spm-bundle-*")), "the bundle's build did not start"
        time.sleep(1.0)
        bundle.send_signal(signal.SIGTERM)
        _, stderr = bundle.communicate(timeout=60)
    finally:
        if bundle.poll() is None:
            bundle.kill()
    assert bundle.returncode == 128 + signal.SIGTERM, stderr[-2000:]
    assert "Traceback" not in stderr and "interrupted" in stderr
    time.sleep(0.2)
    assert not [pid for pid in children if alive(pid)]
    assert not list(temporary.iterdir()) and not (project / "dist").exists()
