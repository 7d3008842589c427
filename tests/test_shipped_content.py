"""What a curator checks in the catalogue we ship, beyond its validity: each link true to its
label, translations that say as much as the original, and enough on every standard.

`check --strict` passing on it (warnings settled or acknowledged) is tests/test_shipped.py's.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import ROOT

from spmlib.model.catalogue import load_catalogue
from spmlib.model.linkkinds import address_key
from spmlib.model.sentences import count_sentences

# A listing page with a page number (spi-online.org/ressources?page_e31=44): its entries move
# to other pages as resources are added, so the reader no longer finds the one meant.
PAGED = re.compile(r"^(page|p|paged)(_\w+)?$", re.IGNORECASE)
# "Of its own": tagged with the standard itself (`standards:`), among fewer than half of the
# library's standards; a resource filed only under whole dimensions, or tagged with most
# standards, is about everything and helps no reader of one standard.
MAX_STANDARDS_OF_ITS_OWN = 10


@pytest.fixture(scope="module")
def catalogue(taxonomy):
    return load_catalogue(ROOT / "resources.yaml", taxonomy, ROOT / "docs")


def test_no_two_links_of_an_entry_share_an_address(catalogue):
    repeated = []
    for resource in catalogue.resources:
        counts = Counter(address_key(link.url) for link in resource.links)
        repeated += [(resource.id, url) for url, n in counts.items() if n > 1]
    assert repeated == []


def test_no_translated_link_opens_a_numbered_listing_page(catalogue):
    paged = [
        (resource.id, link.lang, link.url)
        for resource in catalogue.resources
        for link in resource.links
        if link.lang in ("fr", "es", "pt")
        and any(PAGED.match(key) for key, _ in parse_qsl(urlsplit(link.url).query, keep_blank_values=True))
    ]
    assert paged == []


def test_translated_summaries_have_as_many_sentences_as_the_original(catalogue):
    default = catalogue.taxonomy.default_language
    differing = []
    for resource in catalogue.resources:
        if "sentences" in resource.acknowledged or default not in resource.summary:
            continue
        expected = count_sentences(resource.summary[default])
        differing += [
            (resource.id, lang, count_sentences(text), expected)
            for lang, text in resource.summary.items()
            if count_sentences(text) != expected
        ]
    assert differing == []


def test_every_standard_has_two_resources_of_its_own(catalogue):
    codes = catalogue.taxonomy.standard_codes
    assert len(codes) == 22
    own = Counter(code for r in catalogue.resources if len(r.standards) <= MAX_STANDARDS_OF_ITS_OWN for code in r.standards)
    assert {code: own[code] for code in codes if own[code] < 2} == {}


def test_there_is_a_resource_on_gender(catalogue):
    assert "gender" in catalogue.taxonomy.topics
    assert catalogue.by_topic.get("gender")
