"""Link health: check every external address of the catalogue and of docs/, politely, with a memory.

A resource library rots: documents move, sites are rebuilt, hosts vanish. `make links` asks
each address once (however many resources share it), a few at a time per host, and writes a
report grouped by resource with the file:line to edit. It is built to never block anyone by
accident:

- a result is kept in `.cache/links.json` for a few days, so a second run costs nothing;
- 429 and 5xx answers and time-outs are retried with backoff (honouring Retry-After, within a
  cap), and what still fails is reported as "transient", never as an error;
- the exit status is non-zero only for definite failures (404, 410, a host name that does not
  exist) seen at least twice, more than the cache window apart: a flaky host or one bad day
  does not fail the weekly workflow.

Servers that refuse HEAD (405, 501, 403...) are asked again with GET. Addresses declared as a
document (PDF, Word, Excel, PowerPoint, ZIP, video file) are fetched with GET and their first
bytes read, because the commonest rot in this field is a document address that now serves an
HTML page (a landing page, a login wall, a "not found" page with status 200); the bytes are
judged by spmlib.outputs.sniff, as bundles judge them.

Only public addresses are asked, after DNS and at every redirect (spmlib.outputs.netpolicy); an address
that is, resolves to or redirects to an internal one is reported as such, never fetched. The
Markdown report is posted in a GitHub issue: text from the catalogue and from servers cannot
mention anyone there, reference issues or add markup; it is worded by
spmlib.outputs.linkreport, this module only checks.

Why httpx rather than linkchecker: linkchecker crawls web sites and checks the links it finds,
one report line per URL. Here the addresses come from a YAML catalogue and the report must be
grouped by resource with the catalogue's line numbers, decide failures across runs, look at a
document's first bytes, and treat rate limits politely with Retry-After; with linkchecker that
would mean generating a page to crawl and then parsing its output back. httpx (maintained,
pinned with its few pure-Python dependencies) gives an async client with timeouts, redirect
history and streaming, which is all a focused checker needs.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import email.utils
import json
import re
import socket
import time
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from spmlib.model.catalogue import Catalogue
from spmlib.model.linkkinds import DOCUMENT
from spmlib.outputs.netpolicy import PUBLIC_ONLY, AddressPolicy, RefusedAddress, httpx_transport
from spmlib.outputs.sniff import HEAD_BYTES, described, looks_like_html, sniff_extension

T = TypeVar("T")
USER_AGENT = "spm-resource-library-links/1 (link checker of a resource catalogue)"

# Verdicts. Only DEFINITE ones can fail a run, and only once they persist.
OK, REDIRECTED = "ok", "redirected"
NOT_DOCUMENT, WRONG_FORMAT, INTERNAL = "html-not-document", "unexpected-format", "internal-address"
BROKEN, DNS = "broken", "dns"
FORBIDDEN, RATE_LIMITED, SERVER_ERROR, TIMEOUT, ERROR = "forbidden", "rate-limited", "server-error", "timeout", "error"
DEFINITE = {BROKEN, DNS}
WARNING = {NOT_DOCUMENT, WRONG_FORMAT, INTERNAL, FORBIDDEN}
TRANSIENT = {RATE_LIMITED, SERVER_ERROR, TIMEOUT, ERROR}
VERDICT_ORDER = [
    *(BROKEN, DNS, NOT_DOCUMENT, WRONG_FORMAT, INTERNAL, FORBIDDEN),
    *(RATE_LIMITED, SERVER_ERROR, TIMEOUT, ERROR, REDIRECTED, OK),
]

RETRY_STATUSES = {429, 500, 502, 503, 504}
HEAD_REFUSED = {400, 403, 404, 405, 406, 409, 500, 501}  # asked again with GET: many servers mishandle HEAD
SNIFF_BYTES = HEAD_BYTES


@dataclass(frozen=True)
class Address:
    """One external address where it is written: resources.yaml or a page of docs/."""

    url: str
    file: str
    line: int | None
    resource: str | None = None  # the resource's id; None for docs/ pages
    format: str | None = None  # the declared format ("pdf", "web"...), for catalogue links
    document: bool = False  # a link of kind `document`, a file: its first bytes are checked


@dataclass
class Result:
    """What one address answered, as cached and reported."""

    url: str
    verdict: str
    status: int | None = None
    chain: list[int] = field(default_factory=list)  # statuses of the redirects, then the final one
    final_url: str | None = None
    content_type: str | None = None
    detail: str = ""
    checked: str = ""  # ISO time of the check
    failures: list[str] = field(default_factory=list)  # times of the definite failures in a row
    attempts: int = 0
    method: str = ""


# -- collecting the addresses -------------------------------------------------------------

_MD_URL = re.compile(r"""https?://[^\s<>()\[\]"'`]+""")


def catalogue_addresses(catalogue: Catalogue, display_name: str) -> list[Address]:
    """Every http(s) link of the catalogue, with the line of its `url:` in the YAML file."""
    found = []
    raw = catalogue.source.data.get("resources") if catalogue.source and isinstance(catalogue.source.data, dict) else None
    for index, entry in enumerate(raw or []):
        if not isinstance(entry, dict) or entry.get("id") not in catalogue.by_id:
            continue
        resource = catalogue.by_id[entry["id"]]
        declared = {link.url: link for link in resource.links}
        for number, link in enumerate(entry.get("links") or []):
            url = link.get("url") if isinstance(link, dict) else None
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                continue
            line = catalogue.source.line(("resources", index, "links", number, "url"))
            known = declared.get(url)
            fmt = known.format if known else None
            found.append(Address(url, display_name, line, resource.id, fmt, known is not None and known.kind == DOCUMENT))
    return found


def markdown_addresses(docs_dir: Path, root: Path | None = None) -> list[Address]:
    """Every http(s) address written in the Markdown pages of `docs_dir`, with its line."""
    found = []
    for page in sorted(docs_dir.rglob("*.md")):
        name = page.relative_to(root).as_posix() if root and page.is_relative_to(root) else page.as_posix()
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            for match in _MD_URL.finditer(line):
                url = match.group(0).rstrip(".,;:!?*_")
                found.append(Address(url, name, number))
    return found


# -- checking one address ------------------------------------------------------------------


def retry_after(value: str | None, now: dt.datetime, cap: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), at most `cap`."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, min((when - now).total_seconds(), cap))


def classify_exception(exc: BaseException) -> tuple[str, str]:
    """(verdict, detail) for a request that got no answer."""
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError, httpx.TimeoutException)):
        return TIMEOUT, "no complete answer within the time limit"
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, RefusedAddress):
            return INTERNAL, str(cause)
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
                return DNS, "the host name does not exist (DNS)"
            return ERROR, f"DNS lookup failed: {cause.strerror or cause}"
        cause = cause.__cause__ or cause.__context__
    text = str(exc) or type(exc).__name__
    if "Name or service not known" in text or "nodename nor servname" in text:
        return DNS, "the host name does not exist (DNS)"
    return ERROR, text


@dataclass
class Settings:
    timeout: float = 20.0  # seconds for a whole request, however slowly the bytes come
    retries: int = 2  # for 429, 5xx, time-outs and connection errors
    backoff: float = 2.0  # first wait before a retry; doubles each time
    max_wait: float = 60.0  # cap on a Retry-After wait
    per_host: int = 2  # requests at once to one host
    total: int = 16  # requests at once overall
    max_redirects: int = 10
    policy: AddressPolicy = PUBLIC_ONLY  # where requests may go: public addresses only by default


class _HopFailed(Exception):
    """A redirect target that gave no answer; the cause is the error of that hop."""

    def __init__(self, url: str, chain: list[int]) -> None:
        super().__init__(url)
        self.url, self.chain = url, chain


class Checker:
    """Checks addresses with one shared httpx client; per-host semaphores keep it polite."""

    def __init__(self, settings: Settings, now: Callable[[], dt.datetime]) -> None:
        self.settings = settings
        self.now = now
        self.hosts: dict[str, asyncio.Semaphore] = {}
        self.total = asyncio.Semaphore(settings.total)

    async def run(self, addresses: dict[str, Address]) -> dict[str, Result]:
        limits = httpx.Limits(max_connections=self.settings.total, max_keepalive_connections=self.settings.total)
        timeout = httpx.Timeout(self.settings.timeout)
        async with httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
            follow_redirects=False,  # followed in _request, one hop at a time, to name the hop that fails
            timeout=timeout,
            transport=httpx_transport(self.settings.policy, limits),
            trust_env=False,  # no environment proxy: it would connect beyond the address policy
        ) as client:
            results = await asyncio.gather(*(self.check(client, address) for address in addresses.values()))
        return {result.url: result for result in results}

    async def check(self, client, address: Address) -> Result:
        host = (urlsplit(address.url).hostname or "").lower()
        semaphore = self.hosts.setdefault(host, asyncio.Semaphore(self.settings.per_host))
        async with semaphore, self.total:
            result = await self._with_retries(client, address)
        result.checked = self.now().isoformat(timespec="seconds")
        return result

    async def _with_retries(self, client, address: Address) -> Result:
        attempt = 0
        while True:
            attempt += 1
            result, wait = await self._once(client, address)
            result.attempts = attempt
            if result.status is not None:
                retryable = result.status in RETRY_STATUSES
            else:  # no answer: time-outs and connection errors, not a host name that does not exist
                retryable = result.verdict in (TIMEOUT, ERROR)
            if not retryable or attempt > self.settings.retries:
                return result
            if wait is None:
                wait = self.settings.backoff * 2 ** (attempt - 1)
            await asyncio.sleep(min(wait, self.settings.max_wait))

    async def _once(self, client, address: Address) -> tuple[Result, float | None]:
        """One attempt (HEAD, then GET when needed); returns the result and a Retry-After wait."""
        try:
            return await asyncio.wait_for(self._ask(client, address), self.settings.timeout)
        except Exception as exc:
            if isinstance(exc, httpx.TooManyRedirects):
                return Result(address.url, ERROR, detail=f"more than {self.settings.max_redirects} redirects"), None
            if isinstance(exc, _HopFailed):
                return self._hop_failed(address, exc), None
            verdict, detail = classify_exception(exc)
            return Result(address.url, verdict, detail=detail), None

    @staticmethod
    def _hop_failed(address: Address, hop: _HopFailed) -> Result:
        """A redirect whose target failed is that target's failure, named, not the first host's."""
        verdict, detail = classify_exception(hop.__cause__ or hop)
        if verdict == DNS:
            host = urlsplit(hop.url).hostname
            detail = f"redirected to {hop.url}, whose host name {host} does not exist (DNS)"
        else:
            detail = f"redirected to {hop.url}: {detail}"
        return Result(address.url, verdict, chain=hop.chain, final_url=hop.url, detail=detail)

    async def _ask(self, client, address: Address) -> tuple[Result, float | None]:
        method = "GET" if address.document else "HEAD"
        response, first = await self._request(client, method, address.url, read=address.document)
        if method == "HEAD" and response.status_code in HEAD_REFUSED:
            method = "GET"
            response, first = await self._request(client, "GET", address.url, read=True)
        return self._verdict(address, response, first, method)

    async def _request(self, client, method: str, url: str, read: bool):
        """The final answer to `url` after its redirects (in `response.history`), and its first bytes.

        Every hop is checked against the address policy (a literal address here, every connection
        in the transport); a hop that fails after a redirect raises _HopFailed naming it.
        """
        history: list = []
        self.settings.policy.check_url(url)  # before httpx parses it: it refuses 0177.0.0.1 with a vaguer error
        request = client.build_request(method, url)
        while True:
            try:
                self.settings.policy.check_url(str(request.url))
                response = await client.send(request, stream=True)
            except Exception as exc:
                if not history:
                    raise
                raise _HopFailed(str(request.url), [r.status_code for r in history]) from exc
            try:
                if response.next_request is not None:
                    history.append(response)
                    if len(history) > self.settings.max_redirects:
                        raise httpx.TooManyRedirects("too many redirects", request=request)
                    request = response.next_request
                    continue
                first = b""
                if read and method == "GET":
                    async for chunk in response.aiter_bytes():  # decoded: a gzip-encoded page is still HTML
                        first += chunk
                        if len(first) >= SNIFF_BYTES:
                            break
                response.history = history
                return response, first[:SNIFF_BYTES]
            finally:
                await response.aclose()

    def _verdict(self, address: Address, response, first: bytes, method: str) -> tuple[Result, float | None]:
        status = response.status_code
        chain = [r.status_code for r in response.history] + [status]
        content_type = response.headers.get("Content-Type")
        result = Result(address.url, OK, status, chain, str(response.url), content_type, method=method)  # refined below
        wait = None
        if status in (404, 410):
            result.verdict, result.detail = BROKEN, f"HTTP {status}"
        elif status == 429:
            result.verdict, result.detail = RATE_LIMITED, "HTTP 429 Too Many Requests"
            wait = retry_after(response.headers.get("Retry-After"), self.now(), self.settings.max_wait)
        elif status >= 500:
            result.verdict, result.detail = SERVER_ERROR, f"HTTP {status}"
            wait = retry_after(response.headers.get("Retry-After"), self.now(), self.settings.max_wait)
        elif status in (401, 403, 451):
            result.verdict, result.detail = FORBIDDEN, f"HTTP {status}: the server refuses this checker (check by hand)"
        elif status >= 400:
            result.verdict, result.detail = ERROR, f"HTTP {status}"
        elif address.document and not sniff_extension(first, address.format or "", address.url):
            if looks_like_html(first):
                result.verdict = NOT_DOCUMENT
                result.detail = f"declared as {address.format} but the address serves an HTML page ({content_type or 'no type'})"
            else:
                result.verdict = WRONG_FORMAT
                what = described(first)
                result.detail = f"declared as {address.format} but the file looks like {what} ({content_type or 'no type'})"
        elif response.history:
            result.verdict = REDIRECTED
            permanent = any(r.status_code in (301, 308) for r in response.history)
            result.detail = "moved permanently: update the address" if permanent else "redirected"
        return result, wait


# -- the cache and the run -----------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: value is None or check(value)


def _list_of(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: isinstance(value, list) and all(check(item) for item in value)


def _is_str(value: object) -> bool:
    return isinstance(value, str)


# What each field of a cached Result must be; a record with anything else is dropped.
_CACHED_FIELDS: dict[str, Callable[[object], bool]] = {
    "url": _is_str,
    "verdict": lambda value: value in VERDICT_ORDER,
    "status": _optional(_is_int),
    "chain": _list_of(_is_int),
    "final_url": _optional(_is_str),
    "content_type": _optional(_is_str),
    "detail": _is_str,
    "checked": _is_str,
    "failures": _list_of(_is_str),
    "attempts": _is_int,
    "method": _is_str,
}


def _cached_result(url: str, item: object) -> Result | None:
    """The Result a cache record describes, or None if any field has the wrong shape."""
    if not isinstance(item, dict) or item.get("url", url) != url or "verdict" not in item:
        return None
    values = {name: item[name] for name in _CACHED_FIELDS if name in item}
    if not all(_CACHED_FIELDS[name](value) for name, value in values.items()):
        return None
    return Result(**{**values, "url": url})


def load_cache(path: Path) -> dict[str, Result]:
    """The cached results; a missing or damaged cache is an empty one (it is only a cache), and a
    damaged record is dropped (checked again), whatever its shape: a hand-edited or truncated
    file, or one from another version, must never stop the weekly run with a traceback."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    records = data.get("results") if isinstance(data, dict) else None
    if not isinstance(records, dict):
        return {}
    results = {url: _cached_result(url, item) for url, item in records.items()}
    return {url: result for url, result in results.items() if result is not None}


def save_cache(path: Path, results: dict[str, Result]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "results": {url: asdict(results[url]) for url in sorted(results)}}
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(path)


def _time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def fresh(result: Result, now: dt.datetime, max_age: dt.timedelta) -> bool:
    checked = _time(result.checked)
    return checked is not None and dt.timedelta(0) <= now - checked < max_age


def persisting(result: Result, window: dt.timedelta) -> bool:
    """A definite failure seen at least twice, the first and last more than `window` apart."""
    if result.verdict not in DEFINITE or len(result.failures) < 2:
        return False
    first, last = _time(result.failures[0]), _time(result.failures[-1])
    return first is not None and last is not None and last - first > window


def merge(new: Result, old: Result | None) -> Result:
    """Carry the streak of definite failures over from the previous check of the address."""
    if new.verdict in DEFINITE:
        before = old.failures if old is not None and old.verdict in DEFINITE else []
        new.failures = [*before, new.checked][-10:]
    else:
        new.failures = []
    return new


@dataclass
class Run:
    addresses: list[Address]
    results: dict[str, Result]
    checked: int  # addresses asked this run (the others came from the cache)
    window: dt.timedelta
    now: dt.datetime

    @property
    def failing(self) -> list[Result]:
        """The persisting definite failures: what makes the command exit non-zero."""
        return [self.results[url] for url in sorted(self.results) if persisting(self.results[url], self.window)]


def _in_own_loop(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to the end, in a thread of its own if this one already runs an event loop
    (a notebook, or Playwright's sync API in the test suite)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def check_links(
    addresses: Iterable[Address],
    cache_path: Path,
    max_age: dt.timedelta = dt.timedelta(days=3),
    settings: Settings | None = None,
    now: Callable[[], dt.datetime] | None = None,
    refresh: bool = False,
) -> Run:
    """Check the addresses not checked within `max_age`, update the cache, and return the run."""
    now = now or (lambda: dt.datetime.now(dt.UTC))
    settings = settings or Settings()
    addresses = list(addresses)
    cache = load_cache(cache_path)
    started = now()
    unique: dict[str, Address] = {}
    for address in addresses:
        current = unique.get(address.url)
        if current is None or (address.document and not current.document):  # a document needs the GET
            unique[address.url] = address
    due = {url: a for url, a in unique.items() if refresh or url not in cache or not fresh(cache[url], started, max_age)}
    fetched = _in_own_loop(lambda: Checker(settings, now).run(due)) if due else {}
    results = {}
    for url in unique:
        results[url] = merge(fetched[url], cache.get(url)) if url in fetched else cache[url]
    save_cache(cache_path, results)  # addresses no longer written anywhere drop out
    return Run(addresses, results, len(fetched), max_age, started)


def elapsed(since: float) -> str:
    return f"{time.monotonic() - since:.1f} s"
