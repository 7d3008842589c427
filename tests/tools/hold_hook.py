"""MkDocs hook for tests only: hold a build at a known point until it is killed.

A test that interrupts a build must signal it while it is running, whatever the speed of the
machine; waiting "long enough" fails on a fast one (the build is over) and proves nothing on
a slow one. tests/test_interrupts.py adds this file to the `hooks:` of its project's mkdocs.yml
(as an absolute path: `python -m spmlib build` hands that config to its `mkdocs build`
children, `python -m spmlib bundle` copies the hook paths into the config it writes) and sets:

SPM_TEST_HOLD=DIR       on reaching the hold point, write DIR/<pid> (this process's id: the
                        `mkdocs build` child) and block until killed; unset, the hook does nothing
SPM_TEST_HOLD_AT=EVENT  the MkDocs event to hold at, the first time it runs in this process
                        (default on_post_page: the theme's files and the first page are out)
SPM_TEST_DELAY=SECONDS  sleep so long in every event this hook knows, to make a build slow
                        (for checking that a test does not depend on the speed of the build)
SPM_TEST_HOLD_LIMIT=S   give up holding after S seconds (default 600) and fail the build,
                        so a forgotten build does not run for ever

Nothing here is loaded by the site's own mkdocs.yml.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError

EVENTS = (
    "on_config",
    "on_pre_build",
    "on_files",
    "on_nav",
    "on_env",
    "on_page_markdown",
    "on_page_content",
    "on_post_page",
    "on_post_build",
)
_held = False


def _step(event: str) -> None:
    delay = float(os.environ.get("SPM_TEST_DELAY") or 0)
    if delay:
        time.sleep(delay)
    folder = os.environ.get("SPM_TEST_HOLD")
    if not folder or event != os.environ.get("SPM_TEST_HOLD_AT", "on_post_page"):
        return
    global _held
    if _held:  # once per process: the first page, or the first of static-i18n's builds
        return
    _held = True
    marker = Path(folder) / str(os.getpid())
    partial = marker.with_name(f".{marker.name}.part")
    partial.write_text(event, encoding="utf-8")
    partial.rename(marker)  # appears whole: the test reads it as soon as it is there
    limit = float(os.environ.get("SPM_TEST_HOLD_LIMIT") or 600)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(0.1)  # SIGTERM ends this process here (no handler is installed for it)
    raise PluginError(f"hold_hook: held at {event} for {limit:.0f} s and nobody stopped the build")


def _make(event: str):
    def hook(*args, **kwargs):
        _step(event)
        return None  # MkDocs keeps what it passed in

    hook.__name__ = event
    return hook


for _event in EVENTS:
    globals()[_event] = _make(_event)
