"""Issue 25: the region facet, derived from the entries' countries through CLDR's territory containment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spmlib.model.catalogue import load_catalogue
from spmlib.model.names import region_name
from spmlib.model.regions import (
    CONTAINMENT,
    REGIONS,
    ContainmentError,
    country_regions,
    parse_containment,
    read_containment,
    regions_of,
    vendored_containment,
)

ROOT = Path(__file__).resolve().parent.parent

# A small tree in CLDR's shape: Sudan (SD) is put in two regions, as CLDR allows a territory to be.
TREE = {
    "001": ("019", "002"),
    "019": ("419", "021"),
    "419": ("005",),
    "005": ("BR",),
    "021": ("US",),
    "002": ("202", "015"),
    "202": ("011", "SD"),
    "011": ("SN",),
    "015": ("EG", "SD"),
    "EU": ("FR",),
}


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("BR", ("419",)),  # through South America (005), at two levels' distance
        ("US", ("021",)),
        ("SN", ("202",)),
        ("SD", ("015", "202")),  # in two containers: in both, in the order of REGIONS
        ("FR", ()),  # only in a grouping that is not a region shown (the EU)
        ("ZZ", ()),  # a code CLDR does not place
        ("005", ("419",)),  # a region inside a region shown
    ],
)
def test_a_country_is_in_every_region_shown_above_it(country, expected):
    assert country_regions(country, TREE) == expected


@pytest.mark.parametrize(
    ("countries", "expected"),
    [
        ([], []),  # an entry without countries is in no region (the whole world, not "unknown")
        (["MX"], ["419"]),
        (["MX", "BR", "PE"], ["419"]),  # each region once
        (["PH", "MX"], ["419", "035"]),  # in the order of REGIONS, not of the entry
        (["XX"], []),  # an unknown code
        (["KE", "MA", "IN", "KG", "CN", "TR", "KH", "FR", "AU", "CA", "BR"], list(REGIONS)),  # one of each
    ],
)
def test_an_entrys_regions_come_from_the_vendored_containment(countries, expected):
    assert regions_of(countries) == expected


def test_every_country_of_the_shipped_catalogue_is_in_a_region(taxonomy):
    catalogue = load_catalogue(ROOT / "resources.yaml", taxonomy, ROOT / "docs")
    named = {country for resource in catalogue.resources for country in resource.countries}
    assert named and {country for country in named if not regions_of([country])} == set()


def test_the_vendored_file_is_cldrs_with_its_licence():
    data = json.loads(CONTAINMENT.read_text(encoding="utf-8"))
    assert data["supplemental"]["version"]["_cldrVersion"] == "48"
    assert (CONTAINMENT.parent / "LICENSE").read_text(encoding="utf-8").startswith("UNICODE LICENSE V3")
    containment = vendored_containment()
    assert set(REGIONS) <= set(containment)  # every region shown is one CLDR defines
    assert "QU" not in {m for members in containment.values() for m in members}  # deprecated entries left out


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("en", ("Latin America", "Sub-Saharan Africa", "Southeast Asia")),
        ("fr", ("Amérique latine", "Afrique subsaharienne", "Asie du Sud-Est")),
        ("es", ("Latinoamérica", "África subsahariana", "Sudeste asiático")),
        ("pt", ("América Latina", "África Subsaariana", "Sudeste Asiático")),
    ],
)
def test_regions_are_named_by_cldr_in_the_readers_language(lang, names):
    assert tuple(region_name(code, lang) for code in ("419", "202", "035")) == names


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ([], "no supplemental.territoryContainment"),
        ({"supplemental": {}}, "no supplemental.territoryContainment"),
        ({"supplemental": {"territoryContainment": {}}}, "no supplemental.territoryContainment"),
        ({"supplemental": {"territoryContainment": {"419": ["005"]}}}, "'419' is not a region with a '_contains' list"),
        ({"supplemental": {"territoryContainment": {"Latin": {"_contains": ["005"]}}}}, "'Latin' is not a region"),
        ({"supplemental": {"territoryContainment": {"419-status-odd": {"_contains": []}}}}, "'419-status-odd' is not a region"),
        ({"supplemental": {"territoryContainment": {"419": {"_contains": ["005", "mx"]}}}}, "'419' contains 'mx'"),
        ({"supplemental": {"territoryContainment": {"419": {"_contains": [5]}}}}, "'419' contains 5"),
    ],
)
def test_a_damaged_containment_is_refused_naming_the_file(data, why):
    with pytest.raises(ContainmentError, match=r"^here\.json: ") as caught:
        parse_containment(data, "here.json")
    assert why in str(caught.value)


def test_an_unreadable_containment_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "territoryContainment.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ContainmentError, match=str(path)):
        read_containment(path)


def test_groupings_are_kept_and_deprecated_entries_left_out():
    data = {
        "supplemental": {
            "territoryContainment": {
                "019-status-grouping": {"_contains": ["419"]},
                "001-status-deprecated": {"_contains": ["QU"]},
                "419": {"_contains": ["005"], "_grouping": "true"},
            }
        }
    }
    assert parse_containment(data, "x") == {"019": ("419",), "419": ("005",)}
