"""spmlib.serve.memo.ResourceMemo: per-resource results survive a reload of an unchanged entry, and only that;
and spmlib.serve.cached's versions of the site's functions give what the pure ones give."""

from __future__ import annotations

from conftest import FIXTURES

from spmlib.model.catalogue import load_catalogue
from spmlib.serve.cached import ServeCache
from spmlib.serve.memo import ResourceMemo

TEXT = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8")


def _load(taxonomy, tmp_path, text):
    path = tmp_path / "resources.yaml"
    path.write_text(text, encoding="utf-8")
    return load_catalogue(path, taxonomy, FIXTURES / "docs")


def test_results_are_kept_by_what_a_resource_says(taxonomy, tmp_path):
    memo, calls = ResourceMemo(), []

    def run(catalogue, lang="en"):
        return [
            memo.get("title", lang, catalogue, r, lambda r=r: calls.append(r.id) or r.title.get("en"))
            for r in catalogue.resources
        ]

    memo.follow("taxonomy-1")
    first = _load(taxonomy, tmp_path, TEXT)
    assert run(first) == [r.title.get("en") for r in first.resources]
    assert len(calls) == len(first.resources)
    calls.clear()
    # the same file read again, a line added above every entry: nothing is worked out again
    memo.follow("taxonomy-1")
    moved = _load(taxonomy, tmp_path, TEXT.replace("resources:\n", "resources:\n# note\n", 1))
    run(moved)
    assert calls == []
    # one entry edited: that one only; another language: worked out for that language
    memo.follow("taxonomy-1")
    edited = _load(taxonomy, tmp_path, TEXT.replace("Smart Operations Tool", "Smart Operations Toolkit", 1))
    assert "Smart Operations Toolkit" in run(edited)
    assert calls == ["smart-operations-tool"]
    calls.clear()
    run(edited, "fr")
    assert len(calls) == len(edited.resources)
    # the taxonomy changed (labels, synonyms): everything again
    calls.clear()
    memo.follow("taxonomy-2")
    run(edited)
    assert len(calls) == len(edited.resources)


def test_results_of_entries_edited_away_are_dropped(taxonomy, tmp_path):
    memo = ResourceMemo()
    memo.follow("t")
    catalogue = _load(taxonomy, tmp_path, TEXT)
    for r in catalogue.resources:
        memo.get("x", "en", catalogue, r, lambda: 1)
    size = len(memo)
    memo.follow("t")
    edited = _load(taxonomy, tmp_path, TEXT.replace("Smart Operations Tool", "Smart Operations Toolkit", 1))
    for r in edited.resources:
        memo.get("x", "en", edited, r, lambda: 1)
    memo.follow("t")  # the next build keeps what this one used, not the old version of the entry
    assert len(memo) == size


def test_a_cached_function_works_once_per_content_and_step(taxonomy, tmp_path):
    cache, calls = ServeCache(), []
    cache.resources.follow("t")
    catalogue = _load(taxonomy, tmp_path, TEXT)
    kept = cache.per_resource("x", "en", catalogue, lambda r, suffix: calls.append(r.id) or r.id + suffix)
    first = catalogue.resources[0]
    assert kept(first, "!") == kept(first, "!") == first.id + "!"
    assert calls == [first.id]
    assert cache.per_resource("y", "en", catalogue, lambda r: calls.append(r.id))(first) is None
    assert calls == [first.id, first.id]


def test_open_data_from_the_memo_is_what_a_full_build_writes(taxonomy, tmp_path):
    from spmlib.site.opendata import catalogue_csv, catalogue_json

    cache = ServeCache()
    cache.resources.follow("t")
    first = _load(taxonomy, tmp_path, TEXT)
    assert (cache.catalogue_json(first), cache.catalogue_csv(first)) == (catalogue_json(first), catalogue_csv(first))
    cache.resources.follow("t")
    edited = _load(taxonomy, tmp_path, TEXT.replace("Smart Operations Tool", "=Smart Operations Toolkit", 1))
    kept = cache.catalogue_json(edited), cache.catalogue_csv(edited)
    assert kept == (catalogue_json(edited), catalogue_csv(edited))
    assert "'=Smart Operations Toolkit" in kept[1] and "=Smart Operations Toolkit" in kept[0]


def _search_entries(catalogue):
    entries = [{"location": "about/", "title": "About the library", "text": "<p>Client protection and over-indebtedness</p>"}]
    for r in catalogue.resources:
        title = r.pick("title", "fr", ["en"])[0]
        entries.append({"location": f"resources/{r.id}/", "title": title, "text": f"<p>{r.pick('summary', 'fr', ['en'])[0]}</p>"})
    return entries


def test_search_index_from_the_memos_is_what_a_full_build_writes(taxonomy, tmp_path):
    from spmlib.site.searchindex import build_index

    settings = {"lang": ["fr"], "separator": "[\\s\\-]+"}
    cache = ServeCache()
    edits = [
        TEXT,
        TEXT.replace("Outil Smart Operations", "Outil de surendettement", 1),  # a new text, same compounds
        TEXT.replace("Outil Smart Operations", "Outil sur-endettement", 1),  # a new hyphenated compound
        TEXT,
    ]
    for text in edits:
        cache.resources.follow("t")
        catalogue = _load(taxonomy, tmp_path, text)
        entries = _search_entries(catalogue)
        kept = build_index(catalogue, "fr", entries, settings, cache.index_steps(catalogue, "fr"))
        assert kept == build_index(catalogue, "fr", entries, settings)


def test_explorer_data_from_the_memo_is_what_a_full_build_writes(taxonomy, tmp_path):
    from spmlib.site.explorer import explorer_parts

    cache = ServeCache()
    for text in (
        TEXT,
        TEXT.replace("Smart Operations Tool", "Alpha Tool", 1).replace("topics: [client-protection]", "topics: []", 1),
    ):
        cache.resources.follow("t")
        catalogue = _load(taxonomy, tmp_path, text)
        for lang in ("en", "fr"):
            assert cache.explorer_parts(catalogue, lang, "{id}/").files() == explorer_parts(catalogue, lang, "{id}/").files()


def test_the_view_from_the_cache_sorts_and_rows_as_a_full_build(taxonomy, tmp_path):
    from markupsafe import Markup

    from spmlib.site.explorer import facet_options
    from spmlib.site.view import View

    def row(view, resource):
        return Markup(f"<li>{view.link('resource:' + resource.id)} {view.text(resource, 'title').text}</li>")

    cache = ServeCache()
    for text in (TEXT, TEXT.replace("Smart Operations Tool", "Alpha Tool", 1), TEXT):
        cache.resources.follow("t")
        catalogue = _load(taxonomy, tmp_path, text)
        for lang in ("en", "fr"):
            plain = View(catalogue, lang, lambda key: f"#{key}")
            kept = View(catalogue, lang, lambda key: f"#{key}", steps=cache.view_steps(catalogue, "salt"))
            assert kept.sorted_by_title(catalogue.resources) == plain.sorted_by_title(catalogue.resources)
            assert [kept.compact_row(r, row) for r in catalogue.resources] == [
                plain.compact_row(r, row) for r in catalogue.resources
            ]
            table = [kept.steps.facets(r, catalogue) for r in catalogue.resources]
            assert facet_options(catalogue, lang, table) == facet_options(catalogue, lang)
