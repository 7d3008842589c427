"""The catalogue we ship: builds strictly, passes `check --strict`, is fully translated, covers
every standard, links where it says, and holds the real resources, correctly encoded."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, page, run_build

from spmlib.model.catalogue import load_catalogue
from spmlib.model.linkkinds import DOCUMENT, PLACE
from spmlib.model.linkkinds import address_key as normalise_url
from spmlib.outputs.quality import repair
from spmlib.outputs.translations import coverage

# Publisher pages that list many resources; a document link must never end on one of these.
KNOWN_LANDING_PAGES = {
    normalise_url(url)
    for url in (
        "https://sptf.info/sptf-guidance-notes",
        "https://sptf.info/universal-standards-for-spm/assess-and-plan",
        "https://spi-online.org/ressources",
        "https://en.spi-online.org/resources",
        "https://en.spi-online.org/tools",
        "https://cerise-sptf.org/universal-standards/",
        "https://cerise-spm.org/en/spi4/",
    )
}


def shipped(taxonomy):
    return load_catalogue(ROOT / "resources.yaml", taxonomy, ROOT / "docs")


def test_shipped_catalogue_builds_with_strict(tmp_path):
    result = run_build(ROOT, site=tmp_path / "site")
    assert result.returncode == 0, result.stderr
    home = page(tmp_path / "site", "fr/")
    assert len(home.select(".spm-dimension")) == 7
    # A publisher's home page is said to be a place to look, in the page's language, with the
    # title to look for there: the resource's own title when the page is in another language.
    labels = [
        ("", "Find it on cerise-sptf.org", "Organization's page"),
        ("fr/", "Le trouver sur cerise-sptf.org", "Page de l'organisation"),
        ("es/", "Encontrarlo en cerise-sptf.org", "Página de la organización"),
        ("pt/", "Encontrá-lo em cerise-sptf.org", "Página da organização"),
    ]
    for prefix, wording, label in labels:
        doc = page(tmp_path / "site", f"{prefix}resources/apercu-gestion-performance-sociale/")
        [link] = doc.select(".spm-downloads a")
        assert link.select_one(".spm-download__name").get_text(strip=True) == wording
        assert link.select_one(".spm-format").get_text(strip=True) == label
        [title] = link.select(".spm-download__look > span")
        assert title.get_text(strip=True) == "Un aperçu de la gestion de la performance sociale"
        assert title.get("lang") == (None if prefix == "fr/" else "fr")


def test_check_strict_passes_on_the_shipped_catalogue():
    result = subprocess.run(
        [sys.executable, "-m", "spmlib", "check", "--strict"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "0 warnings" in result.stdout


def test_every_entry_has_title_and_summary_in_the_four_languages(taxonomy):
    catalogue = shipped(taxonomy)
    reports = coverage(catalogue)
    assert [r.language for r in reports] == ["en", "fr", "es", "pt"]
    for report in reports:
        missing = [(resource.id, name) for resource, name in report.missing]
        assert report.titles == report.summaries == report.total, (report.language, missing)


def test_every_standard_has_a_resource_of_its_own(taxonomy):
    catalogue = shipped(taxonomy)
    codes = [standard.code for dimension in taxonomy.dimensions for standard in dimension.standards]
    assert len(codes) == 22
    uncovered = [code for code in codes if not any(code in r.standards for r in catalogue.resources)]
    assert uncovered == []


def test_no_document_link_points_to_a_home_or_landing_page(taxonomy):
    catalogue = shipped(taxonomy)
    # Any page the catalogue itself uses as a place to look is a landing page too.
    landing = KNOWN_LANDING_PAGES | {
        normalise_url(link.url) for r in catalogue.resources for link in r.links if not link.is_local and link.kind == PLACE
    }
    wrong = [
        (r.id, link.url, link.format)
        for r in catalogue.resources
        for link in r.links
        if link.kind == DOCUMENT
        and not link.is_local
        and (urlsplit(link.url).path in ("", "/") or normalise_url(link.url) in landing)
    ]
    assert wrong == []


def test_web_links_name_their_page_or_are_shown_as_the_publishers(taxonomy):
    """A labelled web link is the resource's own page: it names the site it is on."""
    for resource in shipped(taxonomy).resources:
        for link in resource.links:
            if link.format == "web" and link.label:
                assert " – " in link.label, (resource.id, link.label)
            if link.format == "web" and not link.label:
                assert resource.title.get(link.lang), (resource.id, link.lang, "no title in the version's language")


def test_shipped_catalogue_has_the_seed_resources_and_versions(taxonomy):
    catalogue = shipped(taxonomy)
    assert len(catalogue.resources) >= 50
    fincomun = catalogue.by_id["smart-note-fincomun-collections"]
    # Its Spanish and Portuguese versions are only listed on a page of SPI Online's listing,
    # which is in English: the summary says so rather than links tagged es and pt.
    assert "FinComún" in fincomun.title["es"] and "Spanish and Portuguese" in fincomun.summary["en"]
    assert fincomun.year == 2010 and fincomun.countries == ("MX",)
    ops = catalogue.by_id["smart-operations-tool"]
    # One link to the closed campaign's page, which offered the tool in five languages and a
    # PowerPoint version: no label promises a download that the link does not deliver.
    assert [link.url for link in ops.links].count("https://www.smartcampaign.org/tools-a-resources/796-smart-operations") == 1
    assert not any("Download" in (link.label or "") for link in ops.links)
    assert "Russian" in ops.summary["en"] and "PowerPoint" in ops.summary["en"]
    # The SPTF series of ten; other publishers' guidance notes (Imp-Act's) are typed so too.
    notes = [r for r in catalogue.resources if r.type == "guidance-note" and r.id.startswith("guidance-note-")]
    assert len(notes) == 10
    # The two resources the seeds name that were missing.
    assert "Mentorship Guide" in catalogue.by_id["mentoring-social-performance-management"].title["en"]
    assert "peer benchmarking" in catalogue.by_id["cerise-spi4-peer-benchmarking"].title["en"]


@pytest.mark.parametrize(
    ("rid", "field", "expected"),
    [
        ("spm-in-risk-management", "organization", "M2i Consulting"),
        ("spm-in-risk-management", "year", 2024),
        ("client-protection-self-assessment-tool", "year", 2022),
        ("where-good-intentions-meet-good-business", "year", 2016),
        ("garment-workers-wage-digitization-bangladesh", "year", 2019),
        ("swadhaar-collections-policy", "countries", ("IN",)),
    ],
)
def test_metadata_the_publishers_pages_reveal(taxonomy, rid, field, expected):
    assert getattr(shipped(taxonomy).by_id[rid], field) == expected


def test_client_protection_tool_counts_the_current_eight_standards(taxonomy):
    tool = shipped(taxonomy).by_id["client-protection-self-assessment-tool"]
    assert "eight Client Protection Standards" in tool.summary["en"] and "seven" not in tool.summary["en"]


def test_shipped_text_has_no_mis_encoding(taxonomy):
    damaged = []
    for resource in shipped(taxonomy).resources:
        texts = [*resource.title.values(), *resource.summary.values(), resource.organization or ""]
        texts += [link.label for link in resource.links if link.label]
        damaged += [(resource.id, text) for text in texts if repair(text) is not None]
    assert not damaged
