"""MkDocs hook: turn the page plan of each language (spmlib.site.pagekinds) into MkDocs files and navigation.

Pages are added after static-i18n has sorted the hand-written files into languages
(priority below its -100), because it rebuilds File objects from their source paths and
would drop in-memory content. Each language build therefore only generates its own pages.
What each page shows is decided in spmlib; here are only files, URLs and MkDocs' events.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup, escape
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from spm_mkdocs import indexing, upstream
from spm_mkdocs.priorities import priority
from spm_mkdocs.session import SESSION, LanguageBuild

from spmlib.model.coverage import LINK_REPORT, read_link_report
from spmlib.serve.serveparts import PLACEHOLDERS
from spmlib.site import docspages, notfound, pagekinds
from spmlib.site.pagekinds import generated, nav_tree, page_fingerprints, plan_pages
from spmlib.site.render import BYTECODE, squeeze
from spmlib.site.view import View

log = logging.getLogger("mkdocs.hooks.pages")
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
_ROOT_TEMPLATES = {"404.html"}


def _keep_root_templates(config, files: Files, skipped: bool) -> None:
    """Render 404.html in every language this process builds, and MkDocs' sitemap.xml in none.

    MkDocs writes it at the root; the builds of other languages write theirs under their
    folder instead (on_post_template), and the placeholder of a language another process
    builds (spmlib.processes.parallel, .serveparts) writes none, or it would overwrite the
    real one. Every language's sitemap is written by hooks/reuse.py.
    """
    templates = upstream.root_templates(config)
    templates.discard("sitemap.xml")
    # static-i18n's sitemap template, once not rendered, would be copied as it is by the builds
    # of the other languages (they share the config) over the one hooks/reuse.py writes
    stray = files.get_file_from_path("sitemap.xml")
    if (
        stray is not None
        and not stray.is_documentation_page()
        and stray.abs_src_path
        and not Path(stray.abs_src_path).resolve().is_relative_to(Path(config.docs_dir).resolve())
    ):
        files.remove(stray)
    first = upstream.first_root_templates(config, templates & _ROOT_TEMPLATES)
    if skipped:
        templates.difference_update(_ROOT_TEMPLATES)
    else:
        templates.update(first)


@event_priority(priority("pages", "on_files"))
def on_files(files, config):
    build = SESSION.current
    _keep_root_templates(config, files, build.skipped)
    if build.skipped:
        return _placeholder(config, build)
    catalogue = build.catalogue
    build.planned.documents = {link.url for r in catalogue.resources for link in r.links if link.is_local}
    if build.prefix:
        # static-i18n copies every file of docs/ into each language's folder; the catalogue's
        # documents are linked from every language to the one copy at the root instead.
        for file in [f for f in files if f.src_uri in build.planned.documents and not f.is_documentation_page()]:
            files.remove(file)
    upstream.set_permalink_title(config, catalogue.taxonomy.label("permalink", build.lang))
    bundle = build.options.bundle
    health = _link_health(build)
    library = None if build.options.offline else build.options.library
    plan = plan_pages(catalogue, build.lang, bundle=dict(bundle.info) if bundle else None, link_health=health, library=library)
    build.planned.plan = plan
    # the coverage page shows the link report: a new one renders it again in `make serve`
    salt = _salt(config, build) + "\n" + repr(health and (health.checked, sorted(health.broken)))
    build.planned.salt = hashlib.blake2b(salt.encode(), digest_size=12).hexdigest()
    _add_generated(config, files, build, page_fingerprints(build.planned.plan, catalogue, salt))
    _find_hand_written(files, build)
    config["nav"] = nav_tree(build.planned.plan, build.planned.src_of.get)
    build.planned.env = SESSION.environment(Path(config.theme.custom_dir) / "spm")
    build.prefixes = upstream.language_prefixes(config)
    build.planned.files = files
    return files


def _link_health(build: LanguageBuild):
    """What the last `make links` report says, for the coverage page; a damaged report is left
    out with a line in the log, at INFO: it is a by-product of a local run, and a strict build
    must not fail on it (nor a bundle, which has no coverage page)."""
    if build.options.bundle is not None:
        return None
    health, warning = read_link_report(build.options.root / LINK_REPORT)
    if warning and not build.prefix:  # once, not once per language
        log.info(warning)
    return health


def _placeholder(config, build: LanguageBuild) -> Files:
    """A parallel build: another process makes this language. Only its home page is kept,
    because static-i18n insists on one; the merge leaves it out."""
    home = File.generated(config, "index.md", content="# -\n")
    home.dest_uri = build.prefix + home.dest_uri
    if build.options.serve_part or SESSION.workers.own_languages is not None:
        # `make serve` with workers: the folder is served, and that language is built there
        home.dest_uri = PLACEHOLDERS + home.dest_uri
    config["nav"] = ["index.md"]
    return Files([home])


def _add_generated(config, files: Files, build: LanguageBuild, fingerprints: dict[str, str]) -> None:
    """A File for every generated page of the plan, but those `make serve` has already written
    as they still are (see _still_written), which go to `build.planned.left_out`."""
    # `make serve`: the last build's files of this language
    kept = SESSION.kept
    last = kept.page_files.setdefault(_page_files_key(config, build), {}) if kept is not None else {}
    index: dict[str, File] = {}
    for spec in generated(build.planned.plan):
        fingerprint = fingerprints[spec.key]
        file = last.get(spec.path)
        if file is not None and not spec.in_nav and _still_written(file, fingerprint):
            build.planned.left_out.append(file)
        else:
            # Like static-i18n's translated files: source path without the language, output under
            # it, so that links between pages resolve the same way in every language.
            inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, spec.path, content="", inclusion=inclusion)
            file.dest_uri = build.prefix + file.dest_uri
            _track(build, file, fingerprint)
            files.append(file)
        index[spec.path] = file
        build.planned.src_of[spec.key] = spec.path
        build.planned.specs[spec.path] = spec
    build.planned.file_index = index
    if kept is not None:
        last.clear()
        last.update(index)


def _find_hand_written(files: Files, build: LanguageBuild) -> None:
    """The plan's hand-written pages (docs/), found among MkDocs' files by where they are written."""
    prefix = build.prefix
    by_dest = {f.dest_uri: f for f in files.documentation_pages()}
    for spec in build.planned.plan:
        if pagekinds.by_name()[spec.kind].hand_written:
            found = by_dest.get(f"{prefix}{spec.path}.html") or by_dest.get(f"{prefix}{spec.path}/index.html")
            if found is not None:
                build.planned.src_of[spec.key] = found.src_uri
                build.planned.specs[found.src_uri] = spec
    for file in files.documentation_pages():
        if file.src_uri not in build.planned.specs or pagekinds.by_name()[build.planned.specs[file.src_uri].kind].hand_written:
            # Hand-written pages are few, and MkDocs takes their titles from their text: skipped
            # by a dirty build (`make serve`), they would show as "None" in the tabs and sidebar.
            upstream.set_modified(file, lambda: True)


def _page_files_key(config, build: LanguageBuild) -> tuple:
    """What a generated page's File depends on besides its path: its URL and where it is written."""
    return (build.lang, build.prefix, config.use_directory_urls, config.docs_dir, config.site_dir)


def _still_written(file: File, fingerprint: str) -> bool:
    """Whether the last build wrote this page as it would be now, and the file is still there.

    Such a page is left out of MkDocs' files in `make serve`: with thousands of resource pages,
    MkDocs' navigation, page objects and dirty checks of pages it would not render anyway were
    most of an edit's second. Links to it still resolve (LanguageBuild.find_file), and it stays
    in the sitemap and search index (LanguageBuild.pages). Only pages outside the navigation are
    left out: the sidebar needs every page in it.
    """
    kept = SESSION.kept
    return kept is not None and kept.written.get(file.dest_uri) == fingerprint and os.path.isfile(file.abs_dest_path)


def _salt(config, build: LanguageBuild) -> str:
    """What every page shows: navigation labels and order, language, templates, taxonomy, options."""
    # pages outside the navigation (resources) appear on no other page's sidebar or footer
    parts = [build.lang, repr([(p.key, p.title) for p in build.planned.plan if p.in_nav]), repr(build.options)]
    for folder in (Path(config.theme.custom_dir), build.options.taxonomy):
        parts += [f"{p}:{p.stat().st_mtime_ns}" for p in sorted(folder.rglob("*")) if p.is_file()]
    return "\n".join(parts)


def _track(build: LanguageBuild, file: File, fingerprint: str) -> None:
    """Make `file.is_modified()` say whether the page must be rendered again in a dirty build,
    and note what it is written from for the next build (on_post_build)."""
    upstream.set_modified(file, lambda: not _still_written(file, fingerprint))
    build.planned.fingerprints[file.dest_uri] = fingerprint


@event_priority(priority("pages", "on_post_build"))
def on_post_build(config):
    build, kept = SESSION.current, SESSION.kept
    if kept is None:  # a full build: no next build to tell
        return
    for file in build.planned.files or []:
        fingerprint = build.planned.fingerprints.get(file.dest_uri)
        if fingerprint is not None:
            kept.written[file.dest_uri] = fingerprint


def on_env(env, config, files):
    """Give main.html what it needs to reuse the sidebar of resource pages (see its site_nav block)
    and to squeeze the whitespace out of Material's header and sidebars (spmlib.site.render.squeeze),
    and the footer and 404 page in this build's language."""
    build = SESSION.current
    specs = build.planned.specs

    def nav_key(page):
        spec = specs.get(page.file.src_uri) if page is not None else None
        if spec is None or spec.in_nav or spec.kind != "resource":
            return None
        return page.url.count("/")

    env.globals["spm_nav_key"] = nav_key
    env.globals["spm_nav_cache"] = build.rendering.nav_cache
    env.bytecode_cache = BYTECODE
    env.filters["spm_squeeze"] = squeeze
    if build.planned.env is not None:  # not in the placeholder builds of a parallel build
        view = View(build.catalogue, build.lang, lambda key: None, links=build.options.links)
        credit = config.extra.get("generator", True) is not False  # Material's switch for its credit
        footer = build.planned.env.get_template("footer.html").render(
            v=view, description=config.site_description or "", credit=credit
        )
        env.globals["spm_footer"] = Markup(footer)
        # links relative to the language's home, which lazy-search.js resolves from each page
        home = View(build.catalogue, build.lang, _resolver(build, build.prefix), links=build.options.links)
        env.globals["spm_search_more"] = Markup(build.planned.env.get_template("search-more.html").render(v=home))
        _not_found(env, build, config)
    return env


def _not_found(env, build: LanguageBuild, config) -> None:
    """This language's 404 page, for overrides/404.html: its message, its script in the head, and
    the one that points its search at this language's index."""
    page = notfound.not_found(build.catalogue.taxonomy, build.lang, build.prefixes, config.site_url, config.use_directory_urls)
    templates = build.planned.env
    env.globals["spm_not_found"] = Markup(templates.get_template("notfound.html").render(page=page))
    head = templates.get_template("notfound-head.html").render(page=page, missed=notfound.MISSED)
    env.globals["spm_not_found_head"] = Markup(head)
    env.globals["spm_not_found_search"] = Markup(templates.get_template("notfound-search.html").render(page=page))


def on_template_context(context, template_name, config):
    """Point the 404 page's language switcher at each language's home page: it is rendered after
    every page, and would otherwise link to the same page as the last page rendered."""
    build = SESSION.current
    alternates = upstream.alternates(config)
    if template_name in _ROOT_TEMPLATES and not build.skipped and alternates:
        path, prefixes = notfound.site_path(config.site_url), build.prefixes
        upstream.set_alternates(
            config, [{**alt, "link": path + prefixes[alt["lang"]]} for alt in alternates if alt["lang"] in prefixes]
        )
    return context


def on_post_template(output, template_name, config):
    """Write a language's 404 page in its folder (fr/404.html), rather than over the root's."""
    build = SESSION.current
    if template_name in _ROOT_TEMPLATES and build.prefix and not build.skipped:
        return upstream.write_instead(config, build.prefix + template_name, output)
    return output


def on_nav(nav, config, files):
    """Give every generated page of the navigation its title before any page is rendered.

    Pages heading a section are listed by URI alone, so MkDocs takes their titles from their
    text when it reads it; a dirty build (`make serve`) reads only the pages an edit changed,
    and the footer of those would name an unread neighbour "None".
    """
    build = SESSION.current
    if build.skipped:
        return nav
    for page in nav.pages:
        spec = build.planned.specs.get(page.file.src_uri)
        if spec is not None and not pagekinds.by_name()[spec.kind].hand_written and spec.title is not None:
            page.title = str(escape(spec.title))
    return nav


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by is None:  # a page of docs/ (static-i18n's copies in other languages too)
        # Material prints front matter as it is, and `template:` would pick any of its templates
        page.meta = docspages.clean_meta(page.meta)[0]
        return None
    spec = SESSION.current.planned.specs.get(page.file.src_uri)
    if spec is None or pagekinds.by_name()[spec.kind].hand_written:
        return None
    # Material prints titles unescaped; catalogue text must reach it already escaped.
    page.title = str(escape(spec.title))
    if spec.kind in ("resource", "all"):  # the explorer needs the width for its filters
        page.meta.setdefault("hide", ["toc"])
    return markdown


def on_page_content(html, page, config, files):
    build = SESSION.current
    if build.skipped:
        return None
    if page.file.generated_by is None:  # a page of docs/: untrusted, unlike the templates' output
        html = _sanitised(html, page, config)
    spec = build.planned.specs.get(page.file.src_uri)
    if spec is None:
        return html
    kind = pagekinds.by_name()[spec.kind]
    address = None if build.options.offline else page.canonical_url
    steps = SESSION.cache.view_steps(build.catalogue, build.planned.salt) if SESSION.cache else None  # `make serve`: kept
    links = build.options.links
    view = View(build.catalogue, build.lang, _resolver(build, page.url), build.options.docs_dir, links, address, steps)
    if kind.hand_written:
        return pagekinds.render_hand_written(spec, view, build.planned.env, html)
    rendered = pagekinds.render(spec, view, build.planned.env)
    page.toc = _toc(rendered)
    return rendered


def _sanitised(html: str, page, config) -> str:
    """The HTML of a page of docs/ as spmlib.site.docspages allows it, and its title as text."""
    cleaned, removed = docspages.sanitise(html)
    if page.title:
        page.title = docspages.clean_text(page.title)
    if removed:
        source = os.path.relpath(page.file.abs_src_path, config.docs_dir) if page.file.abs_src_path else page.file.src_uri
        log.info(docspages.summary(f"docs/{Path(source).as_posix()}", removed))
    return cleaned


@event_priority(priority("pages", "on_page_context"))
def on_page_context(context, page, config, nav):
    """Hide unsearched blocks from the indexer, and point the language switcher of generated
    pages and the home page at the same page in each language.

    Links stay relative (static-i18n gives the home pages absolute ones such as "/fr/"),
    so the site works under any sub-path and from file://.
    """
    build = SESSION.current
    if build.skipped:
        return context
    indexing.hide(build, page)
    spec = build.planned.specs.get(page.file.src_uri)
    alternates = upstream.alternates(config)
    if spec is None or spec.kind == "about" or not alternates:
        return context
    rest = page.file.url[len(build.prefix) :]
    prefixes = build.prefixes
    upstream.set_alternates(
        config, [{**alt, "link": prefixes[alt["lang"]] + rest or "./"} for alt in alternates if alt["lang"] in prefixes]
    )
    return context


def _resolver(build: LanguageBuild, from_url: str):
    """Relative URLs of pages by key, from the page whose URL is `from_url`."""
    urls = build.rendering.urls  # key -> URL of its page, per language build
    find = build.find_file

    def link(key: str) -> str | None:
        if key not in urls:
            if key.startswith("site:"):  # a file put in the site after the build (`make publish`'s offline/)
                urls[key] = quote(key[5:])
            elif key.startswith("file:"):
                path = key[5:]
                if path in build.planned.documents:  # the root copy, in every language (see on_files)
                    urls[key] = quote(path)
                else:
                    target = find(path)
                    urls[key] = target.url if target else None
            else:
                uri = build.planned.src_of.get(key)
                target = find(uri) if uri else None
                urls[key] = target.url if target else None
        url = urls[key]
        return get_relative_url(url, from_url) if url is not None else None

    return link


def _toc(html: str):
    """A table of contents from the h2/h3 headings of a generated page."""
    tokens: list[dict] = []
    for level, anchor, inner in _HEADING.findall(html):
        item = {"level": int(level), "id": anchor, "name": _TAG.sub("", inner).strip(), "children": []}
        if item["level"] == 3 and tokens:
            tokens[-1]["children"].append(item)
        else:
            tokens.append(item)
    return get_toc(tokens)
