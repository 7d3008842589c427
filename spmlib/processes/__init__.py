"""Builds in child processes: one MkDocs build per group of languages (`parallel`) and the
clean stop of a tree of processes on Ctrl-C or SIGTERM (`interrupt`). Used by `make build`,
the offline outputs and `make serve`; depends on the model's build options only.
"""
