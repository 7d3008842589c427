"""MkDocs hook: validate `resources.yaml` and the taxonomy before anything is built.

Runs first so that a bad catalogue stops the build before `site/` is cleaned: readers of a
previous build keep a working site while the maintainer reads the list of errors.
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from spmlib import build
from spmlib.bundle import Subset
from spmlib.catalogue import docs_problems
from spmlib.problems import CatalogueError

log = logging.getLogger("mkdocs.hooks.catalogue")


@event_priority(100)
def on_config(config):
    settings = build.settings_from(config)
    try:
        catalogue = build.load(settings)
    except CatalogueError as err:
        for problem in err.problems:
            log.error(problem.format())
        raise Abort(f"{len(err.problems)} error(s) in the catalogue; nothing was built. Fix them and build again.") from None
    bundle = build.options(config).get("bundle")
    if bundle:
        subset = Subset.from_options(bundle.get("subset") or {})
        build.use(subset.apply(catalogue, bundle.get("relink") or {}))
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        configured = [lang.locale for lang in i18n.config.languages]
        unknown = [code for code in configured if code not in catalogue.taxonomy.languages]
        if unknown:
            raise Abort(
                f"mkdocs.yml's i18n languages {unknown} are not in taxonomy/site.yaml {catalogue.taxonomy.languages}; "
                "add their labels to the taxonomy first"
            )
    return config


@event_priority(100)
def on_files(files, config):
    """Refuse symbolic links in docs/ on every build, `make serve` rebuilds included: MkDocs would
    copy their targets (any file of the build machine) into site/."""
    problems = docs_problems(config.docs_dir)
    if problems:
        for problem in problems:
            log.error(problem.format())
        raise Abort(f"{len(problems)} unsafe file(s) in docs/; nothing was built.")
    return files


def on_serve(server, config, builder):
    """Rebuild when the catalogue or the taxonomy changes: they live outside docs/."""
    settings = build.settings_from(config)
    server.watch(str(settings.catalogue))
    server.watch(str(settings.taxonomy))
    return server
