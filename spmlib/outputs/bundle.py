"""Offline bundles for field trainings: part or all of the library as one reproducible zip.

A bundle is an ordinary build of the site with three differences, all driven by
`extra.library.bundle` and `extra.library.offline` in a generated config: only the chosen
languages and subset are built, pages are plain `.html` files that work from file://, and
every asset (including the Web Worker shim Material's search needs on file://) ships inside.
This module holds the parts that are not MkDocs-specific: the subset, document downloads
with their cache, the deterministic zip and the size report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import http.client
import ipaddress
import json
import os
import re
import socket
import ssl
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import urlsplit

from spmlib.model.catalogue import Catalogue, Link, Resource
from spmlib.model.options import LibraryOptions, i18n_options, read_config, unknown_languages
from spmlib.model.taxonomy import Taxonomy
from spmlib.model.textcheck import escape_for_terminal
from spmlib.outputs.netpolicy import PUBLIC_ONLY, AddressPolicy, CheckedHTTPConnection, CheckedHTTPSConnection, RefusedAddress
from spmlib.outputs.sniff import HEAD_BYTES, NOT_A_DOCUMENT, not_a_document_reason, sniff_extension
from spmlib.processes.interrupt import CHILD, stoppable

DOWNLOADABLE = {"pdf", "doc", "xls", "ppt", "zip"}
VIDEO_FILES = {".mp4", ".webm", ".mov"}
DOWNLOAD_DIR = "documents/offline"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class BundleError(Exception):
    """A wrong option, worded for the trainer who typed it."""


@dataclass(frozen=True)
class Subset:
    """What part of the library a bundle holds; empty fields mean "all"."""

    dimensions: frozenset[int] = frozenset()
    standards: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return not (self.dimensions or self.standards or self.types or self.topics)

    @classmethod
    def from_options(cls, options: dict) -> Subset:
        return cls(
            frozenset(int(n) for n in options.get("dimensions") or ()),
            frozenset(str(c).upper() for c in options.get("standards") or ()),
            frozenset(options.get("types") or ()),
            frozenset(options.get("topics") or ()),
        )

    def to_options(self) -> dict:
        return {
            "dimensions": sorted(self.dimensions),
            "standards": sorted(self.standards),
            "types": sorted(self.types),
            "topics": sorted(self.topics),
        }

    def problems(self, catalogue: Catalogue) -> list[str]:
        """Values that name nothing, with what is allowed."""
        tax = catalogue.taxonomy
        found = []
        checks = [
            ("dimension", self.dimensions, tax.dimension_numbers),
            ("standard", self.standards, tax.standard_codes),
            ("type", self.types, tax.type_codes),
            ("topic", self.topics, catalogue.topics()),
        ]
        for name, chosen, allowed in checks:
            unknown = sorted(str(v) for v in chosen if v not in allowed)
            if unknown:
                found.append(f"unknown {name} {', '.join(unknown)}; allowed: {', '.join(str(a) for a in allowed)}")
        return found

    def keeps_dimension(self, number: int, taxonomy: Taxonomy) -> bool:
        if not (self.dimensions or self.standards):
            return True
        return number in self.dimensions or any(s.code in self.standards for s in taxonomy.dimension(number).standards)

    def keeps_standard(self, code: str, taxonomy: Taxonomy) -> bool:
        if not (self.dimensions or self.standards):
            return True
        return code in self.standards or taxonomy.standards[code].dimension in self.dimensions

    def keeps(self, resource: Resource, taxonomy: Taxonomy) -> bool:
        if self.dimensions or self.standards:
            if not (
                any(code in self.standards for code in resource.standards)
                or any(n in self.dimensions for n in resource.all_dimensions(taxonomy))
            ):
                return False
        if self.types and resource.type not in self.types:
            return False
        return not (self.topics and not any(t in self.topics for t in resource.topics))

    def apply(self, catalogue: Catalogue, relink: dict[str, str] | None = None) -> Catalogue:
        """The catalogue of the bundle: its resources, with downloaded documents linked locally."""
        tax = catalogue.taxonomy
        relink = relink or {}
        resources = []
        for resource in catalogue.resources:
            if not self.keeps(resource, tax):
                continue
            if any(link.url in relink for link in resource.links):
                links = tuple(dataclasses.replace(link, url=relink.get(link.url, link.url)) for link in resource.links)
                resource = dataclasses.replace(resource, links=links)
            resources.append(resource)
        partial = bool(self.dimensions or self.standards)
        return Catalogue(
            resources,
            tax,
            warnings=catalogue.warnings,
            name=catalogue.name,
            source=catalogue.source,
            scope_dimensions=frozenset(n for n in tax.dimension_numbers if self.keeps_dimension(n, tax)) if partial else None,
            scope_standards=frozenset(c for c in tax.standard_codes if self.keeps_standard(c, tax)) if partial else None,
        )


def downloadable(link: Link) -> bool:
    """Documents worth carrying offline: files, not web pages or streaming videos."""
    if link.is_local:
        return False
    if link.format in DOWNLOADABLE:
        return True
    return link.format == "video" and PurePosixPath(urlsplit(link.url).path).suffix.lower() in VIDEO_FILES


@dataclass
class Fetched:
    included: dict[str, str] = field(default_factory=dict)  # url -> path under docs/
    missing: list[dict] = field(default_factory=list)  # {url, resource, reason}
    bytes: int = 0


class _TooLarge(Exception):
    pass


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


def fetch_documents(
    resources: list[Resource],
    docs_dir: Path,
    cache_dir: Path,
    max_bytes: int = 50_000_000,
    max_total: int = 2_000_000_000,
    timeout: float = 20.0,
    retries: int = 2,
    backoff: float = 1.0,
    out: IO[str] | None = None,
    refresh: bool = False,
    deadline: float | None = None,
    policy: AddressPolicy = PUBLIC_ONLY,
) -> Fetched:
    """Download the remote documents of `resources` into docs_dir/documents/offline.

    Downloads are cached in `cache_dir` by address, so a second bundle costs no traffic;
    failures are never cached, and neither is anything that is not the document its link
    declares (checked by magic bytes, on download and again when taken from the cache).
    Connections go only where `policy` allows (public addresses by default); a cached document
    is used only if every address it came from is still allowed, so a file fetched from a local
    mirror under --allow-private-addresses never reaches a default bundle.
    `refresh` downloads everything again. Progress goes to `out`, one line per document.
    """
    out = out or sys.stderr
    result = Fetched()
    wanted: dict[str, tuple[Resource, Link]] = {}
    for resource in resources:
        for link in resource.links:
            if downloadable(link):
                wanted.setdefault(link.url, (resource, link))
    total = len(wanted)
    target_dir = docs_dir / DOWNLOAD_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    for number, (url, (resource, link)) in enumerate(sorted(wanted.items(), key=lambda item: (item[1][0].id, item[0])), start=1):
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:20]
        cached = cache_dir / key
        meta_path = cached / "meta.json"
        body = cached / "body"
        status = "cached"
        usable = (
            not refresh
            and _fetched_under(meta_path, policy)
            and body.is_file()
            and sniff_extension(_head(body), link.format, url)
        )
        if not usable:
            cached.mkdir(parents=True, exist_ok=True)
            meta_path.unlink(missing_ok=True)  # a stale or mismatched entry is not used again
            error = None
            for attempt in range(retries + 1):
                try:
                    content_type, peers = _download(url, body, max_bytes, timeout, deadline, policy)
                    if not sniff_extension(_head(body), link.format, url):
                        reason = not_a_document_reason(_head(body), link.format)
                        body.unlink(missing_ok=True)  # never cached: the server may be fixed tomorrow
                        raise _Final(reason)
                    meta = {"url": url, "content_type": content_type, "addresses": peers}
                    _write_atomically(meta_path, json.dumps(meta).encode("utf-8"))
                    error = None
                    status = "downloaded"
                    break
                except _Final as exc:
                    error = str(exc)
                    break
                except (OSError, TimeoutError) as exc:
                    error = f"{getattr(exc, 'reason', None) or exc}"
                    if attempt < retries:
                        time.sleep(backoff * 2**attempt)
            if error is not None:
                item = {"url": url, "resource": resource.id, "reason": escape_for_terminal(error)}
                if error.startswith(NOT_A_DOCUMENT):
                    item["kind"] = "not_a_document"
                elif error.startswith("refused:"):
                    item["kind"] = "internal_address"
                result.missing.append(item)
                _progress(out, number, total, result.bytes, escape_for_terminal(f"missing  {url} ({error})"))
                continue
        size = body.stat().st_size
        if result.bytes + size > max_total:
            result.missing.append({"url": url, "resource": resource.id, "reason": "over the bundle's total size cap"})
            _progress(out, number, total, result.bytes, f"skipped  {url} (total size cap)")
            continue
        name = f"{resource.id}-{key[:8]}{sniff_extension(_head(body), link.format, url)}"
        (target_dir / name).write_bytes(body.read_bytes())
        result.included[url] = f"{DOWNLOAD_DIR}/{name}"
        result.bytes += size
        _progress(out, number, total, result.bytes, f"{status:<9}{url} ({size / 1e6:.1f} MB)")
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


def reproducible_date(root: Path) -> dt.date:
    """The bundle's date: SOURCE_DATE_EPOCH, else the last commit's, else today (same input, same zip)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    import subprocess

    try:
        stamp = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        if stamp.isdigit():
            return dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.date.today()


def write_zip(site: Path, target: Path, folder: str, skip: Callable[[str], bool] = lambda _: False) -> dict[str, int]:
    """Zip `site` under `folder/` with sorted names and fixed times, so equal input gives equal bytes."""
    sizes: dict[str, int] = {}
    paths = sorted(p for p in site.rglob("*") if p.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    # A unique temporary name: two bundles of the same name at once must not share one.
    fd, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    partial = Path(partial_name)
    try:
        _fill_zip(partial, site, paths, folder, skip, sizes)
        os.chmod(partial, 0o644)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return sizes


def _fill_zip(partial: Path, site: Path, paths: list[Path], folder: str, skip: Callable[[str], bool], sizes: dict) -> None:
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in paths:
            relative = path.relative_to(site).as_posix()
            if skip(relative):
                continue
            info = zipfile.ZipInfo(f"{folder}/{relative}", date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = path.read_bytes()
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
            sizes[relative] = len(data)


def size_report(sizes: dict[str, int], zip_size: int, languages: list[str], packed: str = "zip") -> str:
    """What takes the room in a bundle, so a trainer can decide what to leave out."""
    groups: dict[str, int] = {}
    for path, size in sizes.items():
        parts = path.split("/")
        if parts[0] in languages and len(parts) > 1:
            parts = parts[1:]
        if path.startswith(DOWNLOAD_DIR) or parts[0] == "documents":
            group = "documents"
        elif parts[0] == "assets":
            group = "styles, scripts and icons"
        elif parts[0] == "search":
            group = "search indexes"
        elif parts[-1] == "explorer-data.js" or "explorer-data" in parts[:-1]:  # and its parts loaded on demand
            group = "explorer data"
        else:
            group = "pages"
        groups[group] = groups.get(group, 0) + size
    lines = [f"{'part':<28}{'size':>12}"]
    for group in ("pages", "documents", "search indexes", "explorer data", "styles, scripts and icons"):
        if group in groups:
            lines.append(f"{group:<28}{groups[group] / 1e6:>9.2f} MB")
    lines.append(f"{'total, unpacked':<28}{sum(sizes.values()) / 1e6:>9.2f} MB  ({len(sizes)} files)")
    lines.append(f"{packed:<28}{zip_size / 1e6:>9.2f} MB")
    return "\n".join(lines)


@dataclass
class BundleResult:
    zip_path: Path
    report: str
    info: dict


def bundle_name(languages: list[str], subset: Subset) -> str:
    parts = ["spm-library", "-".join(languages)]
    parts += [f"d{n}" for n in sorted(subset.dimensions)]
    parts += [code.lower() for code in sorted(subset.standards)]
    parts += sorted(subset.types) + sorted(subset.topics)
    return "-".join(parts)


def localise_docs(docs: Path, languages: list[str], original_default: str, known: list[str]) -> None:
    """Rearrange hand-written pages so that `languages[0]` is the unsuffixed default.

    static-i18n's suffix structure treats `page.md` as the default language; a French-only
    bundle must make `page.fr.md` the plain `page.md` and drop the languages left out.
    """
    new_default = languages[0]
    pattern = re.compile(r"(?P<stem>.+?)\.(?P<lang>[a-z]{2})\.md")
    for page in sorted(docs.rglob("*.md")):
        match = pattern.fullmatch(page.name)
        if match and match["lang"] in known:
            if match["lang"] not in languages:
                page.unlink()
            continue
        if new_default == original_default:
            continue
        own = page.with_name(f"{page.stem}.{new_default}.md")
        original = page.read_bytes()
        if own.exists():
            page.write_bytes(own.read_bytes())
            own.unlink()
        if original_default in languages:
            page.with_name(f"{page.stem}.{original_default}.md").write_bytes(original)


@dataclass
class OfflineBuild:
    """A built offline site for a subset, in a temporary folder, ready to be packed (zip or ZIM)."""

    site: Path
    name: str
    languages: list[str]
    info: dict
    fetched: Fetched
    config: dict  # the generated mkdocs.yml, as a dict (site names, i18n options)


@contextlib.contextmanager
def offline_build(
    root: Path,
    languages: list[str] | None = None,
    subset: Subset | None = None,
    name: str | None = None,
    documents: bool = False,
    cache_dir: Path | None = None,
    max_bytes: int = 50_000_000,
    timeout: float = 20.0,
    retries: int = 2,
    backoff: float = 1.0,
    out: IO[str] | None = None,
    python: str = sys.executable,
    extra_info: dict | None = None,
    refresh: bool = False,
    deadline: float | None = None,
    policy: AddressPolicy = PUBLIC_ONLY,
) -> Iterator[OfflineBuild]:
    """Validate the options, fetch documents, and build the offline site for a subset.

    Yields the build while its temporary folder exists; the zip (make_bundle) and the ZIM
    (spmlib.outputs.zim) are two ways of packing the same pages. `extra_info` is added to the
    "About this bundle" page's data (the ZIM says how to open it there). Raises BundleError,
    and `Interrupted` on SIGTERM/SIGINT after stopping the build and removing its folder.
    """
    import shutil
    import subprocess
    import tempfile

    import yaml

    from spmlib.model.catalogue import load_catalogue
    from spmlib.model.problems import CatalogueError
    from spmlib.model.taxonomy import load_taxonomy

    out = out or sys.stderr
    subset = subset or Subset()
    config = read_config(root / "mkdocs.yml")
    library = dict((config.get("extra") or {}).get("library") or {})
    options = LibraryOptions.from_config(config, root / "mkdocs.yml")
    catalogue_path, taxonomy_dir, docs_dir = options.catalogue, options.taxonomy, options.docs_dir
    try:
        catalogue = load_catalogue(catalogue_path, load_taxonomy(taxonomy_dir), docs_dir)
    except CatalogueError as err:
        raise BundleError(str(err)) from None

    i18n = i18n_options(config)
    configured = [lang["locale"] for lang in i18n["languages"]]
    original_default = next(lang["locale"] for lang in i18n["languages"] if lang.get("default"))
    languages = list(dict.fromkeys(languages or configured))
    unknown = unknown_languages(languages, configured)
    if unknown:
        raise BundleError(unknown)
    problems = subset.problems(catalogue)
    if problems:
        raise BundleError("; ".join(problems))
    chosen = subset.apply(catalogue)
    if not chosen.resources:
        raise BundleError("no resource is in this subset; widen it")
    name = name or bundle_name(languages, subset)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise BundleError(f"the bundle name {name!r} may only hold letters, digits, '.', '_' and '-'")
    cache_dir = cache_dir or root / ".cache" / "documents"

    with tempfile.TemporaryDirectory(prefix="spm-bundle-") as tmp:
        work = Path(tmp)
        docs = work / "docs"
        # Never a symbolic link's target (load_catalogue refused them; this is the second lock).
        shutil.copytree(docs_dir, docs, symlinks=True, ignore=_links_in)
        localise_docs(docs, languages, original_default, configured)
        fetched = Fetched()
        if documents:
            out.write(f"Fetching the documents of {len(chosen.resources)} resources (cache: {cache_dir})\n")
            fetched = fetch_documents(
                chosen.resources,
                docs,
                cache_dir,
                max_bytes=max_bytes,
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                out=out,
                refresh=refresh,
                deadline=deadline,
                policy=policy,
            )
        local = sorted({link.url for r in chosen.resources for link in r.links if link.is_local})
        info = {
            "name": name,
            "date": reproducible_date(root).isoformat(),
            "languages": languages,
            "subset": subset.to_options(),
            "resources": len(chosen.resources),
            "documents": sorted(local + list(fetched.included.values())),
            "missing": fetched.missing,
            "downloaded": documents,
            **(extra_info or {}),
        }
        config["docs_dir"] = str(docs)
        config["site_dir"] = str(work / "site")
        config["use_directory_urls"] = False
        config["hooks"] = [str(root / hook) for hook in config.get("hooks", [])]
        config["theme"] = {**config["theme"], "custom_dir": str(root / config["theme"].get("custom_dir", "overrides"))}
        extra = dict(config.get("extra") or {})
        extra["library"] = {
            **library,
            "catalogue": str(catalogue_path),
            "taxonomy": str(taxonomy_dir),
            "offline": True,
            "bundle": {**info, "relink": fetched.included},
        }
        extra["polyfills"] = ["assets/javascripts/vendor/iframe-worker-shim.js"]  # Material's search worker on file://
        config["extra"] = extra
        by_locale = {lang["locale"]: lang for lang in i18n["languages"]}
        i18n["languages"] = [{**by_locale[code], "default": index == 0, "build": True} for index, code in enumerate(languages)]
        generated = work / "mkdocs.yml"
        generated.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")

        out.write(f"Building {name}: {len(chosen.resources)} resources in {', '.join(languages)}\n")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("SPM_CATALOGUE", None)
        children: list[subprocess.Popen] = []
        with stoppable(children):
            process = subprocess.Popen(
                [python, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(generated)],
                cwd=root,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                **CHILD,
            )
            children.append(process)
            stdout, stderr = process.communicate()
        if process.returncode != 0:
            raise BundleError("the bundle's build failed:\n" + (stderr or stdout).strip())
        yield OfflineBuild(work / "site", name, languages, info, fetched, config)


def make_bundle(
    root: Path,
    languages: list[str] | None = None,
    subset: Subset | None = None,
    *,
    out_dir: Path | None = None,
    **options: Any,
) -> BundleResult:
    """Build, check and zip a bundle; `options` are offline_build's (name, documents, cache_dir,
    download limits, out, python). Raises BundleError for wrong options or a failed build,
    `Interrupted` on SIGTERM/SIGINT."""
    out_dir = out_dir or root / "dist"
    with offline_build(root, languages, subset, **options) as built:
        target = out_dir / f"{built.name}.zip"
        sizes = write_zip(built.site, target, built.name, skip=lambda path: left_out(path, built.languages))
    report = size_report(sizes, target.stat().st_size, built.languages)
    return BundleResult(target, report + missing_report(built.fetched), built.info)


def missing_report(fetched: Fetched) -> str:
    """The documents a bundle could not fetch, for the end of its report."""
    if not fetched.missing:
        return ""
    report = f"\n\n{len(fetched.missing)} document(s) could not be fetched (listed on the bundle's About page):"
    for item in fetched.missing:
        report += f"\n  {item['resource']}: {item['url']} ({item['reason']})"
    return report


def _links_in(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if os.path.islink(os.path.join(folder, name))]


def left_out(path: str, languages: list[str]) -> bool:
    """Files a bundle does without: sitemaps (fetched by XHR, which file:// refuses), the JSON
    search index (Material reads search_index.js from file://), the 404 page (no server), source
    maps, and the search stemmers of languages it does not hold (about 1.7 MB together)."""
    name = path.rsplit("/", 1)[-1]
    if name in ("sitemap.xml", "sitemap.xml.gz", "search_index.json", "404.html") or name.endswith(".map"):
        return True
    if path.startswith("assets/javascripts/lunr/"):
        needed = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"} | {f"lunr.{code}.min.js" for code in languages}
        return name not in needed
    return False
