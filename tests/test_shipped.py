"""The catalogue we ship: builds strictly and holds the real resources, correctly encoded."""

from __future__ import annotations

from conftest import ROOT, page, run_build

from spmlib.catalogue import load_catalogue
from spmlib.quality import repair


def shipped(taxonomy):
    return load_catalogue(ROOT / "resources.yaml", taxonomy, ROOT / "docs")


def test_shipped_catalogue_builds_with_strict(tmp_path):
    result = run_build(ROOT, site=tmp_path / "site")
    assert result.returncode == 0, result.stderr
    home = page(tmp_path / "site", "fr/")
    assert len(home.select(".spm-dimension")) == 7


def test_shipped_catalogue_has_the_seed_resources_and_versions(taxonomy):
    catalogue = shipped(taxonomy)
    assert len(catalogue.resources) >= 35
    fincomun = catalogue.by_id["smart-note-fincomun-collections"]
    assert fincomun.document_languages() == ["en", "es", "pt"] and "FinComún" in fincomun.title["es"]
    ops = catalogue.by_id["smart-operations-tool"]
    assert ops.document_languages() == ["en", "fr", "es", "ru", "ar"]
    assert {link.lang for link in ops.links if link.format == "ppt"} == {"en", "fr", "ar"}
    notes = [r for r in catalogue.resources if r.type == "guidance-note"]
    assert len(notes) == 10
    assert {"fr", "es"} <= {lang for r in catalogue.resources for lang in r.title if lang != "en"}


def test_shipped_text_has_no_mis_encoding(taxonomy):
    damaged = []
    for resource in shipped(taxonomy).resources:
        texts = [*resource.title.values(), *resource.summary.values(), resource.organization or ""]
        damaged += [(resource.id, text) for text in texts if repair(text) is not None]
    assert not damaged
