"""An interrupted `make build` (issue 16, item 15): no orphan `mkdocs build`, no leftover folder."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project, wait_for


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


HOLD_HOOK = Path(__file__).resolve().parent / "tools" / "hold_hook.py"


def held_project(directory: Path) -> Path:
    """The fixture project, its builds held at their first page by tests/tools/hold_hook.py."""
    project = make_project(directory, FIXTURES / "catalogue.yaml", FIXTURES / "docs")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nhooks:\n" in text
    config.write_text(text.replace("\nhooks:\n", f"\nhooks:\n  - {json.dumps(str(HOLD_HOOK))}\n", 1), encoding="utf-8")
    return project


def start(project: Path, log: Path, *args: str, **extra_env: str) -> subprocess.Popen:
    """`python -m spmlib ARGS` in `project`, as the Makefile runs it; its output goes to `log`
    (a file, not a pipe that nobody reads while the test waits)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **extra_env}
    env.pop("SPM_CATALOGUE", None)
    with log.open("w", encoding="utf-8") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "spmlib", *args], cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def wait_for_held_children(process: subprocess.Popen, hold: Path, log: Path, count: int) -> list[int]:
    """The `count` children of `process`, once each is held by hold_hook.py (it names them in `hold`)."""

    def held() -> list[int] | None:
        if process.poll() is not None:
            pytest.fail(f"exit {process.returncode} before {count} builds were held:\n{log.read_text()[-3000:]}")
        pids = sorted(int(marker.name) for marker in hold.iterdir() if not marker.name.startswith("."))
        return pids if len(pids) >= count else None

    pids = wait_for(held, f"{count} builds held by {HOLD_HOOK.name}")
    assert sorted(children_of(process.pid)) == pids, "the held builds are not this process's children"
    return pids


def alive(pid: int) -> bool:
    """Running (not a zombie waiting to be reaped, not gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def survivors(pids: list[int]) -> list[int]:
    return [pid for pid in pids if alive(pid)]


def kill_survivors(pids: list[int]) -> None:
    """After a failure: no held build may wait for its hold limit."""
    for pid in survivors(pids):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_build_stops_its_children_and_cleans_up(tmp_path, signum):
    project = held_project(tmp_path / "project")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the previous build\n", encoding="utf-8")
    hold, log = tmp_path / "hold", tmp_path / "build.log"
    hold.mkdir()
    build = start(project, log, "build", "--jobs", "2", SPM_TEST_HOLD=str(hold))
    children: list[int] = []
    try:
        children = wait_for_held_children(build, hold, log, 2)  # both in the middle of their builds
        assert list(project.glob(".spm-build-*")), "the build has no temporary folder"
        assert build.poll() is None and survivors(children) == children
        build.send_signal(signum)
        build.wait(timeout=60)
        # The parent waited for its children: none is left, not even for a moment.
        assert not survivors(children), "mkdocs build processes outlived their parent"
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        kill_survivors(children)
    output = log.read_text(encoding="utf-8")
    assert build.returncode == 128 + signum, output[-2000:]
    assert "Traceback" not in output and "Interrupted by" in output
    assert not list(project.glob(".spm-build-*"))
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "the previous build\n"
    assert [p.name for p in (project / "site").iterdir()] == ["index.html"]


def test_an_interrupted_bundle_stops_its_build_and_cleans_up(tmp_path):
    project = held_project(tmp_path / "project")
    temporary, hold, log = tmp_path / "tmp", tmp_path / "hold", tmp_path / "bundle.log"
    temporary.mkdir()
    hold.mkdir()
    bundle = start(project, log, "bundle", "--lang", "en", TMPDIR=str(temporary), SPM_TEST_HOLD=str(hold))
    children: list[int] = []
    try:
        children = wait_for_held_children(bundle, hold, log, 1)
        assert list(temporary.glob("spm-bundle-*")), "the bundle has no temporary folder"
        bundle.send_signal(signal.SIGTERM)
        bundle.wait(timeout=60)
        assert not survivors(children), "the bundle's mkdocs build outlived it"
    finally:
        if bundle.poll() is None:
            bundle.kill()
            bundle.wait()
        kill_survivors(children)
    output = log.read_text(encoding="utf-8")
    assert bundle.returncode == 128 + signal.SIGTERM, output[-2000:]
    assert "Traceback" not in output and "interrupted" in output
    assert not list(temporary.iterdir()) and not (project / "dist").exists()
