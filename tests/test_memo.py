"""spmlib.serve.memo.ResourceMemo: per-resource results survive a reload of an unchanged entry, and only that."""

from __future__ import annotations

from conftest import FIXTURES

from spmlib.model.catalogue import load_catalogue
from spmlib.serve.memo import ResourceMemo, memoised

TEXT = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8")


def _load(taxonomy, tmp_path, text):
    path = tmp_path / "resources.yaml"
    path.write_text(text, encoding="utf-8")
    return load_catalogue(path, taxonomy, FIXTURES / "docs")


def test_results_are_kept_by_what_a_resource_says(taxonomy, tmp_path):
    memo, calls = ResourceMemo(), []

    def run(catalogue, lang="en"):
        get = memoised(memo, "title", lang, catalogue)
        return [get(r, lambda r=r: calls.append(r.id) or r.title.get("en")) for r in catalogue.resources]

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
    get = memoised(memo, "x", "en", catalogue)
    for r in catalogue.resources:
        get(r, lambda: 1)
    size = len(memo)
    memo.follow("t")
    edited = _load(taxonomy, tmp_path, TEXT.replace("Smart Operations Tool", "Smart Operations Toolkit", 1))
    get = memoised(memo, "x", "en", edited)
    for r in edited.resources:
        get(r, lambda: 1)
    memo.follow("t")  # the next build keeps what this one used, not the old version of the entry
    assert len(memo) == size


def test_without_a_memo_every_result_is_worked_out(taxonomy, tmp_path):
    catalogue = _load(taxonomy, tmp_path, TEXT)
    calls = []
    get = memoised(None, "x", "en", catalogue)
    get(catalogue.resources[0], lambda: calls.append(1))
    get(catalogue.resources[0], lambda: calls.append(1))
    assert calls == [1, 1]


def test_open_data_from_the_memo_is_what_a_full_build_writes(taxonomy, tmp_path):
    from spmlib.site.opendata import catalogue_csv, catalogue_json

    memo = ResourceMemo()
    memo.follow("t")
    first = _load(taxonomy, tmp_path, TEXT)
    assert (catalogue_json(first, memo), catalogue_csv(first, memo)) == (catalogue_json(first), catalogue_csv(first))
    memo.follow("t")
    edited = _load(taxonomy, tmp_path, TEXT.replace("Smart Operations Tool", "=Smart Operations Toolkit", 1))
    kept = catalogue_json(edited, memo), catalogue_csv(edited, memo)
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
    from spmlib.site.searchtext import VariantsMemo

    settings = {"lang": ["fr"], "separator": "[\\s\\-]+"}
    variants, memo = VariantsMemo(), ResourceMemo()
    edits = [
        TEXT,
        TEXT.replace("Outil Smart Operations", "Outil de surendettement", 1),  # a new text, same compounds
        TEXT.replace("Outil Smart Operations", "Outil sur-endettement", 1),  # a new hyphenated compound
        TEXT,
    ]
    for text in edits:
        memo.follow("t")
        catalogue = _load(taxonomy, tmp_path, text)
        entries = _search_entries(catalogue)
        kept = build_index(catalogue, "fr", entries, settings, variants, memo)
        assert kept == build_index(catalogue, "fr", entries, settings)


def test_explorer_data_from_the_memo_is_what_a_full_build_writes(taxonomy, tmp_path):
    from spmlib.site.explorer import explorer_parts

    memo = ResourceMemo()
    for text in (
        TEXT,
        TEXT.replace("Smart Operations Tool", "Alpha Tool", 1).replace("topics: [client-protection]", "topics: []", 1),
    ):
        memo.follow("t")
        catalogue = _load(taxonomy, tmp_path, text)
        for lang in ("en", "fr"):
            assert explorer_parts(catalogue, lang, "{id}/", memo).files() == explorer_parts(catalogue, lang, "{id}/").files()
