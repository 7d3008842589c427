"""Build the shipped site and the test fixture site at two revisions and compare them byte for byte.

A refactoring must not change what readers get: `python -m benchmarks.samesite REV` builds both
sites from REV (a git worktree in a temporary folder) and from the working tree, then lists every
file that differs or exists on one side only. Exit 0 when the trees are identical.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def project(tree: Path, work: Path, fixture: bool) -> Path:
    """The shipped project at `tree`, or a copy of it whose catalogue and docs are the test fixture's."""
    if not fixture:
        return tree
    target = work / "fixture"
    target.mkdir(parents=True)
    for name in ("hooks", "overrides", "taxonomy"):
        (target / name).symlink_to(tree / name)
    shutil.copytree(tree / "docs", target / "docs")
    shutil.copytree(FIXTURES / "docs", target / "docs", dirs_exist_ok=True)
    shutil.copy(tree / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copy(FIXTURES / "catalogue.yaml", target / "resources.yaml")
    return target


def build(tree: Path, work: Path, fixture: bool) -> Path:
    site = work / "site"
    # The revision's own spmlib comes first, wherever that revision kept it.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": f"{tree}{os.pathsep}{tree / 'hooks'}"}
    env.pop("SPM_CATALOGUE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
    subprocess.run(command, cwd=project(tree, work, fixture), env=env, check=True)
    return site


def differences(left: Path, right: Path) -> list[str]:
    def walk(cmp: filecmp.dircmp, prefix: str) -> list[str]:
        found = [f"only before: {prefix}{n}" for n in cmp.left_only] + [f"only after: {prefix}{n}" for n in cmp.right_only]
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found += [f"differs: {prefix}{n}" for n in mismatch + errors]
        for name, sub in cmp.subdirs.items():
            found += walk(sub, f"{prefix}{name}/")
        return found

    return sorted(walk(filecmp.dircmp(left, right), ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the revision to compare the working tree with")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="spm-samesite-") as tmp:
        work = Path(tmp)
        old = work / "old"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(old), args.rev], cwd=ROOT, check=True)
        try:
            for fixture in (False, True):
                name = "fixture" if fixture else "shipped"
                before = build(old, work / f"{name}-before", fixture)
                after = build(ROOT, work / f"{name}-after", fixture)
                found = differences(before, after)
                print(f"{name} site: {'identical' if not found else f'{len(found)} difference(s)'}")
                for line in found:
                    print("  " + line)
                failed = failed or bool(found)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
