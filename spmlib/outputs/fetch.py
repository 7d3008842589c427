"""Document downloads for offline outputs: the files a bundle or a ZIM carries, with their cache.

A training without internet needs the PDFs, spreadsheets and videos the catalogue links to, not
only its pages. This is the one place that fetches them, so bundles and ZIMs share one set of
defences: a wall-clock deadline per attempt (a server that trickles a byte a second never trips
a socket timeout), a size cap per file and in all, connections only where the address policy
allows (spmlib.outputs.netpolicy), and the magic-bytes check of spmlib.outputs.sniff, on
download and again from the cache, so that a captive portal's login page is never kept as a
PDF. It knows nothing of MkDocs or of packing: spmlib.outputs.offline calls it between
selecting the resources and building the pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import ipaddress
import json
import os
import socket
import ssl
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from spmlib.model.catalogue import Link, Resource
from spmlib.model.linkkinds import DOCUMENT
from spmlib.model.textcheck import escape_for_terminal
from spmlib.outputs.netpolicy import PUBLIC_ONLY, AddressPolicy, CheckedHTTPConnection, CheckedHTTPSConnection, RefusedAddress
from spmlib.outputs.sniff import HEAD_BYTES, NOT_A_DOCUMENT, not_a_document_reason, sniff_extension

DOWNLOAD_DIR = "documents/offline"


@dataclass(frozen=True)
class FetchSettings:
    """How documents are fetched: limits, patience and where connections may go.

    One object rather than eight parameters, so the command line, the offline pipeline and the
    tests pass the same settings the same way.
    """

    max_bytes: int = 50_000_000  # largest document
    max_total: int = 2_000_000_000  # all documents of one bundle together
    timeout: float = 20.0  # longest wait for any data
    retries: int = 2  # of a failure that may pass (not a 404, a size cap or "not a document")
    backoff: float = 1.0  # first wait before a retry; doubles each time
    deadline: float | None = None  # longest one attempt may take in all (default: 4 x timeout)
    refresh: bool = False  # download everything again, whatever the cache holds
    policy: AddressPolicy = PUBLIC_ONLY  # public addresses only, unless --allow-private-addresses


def downloadable(link: Link) -> bool:
    """Documents worth carrying offline: the links whose kind is `document` (files, not pages
    or places to look: spmlib/model/linkkinds.py), when they are on the web."""
    return not link.is_local and link.kind == DOCUMENT


@dataclass
class Fetched:
    """What fetch_documents brought: the local copy of each address, and what it could not fetch."""

    included: dict[str, str] = field(default_factory=dict)  # url -> path under docs/
    missing: list[dict] = field(default_factory=list)  # {url, resource, reason}
    bytes: int = 0


class _Final(Exception):
    """A failure that retrying will not fix (404, too large, not a document)."""


def _head(path: Path, size: int = HEAD_BYTES) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


class _Watchdog:
    """Ends a download attempt at a wall-clock deadline, whatever the server does.

    A server that trickles a byte a second never trips a socket timeout (each read gets data in
    time), and reading headers or a buffered body can take hours that way. The watchdog shuts
    down the attempt's sockets at the deadline, which wakes any blocked read.
    """

    def __init__(self, seconds: float):
        self.connections: list = []
        self.fired = False
        self.deadline = time.monotonic() + seconds
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        for connection in list(self.connections):
            sock = getattr(connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def factory(self, cls):
        def make(*args, **kwargs):
            connection = cls(*args, **kwargs)
            self.connections.append(connection)
            return connection

        return make

    def check(self) -> None:
        if self.fired or time.monotonic() > self.deadline:
            raise TimeoutError("too slow: the download took longer than its deadline")

    def opener(self, policy: AddressPolicy) -> urllib.request.OpenerDirector:
        """http and https only, every connection (redirects too) through `policy`.

        Built by hand rather than with build_opener, which would add the environment's proxies
        (they resolve and connect beyond the policy) and ftp:, file: and data: handlers that a
        redirect could reach (ftp://127.0.0.1/). An address of any other scheme is an error.
        """
        watchdog = self

        def checked(cls):
            make = watchdog.factory(cls)

            def connection(*args, **kwargs):
                made = make(*args, **kwargs)
                made.policy = policy
                return made

            return connection

        class HTTP(urllib.request.HTTPHandler):
            def http_open(self, req):
                return self.do_open(checked(CheckedHTTPConnection), req)

        class HTTPS(urllib.request.HTTPSHandler):
            def https_open(self, req):
                return self.do_open(checked(CheckedHTTPSConnection), req, context=ssl.create_default_context())

        opener = urllib.request.OpenerDirector()
        for handler in (
            HTTP(),
            HTTPS(),
            urllib.request.HTTPRedirectHandler(),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
            urllib.request.UnknownHandler(),
        ):
            opener.add_handler(handler)
        return opener

    def peers(self) -> list[str]:
        """The addresses this attempt connected to, the redirects' included."""
        return [c.peer for c in self.connections if getattr(c, "peer", None)]


def _download(
    url: str,
    target: Path,
    max_bytes: int,
    timeout: float,
    deadline: float | None = None,
    policy: AddressPolicy = PUBLIC_ONLY,
) -> tuple[str | None, list[str]]:
    """Stream `url` into `target`; returns its content type and the addresses connected to.
    Raises _Final (also for an address `policy` refuses), TimeoutError or OSError.

    `timeout` is the longest wait for any data; `deadline` (default 4 x timeout) the longest the
    whole attempt may take, enforced by the clock, not between reads.
    """
    request = urllib.request.Request(url, headers={"User-Agent": "spm-resource-library-bundle/1"})
    with _Watchdog(deadline if deadline is not None else timeout * 4) as watchdog:
        handle_fd, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        partial = Path(partial_name)
        try:
            with os.fdopen(handle_fd, "wb") as handle:
                try:
                    response = watchdog.opener(policy).open(request, timeout=timeout)
                except OSError:
                    watchdog.check()
                    raise
                with response:
                    length = response.headers.get("Content-Length")
                    if length and length.isdigit() and int(length) > max_bytes:
                        raise _Final(f"larger than the {max_bytes // 1_000_000} MB cap ({int(length) / 1e6:.1f} MB)")
                    written = 0
                    while True:
                        watchdog.check()
                        try:
                            chunk = response.read1(64 * 1024)  # returns what has arrived, never waits for 64 KB
                        except (OSError, ValueError, http.client.HTTPException):
                            watchdog.check()
                            raise
                        if not chunk:
                            break
                        watchdog.check()
                        written += len(chunk)
                        if written > max_bytes:
                            raise _Final(f"larger than the {max_bytes // 1_000_000} MB cap")
                        handle.write(chunk)
                    content_type = response.headers.get("Content-Type")
            partial.replace(target)
            return content_type, watchdog.peers()
        except urllib.error.HTTPError as exc:
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise _Final(f"HTTP {exc.code} {exc.reason}") from None
            raise OSError(f"HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, RefusedAddress):  # final: the address will not become public by retrying
                raise _Final(str(exc.reason)) from None
            raise
        except http.client.HTTPException as exc:
            raise OSError(f"bad answer from the server: {exc!r}") from None
        finally:
            partial.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write through a uniquely named temporary file: two bundles at once never share one."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)


def wanted_documents(resources: list[Resource]) -> list[tuple[str, Resource, Link]]:
    """The downloadable links of `resources`, each address once (its first resource), in a
    stable order: by resource id, then address."""
    wanted: dict[str, tuple[Resource, Link]] = {}
    for resource in resources:
        for link in resource.links:
            if downloadable(link):
                wanted.setdefault(link.url, (resource, link))
    ordered = sorted(wanted.items(), key=lambda item: (item[1][0].id, item[0]))
    return [(url, resource, link) for url, (resource, link) in ordered]


def _cache_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:20]


def _cached_usable(cached: Path, link: Link, settings: FetchSettings) -> bool:
    """The cache entry can stand for a download: fetched under the policy, and still the document."""
    body = cached / "body"
    return bool(
        not settings.refresh
        and _fetched_under(cached / "meta.json", settings.policy)
        and body.is_file()
        and sniff_extension(_head(body), link.format, link.url)
    )


def _fetch_into_cache(link: Link, cached: Path, settings: FetchSettings) -> str | None:
    """Download `link` into its cache entry, retrying what may pass; the error, or None.

    Failures are never cached, and neither is a file that is not the document its link declares.
    """
    url, body, meta_path = link.url, cached / "body", cached / "meta.json"
    cached.mkdir(parents=True, exist_ok=True)
    meta_path.unlink(missing_ok=True)  # a stale or mismatched entry is not used again
    error = None
    for attempt in range(settings.retries + 1):
        try:
            content_type, peers = _download(url, body, settings.max_bytes, settings.timeout, settings.deadline, settings.policy)
            if not sniff_extension(_head(body), link.format, url):
                reason = not_a_document_reason(_head(body), link.format)
                body.unlink(missing_ok=True)  # never cached: the server may be fixed tomorrow
                raise _Final(reason)
            meta = {"url": url, "content_type": content_type, "addresses": peers}
            _write_atomically(meta_path, json.dumps(meta).encode("utf-8"))
            return None
        except _Final as exc:
            return str(exc)
        except (OSError, TimeoutError) as exc:
            error = f"{getattr(exc, 'reason', None) or exc}"
            if attempt < settings.retries:
                time.sleep(settings.backoff * 2**attempt)
    return error


def _missing(url: str, resource: Resource, error: str) -> dict:
    """A document that could not be fetched, as the report and the About page list it."""
    item = {"url": url, "resource": resource.id, "reason": escape_for_terminal(error)}
    if error.startswith(NOT_A_DOCUMENT):
        item["kind"] = "not_a_document"
    elif error.startswith("refused:"):
        item["kind"] = "internal_address"
    return item


def fetch_documents(
    resources: list[Resource],
    docs_dir: Path,
    cache_dir: Path,
    settings: FetchSettings | None = None,
    out: IO[str] | None = None,
) -> Fetched:
    """Download the remote documents of `resources` into docs_dir/documents/offline.

    Downloads are cached in `cache_dir` by address, so a second bundle costs no traffic;
    failures are never cached, and neither is anything that is not the document its link
    declares (checked by magic bytes, on download and again when taken from the cache).
    Connections go only where `settings.policy` allows (public addresses by default); a cached
    document is used only if every address it came from is still allowed, so a file fetched
    from a local mirror under --allow-private-addresses never reaches a default bundle.
    `settings.refresh` downloads everything again. Progress goes to `out`, one line per document.
    """
    settings, out, result = settings or FetchSettings(), out or sys.stderr, Fetched()
    wanted = wanted_documents(resources)
    target_dir = docs_dir / DOWNLOAD_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    for number, (url, resource, link) in enumerate(wanted, start=1):
        key = _cache_key(url)
        cached = cache_dir / key
        body = cached / "body"
        status = "cached"
        if not _cached_usable(cached, link, settings):
            error = _fetch_into_cache(link, cached, settings)
            if error is not None:
                result.missing.append(_missing(url, resource, error))
                _progress(out, number, len(wanted), result.bytes, escape_for_terminal(f"missing  {url} ({error})"))
                continue
            status = "downloaded"
        size = body.stat().st_size
        if result.bytes + size > settings.max_total:
            result.missing.append({"url": url, "resource": resource.id, "reason": "over the bundle's total size cap"})
            _progress(out, number, len(wanted), result.bytes, f"skipped  {url} (total size cap)")
            continue
        name = f"{resource.id}-{key[:8]}{sniff_extension(_head(body), link.format, url)}"
        (target_dir / name).write_bytes(body.read_bytes())
        result.included[url] = f"{DOWNLOAD_DIR}/{name}"
        result.bytes += size
        _progress(out, number, len(wanted), result.bytes, f"{status:<9}{url} ({size / 1e6:.1f} MB)")
    return result


def _fetched_under(meta_path: Path, policy: AddressPolicy) -> bool:
    """The cache entry records the addresses it was fetched from, and `policy` allows them all.

    Entries of older versions, which recorded none, are fetched again (under the policy).
    """
    try:
        addresses = json.loads(meta_path.read_text(encoding="utf-8")).get("addresses")
        return bool(addresses) and all(policy.refusal(ipaddress.ip_address(a)) is None for a in addresses)
    except (OSError, ValueError, TypeError, AttributeError):
        return False


def _progress(out: IO[str], number: int, total: int, done_bytes: int, text: str) -> None:
    width = 20
    filled = int(width * number / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    out.write(f"[{bar}] {number}/{total} {done_bytes / 1e6:6.1f} MB  {text}\n")
    out.flush()
