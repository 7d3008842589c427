"""The pure parts of the search benchmark (benchmarks/search.py, benchmarks/searchkeys.py).

No timing here: the figures are the benchmark's (`make bench-search`). These tests keep its
arithmetic and its tables honest, and show that a second ranker is one more pair of RANKERS.
"""

from __future__ import annotations

import json
import re

import pytest

from benchmarks.search import figures, index_sizes, markdown_table, relevance, report
from benchmarks.searchkeys import percentile, summary
from tests.tools.search_eval import EvalSet, Outcome, Query


def query(lang: str, text: str, *expect: str) -> Query:
    return Query(lang=lang, query=text, expect=expect, kind="single", note="a test query")


# --- percentile and summary ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        (range(1, 21), 0.95, 19),  # 19 of 20 at or below
        (range(1, 41), 0.95, 38),
        (range(1, 31), 0.95, 29),  # 28.5 rounds up to the 29th
        (range(1, 101), 0.55, 55),  # 0.55 * 100 is 55.00000000000001 in floating point
        (range(1, 11), 0.5, 5),
        ([7.0], 0.95, 7.0),
        ([3, 1, 2], 1.0, 3),
        ([5, 1, 4, 2, 3], 0.01, 1),
    ],
)
def test_percentile_is_the_nearest_rank(values, share, expected):
    assert percentile(values, share) == expected


@pytest.mark.parametrize(("values", "share"), [([], 0.95), ([1.0], 0), ([1.0], 1.5)])
def test_percentile_refuses_what_has_none(values, share):
    with pytest.raises(ValueError):
        percentile(values, share)


def test_summary_of_latencies():
    values = [10.0, 30.0, 20.0, 40.0, 1000.04]
    assert summary(values) == {"count": 5, "median_ms": 30.0, "p95_ms": 1000.0, "max_ms": 1000.0}
    assert summary([]) == {"count": 0, "median_ms": None, "p95_ms": None, "max_ms": None}


# --- tables -------------------------------------------------------------------------------------


def test_markdown_table_aligns_the_chosen_columns_right_and_escapes_pipes():
    lines = markdown_table(["lang", "query", "ms"], [["en", "a|b", 1.5], ["fr", "x", 20]], right=[2])
    assert lines == [
        "| lang | query | ms |",
        "| --- | --- | ---: |",
        "| en | a\\|b | 1.5 |",
        "| fr | x | 20 |",
    ]


def test_markdown_table_refuses_a_row_of_the_wrong_length():
    with pytest.raises(ValueError, match="2 cells in a table of 3 columns"):
        markdown_table(["a", "b", "c"], [["1", "2"]])


# --- relevance figures --------------------------------------------------------------------------


def outcome(q: Query, *ids: str) -> Outcome:
    return Outcome(q, tuple(f"resources/{rid}/" for rid in ids))


def test_figures_per_language_and_over_all():
    outcomes = [
        outcome(query("en", "q1", "a"), "a"),  # RR 1, hit
        outcome(query("en", "q2", "a"), "b", "c", "d", "a"),  # RR 1/4, miss
        outcome(query("fr", "q3", "a"), "x", "a"),  # RR 1/2, hit
    ]
    assert figures(outcomes) == {
        "en": {"queries": 2, "mrr": 0.625, "top3": 0.5},
        "fr": {"queries": 1, "mrr": 0.5, "top3": 1.0},
        "all": {"queries": 3, "mrr": 0.583, "top3": 0.667},
    }
    assert figures([]) == {}


def test_a_second_ranker_is_one_more_pair_and_one_more_pair_of_columns(tmp_path):
    eval_set = EvalSet((query("en", "spi4", "a"), query("fr", "gouvernance", "b")), ())
    calls = []

    def perfect(site, queries, browser=None):
        calls.append((site, browser))
        return {(q.lang, q.query): [f"resources/{q.expect[0]}/"] for q in queries}

    def second_best(site, queries, browser=None):
        return {(q.lang, q.query): ["topics/x/", "resources/other/", f"resources/{q.expect[0]}/"] for q in queries}

    result = relevance(tmp_path, eval_set, "the browser", rankers=[("header search", perfect), ("explorer", second_best)])
    assert calls == [(tmp_path, "the browser")]
    assert result["header search"]["all"] == {"queries": 2, "mrr": 1.0, "top3": 1.0}
    assert result["explorer"]["fr"] == {"queries": 1, "mrr": 0.5, "top3": 1.0}
    text = report({"machine": "2 cores", "date": "2026-12-03", "run_seconds": 90, "relevance": result})
    assert (
        "| language | queries | header search: MRR | header search: top-3 hit rate | explorer: MRR | explorer: top-3 hit rate |"
        in text
    )
    assert re.search(r"^\| fr \| 1 \| 1\.000 \| 100\.0% \| 0\.500 \| 100\.0% \|$", text, re.M), text


# --- sizes and the whole report -----------------------------------------------------------------


def test_index_sizes_read_each_languages_index(tmp_path):
    docs = [{"location": "", "title": "Home", "text": ""}]
    docs += [{"location": f"resources/r{i}/", "title": f"Resource {i}", "text": "<p>text</p>"} for i in range(3)]
    for folder in ("", "fr"):
        (tmp_path / folder / "search").mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "search" / "search_index.json").write_text(json.dumps({"config": {}, "docs": docs}))
    sizes = index_sizes(tmp_path, ["en", "fr"])
    assert list(sizes) == ["en", "fr"]
    assert sizes["fr"]["documents"] == 4 and sizes["fr"]["resources"] == 3
    assert sizes["en"]["gzip_kb"] == 0 and sizes["en"]["forgiving_gzip_kb"] == 0


def key(query: str, ms: float, worker_ms: float, results: int = 3) -> dict:
    return {"query": query, "ms": ms, "keyup_ms": ms - 1, "worker_ms": worker_ms, "results": results}


def test_report_sets_each_figure_against_its_goal():
    results = {
        "machine": "2 cores",
        "date": "2026-12-03",
        "run_seconds": 330,
        "index": {
            "entries": 10000,
            "build_seconds": 170.2,
            "languages": {
                "en": {"raw_kb": 3100, "gzip_kb": 320, "forgiving_gzip_kb": 80, "documents": 10300, "resources": 10000},
                "fr": {"raw_kb": 5200, "gzip_kb": 501, "forgiving_gzip_kb": 90, "documents": 10300, "resources": 10000},
            },
        },
        "latency": {
            "entries": 10000,
            "load_average": [1.04, 2.5],
            "languages": {
                "en": {"load_ms": [900.0, 1100.0, 1000.0], "keys": [key("go", ms, ms / 2) for ms in (10, 20, 30)]},
                "fr": {"load_ms": [1200.0], "keys": [key("surendet", 80.0, 70.0, results=1536)]},
            },
        },
    }
    text = report(results)
    assert "5.5 minutes" in text
    assert re.search(r"^\| en \| 10,300 \(10,000\) \| 3,100 KB \| 320 KB \| 80 KB \| met \|$", text, re.M), text
    assert re.search(r"^\| fr \| .* \| 501 KB \| 90 KB \| not met \|$", text, re.M), text
    en = (
        r"^\| en \| “client protection”, “governance” \| 3 \| 20\.0 ms \| 30\.0 ms \| 30\.0 ms \| 19\.0 ms \| 10\.0 ms \| met \| "
    )
    en += r"1000\.0 ms \(median of 3\) \|$"
    assert re.search(en, text, re.M), text
    assert re.search(
        r"^\| fr \| .* \| 1 \| 80\.0 ms \| 80\.0 ms \| 80\.0 ms \| 79\.0 ms \| 70\.0 ms \| not met \|", text, re.M
    ), text
    assert re.search(
        r"^\| all \|  \| 4 \| 25\.0 ms \| 80\.0 ms \| 80\.0 ms \| 24\.0 ms \| 12\.5 ms \| not met \|  \|$", text, re.M
    ), text
    assert "Slowest keystrokes: “surendet” 80 ms (1,536 results), “go” 30 ms (3 results)" in text
    assert "began and ended: 1.0 / 2.5." in text
    assert "Relevance" not in text
