"""Keystroke latency of the header search in Chromium, on a built site (issue 24's speed goal).

benchmarks/search.py builds a 10,000-entry site and hands it here. Each language's home page is
served on 127.0.0.1 (tests/tools/httpserve.py) and opened in a fresh browser context, with the
real theme, lazy-search.js and the search worker of this checkout
(overrides/assets/javascripts/workers/search-fold.js): whatever that worker does today is what
is measured.

Two figures, measured in the page with `performance.now()`:

- **index load**: from the first focus of the search field (which releases the index request,
  see lazy-search.js) to the worker's READY message: the download of the index, Material's
  hand-over to the worker and the building of its indexes (lunr's of the pages other than
  resources, search-fold.js's word index of the resources). Measured in `loads` fresh
  contexts per language (empty cache), apart from the keystrokes.
- **keystroke**: from a key's keydown to the moment Material has rendered the answer to the
  query that key made (the result count and the first ten results), style and layout included
  (forced by reading the list's size; painting is left out, as in benchmarks/explorer.py).
  A MutationObserver on Material's result block (`.md-search-result`: its meta count and
  `.md-search-result__list`) sees the render; a wrapped Worker tells which query the render
  answers. Queries are typed one key at a time, each key once the previous answer is shown,
  so a latency never includes waiting for an earlier query.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from tests.tools.httpserve import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
FIELD = "input[data-md-component=search-query]"

# Runs before the page's scripts. Wraps the Worker constructor (lazy-search.js then wraps this
# one, as tests/tools/search_eval.py's runner does) to see the queries Material posts and the
# answers it gets: Material renders an answer synchronously when its message arrives, after
# this listener (added first), and the observer's callback runs right after that render.
PROBE = """
(() => {
  const state = { ready: false, focusAt: null, readyAt: null, posted: 0, answered: 0, query: null, postedAt: null,
                  answeredAt: null, results: 0, measuring: false, keyAt: null, keyupAt: null, latencies: [] };
  window.__spmSearchBench = state;
  const isField = (node) => node && node.matches && node.matches("[data-md-component=search-query]");
  const Base = window.Worker;
  if (Base) {
    const Watched = function (url, options) {
      const worker = new Base(url, options);
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (message, ...rest) => {
        if (message && message.type === 2) {  /* QUERY */
          state.posted += 1;
          state.query = message.data;
          state.postedAt = performance.now();
        }
        return post(message, ...rest);
      };
      worker.addEventListener("message", (event) => {
        const message = event.data || {};
        if (message.type === 1 && !state.ready) { state.ready = true; state.readyAt = performance.now(); }  /* READY */
        if (message.type === 3) {  /* RESULT */
          state.answered = state.posted;
          state.answeredAt = performance.now();
          state.results = ((message.data && message.data.items) || []).length;
        }
      });
      return worker;
    };
    Watched.prototype = Base.prototype;
    window.Worker = Watched;
  }
  document.addEventListener("focusin", (e) => {
    if (state.focusAt === null && isField(e.target)) state.focusAt = performance.now();
  }, true);
  document.addEventListener("keydown", (e) => {
    if (state.measuring && isField(e.target)) state.keyAt = performance.now();
  }, true);
  document.addEventListener("keyup", (e) => {  /* Material reads the field on keyup */
    if (state.keyAt !== null && isField(e.target)) state.keyupAt = performance.now();
  }, true);
  document.addEventListener("DOMContentLoaded", () => {
    const block = document.querySelector("[data-md-component=search-result]");
    const field = document.querySelector("[data-md-component=search-query]");
    if (!block || !field) return;
    new MutationObserver(() => {
      if (state.keyAt === null || state.answered !== state.posted || state.query !== field.value) return;
      block.getBoundingClientRect();  /* forces style and layout */
      state.latencies.push({
        query: field.value,
        ms: performance.now() - state.keyAt,
        keyup_ms: performance.now() - state.keyupAt,  /* without the key's own down-up gap */
        worker_ms: state.answeredAt - state.postedAt,  /* from Material's post of the query to the answer */
        results: state.results,
      });
      state.keyAt = null;
    }).observe(block, { childList: true, subtree: true, characterData: true });
  });
})();
"""

READY = "() => { const s = window.__spmSearchBench; return s.ready && s.answered === s.posted; }"
EMPTY = "() => { const s = window.__spmSearchBench; return s.answered === s.posted && s.query === ''; }"
MEASURED = "(n) => window.__spmSearchBench.latencies.length >= n"


def home(base: str, lang: str) -> str:
    """The address of a language's home page on the site served at `base` (English at the root)."""
    return base if lang == "en" else f"{base}{lang}/"


def _open(browser: Any, url: str) -> tuple[Any, Any]:
    """A fresh context (empty cache) on `url`, with the probe and requests to other hosts refused."""
    context = browser.new_context()
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort())
    page.add_init_script(PROBE)
    page.goto(url)
    return context, page


def _load(page: Any, timeout_ms: float) -> float:
    """Focuses the search field and waits for the worker to be ready: the index load, in ms."""
    page.locator(FIELD).click()
    page.wait_for_function(READY, timeout=timeout_ms)
    return page.evaluate("() => window.__spmSearchBench.readyAt - window.__spmSearchBench.focusAt")


def _clear(page: Any, timeout_ms: float) -> None:
    """Empties the field, unmeasured, and waits for Material to have searched for nothing."""
    page.evaluate("() => { window.__spmSearchBench.measuring = false; }")
    page.locator(FIELD).fill("")
    page.locator(FIELD).press("End")  # Material reads the field on keyup
    page.wait_for_function(EMPTY, timeout=timeout_ms)
    page.evaluate("() => { window.__spmSearchBench.measuring = true; }")


def _type(page: Any, queries: Iterable[str], timeout_ms: float) -> list[dict]:
    """Types each query one key at a time into the ready field, each key after the last answer is shown.

    Raises RuntimeError if the answers measured are not those of the keys typed, in order."""
    done, typed = 0, []
    for query in queries:
        _clear(page, timeout_ms)
        for end in range(1, len(query) + 1):
            page.keyboard.type(query[end - 1])
            typed.append(query[:end])
            done += 1
            page.wait_for_function(MEASURED, arg=done, timeout=timeout_ms)
    latencies = page.evaluate("() => window.__spmSearchBench.latencies")
    if [key["query"] for key in latencies] != typed:
        raise RuntimeError(f"measured {[key['query'] for key in latencies]}, typed {typed}")
    return latencies


def keystrokes(
    browser: Any, site: Any, queries: Mapping[str, Sequence[str]], loads: int = 3, timeout_ms: float = 300_000
) -> dict:
    """Index loads and keystroke latencies of the header search of `site`, per language.

    `queries`: the queries typed on each language's home page. Returns, per language,
    `load_ms` (one per fresh context) and `keys` ({query, ms, results} per keystroke).
    """
    measured: dict[str, dict] = {}
    with serve(site) as base:
        for lang, typed in queries.items():
            loads_ms, keys = [], []
            for run in range(max(loads, 1)):
                context, page = _open(browser, home(base, lang))
                try:
                    loads_ms.append(round(_load(page, timeout_ms), 1))
                    if run == 0:
                        keys = _type(page, typed, timeout_ms)
                finally:
                    context.close()
            measured[lang] = {"load_ms": loads_ms, "keys": keys}
    return measured


def percentile(values: Iterable[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or
    below it (p95 of 40 keystrokes is the 38th fastest). Raises ValueError on no values."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share}")
    rank = max(1, math.ceil(round(share * len(ordered), 9)))  # rounded first: 0.55 * 100 is 55.00000000000001
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> dict:
    """Count, median, p95 and max of latencies in ms, rounded to 0.1 ms."""
    if not values:
        return {"count": 0, "median_ms": None, "p95_ms": None, "max_ms": None}
    return {
        "count": len(values),
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
    }
