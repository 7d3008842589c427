"""Relevance evaluation of the site's two search boxes (issue 24, "Search that ranks").

The evaluation set, tests/fixtures/search-eval.yaml, lists queries in the four site languages,
each with the resources a practitioner must find in the first three results. This module:

- loads and validates it (`load_eval_set`): every expected id must exist in resources.yaml,
  or the error names the query that cites it;
- scores ranked result lists (`reciprocal_rank`, `top3_hit`, `score`): per language, the mean
  reciprocal rank (MRR) and the top-3 hit rate, against the goal of the issue (top-3 hit rate
  100 % and MRR >= 0.9 in every language);
- runs the queries in Chromium against a built site (`header_search_ranks`): the site is
  served on 127.0.0.1, each query is typed into Material's header search on the language's
  home page, and the resource ids are read from the result links (`resources/<id>/`); or
  through the explorer's keyword box (`explorer_ranks`), which ranks with the same rank.js:
  each query opens the language's explorer with `?q=`, and the ids are read from its cards;
- prints a markdown report (`main`), which exits with 1 while the goal is not met:

    PYTHONPATH=. python tests/tools/search_eval.py /tmp/eval-site [--explorer]

Ranks count resources only: a dimension, standard, topic or about page among the results is
skipped, since the set's answers are resources. A query's reciprocal rank is 1 / the rank of
its best-placed expected resource (0 if none is returned); its top-3 hit needs every expected
resource in the first three. The report also gives, as a diagnostic, the MRR over every page
listed and the queries whose first result is not a resource (French "protection des donnees"
first lists the topic page "Départ des clients", found by "des").
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from tests.tools.httpserve import serve

ROOT = Path(__file__).resolve().parents[2]
EVAL_SET = ROOT / "tests" / "fixtures" / "search-eval.yaml"
CATALOGUE = ROOT / "resources.yaml"
LANGUAGES = ("en", "fr", "es", "pt")
KINDS = ("single", "multi", "accent-free", "acronym", "phrase", "standard")
TOP = 3
GOAL_MRR = 0.9
GOAL_TOP3 = 1.0
CHROMIUM = "/usr/bin/chromium"
RESOURCE_LINK = re.compile(r"(?:^|/)resources/([^/?#]+)/")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the catalogue is long


class EvalSetError(ValueError):
    """The evaluation set is malformed or cites a resource the catalogue does not have."""


@dataclass(frozen=True)
class Query:
    """A scored query: the resources in `expect` must all be among the first three results."""

    lang: str
    query: str
    expect: tuple[str, ...]
    kind: str
    note: str

    def label(self) -> str:
        return f"{self.lang}: {self.query!r}"


@dataclass(frozen=True)
class NoAnswer:
    """A query the catalogue has no true answer for: the search should return nothing, or only `tolerate`."""

    lang: str
    query: str
    note: str
    tolerate: tuple[str, ...] = ()

    def label(self) -> str:
        return f"{self.lang}: {self.query!r}"


@dataclass(frozen=True)
class EvalSet:
    queries: tuple[Query, ...]
    no_answer: tuple[NoAnswer, ...]


@dataclass(frozen=True)
class Outcome:
    """What the search listed for a query: the pages (site paths such as "resources/x/"), best first."""

    query: Query
    pages: tuple[str, ...]

    @property
    def ranked(self) -> tuple[str, ...]:
        """The resource ids among the pages, best first."""
        return resource_ids(self.pages)

    @property
    def reciprocal_rank(self) -> float:
        return reciprocal_rank(self.query.expect, self.ranked)

    @property
    def page_reciprocal_rank(self) -> float:
        """The reciprocal rank when every page listed counts (a diagnostic, not the goal)."""
        return reciprocal_rank(self.query.expect, [(resource_ids([page]) or (page,))[0] for page in self.pages])

    @property
    def hit(self) -> bool:
        return top3_hit(self.query.expect, self.ranked)


@dataclass(frozen=True)
class Score:
    """One language's figures."""

    lang: str
    queries: int
    mrr: float
    top3: float
    page_mrr: float = 0.0

    @property
    def meets_goal(self) -> bool:
        return self.queries > 0 and self.top3 >= GOAL_TOP3 and self.mrr >= GOAL_MRR


# --- the evaluation set -------------------------------------------------------------------------


def catalogue_ids(catalogue: Path = CATALOGUE) -> set[str]:
    """The ids of the resources in a catalogue file."""
    data = yaml.load(catalogue.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    return {entry["id"] for entry in data.get("resources") or []}


def fold(text: str) -> str:
    """Lower case without accents, as the site's search compares words (spmlib/model/words.py)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EvalSetError(f"{where}: `{key}` must be a non-empty string")
    return value.strip()


def _ids(entry: Mapping[str, Any], key: str, where: str, known: set[str], lengths: range) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EvalSetError(f"{where}: `{key}` must be a list of resource ids")
    if len(value) not in lengths:
        raise EvalSetError(f"{where}: `{key}` names {len(value)} resources, expected {lengths.start}-{lengths.stop - 1}")
    if len(set(value)) != len(value):
        raise EvalSetError(f"{where}: `{key}` names a resource twice")
    unknown = [v for v in value if v not in known]
    if unknown:
        raise EvalSetError(f"{where}: `{key}` names resources that are not in resources.yaml: {', '.join(unknown)}")
    return tuple(value)


def _lang(entry: Mapping[str, Any], where: str) -> str:
    lang = entry.get("lang")
    if lang not in LANGUAGES:
        raise EvalSetError(f"{where}: `lang` must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def load_eval_set(path: Path = EVAL_SET, catalogue: Path = CATALOGUE) -> EvalSet:
    """The evaluation set in `path`, checked against the ids of `catalogue`.

    Raises EvalSetError naming the query at fault: an unknown field, language or kind, an
    expected id that resources.yaml does not have, an `expect` list that is not 1-3 ids long.
    """
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(data, dict) or not isinstance(data.get("queries"), list):
        raise EvalSetError(f"{path}: a mapping with a `queries` list is expected")
    known = catalogue_ids(catalogue)
    queries: list[Query] = []
    for n, entry in enumerate(data["queries"], 1):
        where = f"query {n} ({entry.get('lang')}: {entry.get('query')!r})" if isinstance(entry, dict) else f"query {n}"
        if not isinstance(entry, dict):
            raise EvalSetError(f"{where}: a mapping is expected")
        extra = set(entry) - {"lang", "query", "expect", "kind", "note"}
        if extra:
            raise EvalSetError(f"{where}: unknown fields {', '.join(sorted(extra))}")
        kind = entry.get("kind")
        if kind not in KINDS:
            raise EvalSetError(f"{where}: `kind` must be one of {', '.join(KINDS)}, not {kind!r}")
        queries.append(
            Query(
                lang=_lang(entry, where),
                query=_text(entry, "query", where),
                expect=_ids(entry, "expect", where, known, range(1, TOP + 1)),
                kind=kind,
                note=_text(entry, "note", where),
            )
        )
    no_answer: list[NoAnswer] = []
    for n, entry in enumerate(data.get("no_answer") or [], 1):
        where = f"no_answer {n} ({entry.get('lang')}: {entry.get('query')!r})" if isinstance(entry, dict) else f"no_answer {n}"
        if not isinstance(entry, dict):
            raise EvalSetError(f"{where}: a mapping is expected")
        extra = set(entry) - {"lang", "query", "note", "tolerate"}
        if extra:
            raise EvalSetError(f"{where}: unknown fields {', '.join(sorted(extra))}")
        no_answer.append(
            NoAnswer(
                lang=_lang(entry, where),
                query=_text(entry, "query", where),
                note=_text(entry, "note", where),
                tolerate=_ids(entry, "tolerate", where, known, range(0, len(known) + 1)),
            )
        )
    return EvalSet(tuple(queries), tuple(no_answer))


# --- the arithmetic -----------------------------------------------------------------------------


def reciprocal_rank(expect: Sequence[str], ranked: Sequence[str]) -> float:
    """1 / the rank (from 1) of the first expected resource in `ranked`; 0 if none is there."""
    wanted = set(expect)
    for rank, rid in enumerate(ranked, 1):
        if rid in wanted:
            return 1 / rank
    return 0.0


def top3_hit(expect: Sequence[str], ranked: Sequence[str]) -> bool:
    """Whether every expected resource is among the first three of `ranked`."""
    return bool(expect) and set(expect) <= set(ranked[:TOP])


def score(outcomes: Iterable[Outcome]) -> dict[str, Score]:
    """MRR and top-3 hit rate per language, for the languages that have outcomes, in site order."""
    by_lang: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_lang.setdefault(outcome.query.lang, []).append(outcome)
    scores = {}
    for lang in sorted(by_lang, key=lambda lang: LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES)):
        group = by_lang[lang]
        scores[lang] = Score(
            lang=lang,
            queries=len(group),
            mrr=sum(o.reciprocal_rank for o in group) / len(group),
            top3=sum(o.hit for o in group) / len(group),
            page_mrr=sum(o.page_reciprocal_rank for o in group) / len(group),
        )
    return scores


def meets_goal(scores: Mapping[str, Score], languages: Iterable[str] = LANGUAGES) -> bool:
    """Whether every language in `languages` has scores that reach the goal."""
    return all(lang in scores and scores[lang].meets_goal for lang in languages)


# --- the runner ---------------------------------------------------------------------------------


# Runs before the page's scripts: wraps the Worker constructor (lazy-search.js then wraps this
# one in turn) to record the queries Material posts to its search worker and the results it gets
# back. Material renders a result synchronously when its message arrives, so once the answer to
# the last query posted is in, the result list on the page is that query's.
_WATCH_WORKER = """
(() => {
  const state = { ready: false, posted: 0, answered: 0, query: null, locations: [] };
  window.__spmSearchEval = state;
  const Base = window.Worker;
  if (!Base) return;
  const Watched = function (url, options) {
    const worker = new Base(url, options);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      if (message && message.type === 2) {  /* SearchMessageType.QUERY */
        state.posted += 1;
        state.query = message.data;
      }
      return post(message, ...rest);
    };
    worker.addEventListener("message", (event) => {
      const message = event.data || {};
      if (message.type === 1) state.ready = true;  /* READY */
      if (message.type === 3) {  /* RESULT */
        state.locations = ((message.data && message.data.items) || []).map((group) => group[0].location);
        state.answered = state.posted;
      }
    });
    return worker;
  };
  Watched.prototype = Base.prototype;
  window.Worker = Watched;
})();
"""

_ANSWERED = """
(query) => {
  const s = window.__spmSearchEval;
  if (!s || s.query !== query || s.answered !== s.posted) return false;
  const shown = document.querySelectorAll(".md-search-result__list > .md-search-result__item").length;
  return shown === Math.min(s.locations.length, 10);
}
"""

_SHOWN = """
() => Array.from(document.querySelectorAll(".md-search-result__list > .md-search-result__item"))
  .map((item) => (item.querySelector("a.md-search-result__link") || {}).href || "")
"""


def resource_ids(links: Iterable[str]) -> tuple[str, ...]:
    """The resource ids that `links` (result hrefs or locations) point to, in order, once each."""
    ids: list[str] = []
    for link in links:
        match = RESOURCE_LINK.search(urlsplit(link).path if "://" in link else link)
        if match and match.group(1) not in ids:
            ids.append(match.group(1))
    return tuple(ids)


Runner = Callable[..., dict[tuple[str, str], tuple[str, ...]]]  # header_search_ranks or explorer_ranks


def _by_language(queries: Iterable[Query | NoAnswer | tuple[str, str]]) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {}
    for item in queries:
        lang, text = (item.lang, item.query) if hasattr(item, "lang") else item  # type: ignore[union-attr]
        wanted.setdefault(lang, []).append(text)
    return wanted


def _in_chromium(site: Path, wanted: dict[str, list[str]], run: Callable, chromium: str, timeout_ms: float, browser: Any):
    """`run(browser, base, wanted, timeout_ms)` with `site` served on 127.0.0.1, in `browser` or a Chromium started here."""
    with serve(site) as base:
        if browser is not None:
            return run(browser, base, wanted, timeout_ms)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            try:
                return run(own, base, wanted, timeout_ms)
            finally:
                own.close()


def _local_only(page: Any) -> None:
    """Requests to any host but 127.0.0.1 are refused."""
    page.route(
        "**/*",
        lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort(),
    )


def header_search_ranks(
    site: Path,
    queries: Iterable[Query | NoAnswer | tuple[str, str]],
    chromium: str = CHROMIUM,
    timeout_ms: float = 60_000,
    browser: Any = None,
) -> dict[tuple[str, str], tuple[str, ...]]:
    """The pages Material's header search lists for each (lang, query), best first.

    `queries` are (lang, text) pairs or objects with `lang` and `query`. Each language's home
    page is opened once in Chromium, from `site` served on 127.0.0.1 (requests to any other host
    are refused); each query is typed into the header search field, then read from the result
    list once the search worker has answered it. Pages are paths from the language's home, as
    the search index gives them ("resources/cerise-spi4/", "topics/client-exit/"). The page's
    links (the first ten results; Material shows the rest on scrolling) must name the same
    resources in the same order as the worker's answer, which gives the whole list.

    `browser` is a running Playwright Browser to use (the test suite's, since Playwright's
    synchronous API runs one instance per thread); without one, Chromium is started here.
    """
    return _in_chromium(site, _by_language(queries), _ranks_in, chromium, timeout_ms, browser)


def explorer_ranks(
    site: Path,
    queries: Iterable[Query | NoAnswer | tuple[str, str]],
    chromium: str = CHROMIUM,
    timeout_ms: float = 60_000,
    browser: Any = None,
) -> dict[tuple[str, str], tuple[str, ...]]:
    """The resources the explorer's keyword box lists for each (lang, query), best first, as
    pages ("resources/cerise-spi4/") like header_search_ranks.

    Each query opens the language's explorer with it in the address (`resources/?q=...`, as a
    shared link would), in its default order (best match first); the ids are read from the
    result cards once the explorer says they are final (aria-busy="false": the keyword text
    and the cards shown are in). The explorer shows the first PAGE_SIZE results; a resource
    further down counts as not found. Arguments as header_search_ranks.
    """
    return _in_chromium(site, _by_language(queries), _explorer_ranks_in, chromium, timeout_ms, browser)


def _explorer_ranks_in(
    browser: Any, base: str, wanted: dict[str, list[str]], timeout_ms: float
) -> dict[tuple[str, str], tuple[str, ...]]:
    ranks: dict[tuple[str, str], tuple[str, ...]] = {}
    for lang in sorted(wanted, key=LANGUAGES.index):
        context = browser.new_context()
        try:
            page = context.new_page()
            _local_only(page)
            for text in wanted[lang]:
                page.goto(base + ("" if lang == "en" else f"{lang}/") + "resources/?q=" + quote(text))
                page.wait_for_selector("[data-explorer] form:not([hidden])", timeout=timeout_ms)
                page.wait_for_selector('[data-results][aria-busy="false"]', state="attached", timeout=timeout_ms)
                ids = page.locator("[data-results] > li[data-id]").evaluate_all("items => items.map(li => li.dataset.id)")
                ranks[(lang, text)] = tuple(f"resources/{rid}/" for rid in ids)
        finally:
            context.close()
    return ranks


def _ranks_in(browser: Any, base: str, wanted: dict[str, list[str]], timeout_ms: float) -> dict[tuple[str, str], tuple[str, ...]]:
    """header_search_ranks with a running browser and the site served at `base`."""
    ranks: dict[tuple[str, str], tuple[str, ...]] = {}
    for lang in sorted(wanted, key=LANGUAGES.index):
        context = browser.new_context()
        try:
            page = context.new_page()
            _local_only(page)
            page.add_init_script(_WATCH_WORKER)
            page.goto(base + ("" if lang == "en" else f"{lang}/"))
            field = page.locator("input[data-md-component=search-query]")
            field.click()
            page.wait_for_function("() => window.__spmSearchEval && window.__spmSearchEval.ready", timeout=timeout_ms)
            for text in wanted[lang]:
                field.fill(text)
                field.press("End")  # Material reads the field on keyup
                page.wait_for_function(_ANSWERED, arg=text, timeout=timeout_ms)
                shown = resource_ids(page.evaluate(_SHOWN))
                locations = tuple(page.evaluate("() => window.__spmSearchEval.locations"))
                answered = resource_ids(locations)
                if answered[: len(shown)] != shown:
                    raise RuntimeError(f"{lang}: {text!r}: the page lists {shown}, the worker answered {answered}")
                ranks[(lang, text)] = locations
        finally:
            context.close()
    return ranks


def evaluate(
    site: Path, eval_set: EvalSet, languages: Iterable[str] = LANGUAGES, browser: Any = None, runner: Runner | None = None
) -> tuple[list[Outcome], dict[NoAnswer, tuple[str, ...]]]:
    """Runs every query of `eval_set` in `languages` through a search box of `site`: the header
    search (`runner` header_search_ranks, the default) or the explorer's keyword box (explorer_ranks).

    Returns the outcomes of the scored queries and the pages listed for each `no_answer` query.
    """
    languages = set(languages)
    queries = [q for q in eval_set.queries if q.lang in languages]
    no_answer = [q for q in eval_set.no_answer if q.lang in languages]
    ranks = (runner or header_search_ranks)(site, [*queries, *no_answer], browser=browser)
    outcomes = [Outcome(q, ranks[(q.lang, q.query)]) for q in queries]
    return outcomes, {q: ranks[(q.lang, q.query)] for q in no_answer}


# --- the report ---------------------------------------------------------------------------------


def markdown_report(outcomes: Sequence[Outcome], no_answer: Mapping[NoAnswer, Sequence[str]] | None = None) -> str:
    """Per language: queries, MRR, top-3 hit rate; then the failing queries with what came back."""
    scores = score(outcomes)
    lines = [
        f"Goal: top-3 hit rate {GOAL_TOP3:.0%} and MRR >= {GOAL_MRR} in each language.",
        "",
        "| language | queries | MRR | top-3 hit rate | goal | MRR, every page counted |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for s in scores.values():
        lines.append(
            f"| {s.lang} | {s.queries} | {s.mrr:.3f} | {s.top3:.1%} | {'met' if s.meets_goal else 'not met'} | {s.page_mrr:.3f} |"
        )
    total = len(outcomes)
    if total:
        mrr = sum(o.reciprocal_rank for o in outcomes) / total
        hits = sum(o.hit for o in outcomes) / total
        page_mrr = sum(o.page_reciprocal_rank for o in outcomes) / total
        lines.append(f"| all | {total} | {mrr:.3f} | {hits:.1%} | | {page_mrr:.3f} |")
    failing = [o for o in outcomes if not o.hit]
    lines += ["", f"Failing queries ({len(failing)}): expected resources not all in the top {TOP}.", ""]
    if failing:
        lines += ["| lang | kind | query | expected | RR | returned (first 5 of n) |", "|---|---|---|---|---:|---|"]
        for o in failing:
            q = o.query
            returned = f"{', '.join(o.ranked[:5]) or '(nothing)'} (n={len(o.ranked)})"
            lines.append(f"| {q.lang} | {q.kind} | {q.query} | {', '.join(q.expect)} | {o.reciprocal_rank:.2f} | {returned} |")
    others_first = [o for o in outcomes if o.pages and not resource_ids(o.pages[:1])]
    if others_first:
        lines += ["", "Queries whose first result is not a resource (a diagnostic: ranks skip these pages):", ""]
        lines += ["| lang | query | first result | resources in the top 3 |", "|---|---|---|---|"]
        for o in others_first:
            lines.append(f"| {o.query.lang} | {o.query.query} | {o.pages[0]} | {', '.join(o.ranked[:TOP]) or '(none)'} |")
    if no_answer:
        lines += ["", "Queries without an answer in the catalogue (should return nothing, or only what is tolerated):", ""]
        lines += ["| lang | query | resources returned | ok |", "|---|---|---:|---|"]
        for q, pages in no_answer.items():
            ranked = resource_ids(pages)
            ok = set(ranked) <= set(q.tolerate)
            lines.append(f"| {q.lang} | {q.query} | {len(ranked)} | {'yes' if ok else 'no: ' + ', '.join(ranked[:5])} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Prints the markdown report for a built site; exits with 1 while the goal is not met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (mkdocs build -d SITE)")
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="only these languages (repeatable)")
    parser.add_argument("--eval-set", type=Path, default=EVAL_SET)
    parser.add_argument("--explorer", action="store_true", help="the explorer's keyword box, not the header search")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site (no index.html)")
    languages = args.lang or list(LANGUAGES)
    runner = explorer_ranks if args.explorer else header_search_ranks
    outcomes, no_answer = evaluate(args.site, load_eval_set(args.eval_set), languages, runner=runner)
    print(markdown_report(outcomes, no_answer))
    return 0 if meets_goal(score(outcomes), languages) else 1


if __name__ == "__main__":
    sys.exit(main())
