"""The similar-title search of `make check` finds exactly the pairs that comparing every title with
every other one finds (the search before issue 22, kept here as the reference), on generated
catalogues with planted near-duplicates, on random strings, on the shipped catalogue and on the
test fixtures; and it reports titles that are the same once composed (NFC) as the same title."""

from __future__ import annotations

import random
import re
from collections import defaultdict

import pytest
from conftest import FIXTURES, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from spmlib.model.catalogue import Catalogue, Link, Resource, load_catalogue
from spmlib.outputs.advice import TITLE_SIMILARITY, _comparable, similar_titles
from spmlib.outputs.similar import similar_pairs

NUMBERS = re.compile(r"\b\d+[a-z]?\b", re.IGNORECASE)


def brute_force(texts: list[str], threshold: float = TITLE_SIMILARITY) -> dict[tuple[int, int], float]:
    """Every pair i < j of non-empty texts at least `threshold`% alike: each text against all."""
    found = {}
    for i, text in enumerate(texts):
        if not text:
            continue
        for _, score, j in process.extract(text, texts, scorer=fuzz.ratio, score_cutoff=threshold, limit=None):
            if j > i:
                found[(i, j)] = score
    return found


def reference_findings(catalogue: Catalogue, threshold: float = TITLE_SIMILARITY) -> list[tuple[str, str, str, int]]:
    """(first id, second id, language, rounded score) as the search before issue 22 reported them."""
    pairs: dict[tuple[int, int], tuple[str, float]] = {}
    by_lang: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for position, resource in enumerate(catalogue.resources):
        for lang, title in resource.title.items():
            by_lang[lang].append((position, _comparable(title)))
    for lang, titled in by_lang.items():
        texts = [text for _, text in titled]
        numbers = [sorted(NUMBERS.findall(text)) for text in texts]
        for (i, j), score in brute_force(texts, threshold).items():
            if numbers[i] != numbers[j]:
                continue
            key = (titled[i][0], titled[j][0])
            if key not in pairs or pairs[key][1] < score:
                pairs[key] = (lang, score)
    resources = catalogue.resources
    return [(resources[a].id, resources[b].id, lang, round(score)) for (a, b), (lang, score) in sorted(pairs.items())]


FINDING = re.compile(r"is (\d+)% similar to that of '([^']+)'|is the same as that of '([^']+)'")


def findings(catalogue: Catalogue) -> list[tuple[str, str, str, int]]:
    found = []
    for problem in similar_titles(catalogue):
        match = FINDING.search(problem.message)
        assert match, problem.message
        score, first = (int(match[1]), match[2]) if match[1] else (100, match[3])
        found.append((first, problem.resource_id, problem.field.removeprefix("title."), score))
    return found


# ---- the pair search against the brute-force one --------------------------------------------------

WORDS = (
    "client protection smart campaign guide tool note assessment social performance management "
    "responsible pricing over indebtedness collections dignity complaints mechanism governance "
    "board training staff incentives transparency data privacy gender women rural agriculture "
    "green finance climate outreach poverty measurement audit rating checklist template survey "
    "gestión desempeño social protección clientes évaluation financière inclusão"
).split()


def edit(rng: random.Random, text: str, edits: int) -> str:
    """`text` with a few characters inserted, deleted, replaced or swapped, or its case changed."""
    chars = list(text)
    for _ in range(edits):
        kind = rng.choice(["insert", "delete", "replace", "swap", "case", "punctuation"])
        at = rng.randrange(max(1, len(chars)))
        if kind == "insert":
            chars.insert(at, rng.choice("abcdeéñ -"))
        elif kind == "delete" and len(chars) > 1:
            del chars[at]
        elif kind == "replace" and chars:
            chars[at] = rng.choice("aeiouxyz")
        elif kind == "swap" and len(chars) > 2:
            at = min(at, len(chars) - 2)
            chars[at], chars[at + 1] = chars[at + 1], chars[at]
        elif kind == "case" and chars:
            chars[at] = chars[at].swapcase()
        else:
            chars.insert(at, rng.choice(",.:;!?()"))
    return "".join(chars)


def planted_titles(seed: int, count: int) -> list[str]:
    """Titles of 1 to 12 words, a third of them near copies of an earlier one (0 to 8 edits),
    some numbered series, some very short."""
    rng = random.Random(seed)
    titles: list[str] = []
    for _ in range(count):
        roll = rng.random()
        if titles and roll < 0.35:
            titles.append(edit(rng, rng.choice(titles), rng.randint(0, 8)))
        elif titles and roll < 0.42:
            base = rng.choice(titles)
            titles.append(f"{base} {rng.randint(1, 9)}")
        elif roll < 0.47:
            titles.append(rng.choice(WORDS)[: rng.randint(1, 6)])
        else:
            titles.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))).capitalize())
    return titles


@pytest.mark.parametrize("seed", range(8))
def test_pairs_of_generated_titles_are_the_brute_force_ones(seed):
    texts = [_comparable(title) for title in planted_titles(seed, 400)]
    found = {(i, j): score for i, j, score in similar_pairs(texts, TITLE_SIMILARITY)}
    expected = brute_force(texts)
    assert len(expected) > 40  # the planted near-duplicates are there
    assert found == expected


@pytest.mark.parametrize("threshold", [70, 80, 85, 90, 95, 99, 100])
def test_pairs_at_other_thresholds(threshold):
    texts = [_comparable(title) for title in planted_titles(99, 300)]
    found = {(i, j): score for i, j, score in similar_pairs(texts, threshold)}
    assert found == brute_force(texts, threshold)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab c", min_size=0, max_size=24), min_size=0, max_size=40))
def test_pairs_of_random_strings_over_a_tiny_alphabet(texts):
    """Where q-grams repeat most, and a filter that drops a pair it should keep would show."""
    found = {(i, j): score for i, j, score in similar_pairs(texts, TITLE_SIMILARITY)}
    assert found == brute_force(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcdé", min_size=1, max_size=60), min_size=1, max_size=12), st.data())
def test_pairs_of_random_strings_and_their_edits(texts, data):
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    texts = texts + [edit(rng, t, rng.randint(0, 6)) for t in texts]
    found = {(i, j): score for i, j, score in similar_pairs(texts, TITLE_SIMILARITY)}
    assert found == brute_force(texts)


# ---- whole catalogues: the same warnings as before ------------------------------------------------


def generated_catalogue(taxonomy, seed: int, count: int) -> Catalogue:
    rng = random.Random(seed)
    english = planted_titles(seed, count)
    french = planted_titles(seed + 1000, count)
    resources = []
    for i in range(count):
        title = {"en": english[i]} if english[i].strip(" ,.:;!?()") else {"en": f"Title {i}"}
        if rng.random() < 0.4 and french[i].strip(" ,.:;!?()"):
            title["fr"] = french[i]
        resources.append(
            Resource(
                id=f"r{i}",
                type="tool",
                title=title,
                links=(Link("en", f"https://example.org/{i}.pdf", "pdf"),),
                dimensions=(4,),
                line=i + 1,
            )
        )
    return Catalogue(resources, taxonomy)


@pytest.mark.parametrize("seed", range(4))
def test_generated_catalogues_give_the_same_warnings(taxonomy, seed):
    catalogue = generated_catalogue(taxonomy, seed, 300)
    expected = reference_findings(catalogue)
    assert len(expected) > 20
    assert findings(catalogue) == expected


@pytest.mark.parametrize(
    ("catalogue", "docs"),
    [(ROOT / "resources.yaml", ROOT / "docs"), (FIXTURES / "catalogue.yaml", FIXTURES / "docs")],
    ids=["shipped", "fixtures"],
)
def test_shipped_and_fixture_catalogues_give_the_same_warnings(taxonomy, catalogue, docs):
    loaded = load_catalogue(catalogue, taxonomy, docs)
    assert findings(loaded) == reference_findings(loaded)


# ---- titles the same once composed --------------------------------------------------------------

# (first title, second title, expected wording of the warning on the second)
SAME_TITLES = [
    ("Guía de cobranza", "Gui\u0301a de cobranza", "is the same as that of 'one' (line 1)"),  # NFC / NFD
    ("Évaluation sociale", "E\u0301valuation sociale", "is the same as that of 'one' (line 1)"),
    ("Smart Operations Tool", "Smart Operations Tool", "is the same as that of 'one' (line 1)"),
    ("Smart Operations Tool", "smart operations tool!", "is the same as that of 'one' (line 1), but for case"),
    ("Client Protection Self-Assessment Tool", "Client Protection Self Assessment Tools", "is 99% similar to that of 'one'"),
]


@pytest.mark.parametrize(("first", "second", "wording"), SAME_TITLES)
def test_titles_the_same_once_composed_are_reported_as_the_same(taxonomy, first, second, wording):
    resources = [
        Resource(id=rid, type="tool", title={"en": title}, links=(Link("en", f"https://e.org/{rid}", "web"),), line=n)
        for n, (rid, title) in enumerate([("one", first), ("two", second)], start=1)
    ]
    found = similar_titles(Catalogue(resources, taxonomy))
    assert len(found) == 1 and found[0].resource_id == "two"
    assert wording in found[0].message, found[0].message
