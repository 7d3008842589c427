"""The code stays ruff-clean, so style never reaches review."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CODE = ("spmlib", "hooks", "tests", "benchmarks")


def test_ruff_check_and_format():
    for args in (["check", *CODE], ["format", "--check", *CODE]):
        result = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
