"""The search relevance evaluation of issue 24: its set of queries, its arithmetic, its Chromium run.

tests/fixtures/search-eval.yaml holds the queries and the resources each must find in the top
3; tests/tools/search_eval.py loads it, scores result lists and runs the queries in the header
search of a built site, or in its explorer's keyword box. The fast tests here keep the set
valid; the browser tests measure the shipped site's two search boxes against the goal, which
the ranking work of issue 24 has yet to reach.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import LANGUAGES, ROOT, run_build
from tools.search_eval import (
    EVAL_SET,
    KINDS,
    EvalSet,
    EvalSetError,
    NoAnswer,
    Outcome,
    Query,
    catalogue_ids,
    evaluate,
    explorer_ranks,
    fold,
    load_eval_set,
    markdown_report,
    meets_goal,
    reciprocal_rank,
    resource_ids,
    score,
    top3_hit,
)

MIN_QUERIES = 40  # issue 24
MIN_PER_LANGUAGE = 10


@pytest.fixture(scope="module")
def eval_set() -> EvalSet:
    return load_eval_set()


def normalized(query: str) -> str:
    return " ".join(re.split(r"[\s'’]+", fold(query))).strip()


# --- the set ------------------------------------------------------------------------------------


def test_every_expected_resource_is_in_the_catalogue(eval_set):
    known = catalogue_ids(ROOT / "resources.yaml")
    cited = {rid for q in eval_set.queries for rid in q.expect} | {rid for q in eval_set.no_answer for rid in q.tolerate}
    assert cited <= known


def test_there_are_enough_queries_in_every_language(eval_set):
    assert len(eval_set.queries) >= MIN_QUERIES
    per_language = Counter(q.lang for q in eval_set.queries)
    assert {lang: n for lang, n in per_language.items() if n >= MIN_PER_LANGUAGE}.keys() == set(LANGUAGES), per_language


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_kind_of_query_is_asked_in_every_language(eval_set, lang):
    kinds = {q.kind for q in eval_set.queries if q.lang == lang}
    assert kinds == set(KINDS), f"{lang} has no {', '.join(sorted(set(KINDS) - kinds))} query"


def test_no_query_is_asked_twice(eval_set):
    """Not even with other accents, case or spacing: the search folds them, so it is the same query."""
    asked = Counter((q.lang, normalized(q.query)) for q in [*eval_set.queries, *eval_set.no_answer])
    assert [query for query, n in asked.items() if n > 1] == []


def test_expect_lists_name_one_to_three_resources(eval_set):
    assert all(1 <= len(q.expect) <= 3 and len(set(q.expect)) == len(q.expect) for q in eval_set.queries)


def test_every_query_says_why(eval_set):
    assert all(len(q.note) >= 20 for q in [*eval_set.queries, *eval_set.no_answer])


def test_the_issues_failing_examples_are_in_the_set(eval_set):
    asked = {(q.lang, q.query) for q in eval_set.queries}
    for example in [
        ("fr", "protection des donnees"),
        ("es", "proteccion de datos"),
        ("fr", "conseil d'administration"),
        ("en", "client protection principles"),
        ("en", "SPI4"),
        ("en", "how to train the board"),
    ]:
        assert example in asked
    # the issue's zero-result examples: the catalogue has had gender resources since issue 26
    assert {("en", "gender"), ("fr", "genre"), ("es", "genero"), ("pt", "gênero")} <= asked
    assert {q.lang for q in eval_set.no_answer} == set(LANGUAGES)


def test_the_baseline_is_recorded_at_the_top_of_the_set():
    head = EVAL_SET.read_text(encoding="utf-8").split("\nqueries:")[0]
    assert "BASELINE" in head
    assert all(re.search(rf"^#\s+{lang}\b.*MRR \d\.\d+.*top-3 hit rate \d+", head, re.M) for lang in LANGUAGES), head


# --- the loader's errors ------------------------------------------------------------------------


def write_set(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_resource_is_named_with_its_query(tmp_path):
    path = write_set(
        tmp_path, "queries:\n  - {lang: fr, query: surendettement, expect: [no-such-guide], kind: single, note: a made-up id}\n"
    )
    with pytest.raises(EvalSetError, match=r"fr: 'surendettement'.*no-such-guide"):
        load_eval_set(path)


@pytest.mark.parametrize(
    "entry, message",
    [
        ("{lang: fr, query: x, expect: [cerise-spi4], kind: word, note: an unknown kind}", "kind"),
        ("{lang: de, query: x, expect: [cerise-spi4], kind: single, note: an unknown language}", "lang"),
        ("{lang: fr, query: x, expect: [], kind: single, note: nothing expected}", "expect"),
        (
            "{lang: fr, query: x, kind: single, note: four expected,"
            " expect: [cerise-spi4, spi4-audit-guide, guidance-note-01-spi4, alinus-spi4-indicators]}",
            "expect",
        ),
        ("{lang: fr, query: x, expect: [cerise-spi4, cerise-spi4], kind: single, note: twice}", "twice"),
        ("{lang: fr, query: x, expect: [cerise-spi4], kind: single}", "note"),
        ("{lang: fr, query: x, expect: [cerise-spi4], kind: single, note: a typo, expected: []}", "unknown fields"),
    ],
)
def test_malformed_entries_are_refused(tmp_path, entry, message):
    with pytest.raises(EvalSetError, match=message):
        load_eval_set(write_set(tmp_path, f"queries:\n  - {entry}\n"))


def test_a_no_answer_query_may_only_tolerate_known_resources(tmp_path):
    text = "queries: []\nno_answer:\n  - {lang: en, query: gender, tolerate: [gender-guide], note: made up}\n"
    with pytest.raises(EvalSetError, match=r"en: 'gender'.*gender-guide"):
        load_eval_set(write_set(tmp_path, text))


# --- the arithmetic -----------------------------------------------------------------------------


def test_reciprocal_rank_is_that_of_the_best_placed_expected_resource():
    assert reciprocal_rank(["a"], ["a", "b", "c"]) == 1
    assert reciprocal_rank(["c"], ["a", "b", "c"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["e", "b"], ["a", "b", "c", "d", "e"]) == 0.5
    assert reciprocal_rank(["z"], ["a", "b"]) == 0
    assert reciprocal_rank(["a"], []) == 0


def test_a_top3_hit_needs_every_expected_resource_in_the_first_three():
    assert top3_hit(["a", "c"], ["c", "b", "a", "d"])
    assert not top3_hit(["a", "d"], ["c", "b", "a", "d"])
    assert not top3_hit(["a"], ["b", "c", "d", "a"])
    assert not top3_hit([], ["a"])


def query(lang: str, text: str, *expect: str) -> Query:
    return Query(lang=lang, query=text, expect=expect, kind="single", note="a test query")


def outcome(q: Query, ranked: tuple[str, ...]) -> Outcome:
    """An outcome whose pages are `ranked`: resource ids, or other pages' paths (with a slash)."""
    return Outcome(q, tuple(page if "/" in page else f"resources/{page}/" for page in ranked))


def test_scores_are_per_language():
    outcomes = [
        outcome(query("en", "q1", "a"), ("a", "b")),  # RR 1, hit
        outcome(query("en", "q2", "a"), ("b", "c", "d", "a")),  # RR 1/4, miss
        outcome(query("fr", "q3", "a", "b"), ("b", "x", "a")),  # RR 1, hit
        outcome(query("fr", "q4", "a"), ()),  # RR 0, miss
        outcome(query("fr", "q5", "a"), ("x", "a")),  # RR 1/2, hit
    ]
    scores = score(outcomes)
    assert list(scores) == ["en", "fr"]
    assert scores["en"].queries == 2 and scores["en"].mrr == pytest.approx(0.625) and scores["en"].top3 == 0.5
    assert scores["fr"].queries == 3 and scores["fr"].mrr == pytest.approx(0.5) and scores["fr"].top3 == pytest.approx(2 / 3)


def test_the_goal_is_every_expected_resource_in_the_top3_and_mrr_of_09_in_every_language():
    def scores_for(*ranked: tuple[str, ...]) -> dict:
        return score(outcome(query(lang, f"q{i}", "a"), r) for lang in LANGUAGES for i, r in enumerate(ranked))

    assert meets_goal(scores_for(*[("a",)] * 9, ("b", "a")))  # MRR 0.95, all in the top 3
    assert not meets_goal(scores_for(*[("a",)] * 3, ("b", "a")))  # all in the top 3, but MRR 0.875
    assert not meets_goal(scores_for(*[("a",)] * 19, ("b", "c", "d", "a")))  # MRR 0.96, one miss
    assert not meets_goal(score(outcome(query("en", "q", "a"), ("a",)) for _ in range(3)))  # fr, es, pt missing


def test_mrr_of_exactly_09_meets_the_goal():
    outcomes = [outcome(query(lang, f"q{i}", "a"), ("a",)) for lang in LANGUAGES for i in range(4)]
    outcomes += [outcome(query(lang, "q4", "a"), ("b", "a")) for lang in LANGUAGES]  # (4 + 0.5) / 5 = 0.9
    scores = score(outcomes)
    assert all(s.mrr == pytest.approx(0.9) for s in scores.values())
    assert meets_goal(scores)


def test_the_report_has_a_row_per_language_and_lists_the_failures():
    outcomes = [
        outcome(query("en", "SPI4", "cerise-spi4"), ("cerise-spi4-peer-benchmarking", "x", "y", "z", "cerise-spi4")),
        outcome(query("fr", "surendettement", "a"), ("a",)),
    ]
    no_answer = {NoAnswer(lang="en", query="gender", note="nothing about gender"): ()}
    report = markdown_report(outcomes, no_answer)
    assert re.search(r"^\| en \| 1 \| 0\.200 \| 0\.0% \| not met \| 0\.200 \|$", report, re.M), report
    assert re.search(r"^\| fr \| 1 \| 1\.000 \| 100\.0% \| met \| 1\.000 \|$", report, re.M), report
    failure = (
        r"^\| en \| single \| SPI4 \| cerise-spi4 \| 0\.20 \| cerise-spi4-peer-benchmarking, x, y, z, cerise-spi4 \(n=5\) \|$"
    )
    assert re.search(failure, report, re.M), report
    assert "surendettement" not in report.split("Failing queries")[1]
    assert re.search(r"^\| en \| gender \| 0 \| yes \|$", report, re.M)


def test_ranks_skip_other_pages_which_the_report_points_out():
    found = outcome(query("fr", "protection des donnees", "cp-sat"), ("topics/client-exit/", "cp-sat", "standards/4d/", "x"))
    assert found.ranked == ("cp-sat", "x")
    assert found.reciprocal_rank == 1 and found.hit
    assert found.page_reciprocal_rank == 0.5
    assert score([found])["fr"].page_mrr == 0.5
    report = markdown_report([found])
    assert re.search(r"^\| fr \| protection des donnees \| topics/client-exit/ \| cp-sat, x \|$", report, re.M), report


def test_result_links_give_resource_ids_once_each_in_order():
    links = [
        "http://127.0.0.1:8000/fr/resources/cerise-spi4/?h=spi4",
        "http://127.0.0.1:8000/fr/standards/4a/",
        "http://127.0.0.1:8000/fr/resources/spi4-audit-guide/#resume",
        "resources/alinus-spi4-indicators/",
        "http://127.0.0.1:8000/fr/resources/cerise-spi4/#liens",
        "http://127.0.0.1:8000/fr/topics/social-audit/",
    ]
    assert resource_ids(links) == ("cerise-spi4", "spi4-audit-guide", "alinus-spi4-indicators")


def test_evaluate_runs_the_search_box_it_is_given(tmp_path):
    """The header search by default, the explorer's keyword box with runner=explorer_ranks: any
    function of (site, queries, browser=) that answers each (lang, query) with pages."""
    asked = []

    def runner(site, queries, browser=None):
        asked.extend((q.lang, q.query) for q in queries)
        return {(q.lang, q.query): ("resources/a/", "topics/x/", "resources/b/") for q in queries}

    eval_set = EvalSet(
        queries=(query("en", "q1", "b"), query("fr", "q2", "a")),
        no_answer=(NoAnswer(lang="en", query="gender", note="nothing about gender"),),
    )
    outcomes, no_answer = evaluate(tmp_path, eval_set, ["en"], runner=runner)
    assert asked == [("en", "q1"), ("en", "gender")]
    assert [(o.query.query, o.ranked, o.reciprocal_rank) for o in outcomes] == [("q1", ("a", "b"), 0.5)]
    assert list(no_answer.values()) == [("resources/a/", "topics/x/", "resources/b/")]


# --- the shipped site, in Chromium --------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory):
    """The shipped catalogue, built once for this module."""
    site = tmp_path_factory.mktemp("search-eval") / "site"
    result = run_build(ROOT, site=site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def shipped_evaluation(shipped_site, eval_set, browser):
    """The whole set run through the header search of the shipped site (in the suite's Chromium:
    Playwright's synchronous API allows one instance per thread)."""
    outcomes, no_answer = evaluate(shipped_site, eval_set, browser=browser)
    print(markdown_report(outcomes, no_answer))
    return outcomes, no_answer


@pytest.fixture(scope="module")
def explorer_evaluation(shipped_site, eval_set, browser):
    """The whole set run through the keyword box of the shipped site's explorer."""
    outcomes, no_answer = evaluate(shipped_site, eval_set, browser=browser, runner=explorer_ranks)
    print("Explorer's keyword box:\n" + markdown_report(outcomes, no_answer))
    return outcomes, no_answer


@pytest.mark.browser
def test_header_search_meets_the_goal(shipped_evaluation):
    outcomes, no_answer = shipped_evaluation
    assert meets_goal(score(outcomes)), markdown_report(outcomes, no_answer)


@pytest.mark.browser
def test_explorer_keyword_box_meets_the_goal(explorer_evaluation):
    outcomes, no_answer = explorer_evaluation
    assert meets_goal(score(outcomes)), markdown_report(outcomes, no_answer)


@pytest.mark.browser
def test_queries_without_an_answer_find_nothing_else(shipped_evaluation):
    _, no_answer = shipped_evaluation
    # the runner lists pages; `tolerate` names resources (a query may still find a topic's page)
    found = {q.label(): ranked for q, ranked in no_answer.items() if not set(resource_ids(ranked)) <= set(q.tolerate)}
    assert found == {}
