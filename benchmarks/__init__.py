"""The benchmarks, a package run from the repository's root: `python -m benchmarks.bench`.

As a package its modules import one another as `benchmarks.x` and import spmlib like any other
code, with no edits of sys.path; the tests import them the same way (pytest's `pythonpath`).
"""
