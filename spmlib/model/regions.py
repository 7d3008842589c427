"""World regions of the catalogue's countries, from CLDR's territory containment.

"Latin America" found one publication: entries name countries, and nothing grouped them. The
regions come from the Unicode CLDR's territory containment (the UN M.49 tree), vendored as
spmlib/data/cldr/territoryContainment.json from the npm package cldr-core (version in
CLDR_CORE_VERSION; `make cldr` refreshes it, its licence beside it), because Babel's data
has the regions' names in every language but not which countries they contain. No country is
placed by hand: a new country in the catalogue finds its region in CLDR.

Which level of the M.49 tree: the one practitioners of inclusive finance and their networks
report by, neither the five continents (the Americas and Africa each hold two very different
markets) nor the 22 sub-regions (a reader does not look for "Middle Africa"):
- Latin America and the Caribbean (419) and Northern America (021), not "Americas" (019);
- Northern Africa (015) and Sub-Saharan Africa (202), the split development finance reports use
  (the World Bank's regions put North Africa with the Middle East), not West/East/Middle/Southern;
- Asia by its five sub-regions (Central 143, Eastern 030, South-eastern 035, Southern 034,
  Western 145): "Asia" alone would put Kyrgyzstan with Indonesia;
- Europe (150) and Oceania (009) whole: few entries, and their sub-regions are unfamiliar.
A territory under several of them (none today; CLDR allows it) is in each.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

CLDR_CORE_VERSION = "48.2.0"  # the npm package cldr-core the vendored file comes from (Makefile: make cldr)
CONTAINMENT = Path(__file__).resolve().parent.parent / "data" / "cldr" / "territoryContainment.json"
# The regions shown, in the order of the explorer's list (see the module's docstring for why these).
REGIONS = ("419", "021", "015", "202", "150", "143", "030", "035", "034", "145", "009")
_CODE = re.compile(r"^(?:[0-9]{3}|[A-Z]{2})$")
Containment = dict[str, tuple[str, ...]]  # a region -> the regions and countries it directly contains


class ContainmentError(ValueError):
    """The vendored file is not CLDR's territory containment as cldr-core ships it."""


def parse_containment(data: object, source: str) -> Containment:
    """The containment of a parsed territoryContainment.json: region -> what it contains.

    Groupings ("419", "202", "EU") are kept, deprecated entries ("QU") left out; anything that is
    not a code of two capitals or three digits is an error naming `source`.
    """
    table = data.get("supplemental", {}).get("territoryContainment") if isinstance(data, dict) else None
    if not isinstance(table, dict) or not table:
        raise ContainmentError(f"{source}: no supplemental.territoryContainment object")
    containment: dict[str, list[str]] = {}
    for key, entry in table.items():
        region, _, status = key.partition("-status-")
        if status == "deprecated":
            continue
        members = entry.get("_contains") if isinstance(entry, dict) else None
        if not _CODE.match(region) or status not in ("", "grouping") or not isinstance(members, list):
            raise ContainmentError(f"{source}: {key!r} is not a region with a '_contains' list")
        bad = [m for m in members if not isinstance(m, str) or not _CODE.match(m)]
        if bad:
            raise ContainmentError(f"{source}: {key!r} contains {bad[0]!r}, not a territory code")
        containment.setdefault(region, []).extend(members)
    return {region: tuple(dict.fromkeys(members)) for region, members in containment.items()}


def read_containment(path: Path = CONTAINMENT) -> Containment:
    """The containment in the file at `path`, validated (ContainmentError with the path otherwise)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContainmentError(f"{path}: cannot be read: {exc}") from exc
    return parse_containment(data, str(path))


@lru_cache(maxsize=1)
def vendored_containment() -> Containment:
    """The vendored file's containment, read once per process: it only changes with the code."""
    return read_containment()


def country_regions(country: str, containment: Containment, regions: tuple[str, ...] = REGIONS) -> tuple[str, ...]:
    """The `regions` that contain `country`, at any depth, in the order of `regions`; none for a
    code CLDR does not place."""
    parents: dict[str, set[str]] = {}
    for region, members in containment.items():
        for member in members:
            parents.setdefault(member, set()).add(region)
    above: set[str] = set()
    todo = [country]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in above:
                above.add(parent)
                todo.append(parent)
    return tuple(region for region in regions if region in above)


@lru_cache(maxsize=512)
def regions_of_country(country: str) -> tuple[str, ...]:
    """country_regions with the vendored containment, kept per country (a catalogue names few)."""
    return country_regions(country, vendored_containment())


def regions_of(countries: list[str] | tuple[str, ...]) -> list[str]:
    """The regions of an entry's countries, each once, in the order of REGIONS; none without countries."""
    found = {region for country in countries for region in regions_of_country(country)}
    return [region for region in REGIONS if region in found]
