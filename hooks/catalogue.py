"""MkDocs hook: validate `resources.yaml` and the taxonomy before anything is built, and open each language's build.

Validation runs first so that a bad catalogue stops the build before `site/` is cleaned: readers
of a previous build keep a working site while the maintainer reads the list of errors.
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from spm_mkdocs import upstream
from spm_mkdocs.priorities import priority
from spm_mkdocs.session import SESSION

from spmlib.model.catalogue import docs_problems
from spmlib.model.options import unknown_only_languages
from spmlib.model.problems import CatalogueError

log = logging.getLogger("mkdocs.hooks.catalogue")


def on_startup(command, dirty):
    SESSION.start(command, dirty)


def on_shutdown():
    SESSION.workers.stop()


@event_priority(priority("catalogue", "on_config"))
def on_config(config):
    options = upstream.library_options(config)
    unknown = unknown_only_languages(options, upstream.configured_locales(config))
    if unknown:  # `make serve LANGS=de`: said, rather than serving the default language alone
        raise Abort(unknown)
    if SESSION.serving and options.only_languages is not None and not options.serve_part:
        # `make serve LANGS=fr`: the other languages are not built at all, rather than as the
        # placeholders a parallel build needs (a few tenths of a second each, on every edit).
        upstream.build_only(config, options.only_languages)
    try:
        catalogue = SESSION.load(options)
    except CatalogueError as err:
        for problem in err.problems:
            log.error(problem.format())
        raise Abort(f"{len(err.problems)} error(s) in the catalogue; nothing was built. Fix them and build again.") from None
    configured = upstream.configured_locales(config)
    unknown = [code for code in configured if code not in catalogue.taxonomy.languages]
    if unknown:
        raise Abort(
            f"mkdocs.yml's i18n languages {unknown} are not in taxonomy/site.yaml {catalogue.taxonomy.languages}; "
            "add their labels to the taxonomy first"
        )
    if not SESSION.builds:  # the first language's build: static-i18n nests the others in it
        SESSION.serve_in_parts(config, options)
    return config


@event_priority(priority("catalogue", "on_post_build"))
def on_post_build(config):
    """The end of the whole build: `make serve` tidies up its memory once idle, and with workers
    the browsers reload when they have built their languages."""
    if SESSION.builds:
        return
    if SESSION.serving:
        SESSION.tidy.later()
    parts = SESSION.workers.parts
    if parts is None:
        return
    failed = parts.finish()
    if failed:
        names = "; ".join(", ".join(group) for group in failed)
        raise Abort(f"the build of {names} failed (its messages are above, marked with its languages)")


@event_priority(priority("catalogue", "on_pre_build"))
def on_pre_build(config):
    SESSION.begin(config)
    upstream.list_theme_once(config, SESSION.theme_listings)


def on_build_error(error):
    SESSION.end()


@event_priority(priority("catalogue", "on_files"))
def on_files(files, config):
    """Refuse symbolic links in docs/ on every build, `make serve` rebuilds included: MkDocs would
    copy their targets (any file of the build machine) into site/. Also files that browsers run
    (HTML, SVG...), which it would publish as they are, and pages that are not UTF-8 text, which
    it would stop on with a traceback (spmlib.model.docsfiles)."""
    problems = docs_problems(config.docs_dir)
    if problems:
        for problem in problems:
            log.error(problem.format())
        raise Abort(f"{len(problems)} problem(s) in docs/; nothing was built.")
    return files


def on_serve(server, config, builder):
    """Rebuild when the catalogue or the taxonomy changes: they live outside docs/."""
    options = upstream.library_options(config)
    upstream.watch_often(server, str(options.catalogue), 0.05)  # the file maintainers edit most
    upstream.settle_quickly(server, 0.02)
    server.watch(str(options.taxonomy))
    return server
