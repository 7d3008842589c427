"""MkDocs hook: generate the dimension, standard, type, topic and resource pages.

Pages are added after static-i18n has sorted the hand-written files into languages
(priority below its -100), because it rebuilds File objects from their source paths and
would drop in-memory content. Each language build therefore only generates its own pages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from markupsafe import escape
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from spmlib import build
from spmlib.explorer import explorer_context
from spmlib.render import BYTECODE, make_environment
from spmlib.site import ABOUT, EXPLORER_DATA, HOME, PageSpec, View, nav_tree, page_fingerprints, plan_pages

_state: dict = {}
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")


_ROOT_TEMPLATES = {"404.html", "sitemap.xml"}


def _keep_root_templates(config, prefix: str) -> None:
    """Render 404.html and sitemap.xml in the default language build only.

    static-i18n's later language builds would each overwrite them at the root, leaving the
    last language's 404 page there (each language has its own sitemap, see i18n_search.py).
    """
    templates = config.theme.static_templates
    if not hasattr(config.theme, "spm_root_templates"):
        config.theme.spm_root_templates = templates & _ROOT_TEMPLATES
    if prefix:
        templates.difference_update(_ROOT_TEMPLATES)
    else:
        templates.update(config.theme.spm_root_templates)


@event_priority(-110)
def on_files(files, config):
    lang, prefix = build.language_of(config)
    _keep_root_templates(config, prefix)
    if build.skipped(config):
        # A parallel build: another process makes this language. Only its home page is kept,
        # because static-i18n insists on one; the merge leaves it out.
        home = File.generated(config, "index.md", content="# -\n")
        home.dest_uri = prefix + home.dest_uri
        config["nav"] = ["index.md"]
        _state.clear()
        _state["skipped"] = True
        return Files([home])
    _state["skipped"] = False
    catalogue = build.current()
    documents = {link.url for r in catalogue.resources for link in r.links if link.is_local}
    if prefix:
        # static-i18n copies every file of docs/ into each language's folder; the catalogue's
        # documents are linked from every language to the one copy at the root instead.
        for file in [f for f in files if f.src_uri in documents and not f.is_documentation_page()]:
            files.remove(file)
    bundle = build.options(config).get("bundle")
    plan = plan_pages(catalogue, lang, bundle=bool(bundle))
    fingerprints = page_fingerprints(plan, catalogue, _salt(config, plan, lang))
    src_of: dict[str, str] = {}
    specs: dict[str, PageSpec] = {}
    for spec in plan:
        # Like static-i18n's translated files: source path without the language, output under it,
        # so that links between pages resolve the same way in every language.
        generated = File.generated(config, spec.path, content="", inclusion=inclusion_of(spec))
        generated.dest_uri = prefix + generated.dest_uri
        _track(generated, fingerprints[spec.key])
        files.append(generated)
        src_of[spec.key] = spec.path
        specs[spec.path] = spec
    for key, stem in ((HOME, "index"), (ABOUT, "about")):
        for candidate in (f"{prefix}{stem}.html", f"{prefix}{stem}/index.html"):
            found = next((f for f in files.documentation_pages() if f.dest_uri == candidate), None)
            if found:
                src_of[key] = found.src_uri
                if key == HOME:  # it shows catalogue lists, whatever the date of index.md
                    _track(found, fingerprints.get("all", ""), found.is_modified)
                break
    config["nav"] = nav_tree(plan, catalogue.taxonomy, lang, src_of.get)
    if "env" not in _state or _state.get("template_dir") != _template_dir(config):
        _state["template_dir"] = _template_dir(config)
        _state["env"] = make_environment(_state["template_dir"])
    prefixes = build.language_prefixes(config)
    _state.update(
        urls={},
        bundle=bundle,
        documents=documents,
        prefixes=prefixes,
        lang=lang,
        prefix=prefix,
        src_of=src_of,
        specs=specs,
        files=files,
        catalogue=catalogue,
    )
    return files


def _salt(config, plan: list[PageSpec], lang: str) -> str:
    """What every page shows: navigation labels and order, language, templates, taxonomy, options."""
    # pages outside the navigation (resources) appear on no other page's sidebar or footer
    parts = [lang, repr([(p.key, p.title) for p in plan if p.in_nav]), repr(build.options(config))]
    for folder in (Path(config.theme.custom_dir), build.settings_from(config).taxonomy):
        parts += [f"{p}:{p.stat().st_mtime_ns}" for p in sorted(folder.rglob("*")) if p.is_file()]
    return "\n".join(parts)


def _track(file: File, fingerprint: str, also=None) -> None:
    """Make `file.is_modified()` say whether the page must be rendered again in a dirty build."""

    def is_modified() -> bool:
        if also is not None and also():
            return True
        return build.rendered_fingerprints.get(file.dest_uri) != fingerprint or not os.path.isfile(file.abs_dest_path)

    file.is_modified = is_modified
    file.spm_fingerprint = fingerprint


def on_post_build(config):
    for file in _state.get("files") or []:
        fingerprint = getattr(file, "spm_fingerprint", None)
        if fingerprint is not None:
            build.rendered_fingerprints[file.dest_uri] = fingerprint


def on_env(env, config, files):
    """Give main.html what it needs to reuse the sidebar of pages outside the navigation."""
    cache: dict = {}
    specs = _state.get("specs", {})

    def nav_key(page):
        spec = specs.get(page.file.src_uri) if page is not None else None
        if spec is None or spec.in_nav or spec.kind != "resource":
            return None
        return page.url.count("/")

    env.globals["spm_nav_key"] = nav_key
    env.globals["spm_nav_cache"] = cache
    env.bytecode_cache = BYTECODE
    return env


def inclusion_of(spec: PageSpec) -> InclusionLevel:
    return InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV


def _template_dir(config) -> Path:
    return Path(config.theme.custom_dir) / "spm"


def on_page_markdown(markdown, page, config, files):
    spec = _state.get("specs", {}).get(page.file.src_uri)
    if spec is None:
        return None
    # Material prints titles unescaped; catalogue text must reach it already escaped.
    page.title = str(escape(spec.title))
    if spec.kind == "resource":
        page.meta.setdefault("hide", ["toc"])
    return markdown


def on_page_content(html, page, config, files):
    if _state.get("skipped"):
        return None
    spec = _state.get("specs", {}).get(page.file.src_uri)
    view = View(_state["catalogue"], _state["lang"], _resolver(page))
    if spec is not None:
        html = _render(spec, view)
        page.toc = _toc(html)
        return html
    if _state["src_of"].get(HOME) == page.file.src_uri:
        catalogue = _state["catalogue"]
        featured = view.sorted_by_title(catalogue.featured)
        return html + _state["env"].get_template("home.html").render(v=view, featured=featured, newest=catalogue.newest(6))
    return None


# Blocks marked data-search-exclude that the search indexer would parse only to skip: card
# lists and the explorer hold most of a listing page's HTML, and parsing them was a quarter
# of the build. No nested <ul> in a card list, no nested <section> in the explorer.
_UNSEARCHED = re.compile(r'<(ul|section) class="spm-(?:cards|explorer)"[^>]*data-search-exclude[^>]*>.*?</\1>', re.S)


@event_priority(10)  # before Material's search plugin (0); i18n_search.py puts the content back after it
def on_page_context(context, page, config, nav):
    """Point the language switcher of generated pages and the home page at the same page in each language.

    Links stay relative (static-i18n gives the home pages absolute ones such as "/fr/"),
    so the site works under any sub-path and from file://.
    """
    if _state.get("skipped"):
        return context
    if page.content and "data-search-exclude" in page.content:
        page.spm_full_content = page.content
        page.content = _UNSEARCHED.sub("", page.content)
    spec = _state.get("specs", {}).get(page.file.src_uri)
    # static-i18n sets `config.extra.alternate` as an attribute, which Jinja reads before the
    # mapping item, and only for the files it knows; read and replace it the same way.
    alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate")
    is_home = page.file.src_uri == _state.get("src_of", {}).get(HOME)
    if (spec is None and not is_home) or not alternates:
        return context
    rest = page.file.url[len(_state["prefix"]) :]
    prefixes = _state["prefixes"]
    config.extra.alternate = [
        {**alt, "link": prefixes[alt["lang"]] + rest or "./"} for alt in alternates if alt["lang"] in prefixes
    ]
    return context


def _resolver(page):
    files = _state["files"]
    urls = _state["urls"]  # key -> URL of its page, per language build (reset in on_files)

    def link(key: str) -> str | None:
        if key not in urls:
            if key.startswith("file:"):
                path = key[5:]
                if path in _state["documents"]:  # the root copy, in every language (see on_files)
                    urls[key] = quote(path)
                else:
                    target = files.get_file_from_path(path)
                    urls[key] = target.url if target else None
            else:
                uri = _state["src_of"].get(key)
                target = files.get_file_from_path(uri) if uri else None
                urls[key] = target.url if target else None
        url = urls[key]
        return get_relative_url(url, page.url) if url is not None else None

    return link


def _render(spec: PageSpec, view: View) -> str:
    env = _state["env"]
    catalogue = view.catalogue
    lang = view.lang
    tax = catalogue.taxonomy
    if spec.kind == "resource":
        return env.get_template("resource.html").render(v=view, r=spec.obj)
    if spec.kind == "standard":
        return env.get_template("standard.html").render(v=view, s=spec.obj, resources=catalogue.by_standard[spec.obj.code])
    if spec.kind == "dimension":
        return env.get_template("dimension.html").render(v=view, d=spec.obj)
    if spec.kind == "dimensions":
        return env.get_template("dimensions.html").render(v=view)
    listing = env.get_template("listing.html")
    if spec.kind == "type":
        return listing.render(
            v=view,
            title=spec.title,
            anchor=f"type-{spec.obj.code}",
            intro=spec.obj.description[lang],
            resources=view.sorted_by_title(catalogue.by_type[spec.obj.code]),
        )
    if spec.kind == "topic":
        return listing.render(
            v=view,
            title=spec.title,
            anchor=f"topic-{spec.obj}",
            intro=None,
            resources=view.sorted_by_title(catalogue.by_topic[spec.obj]),
        )
    if spec.kind == "bundle":
        return env.get_template("bundle.html").render(v=view, title=spec.title, info=_state["bundle"])
    if spec.kind == "all":
        context = explorer_context(view, view.link("file:" + EXPLORER_DATA), view.link("file:assets/javascripts/explorer.js"))
        return env.get_template("explorer.html").render(title=spec.title, **context)
    index = env.get_template("index.html")
    if spec.kind == "types":
        entries = [(f"type:{t.code}", t.plural[lang], t.description[lang], len(catalogue.by_type[t.code])) for t in tax.types]
        return index.render(v=view, title=spec.title, anchor="types", entries=entries)
    if spec.kind == "topics":
        entries = sorted(
            ((f"topic:{slug}", tax.topic_name(slug, lang), None, len(catalogue.by_topic[slug])) for slug in catalogue.topics()),
            key=lambda e: e[1].casefold(),
        )
        return index.render(v=view, title=spec.title, anchor="topics", entries=entries)
    raise ValueError(f"no template for page kind {spec.kind!r}")


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
