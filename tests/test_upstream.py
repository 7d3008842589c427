"""Each internal of MkDocs, static-i18n and Material the project relies on, checked in one named place.

None of these is a public API. When an upgrade changes one of them, the test named after it
fails here, before a build behaves oddly somewhere else. hooks/spm_mkdocs/upstream.py is where
the hooks read them; overrides/main.html holds the copied template blocks.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import re
from pathlib import Path

import material
import mkdocs_static_i18n.plugin as i18n_plugin
import mkdocs_static_i18n.reconfigure as reconfigure
import pytest
from conftest import ROOT
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.config import load_config
from spm_mkdocs import priorities, upstream

MATERIAL = Path(material.__file__).parent / "templates"
BUNDLE_JS = next((MATERIAL / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def config():
    return load_config(str(ROOT / "mkdocs.yml"))


def test_static_i18n_languages_option(config):
    """upstream.language_prefixes reads `config.languages` entries with locale, default and build."""
    assert upstream.language_prefixes(config) == {"en": "", "fr": "fr/", "es": "es/", "pt": "pt/"}
    assert upstream.configured_locales(config) == ["en", "fr", "es", "pt"]


def test_static_i18n_builds_only_languages_flagged_build():
    """upstream.build_only turns off `build` on the languages `make serve LANGS=...` leaves out:
    static-i18n then neither builds them nor lists them in the switcher."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    upstream.build_only(config, ("fr",))
    i18n = config.plugins["i18n"]
    assert i18n.build_languages == ["en", "fr"]
    assert upstream.language_prefixes(config) == {"en": "", "fr": "fr/"}
    assert "if lang_config.build is False" in inspect.getsource(reconfigure.ExtendedPlugin.reconfigure_material_theme)


def test_mkdocs_lists_theme_assets_from_the_environment_loader(tmp_path):
    """upstream.list_theme_once swaps the loader of the environment MkDocs makes in build()
    (`theme.get_env`), which Files.add_files_from_theme lists: the same assets as before."""
    from mkdocs.commands import build as build_module
    from mkdocs.structure.files import Files

    assert "env = config.theme.get_env()" in inspect.getsource(build_module.build)
    assert "env.list_templates(filter_func=filter)" in inspect.getsource(Files.add_files_from_theme)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path))
    plain = Files([])
    plain.add_files_from_theme(config.theme.get_env(), config)
    listings: dict[str, list[str]] = {}
    upstream.list_theme_once(config, listings)
    for _ in range(2):  # listed, then from the listings kept
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        assert sorted(f.src_uri for f in files) == sorted(f.src_uri for f in plain)
    assert any(root.endswith(os.path.join("material", "templates")) for root in listings)
    assert not any(root.endswith("overrides") for root in listings)  # the project's own is listed each time


def test_mkdocs_serve_polls_with_the_observers_timeout(tmp_path):
    """upstream.watch_often sets the PollingObserver's `_timeout`, which MkDocs' LiveReloadServer
    schedules each watched path with."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    watched = tmp_path / "resources.yaml"
    watched.write_text("resources: []\n")
    upstream.watch_often(server, str(watched), 0.1)
    assert server.observer._timeout == 0.5  # back to MkDocs' default for anything else
    (emitter,) = server.observer.emitters
    assert emitter.timeout == 0.1
    server.unwatch(str(watched))


def test_mkdocs_serve_waits_build_delay_for_changes_to_settle(tmp_path):
    """upstream.settle_quickly lowers LiveReloadServer's `build_delay`, which its build loop waits
    after each change before building."""
    import inspect

    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert server.build_delay == 0.1
    assert "self.build_delay" in inspect.getsource(LiveReloadServer._build_loop)
    upstream.settle_quickly(server, 0.02)
    assert server.build_delay == 0.02


def test_static_i18n_current_language_attributes(config):
    """upstream.language_of reads `current_language` and `is_default_language_build`, set by its on_config."""
    i18n = config.plugins["i18n"]
    i18n.on_config(config)
    assert upstream.language_of(config) == ("en", "")
    i18n.current_language = "fr"
    assert i18n.is_default_language_build is False
    assert upstream.language_of(config) == ("fr", "fr/")


def test_static_i18n_sets_the_switcher_as_an_attribute():
    """hooks/pages.py replaces `config.extra.alternate` the way static-i18n sets it: as an attribute."""
    source = inspect.getsource(reconfigure)
    assert "config.extra.alternate = deepcopy(self.extra_alternate)" in source


def test_static_i18n_builds_other_languages_in_post_build():
    """The nested builds that make the hooks keep a stack of language builds (spm_mkdocs.session)."""
    source = inspect.getsource(i18n_plugin.I18n.on_post_build)
    assert "build(" in source


@pytest.mark.parametrize("row", [r for r in priorities.TABLE if r.owner == "static-i18n"], ids=lambda r: r.event)
def test_static_i18n_priorities(row):
    handler = getattr(i18n_plugin.I18n, row.event)
    assert getattr(handler, "mkdocs_priority", 0) == row.priority


def test_material_search_priority():
    row = next(r for r in priorities.TABLE if r.owner == "material-search")
    assert getattr(getattr(SearchPlugin, row.event), "mkdocs_priority", 0) == row.priority


@pytest.mark.parametrize("row", [r for r in priorities.TABLE if r.owner not in ("static-i18n", "material-search")], ids=str)
def test_hooks_declare_the_table_priority(row):
    """Every row for a hook of ours is a real handler with that priority (0 when undecorated)."""
    path = ROOT / "hooks" / f"{row.owner}.py"
    spec = importlib.util.spec_from_file_location(f"spm_hook_{row.owner}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert getattr(getattr(module, row.event), "mkdocs_priority", 0) == row.priority


def test_every_prioritised_hook_handler_is_in_the_table():
    for path in (ROOT / "hooks").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for event in re.findall(r"@event_priority\(priority\(\"\w+\", \"(\w+)\"\)\)", text):
            assert priorities.priority(path.stem, event) is not None
        assert "@event_priority(" not in re.sub(r"@event_priority\(priority\(", "", text), (
            f"{path.name}: a priority outside the table"
        )


def test_material_search_index_entries_and_settings():
    """i18n_search takes each page's entries from `search_index.entries` and the settings from its `config`."""
    index = SearchIndex(separator="[\\s]+", pipeline=["stemmer"], fields={"title": {"boost": 1000}}, lang=["en"])
    assert index.entries == []
    assert {key: index.config[key] for key in ("separator", "pipeline", "fields")}
    assert "search_index = SearchIndex(" in inspect.getsource(SearchPlugin.on_config)
    assert "add_entry_from_context" in inspect.getsource(SearchPlugin.on_page_context)


def test_static_i18n_merges_search_entries_from_its_store(config):
    """upstream.forget_merged_search_entries empties `search_entries`, the list static-i18n extends
    after each language and merges into one root index at the end of the first."""
    i18n = config.plugins["i18n"]
    assert i18n.search_entries == []
    assert "self.search_entries.extend(entries)" in inspect.getsource(reconfigure.ExtendedPlugin.extend_search_entries)
    assert "search_index_entries.extend(self.search_entries)" in inspect.getsource(
        reconfigure.ExtendedPlugin.reconfigure_search_index
    )
    i18n.search_entries.append({"location": "x/"})
    upstream.forget_merged_search_entries(config)
    assert i18n.search_entries == []


# sha256 of the blocks of Material's base.html that overrides/main.html copies and changes.
COPIED_BLOCKS = {
    "site_meta": "e306b9472bf91403943802f57b9a77a72eabbd2612dfcf341a7c228d6aa8223f",
    "site_nav": "08b0b8418133d46ea078a7737f096bed62048ed4be5f9c1ba790b3cd3f498cbc",
}


@pytest.mark.parametrize("block", sorted(COPIED_BLOCKS))
def test_copied_material_blocks_are_unchanged_upstream(block):
    """If this fails, Material changed a block main.html copies: copy it again, keep our changes, update the hash."""
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    found = re.search(r"\{% block " + block + r" %\}.*?\{% endblock %\}", base, re.S)
    assert found, f"Material's base.html has no block {block}"
    assert hashlib.sha256(found.group(0).encode()).hexdigest() == COPIED_BLOCKS[block]
    assert f"{{% block {block} %}}" in (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")


def test_material_loads_extra_polyfills():
    """Bundles make Material's search worker run from file:// through `extra.polyfills` (spmlib.outputs.bundle)."""
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    assert re.search(r"\{% for script in config\.extra\.polyfills %\}\s*\{\{ script \| script_tag \}\}", base)


def test_material_takes_and_deletes_q_from_the_address():
    """explorer/url.js hides `q` from Material, which opens its search box for it and then deletes it."""
    assert re.search(r'\{searchParams:(\w+)\}=\w+\(\);\1\.has\("q"\)', BUNDLE_JS)
    assert 'searchParams.delete("q")' in BUNDLE_JS


def test_material_fetches_the_search_index_by_xhr():
    """lazy-search.js holds back the one XMLHttpRequest for search/search_index.json; from file://
    Material loads search_index.js and reads `__index` instead."""
    assert BUNDLE_JS.count("new XMLHttpRequest") == 1
    assert 'search_index.json",' in BUNDLE_JS
    assert re.search(r'search_index\.js",\w+\.base\)\}`\)\.pipe\(\w+\(\(\)=>__index\)', BUNDLE_JS)


def test_mkdocs_renders_404_and_sitemap_at_the_root(config):
    """hooks/pages.py renders 404.html in each language's build (under its folder but the default's) and
    sitemap.xml in none, through `theme.static_templates`."""
    assert {"404.html", "sitemap.xml"} <= upstream.root_templates(config)


def test_mkdocs_writes_no_root_template_whose_output_is_empty(tmp_path):
    """upstream.write_instead: a language's 404 page goes under its folder, and the empty output
    it hands back keeps MkDocs from writing over the root's (`if output.strip():`)."""
    import mkdocs.commands.build as mkdocs_build

    source = inspect.getsource(mkdocs_build._build_theme_template)
    assert "output = _build_template(template_name, template, files, config, nav)" in source
    assert "if output.strip():" in source and "os.path.join(config.site_dir, template_name)" in source

    class Config:
        site_dir = str(tmp_path)

    assert upstream.write_instead(Config(), "fr/404.html", "<p>introuvable</p>") == ""
    assert (tmp_path / "fr" / "404.html").read_text(encoding="utf-8") == "<p>introuvable</p>"


def test_material_passes_the_index_config_to_its_worker_as_is():
    """spmlib/site/searchindex.py stores resource documents under `config.spm_docs`: Material's page
    script hands `config` and `docs` (and nothing else of the file) to the worker's SETUP message,
    where search-fold.js turns them back into documents."""
    assert re.search(r"subscribe\(\(\{config:(\w+),docs:(\w+)\}\)=>\w+\.next\(\{type:0,data:\{config:\1,docs:\2,", BUNDLE_JS)


def test_mkdocs_asks_each_file_whether_it_changed_in_a_dirty_build():
    """upstream.set_modified: a dirty build renders a page only when `page.file.is_modified()`
    says so, and a File takes a method of its own (it has no __slots__)."""
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.structure.files import File

    assert "if dirty and not page.file.is_modified():" in inspect.getsource(mkdocs_build)
    file = File("a.md", "/docs", "/site", use_directory_urls=True)
    upstream.set_modified(file, lambda: False)
    assert file.is_modified() is False


def test_a_theme_keeps_what_the_hooks_set_on_it(config):
    """upstream.first_root_templates keeps its set on the config's theme, the same object in
    every language's build of one config."""
    assert upstream.first_root_templates(config, {"404.html"}) == {"404.html"}
    assert upstream.first_root_templates(config, set()) == {"404.html"}
    del config.theme.spm_root_templates
