"""A `make serve` worker: MkDocs' dirty build of some of the languages, on request.

The protocol (requests on standard input, answers on standard output, the worker's folder) is
spmlib.serve.serveparts'; what one build is belongs here, with the hooks, since spmlib imports
nothing of MkDocs' build. The serving process starts `python -m spm_mkdocs.serveworker`
(hooks/spm_mkdocs/session.py).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from spmlib.serve.serveparts import Build, worker_main

MODULE = "spm_mkdocs.serveworker"


def dirty_builds(config_file: Path, site_dir: Path, site_url: str | None) -> Build:
    """What each request runs: the config read again (as `mkdocs serve` does on every change),
    then a dirty build into the worker's folder. MkDocs' plugins start once, as in `mkdocs serve`."""
    started = False

    def build() -> bool:
        nonlocal started
        try:
            config = load_config(str(config_file), site_dir=str(site_dir))
            if site_url:
                config.site_url = site_url
            if not started:
                config.plugins.on_startup(command="serve", dirty=True)
                started = True
            mkdocs_build(config, dirty=True)
        except MkDocsException as err:  # bad input: said by the hooks' log already, or here
            if str(err):
                logging.getLogger("mkdocs").error(str(err))
            return False
        return True

    return build


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    sys.argv = ["mkdocs", "serve", "--dirty"]  # static-i18n reads --dirty here for each language's build
    return worker_main(dirty_builds, f"python -m {MODULE}", argv)


if __name__ == "__main__":
    sys.exit(main())
