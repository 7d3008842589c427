"""The hooks' side of the library: what reads MkDocs' and its plugins' objects, and the build's state.

spmlib holds the logic and imports nothing of MkDocs' build; the hook files in hooks/ are thin
adapters. What they share lives here: the session of one `mkdocs` process and the context of
each language build (session.py), the few readers of MkDocs, static-i18n and Material internals
(upstream.py), the order of every hook event (priorities.py), and the MkDocs build a `make serve`
worker runs (serveworker.py). Installed with spmlib from pyproject.toml, so tests import it as
`spm_mkdocs`.
"""
