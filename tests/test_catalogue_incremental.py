"""spmlib.serve.reload: `make serve` checks only the entries an edit changed, and reads the same
catalogue, or reports the same problems, as a full check would; its related resources are those
the catalogue works out itself."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES
from test_yaml_incremental import BASE, EDITS, ENTRY, _entries, _insert

import spmlib.model.catalogue as catalogue_module
from spmlib.model.catalogue import load_catalogue
from spmlib.model.problems import CatalogueError
from spmlib.serve.reload import CatalogueCache

MORE_EDITS = {
    "a duplicate id added after": lambda t: t.rstrip("\n") + "\n" + ENTRY.replace("added-entry", "smart-operations-tool"),
    "a duplicate id added before": lambda t: _insert(t, _entries(t)[2], ENTRY.replace("added-entry", "surendettement-guide")),
    "an unknown type": lambda t: t.replace("    type: tool\n", "    type: toolbox\n", 1),
    "an unknown topic": lambda t: t.replace("topics: [client-protection]", "topics: [client-protectoin]", 1),
    "an invisible character": lambda t: t.replace("Smart Operations Tool", "Smart\u200bOperations Tool", 1),
}


def _read(path, taxonomy, docs, **kw):
    try:
        catalogue = load_catalogue(path, taxonomy, docs, **kw)
    except CatalogueError as err:
        return None, [(p.line, p.message) for p in err.problems]
    resources = [(r, r.line, r.index, catalogue.digests[r.id]) for r in catalogue.resources]
    return resources, [(p.line, p.message) for p in catalogue.warnings]


@pytest.mark.parametrize("edit", sorted({**EDITS, **MORE_EDITS}))
def test_an_edit_checks_as_a_full_check(edit, tmp_path, taxonomy):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "docs", docs)
    path = tmp_path / "resources.yaml"
    checked = CatalogueCache()
    edited = {**EDITS, **MORE_EDITS}[edit](BASE)
    for text in (BASE, edited, edited.replace("Outil Smart Operations", "Outil SO", 1), BASE):
        path.write_text(text, encoding="utf-8")
        kept = _read(path, taxonomy, docs, steps=checked.steps(taxonomy))
        assert kept == _read(path, taxonomy, docs)


def test_only_changed_entries_are_checked_again(tmp_path, taxonomy, monkeypatch):
    path = tmp_path / "resources.yaml"
    path.write_text(BASE, encoding="utf-8")
    checked = CatalogueCache()
    load_catalogue(path, taxonomy, FIXTURES / "docs", steps=checked.steps(taxonomy))
    made: list[str] = []
    real = catalogue_module._make_resource
    monkeypatch.setattr(catalogue_module, "_make_resource", lambda entry, *a: made.append(entry["id"]) or real(entry, *a))
    path.write_text(BASE.replace("Cobranza con dignidad", "Cobranza digna"), encoding="utf-8")
    catalogue = load_catalogue(path, taxonomy, FIXTURES / "docs", steps=checked.steps(taxonomy))
    assert "cobranza-con-dignidad" in made and len(made) <= 3  # the edited entry, its neighbours, local documents
    assert "Cobranza digna" in catalogue.by_id["cobranza-con-dignidad"].title["es"]


def test_a_local_document_deleted_between_edits_is_still_reported(tmp_path, taxonomy):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "docs", docs)
    path = tmp_path / "resources.yaml"
    path.write_text(BASE, encoding="utf-8")
    checked = CatalogueCache()
    load_catalogue(path, taxonomy, docs, steps=checked.steps(taxonomy))
    (docs / "documents" / "sample-guide.pdf").unlink()
    path.write_text(BASE.replace("Cobranza con dignidad", "Cobranza digna"), encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(path, taxonomy, docs, steps=checked.steps(taxonomy))
    assert any("sample-guide.pdf" in p.message or p.field == "links[0].url" for p in raised.value.problems)


def test_a_new_taxonomy_checks_every_entry_again(tmp_path, taxonomy, monkeypatch):
    from spmlib.model.taxonomy import load_taxonomy

    path = tmp_path / "resources.yaml"
    path.write_text(BASE, encoding="utf-8")
    checked = CatalogueCache()
    first = load_catalogue(path, taxonomy, FIXTURES / "docs", steps=checked.steps(taxonomy))
    made: list[str] = []
    real = catalogue_module._make_resource
    monkeypatch.setattr(catalogue_module, "_make_resource", lambda entry, *a: made.append(entry["id"]) or real(entry, *a))
    other = load_taxonomy(FIXTURES.parent.parent / "taxonomy")
    load_catalogue(path, other, FIXTURES / "docs", steps=checked.steps(other))
    assert len(made) == len(first.resources)


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("Smart Operations Tool", "Smart Operations Toolkit", 1),  # the pools stay
        lambda t: t.replace("topics: [client-protection]", "topics: []", 1),  # a topic's pool changes
        lambda t: t.replace("year: 2013", "year: 2025", 1),  # the order of the pools changes
        lambda t: t.rstrip("\n") + "\n" + ENTRY,  # a new entry joins a standard's pool
    ],
)
def test_related_resources_kept_between_catalogues_are_those_worked_out(edit, tmp_path, taxonomy):
    path = tmp_path / "resources.yaml"
    cache = CatalogueCache()
    for text in (BASE, edit(BASE), BASE):
        path.write_text(text, encoding="utf-8")
        kept = load_catalogue(path, taxonomy, FIXTURES / "docs", steps=cache.steps(taxonomy))
        fresh = load_catalogue(path, taxonomy, FIXTURES / "docs")
        for resource in fresh.resources:
            assert [r.id for r in kept.related(kept.by_id[resource.id], 2)] == [r.id for r in fresh.related(resource, 2)]
