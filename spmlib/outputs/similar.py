"""Every pair of texts at least `threshold`% alike, without comparing each text with every other.

`make check` warns about titles that are nearly the same (spmlib/outputs/advice.py). Comparing every
title with every other one, as it did, grew with the square of the catalogue: 17 s at 10,000
entries, over 13 minutes at 100,000. This search finds exactly the same pairs
(tests/test_similar_titles.py checks it against that brute force, on generated catalogues and
random strings) while looking, for each text, only at texts that hold one of its pieces where
that piece would have to be. It is the partition method of Pass-Join (Li, Deng, Wang and Feng,
VLDB 2011), with RapidFuzz's ratio for the distance:

- The score is `fuzz.ratio`, 100 * (1 - d / (la + lb)), where d is the Indel distance (the
  fewest characters inserted or deleted) between texts of lengths la and lb. A score of at
  least `threshold` means d <= D = (1 - threshold/100) * (la + lb), and so |la - lb| <= D:
  texts whose lengths are further apart are never compared. D is rounded up by a billionth,
  so that no float rounding of RapidFuzz's can make it accept a pair the bound refuses.
- Texts are taken shortest first. Each one, of length lb, is cut into D_max + 1 segments of
  lb // (D_max + 1) characters from its start, D_max being the largest D it can have with a
  longer text. A character inserted or deleted touches at most one segment, so a longer text
  within D edits holds at least one segment whole, moved by the edits before it. Take the
  first segment i whose edits up to and including it number at most i: it is untouched, it
  moved by at most i, and by at most D - i less than the length difference (the edits after
  it). So a longer text looks up, for each segment number i of each shorter length it could
  match, only its substrings at those shifts; a text sharing none is never compared.
- A text too short to cut into D_max + 1 segments of at least one character (none at 90%;
  the shortest ones at much lower thresholds) is compared with every text instead, as before.
  Identical texts are grouped first: they pair at 100% whatever their length, and the search
  works on distinct texts.

Texts whose lengths give the same segments share one index, and a longer text looks them up
once for all those lengths. Every candidate is scored by RapidFuzz with the same cutoff, so the
scores are those of the brute force. The work grows with the number of texts times the square
of the allowed edits (a few hundred look-ups for a title), not with the square of the number
of texts.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

_ROUNDING = 1e-9  # D is rounded up by this much, so that no float rounding of RapidFuzz's loses a pair


def similar_pairs(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """(i, j, score) for every i < j whose non-empty texts score at least `threshold` with
    `rapidfuzz.fuzz.ratio`, sorted by (i, j): exactly what comparing each text with all gives."""
    from rapidfuzz import fuzz

    if threshold > 100:
        return []
    positions: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if text:
            positions.setdefault(text, []).append(i)
    found: list[tuple[int, int, float]] = []
    for members in positions.values():
        found += [(a, b, 100.0) for n, a in enumerate(members) for b in members[n + 1 :]]
    distinct = list(positions)
    if threshold <= 0:
        pairs = {(u, v): fuzz.ratio(distinct[u], distinct[v]) for u in range(len(distinct)) for v in range(u + 1, len(distinct))}
    else:
        pairs = _distinct_pairs(distinct, threshold)
    for (u, v), score in pairs.items():
        found += [(min(a, b), max(a, b), score) for a in positions[distinct[u]] for b in positions[distinct[v]]]
    found.sort()
    return found


def _max_distance(slack: float, la: int, lb: int) -> int:
    """The largest Indel distance at which texts of these lengths still reach the threshold."""
    return math.floor(slack * (la + lb) + _ROUNDING)


def _longer_partners(slack: float, lb: int) -> range:
    """The lengths la >= lb of the texts a text of length `lb` could match (|la - lb| <= D)."""
    if slack >= 1:
        return range(lb, lb * 4 + 2)
    return range(lb, math.ceil(lb * (1 + slack) / (1 - slack)) + 2)


def _segments(slack: float, lb: int) -> tuple[int, int] | None:
    """(count, size) of the segments a text of length `lb` is indexed by: `count` segments of
    `size` characters from its start (the few characters left at its end belong to none), one
    more than the most edits (D) it can be from any longer text it matches, so that one of them
    is left whole. Texts whose lengths give the same (count, size) share the segments' places,
    and a longer text looks them up once for all those lengths. None for a text too short to cut."""
    most = max((_max_distance(slack, la, lb) for la in _longer_partners(slack, lb)), default=0)
    count = most + 1
    return (count, lb // count) if lb >= count else None


def _distinct_pairs(texts: list[str], threshold: float) -> dict[tuple[int, int], float]:
    """{(u, v): score} for distinct texts u < v at least `threshold` alike (see the module)."""
    from rapidfuzz import fuzz, process

    slack = 1 - threshold / 100
    lengths = [len(text) for text in texts]
    order = sorted(range(len(texts)), key=lambda u: (lengths[u], u))
    cuts = {length: _segments(slack, length) for length in set(lengths)}
    # (count, size) -> one {segment text: [texts]} per segment number
    index: dict[tuple[int, int], list[dict[str, list[int]]]] = {}
    indexed_lengths: list[int] = []
    pairs: dict[tuple[int, int], float] = {}
    unfiltered = []
    for a in order:
        text, la = texts[a], lengths[a]
        bounds = _shift_bounds(slack, la, indexed_lengths, cuts)
        candidates = _candidates(text, bounds, index)
        if candidates:
            near = list(candidates)
            for _, score, k in process.extract(
                text, list(map(texts.__getitem__, near)), scorer=fuzz.ratio, score_cutoff=threshold, limit=None
            ):
                b = near[k]
                pairs[(min(a, b), max(a, b))] = score
        cut = cuts[la]
        if cut is None:
            unfiltered.append(a)
            continue
        if not indexed_lengths or indexed_lengths[-1] != la:
            indexed_lengths.append(la)
        count, size = cut
        segments = index.setdefault(cut, [{} for _ in range(count)])
        for number, segment in enumerate(segments):
            segment.setdefault(text[number * size : (number + 1) * size], []).append(a)
    for u in unfiltered:  # too short to cut: against every text, as the brute force does
        for _, score, v in process.extract(texts[u], texts, scorer=fuzz.ratio, score_cutoff=threshold, limit=None):
            if v != u:
                pairs[(min(u, v), max(u, v))] = score
    return pairs


def _shift_bounds(
    slack: float, la: int, indexed_lengths: list[int], cuts: dict[int, tuple[int, int] | None]
) -> dict[tuple[int, int], list[int]]:
    """For a text of length `la`, per (count, size) of the shorter texts indexed so far that it
    may match: [low, left, high, right], the bounds over the lengths that (count, size) stands for
    of how far a segment can have moved. The shift of a whole segment is between (shift - D) / 2
    and (shift + D) / 2 (edits before and after it are at most D in all), and segment i's is
    within i of 0 and within D - i of the shift."""
    shortest = math.floor(la * (1 - slack) / (1 + slack)) - 1 if slack < 1 else 0
    bounds: dict[tuple[int, int], list[int]] = {}
    for lb in indexed_lengths[bisect.bisect_left(indexed_lengths, shortest) :]:
        distance, shift = _max_distance(slack, la, lb), la - lb
        if shift > distance:
            continue
        cut = cuts[lb]
        assert cut is not None  # only lengths that cut are indexed
        low, high = -((distance - shift) // 2), (distance + shift) // 2
        known = bounds.get(cut)
        if known is None:
            bounds[cut] = [low, shift - distance, high, shift + distance]
        else:
            known[0], known[1] = min(known[0], low), min(known[1], shift - distance)
            known[2], known[3] = max(known[2], high), max(known[3], shift + distance)
    return bounds


def _candidates(
    text: str, bounds: dict[tuple[int, int], list[int]], index: dict[tuple[int, int], list[dict[str, list[int]]]]
) -> set[int]:
    """The indexed texts that share a whole segment with `text` at a place within `bounds`: the
    only ones that can be alike enough to score."""
    la = len(text)
    candidates: set[int] = set()
    for (count, size), (low, left, high, right) in bounds.items():
        for number, segment in enumerate(index[(count, size)]):
            start = number * size
            first = max(0, start + max(low, -number, left + number))
            last = min(la - size, start + min(high, number, right - number))
            for found in map(segment.get, [text[at : at + size] for at in range(first, last + 1)]):
                if found is not None:
                    candidates.update(found)
    return candidates
