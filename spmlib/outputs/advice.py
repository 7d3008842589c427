"""Warnings about a valid catalogue: things that are allowed but usually a mistake.

These never stop a build (a maintainer may have good reasons), but `make check` shows them,
with a hint on how to fix each, and `--strict` turns them into a failure for CI. They are
kept out of the build itself because the similar-title search, though no longer quadratic
(spmlib/outputs/similar.py), still takes seconds on a large catalogue, and the build must stay fast.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict

from spmlib.model.acknowledged import unacknowledged
from spmlib.model.catalogue import Catalogue, Link, Resource
from spmlib.model.fields import field_label, free_texts
from spmlib.model.linkkinds import PLACE, address_key
from spmlib.model.problems import Problem, show_value
from spmlib.outputs.netpolicy import internal_host
from spmlib.outputs.quality import repair
from spmlib.outputs.similar import similar_pairs

TITLE_SIMILARITY = 90  # percent, rapidfuzz's normalised Indel ratio
_NUMBERS = re.compile(r"\b\d+[a-z]?\b", re.IGNORECASE)  # "Issue 4", "4A", "2016"


def review(catalogue: Catalogue, today: dt.date | None = None) -> list[Problem]:
    """Every warning about the catalogue, in file order."""
    today = today or dt.date.today()
    found: list[Problem] = []
    found += shared_urls(catalogue)
    found += internal_addresses(catalogue)
    found += similar_titles(catalogue)
    found += mis_encoded(catalogue)
    found += lonely_topics(catalogue)
    found += future_dates(catalogue, today)
    found += missing_summaries(catalogue)
    found += open_gaps(catalogue)
    return sorted(found, key=lambda p: (p.line or 0, p.field or "", p.message))


def _warning(catalogue: Catalogue, resource: Resource, path: tuple, message: str, hint: str, field: str | None) -> Problem:
    line = catalogue.line(resource, path)
    return Problem(catalogue.name, line, message, resource_id=resource.id, field=field, severity="warning", hint=hint)


def _address(link: Link) -> str:
    return address_key(link.url)


def shared_urls(catalogue: Catalogue) -> list[Problem]:
    """One warning per address used by more than one entry, on the first entry that uses it.

    Places to look (a publisher's home page, a listing: spmlib/model/linkkinds.py) may be
    shared; a document, or a page that presents one resource, may not.
    """
    users: dict[str, list[tuple[Resource, int]]] = defaultdict(list)
    for resource in catalogue.resources:
        seen: set[str] = set()
        for index, link in enumerate(resource.links):
            key = _address(link)
            if key not in seen:
                seen.add(key)
                users[key].append((resource, index))
    found = []
    for key, entries in users.items():
        if len(entries) < 2:
            continue
        if all(link.kind == PLACE for resource, _ in entries for link in resource.links if _address(link) == key):
            continue
        first, index = entries[0]
        others = [r.id for r, _ in entries[1:]]
        listed = ", ".join(repr(i) for i in others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        found.append(
            _warning(
                catalogue,
                first,
                ("links", index, "url"),
                f"the address {show_value(first.links[index].url)} is also used by {listed}",
                "if they are one resource, merge them into one entry with several links; "
                "if the address is a website's home page, link each resource's own page or document, "
                "or, where only the publisher's page or a listing is known, give it `kind: place`",
                f"links[{index}].url",
            )
        )
    return found


def internal_addresses(catalogue: Catalogue) -> list[Problem]:
    """Links to this machine or a local network (127.0.0.1, localhost, 10.x, [::1], 169.254.x,
    2130706433...), as written, without asking DNS.

    A warning, not an error: `make check STRICT=1` fails the pull request on it, while a
    maintainer's private catalogue for a training room's mirror (and the test suite's local
    servers) still builds. Readers cannot open such a link, and bundles, ZIMs and `make links`
    refuse to fetch it without --allow-private-addresses, so nothing internal is fetched either way.
    """
    found = []
    for resource in catalogue.resources:
        for index, link in enumerate(resource.links):
            reason = None if link.is_local else internal_host(link.url)
            if reason:
                found.append(
                    _warning(
                        catalogue,
                        resource,
                        ("links", index, "url"),
                        f"the address {show_value(link.url)} is internal ({reason}): readers cannot open it, "
                        "and bundles, ZIMs and `make links` do not fetch it",
                        "link the document's public address; a local mirror is for ALLOW_LOCAL=1 runs, not the catalogue",
                        f"links[{index}].url",
                    )
                )
    return found


def _comparable(title: str) -> str:
    """The form in which titles are compared: composed (NFC, so that "Guía" typed with a combining
    accent is the same title), case-folded, punctuation and runs of spaces made one space."""
    return " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFC", title).casefold()).split())


def similar_titles(catalogue: Catalogue, threshold: int = TITLE_SIMILARITY) -> list[Problem]:
    """Pairs of entries whose titles in one language are at least `threshold`% alike.

    Titles that differ in a number or standard code ("Issue 4" / "Issue 5", "4A" / "4B") are
    series, not duplicates, and are not reported: only titles with the same numbers are
    compared, each group by spmlib.outputs.similar (which finds the pairs comparing each title with all
    would, without doing so). A pair alike in several languages is reported once, in the
    language where it is most alike.
    """
    pairs: dict[tuple[int, int], tuple[str, float]] = {}
    by_lang: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for position, resource in enumerate(catalogue.resources):
        for lang, title in resource.title.items():
            by_lang[lang].append((position, _comparable(title)))
    for lang, titled in by_lang.items():
        series: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i, (_, text) in enumerate(titled):
            series[tuple(sorted(_NUMBERS.findall(text)))].append(i)
        found: list[tuple[int, int, float]] = []
        for members in series.values():
            if len(members) < 2:
                continue
            found += [
                (members[a], members[b], score) for a, b, score in similar_pairs([titled[i][1] for i in members], threshold)
            ]
        for i, j, score in sorted(found):
            key = (titled[i][0], titled[j][0])
            if key[0] != key[1] and (key not in pairs or pairs[key][1] < score):
                pairs[key] = (lang, score)
    found_problems = []
    for (a, b), (lang, score) in sorted(pairs.items()):
        first, second = catalogue.resources[a], catalogue.resources[b]
        if score < 100:
            alike = f"is {score:.0f}% similar to that of"
        elif unicodedata.normalize("NFC", first.title[lang]) == unicodedata.normalize("NFC", second.title[lang]):
            alike = "is the same as that of"
        else:
            alike = "is the same as that of {}, but for case or punctuation"
        where = f"{first.id!r} (line {first.line})"
        said = alike.format(where) if "{}" in alike else f"{alike} {where}"
        found_problems.append(
            _warning(
                catalogue,
                second,
                ("title", lang),
                f"title {show_value(second.title[lang])} {said}: {show_value(first.title[lang])}",
                "if they are the same resource, merge the two entries; otherwise make the titles tell them apart",
                f"title.{lang}",
            )
        )
    return found_problems


def mis_encoded(catalogue: Catalogue) -> list[Problem]:
    """Text damaged by a wrong character encoding, typically pasted from an old web page."""
    import ftfy

    found = []
    for resource in catalogue.resources:
        for path, text in free_texts(resource):  # the fields declared free text in spmlib/model/fields.py
            field = field_label(path)
            fixed = repair(text)
            if fixed is None and ftfy.is_bad(text):
                candidate = ftfy.fix_text(text)
                fixed = candidate if candidate != text else None
            if fixed is None:
                continue
            bad = _first_difference(text, fixed)
            hint = f"it probably reads {show_value(fixed)}"
            if "�" in fixed:
                hint += "; � marks a character that was lost: retype it from the original document"
            found.append(_warning(catalogue, resource, path, f"text looks mis-encoded near {show_value(bad)}", hint, field))
    return found


def _first_difference(text: str, fixed: str, context: int = 12) -> str:
    i = 0
    while i < min(len(text), len(fixed)) and text[i] == fixed[i]:
        i += 1
    start = max(0, text.rfind(" ", 0, max(0, i - context)) + 1)
    end = text.find(" ", i + context)
    return text[start : end if end != -1 else len(text)]


def lonely_topics(catalogue: Catalogue) -> list[Problem]:
    """Topics only one entry uses: usually a misspelling of a topic others use."""
    import difflib

    shared = [t for t, users in catalogue.by_topic.items() if len(users) > 1]
    known = set(catalogue.taxonomy.topics)
    found = []
    for topic, users in catalogue.by_topic.items():
        if len(users) != 1:
            continue
        resource = users[0]
        close = difflib.get_close_matches(topic, shared + sorted(known - {topic}), n=1, cutoff=0.75)
        hint = f"did you mean {close[0]!r}? " if close else ""
        hint += "a topic page with one resource is of little help: use an existing topic or tag more entries with it"
        if topic not in known:
            hint += "; new topics also need their names in taxonomy/topics.yaml"
        found.append(
            _warning(
                catalogue,
                resource,
                ("topics", resource.topics.index(topic)),
                f"topic {topic!r} is used by no other entry",
                hint,
                "topics",
            )
        )
    return found


def future_dates(catalogue: Catalogue, today: dt.date) -> list[Problem]:
    """Years and dates after today: usually a typo (2052 for 2025)."""
    found = []
    for resource in catalogue.resources:
        if resource.year is not None and resource.year > today.year:
            found.append(
                _warning(
                    catalogue,
                    resource,
                    ("year",),
                    f"year {resource.year} is in the future (it is {today.year})",
                    "write the year the resource was published",
                    "year",
                )
            )
        if resource.added is not None and resource.added > today:
            found.append(
                _warning(
                    catalogue,
                    resource,
                    ("added",),
                    f"date added {resource.added.isoformat()} is in the future (today is {today.isoformat()})",
                    "write the date the entry was added, as YYYY-MM-DD",
                    "added",
                )
            )
    return found


def missing_summaries(catalogue: Catalogue) -> list[Problem]:
    """Entries with no summary at all: readers cannot tell what they are before downloading."""
    default = catalogue.taxonomy.default_language
    return [
        _warning(
            catalogue,
            resource,
            ("title",),
            "the entry has no summary",
            f"add 'summary:' with at least '{default}:', two or three sentences on what the resource is and who it is for",
            "summary",
        )
        for resource in catalogue.resources
        if not resource.summary
    ]


def open_gaps(catalogue: Catalogue) -> list[Problem]:
    """Entries that reach only places to look, have no year, or whose translated summaries have
    another number of sentences than the default language's, unless the entry acknowledges it
    with a reason (spmlib/model/acknowledged.py): facts a curator settles, not typos."""
    default = catalogue.taxonomy.default_language
    found = []
    for resource in catalogue.resources:
        for gap in unacknowledged(resource, default):
            found.append(_warning(catalogue, resource, gap.path, f"[{gap.code}] {gap.message}", gap.hint, gap.field))
    return found
