"""MkDocs hook: what other tools read. Open data, feeds, sitemaps with language alternates, and
the citation metadata of resource pages (logic in spmlib.site.opendata, .feeds, .sitemaps, .metadata).

- `data/resources.json`, `.csv` and `.schema.json` at the site root, added to every language's
  files so that each language's About page can link to them (the same bytes each time; the
  parallel build keeps the default language's).
- `feed.xml` in each language, when the site has a public address (not in offline bundles) and
  some resource has an `added` date. Linked from the home and explorer pages' bodies, never from
  the head (Material would fetch a sitemap for it on every page load).
- `sitemap.xml` in each language (MkDocs' own is turned off in hooks/pages.py), not in bundles.
- `citation_*` meta tags and JSON-LD in the head of resource pages (overrides/main.html's
  `extrahead` block shows `spm_head`, rendered by the autoescaping overrides/spm/_head.html).
"""

from __future__ import annotations

import os

from markupsafe import Markup
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from spm_mkdocs.priorities import priority
from spm_mkdocs.session import SESSION

from spmlib.site.feeds import FEED, FeedInput, atom_feed, newest_added
from spmlib.site.metadata import resource_metadata
from spmlib.site.opendata import DATA_CSV, DATA_JSON, DATA_SCHEMA, catalogue_csv, catalogue_json, open_data_schema_text
from spmlib.site.pagekinds import resource_path
from spmlib.site.sitemaps import SITEMAP, page_urls, sitemap_xml


def _public_address(config, build) -> str | None:
    """The site's public address, or None where there is none to give (offline bundles)."""
    if build.options.offline or not config.site_url:
        return None
    return config.site_url if config.site_url.endswith("/") else config.site_url + "/"


@event_priority(priority("reuse", "on_files"))
def on_files(files, config):
    build = SESSION.current
    if build.skipped:
        return files
    catalogue = build.catalogue
    if SESSION.open_data is None or SESSION.open_data[0] is not catalogue:
        cache = SESSION.cache  # `make serve`: the same functions, kept between builds
        data = {
            DATA_JSON: cache.catalogue_json(catalogue) if cache else catalogue_json(catalogue),
            DATA_CSV: cache.catalogue_csv(catalogue) if cache else catalogue_csv(catalogue),
            DATA_SCHEMA: open_data_schema_text(catalogue.taxonomy),
        }
        SESSION.open_data = (catalogue, data)
    for path, content in SESSION.open_data[1].items():
        files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
    site_url = _public_address(config, build)
    newest = newest_added(catalogue) if site_url else []  # the resources the feed can show
    if newest:
        paths = {}
        for resource in newest:
            target = build.find_file(resource_path(resource.id))
            if target is not None:
                paths[resource.id] = target.url
        label = catalogue.taxonomy.label("newest", build.lang)
        feed = FeedInput(build.lang, site_url, build.prefix, f"{config.site_name}: {label}", config.site_name, paths)
        generated = File.generated(config, FEED, content=atom_feed(catalogue, feed), inclusion=InclusionLevel.NOT_IN_NAV)
        generated.dest_uri = build.prefix + generated.dest_uri
        files.append(generated)
    return files


def on_page_context(context, page, config, nav):
    build = SESSION.current
    spec = build.planned.specs.get(page.file.src_uri) if not build.skipped else None
    if spec is None or spec.kind != "resource" or build.planned.env is None:
        return context
    site_url = _public_address(config, build)
    page_url = page.canonical_url if site_url else None
    meta = resource_metadata(spec.subject, build.lang, build.catalogue.taxonomy, page_url, site_url)
    context["spm_head"] = Markup(build.planned.env.get_template("_head.html").render(meta=meta))
    return context


@event_priority(priority("reuse", "on_post_build"))
def on_post_build(config):
    build = SESSION.current
    site_url = _public_address(config, build)
    if build.skipped or site_url is None or build.planned.files is None:
        return
    pages = sorted(page_urls((f.url for f in build.pages()), build.prefix))
    path = os.path.join(config.site_dir, build.prefix, SITEMAP)
    # `make serve`: an edit seldom adds or removes a page, and the sitemap lists only addresses
    key = (tuple(pages), build.prefix, tuple(build.prefixes.items()), site_url, path)
    kept = SESSION.kept
    if kept is not None and kept.sitemaps.get(build.lang) == key and os.path.isfile(path):
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(sitemap_xml(pages, build.prefix, build.prefixes, site_url))
    if kept is not None:
        kept.sitemaps[build.lang] = key
