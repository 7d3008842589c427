"""MkDocs hook: say how far a long build has got, per language, every few hundred pages.

A 10,000-entry catalogue takes minutes per language; without this the terminal is silent.
"""

from __future__ import annotations

import logging
import time

from mkdocs.plugins import event_priority
from spm_mkdocs.priorities import priority
from spm_mkdocs.session import SESSION, Progress

log = logging.getLogger("mkdocs.hooks.progress")


@event_priority(priority("progress", "on_files"))
def on_files(files, config):
    build = SESSION.current
    total = len(files.documentation_pages())
    build.progress = Progress(total=total, step=max(250, total // 10), started=time.monotonic())
    if total:
        log.info(f"Building '{build.lang}': {total:,} pages")
    return files


def on_post_page(output, page, config):
    build = SESSION.current
    progress = build.progress
    if not progress.total:
        return output
    progress.done += 1
    if progress.done % progress.step == 0 or progress.done == progress.total:
        elapsed = time.monotonic() - progress.started
        log.info(f"'{build.lang}': {progress.done:,} of {progress.total:,} pages in {elapsed:.0f} s")
    return output
