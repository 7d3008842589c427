"""MkDocs hook: the catalogue explorer's data, `resources/explorer-data.js` and the parts loaded
on demand under `resources/explorer-data/` (spmlib.site.explorer), in each language; and the pages
of its no-JavaScript list left out of the search index.

Added after hooks/pages.py has planned the pages (lower priority), so that the link from the
explorer page to a resource page can be measured on the real files, whatever
`use_directory_urls` says (offline bundles turn it off).
"""

from __future__ import annotations

import posixpath

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url
from spm_mkdocs.priorities import priority
from spm_mkdocs.session import SESSION

from spmlib.site.explorer import explorer_parts
from spmlib.site.pagekinds import EXPLORER_DATA, EXPLORER_PATH, resource_path


@event_priority(priority("explorer", "on_files"))
def on_files(files, config):
    explorer = files.get_file_from_path(EXPLORER_PATH)
    if explorer is None:
        return files
    build = SESSION.current
    make = SESSION.cache.explorer_parts if SESSION.cache else explorer_parts  # `make serve`: kept between builds
    spec = build.planned.specs.get(EXPLORER_PATH)  # its subject: the link report's findings (spmlib.site.pagekinds)
    broken = spec.subject.broken if spec is not None and spec.subject is not None else frozenset()
    parts = make(build.catalogue, build.lang, _resource_href(build, explorer, config), broken=broken)
    folder = posixpath.dirname(EXPLORER_DATA)
    for path, content in parts.files().items():
        generated = File.generated(config, f"{folder}/{path}", content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        generated.dest_uri = build.prefix + generated.dest_uri
        files.append(generated)
    return files


def on_page_markdown(markdown, page, config, files):
    """Pages 2, 3... of the list: the header search would find twenty pages called "All resources"."""
    build = SESSION.current
    spec = build.planned.specs.get(page.file.src_uri) if not build.skipped else None
    if spec is not None and spec.kind == "all-page":
        page.meta["search"] = {"exclude": True}
    return markdown


def _resource_href(build, explorer, config) -> str:
    """The link from the explorer page to a resource page, with "{id}" in place of the id."""
    for resource in build.catalogue.resources[:1]:
        target = build.find_file(resource_path(resource.id))
        if target is not None:
            href = get_relative_url(target.url, explorer.url)
            return href.replace(resource.id, "{id}", 1)
    return "{id}/" if config.use_directory_urls else "{id}.html"
