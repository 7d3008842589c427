"""MkDocs hook: say how far a long build has got, per language, every few hundred pages.

A 10,000-entry catalogue takes minutes per language; without this the terminal is silent.
"""

from __future__ import annotations

import logging
import time

from mkdocs.plugins import event_priority

from spmlib import build

log = logging.getLogger("mkdocs.hooks.progress")
_run: dict = {}


@event_priority(-130)  # after every hook that adds pages
def on_files(files, config):
    lang, _ = build.language_of(config)
    total = len(files.documentation_pages())
    _run.update(lang=lang, total=total, done=0, step=max(250, total // 10), started=time.monotonic())
    if total:
        log.info(f"Building '{lang}': {total:,} pages")
    return files


def on_post_page(output, page, config):
    if not _run.get("total"):
        return output
    _run["done"] += 1
    done, total = _run["done"], _run["total"]
    if done % _run["step"] == 0 or done == total:
        elapsed = time.monotonic() - _run["started"]
        log.info(f"'{_run['lang']}': {done:,} of {total:,} pages in {elapsed:.0f} s")
    return output
