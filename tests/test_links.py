"""make links: verdicts against a local server, file:line in the report, the cache window and the exit status."""

from __future__ import annotations

import datetime as dt
import gzip
import http.server
import json
import re
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT

from spmlib.__main__ import main
from spmlib.model.catalogue import load_catalogue
from spmlib.outputs.linkreport import markdown_report, report_data
from spmlib.outputs.links import (
    BROKEN,
    DNS,
    ERROR,
    FORBIDDEN,
    NOT_DOCUMENT,
    OK,
    REDIRECTED,
    SERVER_ERROR,
    TIMEOUT,
    WRONG_FORMAT,
    Address,
    Result,
    Settings,
    catalogue_addresses,
    check_links,
    classify_exception,
    load_cache,
    markdown_addresses,
    persisting,
    retry_after,
)
from spmlib.outputs.netpolicy import AddressPolicy

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
# The test servers listen on 127.0.0.1: allowed as a maintainer allows a local mirror.
LOCAL = AddressPolicy(allow_private=True)
FAST = Settings(timeout=1.0, retries=1, backoff=0.01, max_wait=0.3, per_host=2, policy=LOCAL)
HTML = b"<!DOCTYPE html><html><head><title>Publications</title></head><body>Our publications</body></html>"


class Site(http.server.BaseHTTPRequestHandler):
    """Every answer the checker must tell apart."""

    protocol_version = "HTTP/1.1"
    hits: list[tuple[str, str, float]] = []
    lock = threading.Condition()
    busy = 0
    most_busy = 0

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer("HEAD")

    def do_GET(self):
        self.answer("GET")

    def send(self, status: int, body: bytes = b"", content_type: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def answer(self, method: str) -> None:
        path = self.path
        with Site.lock:
            Site.hits.append((method, path, time.monotonic()))
            count = sum(1 for m, p, _ in Site.hits if p == path and m == method)
        try:
            if path == "/ok":
                return self.send(200, HTML)
            if path == "/old":
                return self.send(301, Location="/older")
            if path == "/older":
                return self.send(301, Location="/ok")
            if path == "/gone-404":
                return self.send(404, b"Not found")
            if path == "/gone-410":
                return self.send(410, b"Gone")
            if path == "/busy":
                if count == 1:
                    return self.send(429, b"Slow down", Retry_After="1")
                return self.send(200, HTML)
            if path == "/error-500":
                return self.send(500, b"Oops")
            if path == "/trickle":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for number in range(30):  # a header every 0.2 s: never silent, never done
                    self.wfile.flush()
                    time.sleep(0.2)
                    self.wfile.write(f"X-Slow-{number}: y\r\n".encode())
                return None
            if path == "/no-head":
                if method == "HEAD":
                    return self.send(405, Allow="GET")
                return self.send(200, HTML)
            if path == "/report.pdf":
                return self.send(200, HTML)  # a landing page where a PDF was declared
            if path == "/real.pdf":
                return self.send(200, b"%PDF-1.7 real", "application/pdf")
            if path == "/gzipped.pdf":  # an HTML page, compressed, that claims to be a PDF
                return self.send(200, gzip.compress(HTML), "application/pdf", Content_Encoding="gzip")
            if path == "/mislabelled.pdf":
                return self.send(200, b"PK\x03\x04 a zip", "application/octet-stream")
            if path == "/private":
                return self.send(403, b"Forbidden")
            if path.startswith("/wait/"):
                with Site.lock:
                    Site.busy += 1
                    Site.most_busy = max(Site.most_busy, Site.busy)
                    Site.lock.notify_all()  # held until two are in at once (the limit), not for a time
                    Site.lock.wait_for(lambda: Site.most_busy >= 2, timeout=30)
                with Site.lock:
                    Site.busy -= 1
                return self.send(200, HTML)
            return self.send(404, b"Not found")
        except (BrokenPipeError, ConnectionResetError):
            return None


@pytest.fixture(scope="module")
def site():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# (resource id, path on the site, declared format, expected verdict)
CASES = [
    ("res-ok", "/ok", "web", OK),
    ("res-moved", "/old", "web", REDIRECTED),
    ("res-404", "/gone-404", "web", BROKEN),
    ("res-410", "/gone-410", "web", BROKEN),
    ("res-busy", "/busy", "web", OK),
    ("res-500", "/error-500", "web", SERVER_ERROR),
    ("res-trickle", "/trickle", "web", TIMEOUT),
    ("res-no-head", "/no-head", "web", OK),
    ("res-landing", "/report.pdf", "pdf", NOT_DOCUMENT),
    ("res-real", "/real.pdf", "pdf", OK),
    ("res-mislabelled", "/mislabelled.pdf", "pdf", WRONG_FORMAT),
    ("res-gzipped", "/gzipped.pdf", "pdf", NOT_DOCUMENT),
    ("res-private", "/private", "web", FORBIDDEN),
]


def catalogue_text(base: str, cases=CASES) -> str:
    lines = ["# links to a local test site", "resources:"]
    for rid, path, fmt, _ in cases:
        lines += [
            f"  - id: {rid}",
            "    type: guide",
            "    title:",
            f"      en: Guide {rid}",
            "    dimensions: [4]",
            "    added: 2024-01-01",
            "    links:",
            f'      - {{lang: en, url: "{base}{path}", format: {fmt}}}',
        ]
    return "\n".join(lines) + "\n"


def project(tmp_path: Path, base: str, cases=CASES) -> Path:
    (tmp_path / "docs").mkdir(parents=True)
    (tmp_path / "resources.yaml").write_text(catalogue_text(base, cases), encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(
        f"# Home\n\nSee [the standards]({base}/ok).\n\nOld address: <{base}/gone-410>.\n", encoding="utf-8"
    )
    return tmp_path


def addresses_of(root: Path, taxonomy) -> list[Address]:
    catalogue = load_catalogue(root / "resources.yaml", taxonomy, root / "docs")
    return catalogue_addresses(catalogue, "resources.yaml") + markdown_addresses(root / "docs", root)


def line_of(root: Path, url: str) -> int:
    text = (root / "resources.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(text, start=1) if f'"{url}"' in line)


@pytest.fixture(scope="module")
def first_run(site, tmp_path_factory, taxonomy):
    root = project(tmp_path_factory.mktemp("links"), site)
    Site.hits.clear()
    run = check_links(addresses_of(root, taxonomy), root / "cache.json", settings=FAST, now=lambda: T0)
    return {"root": root, "run": run, "hits": list(Site.hits), "base": site}


@pytest.mark.parametrize(("rid", "path", "fmt", "verdict"), CASES, ids=[c[0] for c in CASES])
def test_each_answer_gets_its_verdict_with_file_line(first_run, rid, path, fmt, verdict):
    data = report_data(first_run["run"])
    (group,) = [g for g in data["groups"] if g["name"] == rid]
    (link,) = group["links"]
    url = first_run["base"] + path
    assert link["verdict"] == verdict, link
    assert link["where"] == f"resources.yaml:{line_of(first_run['root'], url)}"


def test_redirect_chains_are_followed_and_reported(first_run):
    result = first_run["run"].results[first_run["base"] + "/old"]
    assert result.chain == [301, 301, 200]
    assert result.final_url == first_run["base"] + "/ok"
    assert result.detail == "moved permanently: update the address"


def test_how_each_server_was_asked(first_run):
    hits = first_run["hits"]

    def asked(path: str) -> list[str]:
        return [method for method, p, _ in hits if p == path]

    assert asked("/no-head") == ["HEAD", "GET"]  # HEAD refused, asked again with GET
    # once for the catalogue and the docs page together, once at the end of /old's redirects
    assert asked("/ok") == ["HEAD", "HEAD"]
    assert asked("/real.pdf") == ["GET"]  # documents are fetched to read their first bytes
    assert asked("/gone-404") == ["HEAD", "GET"]  # a 404 to HEAD is confirmed with GET, not retried
    assert asked("/busy") == ["HEAD", "HEAD"]  # 429, then the retry
    waited = [t for m, p, t in hits if p == "/busy"]
    assert waited[1] - waited[0] >= 0.28  # Retry-After: 1, capped at max_wait 0.3 s
    assert asked("/error-500") == ["HEAD", "GET", "HEAD", "GET"]  # 5xx retried once (retries=1)
    assert len(asked("/trickle")) == 2
    run = first_run["run"]
    assert run.results[first_run["base"] + "/busy"].attempts == 2
    assert run.results[first_run["base"] + "/trickle"].detail == "no complete answer within the time limit"


def test_docs_pages_are_checked_with_their_lines(first_run):
    data = report_data(first_run["run"])
    (group,) = [g for g in data["groups"] if g["kind"] == "page"]
    assert group["name"] == "docs/index.md"
    assert [(link["where"], link["verdict"]) for link in group["links"]] == [("docs/index.md:3", OK), ("docs/index.md:5", BROKEN)]


def test_markdown_and_json_reports(first_run, tmp_path):
    from spmlib.outputs.linkreport import write_reports

    md, js = write_reports(first_run["run"], tmp_path, {"res-404": "Guide | with a pipe"})
    text = md.read_text(encoding="utf-8")
    data = json.loads(js.read_text(encoding="utf-8"))
    assert text.startswith("# Link check\n")
    assert "## `res-404` Guide \\| with a pipe" in text
    line = line_of(first_run["root"], first_run["base"] + "/gone-404")
    assert f"| resources.yaml:{line} | broken | <{first_run['base']}/gone-404> | HTTP 404 |" in text
    assert "HTML page where a document was declared" in text and "## docs/index.md" in text
    assert "301 → 301 → 200" in text
    assert "declared as pdf but the file looks like a ZIP archive (or a .docx, .xlsx, .pptx)" in text
    assert "`res-ok`" not in text  # healthy resources are counted, not listed
    assert data["groups"][0]["links"][0]["verdict"] in (BROKEN, DNS)  # worst first
    assert data["counts"][BROKEN] == 3 and data["failing"] == []


def test_cache_window_and_exit_status(site, tmp_path, taxonomy, capsys):
    root = project(tmp_path, site, [c for c in CASES if c[0] in ("res-ok", "res-404", "res-500", "res-trickle", "res-busy")])
    args = ["links", "--catalogue", str(root / "resources.yaml"), "--docs", str(root / "docs"), "--cache", str(root / "c.json")]
    args += ["--report-dir", str(root / "out"), "--timeout", "1", "--retries", "0", "--backoff", "0", "--max-wait", "0.1"]
    args += ["--allow-private-addresses"]

    def run(when: dt.datetime, *more: str) -> int:
        Site.hits.clear()
        return main([*args, "--now", when.isoformat(), *more])

    assert run(T0) == 0  # a 404 seen once does not fail
    assert Site.hits
    assert run(T0 + dt.timedelta(days=1)) == 0
    assert Site.hits == []  # everything came from the cache
    assert run(T0 + dt.timedelta(days=2), "--refresh") == 0  # failing twice, but only 2 days apart
    assert {p for _, p, _ in Site.hits} >= {"/ok", "/gone-404"}
    capsys.readouterr()
    assert run(T0 + dt.timedelta(days=5, hours=1)) == 1  # the cache expired; failing for more than 3 days
    err = capsys.readouterr().err
    line = line_of(root, site + "/gone-404")
    assert f"resources.yaml:{line}: {site}/gone-404 HTTP 404 since {T0.isoformat()}" in err
    assert "docs/index.md:5" in err  # the 410 of the docs page too
    assert "error-500" not in err and "trickle" not in err  # flaky hosts never fail the run
    cache = load_cache(root / "c.json")
    assert len(cache[site + "/gone-404"].failures) == 3
    assert cache[site + "/error-500"].failures == []
    report = json.loads((root / "out" / "links.json").read_text(encoding="utf-8"))
    assert sorted(report["failing"]) == [site + "/gone-404", site + "/gone-410"]


def test_a_fixed_address_clears_its_failures():
    old = Result("u", BROKEN, 404, checked="2026-01-01T00:00:00+00:00", failures=["2026-01-01T00:00:00+00:00"])
    from spmlib.outputs.links import merge

    again = merge(Result("u", DNS, checked="2026-01-09T00:00:00+00:00"), old)
    assert again.failures == ["2026-01-01T00:00:00+00:00", "2026-01-09T00:00:00+00:00"]
    assert persisting(again, dt.timedelta(days=3)) and not persisting(again, dt.timedelta(days=10))
    assert merge(Result("u", OK, 200, checked="2026-01-10T00:00:00+00:00"), again).failures == []
    assert merge(Result("u", TIMEOUT, checked="2026-01-10T00:00:00+00:00"), again).failures == []


def test_per_host_limit(site, tmp_path):
    Site.most_busy = 0
    addresses = [Address(f"{site}/wait/{n}", "x.yaml", n) for n in range(6)]
    run = check_links(addresses, tmp_path / "c.json", settings=Settings(timeout=5, per_host=2, policy=LOCAL), now=lambda: T0)
    assert {r.verdict for r in run.results.values()} == {OK}
    assert Site.most_busy == 2


def test_a_host_that_does_not_exist_is_a_definite_failure(tmp_path, monkeypatch):
    # The resolver answers as it would for a vanished host, before any query leaves this machine;
    # the error then goes through httpx, httpcore and anyio as a real one would.
    answer = {"errno": socket.EAI_NONAME}

    def getaddrinfo(host, *args, **kwargs):
        raise socket.gaierror(answer["errno"], "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    addresses = [Address("https://no-such-host.invalid/guide", "resources.yaml", 12, "guide")]

    def run_at(when: dt.datetime, cache: str):
        return check_links(addresses, tmp_path / cache, settings=FAST, now=lambda: when)

    result = run_at(T0, "c.json").results["https://no-such-host.invalid/guide"]
    assert (result.verdict, result.attempts, result.detail) == (DNS, 1, "the host name does not exist (DNS)")  # not retried
    assert [r.url for r in run_at(T0 + dt.timedelta(days=4), "c.json").failing] == ["https://no-such-host.invalid/guide"]
    answer["errno"] = socket.EAI_AGAIN
    result = run_at(T0, "d.json").results["https://no-such-host.invalid/guide"]
    assert (result.verdict, result.attempts) == (ERROR, 2)  # a resolver hiccup is transient, and retried


def test_classify_exceptions():
    request = httpx.Request("GET", "https://x.invalid/")
    refused = httpx.ConnectError("[Errno 111] Connection refused", request=request)
    assert classify_exception(refused) == (ERROR, "[Errno 111] Connection refused")
    assert classify_exception(httpx.ReadTimeout("slow", request=request))[0] == TIMEOUT
    assert classify_exception(TimeoutError())[0] == TIMEOUT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        ("120", 60.0),  # capped
        ("Mon, 02 Mar 2026 09:00:30 GMT", 30.0),
        ("Mon, 02 Mar 2026 08:00:00 GMT", 0.0),  # in the past
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after(value, expected):
    assert retry_after(value, T0, 60.0) == expected


def test_markdown_addresses(tmp_path):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "sub" / "p.fr.md").write_text(
        "Intro\nVoir <https://a.example/x>, et [b](https://b.example/y).\nhttps://c.example/page.\n", encoding="utf-8"
    )
    found = [(a.url, a.file, a.line) for a in markdown_addresses(tmp_path / "docs", tmp_path)]
    assert found == [
        ("https://a.example/x", "docs/sub/p.fr.md", 2),
        ("https://b.example/y", "docs/sub/p.fr.md", 2),
        ("https://c.example/page", "docs/sub/p.fr.md", 3),
    ]


def test_a_damaged_cache_is_an_empty_one(tmp_path):
    for text in ("{not json", '{"results": [1, 2]}', '{"results": {"u": {"nope": 1}}}'):
        (tmp_path / "c.json").write_text(text, encoding="utf-8")
        assert load_cache(tmp_path / "c.json") == {}


GOOD = {"url": "https://a.example/", "verdict": "ok", "status": 200, "chain": [200], "checked": "2026-03-02T09:00:00+00:00"}

# (name, the damaged record): each is dropped, the good record of the same file is kept
DAMAGED_RECORDS = [
    ("failures a number", {"failures": 5}),
    ("failures of numbers", {"failures": [1, 2]}),
    ("failures a string", {"failures": "2026-03-01"}),
    ("unknown verdict", {"verdict": "splendid"}),
    ("verdict a number", {"verdict": 3}),
    ("verdict missing", {"verdict": None}),
    ("status as text", {"status": "200"}),
    ("status true", {"status": True}),
    ("chain a string", {"chain": "301"}),
    ("chain of strings", {"chain": ["301", "200"]}),
    ("chain a number", {"chain": 200}),
    ("detail a list", {"detail": ["x"]}),
    ("checked a number", {"checked": 5}),
    ("attempts as text", {"attempts": "2"}),
    ("final_url a number", {"final_url": 1}),
    ("content_type a mapping", {"content_type": {}}),
    ("method null", {"method": None}),
    ("url of another address", {"url": "https://elsewhere.example/"}),
    ("a list", [1, 2]),
    ("null", None),
    ("a number", 7),
]


def _damaged(url: str, damage) -> object:
    if not isinstance(damage, dict):
        return damage
    record = {**GOOD, "url": url, "checked": T0.isoformat()}
    for key, value in damage.items():
        if value is None and key == "verdict":
            del record[key]
        else:
            record[key] = value
    return record


@pytest.mark.parametrize(("name", "damage"), DAMAGED_RECORDS, ids=[d[0] for d in DAMAGED_RECORDS])
def test_a_damaged_record_is_dropped_and_the_others_kept(tmp_path, name, damage):
    results = {GOOD["url"]: GOOD, "https://b.example/": _damaged("https://b.example/", damage)}
    (tmp_path / "c.json").write_text(json.dumps({"version": 1, "results": results}), encoding="utf-8")
    assert load_cache(tmp_path / "c.json") == {GOOD["url"]: Result(**GOOD)}


@pytest.mark.parametrize(("name", "damage"), DAMAGED_RECORDS, ids=[d[0] for d in DAMAGED_RECORDS])
def test_a_damaged_record_is_checked_again_never_a_traceback(site, tmp_path, name, damage):
    url = f"{site}/ok"
    (tmp_path / "c.json").write_text(json.dumps({"results": {url: _damaged(url, damage)}}), encoding="utf-8")
    run = check_links([Address(url, "resources.yaml", 3, "r")], tmp_path / "c.json", settings=FAST, now=lambda: T0)
    assert run.checked == 1 and run.results[url].verdict == OK
    markdown_report(report_data(run))


@pytest.mark.parametrize(
    "text",
    ["{not json", "[]", "null", '"results"', '{"results": []}', '{"results": null}', '{"results": {"u": 5}}', "\udcff"],
)
def test_a_damaged_cache_file_is_an_empty_one(tmp_path, text):
    (tmp_path / "c.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    assert load_cache(tmp_path / "c.json") == {}


def _outside_code_and_links(markdown: str) -> str:
    """What GitHub would scan for @mentions and #references: not code spans, not autolinks."""
    markdown = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown)
    return re.sub(r"<https?://[^\s<>]+>", "", markdown)


def test_the_report_never_mentions_anyone():
    """The weekly workflow posts links.md in an issue: names from titles or from servers must not
    notify anybody, reference other issues or become markup."""
    data = {
        "addresses": 1, "unique": 1, "checked_now": 1, "cache_days": 3, "counts": {WRONG_FORMAT: 1}, "failing": [],
        "groups": [
            {"kind": "resource", "name": "r", "title": "Guide by @octocat for @acme/team, see #12, a/b#3 and &#64;x", "links": [{
                "url": "https://e.example/a", "where": "resources.yaml:3", "verdict": WRONG_FORMAT, "chain": [301, 200],
                "final_url": "https://e.example/@someone?`x`|y", "detail": "declared as pdf (text/html; by=@admin)",
                "persisting": False, "failing_since": None,
            }]},
            {"kind": "page", "name": "docs/@team.md", "title": "", "links": [{
                "url": "https://e.example/b", "where": "docs/@team.md:4", "verdict": BROKEN, "chain": [404],
                "final_url": None, "detail": "HTTP 404", "persisting": False, "failing_since": None,
            }]},
        ],
    }  # fmt: skip
    text = markdown_report(data)
    outside = _outside_code_and_links(text)
    assert "@" not in outside and not re.search(r"#\d", outside), outside
    assert not re.search(r"(?<!\\)&", outside), outside
    for mention in ("`@octocat`", "`@acme/team,`", "`by=@admin)`", "`&#64;x`", "`#12,`", "`a/b#3`"):
        assert mention in text, text
    assert "`` https://e.example/@someone?`x`\\|y) ``" in text or "``https://e.example/@someone?`x`\\|y)``" in text, text
    assert all(line.count("|") - line.count("\\|") == 5 for line in text.splitlines() if line.startswith("| ")), text


def test_report_text_from_the_catalogue_is_escaped():
    data = {
        "addresses": 1, "unique": 1, "checked_now": 1, "cache_days": 3, "counts": {BROKEN: 1}, "failing": [],
        "groups": [{"kind": "resource", "name": "r", "title": "<script>x</script> *bold*", "links": [{
            "url": "https://e.example/a b", "where": "resources.yaml:3", "verdict": BROKEN, "chain": [404],
            "final_url": None, "detail": "HTTP 404", "persisting": False, "failing_since": None,
        }]}],
    }  # fmt: skip
    text = markdown_report(data)
    assert "\\<script\\>x\\</script\\> \\*bold\\*" in text and "<https://e.example/a b>" not in text


def test_the_shipped_catalogue_and_docs_yield_addresses_with_lines(taxonomy):
    catalogue = load_catalogue(ROOT / "resources.yaml", taxonomy, ROOT / "docs")
    found = catalogue_addresses(catalogue, "resources.yaml")
    assert len(found) == sum(1 for r in catalogue.resources for link in r.links if not link.is_local)
    lines = (ROOT / "resources.yaml").read_text(encoding="utf-8").splitlines()
    for address in found:
        assert address.url in lines[address.line - 1], address


def test_a_broken_catalogue_is_exit_2(tmp_path, capsys):
    (tmp_path / "resources.yaml").write_text("resources:\n  - id: Bad Id\n", encoding="utf-8")
    assert main(["links", "--catalogue", str(tmp_path / "resources.yaml"), "--cache", str(tmp_path / "c.json")]) == 2
    assert "fix the catalogue first" in capsys.readouterr().err
    assert not (tmp_path / "c.json").exists()


def test_works_inside_a_running_event_loop(site, tmp_path):
    """As under Playwright's sync API or in a notebook: the check runs in a thread of its own."""
    import asyncio
    import concurrent.futures

    async def inside():
        return check_links([Address(f"{site}/ok", "x.yaml", 1)], tmp_path / "c.json", settings=FAST, now=lambda: T0)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # a thread of the test's own
        run = pool.submit(asyncio.run, inside()).result()
    assert run.results[f"{site}/ok"].verdict == OK
