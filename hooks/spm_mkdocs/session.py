"""The state of one `mkdocs` process (Session) and of each language build in it (LanguageBuild).

static-i18n runs the whole build once per language in the same process, the other languages'
builds nested inside the first one's post_build, and `mkdocs serve` builds again on every edit.
So there are two lifetimes: the process (the catalogue read (Source), the workers of `make serve`
(Workers), and what its builds keep for the next: spmlib's caches (ServeCache) and what the
hooks wrote (Kept)) and one language build (its plan, files, links, search entries), kept on a
stack while builds nest. MkDocs loads each hook module once per process; SESSION below is the
one object they share, and everything else is handed to spmlib explicitly.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from spmlib.model.catalogue import Catalogue, load_catalogue
from spmlib.model.options import LibraryOptions
from spmlib.model.subset import Subset
from spmlib.model.taxonomy import Taxonomy, load_taxonomy
from spmlib.processes.parallel import groups
from spmlib.serve.cached import ServeCache
from spmlib.serve.serveparts import ServeParts, serve_jobs, worker_command
from spmlib.site.pagekinds import PageSpec
from spmlib.site.render import make_environment

from . import serveworker, upstream


@dataclass
class SearchRecord:
    """What the per-language search index needs, gathered page by page."""

    pages: set[str] = field(default_factory=set)  # every page of the language, URL without prefix
    rendered: set[str] = field(default_factory=set)  # those rendered: fewer in a dirty build
    entries: list[dict] = field(default_factory=list)  # search entries of this build's pages
    seen: int = 0  # how many of the search plugin's entries were there before


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    step: int = 250
    started: float = field(default_factory=time.monotonic)


@dataclass
class PagePlan:
    """The pages of one language's build and their MkDocs files, as hooks/pages.py's on_files
    made them; every later hook reads them, none writes them."""

    plan: list[PageSpec] = field(default_factory=list)
    salt: str = ""  # a digest of what every page shows (templates, taxonomy, navigation, language)
    specs: dict[str, PageSpec] = field(default_factory=dict)  # source URI -> generated page
    src_of: dict[str, str] = field(default_factory=dict)  # page key -> source URI
    files: Any = None  # MkDocs' Files of this build
    file_index: dict[str, Any] = field(default_factory=dict)  # source URI -> File of generated pages (find_file)
    left_out: list[Any] = field(default_factory=list)  # generated pages not rebuilt, not in `files` (serve)
    fingerprints: dict[str, str] = field(default_factory=dict)  # dest_uri -> digest of the generated pages in `files`
    documents: set[str] = field(default_factory=set)  # the catalogue's local documents
    env: jinja2.Environment | None = None  # the autoescaping environment of overrides/spm


@dataclass
class Rendering:
    """What the rendering of one language's pages gathers as it goes (hooks/pages.py's page
    events, spm_mkdocs.indexing)."""

    urls: dict[str, str | None] = field(default_factory=dict)  # page key -> URL, filled as links are made
    nav_cache: dict[int, str] = field(default_factory=dict)  # sidebar HTML of resource pages, by depth
    unsearched: dict[str, str] = field(default_factory=dict)  # source URI -> content hidden from the indexer


@dataclass
class LanguageBuild:
    """One language's build: made in on_pre_build, closed by the last on_post_build."""

    lang: str
    prefix: str  # '' for the default language at the root, else 'fr/'
    options: LibraryOptions
    catalogue: Catalogue  # a bundle's part of the library in bundle builds
    skipped: bool  # another process of a parallel build makes this language
    prefixes: dict[str, str] = field(default_factory=dict)  # every built language -> its URL prefix
    planned: PagePlan = field(default_factory=PagePlan)  # written by hooks/pages.py on_files
    rendering: Rendering = field(default_factory=Rendering)  # written as pages render
    search: SearchRecord = field(default_factory=SearchRecord)
    progress: Progress = field(default_factory=Progress)

    def find_file(self, path: str) -> Any:
        """The File of `path` (a source URI) in this build, or None.

        static-i18n's Files.get_file_from_path tries localised names first, a slow search when
        done for thousands of links per language. Generated pages have no localised variants,
        so they are looked up in the index hooks/pages.py makes of them (with those `make serve`
        leaves out of `files`); anything else goes the slow way.
        """
        return self.planned.file_index.get(path) or self.planned.files.get_file_from_path(path)

    def pages(self) -> list[Any]:
        """Every page of this language: MkDocs' documentation pages and those `make serve` left
        out of them because they are already written (hooks/pages.py)."""
        return [*self.planned.files.documentation_pages(), *self.planned.left_out] if self.planned.files is not None else []


@dataclass
class Kept:
    """What `make serve` keeps of the pages its last build wrote, each part written by one hook.
    A full build writes every page once and keeps none of this (Session.kept is None)."""

    written: dict[str, str] = field(default_factory=dict)  # hooks/pages.py: dest_uri -> digest of the page as written
    page_files: dict[tuple, dict[str, Any]] = field(default_factory=dict)  # hooks/pages.py: generated pages' Files
    search_entries: dict[str, list[dict]] = field(default_factory=dict)  # hooks/i18n_search.py: language -> entries
    sitemaps: dict[str, tuple] = field(default_factory=dict)  # hooks/reuse.py: language -> what its sitemap was made of


@dataclass
class Source:
    """The taxonomy and catalogue read by hooks/catalogue.py, each read again only when one of its files changed."""

    taxonomy_key: tuple | None = None
    taxonomy: Taxonomy | None = None
    catalogue_key: tuple | None = None
    catalogue: Catalogue | None = None

    def load(self, options: LibraryOptions, cache: ServeCache | None) -> Catalogue:
        """The validated catalogue; `cache` (`make serve`) keeps what an edit left alone.

        Raises CatalogueError, with every problem, when it is invalid.
        """
        key = _stat(options)
        if self.catalogue_key != key:
            self.catalogue_key = None
            taxonomy_key = (str(options.taxonomy), key[1][1:])  # the taxonomy files' stats
            if self.taxonomy_key != taxonomy_key or self.taxonomy is None:
                self.taxonomy_key = None
                self.taxonomy = load_taxonomy(options.taxonomy)
                self.taxonomy_key = taxonomy_key
            self.catalogue = load_catalogue(
                options.catalogue,
                self.taxonomy,
                options.docs_dir,
                display_name=options.shown_catalogue(),
                steps=cache.reading(self.taxonomy, taxonomy_key) if cache is not None else None,
            )
            self.catalogue_key = key
        assert self.catalogue is not None
        return self.catalogue


@dataclass
class Workers:
    """`make serve` in every language: the languages dealt to this process and to workers
    (spmlib.serve.serveparts, each running spm_mkdocs.serveworker)."""

    parts: ServeParts | None = None  # the workers building the other languages
    key: tuple | None = None  # what they were started for (config file, site folder, groups)
    own_languages: tuple[str, ...] | None = None  # the languages this process builds

    def build(self, config) -> None:
        """Deal the languages (again if the config changed), and ask the workers to build now,
        alongside this process."""
        prefixes = upstream.language_prefixes(config)
        dealt = groups(list(prefixes), serve_jobs())
        key = (config.config_file_path, config.site_dir, config.site_url, tuple(map(tuple, dealt)))
        if key != self.key:
            self.stop()
            if len(dealt) < 2:
                return
            command = worker_command(serveworker.MODULE, Path(config.config_file_path), config.site_url)
            folders = {lang: prefix.rstrip("/") for lang, prefix in prefixes.items()}
            self.parts = ServeParts(dealt[1:], command, Path(config.site_dir), folders, cwd=Path(config.config_file_path).parent)
            self.key = key
            self.own_languages = tuple(dealt[0])
        assert self.parts is not None
        self.parts.start_build()

    def stop(self) -> None:
        if self.parts is not None:
            self.parts.close()
        self.parts, self.key, self.own_languages = None, None, None


@dataclass
class Tidy:
    """`make serve`: collect the last build's garbage once the browsers have reloaded, and
    freeze what survives (gc.freeze), so that the collections Python runs during the next
    build look only at what that build makes. A full collection looks at every object the
    process keeps (catalogue, caches, parses), and one fell in most edits, a fifth of them.

    Collecting only what the last build made is quick; every `every` builds the frozen
    objects are looked at too, for the cycles among those that have died since.
    """

    timer: threading.Timer | None = None  # the collection after the last build
    count: int = 0  # builds tidied after

    def later(self, delay: float = 0.3, every: int = 10) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.count += 1
        self.timer = threading.Timer(delay, _collect_and_freeze, kwargs={"everything": self.count % every == 0})
        self.timer.daemon = True
        self.timer.start()


@dataclass
class Session:
    """What outlives one build in a `mkdocs` process."""

    command: str | None = None  # "serve" or "build", from on_startup; None when MkDocs did not say
    dirty: bool = False  # `serve --dirty`, from on_startup
    cache: ServeCache | None = None  # `make serve`: spmlib's caches between builds (set in on_startup)
    kept: Kept | None = None  # `make serve`: what the hooks keep of the pages written (set in on_startup)
    source: Source = field(default_factory=Source)
    workers: Workers = field(default_factory=Workers)
    tidy: Tidy = field(default_factory=Tidy)
    builds: list[LanguageBuild] = field(default_factory=list)
    environments: dict[Path, jinja2.Environment] = field(default_factory=dict)
    theme_listings: dict[str, list[str]] = field(default_factory=dict)  # installed theme folder -> its files
    # The open data files of the last catalogue built (hooks/reuse.py): the same in every language.
    open_data: tuple[Catalogue, dict[str, str]] | None = None

    @property
    def serving(self) -> bool:
        """`mkdocs serve`: what is worked out is kept between its builds (a full build works
        everything out once, and keeps nothing)."""
        return self.command == "serve"

    def start(self, command: str | None, dirty: bool) -> None:
        """MkDocs' on_startup: `mkdocs serve` keeps what its builds work out (spmlib.serve.cached)
        and what they wrote (Kept), from its first build on."""
        self.command, self.dirty = command, dirty
        if not self.serving:
            self.cache, self.kept = None, None
        elif self.cache is None or self.kept is None:
            self.cache, self.kept = ServeCache(), Kept()

    def load(self, options: LibraryOptions) -> Catalogue:
        return self.source.load(options, self.cache)

    def serve_in_parts(self, config, options: LibraryOptions) -> None:
        """`make serve` in every language, dealt to this process and to workers (Workers)."""
        if (
            self.serving
            and self.dirty
            and options.only_languages is None
            and not options.serve_part
            and not options.offline
            and config.config_file_path
        ):
            self.workers.build(config)

    def begin(self, config) -> LanguageBuild:
        """Open the build of the language static-i18n is about to build."""
        if self.source.catalogue is None:
            raise RuntimeError("hooks/catalogue.py must be listed before the other hooks in mkdocs.yml")
        options = upstream.library_options(config)
        own = self.workers.own_languages
        if own is not None:  # the other languages are the workers'
            options = replace(options, only_languages=own)
        lang, prefix = upstream.language_of(config)
        catalogue = self.source.catalogue
        if options.bundle is not None:
            catalogue = Subset.from_options(dict(options.bundle.subset)).apply(catalogue, dict(options.bundle.relink))
        build = LanguageBuild(lang, prefix, options, catalogue, skipped=not options.builds(lang))
        self.builds.append(build)
        return build

    @property
    def current(self) -> LanguageBuild:
        if not self.builds:
            raise RuntimeError("no language build is open: hooks/catalogue.py must be listed first in mkdocs.yml")
        return self.builds[-1]

    def end(self) -> LanguageBuild | None:
        return self.builds.pop() if self.builds else None

    def environment(self, template_dir: Path) -> jinja2.Environment:
        """One template environment per folder for the whole process (compiled templates are kept)."""
        if template_dir not in self.environments:
            self.environments[template_dir] = make_environment(template_dir)
        return self.environments[template_dir]


def _collect_and_freeze(everything: bool) -> None:
    if everything:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def _stat(options: LibraryOptions) -> tuple:
    paths = [options.catalogue, *sorted(options.taxonomy.glob("*.yaml"))]
    stats = []
    for path in paths:
        try:
            st = path.stat()
            stats.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            stats.append((str(path), None, None))
    return (str(options.docs_dir), tuple(stats))


SESSION = Session()
